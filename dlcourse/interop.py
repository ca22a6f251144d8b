"""Graduating to Keras: dlcourse's model files are Keras 3's own, so this module is small.

`model.save("model.keras")` writes a real Keras 3 `.keras` file, and
`dlcourse.models.load_model` reads the `.keras` (and `.h5`) files Keras writes, for the layers
dlcourse has (see `dlcourse.saving`). What remains here is for looking inside such a file:

    metadata, config, weights = read_keras_file("model.keras")
    weights["layers/dense/vars/0"]          # the first Dense layer's kernel

and two older names kept for code written before: `to_keras_file(model, path)` is
`model.save(path)` for a '.keras' name, and `from_keras_file(path)` is `load_model(path)`.

A Keras 3 `.keras` file is a zip of three members:

    metadata.json      {"keras_version": ..., "date_saved": ...}
    config.json        {"module", "class_name", "config", "registered_name", "build_config",
                       "compile_config"}: the architecture (each layer's class and settings) and
                       the compile settings (optimizer, loss, metrics)
    model.weights.h5   one HDF5 dataset per variable at "layers/<layer path>/vars/<i>", where
                       the layer path is the snake-case class name, numbered per class in the
                       order of model.layers (layers/dense/vars/0 is the first Dense layer's
                       kernel, layers/dense/vars/1 its bias, layers/dense_1/vars/0 the next
                       kernel); the optimizer's step count, learning rate and slots at
                       "optimizer/vars/<i>".
"""

import os

from dlcourse import _keras_config, _keras_weights, saving
from dlcourse.saving import UnsupportedKerasFeature, read_keras_file

keras_layer_order = _keras_weights.keras_layer_order


def keras_config(model):
    """The `config.json` content `model.save("name.keras")` writes for `model`."""
    return _keras_config.model_config(model)


def to_keras_file(model, filepath, overwrite=True):
    """Write `model` as a Keras 3 `.keras` file: the same as `model.save(filepath)`."""
    if not os.fspath(filepath).lower().endswith(".keras"):
        raise ValueError(
            f"to_keras_file: Keras 3's own format needs a '.keras' name, not {filepath!r}."
        )
    saving.save_model(model, filepath, overwrite=overwrite)


def from_keras_file(filepath, compile=True, custom_objects=None):
    """A dlcourse model from a Keras 3 file: the same as `load_model(filepath)`."""
    return saving.load_model(filepath, custom_objects=custom_objects, compile=compile)


__all__ = [
    "read_keras_file",
    "keras_config",
    "keras_layer_order",
    "to_keras_file",
    "from_keras_file",
    "UnsupportedKerasFeature",
]
