import functools
import math

import numpy as np
import pytest

from dlcourse import activations
from dlcourse.gradcheck import check_gradient

ELEMENTWISE = [
    "linear",
    "sigmoid",
    "tanh",
    "relu",
    "relu6",
    "leaky_relu",
    "elu",
    "selu",
    "gelu",
    "silu",
    "hard_sigmoid",
    "hard_silu",
    "softplus",
    "softsign",
    "mish",
    "exponential",
]
KINKS = {
    "relu": [0.0],
    "relu6": [0.0, 6.0],
    "leaky_relu": [0.0],
    "elu": [0.0],
    "selu": [0.0],
    "hard_sigmoid": [-3.0, 3.0],
    "hard_silu": [-3.0, 3.0],
}


def away_from_kinks(name, rng, shape=(4, 5), scale=4.0):
    x = rng.uniform(-scale, scale, size=shape)
    for kink in KINKS.get(name, []):
        x = np.where(np.abs(x - kink) < 0.1, kink + 0.5, x)
    return x


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_gradient_matches_numerical_gradient(name):
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    fn = activations.get(name)
    x = away_from_kinks(name, rng)
    upstream = rng.normal(size=x.shape)
    analytic = activations.gradient(fn, x, fn(x), upstream)
    check_gradient(lambda: np.sum(upstream * fn(x)), analytic, x, tol=1e-7)


@pytest.mark.parametrize(
    "fn",
    [
        functools.partial(activations.relu, negative_slope=0.1, max_value=2.5, threshold=0.5),
        functools.partial(activations.leaky_relu, negative_slope=0.3),
        functools.partial(activations.elu, alpha=0.7),
        functools.partial(activations.gelu, approximate=True),
    ],
)
def test_gradient_of_activations_with_options(fn):
    rng = np.random.default_rng(3)
    x = rng.uniform(-4, 4, size=(6, 3))
    x = np.where(np.min(np.abs(x[..., None] - np.array([0.0, 0.5, 2.5])), -1) < 0.1, 1.3, x)
    upstream = rng.normal(size=x.shape)
    analytic = activations.gradient(fn, x, fn(x), upstream)
    check_gradient(lambda: np.sum(upstream * fn(x)), analytic, x, tol=1e-7)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_gradient_is_the_jacobian_product(name):
    rng = np.random.default_rng(4)
    fn = activations.get(name)
    x = rng.normal(size=(3, 5)) * 3
    upstream = rng.normal(size=x.shape)
    analytic = activations.gradient(fn, x, fn(x), upstream)
    check_gradient(lambda: np.sum(upstream * fn(x)), analytic, x, tol=1e-7)


def test_golden_values():
    a = activations
    assert a.sigmoid(np.array(0.0)) == 0.5
    np.testing.assert_allclose(a.sigmoid(np.array([2.0])), [1 / (1 + math.exp(-2))])
    np.testing.assert_allclose(a.relu(np.array([-2.0, 3.0])), [0.0, 3.0])
    np.testing.assert_allclose(a.leaky_relu(np.array([-2.0, 3.0])), [-0.4, 3.0])
    np.testing.assert_allclose(a.relu(np.array([-2.0, 1.0, 8.0]), max_value=6.0), [0, 1, 6])
    np.testing.assert_allclose(
        a.relu(np.array([-2.0, 0.5, 2.0, 8.0]), negative_slope=0.1, threshold=1.0, max_value=5.0),
        [-0.3, -0.05, 2.0, 5.0],
    )
    np.testing.assert_allclose(
        a.elu(np.array([-1.0, 2.0]), alpha=2.0), [2 * (math.exp(-1) - 1), 2.0]
    )
    np.testing.assert_allclose(
        a.selu(np.array([-1.0, 1.0])),
        [1.0507009873554805 * 1.6732632423543772 * (math.exp(-1) - 1), 1.0507009873554805],
    )
    np.testing.assert_allclose(a.gelu(np.array([1.0])), [0.8413447460685429], rtol=1e-12)
    np.testing.assert_allclose(
        a.gelu(np.array([1.0]), approximate=True), [0.8411919906082768], rtol=1e-12
    )
    np.testing.assert_allclose(a.silu(np.array([1.0])), [1 / (1 + math.exp(-1))])
    assert a.swish is a.silu
    np.testing.assert_allclose(a.hard_sigmoid(np.array([-4.0, 1.0, 4.0])), [0, 1 / 6 + 0.5, 1])
    np.testing.assert_allclose(a.softplus(np.array([0.0])), [math.log(2)])
    np.testing.assert_allclose(a.softsign(np.array([1.0, -3.0])), [0.5, -0.75])
    np.testing.assert_allclose(a.softmax(np.array([[0.0, math.log(3.0)]])), [[0.25, 0.75]])
    np.testing.assert_allclose(
        a.log_softmax(np.array([[0.0, math.log(3.0)]])), [[math.log(0.25), math.log(0.75)]]
    )
    np.testing.assert_allclose(
        a.softmax(np.array([[1.0], [2.0]]), axis=0), [[1 / (1 + math.e)], [math.e / (1 + math.e)]]
    )


def test_derivative_golden_values():
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(
        activations.derivative("sigmoid", x), activations.sigmoid(x) * (1 - activations.sigmoid(x))
    )
    np.testing.assert_allclose(activations.derivative("relu", x), [0, 0, 1])
    np.testing.assert_allclose(activations.derivative("leaky_relu", x), [0.2, 1, 1])
    np.testing.assert_allclose(activations.derivative("tanh", np.array([0.0])), [1.0])
    with pytest.raises(ValueError, match="Jacobian"):
        activations.derivative("softmax", x)


@pytest.mark.parametrize("name", ELEMENTWISE + ["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dtype_is_kept(name, dtype):
    fn = activations.get(name)
    x = np.linspace(-5, 5, 12, dtype=dtype).reshape(3, 4)
    y = fn(x)
    assert y.dtype == dtype
    assert activations.gradient(fn, x, y, np.ones_like(x) * 0.5).dtype == dtype
    if name not in ("softmax", "log_softmax"):
        assert activations.derivative(name, x).dtype == dtype


def test_integer_inputs_become_float32():
    assert activations.relu([1, -2]).dtype == np.float32
    assert activations.softmax([[1, 2]]).dtype == np.float32


@pytest.mark.parametrize(
    "name", [n for n in ELEMENTWISE if n != "exponential"] + ["softmax", "log_softmax"]
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_finite_values_and_gradients_up_to_1e4(name, dtype):
    rng = np.random.default_rng(5)
    x = (
        np.concatenate([[-1e4, 1e4, -1e3, 1e3, -80.0, 80.0, 0.0], rng.uniform(-1e4, 1e4, size=57)])
        .astype(dtype)
        .reshape(8, 8)
    )
    fn = activations.get(name)
    with np.errstate(all="raise"):  # no overflow, no invalid value, anywhere
        with np.errstate(under="ignore"):
            y = fn(x)
            grad = activations.gradient(fn, x, y, rng.normal(size=x.shape).astype(dtype))
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(grad))


def test_sigmoid_and_softmax_saturate_exactly():
    assert activations.sigmoid(np.array([-1e4, 1e4], "float32")).tolist() == [0.0, 1.0]
    np.testing.assert_allclose(activations.softmax(np.array([[1e4, 0.0, -1e4]])), [[1, 0, 0]])


def test_exponential_overflows_to_inf_without_warning():
    with np.errstate(all="raise"):
        assert activations.exponential(np.array([1e4])).tolist() == [np.inf]


def test_get():
    assert activations.get(None) is activations.linear
    assert activations.get("ReLU") is activations.relu
    assert activations.get("swish") is activations.silu
    assert activations.get("silu") is activations.silu
    assert activations.get(activations.tanh) is activations.tanh
    custom = lambda x: x  # noqa: E731
    assert activations.get(custom) is custom


def test_unknown_name_suggests_the_close_one():
    with pytest.raises(ValueError, match=r"Unknown activation 'rleu'\. Did you mean 'relu'\?"):
        activations.get("rleu")
    with pytest.raises(ValueError) as error:
        activations.get("zzzzzz")
    assert "Did you mean" not in str(error.value) and "Known activations:" in str(error.value)


def test_gradient_of_a_custom_activation_is_a_clear_error():
    def my_act(x):
        return x * 2

    with pytest.raises(ValueError, match="my_act.*built-in activation.*Activation layer"):
        activations.gradient(my_act, np.ones(2), np.ones(2), np.ones(2))


def test_serialize():
    assert activations.serialize(activations.relu) == "relu"
    assert activations.serialize(activations.swish) == "silu"
    assert activations.get(activations.serialize(activations.softmax)) is activations.softmax
    with pytest.raises(ValueError, match="built-in"):
        activations.serialize(lambda x: x)
