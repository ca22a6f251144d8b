"""dlcourse: a small NumPy deep-learning library with the Keras 3 API, written to be read.

`from tensorflow.keras.layers import Dense` becomes `from dlcourse.layers import Dense`, and
`keras.Sequential(...)` (or `tf.keras.Sequential(...)`) becomes `dlcourse.Sequential(...)`: the
top level holds what Keras 3's does, where dlcourse has it (the submodules, Sequential, Model,
Input and the base classes).
"""

from dlcourse import (
    activations,
    backend,
    callbacks,
    config,
    datasets,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    regularizers,
    saving,
    utils,
)
from dlcourse.initializers import Initializer
from dlcourse.layers import Input, KerasTensor, Layer, Variable
from dlcourse.losses import Loss
from dlcourse.metrics import Metric
from dlcourse.models import Model, Sequential
from dlcourse.optimizers import Optimizer
from dlcourse.regularizers import Regularizer

__version__ = "0.1.0"


def version():
    """dlcourse's version, as `keras.version()` gives Keras's."""
    return __version__


__all__ = [
    "Initializer",
    "Input",
    "KerasTensor",
    "Layer",
    "Loss",
    "Metric",
    "Model",
    "Optimizer",
    "Regularizer",
    "Sequential",
    "Variable",
    "activations",
    "backend",
    "callbacks",
    "config",
    "datasets",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "models",
    "optimizers",
    "regularizers",
    "saving",
    "utils",
    "version",
    "__version__",
]
