"""Utilities named as in `keras.utils`: seeding, float type, one-hot labels."""

import random

import numpy as np

from dlcourse import backend
from dlcourse.backend import floatx, set_floatx  # noqa: F401  (Keras has them under config)


def set_random_seed(seed):
    """Seed Python, NumPy and dlcourse's generator: the same seed gives the same run."""
    random.seed(seed)
    np.random.seed(seed)
    backend.seed_rng(seed)


def clear_session():
    """Restart layer auto-naming (dense, dense_1, ...) as Keras's clear_session does."""
    from dlcourse._naming import reset_names

    reset_names()


def to_categorical(y, num_classes=None, dtype="float32"):
    """Integer class labels -> one-hot rows: [0, 2] -> [[1, 0, 0], [0, 0, 1]]."""
    y = np.asarray(y)
    if y.ndim > 1 and y.shape[-1] == 1:
        y = y.reshape(y.shape[:-1])
    if y.size and (np.any(y < 0) or np.any(y != np.round(y))):
        raise ValueError("to_categorical needs non-negative integer class labels.")
    y = y.astype(int)
    if num_classes is None:
        num_classes = int(y.max()) + 1 if y.size else 0
    elif y.size and y.max() >= num_classes:
        raise ValueError(f"Label {y.max()} does not fit num_classes={num_classes}.")
    one_hot = np.zeros(y.shape + (num_classes,), dtype=dtype)
    np.put_along_axis(one_hot, y[..., None], 1, axis=-1)
    return one_hot
