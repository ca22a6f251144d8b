"""The tape viewer: its trace is the library's own backward walk, its figure shows that walk's
numbers, and its stepper, driven from code as a learner's clicks would drive it, shows each
record's gradients as the library computes them."""

import subprocess
import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from dlcourse import utils  # noqa: E402
from dlcourse.layers import Concatenate, Dense, Dropout, Input  # noqa: E402
from dlcourse.models import Model, Sequential  # noqa: E402
from dlcourse.models.trainer import backpropagate  # noqa: E402
from dlcourse.tapeview import SHOWN_VALUES, TapeStepper, TapeTrace, draw_tape, trace_step  # noqa: E402


@pytest.fixture(autouse=True)
def float64_and_fresh_names():
    utils.clear_session()  # layer names start again at dense, dense_1, ...
    utils.set_floatx("float64")
    yield
    utils.set_floatx("float32")


def tiny_network():
    """Notebook 02's tiny network: 2 inputs -> 3 tanh units -> 1 sigmoid unit, 4 samples."""
    utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(4, 2)), np.array([[1.0], [0.0], [1.0], [0.0]])
    model = Sequential([Input(shape=(2,)), Dense(3, activation="tanh"), Dense(1, "sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="sgd")
    return model, x, y


def branching_network():
    """Two inputs, a branch around two hidden layers joined by Concatenate, two outputs."""
    utils.set_random_seed(0)
    rng = np.random.default_rng(1)
    first, second = Input(shape=(3,), name="first"), Input(shape=(5,), name="second")
    hidden = Dense(6, activation="relu")(second)
    hidden = Dense(4, activation="relu")(hidden)
    joined = Concatenate()([first, hidden])
    diagnosis = Dense(1, activation="sigmoid", name="diagnosis")(joined)
    radius = Dense(1, name="radius")(hidden)
    model = Model(inputs=[first, second], outputs=[diagnosis, radius])
    model.compile(
        optimizer="adam",
        loss={"diagnosis": "binary_crossentropy", "radius": "mse"},
        loss_weights={"diagnosis": 1.0, "radius": 0.2},
    )
    x = [rng.normal(size=(6, 3)), rng.normal(size=(6, 5))]
    y = [(rng.random(6) > 0.5).astype(float), rng.normal(size=6)]
    return model, x, y


class TwoDense(Model):
    def __init__(self):
        super().__init__()
        self.hidden = Dense(3, activation="relu")
        self.out = Dense(2, activation="softmax")

    def call(self, inputs):
        return self.out(self.hidden(inputs))


def subclassed_network():
    utils.set_random_seed(0)
    rng = np.random.default_rng(2)
    model = TwoDense()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd")
    return model, rng.normal(size=(5, 4)), np.array([0, 1, 1, 0, 1])


NETWORKS = [tiny_network, branching_network, subclassed_network]


def by_weight(trace):
    return {
        id(weight): grad
        for step in trace.steps
        for weight, grad in zip(step.weights, step.grad_weights)
    }


@pytest.mark.parametrize("network", NETWORKS, ids=lambda f: f.__name__)
def test_the_trace_holds_the_library_gradients(network):
    model, x, y = network()
    weights_before = [w.copy() for w in model.get_weights()]
    trace = trace_step(model, x, y)
    loss, grads = model.compute_gradients(x, y)
    assert trace.loss == pytest.approx(loss, abs=1e-12)
    for weight, grad in zip(model.trainable_weights, grads):
        np.testing.assert_array_equal(trace.gradients[id(weight)], grad)
        np.testing.assert_array_equal(by_weight(trace)[id(weight)], grad)
    for before, after in zip(weights_before, model.get_weights()):  # nothing was updated
        np.testing.assert_array_equal(before, after)


def test_the_walk_visits_the_records_backwards_and_skips_the_fused_sigmoid():
    model, x, y = tiny_network()
    trace = trace_step(model, x, y)
    assert [r.name for r in trace.records] == ["dense", "dense/tanh", "dense_1", "dense_1/sigmoid"]
    assert [s.record.name for s in trace.steps] == ["dense_1", "dense/tanh", "dense"]
    assert [r.name for r in trace.skipped()] == ["dense_1/sigmoid"]
    # The walk starts at the sigmoid's input with (p - y) / n: Trainer._backward_seeds.
    ((array, seed),) = trace.seeds
    sigmoid = trace.records[-1]
    assert array is sigmoid.inputs
    np.testing.assert_allclose(seed, (sigmoid.output - y) / len(y))
    first = trace.steps[0]
    assert first.grad_output is seed
    np.testing.assert_allclose(first.grad_weights[0], first.record.cache.T @ seed)
    assert trace.steps[-1].grad_inputs == []  # the first layer reads the data


def test_the_hook_sees_each_visited_record_once_and_changes_nothing():
    model, x, y = branching_network()
    x_list, y_list, sample_weight = model._prepare(x, y)
    seen = []
    recorded, _, seeds, with_hook = model._forward_backward(
        x_list, y_list, sample_weight, on_record=lambda record, *grads: seen.append(record)
    )
    without_hook = backpropagate(recorded, seeds, x_list)
    assert with_hook.keys() == without_hook.keys()
    for key in with_hook:
        np.testing.assert_array_equal(with_hook[key], without_hook[key])
    assert len({id(r) for r in seen}) == len(seen) == len(recorded.records) - 1
    assert [r.name for r in recorded.records if r not in seen] == ["diagnosis/sigmoid"]
    order = [recorded.records.index(r) for r in seen]
    assert order == sorted(order, reverse=True)


def test_trace_step_needs_a_compiled_model():
    model = Sequential([Input(shape=(2,)), Dense(1)])
    with pytest.raises(RuntimeError, match="compile"):
        trace_step(model, np.zeros((1, 2)), np.zeros((1, 1)))


def test_a_dropout_layer_in_training_mode_is_traced_with_its_mask():
    utils.set_random_seed(0)
    model = Sequential([Input(shape=(4,)), Dense(8, activation="relu"), Dropout(0.5), Dense(1)])
    model.compile(loss="mse", optimizer="sgd")
    x, y = np.ones((3, 4)), np.zeros((3, 1))
    trace = trace_step(model, x, y)
    assert [s.record.name for s in trace.steps][:2] == ["dense_1", "dropout"]
    stepper = TapeStepper(trace)
    stepper.go_to(2)
    assert stepper.current.record.name == "dropout"
    assert [row[0] for row in stepper.rows()].count("cache") >= 1


# ----- the figure ---------------------------------------------------------------------------


def texts_of(figure):
    return [t.get_text() for t in figure.axes[0].texts]


def test_the_figure_shows_each_step_with_its_shape_and_the_gradient_norms():
    model, x, y = tiny_network()
    trace = trace_step(model, x, y)
    texts = texts_of(draw_tape(trace))
    for name in ["x", "dense", "tanh", "dense_1", "sigmoid", "loss"]:
        assert name in texts
    assert texts.count("(4, 3)") == 2 and texts.count("(4, 1)") == 2 and "(4, 2)" in texts
    seed = trace.seeds[0][1]
    dense_1, tanh, dense = trace.steps
    expected_edges = [seed, dense_1.grad_inputs[0], tanh.grad_inputs[0]]
    for grad in expected_edges:
        assert f"{np.linalg.norm(grad):.3g}" in texts
    assert f"dW {np.linalg.norm(dense.grad_weights[0]):.3g}" in texts
    assert f"db {np.linalg.norm(dense_1.grad_weights[1]):.3g}" in texts
    assert any(f"loss {trace.loss:.4f}" in t for t in texts)


def test_the_figure_is_drawn_for_projection():
    model, x, y = branching_network()
    figure = draw_tape(trace_step(model, x, y))
    assert min(t.get_fontsize() for t in figure.axes[0].texts) >= 14
    width, height = figure.get_size_inches()
    assert width <= 12.8 and height <= 5.5  # fits a 1280 x 720 slide under a heading


def test_a_partial_walk_shows_only_the_gradients_computed_so_far():
    model, x, y = tiny_network()
    trace = trace_step(model, x, y)
    dense_1, tanh, dense = trace.steps
    at_start = texts_of(draw_tape(trace, position=0))
    assert f"{np.linalg.norm(trace.seeds[0][1]):.3g}" in at_start  # the seed is known at once
    assert not any(t.startswith("dW") for t in at_start)
    after_one = texts_of(draw_tape(trace, position=1))
    assert f"{np.linalg.norm(dense_1.grad_inputs[0]):.3g}" in after_one
    assert f"dW {np.linalg.norm(dense_1.grad_weights[0]):.3g}" in after_one
    assert f"dW {np.linalg.norm(dense.grad_weights[0]):.3g}" not in after_one


def test_an_output_that_another_layer_also_reads_feeds_the_loss():
    from dlcourse.tapeview import _graph

    utils.set_random_seed(0)
    x = Input(shape=(3,))
    hidden = Dense(4, activation="relu", name="hidden")(x)
    final = Dense(1, name="final")(hidden)
    model = Model(inputs=x, outputs=[hidden, final])
    model.compile(loss=["mse", "mse"], optimizer="sgd")
    rng = np.random.default_rng(3)
    trace = trace_step(model, rng.normal(size=(5, 3)), [rng.normal(size=(5, 4)), np.zeros(5)])
    nodes, edges = _graph(trace)
    into_loss = sorted(nodes[e.source].lines[0] for e in edges if e.target == ("loss",))
    assert into_loss == ["final", "relu"]
    assert len(trace.steps) == 3  # final, relu, hidden: the gradients from both outputs add up


def test_the_branching_graph_is_laid_out_in_columns_and_lanes():
    from dlcourse.tapeview import _graph

    model, x, y = branching_network()
    trace = trace_step(model, x, y)
    nodes, edges = _graph(trace)
    assert len(nodes) == 2 + len(trace.records) + 1  # the inputs, the records, the loss
    places = [(node.column, node.lane) for node in nodes.values()]
    assert len(set(places)) == len(places)  # no two boxes on top of each other
    assert all(nodes[e.source].column < nodes[e.target].column for e in edges)
    name = {key: node.lines[0] for key, node in nodes.items()}
    into = {}
    for edge in edges:
        into.setdefault(name[edge.target], []).append(name[edge.source])
    assert into["concatenate"] == ["first", "relu"]
    assert sorted(into["loss"]) == ["radius", "sigmoid"]
    lanes = {name[key]: node.lane for key, node in nodes.items()}
    assert lanes["first"] == lanes["concatenate"] == lanes["diagnosis"] == 0
    assert lanes["second"] == lanes["radius"] == 1


# ----- the stepper, driven from code --------------------------------------------------------


def shown(array):
    """How the stepper writes an array's first numbers."""
    return ", ".join(f"{v:.4f}" for v in np.asarray(array).ravel()[:SHOWN_VALUES])


def test_pressing_next_walks_the_records_with_the_library_numbers():
    model, x, y = tiny_network()
    _, library = model.compute_gradients(x, y)
    kernel_1, bias_1, kernel_2, bias_2 = library
    stepper = TapeStepper(model, x, y)
    assert stepper.position == 0 and stepper.current is None
    assert stepper.back_button.disabled and not stepper.next_button.disabled
    assert "dense_1/sigmoid" in stepper.panel.value  # the fused activation is skipped
    start_png = stepper.image.value
    assert start_png[:8] == b"\x89PNG\r\n\x1a\n"

    stepper.next_button.click()
    assert stepper.position == 1 and stepper.current.record.name == "dense_1"
    assert "step 1 of 3: dense_1 (Dense)" in stepper.heading.value
    rows = stepper.rows()
    assert rows[0][:2] == ("arrives", "dL/d output")
    assert ("gives", "dL/d kernel") in [row[:2] for row in rows]
    kernel_row = next(row for row in rows if row[1] == "dL/d kernel")
    assert kernel_row[2].startswith(f"(3, 1) [{shown(kernel_2)}]")
    assert shown(bias_2) in stepper.panel.value
    assert stepper.image.value != start_png

    stepper.next_button.click()
    assert stepper.current.record.name == "dense/tanh"
    assert [row[1] for row in stepper.rows() if row[0] == "cache"] == ["its input", "its output"]

    stepper.next_button.click()
    assert stepper.current.record.name == "dense" and stepper.next_button.disabled
    assert shown(kernel_1) in stepper.panel.value and shown(bias_1) in stepper.panel.value
    assert ("gives", "no dL/d input", "its input is the data") in stepper.rows()
    stepper.next_button.click()  # disabled in the browser; from code it stays at the end
    assert stepper.position == 3

    stepper.back_button.click()
    assert stepper.current.record.name == "dense/tanh" and not stepper.next_button.disabled
    stepper.go_to(0)
    assert stepper.image.value == start_png


def test_the_stepper_walks_a_branching_model():
    model, x, y = branching_network()
    stepper = TapeStepper(model, x, y)
    starts = [row for row in stepper.rows() if row[0] == "starts at"]
    assert [row[1] for row in starts] == ["diagnosis's output", "radius's output"]
    names = []
    for _ in range(stepper.n_steps):
        stepper.next_button.click()
        names.append(stepper.current.record.name)
    assert names[0] == "radius" and names[-1] == "dense"
    concat = stepper.trace.steps[names.index("concatenate")]
    stepper.go_to(names.index("concatenate") + 1)
    assert [row[1] for row in stepper.rows()].count("dL/d input") == 2
    assert shown(concat.grad_inputs[0]) in stepper.panel.value


def test_the_stepper_has_a_picture_and_text_where_widgets_cannot_run():
    model, x, y = tiny_network()
    stepper = TapeStepper(model, x, y)
    stepper.go_to(1)
    bundle, metadata = stepper._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("step 1 of 3: dense_1 (Dense)")
    assert metadata["image/png"]["width"] > 600
    figure = stepper.static_figure()
    assert figure.axes[0].patches  # the boxes
    assert isinstance(stepper.trace, TapeTrace)
    assert TapeStepper(stepper.trace).trace is stepper.trace


def test_importing_dlcourse_imports_neither_matplotlib_nor_widgets():
    code = (
        "import sys, dlcourse, dlcourse.tapeview; "
        "print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
