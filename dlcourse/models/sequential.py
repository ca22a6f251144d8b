"""Sequential: a plain stack of layers, each feeding the next."""

from dlcourse._config import serialize
from dlcourse._naming import unique_name
from dlcourse.layers.base import Layer
from dlcourse.layers.input_layer import InputLayer, KerasTensor
from dlcourse.models.model import Model


class Sequential(Model):
    """`Sequential([Dense(100, input_shape=(30,), activation='relu'), Dense(1, ...)])`,
    or start empty and `add()` layers one by one."""

    def __init__(self, layers=None, name=None, trainable=True):
        super().__init__(name=name or unique_name("sequential"), trainable=trainable)
        self._stack = []
        self._input_shape = None  # per sample, without the batch axis
        for layer in layers or []:
            self.add(layer)

    def add(self, layer):
        """Append a layer (or an Input(...) to fix the input shape first)."""
        if isinstance(layer, KerasTensor) and isinstance(layer.node.layer, InputLayer):
            layer = layer.node.layer
        if isinstance(layer, InputLayer):
            if self._stack:
                raise ValueError("An Input can only come first in a Sequential model.")
            self._input_shape = layer.shape
            return
        if not isinstance(layer, Layer):
            raise TypeError(
                f"Sequential.add() takes a layer such as Dense(10); got {type(layer).__name__}."
            )
        if not self._stack and self._input_shape is None and layer._input_shape_arg is not None:
            self._input_shape = layer._input_shape_arg
        self._stack.append(layer)
        if self._input_shape is not None:
            self._build_layers()

    def pop(self):
        """Remove the last layer."""
        if not self._stack:
            raise ValueError("pop() on an empty Sequential model.")
        return self._stack.pop()

    @property
    def layers(self):
        return list(self._stack)

    def _build_layers(self):
        shape = (None,) + tuple(self._input_shape)
        for layer in self._stack:
            layer._maybe_build(shape)
            shape = layer.compute_output_shape(shape)
        self.built = True

    def build(self, input_shape=None):
        if input_shape is not None:
            self._input_shape = tuple(input_shape[1:])
        if self._input_shape is None:
            self._require_built("build()")
        self._build_layers()

    def _n_outputs(self):
        return 1

    @property
    def input_shape(self):
        return None if self._input_shape is None else (None,) + tuple(self._input_shape)

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        for layer in self._stack:
            shape = layer.compute_output_shape(shape)
        return shape

    def call(self, inputs, training=None):
        if self._input_shape is None:
            self._input_shape = tuple(inputs.shape[1:])
        x = inputs
        for layer in self._stack:
            x = layer(x, training=training)
        return x

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "input_shape": list(self._input_shape) if self._input_shape else None,
            "layers": [serialize(layer) for layer in self._stack],
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild from get_config() output (fresh weights), only from known layer classes."""
        from dlcourse import saving

        return saving.sequential_from_config(config, custom_objects, cls)
