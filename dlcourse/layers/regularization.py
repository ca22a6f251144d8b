"""Dropout: randomly silence units during training so no unit can rely on another."""

import numpy as np

from dlcourse import backend
from dlcourse.layers.base import Layer


class Dropout(Layer):
    """Inverted dropout: in training, zero each input with probability `rate` and scale the
    survivors by 1/(1-rate), so inference needs no rescaling and simply passes inputs through."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout rate must be in [0, 1), got {rate}.")
        self.rate = float(rate)
        self.noise_shape = tuple(noise_shape) if noise_shape is not None else None
        self.seed = seed
        self._rng = np.random.default_rng(seed) if seed is not None else None

    def forward(self, x, training=False):
        if not training or self.rate == 0:
            return x, None
        rng = self._rng or backend.rng()
        shape = (
            x.shape if self.noise_shape is None else _fill_noise_shape(self.noise_shape, x.shape)
        )
        keep = rng.random(shape, dtype=np.float64 if x.dtype == np.float64 else np.float32)
        mask = (keep >= self.rate).astype(x.dtype) / x.dtype.type(1 - self.rate)
        return x * mask, mask

    def backward(self, grad, mask):
        return (grad if mask is None else grad * mask), []

    def get_config(self):
        return {
            **super().get_config(),
            "rate": self.rate,
            "seed": self.seed,
            "noise_shape": list(self.noise_shape) if self.noise_shape else None,
        }


def _fill_noise_shape(noise_shape, shape):
    return tuple(s if n is None else n for n, s in zip(noise_shape, shape))
