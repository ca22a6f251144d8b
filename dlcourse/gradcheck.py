"""Numerical gradient checking: the test every hand-written backward pass must pass.

Central differences (f(x + h) - f(x - h)) / 2h approximate each partial derivative with an
error of order h^2; comparing them with the analytic gradient catches almost every
backpropagation bug. Use float64: in float32 the rounding error swamps the difference.
"""

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    """df/dx by central differences, one element of x at a time.

    `f()` takes no argument and returns a scalar computed from `x`; each element of `x` is
    nudged in place and restored, so `f` sees the change through the array it already uses.
    """
    if x.dtype != np.float64:
        raise TypeError(
            f"numerical_gradient needs a float64 array, got {x.dtype}: rounding in lower "
            f"precision swamps the finite difference. Use x = x.astype(np.float64) and "
            f"compute f from that array."
        )
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        f_plus = float(f())
        x[index] = original - eps
        f_minus = float(f())
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """max|a - b| / max(|a| + |b|): scale-free, 0 for identical arrays."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"Cannot compare gradients of shapes {a.shape} and {b.shape}.")
    if a.size == 0:
        return 0.0
    scale = max(float(np.max(np.abs(a) + np.abs(b))), np.finfo(np.float64).tiny)
    return float(np.max(np.abs(a - b))) / scale


def check_gradient(f, analytic_grad, x, tol=1e-6, eps=1e-6):
    """Compare an analytic gradient (array, or function of x) with the numerical one.

    Returns the relative error; raises AssertionError showing the worst element if it is
    above `tol`.
    """
    analytic = analytic_grad(x) if callable(analytic_grad) else analytic_grad
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = numerical_gradient(f, x, eps)
    error = relative_error(analytic, numeric)
    if not error <= tol:  # also catches nan
        worst = np.unravel_index(np.argmax(np.abs(analytic - numeric)), numeric.shape)
        raise AssertionError(
            f"Gradient check failed: relative error {error:.3g} > tol {tol:g}. Worst element "
            f"{tuple(int(i) for i in worst)}: analytic {analytic[worst]:.8g}, numerical "
            f"{numeric[worst]:.8g}."
        )
    return error
