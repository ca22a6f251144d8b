"""Dense, Activation, Flatten and Reshape: the layers every course network is built from."""

import numpy as np

from dlcourse import activations, initializers, regularizers
from dlcourse.layers.base import Layer, PreActivationGrad, activation_backward


class Dense(Layer):
    """A fully connected layer: `activation(x @ kernel + bias)`, on the last axis of x."""

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError(f"Dense needs a positive integer number of units, got {units!r}.")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"Dense layer '{self.name}' needs the size of its input's last axis.")
        self.kernel = self.add_weight(
            "kernel", (input_dim, self.units), self.kernel_initializer, self.kernel_regularizer
        )
        self.bias = (
            self.add_weight("bias", (self.units,), self.bias_initializer, self.bias_regularizer)
            if self.use_bias
            else None
        )
        self.built = True

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def forward(self, x, training=False):
        kernel = self.kernel.value
        if x.shape[-1] != kernel.shape[0]:
            raise ValueError(
                f"Layer '{self.name}' expects inputs with {kernel.shape[0]} features on the last "
                f"axis, but got an input of shape {x.shape} ({x.shape[-1]} features). Check the "
                "number of columns in your data or the previous layer's units."
            )
        z = x @ kernel
        if self.use_bias:
            z += self.bias.value
        if self.activation is activations.relu:
            # Fast path for the most common hidden layer: relu in one pass, written over z.
            # backward needs only y, because relu'(z) is 1 exactly where y = relu(z) > 0.
            y = np.maximum(z, 0, out=z)
            return y, (x, None, y)
        y = z if self.activation is activations.linear else self.activation(z)
        return y, (x, z, y)

    def backward(self, grad, cache):
        grad_z, grad_weights = self._grads(grad, cache)
        return grad_z @ self.kernel.value.T, grad_weights

    def backward_weights(self, grad, cache):
        return self._grads(grad, cache)[1]

    def _grads(self, grad, cache):
        x, z, y = cache
        if self.activation is activations.relu and not isinstance(grad, PreActivationGrad):
            grad_z = grad * (y > 0)  # relu's derivative is 1 where y > 0, else 0
        else:
            grad_z = activation_backward(self.activation, z, y, grad)
        if x.ndim == 2:  # (batch, features): already the matrices the products need
            x2d, g2d = x, grad_z
        else:  # (batch, steps, features): treat every step as a row
            x2d, g2d = x.reshape(-1, x.shape[-1]), grad_z.reshape(-1, self.units)
        grad_weights = [x2d.T @ g2d]
        if self.use_bias:
            grad_weights.append(g2d.sum(axis=0))
        return grad_z, grad_weights

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": _serialize(self.kernel_initializer),
            "bias_initializer": _serialize(self.bias_initializer),
            "kernel_regularizer": _serialize(self.kernel_regularizer),
            "bias_regularizer": _serialize(self.bias_regularizer),
        }


def _serialize(obj):
    """{'class_name', 'config'} for an initializer or regularizer, as Keras writes them."""
    if obj is None:
        return None
    return {"class_name": type(obj).__name__, "config": obj.get_config()}


class Activation(Layer):
    """Applies an activation function on its own, e.g. Activation('relu')."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def forward(self, x, training=False):
        y = self.activation(x)
        return y, (x, y)

    def backward(self, grad, cache):
        x, y = cache
        return activation_backward(self.activation, x, y, grad), []

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class Flatten(Layer):
    """Reshapes (batch, d1, d2, ...) to (batch, d1*d2*...), e.g. 8x8 images to 64 pixels."""

    def compute_output_shape(self, input_shape):
        size = 1
        for d in input_shape[1:]:
            size = None if d is None or size is None else size * d
        return (input_shape[0], size)

    def forward(self, x, training=False):
        return x.reshape(x.shape[0], -1), x.shape

    def backward(self, grad, input_shape):
        return grad.reshape(input_shape), []


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (the batch axis is kept)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self.target_shape

    def forward(self, x, training=False):
        return x.reshape((x.shape[0],) + self.target_shape), x.shape

    def backward(self, grad, input_shape):
        return grad.reshape(input_shape), []

    def get_config(self):
        return {**super().get_config(), "target_shape": list(self.target_shape)}
