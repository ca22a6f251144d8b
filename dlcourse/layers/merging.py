"""Layers that merge several inputs into one: Concatenate, Add, Multiply, Average."""

import numpy as np

from dlcourse.layers.base import Layer


class Concatenate(Layer):
    """Joins its inputs along `axis` (the last by default)."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def compute_output_shape(self, input_shapes):
        shape = list(input_shapes[0])
        sizes = [s[self.axis] for s in input_shapes]
        shape[self.axis] = None if None in sizes else sum(sizes)
        return tuple(shape)

    def forward(self, inputs, training=False):
        _require_list(self, inputs)
        first = inputs[0].shape
        for x in inputs[1:]:
            other = [d for i, d in enumerate(x.shape) if i != self.axis % x.ndim]
            if x.ndim != len(first) or other != [
                d for i, d in enumerate(first) if i != self.axis % x.ndim
            ]:
                raise ValueError(
                    f"Concatenate '{self.name}' needs inputs whose shapes match except on axis "
                    f"{self.axis}; got {[tuple(t.shape) for t in inputs]}."
                )
        sizes = [x.shape[self.axis] for x in inputs]
        return np.concatenate(inputs, axis=self.axis), sizes

    def backward(self, grad, sizes):
        return np.split(grad, np.cumsum(sizes)[:-1], axis=self.axis), []

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class Add(Layer):
    """Adds its inputs element by element (as in a residual connection)."""

    def compute_output_shape(self, input_shapes):
        return tuple(input_shapes[0])

    def forward(self, inputs, training=False):
        _require_same_shapes(self, inputs)
        return sum(inputs[1:], inputs[0].copy()), len(inputs)

    def backward(self, grad, count):
        return [grad] * count, []


class Average(Add):
    """The element-wise mean of its inputs."""

    def forward(self, inputs, training=False):
        total, count = super().forward(inputs, training)
        return total / count, count

    def backward(self, grad, count):
        return [grad / count] * count, []


class Multiply(Layer):
    """Multiplies its inputs element by element (a gate)."""

    def compute_output_shape(self, input_shapes):
        return tuple(input_shapes[0])

    def forward(self, inputs, training=False):
        _require_same_shapes(self, inputs)
        out = inputs[0].copy()
        for x in inputs[1:]:
            out = out * x
        return out, inputs

    def backward(self, grad, inputs):
        grads = []
        for i in range(len(inputs)):
            g = grad
            for j, x in enumerate(inputs):
                if j != i:
                    g = g * x
            grads.append(g)
        return grads, []


def _require_list(layer, inputs):
    if not isinstance(inputs, list) or len(inputs) < 2:
        raise ValueError(
            f"{type(layer).__name__} '{layer.name}' needs a list of at least two inputs."
        )


def _require_same_shapes(layer, inputs):
    _require_list(layer, inputs)
    shapes = {tuple(x.shape) for x in inputs}
    if len(shapes) > 1:
        raise ValueError(
            f"{type(layer).__name__} '{layer.name}' needs inputs of the same shape; got "
            f"{[tuple(x.shape) for x in inputs]}."
        )
