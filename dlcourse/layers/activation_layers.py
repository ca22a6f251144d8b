"""Activation functions with parameters, as layers: ReLU, LeakyReLU, ELU, Softmax.

Each is an Activation layer whose function has its parameters bound with functools.partial,
so forward and backward go through `dlcourse.activations` like every other activation.
"""

import functools

from dlcourse import activations
from dlcourse.layers.base import Layer
from dlcourse.layers.core import Activation


class _ParametrizedActivation(Activation):
    _function = None

    def __init__(self, name=None, trainable=True, dtype=None, input_shape=None, **params):
        super().__init__(
            functools.partial(self._function, **params),
            name=name,
            trainable=trainable,
            dtype=dtype,
            input_shape=input_shape,
        )
        self.params = params

    def get_config(self):
        # Layer's config, not Activation's: a bound function has no name to save.
        return {**Layer.get_config(self), **self.params}


class ReLU(_ParametrizedActivation):
    """max(x, 0), optionally capped at max_value and leaky below threshold."""

    _function = staticmethod(activations.relu)

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(
            max_value=max_value, negative_slope=negative_slope, threshold=threshold, **kwargs
        )


class LeakyReLU(_ParametrizedActivation):
    """x for x > 0, negative_slope * x below (the layer's default slope is 0.3, as in Keras)."""

    _function = staticmethod(activations.leaky_relu)

    def __init__(self, negative_slope=0.3, **kwargs):
        super().__init__(negative_slope=negative_slope, **kwargs)


class ELU(_ParametrizedActivation):
    """x for x > 0, alpha * (exp(x) - 1) below."""

    _function = staticmethod(activations.elu)

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(alpha=alpha, **kwargs)


class Softmax(_ParametrizedActivation):
    """Turns scores into probabilities along `axis`."""

    _function = staticmethod(activations.softmax)

    def __init__(self, axis=-1, **kwargs):
        super().__init__(axis=axis, **kwargs)
