"""Dense, Activation, Flatten and Reshape: the layers every course network is built from."""

import numpy as np

from dlcourse import activations, initializers, regularizers
from dlcourse._config import serialize
from dlcourse.layers.base import Layer


class Dense(Layer):
    """A fully connected layer: `activation(x @ kernel + bias)`, on the last axis of x.

    `forward` and `backward` are the affine map `x @ kernel + bias` alone. The activation is an
    Activation layer of its own (`activation_step`), which runs right after and is recorded on
    the tape as the next step: how relu or softmax backpropagate is written once, in
    dlcourse/activations.py.
    """

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
        if self.activation is not activations.linear:
            step_name = f"{self.name}/{getattr(self.activation, '__name__', 'activation')}"
            self.activation_step = Activation(self.activation, name=step_name, dtype=self.dtype)

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
        """y = x @ kernel + bias. The cache is x, which the gradients need."""
        self._check_features(x)
        y = x @ self.kernel.value
        if self.use_bias:
            y += self.bias.value
        return y, x

    def backward(self, grad, x):
        """dL/dx = grad @ kernelᵀ, and the weights' gradients (below)."""
        return grad @ self.kernel.value.T, self.weight_gradients(grad, x)

    def weight_gradients(self, grad, x):
        """dL/dkernel = xᵀ @ grad, dL/dbias = grad summed over the rows."""
        rows, grad_rows = x.reshape(-1, x.shape[-1]), grad.reshape(-1, self.units)  # 2-D views
        grad_kernel = rows.T @ grad_rows
        return [grad_kernel, grad_rows.sum(axis=0)] if self.use_bias else [grad_kernel]

    def _check_features(self, x):
        if x.shape[-1] != self.kernel.shape[0]:
            raise ValueError(
                f"Layer '{self.name}' expects inputs with {self.kernel.shape[0]} features on the "
                f"last axis, but got an input of shape {x.shape} ({x.shape[-1]} features). Check "
                "the number of columns in your data or the previous layer's units."
            )

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize(self.kernel_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
        }


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
        return activations.gradient(self.activation, x, y, grad), []

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
