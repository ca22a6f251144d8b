"""Sequential, functional and subclassed models: structure, gradients through the tape,
Keras counts."""

import numpy as np
import pytest

from dlcourse import backend
from dlcourse.gradcheck import numerical_gradient, relative_error
from dlcourse.layers import (
    Add,
    BatchNormalization,
    Concatenate,
    Dense,
    Dropout,
    Flatten,
    Input,
    Layer,
)
from dlcourse.models import Model, Sequential
from dlcourse.utils import set_random_seed

rng = np.random.default_rng(1)


@pytest.fixture
def float64():
    backend.set_floatx("float64")
    yield
    backend.set_floatx("float32")


def assert_backprop_matches_numerical(model, x, y, tol=1e-6):
    """The library's gradient of the compiled loss equals a central-difference gradient."""
    loss, grads = model.compute_gradients(x, y)
    for variable, grad in zip(model.trainable_weights, grads):

        def objective():
            return model.compute_gradients(x, y)[0]

        numeric = numerical_gradient(objective, variable.value)
        assert relative_error(grad, numeric) < tol, variable.name


def test_sequential_gradients_with_fused_sigmoid_and_l2(float64):
    set_random_seed(0)
    model = Sequential(
        [
            Dense(5, input_shape=(4,), activation="tanh", kernel_regularizer="l2"),
            Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    x, y = rng.normal(size=(6, 4)), rng.integers(0, 2, size=(6, 1))
    assert_backprop_matches_numerical(model, x, y)


def test_sequential_with_batchnorm_and_softmax_sparse_labels(float64):
    set_random_seed(0)
    model = Sequential(
        [
            Input(shape=(3,)),
            Dense(6, activation="relu"),
            BatchNormalization(),
            Dense(4, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    x, y = rng.normal(size=(8, 3)), rng.integers(0, 4, size=8)
    assert_backprop_matches_numerical(model, x, y)


def test_functional_branch_two_inputs_two_outputs(float64):
    set_random_seed(0)
    a, b = Input(shape=(3,), name="a"), Input(shape=(2,), name="b")
    h = Dense(4, activation="tanh")(b)
    merged = Concatenate()([a, h])
    main = Dense(1, activation="sigmoid", name="main")(merged)
    aux = Dense(2, name="aux")(h)
    model = Model(inputs=[a, b], outputs=[main, aux])
    model.compile(
        optimizer="sgd",
        loss={"main": "binary_crossentropy", "aux": "mse"},
        loss_weights={"main": 1.0, "aux": 0.3},
    )
    x = [rng.normal(size=(5, 3)), rng.normal(size=(5, 2))]
    y = [rng.integers(0, 2, size=(5, 1)), rng.normal(size=(5, 2))]
    assert_backprop_matches_numerical(model, x, y)
    logs = model.evaluate(x, y, return_dict=True, verbose=0)
    assert list(logs) == ["aux_loss", "loss", "main_loss"]  # sorted by name, as Keras returns
    # As in Keras, each output's loss is logged unweighted; only the total uses loss_weights.
    assert logs["loss"] == pytest.approx(logs["main_loss"] + 0.3 * logs["aux_loss"], rel=1e-12)
    assert logs["aux_loss"] == pytest.approx(np.mean((model.predict(x)[1] - y[1]) ** 2), rel=1e-9)
    assert model.compute_gradients(x, y)[0] == pytest.approx(logs["loss"], rel=1e-9)


def test_shared_layer_called_twice_sums_both_gradients(float64):
    set_random_seed(0)
    shared = Dense(3, activation="tanh")
    inp = Input(shape=(3,))
    out = Dense(1)(Add()([shared(inp), shared(shared(inp))]))
    model = Model(inp, out)
    model.compile(optimizer="sgd", loss="mse")
    assert len(model.trainable_weights) == 4  # shared kernel and bias counted once
    assert_backprop_matches_numerical(model, rng.normal(size=(4, 3)), rng.normal(size=(4, 1)))


class TwoTower(Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = Dense(4, activation="relu")
        self.drop = Dropout(0.0)
        self.out = Dense(3, activation="softmax")

    def call(self, inputs, training=None):
        h = self.hidden(inputs)
        return self.out(self.drop(h, training=training))


def test_subclassed_model_gradients_and_layer_tracking(float64):
    set_random_seed(0)
    model = TwoTower()
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    x = rng.normal(size=(6, 5)) + 0.3
    y = np.eye(3)[rng.integers(0, 3, size=6)]
    assert_backprop_matches_numerical(model, x, y)
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Dropout", "Dense"]
    assert model.count_params() == 5 * 4 + 4 + 4 * 3 + 3


class Scale(Layer):
    """A learner's own layer, y = x * w (one weight per feature), with its backward pass."""

    def build(self, input_shape):
        self.w = self.add_weight("w", (input_shape[-1],), "ones")

    def forward(self, x, training=False):
        return x * self.w.value, x

    def backward(self, grad, x):
        return grad * self.w.value, [np.sum(grad * x, axis=0)]


class ForgetsItsWeight(Scale):
    def backward(self, grad, x):
        return grad * self.w.value, []  # no gradient for w: w would silently stay frozen


class WeightGradientOfTheWrongShape(Scale):
    def backward(self, grad, x):
        return grad * self.w.value, [grad * x]  # per sample: not summed over the batch


class InputGradientOfTheWrongShape(Scale):
    def backward(self, grad, x):
        return np.sum(grad * self.w.value, axis=0), [np.sum(grad * x, axis=0)]


def test_a_layer_of_ones_own_trains_through_its_backward(float64):
    set_random_seed(0)
    model = Sequential([Input(shape=(3,)), Dense(4, activation="tanh"), Scale(), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    assert_backprop_matches_numerical(model, rng.normal(size=(5, 3)), rng.normal(size=(5, 1)))


@pytest.mark.parametrize(
    "layer_class, message",
    [
        (ForgetsItsWeight, r"weight gradients of shapes \[none\].*weights \[\(4,\)\]"),
        (WeightGradientOfTheWrongShape, r"weight gradients of shapes \[\(5, 4\)\]"),
        (InputGradientOfTheWrongShape, r"input gradients of shapes \[\(4,\)\]"),
    ],
)
def test_a_backward_that_breaks_the_contract_gets_an_error_naming_the_layer(layer_class, message):
    set_random_seed(0)
    middle = Dense(4, activation="tanh")
    model = Sequential([Input(shape=(3,)), middle, layer_class(name="my_scale"), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    before = model.get_weights()
    x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 1))
    with pytest.raises(ValueError, match=f"{layer_class.__name__} 'my_scale'.*{message}"):
        model.fit(x, y, batch_size=5, verbose=0)
    for a, b in zip(before, model.get_weights()):  # nothing was updated
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="one gradient per input and one per weight"):
        model.compute_gradients(x, y)


def test_numpy_arithmetic_between_layers_gets_a_clear_error():
    class Broken(Model):
        def __init__(self):
            super().__init__()
            self.a, self.b = Dense(2), Dense(1)

        def call(self, x):
            return self.b(self.a(x) * 2.0)

    model = Broken()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(RuntimeError, match="backpropagates through layers only"):
        model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)


# ----- seed 002's five functional examples and MyModel: Keras's parameter counts ----------


def seed_002_models():
    inputs = Input(shape=(28, 28, 1))
    x = Flatten(input_shape=(28, 28, 1))(inputs)
    x = Dense(200, activation="relu")(x)
    x = Dense(100, activation="relu")(x)
    x = Dense(10, activation="softmax")(x)
    yield "mnist", Model(inputs=inputs, outputs=x), 178_110

    input_layer = Input(shape=(28, 28))
    hidden1 = Dense(100, activation="relu")(input_layer)
    hidden2 = Dense(30, activation="relu")(hidden1)
    concat = Concatenate()([input_layer, hidden2])
    output = Dense(1)(concat)
    yield "branch", Model(inputs=[input_layer], outputs=[output]), 5_989

    input_1 = Input(shape=(10, 10), name="input_1")
    input_2 = Input(shape=(10, 28), name="input_2")
    hidden1 = Dense(100, activation="relu")(input_2)
    hidden2 = Dense(10, activation="relu")(hidden1)
    concat = Concatenate()([input_1, hidden2])
    output = Dense(1, activation="sigmoid")(concat)
    yield "two_inputs", Model(inputs=[input_1, input_2], outputs=[output]), 3_931

    input_ = Input(shape=(10, 10), name="input_")
    hidden1 = Dense(100, activation="relu")(input_)
    hidden2 = Dense(10, activation="relu")(hidden1)
    output = Dense(1, activation="sigmoid", name="main_output")(hidden2)
    sub_out = Dense(1, name="sum_output")(hidden2)
    yield "two_outputs", Model(inputs=[input_], outputs=[output, sub_out]), 2_132

    input_1 = Input(shape=(10, 10), name="input_1")
    input_2 = Input(shape=(10, 28), name="input_2")
    hidden1 = Dense(100, activation="relu")(input_2)
    hidden2 = Dense(10, activation="relu")(hidden1)
    concat = Concatenate()([input_1, hidden2])
    output = Dense(1, activation="sigmoid", name="main_output")(concat)
    sub_out = Dense(1, name="sum_output")(hidden2)
    yield "two_in_two_out", Model(inputs=[input_1, input_2], outputs=[output, sub_out]), 3_942


def data_for(model, n=16):
    xs = [rng.normal(size=(n,) + t.shape[1:]) for t in model.inputs]
    ys = [rng.integers(0, 2, size=(n,) + t.shape[1:]).astype(float) for t in model.outputs]
    if model.outputs[0].shape[-1] == 10:
        ys = [rng.integers(0, 10, size=n)]
    return (xs if len(xs) > 1 else xs[0]), (ys if len(ys) > 1 else ys[0])


@pytest.mark.parametrize(
    "name, model, params", list(seed_002_models()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_seed_002_functional_models_count_and_train(name, model, params):
    set_random_seed(0)
    assert model.count_params() == params
    losses = (
        ["sparse_categorical_crossentropy"]
        if name == "mnist"
        else [
            ("binary_crossentropy" if t.node.layer.activation.__name__ == "sigmoid" else "mse")
            for t in model.outputs
        ]
    )
    model.compile(optimizer="adam", loss=losses if len(losses) > 1 else losses[0])
    x, y = data_for(model)
    history = model.fit(x, y, epochs=15, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


class MyModel(Model):  # seed 002, verbatim but for the import
    def __init__(self, units=30, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.dense_layer1 = Dense(300, activation=activation)
        self.dense_layer2 = Dense(100, activation=activation)
        self.dense_layer3 = Dense(units, activation=activation)
        self.output_layer = Dense(10, activation="softmax")

    def call(self, inputs):
        x = self.dense_layer1(inputs)
        x = self.dense_layer2(x)
        x = self.dense_layer3(x)
        x = self.output_layer(x)
        return x


def test_seed_002_subclassed_model_counts_and_trains():
    set_random_seed(0)
    model = MyModel()
    with pytest.raises(ValueError, match="input shape is unknown"):
        model.summary()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = rng.normal(size=(64, 784)), rng.integers(0, 10, size=64)
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert model.count_params() == 784 * 300 + 300 + 300 * 100 + 100 + 100 * 30 + 30 + 310
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert set(history.history) == {"loss", "accuracy"}


# ----- structure API ---------------------------------------------------------------------


def test_sequential_add_layers_get_layer_and_weights_shapes():
    model = Sequential()
    model.add(Dense(100, input_shape=(30,), activation="relu"))
    model.add(Dense(24, activation="relu"))
    model.add(Dense(1, activation="sigmoid"))
    assert model.count_params() == 5_549
    assert len(model.layers) == 3
    first = model.layers[0]
    assert model.get_layer(name=first.name) is first
    assert model.get_layer(index=-1) is model.layers[2]
    assert [w.shape for w in model.get_weights()] == [
        (30, 100),
        (100,),
        (100, 24),
        (24,),
        (24, 1),
        (1,),
    ]
    with pytest.raises(ValueError, match="Did you mean"):
        model.get_layer(name=first.name + "x")


def test_summary_prints_keras_table(capsys):
    model = Sequential(
        [
            Dense(100, input_shape=(30,), activation="relu"),
            BatchNormalization(),
            Dense(1, activation="sigmoid"),
        ]
    )
    model.summary()
    text = capsys.readouterr().out
    assert "Output Shape" in text and "(None, 100)" in text
    assert "Total params: 3,601" in text
    assert "Trainable params: 3,401" in text
    assert "Non-trainable params: 200" in text


def test_set_weights_on_model_checks_count():
    model = Sequential([Dense(2, input_shape=(3,))])
    with pytest.raises(ValueError, match="expects 2 weight arrays"):
        model.set_weights([np.zeros((3, 2))])


def test_the_tape_of_a_training_call_lists_each_step_with_its_shapes_and_cache():
    from dlcourse import tape

    set_random_seed(0)
    model = Sequential([Input(shape=(3,)), Dense(4, activation="relu"), Dense(2)])
    x = rng.normal(size=(5, 3)).astype("float32")
    with tape.recording() as recorded:
        model(x, training=True)
    dense, relu, out = recorded.records
    assert [r.name for r in recorded.records] == [
        model.layers[0].name,
        f"{model.layers[0].name}/relu",
        model.layers[1].name,
    ]
    assert dense.input_shapes == [(5, 3)] and dense.output_shape == (5, 4)
    assert dense.cache is x and relu.inputs is dense.output and out.inputs is relu.output
    assert dense.weights == [model.layers[0].kernel, model.layers[0].bias] and relu.weights == []
    np.testing.assert_array_equal(relu.output, np.maximum(dense.output, 0))
    assert "Record" in repr(dense) and "(5, 3) -> (5, 4)" in repr(dense)
    assert recorded.producer(out.output) is out and recorded.producer(x) is None
