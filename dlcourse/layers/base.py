"""The Layer base class: weights, names, and the forward/backward contract every layer follows.

A layer computes `forward(inputs, training) -> (outputs, cache)` and, given the gradient of the
loss with respect to its outputs, `backward(grad_outputs, cache) -> (grad_inputs, grad_weights)`:
one gradient per input, shaped like it, and one per weight in `differentiable_weights`, shaped
like that weight. The cache carries what backward needs (inputs, intermediate values) from the
forward pass; it is kept on the tape (dlcourse/tape.py), not on the layer, so a layer called
twice in one pass stays correct.
"""

import warnings

import numpy as np

from dlcourse import backend, initializers, regularizers, tape
from dlcourse._naming import to_snake_case, unique_name


class Variable:
    """A named weight array, `variable.value`. Training updates the array in place.

    When a model is compiled (or first trained), its trainable weights move into one flat
    vector of the model's and each `value` becomes a view into it (see Model.flat_weights):
    hold the Variable, or copy its values with `numpy()`, rather than its array.
    """

    def __init__(self, value, name, trainable=True, regularizer=None):
        self.value = value
        self.name = name
        self.trainable = trainable
        self.regularizer = regularizer

    @property
    def shape(self):
        return self.value.shape

    @property
    def dtype(self):
        return self.value.dtype

    def numpy(self):
        return self.value.copy()

    def assign(self, new_value):
        new_value = np.asarray(new_value)
        if new_value.shape != self.value.shape:
            raise ValueError(
                f"Cannot assign a value of shape {new_value.shape} to weight '{self.name}' "
                f"of shape {self.value.shape}."
            )
        self.value[...] = new_value

    def __array__(self, dtype=None, copy=None):
        return self.value if dtype is None else self.value.astype(dtype)

    def __repr__(self):
        return f"<Variable '{self.name}' shape={self.shape} dtype={self.dtype}>"


# Keras 3's words, so that a learner meets the same advice in both libraries.
INPUT_SHAPE_WARNING = (
    "Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential "
    "models, prefer using an `Input(shape)` object as the first layer in the model instead."
)


class Layer:
    """Base class of all layers (and of Model)."""

    def __init__(
        self,
        name=None,
        trainable=True,
        dtype=None,
        input_shape=None,
        input_dim=None,
        batch_size=None,
        **kwargs,
    ):
        if kwargs:
            unknown = ", ".join(sorted(kwargs))
            raise TypeError(f"{type(self).__name__} got unexpected keyword argument(s): {unknown}.")
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if input_shape is not None:
            warnings.warn(INPUT_SHAPE_WARNING, UserWarning, stacklevel=2)
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self._trainable = trainable
        self.dtype = dtype or backend.floatx()
        self.built = False
        self._variables = []
        self._input_shape_arg = tuple(input_shape) if input_shape is not None else None
        self._inbound_nodes = []

    # ----- weights -----------------------------------------------------------------------
    def add_weight(self, name, shape, initializer="zeros", regularizer=None, trainable=True):
        """Create a weight array, register it, and return its Variable."""
        init = initializers.get(initializer)
        value = np.asarray(init(tuple(shape), dtype=self.dtype), dtype=self.dtype)
        regularizer = regularizers.get(regularizer)
        if regularizer is not None and not hasattr(regularizer, "gradient"):
            raise ValueError(
                f"The regularizer {regularizer!r} of '{self.name}/{name}' has no gradient(w) "
                "method, which training needs. Use L1, L2 or L1L2, or subclass "
                "dlcourse.regularizers.Regularizer and define __call__ and gradient."
            )
        variable = Variable(value, f"{self.name}/{name}", trainable, regularizer)
        self._variables.append(variable)
        return variable

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)

    def _own_variables(self):
        return list(self._variables)

    @property
    def weights(self):
        """All weight Variables, trainable first (Keras order)."""
        return self.trainable_weights + self.non_trainable_weights

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return [v for v in self._own_variables() if v.trainable]

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return self._own_variables()
        return [v for v in self._own_variables() if not v.trainable]

    @property
    def variables(self):
        return self._own_variables()

    def get_weights(self):
        """Copies of the weight arrays, in `layer.weights` order."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Set the weights from a list of arrays shaped like `get_weights()`."""
        own = self.weights
        weights = list(weights)
        if len(weights) != len(own):
            raise ValueError(
                f"Layer '{self.name}' expects {len(own)} weight arrays "
                f"({', '.join(str(v.shape) for v in own)}), got {len(weights)}."
            )
        for variable, value in zip(own, weights):
            value = np.asarray(value)
            if value.shape != variable.shape:
                raise ValueError(
                    f"Weight '{variable.name}' has shape {variable.shape}, "
                    f"but the value given has shape {value.shape}."
                )
        for variable, value in zip(own, weights):
            variable.assign(value)

    def count_params(self):
        return int(sum(v.value.size for v in self.weights))

    # ----- building and calling ----------------------------------------------------------
    def build(self, input_shape):
        """Create the weights once the input shape is known. Layers without weights skip it."""
        self.built = True

    def _maybe_build(self, input_shape):
        if not self.built:
            self.build(input_shape)
            self.built = True

    def compute_output_shape(self, input_shape):
        return input_shape

    def forward(self, inputs, training=False):
        raise NotImplementedError(f"{type(self).__name__} must implement forward().")

    def backward(self, grad_outputs, cache):
        raise NotImplementedError(f"{type(self).__name__} must implement backward().")

    def weight_gradients(self, grad_outputs, cache):
        """Only the weights' gradients, `backward(...)[1]`: what training asks of a layer whose
        input is the data, as nobody needs the data's gradient. A layer may define it to skip
        computing that input gradient (Dense does: it is a large product)."""
        return self.backward(grad_outputs, cache)[1]

    @property
    def differentiable_weights(self):
        """The weights `backward` returns gradients for, in this order: those created with
        trainable=True (a frozen layer's too; BatchNormalization's moving statistics are not)."""
        return [v for v in self._variables if v.trainable]

    # A layer that ends with an activation (Dense(10, activation="softmax")) keeps it here as
    # an Activation layer of its own, run and recorded as a separate step after `forward`.
    activation_step = None

    def __call__(self, inputs, training=None, **kwargs):
        """Run the layer on arrays (recorded on the active tape, if any), or, called on symbolic
        tensors from Input(...), add it to a functional graph."""
        # A float array of the layer's dtype (every call during training) needs no checks.
        if not (type(inputs) is np.ndarray and inputs.dtype == self.dtype):
            from dlcourse.layers.input_layer import KerasTensor

            flat = inputs if isinstance(inputs, (list, tuple)) else [inputs]
            if any(isinstance(t, KerasTensor) for t in flat):
                return self._call_symbolic(inputs)
            inputs = _as_arrays(inputs, self.dtype)
        if not self.built:
            self._maybe_build(_shape_of(inputs))
        if training is None:
            training = tape.is_training()
        training = bool(training) and self.trainable_mode()
        outputs = tape.run(self, inputs, training)
        if self.activation_step is not None:
            outputs = tape.run(self.activation_step, outputs, training)
        return outputs

    def trainable_mode(self):
        """Whether training-time behaviour applies (BatchNormalization overrides this)."""
        return True

    def _call_symbolic(self, inputs):
        from dlcourse.layers.input_layer import KerasTensor, Node

        flat = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        for t in flat:
            if not isinstance(t, KerasTensor):
                raise TypeError(
                    f"Layer '{self.name}' was called on a mix of symbolic tensors and arrays; "
                    "in a functional model every input must come from Input(...) or a layer."
                )
        shapes = [t.shape for t in flat] if isinstance(inputs, (list, tuple)) else flat[0].shape
        self._maybe_build(shapes)
        output_shape = self.compute_output_shape(shapes)
        node = Node(self, inputs)
        output = KerasTensor(output_shape, node=node, dtype=self.dtype)
        node.output = output
        self._inbound_nodes.append(node)
        return output

    # ----- configuration -----------------------------------------------------------------
    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self._input_shape_arg is not None:
            config["input_shape"] = list(self._input_shape_arg)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "batch_input_shape" in config:
            config["input_shape"] = config.pop("batch_input_shape")[1:]
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _as_arrays(inputs, dtype):
    if isinstance(inputs, (list, tuple)):
        return [_as_array(x, dtype) for x in inputs]
    return _as_array(inputs, dtype)


def _as_array(x, dtype):
    if isinstance(x, np.ndarray) and x.dtype == dtype:
        return x
    return np.asarray(x, dtype=dtype)


def _shape_of(inputs):
    if isinstance(inputs, (list, tuple)):
        return [(None,) + tuple(x.shape[1:]) for x in inputs]
    return (None,) + tuple(inputs.shape[1:])
