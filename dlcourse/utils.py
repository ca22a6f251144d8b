"""Utilities named as in `keras.utils`: seeding, float type, one-hot labels."""

import os
import random

import numpy as np

from dlcourse import backend, saving
from dlcourse.backend import floatx, set_floatx  # noqa: F401  (Keras has them under config)

SEED_SHIFT_VARIABLE = "DLCOURSE_SEED_SHIFT"


def seed_shift():
    """The integer in the environment variable DLCOURSE_SEED_SHIFT, 0 when it is unset."""
    text = os.environ.get(SEED_SHIFT_VARIABLE, "").strip()
    try:
        return int(text or 0)
    except ValueError:
        raise ValueError(
            f"{SEED_SHIFT_VARIABLE} must be an integer (e.g. 1), got {text!r}: fix or unset it."
        ) from None


def shifted_seed(seed):
    """`seed` plus DLCOURSE_SEED_SHIFT: the seed the course actually uses where it says `seed`.

    Every seed of the notebooks goes through here (`set_random_seed`, the data splits of
    dlcourse.datasets, and the notebooks' own generators: `np.random.default_rng(shifted_seed(0))`).
    Unset, it changes nothing. `DLCOURSE_SEED_SHIFT=1 jupyter lab` re-runs the whole course with
    other seeds: the way to see whether a result is a finding or the luck of one seed.
    None (no seed) and generator objects pass through unchanged.
    """
    if seed is None or isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        return seed
    return int(seed) + seed_shift()


# Keras offers these in keras.utils as well as in keras.saving.
register_keras_serializable = saving.register_keras_serializable
get_registered_name = saving.get_registered_name
get_registered_object = saving.get_registered_object


def set_random_seed(seed):
    """Seed Python, NumPy and dlcourse's generator: the same seed gives the same run.

    The seed used is `shifted_seed(seed)`: `seed` itself unless DLCOURSE_SEED_SHIFT is set.
    """
    seed = shifted_seed(seed)
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
