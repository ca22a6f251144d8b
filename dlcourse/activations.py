"""Activation functions, their derivatives, and lookup by name (Keras 3 `keras.activations`).

Each activation is a plain function of a NumPy array that keeps the array's float dtype.
Backpropagation goes through `gradient(fn, x, y, dy)`, which reuses the forward output `y`
where it can (sigmoid' = y(1 - y)), because that is cheaper than recomputing `fn(x)`.
"""

import functools
import math

import numpy as np

from ._naming import get_object
from .backend import as_float

_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


# ---------------------------------------------------------------- activations


def linear(x):
    """Identity: the output layer of a regression model."""
    return as_float(x)


def sigmoid(x):
    """1 / (1 + exp(-x)), computed from exp(-|x|) so it never overflows."""
    x = as_float(x)
    e = np.exp(-np.abs(x))  # in (0, 1]: cannot overflow; exp(-x) for x >= 0, exp(x) below
    return np.where(x >= 0, 1, e) / (1 + e)  # 1 / (1 + exp(-x)) = exp(x) / (exp(x) + 1)


def tanh(x):
    """Hyperbolic tangent: like sigmoid but centred on 0, range (-1, 1)."""
    return np.tanh(as_float(x))


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """max(x, 0), with Keras's options: a slope below `threshold`, a cap at `max_value`."""
    x = as_float(x)
    if threshold == 0:
        y = np.maximum(x, 0)
    else:
        y = np.where(x > threshold, x, 0).astype(x.dtype, copy=False)
    if max_value is not None:
        y = y.clip(0, max_value)
    if negative_slope != 0:
        y = y + negative_slope * np.minimum(x - threshold, 0)
    return y


def relu6(x):
    """relu capped at 6."""
    return relu(x, max_value=6.0)


def leaky_relu(x, negative_slope=0.2):
    """x for x >= 0, negative_slope * x below: negative inputs keep a small gradient."""
    x = as_float(x)
    return np.where(x >= 0, x, negative_slope * x).astype(x.dtype, copy=False)


def elu(x, alpha=1.0):
    """x for x > 0, alpha * (exp(x) - 1) below: smooth, saturates at -alpha."""
    x = as_float(x)
    negative = alpha * np.expm1(np.minimum(x, 0))  # minimum: no exp of large positive x
    return np.where(x > 0, x, negative).astype(x.dtype, copy=False)


def selu(x):
    """Scaled elu with the constants that keep activations normalised (Klambauer et al.)."""
    return (_SELU_SCALE * elu(x, _SELU_ALPHA)).astype(as_float(x).dtype, copy=False)


def _erf(x):
    # NumPy has no erf; SciPy (installed with scikit-learn) is imported only when needed.
    from scipy.special import erf

    return erf(x)


def gelu(x, approximate=False):
    """x * P(N(0,1) <= x): the exact form uses erf, the approximate one tanh (as in BERT)."""
    x = as_float(x)
    if approximate:
        inner = _SQRT_2_OVER_PI * (x + 0.044715 * x**3)
        y = 0.5 * x * (1 + np.tanh(inner))
    else:
        y = 0.5 * x * (1 + _erf(x * _INV_SQRT_2))
    return y.astype(x.dtype, copy=False)


def silu(x):
    """x * sigmoid(x), also called swish."""
    x = as_float(x)
    return x * sigmoid(x)


swish = silu


def hard_sigmoid(x):
    """Piecewise-linear sigmoid: clip(x / 6 + 0.5, 0, 1)."""
    x = as_float(x)
    return (x / 6 + 0.5).clip(0, 1)


def hard_silu(x):
    """x * hard_sigmoid(x): a cheap swish."""
    x = as_float(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def softplus(x):
    """log(1 + exp(x)), computed as logaddexp(0, x) so it never overflows."""
    x = as_float(x)
    return np.logaddexp(0, x).astype(x.dtype, copy=False)


def softsign(x):
    """x / (|x| + 1)."""
    x = as_float(x)
    return x / (np.abs(x) + 1)


def mish(x):
    """x * tanh(softplus(x))."""
    x = as_float(x)
    return x * np.tanh(softplus(x))


def exponential(x):
    """exp(x). Unbounded: returns inf (without a warning) once exp overflows, as Keras does."""
    x = as_float(x)
    with np.errstate(over="ignore"):
        return np.exp(x)


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along `axis`: a probability distribution over classes.

    The maximum is subtracted first: the result is the same and exp never overflows.
    """
    x = as_float(x)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    """log(softmax(x)), computed without taking the log of a tiny probability."""
    x = as_float(x)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


# ---------------------------------------------------------------- derivatives
# Each takes the input x and the output y = fn(x) and returns dy/dx elementwise (relu's is
# True/False, which multiplies as 1/0).


def _relu_derivative(x, y, negative_slope=0.0, max_value=None, threshold=0.0):
    passes = x > threshold  # True (1) where x passes through, False (0) elsewhere
    if max_value is not None:
        passes &= (x > 0) & (x < max_value)
    if negative_slope != 0:
        return passes + (negative_slope * (x < threshold)).astype(x.dtype)
    return passes


def _leaky_relu_derivative(x, y, negative_slope=0.2):
    return np.where(x >= 0, 1, negative_slope).astype(x.dtype)


def _elu_derivative(x, y, alpha=1.0):
    return np.where(x > 0, 1, y + alpha).astype(x.dtype)  # alpha*exp(x) = y + alpha


def _selu_derivative(x, y):
    return np.where(x > 0, _SELU_SCALE, y + _SELU_SCALE * _SELU_ALPHA).astype(x.dtype)


def _gelu_derivative(x, y, approximate=False):
    if approximate:
        inner = _SQRT_2_OVER_PI * (x + 0.044715 * x**3)
        t = np.tanh(inner)
        d_inner = _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x**2)
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * d_inner
    cdf = 0.5 * (1 + _erf(x * _INV_SQRT_2))
    pdf = _INV_SQRT_2PI * np.exp(-0.5 * x * x)
    return (cdf + x * pdf).astype(x.dtype, copy=False)


def _silu_derivative(x, y):
    s = sigmoid(x)
    return s * (1 + x * (1 - s))


def _hard_sigmoid_derivative(x, y):
    return ((x > -3) & (x < 3)).astype(x.dtype) / 6


def _hard_silu_derivative(x, y):
    return hard_sigmoid(x) + x * _hard_sigmoid_derivative(x, y)


def _mish_derivative(x, y):
    t = np.tanh(softplus(x))
    return t + x * sigmoid(x) * (1 - t * t)


_DERIVATIVES = {
    linear: lambda x, y: np.ones_like(x),
    sigmoid: lambda x, y: y * (1 - y),
    tanh: lambda x, y: 1 - y * y,
    relu: _relu_derivative,
    relu6: lambda x, y: _relu_derivative(x, y, max_value=6.0),
    leaky_relu: _leaky_relu_derivative,
    elu: _elu_derivative,
    selu: _selu_derivative,
    gelu: _gelu_derivative,
    silu: _silu_derivative,
    hard_sigmoid: _hard_sigmoid_derivative,
    hard_silu: _hard_silu_derivative,
    softplus: lambda x, y: sigmoid(x),
    softsign: lambda x, y: 1 / (1 + np.abs(x)) ** 2,
    mish: _mish_derivative,
    exponential: lambda x, y: y,
}

_ALL = {
    "linear": linear,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "relu6": relu6,
    "leaky_relu": leaky_relu,
    "elu": elu,
    "selu": selu,
    "gelu": gelu,
    "silu": silu,
    "swish": swish,
    "hard_sigmoid": hard_sigmoid,
    "hard_silu": hard_silu,
    "hard_swish": hard_swish,
    "softplus": softplus,
    "softsign": softsign,
    "mish": mish,
    "exponential": exponential,
    "softmax": softmax,
    "log_softmax": log_softmax,
}


def _unwrap(fn):
    """(function, keyword arguments) for `fn`, seeing through functools.partial."""
    if isinstance(fn, functools.partial) and not fn.args:
        return fn.func, dict(fn.keywords)
    return fn, {}


def _unknown_callable_error(fn):
    name = getattr(fn, "__name__", repr(fn))
    return ValueError(
        f"Cannot backpropagate through the custom activation {name!r}: its derivative is "
        f"unknown. Use a built-in activation ({', '.join(sorted(_ALL))}) or an "
        f"Activation layer with a built-in name."
    )


def gradient(fn, x, y, dy, axis=-1):
    """dLoss/dx given x, the output y = fn(x) and the upstream gradient dy = dLoss/dy."""
    fn = fn if callable(fn) else get(fn)
    func, kwargs = _unwrap(fn)
    x, dy = as_float(x), np.asarray(dy)
    if func is softmax:
        axis = kwargs.get("axis", axis)
        return y * (dy - np.sum(dy * y, axis=axis, keepdims=True))
    if func is log_softmax:
        axis = kwargs.get("axis", axis)
        return dy - softmax(x, axis=axis) * np.sum(dy, axis=axis, keepdims=True)
    if func not in _DERIVATIVES:
        raise _unknown_callable_error(fn)
    return dy * _DERIVATIVES[func](x, y, **kwargs)


def derivative(name_or_fn, x):
    """Elementwise derivative fn'(x), e.g. to plot an activation next to its slope."""
    fn = get(name_or_fn)
    func, kwargs = _unwrap(fn)
    if func in (softmax, log_softmax):
        raise ValueError(
            f"{func.__name__} has no elementwise derivative: each output depends on every "
            f"input of its row, so its derivative is a Jacobian matrix. Use "
            f"gradient({func.__name__}, x, y, dy) to backpropagate an upstream gradient dy."
        )
    if func not in _DERIVATIVES:
        raise _unknown_callable_error(fn)
    x = as_float(x)
    return _DERIVATIVES[func](x, fn(x), **kwargs).astype(x.dtype, copy=False)


def get(identifier):
    """An activation function from a name ('relu'), a function, or None (linear)."""
    if identifier is None:
        return linear
    return get_object("activation", identifier, _ALL)


def serialize(fn):
    """The name under which a built-in activation is saved ('swish' is saved as 'silu')."""
    func, kwargs = _unwrap(fn)
    for name, known in _ALL.items():
        if known is func and not kwargs:
            return name
    raise ValueError(
        f"Cannot save the activation {getattr(fn, '__name__', fn)!r} by name: only built-in "
        f"activations can be saved. Use one of: {', '.join(sorted(_ALL))}."
    )
