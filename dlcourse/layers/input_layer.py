"""Symbolic tensors for the functional API: `Input(shape=...)` and the graph nodes layers add.

Calling a layer on a KerasTensor computes no numbers: it records a Node (layer, inputs) and
returns a new KerasTensor with the output shape. `Model(inputs, outputs)` later walks these nodes
to find the order in which to run the layers.
"""

from dlcourse import backend
from dlcourse.layers.base import Layer


class Node:
    """One call of a layer in a functional graph."""

    def __init__(self, layer, inputs):
        self.layer = layer
        self.inputs = inputs
        self.output = None

    @property
    def input_tensors(self):
        return list(self.inputs) if isinstance(self.inputs, (list, tuple)) else [self.inputs]


class KerasTensor:
    """A placeholder with a shape (batch dimension None) flowing through a functional graph."""

    def __init__(self, shape, node=None, dtype=None, name=None):
        self.shape = tuple(shape)
        self.node = node
        self.dtype = dtype or backend.floatx()
        self.name = name

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, name={self.name or self.node.layer.name}>"


class InputLayer(Layer):
    """The layer behind `Input(...)`: it passes its input through unchanged."""

    def __init__(
        self,
        shape=None,
        batch_size=None,
        name=None,
        dtype=None,
        input_shape=None,
        batch_shape=None,
        **kwargs,
    ):
        super().__init__(name=name, dtype=dtype, **kwargs)
        if shape is None:
            shape = input_shape if input_shape is not None else (batch_shape or (None,))[1:]
        if shape is None or not isinstance(shape, (tuple, list)):
            raise ValueError(
                "Input needs a shape tuple without the batch size, e.g. shape=(30,); "
                f"got {shape!r}."
            )
        self.shape = tuple(shape)
        self.built = True
        self.output = KerasTensor(
            (None,) + self.shape, node=Node(self, []), dtype=self.dtype, name=self.name
        )
        self.output.node.output = self.output

    def forward(self, inputs, training=False):
        return inputs, None

    def backward(self, grad_outputs, cache):
        return grad_outputs, []

    def get_config(self):
        return {"name": self.name, "shape": list(self.shape), "dtype": self.dtype}


def Input(shape=None, batch_size=None, name=None, dtype=None, batch_shape=None):
    """Start a functional model: `x = Input(shape=(30,))` gives a symbolic tensor of that shape."""
    return InputLayer(
        shape=shape, batch_size=batch_size, name=name, dtype=dtype, batch_shape=batch_shape
    ).output
