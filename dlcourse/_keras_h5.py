"""Keras's legacy HDF5 model file: what Keras 3 writes for `model.save("my_model.h5")`.

    root attributes         keras_version, backend, model_config (the architecture, as in a
                            .keras file's config.json, as JSON text) and training_config (the
                            compile settings, the optimizer's under "optimizer_config")
    model_weights/          attribute layer_names: every layer of model.layers, in order
      <layer name>/         attribute weight_names, e.g. ['dense/kernel', 'dense/bias']: the
                            layer's weights, trainable first, each a dataset at that path
    optimizer_weights/      attribute weight_names: the optimizer's variables, in the order of
                            Keras's optimizer.variables (step count, learning rate, slots)

Keras matches weights by position, not by name: the model's layers that have weights, in
order, take the saved layers that have weights, in order. A weights-only legacy file (Keras 2's
`save_weights("name.h5")`) holds the model_weights content at its top level.
"""

import json

import numpy as np

from dlcourse import _config, _hdf5, saving


def write(model):
    """The bytes of a legacy `.h5` model file for a Sequential or functional model."""
    from dlcourse import __version__, _keras_config, _keras_weights
    from dlcourse._model_config import model_kind

    if model_kind(model) is None:
        raise NotImplementedError(
            f"Cannot save the subclassed model {model.name!r} as '.h5': Keras's HDF5 format "
            f"cannot hold subclassed models (Keras 3 writes the file but cannot load it "
            f"back). Save it as 'name.keras', Keras 3's format, which can."
        )
    config = _keras_config.model_config(model)
    compile_config = config.pop("compile_config", None)
    version = {"backend": f"dlcourse {__version__}", "keras_version": saving.KERAS_VERSION}
    groups = _keras_weights.legacy_weight_groups(model)
    tree = {"model_weights": {}}
    attributes = {
        "": {**version, "model_config": json.dumps(config)},
        "model_weights": {**version, "layer_names": [name for name, _ in groups]},
    }
    for name, weights in groups:
        tree["model_weights"][name] = _nested(dict(weights))
        attributes[f"model_weights/{name}"] = {"weight_names": [w for w, _ in weights]}
    if compile_config is not None:
        training = {k: v for k, v in compile_config.items() if k != "optimizer"}
        optimizer = compile_config["optimizer"]
        training["optimizer_config"] = _config.entry(optimizer["class_name"], optimizer["config"])
        attributes[""]["training_config"] = json.dumps(training)
        names = _keras_weights.optimizer_variable_names(model)
        values = _keras_weights.optimizer_variables(model)
        tree["optimizer_weights"] = _nested(dict(zip(names, values)))
        attributes["optimizer_weights"] = {"weight_names": names}
    try:
        return _hdf5.write(tree, attributes)
    except _hdf5.AttributeTooLarge:
        raise ValueError(
            f"Cannot save model {model.name!r} as '.h5': its config is larger than the "
            f"64 KB an HDF5 attribute holds here. Save it as 'name.keras'."
        ) from None


def _nested(flat):
    """{'dense/kernel': a} -> {'dense': {'kernel': a}} (HDF5 groups along the '/')."""
    tree = {}
    for path, value in flat.items():
        group = tree
        *parents, leaf = path.split("/")
        for part in parents:
            group = group.setdefault(part, {})
        if leaf in group:
            raise ValueError(f"Two weights are both named {path!r}; rename a layer.")
        group[leaf] = value
    return tree


def read(tree, attributes, filepath):
    """(config with compile_config, [(layer name, [arrays])], [optimizer arrays]) of a legacy
    model file, read by `dlcourse._hdf5`."""
    root = attributes.get("", {})
    if "model_config" not in root:
        if "layers" in tree or "layer_names" in root or "model_weights" in tree:
            raise saving.SavedFileError(
                f"{filepath!r} holds only weights (written by save_weights). Create the model "
                f"in code, then call model.load_weights({filepath!r})."
            )
        raise saving.SavedFileError(f"{filepath!r} is an HDF5 file but not a Keras model file.")
    saving._check_keras_version(_text(root.get("keras_version")), filepath)
    config = saving._parse_json(_text(root["model_config"]), "model_config", filepath)
    training = root.get("training_config")
    if training is not None:
        training = saving._parse_json(_text(training), "training_config", filepath)
        config["compile_config"] = {**training, "optimizer": training.pop("optimizer_config", None)}
    names = _names(attributes, "optimizer_weights", "weight_names", filepath)
    group = tree.get("optimizer_weights", {})
    optimizer = [_lookup(group, name, filepath) for name in names]
    return config, layer_weights(tree, attributes, filepath), optimizer


def is_legacy(tree, attributes):
    """Whether HDF5 content is a legacy model or weights file (not Keras 3's layout)."""
    return "model_weights" in tree or "layer_names" in attributes.get("", {})


def layer_weights(tree, attributes, filepath):
    """[(layer name, [arrays])] in the file's layer order, from a legacy model file (group
    'model_weights') or a legacy weights file (the same content at the top)."""
    if "layer_names" in attributes.get("", {}):
        group, where = tree, ""
    elif isinstance(tree.get("model_weights"), dict):
        group, where = tree["model_weights"], "model_weights/"
    else:
        raise saving.SavedFileError(f"{filepath!r} has no model_weights group.")
    layers = []
    for name in _names(attributes, where.rstrip("/"), "layer_names", filepath):
        if not isinstance(group.get(name), dict):
            raise saving.SavedFileError(
                f"{filepath!r} lists the layer {name!r} but holds no group for it."
            )
        names = _names(attributes, f"{where}{name}", "weight_names", filepath)
        layers.append((name, [_lookup(group[name], w, filepath) for w in names]))
    return layers


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value) if value is not None else None


def _names(attributes, path, key, filepath):
    """A list-of-names attribute, as Keras stores layer_names and weight_names."""
    value = attributes.get(path, {}).get(key)
    if value is None or (isinstance(value, np.ndarray) and value.size == 0):
        return []  # Keras stores an empty list as an empty float array
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise saving.SavedFileError(
            f"{filepath!r}: the attribute {path}/{key} is not a list of names."
        )
    return value


def _lookup(tree, path, filepath):
    node = tree
    for part in path.split("/"):
        if not isinstance(node, dict) or part not in node:
            raise saving.SavedFileError(f"{filepath!r} lacks the weight {path!r} it lists.")
        node = node[part]
    if isinstance(node, dict):
        raise saving.SavedFileError(f"{filepath!r}: {path!r} is a group, not a weight.")
    return node
