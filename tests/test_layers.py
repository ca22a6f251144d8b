"""Every layer's backward pass against a float64 numerical gradient (random upstream gradient)."""

import numpy as np
import pytest

from dlcourse import backend
from dlcourse.gradcheck import numerical_gradient, relative_error
from dlcourse.layers import (
    ELU,
    Activation,
    Add,
    Average,
    BatchNormalization,
    Concatenate,
    Dense,
    Dropout,
    Flatten,
    LeakyReLU,
    Multiply,
    ReLU,
    Reshape,
    Softmax,
)


@pytest.fixture(autouse=True)
def float64():
    backend.set_floatx("float64")
    yield
    backend.set_floatx("float32")


def forward(layer, inputs, training):
    """The layer's steps as a training call runs them: `forward`, then its activation step
    (a Dense layer's activation), if any. Returns the output and each step's cache."""
    steps = [layer] + ([layer.activation_step] if layer.activation_step else [])
    caches = []
    for step in steps:
        inputs, cache = step.forward(inputs, training=training)
        caches.append(cache)
    return inputs, caches


def backward(layer, grad, caches):
    """The steps' backward passes in reverse order: (input gradients, the layer's weight grads)."""
    if layer.activation_step:
        grad, no_weights = layer.activation_step.backward(grad, caches[1])
        assert no_weights == []
    return layer.backward(grad, caches[0])


def check_layer(layer, inputs, training=True, before_forward=lambda: None, tol=1e-6):
    """Compare input and weight gradients of sum(upstream * layer(inputs)) with numerical ones."""
    rng = np.random.default_rng(7)
    before_forward()
    outputs, caches = forward(layer, inputs, training)
    upstream = rng.normal(size=outputs.shape)

    def objective():
        before_forward()
        return float(np.sum(forward(layer, inputs, training)[0] * upstream))

    grad_inputs, grad_weights = backward(layer, upstream, caches)
    input_list = inputs if isinstance(inputs, list) else [inputs]
    grad_list = grad_inputs if isinstance(inputs, list) else [grad_inputs]
    for x, g in zip(input_list, grad_list):
        assert relative_error(g, numerical_gradient(objective, x)) < tol
    for variable, g in zip(layer.differentiable_weights, grad_weights):
        assert relative_error(g, numerical_gradient(objective, variable.value)) < tol
    assert len(grad_weights) == len(layer.differentiable_weights)


def build(layer, shape):
    layer._maybe_build((None,) + shape[1:] if not isinstance(shape, list) else shape)
    return layer


rng = np.random.default_rng(0)


@pytest.mark.parametrize(
    "activation", ["linear", "relu", "sigmoid", "tanh", "softmax", "elu", "swish"]
)
def test_dense_gradients(activation):
    x = rng.normal(size=(5, 4)) + 0.1
    check_layer(build(Dense(3, activation=activation), x.shape), x)


def test_dense_on_three_dimensional_input_applies_to_last_axis():
    x = rng.normal(size=(2, 10, 28))
    layer = build(Dense(6, activation="tanh"), x.shape)
    out = layer(x)
    assert out.shape == (2, 10, 6)
    np.testing.assert_allclose(out[1, 3], np.tanh(x[1, 3] @ layer.kernel.value + layer.bias.value))
    check_layer(layer, x)


def test_dense_without_bias_has_only_a_kernel():
    layer = build(Dense(3, use_bias=False), (None, 4))
    assert [v.name.split("/")[-1] for v in layer.weights] == ["kernel"]
    check_layer(layer, rng.normal(size=(4, 4)))


@pytest.mark.parametrize(
    "layer",
    [
        Activation("sigmoid"),
        ReLU(),
        LeakyReLU(),
        ELU(alpha=0.5),
        Softmax(),
        Flatten(),
        Reshape((3, 2)),
    ],
)
def test_weightless_layers(layer):
    x = rng.normal(size=(4, 6)) + 0.05
    check_layer(layer, x)


def test_leaky_relu_layer_default_slope_is_keras_0_3():
    out, _ = LeakyReLU().forward(np.array([[-1.0, 2.0]]))
    np.testing.assert_allclose(out, [[-0.3, 2.0]])


@pytest.mark.parametrize("training", [True, False])
def test_batch_normalization_gradients(training):
    x = rng.normal(loc=3.0, scale=2.0, size=(8, 5))
    layer = build(BatchNormalization(), x.shape)
    layer.gamma.value[...] = rng.normal(size=5)
    layer.beta.value[...] = rng.normal(size=5)
    layer.moving_variance.value[...] = rng.uniform(0.5, 2.0, size=5)
    check_layer(layer, x, training=training)


def test_batch_normalization_on_an_inner_axis():
    x = rng.normal(size=(4, 3, 5))
    check_layer(build(BatchNormalization(axis=1), x.shape), x)


def test_batch_normalization_training_statistics_and_moving_average():
    x = rng.normal(loc=2.0, scale=3.0, size=(64, 2))
    layer = build(BatchNormalization(momentum=0.9), x.shape)
    out, _ = layer.forward(x, training=True)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=0), x.var(axis=0) / (x.var(axis=0) + 1e-3))
    np.testing.assert_allclose(layer.moving_mean.value, 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(layer.moving_variance.value, 0.9 + 0.1 * x.var(axis=0))
    inference, _ = layer.forward(x, training=False)
    expected = (x - layer.moving_mean.value) / np.sqrt(layer.moving_variance.value + 1e-3)
    np.testing.assert_allclose(inference, expected)


def test_frozen_batch_normalization_runs_in_inference_mode():
    from dlcourse.models import Sequential

    model = Sequential([BatchNormalization(input_shape=(2,))])
    model.layers[0].trainable = False
    model.compile(optimizer="sgd", loss="mse")
    x = rng.normal(loc=5, size=(16, 2))
    model.fit(x, x, epochs=1, verbose=0)
    np.testing.assert_allclose(model.layers[0].moving_mean.value, 0)
    assert model.trainable_weights == []


def test_dropout_gradient_with_a_fixed_mask():
    layer = Dropout(0.4)
    x = rng.normal(size=(6, 5))
    check_layer(layer, x, before_forward=lambda: backend.seed_rng(3))


def test_dropout_scales_kept_units_and_is_identity_at_inference():
    backend.seed_rng(0)
    x = np.ones((2000, 50))
    out, mask = Dropout(0.25).forward(x, training=True)
    kept = out != 0
    assert abs(kept.mean() - 0.75) < 0.01
    np.testing.assert_allclose(out[kept], 1 / 0.75)
    assert Dropout(0.25).forward(x, training=False)[0] is x
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        Dropout(1.0)


@pytest.mark.parametrize("layer_cls", [Add, Average, Multiply])
def test_elementwise_merges(layer_cls):
    xs = [rng.normal(size=(3, 4)) for _ in range(3)]
    check_layer(layer_cls(), xs)


def test_concatenate_gradient_and_shape_error():
    xs = [rng.normal(size=(3, 2)), rng.normal(size=(3, 5))]
    check_layer(Concatenate(), xs)
    with pytest.raises(ValueError, match="match except on axis"):
        Concatenate().forward([rng.normal(size=(3, 2)), rng.normal(size=(4, 2))])


def test_names_auto_number_like_keras():
    from dlcourse.utils import clear_session

    clear_session()
    assert [Dense(1).name, Dense(1).name, BatchNormalization().name] == [
        "dense",
        "dense_1",
        "batch_normalization",
    ]


def test_set_weights_checks_count_and_shapes():
    layer = build(Dense(3), (None, 4))
    with pytest.raises(ValueError, match="expects 2 weight arrays"):
        layer.set_weights([np.zeros((4, 3))])
    with pytest.raises(ValueError, match=r"has shape \(4, 3\).*\(3, 4\)"):
        layer.set_weights([np.zeros((3, 4)), np.zeros(3)])
    layer.set_weights([np.ones((4, 3)), np.arange(3.0)])
    np.testing.assert_array_equal(layer.get_weights()[1], [0, 1, 2])


def test_dense_rejects_bad_units_and_unknown_activation():
    with pytest.raises(ValueError, match="positive integer"):
        Dense(0)
    with pytest.raises(ValueError, match="Did you mean 'relu'"):
        Dense(3, activation="rleu")


def test_plain_function_regularizer_is_rejected_with_a_fix():
    layer = Dense(2, kernel_regularizer=lambda w: 0.1 * np.sum(w**2))
    with pytest.raises(ValueError, match="no gradient.*subclass"):
        build(layer, (None, 3))
