"""BatchNormalization: normalize each feature over the batch, then scale and shift."""

import numpy as np

from dlcourse.layers.base import Layer


class BatchNormalization(Layer):
    """In training: normalize with the batch's mean and (biased) variance, and update moving
    averages of both; in inference (or when trainable=False): normalize with the moving averages.
    Weights: [gamma, beta, moving_mean, moving_variance] (the last two are not trained)."""

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.axis = axis
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.initializers = {
            "beta": beta_initializer,
            "gamma": gamma_initializer,
            "moving_mean": moving_mean_initializer,
            "moving_variance": moving_variance_initializer,
        }

    def build(self, input_shape):
        self._axis = self.axis % len(input_shape)
        shape = (input_shape[self._axis],)
        init = self.initializers
        self.gamma = self.add_weight("gamma", shape, init["gamma"]) if self.scale else None
        self.beta = self.add_weight("beta", shape, init["beta"]) if self.center else None
        self.moving_mean = self.add_weight(
            "moving_mean", shape, init["moving_mean"], trainable=False
        )
        self.moving_variance = self.add_weight(
            "moving_variance", shape, init["moving_variance"], trainable=False
        )
        self.built = True

    def trainable_mode(self):
        return self.trainable  # Keras 3: a frozen BN layer always runs in inference mode

    def _reduce_axes(self, x):
        return tuple(i for i in range(x.ndim) if i != self._axis)

    def _broadcast(self, v, x):
        shape = [1] * x.ndim
        shape[self._axis] = -1
        return v.reshape(shape)

    def forward(self, x, training=False):
        if training:
            axes = self._reduce_axes(x)
            mean = x.mean(axis=axes)
            var = x.var(axis=axes)
            m = self.momentum
            self.moving_mean.value[...] = self.moving_mean.value * m + mean * (1 - m)
            self.moving_variance.value[...] = self.moving_variance.value * m + var * (1 - m)
        else:
            mean, var = self.moving_mean.value, self.moving_variance.value
        inv_std = 1.0 / np.sqrt(var + self.epsilon)
        x_hat = (x - self._broadcast(mean, x)) * self._broadcast(inv_std, x)
        y = x_hat
        if self.scale:
            y = y * self._broadcast(self.gamma.value, x)
        if self.center:
            y = y + self._broadcast(self.beta.value, x)
        return y.astype(x.dtype, copy=False), (x_hat, inv_std, training)

    def backward(self, grad, cache):
        x_hat, inv_std, training = cache
        axes = self._reduce_axes(grad)
        grad_weights = []
        if self.scale:
            grad_weights.append((grad * x_hat).sum(axis=axes))
        if self.center:
            grad_weights.append(grad.sum(axis=axes))
        grad_xhat = grad * self._broadcast(self.gamma.value, grad) if self.scale else grad
        if training:
            # the batch statistics depend on every sample, hence the two correction terms
            grad_xhat = (
                grad_xhat
                - grad_xhat.mean(axis=axes, keepdims=True)
                - x_hat * (grad_xhat * x_hat).mean(axis=axes, keepdims=True)
            )
        return grad_xhat * self._broadcast(inv_std, grad), grad_weights

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
        }
