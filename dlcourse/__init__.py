"""dlcourse: a small NumPy deep-learning library with the Keras 3 API, written to be read.

`from tensorflow.keras.layers import Dense` becomes `from dlcourse.layers import Dense`.
"""

from dlcourse import (
    activations,
    backend,
    callbacks,
    config,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    regularizers,
    utils,
)

__version__ = "0.1.0"

__all__ = [
    "activations",
    "backend",
    "callbacks",
    "config",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "models",
    "optimizers",
    "regularizers",
    "utils",
    "__version__",
]
