"""Initializers: the starting values of weights, as in `keras.initializers`.

Glorot, He and LeCun are all one mechanism, `VarianceScaling`: pick the spread of the
random values from the layer's fan-in/fan-out so that signals keep their size from layer
to layer. An initializer is called with a shape: `GlorotUniform()((784, 128))`.

Randomness: `seed=None` draws from the library generator (`dlcourse.utils.set_random_seed`
makes it reproducible); an integer seed gives the same values at every call, as in Keras 3.
"""

import math

import numpy as np

from dlcourse import backend
from dlcourse._config import Configurable
from dlcourse._config import serialize as serialize  # {'class_name', 'config'}, as Keras
from dlcourse._naming import get_object, lookup

# The standard deviation of a standard normal cut at +-2: dividing by it gives truncated
# normals the intended standard deviation.
_TRUNCATED_NORMAL_STD = 0.87962566103423978


def compute_fans(shape):
    """(fan_in, fan_out) of a weight shape: (in, out) for matrices, (n, n) for vectors.

    For convolution kernels (..., in_channels, out_channels) both are multiplied by the
    receptive field size.
    """
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    receptive_field = math.prod(shape[:-2])
    return int(shape[-2] * receptive_field), int(shape[-1] * receptive_field)


def _shape_tuple(shape):
    return (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)


class Initializer(Configurable):
    """Base class: `__call__(shape, dtype=None)` returns a new array (floatx by default)."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(
            f"{type(self).__name__} must implement __call__(shape, dtype=None)."
        )


class Zeros(Initializer):
    """All zeros (the default for biases)."""

    def __call__(self, shape, dtype=None):
        return np.zeros(_shape_tuple(shape), dtype=dtype or backend.floatx())


class Ones(Initializer):
    """All ones (e.g. BatchNormalization's gamma)."""

    def __call__(self, shape, dtype=None):
        return np.ones(_shape_tuple(shape), dtype=dtype or backend.floatx())


class Constant(Initializer):
    """Every entry equal to `value`."""

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return np.full(_shape_tuple(shape), self.value, dtype=dtype or backend.floatx())

    def get_config(self):
        return {"value": self.value}


class Identity(Initializer):
    """`gain` times the identity matrix (2D shapes only)."""

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = _shape_tuple(shape)
        if len(shape) != 2:
            raise ValueError(f"Identity initializer needs a 2D shape, got {shape}.")
        return self.gain * np.eye(*shape, dtype=dtype or backend.floatx())

    def get_config(self):
        return {"gain": self.gain}


class RandomInitializer(Initializer):
    """Shared seed handling for the random initializers."""

    def __init__(self, seed=None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
            raise ValueError(f"`seed` must be an integer or None, got {seed!r}.")
        self.seed = seed

    def _generator(self):
        if self.seed is None:
            return backend.rng()
        return np.random.default_rng(self.seed)

    def _float_dtype(self, dtype):
        dtype = np.dtype(dtype or backend.floatx())
        if not np.issubdtype(dtype, np.floating):
            raise ValueError(
                f"{type(self).__name__} draws floats: pass a float dtype, got {dtype}."
            )
        return dtype

    def get_config(self):
        return {"seed": self.seed}


def _check_stddev(stddev, owner):
    if not stddev >= 0:
        raise ValueError(f"{owner}: `stddev` must be >= 0, got {stddev!r}.")


def _truncated_standard_normal(rng, shape):
    """Standard normal values; any beyond +-2 are redrawn until all lie within +-2."""
    values = rng.standard_normal(shape)
    outside = np.abs(values) > 2.0
    while outside.any():
        values[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2.0
    return values


class RandomNormal(RandomInitializer):
    """Normal distribution N(mean, stddev**2)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        _check_stddev(stddev, "RandomNormal")
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = self._float_dtype(dtype)
        values = self._generator().normal(self.mean, self.stddev, _shape_tuple(shape))
        return values.astype(dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class TruncatedNormal(RandomInitializer):
    """Normal distribution with values more than 2 stddev from the mean redrawn."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        _check_stddev(stddev, "TruncatedNormal")
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = self._float_dtype(dtype)
        values = _truncated_standard_normal(self._generator(), _shape_tuple(shape))
        return (self.mean + self.stddev * values).astype(dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class RandomUniform(RandomInitializer):
    """Uniform distribution on [minval, maxval)."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = self._float_dtype(dtype)
        values = self._generator().uniform(self.minval, self.maxval, _shape_tuple(shape))
        return values.astype(dtype)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


class VarianceScaling(RandomInitializer):
    """Random values with variance `scale / n`, n = fan_in, fan_out or their average (`mode`).

    distribution "truncated_normal" (cut at 2 stddev, rescaled to keep the variance),
    "untruncated_normal", or "uniform" on [-limit, limit] with limit = sqrt(3 * scale / n).
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        if not scale > 0:
            raise ValueError(f"VarianceScaling: `scale` must be a positive number, got {scale!r}.")
        if mode not in _MODES:
            raise ValueError(f"VarianceScaling: `mode` must be one of {_MODES}, got {mode!r}.")
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(
                f"VarianceScaling: `distribution` must be one of {_DISTRIBUTIONS}, "
                f"got {distribution!r}."
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        super().__init__(seed)

    def _fan(self, shape):
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        return max(1.0, fan)

    def __call__(self, shape, dtype=None):
        dtype = self._float_dtype(dtype)
        shape = _shape_tuple(shape)
        n = self._fan(shape)
        rng = self._generator()
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * self.scale / n)
            values = rng.uniform(-limit, limit, shape)
        elif self.distribution == "untruncated_normal":
            values = math.sqrt(self.scale / n) * rng.standard_normal(shape)
        else:
            stddev = math.sqrt(self.scale / n) / _TRUNCATED_NORMAL_STD
            values = stddev * _truncated_standard_normal(rng, shape)
        return values.astype(dtype)

    def get_config(self):
        return {
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            **super().get_config(),
        }


class GlorotUniform(VarianceScaling):
    """Uniform on +-sqrt(6 / (fan_in + fan_out)) (Xavier): Keras' default for Dense kernels."""

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_avg", "uniform", seed)

    def get_config(self):
        return {"seed": self.seed}


class GlorotNormal(VarianceScaling):
    """Truncated normal with stddev sqrt(2 / (fan_in + fan_out))."""

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed)

    def get_config(self):
        return {"seed": self.seed}


class HeNormal(VarianceScaling):
    """Truncated normal with stddev sqrt(2 / fan_in): suits ReLU layers."""

    def __init__(self, seed=None):
        super().__init__(2.0, "fan_in", "truncated_normal", seed)

    def get_config(self):
        return {"seed": self.seed}


class HeUniform(VarianceScaling):
    """Uniform on +-sqrt(6 / fan_in): suits ReLU layers."""

    def __init__(self, seed=None):
        super().__init__(2.0, "fan_in", "uniform", seed)

    def get_config(self):
        return {"seed": self.seed}


class LecunNormal(VarianceScaling):
    """Truncated normal with stddev sqrt(1 / fan_in): suits SELU layers."""

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_in", "truncated_normal", seed)

    def get_config(self):
        return {"seed": self.seed}


class LecunUniform(VarianceScaling):
    """Uniform on +-sqrt(3 / fan_in)."""

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_in", "uniform", seed)

    def get_config(self):
        return {"seed": self.seed}


class Orthogonal(RandomInitializer):
    """A random orthogonal matrix (orthonormal columns, or rows when wider than tall) times `gain`.

    Shapes with more than two axes are treated as (product of all but the last, last).
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = self._float_dtype(dtype)
        shape = _shape_tuple(shape)
        if len(shape) < 2:
            raise ValueError(f"Orthogonal initializer needs at least a 2D shape, got {shape}.")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        random_matrix = self._generator().standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(random_matrix)
        q *= np.sign(np.diag(r))  # makes the result uniformly distributed over orthogonal matrices
        if rows < cols:
            q = q.T
        return (self.gain * q).reshape(shape).astype(dtype)

    def get_config(self):
        return {"gain": self.gain, **super().get_config()}


_CLASSES = (
    Zeros,
    Ones,
    Constant,
    Identity,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    GlorotUniform,
    GlorotNormal,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
)
_SNAKE_NAMES = {
    "zeros": Zeros,
    "ones": Ones,
    "constant": Constant,
    "identity": Identity,
    "random_normal": RandomNormal,
    "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "he_normal": HeNormal,
    "he_uniform": HeUniform,
    "lecun_normal": LecunNormal,
    "lecun_uniform": LecunUniform,
    "orthogonal": Orthogonal,
    # Keras aliases
    "zero": Zeros,
    "one": Ones,
    "normal": RandomNormal,
    "uniform": RandomUniform,
}
_INITIALIZERS = {**_SNAKE_NAMES, **{cls.__name__: cls for cls in _CLASSES}}


def get(identifier):
    """An initializer from a name ('glorot_uniform' or 'GlorotUniform'), a config dict, a class,
    an instance or any callable `f(shape, dtype=None)`."""
    if identifier is None or isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, str):
        return lookup("initializer", identifier, _INITIALIZERS)()
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if isinstance(identifier, dict):
        return get_object("initializer", identifier, _INITIALIZERS, Initializer)
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret initializer {identifier!r}: pass a name like 'glorot_uniform', "
        f"an initializer such as RandomNormal(stddev=0.01), or a config dict."
    )
