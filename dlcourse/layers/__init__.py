"""Layers, named as in `keras.layers`."""

from dlcourse.layers.activation_layers import ELU, LeakyReLU, ReLU, Softmax
from dlcourse.layers.base import Layer, Variable
from dlcourse.layers.core import Activation, Dense, Flatten, Reshape
from dlcourse.layers.input_layer import Input, InputLayer, KerasTensor
from dlcourse.layers.merging import Add, Average, Concatenate, Multiply
from dlcourse.layers.normalization import BatchNormalization
from dlcourse.layers.regularization import Dropout

__all__ = [
    "LAYER_CLASSES",
    "ELU",
    "Activation",
    "Add",
    "Average",
    "BatchNormalization",
    "Concatenate",
    "Dense",
    "Dropout",
    "Flatten",
    "Input",
    "InputLayer",
    "KerasTensor",
    "Layer",
    "LeakyReLU",
    "Multiply",
    "ReLU",
    "Reshape",
    "Softmax",
    "Variable",
    "get",
]

# The allow-list of layer classes that configs (and so saved files) may name.
LAYER_CLASSES = {
    cls.__name__: cls
    for cls in (
        Activation,
        Add,
        Average,
        BatchNormalization,
        Concatenate,
        Dense,
        Dropout,
        ELU,
        Flatten,
        InputLayer,
        LeakyReLU,
        Multiply,
        ReLU,
        Reshape,
        Softmax,
    )
}


def get(identifier):
    """A layer class from its name, or a layer from a {'class_name', 'config'} dict."""
    from dlcourse._naming import get_object

    return get_object("layer", identifier, LAYER_CLASSES, Layer)
