"""Weight regularizers: penalties added to the loss that pull weights toward zero.

`L2(0.01)` adds `0.01 * sum(w**2)` (weight decay), `L1(0.01)` adds `0.01 * sum(|w|)`
(sparse weights). Each also gives its gradient, which backprop adds to the weight's gradient.
"""

import math

import numpy as np

from dlcourse._config import Configurable
from dlcourse._config import serialize as serialize  # {'class_name', 'config'}, as Keras
from dlcourse._naming import get_object, lookup


def _check_factor(name, value):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValueError(f"`{name}` must be a non-negative number such as 0.01, got {value!r}.")
    return float(value)


class Regularizer(Configurable):
    """Base class: `__call__(w)` -> penalty (float), `gradient(w)` -> d penalty / d w."""

    def __call__(self, w):
        return 0.0

    def gradient(self, w):
        return np.zeros_like(w)


class L1(Regularizer):
    """`l1 * sum(|w|)`; gradient `l1 * sign(w)` (0 at w = 0)."""

    def __init__(self, l1=0.01):
        self.l1 = _check_factor("l1", l1)

    def __call__(self, w):
        return self.l1 * float(np.sum(np.abs(w)))

    def gradient(self, w):
        return self.l1 * np.sign(w)

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """`l2 * sum(w**2)`; gradient `2 * l2 * w`."""

    def __init__(self, l2=0.01):
        self.l2 = _check_factor("l2", l2)

    def __call__(self, w):
        return self.l2 * float(np.sum(np.square(w)))

    def gradient(self, w):
        return (2.0 * self.l2) * w

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """`l1 * sum(|w|) + l2 * sum(w**2)`. Both factors default to 0 in the class, as in Keras."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check_factor("l1", l1)
        self.l2 = _check_factor("l2", l2)

    def __call__(self, w):
        return self.l1 * float(np.sum(np.abs(w))) + self.l2 * float(np.sum(np.square(w)))

    def gradient(self, w):
        return self.l1 * np.sign(w) + (2.0 * self.l2) * w

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


def _l1_l2_from_string():
    """The string 'l1l2' means l1 = l2 = 0.01 (the value Keras documents for it)."""
    return L1L2(l1=0.01, l2=0.01)


_STRINGS = {"l1": L1, "l2": L2, "l1l2": _l1_l2_from_string, "l1_l2": _l1_l2_from_string}
_CLASSES = {"L1": L1, "L2": L2, "L1L2": L1L2}


def get(identifier):
    """A regularizer from 'l1', 'l2', 'l1l2' (factors 0.01), a config dict, an instance,
    or any callable `f(w) -> penalty`."""
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, str):
        return lookup("regularizer", identifier, _STRINGS)()
    if isinstance(identifier, dict):
        return get_object("regularizer", identifier, _CLASSES, Regularizer)
    if isinstance(identifier, type) and issubclass(identifier, Regularizer):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret regularizer {identifier!r}: pass 'l1', 'l2', 'l1l2', "
        f"a regularizer such as L2(0.001), or a config dict."
    )
