"""Graduating to Keras: write dlcourse models as real Keras 3 `.keras` files, and read them back.

    from dlcourse.interop import to_keras_file, from_keras_file
    to_keras_file(model, "model.keras")     # then, anywhere: keras.models.load_model("model.keras")
    model = from_keras_file("model.keras")  # a Keras model of the layers dlcourse knows

A Keras 3 `.keras` file is a zip of three members:

    metadata.json      {"keras_version": ..., "date_saved": ...}
    config.json        {"module", "class_name", "config", "registered_name", "compile_config"}:
                       a "Sequential" or "Functional" model whose config lists its layers, each
                       {"module": "keras.layers", "class_name": "Dense", "config": {...}};
                       a functional model's layers also carry "inbound_nodes" (which outputs
                       feed them, as [layer name, node index, tensor index]).
    model.weights.h5   one HDF5 dataset per variable at "layers/<layer path>/vars/<i>", where
                       the layer path is the snake-case class name, numbered per class in the
                       order of model.layers: layers/dense/vars/0 (kernel), layers/dense/vars/1
                       (bias), layers/dense_1/vars/0, layers/batch_normalization/vars/0..3.

HDF5 is written and read by `dlcourse._hdf5`, in pure NumPy: no h5py needed. (Keras can write
`model.weights.npz` too, but that store pickles a dict per layer and Keras's own loader refuses
pickles, so `.h5` is the one layout Keras reads back.)

What crosses: Sequential and functional models (several inputs and outputs included) made of
Input, Dense, Activation, Dropout, BatchNormalization, Flatten, Concatenate and Add, their
weights (BatchNormalization's moving statistics included), and the compile settings (optimizer
and its settings, losses, loss weights, metrics). What does not: the optimizer's state (Keras
starts its own), subclassed models (their structure is Python code), other layers. Anything
dlcourse cannot represent raises `UnsupportedKerasFeature` naming the layer and the option.

Reading follows dlcourse's own safety rules (dlcourse.saving): only allow-listed classes are
built, no pickle, no code from the file, member names and sizes checked, nothing extracted to
disk; writing is atomic (a temporary file renamed over the target).
"""

import datetime
import inspect
import json
import re
import zipfile

import numpy as np

from dlcourse import _hdf5, saving

KERAS_WEIGHTS = "model.weights.h5"
KERAS_MEMBERS = (saving.METADATA, saving.CONFIG, KERAS_WEIGHTS)
# The Keras release whose schema these files follow (read back by every Keras 3 since).
KERAS_SCHEMA_VERSION = "3.0.0"

# Keras class name -> the snake-case name Keras numbers weight paths with.
SUPPORTED_LAYERS = {
    "InputLayer": "input_layer",
    "Dense": "dense",
    "Activation": "activation",
    "Dropout": "dropout",
    "BatchNormalization": "batch_normalization",
    "Flatten": "flatten",
    "Concatenate": "concatenate",
    "Add": "add",
}
_OPTIMIZER_KEYS = {
    "SGD": ("momentum", "nesterov"),
    "Adagrad": ("initial_accumulator_value", "epsilon"),
    "RMSprop": ("rho", "momentum", "epsilon", "centered"),
    "Adam": ("beta_1", "beta_2", "epsilon", "amsgrad"),
    "AdamW": ("beta_1", "beta_2", "epsilon", "amsgrad"),
}
_COMMON_OPTIMIZER_KEYS = (
    "name",
    "learning_rate",
    "weight_decay",
    "clipnorm",
    "global_clipnorm",
    "clipvalue",
)
# Keras options that only matter when another, switched-off option is on.
_IGNORED_WITH = {"BatchNormalization": {"renorm_momentum": ("renorm", False)}}


class UnsupportedKerasFeature(ValueError):
    """A Keras model uses a layer or an option that dlcourse does not have."""


# ===== dlcourse -> Keras ====================================================================


def to_keras_file(model, filepath, overwrite=True):
    """Write `model` as a Keras 3 `.keras` file that `keras.models.load_model` opens.

    The file holds the architecture, the weights and the compile settings. The optimizer
    starts fresh in Keras (its state is not carried over).
    """
    filepath = saving.check_model_path(filepath, who="to_keras_file")
    if not filepath.lower().endswith(".keras"):
        raise ValueError(
            f"to_keras_file: Keras 3 opens only '.keras' files; name the file "
            f"like 'model.keras', not {filepath!r}."
        )
    config = keras_config(model)
    tree = {"layers": _weight_tree(model, config), "vars": {}}
    weights = _hdf5.write(tree)
    from dlcourse import __version__

    metadata = {
        "keras_version": KERAS_SCHEMA_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        "exported_by": f"dlcourse {__version__}",
    }

    def write(file):
        with zipfile.ZipFile(file, "w") as archive:
            archive.writestr(saving.METADATA, json.dumps(metadata, indent=2))
            archive.writestr(saving.CONFIG, json.dumps(config, indent=2))
            archive.writestr(KERAS_WEIGHTS, weights)

    saving._atomic_write(filepath, write, overwrite)


def keras_config(model):
    """The Keras 3 `config.json` content for `model` (with its compile settings, if any)."""
    if saving._model_kind(model) is not None:
        for layer in model.layers:
            if type(layer).__name__ not in SUPPORTED_LAYERS:
                _layer_entry(layer)  # raises UnsupportedKerasFeature naming the layer
    saving.serialize_model(model)  # the same checks as model.save: no subclass, unique names
    if not model.built or any(not layer.built for layer in model.layers):
        raise ValueError(
            f"Cannot export model {model.name!r}: it is not built yet, so its "
            f"weights do not exist. Give it an input shape or call it on data."
        )
    if saving._model_kind(model) == "Sequential":
        config = _sequential_config(model)
    else:
        config = _functional_config(model)
    config["compile_config"] = _keras_compile_config(model)
    return config


def _sequential_config(model):
    shape = [None, *model._input_shape]
    input_layer = {
        "module": "keras.layers",
        "class_name": "InputLayer",
        "config": {
            "batch_shape": shape,
            "dtype": str(model.dtype),
            "sparse": False,
            "name": f"{model.name}_input",
        },
        "registered_name": None,
    }
    layers = [input_layer] + [_layer_entry(layer) for layer in model.layers]
    return {
        "module": "keras",
        "class_name": "Sequential",
        "config": {
            "name": model.name,
            "trainable": model.trainable,
            "layers": layers,
            "build_input_shape": shape,
        },
        "registered_name": None,
        "build_config": {"input_shape": shape},
    }


def _functional_config(model):
    graph = model._graph
    layers = keras_layer_order(model)
    node_index = {}
    for layer in layers:
        calls = [node for node in graph.nodes if node.layer is layer]
        node_index.update({id(node): i for i, node in enumerate(calls)})

    def history(tensor):
        return [tensor.node.layer.name, node_index[id(tensor.node)], 0]

    def keras_tensor(tensor):
        return {
            "class_name": "__keras_tensor__",
            "config": {
                "shape": list(tensor.shape),
                "dtype": str(tensor.dtype),
                "keras_history": history(tensor),
            },
        }

    entries = []
    for layer in layers:
        entry = _layer_entry(layer)
        inbound = []
        for node in graph.nodes:
            if node.layer is layer and not _is_input_layer(layer):
                tensors = [keras_tensor(t) for t in node.input_tensors]
                inbound.append(
                    {
                        "args": [tensors if isinstance(node.inputs, (list, tuple)) else tensors[0]],
                        "kwargs": {},
                    }
                )
        entries.append({**entry, "name": layer.name, "inbound_nodes": inbound})
    structure = graph.input_structure
    inputs = [history(t) for t in graph.inputs]
    outputs = [history(t) for t in graph.outputs]
    return {
        "module": "keras.src.models.functional",
        "class_name": "Functional",
        "config": {
            "name": model.name,
            "trainable": model.trainable,
            "layers": entries,
            "input_layers": inputs if isinstance(structure, (list, tuple, dict)) else inputs[0],
            "output_layers": outputs if graph.multi_output else outputs[0],
        },
        "registered_name": "Functional",
        "build_config": {"input_shape": None},
    }


def keras_layer_order(model):
    """The layers of a functional model in the order Keras 3 gives them (`model.layers`).

    Keras sorts layers by depth (inputs first) and, within a depth, by when a depth-first walk
    back from the outputs first meets them; weight paths are numbered in this order, so the
    exported file must list the layers in it too.
    """
    graph = model._graph
    first_seen, post_order, done = {}, [], set()

    def visit(tensor):
        node = tensor.node
        if id(node) in done:
            return
        first_seen.setdefault(id(node.layer), len(first_seen))
        for parent in node.input_tensors:
            visit(parent)
        done.add(id(node))
        post_order.append(node)

    for tensor in graph.outputs:
        visit(tensor)
    node_depth, layer_depth = {}, {}
    for node in reversed(post_order):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = node_depth[id(node)] = depth
        for parent in node.input_tensors:
            node_depth[id(parent.node)] = max(depth + 1, node_depth.get(id(parent.node), 0))
    for tensor in graph.inputs:  # an input no output depends on
        if id(tensor.node.layer) not in layer_depth:
            layer_depth[id(tensor.node.layer)], first_seen[id(tensor.node.layer)] = 0, -1
    layers = {id(layer): layer for layer in graph.layers}
    return [layers[key] for key in sorted(layers, key=lambda k: (-layer_depth[k], first_seen[k]))]


def _is_input_layer(layer):
    from dlcourse.layers.input_layer import InputLayer

    return isinstance(layer, InputLayer)


def _layer_entry(layer):
    """{'module', 'class_name', 'config', 'registered_name'} of one layer, in Keras's terms."""
    from dlcourse import activations
    from dlcourse.layers import (
        Activation,
        Add,
        BatchNormalization,
        Concatenate,
        Dense,
        Dropout,
        Flatten,
        InputLayer,
    )

    kind = type(layer)
    base = {"name": layer.name, "trainable": layer.trainable, "dtype": str(layer.dtype)}
    if kind is InputLayer:
        config = {
            "batch_shape": [None, *layer.shape],
            "dtype": str(layer.dtype),
            "sparse": False,
            "name": layer.name,
        }
    elif kind is Dense:
        config = {
            **base,
            "units": layer.units,
            "activation": activations.serialize(layer.activation),
            "use_bias": layer.use_bias,
            "kernel_initializer": _keras_object(layer.kernel_initializer, "initializers"),
            "bias_initializer": _keras_object(layer.bias_initializer, "initializers"),
            "kernel_regularizer": _keras_object(layer.kernel_regularizer, "regularizers"),
            "bias_regularizer": _keras_object(layer.bias_regularizer, "regularizers"),
            "kernel_constraint": None,
            "bias_constraint": None,
        }
    elif kind is Activation:
        config = {**base, "activation": activations.serialize(layer.activation)}
    elif kind is Dropout:
        config = {
            **base,
            "rate": layer.rate,
            "seed": layer.seed,
            "noise_shape": list(layer.noise_shape) if layer.noise_shape else None,
        }
    elif kind is BatchNormalization:
        config = {
            **base,
            "axis": layer.axis,
            "momentum": layer.momentum,
            "epsilon": layer.epsilon,
            "center": layer.center,
            "scale": layer.scale,
        }
    elif kind is Flatten:
        config = {**base, "data_format": "channels_last"}
    elif kind is Concatenate:
        config = {**base, "axis": layer.axis}
    elif kind is Add:
        config = base
    else:
        raise UnsupportedKerasFeature(
            f"Cannot export layer {layer.name!r}: {kind.__name__} layers are not supported by "
            f"the Keras export yet. Supported: {', '.join(sorted(SUPPORTED_LAYERS))}."
        )
    return {
        "module": "keras.layers",
        "class_name": kind.__name__,
        "config": config,
        "registered_name": None,
    }


def _keras_object(obj, module):
    if obj is None:
        return None
    return {
        "module": f"keras.{module}",
        "class_name": type(obj).__name__,
        "config": obj.get_config(),
        "registered_name": None,
    }


def _keras_compile_config(model):
    settings = saving.compile_config(model)
    if settings is None:
        return None
    optimizer = settings["optimizer"]
    class_name = optimizer["class_name"]
    if class_name not in _OPTIMIZER_KEYS:
        raise UnsupportedKerasFeature(
            f"Cannot export the optimizer {class_name}: supported are "
            f"{', '.join(sorted(_OPTIMIZER_KEYS))}."
        )
    keys = _COMMON_OPTIMIZER_KEYS + _OPTIMIZER_KEYS[class_name]
    config = {k: v for k, v in optimizer["config"].items() if k in keys}
    if isinstance(config.get("learning_rate"), dict):
        schedule = config["learning_rate"]
        config["learning_rate"] = {
            "module": "keras.optimizers.schedules",
            **schedule,
            "registered_name": None,
        }
    return {
        "optimizer": {
            "module": "keras.optimizers",
            "class_name": class_name,
            "config": config,
            "registered_name": None,
        },
        "loss": _with_module(settings["loss"], "keras.losses"),
        "loss_weights": settings["loss_weights"],
        "metrics": _with_module(settings["metrics"], "keras.metrics"),
        "weighted_metrics": None,
        "run_eagerly": False,
        "steps_per_execution": 1,
        "jit_compile": False,
    }


def _with_module(value, module):
    """dlcourse's {'class_name', 'config'} objects with Keras's 'module' added, recursively."""
    if isinstance(value, list):
        return [_with_module(v, module) for v in value]
    if isinstance(value, dict) and "class_name" in value:
        return {"module": module, **value, "registered_name": None}
    if isinstance(value, dict):
        return {k: _with_module(v, module) for k, v in value.items()}
    return value


def _layer_paths(entries, skip_input_layers):
    """[(layer name, 'dense_1')]: Keras's weight path of each layer entry, in config order."""
    counts, paths = {}, []
    for entry in entries:
        class_name = entry["class_name"]
        if skip_input_layers and class_name == "InputLayer":
            continue
        base = SUPPORTED_LAYERS.get(class_name) or _snake_case(class_name)
        count = counts.get(base, -1) + 1
        counts[base] = count
        paths.append(
            (
                entry["config"].get("name", entry.get("name")),
                base if count == 0 else f"{base}_{count}",
            )
        )
    return paths


def _snake_case(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _weight_tree(model, config):
    by_name = {layer.name: layer for layer in model.layers}
    sequential = config["class_name"] == "Sequential"
    tree = {}
    for name, path in _layer_paths(config["config"]["layers"], sequential):
        if name not in by_name:  # the InputLayer a Sequential export adds
            continue
        variables = by_name[name]._variables  # creation order, as Keras stores them
        tree[path] = {"vars": {str(i): np.asarray(v.value) for i, v in enumerate(variables)}}
    return tree


# ===== Keras -> dlcourse ====================================================================


def read_keras_file(filepath):
    """(metadata, config, weights) of a Keras 3 `.keras` file, read safely without building
    anything: `weights` maps each variable's path ('layers/dense/vars/0') to its array."""
    import os

    filepath = os.fspath(filepath)
    if os.path.exists(filepath):
        with open(filepath, "rb") as file:
            if file.read(8).startswith(_hdf5.SIGNATURE):
                raise saving.SavedFileError(
                    f"{filepath!r} is a legacy Keras 2 HDF5 model file. Open it in Keras and "
                    f"save it again as 'model.keras' (Keras 3 format), then load that."
                )
    try:
        archive = saving._open_zip(filepath, "Keras model file")
    except saving.SavedFileError:
        raise saving.SavedFileError(
            f"{filepath!r} is not a Keras 3 '.keras' file (not a zip archive, or a truncated one)."
        ) from None
    with archive:
        names = archive.namelist()
        saving._check_member_names(archive, filepath, KERAS_MEMBERS + (saving.WEIGHTS,))
        metadata = saving._read_json(archive, saving.METADATA, filepath)
        if metadata.get("format") == saving.FORMAT_NAME:
            raise saving.SavedFileError(
                f"{filepath!r} is a dlcourse model file, not a Keras "
                f"one: open it with dlcourse.models.load_model."
            )
        if saving.WEIGHTS in names:  # Keras's npz store: a pickled dict per layer
            raise UnsupportedKerasFeature(
                f"{filepath!r} keeps its weights in model.weights.npz, which pickles them: "
                f"dlcourse never loads pickles. Save it from Keras with the default "
                f"weights_format ('h5')."
            )
        config = saving._read_json(archive, saving.CONFIG, filepath)
        weights = saving._read_member(archive, KERAS_WEIGHTS, filepath)
    version = str(metadata.get("keras_version", ""))
    if not version.startswith("3."):
        raise saving.SavedFileError(
            f"{filepath!r} was written by Keras {version or '?'}; dlcourse reads Keras 3 files."
        )
    try:
        tree = _hdf5.read(weights, saving.MEMBER_LIMITS[KERAS_WEIGHTS])
    except _hdf5.HDF5Error as error:
        raise saving.SavedFileError(
            f"{filepath!r}: cannot read {KERAS_WEIGHTS}: {error}."
        ) from None
    return metadata, config, _flatten_tree(tree)


def _flatten_tree(tree, prefix=""):
    flat = {}
    for name, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten_tree(value, f"{prefix}{name}/"))
        else:
            flat[prefix + name] = value
    return flat


def from_keras_file(filepath, compile=True):
    """A dlcourse model from a Keras 3 `.keras` file of layers dlcourse knows.

    The architecture, the weights and (with `compile=True`) the compile settings come across;
    the optimizer starts fresh. Raises `UnsupportedKerasFeature` naming the first layer or
    option dlcourse does not have, and `dlcourse.saving.SavedFileError` for a damaged or
    hostile file. Nothing in the file is executed.
    """
    _, config, weights = read_keras_file(filepath)
    filepath = str(filepath)
    try:
        kind, dl_config, entries = translate_config(config)
        with saving._random_state_untouched():
            model = saving.deserialize_model({"class_name": kind, "config": dl_config})
        _assign_keras_weights(model, entries, kind == "Sequential", weights, filepath)
        if compile and config.get("compile_config"):
            _compile_from_keras(model, config["compile_config"])
    except (UnsupportedKerasFeature, saving.SavedFileError):
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise saving.SavedFileError(
            f"Cannot load {filepath!r}: {saving._describe(error)}"
        ) from error
    return model


def translate_config(config):
    """('Sequential' or 'Functional', dlcourse model config, Keras layer entries) from a Keras
    `config.json`, checking every layer and option against what dlcourse supports."""
    if not isinstance(config, dict) or not isinstance(config.get("config"), dict):
        raise saving.SavedFileError("config.json must hold {'class_name': ..., 'config': {...}}.")
    class_name = config.get("class_name")
    if class_name not in ("Sequential", "Functional", "Model"):
        raise UnsupportedKerasFeature(
            f"The file holds a {class_name!r} model: dlcourse reads Sequential and functional "
            f"models (a subclassed Keras model's structure is Python code, not data)."
        )
    _check_builtin(config, "keras", f"the model class {class_name!r}")
    body = config["config"]
    entries = saving._check_list(body.get("layers"), "layers")
    layers = [_translate_layer(entry) for entry in entries]
    name = body.get("name")
    if class_name == "Sequential":
        input_shape = body.get("build_input_shape")
        kept = []
        for entry, layer in zip(entries, layers):
            if layer["class_name"] == "InputLayer":
                input_shape = entry["config"].get("batch_shape") or input_shape
            else:
                kept.append(layer)
        if input_shape is None:
            raise UnsupportedKerasFeature(
                "The Sequential model has no input shape (it was never "
                "built): build it in Keras before saving."
            )
        return (
            "Sequential",
            {
                "name": name,
                "trainable": body.get("trainable", True),
                "input_shape": saving._check_shape(list(input_shape))[1:],
                "layers": kept,
            },
            entries,
        )
    for entry, layer in zip(entries, layers):
        layer["inbound_nodes"] = [
            _translate_node(node, layer["config"].get("name"))
            for node in saving._check_list(entry.get("inbound_nodes", []), "inbound_nodes")
        ]
    refs = _refs(body.get("input_layers"))
    outputs = body.get("output_layers")
    return (
        "Functional",
        {
            "name": name,
            "layers": layers,
            "input_layers": refs,
            "output_layers": _refs(outputs),
            "multi_output": not _is_ref(outputs),
        },
        entries,
    )


def _is_ref(value):
    return isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)


def _refs(value):
    """Keras writes one input/output as [name, node, tensor] and several as a list of them."""
    if _is_ref(value):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [_check_ref(ref) for ref in saving._check_list(value, "input/output layers")]


def _check_ref(ref):
    if not _is_ref(ref) or not all(isinstance(i, int) and i >= 0 for i in ref[1:]):
        raise saving.SavedFileError(
            f"A tensor reference must be [layer_name, node_index, tensor_index], got {ref!r:.100}."
        )
    if ref[2] != 0:
        raise UnsupportedKerasFeature(
            f"The model uses output {ref[2]} of layer {ref[0]!r}: "
            f"dlcourse layers have one output each."
        )
    return list(ref)


def _translate_node(node, layer_name):
    if not isinstance(node, dict):
        raise saving.SavedFileError(f"Layer {layer_name!r} has a malformed inbound node.")
    kwargs = node.get("kwargs") or {}
    used = {k: v for k, v in kwargs.items() if v is not None}
    if used:
        raise UnsupportedKerasFeature(
            f"Layer {layer_name!r} is called with {sorted(used)}, which dlcourse does not support."
        )
    args = saving._check_list(node.get("args"), "args")
    if len(args) != 1:
        raise UnsupportedKerasFeature(
            f"Layer {layer_name!r} is called with {len(args)} "
            f"positional inputs; dlcourse layers take one (or a list)."
        )
    arg = args[0]
    as_list = isinstance(arg, list)
    tensors = arg if as_list else [arg]
    refs = []
    for tensor in tensors:
        if not (
            isinstance(tensor, dict)
            and tensor.get("class_name") == "__keras_tensor__"
            and isinstance(tensor.get("config"), dict)
        ):
            raise UnsupportedKerasFeature(
                f"Layer {layer_name!r} takes an input that is not a "
                f"tensor of the model: {tensor!r:.100}."
            )
        refs.append(_check_ref(tensor["config"].get("keras_history")))
    return {"args": refs, "as_list": as_list}


def _check_builtin(entry, package, what):
    module = entry.get("module")
    registered = entry.get("registered_name")
    if module is not None and not (
        isinstance(module, str) and (module == package or module.startswith(package + "."))
    ):
        raise UnsupportedKerasFeature(
            f"{what} comes from the module {module!r}, not from "
            f"Keras: dlcourse builds only Keras's own classes."
        )
    if registered not in (None, entry.get("class_name")):
        raise UnsupportedKerasFeature(
            f"{what} is a custom registered object {registered!r}: "
            f"dlcourse builds only Keras's own classes."
        )


def _translate_layer(entry):
    """A dlcourse {'class_name', 'config'} for one Keras layer entry, or a clear error."""
    from dlcourse.layers import LAYER_CLASSES

    if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict):
        raise saving.SavedFileError(
            f"A layer entry must be {{'class_name': ..., 'config': {{...}}}}, got {entry!r:.200}."
        )
    class_name = entry.get("class_name")
    config = dict(entry["config"])
    name = config.get("name", entry.get("name"))
    if class_name in ("Sequential", "Functional", "Model"):
        raise UnsupportedKerasFeature(
            f"Layer {name!r} is a nested model ({class_name}): "
            f"dlcourse reads models whose layers are plain layers."
        )
    if class_name not in SUPPORTED_LAYERS:
        raise UnsupportedKerasFeature(
            f"Layer {name!r} is a Keras {class_name}, which dlcourse does not support. dlcourse "
            f"reads {', '.join(sorted(SUPPORTED_LAYERS))}."
        )
    _check_builtin(entry, "keras", f"Layer {name!r} ({class_name})")
    where = f"Layer {name!r} ({class_name})"
    if "dtype" in config:
        config["dtype"] = _dtype_name(config["dtype"], where)
    if class_name == "Dense":
        for key in ("kernel_initializer", "bias_initializer"):
            config[key] = _translate_object(config.get(key), "initializer", where, key)
        for key in ("kernel_regularizer", "bias_regularizer"):
            config[key] = _translate_object(config.get(key), "regularizer", where, key)
    if class_name == "BatchNormalization":
        for key in (
            "beta_initializer",
            "gamma_initializer",
            "moving_mean_initializer",
            "moving_variance_initializer",
        ):
            if key in config:
                config[key] = _translate_object(config[key], "initializer", where, key)
    if class_name in ("Dense", "Activation") and not isinstance(
        config.get("activation"), (str, type(None))
    ):
        raise UnsupportedKerasFeature(
            f"{where} has activation {config['activation']!r:.100}: "
            f"dlcourse reads built-in activations given by name."
        )
    if class_name == "Flatten" and config.get("data_format", "channels_last") != "channels_last":
        raise UnsupportedKerasFeature(
            f"{where} has data_format={config['data_format']!r}: "
            f"dlcourse flattens channels_last data only."
        )
    config.pop("data_format", None)
    cls = LAYER_CLASSES[class_name]
    config = _fit_arguments(cls, config, where, _IGNORED_WITH.get(class_name, {}))
    if class_name in ("Dense", "Activation") and config.get("activation") is not None:
        from dlcourse import activations

        try:
            activations.get(config["activation"])
        except ValueError as error:
            raise UnsupportedKerasFeature(f"{where}: {error}") from None
    return {"class_name": class_name, "config": config}


def _fit_arguments(cls, config, where, ignored_with):
    """Keep the options dlcourse's constructor takes; drop Keras options that are switched
    off (None or False); refuse any other option, naming it."""
    accepted = set()
    for klass in cls.__mro__:
        if "__init__" in vars(klass):
            accepted |= set(inspect.signature(klass.__init__).parameters) - {"self", "kwargs"}
    kept = {}
    for key, value in config.items():
        if key in accepted:
            kept[key] = value
        elif value is None or value is False:
            continue
        elif key in ignored_with and config.get(ignored_with[key][0]) == ignored_with[key][1]:
            continue
        else:
            raise UnsupportedKerasFeature(
                f"{where} sets the option {key}={value!r:.80}, which dlcourse does not support."
            )
    return kept


def _dtype_name(dtype, where):
    if isinstance(dtype, dict):  # a DTypePolicy {"class_name": "DTypePolicy", "config": {...}}
        if dtype.get("class_name") not in ("DTypePolicy", "FloatDTypePolicy"):
            raise UnsupportedKerasFeature(
                f"{where} uses the dtype policy {dtype.get('class_name')!r}."
            )
        dtype = (dtype.get("config") or {}).get("name")
    if dtype not in ("float32", "float64"):
        raise UnsupportedKerasFeature(
            f"{where} computes in {dtype!r}: dlcourse computes in "
            f"float32 or float64 (no mixed precision)."
        )
    return dtype


def _translate_object(value, kind, where, key):
    """A Keras initializer/regularizer entry as dlcourse's {'class_name', 'config'}."""
    from dlcourse import initializers, regularizers

    if value is None or isinstance(value, str):
        return value
    if not isinstance(value, dict) or not isinstance(value.get("config", {}), dict):
        raise UnsupportedKerasFeature(f"{where}: cannot read {key}={value!r:.80}.")
    module = initializers if kind == "initializer" else regularizers
    class_name = value.get("class_name")
    _check_builtin(value, "keras", f"{where}: {key}")
    try:
        cls = module.get(class_name)
    except ValueError:
        raise UnsupportedKerasFeature(
            f"{where}: {key} is a Keras {class_name}, which dlcourse does not have."
        ) from None
    cls = cls if isinstance(cls, type) else type(cls)
    config = _fit_arguments(cls, value.get("config") or {}, f"{where}: {key}", {})
    return {"class_name": class_name, "config": config}


def _assign_keras_weights(model, entries, sequential, weights, filepath):
    """Check every layer's arrays against its weights first, then assign them all (or none)."""
    by_name = {layer.name: layer for layer in model.layers}
    pairs = []
    for name, path in _layer_paths(entries, sequential):
        layer = by_name.get(name)
        variables = layer._variables if layer is not None else []
        prefix = f"layers/{path}/vars/"
        stored = [key for key in weights if key.startswith(prefix)]
        if len(stored) != len(variables):
            raise saving.SavedFileError(
                f"{filepath!r}: layer {name!r} has {len(variables)} weights but the file holds "
                f"{len(stored)} at layers/{path}/vars."
            )
        for i, variable in enumerate(variables):
            value = weights.get(f"{prefix}{i}")
            if not isinstance(value, np.ndarray) or value.dtype.kind not in "fiu":
                raise saving.SavedFileError(
                    f"{filepath!r}: {prefix}{i} is missing or not a number array."
                )
            if value.shape != variable.shape:
                raise saving.SavedFileError(
                    f"{filepath!r}: {prefix}{i} has shape {value.shape} but "
                    f"{variable.name} has shape {variable.shape}."
                )
            pairs.append((variable, value))
    for variable, value in pairs:
        variable.assign(value)


def _compile_from_keras(model, compile_config):
    if not isinstance(compile_config, dict):
        raise saving.SavedFileError("compile_config must be a dict.")
    optimizer = compile_config.get("optimizer")
    if isinstance(optimizer, dict):
        class_name = optimizer.get("class_name")
        if class_name not in _OPTIMIZER_KEYS:
            raise UnsupportedKerasFeature(
                f"The model is compiled with the Keras optimizer {class_name!r}: dlcourse has "
                f"{', '.join(sorted(_OPTIMIZER_KEYS))}. Load with compile=False and compile it "
                f"yourself."
            )
        _check_builtin(optimizer, "keras", f"The optimizer {class_name!r}")
        config = dict(optimizer.get("config") or {})
        schedule = config.get("learning_rate")
        if isinstance(schedule, dict):
            _check_builtin(schedule, "keras", "The learning-rate schedule")
            config["learning_rate"] = {
                "class_name": schedule.get("class_name"),
                "config": schedule.get("config") or {},
            }
        optimizer = {"class_name": class_name, "config": config}
    settings = {
        "optimizer": optimizer,
        "loss": _without_module(compile_config.get("loss"), "loss"),
        "loss_weights": compile_config.get("loss_weights"),
        "metrics": _without_module(compile_config.get("metrics"), "metric"),
    }
    if compile_config.get("weighted_metrics"):
        raise UnsupportedKerasFeature(
            "The model is compiled with weighted_metrics, which "
            "dlcourse does not support: load with compile=False."
        )
    try:
        saving.compile_from_config(model, settings)
    except ValueError as error:
        raise UnsupportedKerasFeature(
            f"The compile settings cannot be used in dlcourse "
            f"({error}). Load with compile=False and compile the "
            f"model yourself."
        ) from None


def _without_module(value, kind):
    if isinstance(value, list):
        return [_without_module(v, kind) for v in value]
    if isinstance(value, dict) and "class_name" in value:
        _check_builtin(value, "keras", f"The {kind} {value.get('class_name')!r}")
        config = {
            k: v
            for k, v in (value.get("config") or {}).items()
            if not (k == "dtype" and v in (None, "float32"))
        }
        return {"class_name": value["class_name"], "config": config}
    if isinstance(value, dict):
        return {k: _without_module(v, kind) for k, v in value.items()}
    return value


__all__ = [
    "to_keras_file",
    "from_keras_file",
    "read_keras_file",
    "keras_config",
    "translate_config",
    "keras_layer_order",
    "UnsupportedKerasFeature",
]
