"""Global numeric settings shared by the whole library: float type, epsilon, random generator.

Keras keeps the same three settings in `keras.config`; we keep them here so every module
reads them from one place.
"""

import numpy as np

_FLOATX = "float32"
_EPSILON = 1e-7
_RNG = np.random.default_rng()


def floatx():
    """The default float type of weights and computations ('float32' unless changed)."""
    return _FLOATX


def set_floatx(dtype):
    """Set the default float type: 'float16', 'float32' or 'float64'."""
    global _FLOATX
    if dtype not in ("float16", "float32", "float64"):
        raise ValueError(f"Unknown floatx {dtype!r}: use 'float16', 'float32' or 'float64'.")
    _FLOATX = dtype


def epsilon():
    """The small constant that keeps logs and divisions finite (1e-7, as in Keras)."""
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


def rng():
    """The library's random generator; `dlcourse.utils.set_random_seed` reseeds it."""
    return _RNG


def seed_rng(seed):
    """Replace the library's random generator by a freshly seeded one."""
    global _RNG
    _RNG = np.random.default_rng(seed)


def as_float(x):
    """`x` as a float array: float arrays keep their dtype, anything else becomes floatx."""
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(_FLOATX)


def cast(x, dtype=None):
    """`x` as an array of `dtype` (floatx by default), without copying when it already is."""
    return np.asarray(x, dtype=dtype or _FLOATX)
