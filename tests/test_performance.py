"""Speed-related behaviour, pinned without timing anything: the light `import dlcourse`, and the
flat weight vector, which must give the same numbers as updating weight by weight. (The
BLAS-threads rule: test_threads.)"""

import subprocess
import sys

import numpy as np
import pytest

from dlcourse import optimizers
from dlcourse.layers import BatchNormalization, Dense, Input
from dlcourse.models import Sequential
from dlcourse.utils import set_random_seed


def test_import_dlcourse_does_not_import_heavy_libraries():
    code = (
        "import sys, dlcourse, dlcourse.layers, dlcourse.models; "
        "print(','.join(m for m in ('matplotlib', 'ipywidgets', 'sklearn', 'pandas', "
        "'threadpoolctl') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_fit_stays_float32_end_to_end():
    set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(64, 8))  # float64 data is cast once
    y = (x[:, 0] > 0).astype(int)
    model = Sequential(
        [Input(shape=(8,)), Dense(16, activation="relu"), Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    assert all(w.dtype == np.float32 for w in model.get_weights())
    assert all(s.dtype == np.float32 for s in model.optimizer.variables)
    assert model.predict(x, verbose=0).dtype == np.float32


def flat(shapes, dtype="float32", seed=0):
    """Weights of `shapes` as views into one flat vector, as a model lays them out."""
    rng = np.random.default_rng(seed)
    vector = rng.normal(size=sum(int(np.prod(s)) for s in shapes)).astype(dtype)
    ends = np.cumsum([int(np.prod(s)) for s in shapes])
    views = [vector[end - int(np.prod(s)) : end].reshape(s) for s, end in zip(shapes, ends)]
    return vector, views


@pytest.mark.parametrize(
    "make",
    [
        lambda: optimizers.Adam(0.01),
        lambda: optimizers.Adam(0.01, amsgrad=True, weight_decay=0.1),
        lambda: optimizers.RMSprop(momentum=0.5, centered=True),
        lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True),
        lambda: optimizers.Adagrad(0.1, clipnorm=0.5),
    ],
)
def test_one_update_of_the_flat_vector_matches_weight_by_weight(make):
    shapes = [(4, 3), (3,), (3, 2), (2,)]
    vector, views = flat(shapes)
    copies = [w.copy() for w in views]
    on_vector, one_by_one = make(), make()
    on_vector.build(views, vector=vector)
    calls = []
    original = on_vector.update_step
    on_vector.update_step = lambda *args: calls.append(args[1]) or original(*args)
    rng = np.random.default_rng(1)
    for _ in range(3):
        grads = [rng.normal(size=s).astype("float32") for s in shapes]
        on_vector.apply_gradients(zip(grads, views))
        one_by_one.apply_gradients(zip(grads, copies))
    assert len(calls) == 3 and all(var is vector for var in calls)  # one update per step
    for a, b in zip(views, copies):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(on_vector.variables, one_by_one.variables):
        np.testing.assert_array_equal(a, b)
    # the slots are views into flat arrays: restoring a state writes through to them
    flat_slots = on_vector._vectors[id(views[0])].slots
    assert all(a.ndim == 1 and a.size == vector.size for a in flat_slots.values())
    on_vector.set_state(one_by_one.get_state(), views)
    for slots in on_vector._slots:
        for array in slots.values():
            assert any(np.shares_memory(array, f) for f in flat_slots.values())


def test_a_vector_registered_after_the_weights_keeps_their_slots():
    # load_model restores the optimizer's slots weight by weight before the first fit
    vector, views = flat([(2, 2), (2,)])
    opt = optimizers.Adam(0.1)
    opt.apply_gradients(zip([np.ones((2, 2), "float32"), np.ones(2, "float32")], views))
    before = [v.copy() for v in opt.variables]
    opt.build(views, vector=vector)
    for a, b in zip(opt.variables, before):
        np.testing.assert_array_equal(a, b)
    assert all(
        np.shares_memory(a, opt._vectors[id(views[0])].slots["momentum"])
        for a in opt.variables[0::2]
    )


def test_weights_that_are_not_the_whole_vector_are_updated_one_by_one():
    vector, views = flat([(3,), (2,)])
    opt = optimizers.Adam()
    opt.build(views, vector=vector)
    calls = []
    original = opt.update_step
    opt.update_step = lambda *args: calls.append(args[1].shape) or original(*args)
    before = vector.copy()
    opt.apply_gradients(zip([None, np.ones(2, "float32")], views))  # a frozen weight, say
    assert calls == [(2,)] and opt.iterations == 1
    np.testing.assert_array_equal(vector[:3], before[:3])
    assert np.all(vector[3:] < before[3:])
    # a single weight (a 2D point in the optimizer explorer) is simply its own update
    point = np.zeros(2)
    optimizers.Adam().apply_gradients([(np.ones(2), point)])
    assert np.all(point < 0)


def test_a_model_trains_its_weights_as_views_into_one_vector():
    set_random_seed(0)
    model = Sequential(
        [
            Input(shape=(3,)),
            Dense(4, activation="relu"),
            BatchNormalization(),
            Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    vector, views = model._flat_weights()
    assert vector.size == sum(v.value.size for v in model.trainable_weights) == 16 + 8 + 10
    assert [v.value for v in model.trainable_weights] == views
    assert all(v.value is view for v, view in zip(model.trainable_weights, views))
    assert all(not np.shares_memory(v.value, vector) for v in model.non_trainable_weights)
    x, y = np.random.default_rng(0).normal(size=(16, 3)), np.arange(16) % 2
    before = vector.copy()
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert not np.array_equal(vector, before)  # the weights moved, inside the vector
    assert all(v.value is view for v, view in zip(model.trainable_weights, views))


def test_weights_of_two_float_types_get_no_flat_vector():
    set_random_seed(0)
    model = Sequential([Input(shape=(3,)), Dense(4, activation="relu"), Dense(1, dtype="float64")])
    model.compile(optimizer="adam", loss="mse")
    assert model._flat_weights() is None  # one flat vector holds one float type
    assert model.layers[1].kernel.dtype == np.float64
