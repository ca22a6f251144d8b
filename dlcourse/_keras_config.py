"""A model's `config.json` in Keras 3's schema, written from dlcourse models and read back.

    {"module": "keras", "class_name": "Sequential", "registered_name": null,
     "config": {"name": ..., "layers": [{"module": "keras.layers", "class_name": "Dense",
                                         "config": {"units": 8, ...}}, ...]},
     "build_config": {"input_shape": [null, 30]},
     "compile_config": {"optimizer": {...}, "loss": ..., "metrics": [...], ...}}

A functional model ("Functional") also lists, for each layer, the calls that feed it
("inbound_nodes": which layer outputs, as [layer name, call index, 0]). A subclassed model is
the learner's own class: its config is whatever its `get_config()` returns, and the file names
it by its registered name ("package>ClassName", see `dlcourse.saving.register_keras_serializable`).

Reading builds objects only from allow-lists: Keras's built-in classes that dlcourse also has
(layers, optimizers, losses, metrics, initializers, regularizers, schedules), and classes the
learner registered or passed in `custom_objects` in their own code. The file's "module" is
never imported. Anything dlcourse cannot represent raises `UnsupportedKerasFeature`, naming
the layer and the option; anything malformed raises `SavedFileError`.
"""

import inspect
import json

from dlcourse import _config, _model_config, saving
from dlcourse._keras_weights import keras_layer_order
from dlcourse.optimizers import OPTIMIZER_CLASSES

# Keras options that only matter when another, switched-off option is on.
_IGNORED_WITH = {"BatchNormalization": {"renorm_momentum": ("renorm", False)}}
# Which Keras module a nested object of a layer config comes from, by its key's ending.
_NESTED_MODULES = {
    "_initializer": "keras.initializers",
    "_regularizer": "keras.regularizers",
    "_constraint": "keras.constraints",
}
_MODEL_CLASSES = ("Sequential", "Functional", "Model")


# ===== dlcourse -> Keras ====================================================================


def model_config(model):
    """The whole `config.json` content for `model`, compile settings included."""
    config = architecture_config(model)
    compile_config = keras_compile_config(model)
    if compile_config is not None:
        config["compile_config"] = compile_config
    return config


def architecture_config(model):
    """{'module', 'class_name', 'config', 'registered_name', 'build_config'} (what
    `model.to_json()` holds): the architecture, without weights or compile settings."""
    kind = _model_config.model_kind(model)
    if not model.built or any(not layer.built for layer in model.layers):
        raise ValueError(
            f"Cannot save model {model.name!r}: it is not built yet, so its weights do not "
            f"exist. Give it an input shape (Input(shape=...) or input_shape=...), or call it "
            f"on a batch of data first."
        )
    if kind is None:
        return _subclassed_config(model)
    _model_config.check_layers_savable(model)
    return _sequential_config(model) if kind == "Sequential" else _functional_config(model)


def _keras_entry(module, described, registered_name=None):
    """An object as Keras's files give it: its {'class_name', 'config'} entry, with the Keras
    module its class comes from and its registered name (None for Keras's own classes)."""
    return {"module": module, **described, "registered_name": registered_name}


def _sequential_config(model):
    shape = list(model.input_shape)
    input_layer = _keras_entry(
        "keras.layers",
        _config.entry(
            "InputLayer",
            {
                "batch_shape": shape,
                "dtype": str(model.dtype),
                "sparse": False,
                "name": f"{model.name}_input",
            },
        ),
    )
    config = {
        "name": model.name,
        "trainable": model.trainable,
        "layers": [input_layer] + [layer_entry(layer) for layer in model.layers],
        "build_input_shape": shape,
    }
    return {
        **_keras_entry("keras", _config.entry("Sequential", config)),
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
        return _config.entry(
            "__keras_tensor__",
            {
                "shape": list(tensor.shape),
                "dtype": str(tensor.dtype),
                "keras_history": history(tensor),
            },
        )

    entries = []
    for layer in layers:
        inbound = []
        for node in graph.nodes:
            if node.layer is layer and not _is_input_layer(layer):
                tensors = [keras_tensor(t) for t in node.input_tensors]
                as_list = isinstance(node.inputs, (list, tuple))
                inbound.append({"args": [tensors if as_list else tensors[0]], "kwargs": {}})
        entries.append({**layer_entry(layer), "name": layer.name, "inbound_nodes": inbound})
    structure = graph.input_structure
    inputs = [history(t) for t in graph.inputs]
    outputs = [history(t) for t in graph.outputs]
    config = {
        "name": model.name,
        "trainable": model.trainable,
        "layers": entries,
        "input_layers": inputs if isinstance(structure, (list, tuple, dict)) else inputs[0],
        "output_layers": outputs if graph.multi_output else outputs[0],
    }
    return {
        **_keras_entry(
            "keras.src.models.functional", _config.entry("Functional", config), "Functional"
        ),
        "build_config": {"input_shape": None},
    }


def _subclassed_config(model):
    """A subclassed model: its class's registered name and its own get_config()."""
    cls = type(model)
    described = _config.serialize(model)
    config = described["config"]
    if not isinstance(config, dict):
        raise TypeError(f"{cls.__name__}.get_config() must return a dict, got {config!r:.80}.")
    _model_config.check_rebuildable(cls, config)
    shapes = getattr(model, "_build_input_shape", None)
    if shapes is None:
        raise ValueError(
            f"Cannot save the subclassed model {model.name!r}: it has not been called on data "
            f"yet, so its input shape is unknown. Call it on a batch (or fit it) first."
        )
    _json_ready(config, f"{cls.__name__}.get_config()")
    return {
        **_keras_entry(None, described, saving.get_registered_name(cls)),
        "build_config": {"input_shape": shapes},
    }


def layer_entry(layer):
    """{'module', 'class_name', 'config', 'registered_name'} of one layer, in Keras's terms."""
    from dlcourse.layers import LAYER_CLASSES, InputLayer

    cls = type(layer)
    if LAYER_CLASSES.get(cls.__name__) is not cls:  # the learner's own (registered) layer
        described = _config.serialize(layer)
        _json_ready(described["config"], f"{cls.__name__}.get_config()")
        return _keras_entry(cls.__module__, described, saving.get_registered_name(cls))
    if cls is InputLayer:
        config = {
            "batch_shape": [None, *layer.shape],
            "dtype": str(layer.dtype),
            "sparse": False,
            "name": layer.name,
        }
    else:
        config = {
            key: _with_module(value, _nested_module(key))
            for key, value in layer.get_config().items()
            if key != "input_shape"  # Keras records it as the model's InputLayer
        }
    return _keras_entry("keras.layers", _config.entry(cls.__name__, config))


def _nested_module(key):
    for ending, module in _NESTED_MODULES.items():
        if key.endswith(ending):
            return module
    return "keras"


def _json_ready(value, where):
    try:
        json.dumps(value)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{where} must return plain data (numbers, strings, lists, dicts), as a file "
            f"holds only data: {error}."
        ) from None
    return value


def _is_input_layer(layer):
    from dlcourse.layers.input_layer import InputLayer

    return isinstance(layer, InputLayer)


def keras_compile_config(model):
    """Keras's `compile_config` for a compiled model, or None."""
    settings = _model_config.compile_config(model)
    if settings is None:
        return None
    optimizer = settings["optimizer"]
    class_name = optimizer["class_name"]
    if class_name not in OPTIMIZER_CLASSES:
        raise saving.UnsupportedKerasFeature(
            f"Cannot save the optimizer {class_name}: supported are "
            f"{', '.join(sorted(OPTIMIZER_CLASSES))}."
        )
    config = dict(optimizer["config"])  # a dlcourse optimizer's config holds Keras's keys
    if isinstance(config.get("learning_rate"), dict):
        config["learning_rate"] = _with_module(
            config["learning_rate"], "keras.optimizers.schedules"
        )
    return {
        "optimizer": _keras_entry("keras.optimizers", _config.entry(class_name, config)),
        "loss": _with_module(settings["loss"], "keras.losses"),
        "loss_weights": settings["loss_weights"],
        "metrics": _with_module(settings["metrics"], "keras.metrics"),
        "weighted_metrics": _with_module(settings["weighted_metrics"], "keras.metrics"),
        "run_eagerly": False,
        "steps_per_execution": 1,
        "jit_compile": False,
    }


def _with_module(value, module):
    """dlcourse's {'class_name', 'config'} objects with Keras's 'module' added, recursively."""
    if isinstance(value, list):
        return [_with_module(v, module) for v in value]
    if isinstance(value, dict) and "class_name" in value:
        return _keras_entry(module, value)
    if isinstance(value, dict):
        return {k: _with_module(v, module) for k, v in value.items()}
    return value


# ===== Keras -> dlcourse ====================================================================


def model_from_config(config, custom_objects=None):
    """A dlcourse model (fresh weights, not compiled) from a Keras `config.json` dict."""
    if not isinstance(config, dict) or not isinstance(config.get("config"), dict):
        raise saving.SavedFileError("config.json must hold {'class_name': ..., 'config': {...}}.")
    class_name = config.get("class_name")
    if not _is_builtin(config):
        return _subclassed_from_config(config, custom_objects)
    if class_name not in _MODEL_CLASSES:
        raise saving.SavedFileError(
            f"Unknown model class {class_name!r}: a Keras file holds a Sequential or "
            f"Functional model, or a class of your own, registered under its name."
        )
    custom_layers = {}
    kind, dl_config = translate_config(config, custom_objects, custom_layers)
    with _model_config.random_state_untouched():
        return _model_config.deserialize_model(
            _config.entry(kind, dl_config), {**(custom_objects or {}), **custom_layers}
        )


def _subclassed_from_config(config, custom_objects):
    from dlcourse.models.model import Model

    cls = resolve_custom_class(config, Model, custom_objects, "model")
    inner = dict(config["config"])
    if "dtype" in inner:
        inner["dtype"] = _dtype_name(inner["dtype"], f"The model {config.get('class_name')!r}")
    shapes = (config.get("build_config") or {}).get("input_shape")
    with _model_config.random_state_untouched():
        model = _model_config.construct(cls, inner)
        if not isinstance(model, Model):
            raise saving.SavedFileError(f"{cls.__name__}.from_config did not return a model.")
        if shapes is None:
            raise saving.SavedFileError(
                f"The file does not say which input shape builds {cls.__name__} "
                f"(no build_config): its weights cannot be loaded."
            )
        model.build(_build_shape(shapes))
    return model


def _build_shape(shapes):
    """Keras's build_config input shape: one shape [None, 5] or several [[None, 5], [None, 2]]."""
    if not isinstance(shapes, list) or not shapes:
        raise saving.SavedFileError(f"Invalid build input shape {shapes!r:.80}.")
    if all(isinstance(s, list) for s in shapes):
        return [tuple(_model_config.check_shape(s)) for s in shapes]
    return tuple(_model_config.check_shape(shapes))


def _is_builtin(entry):
    """Whether an entry names one of Keras's own classes (not a custom, registered one)."""
    module = entry.get("module")
    registered = entry.get("registered_name")
    if isinstance(module, str) and (module == "keras" or module.startswith("keras.")):
        return registered in (None, entry.get("class_name"))
    return module is None and registered is None  # legacy configs name classes only


def resolve_custom_class(entry, base, custom_objects, what):
    """The learner's class an entry names: registered with register_keras_serializable, or
    passed in custom_objects. Never imported from the file's 'module'."""
    class_name = entry.get("class_name")
    registered = entry.get("registered_name") or class_name
    custom_objects = custom_objects or {}
    cls = custom_objects.get(registered, custom_objects.get(class_name))
    if cls is None:
        cls = saving.get_registered_object(registered)
    if cls is None:
        known_as = f" (registered as {registered!r})" if registered != class_name else ""
        raise saving.SavedFileError(
            f"Could not locate the {what} class {class_name!r}{known_as}. "
            f"If it is your own class, decorate it with "
            f"@dlcourse.saving.register_keras_serializable() and run that code before loading, "
            f"or pass custom_objects={{{class_name!r}: {class_name}}} to load_model."
        )
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise saving.SavedFileError(
            f"{registered!r} is registered as {cls!r}, which is not a {base.__name__}."
        )
    return cls


def translate_config(config, custom_objects=None, custom_layers=None):
    """('Sequential' or 'Functional', dlcourse model config) from a Keras `config.json`,
    checking every layer and option against what dlcourse supports. Custom layer classes the
    config names are added to `custom_layers` (registered name -> class)."""
    class_name = config.get("class_name")
    if class_name not in _MODEL_CLASSES:
        raise saving.SavedFileError(f"Unknown model class {class_name!r}.")
    body = config["config"]
    entries = _model_config.check_list(body.get("layers"), "layers")
    custom_layers = {} if custom_layers is None else custom_layers
    layers = [_translate_layer(entry, custom_objects, custom_layers) for entry in entries]
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
            raise saving.UnsupportedKerasFeature(
                "The Sequential model has no input shape (it was never "
                "built): build it in Keras before saving."
            )
        return "Sequential", {
            "name": name,
            "trainable": body.get("trainable", True),
            "input_shape": _model_config.check_shape(list(input_shape))[1:],
            "layers": kept,
        }
    for entry, layer in zip(entries, layers):
        layer["inbound_nodes"] = [
            _translate_node(node, layer["config"].get("name"))
            for node in _model_config.check_list(entry.get("inbound_nodes", []), "inbound_nodes")
        ]
    outputs = body.get("output_layers")
    return "Functional", {
        "name": name,
        "layers": layers,
        "input_layers": _refs(body.get("input_layers")),
        "output_layers": _refs(outputs),
        "multi_output": not _is_ref(outputs),
    }


def _is_ref(value):
    return isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)


def _refs(value):
    """Keras writes one input/output as [name, node, tensor] and several as a list of them."""
    if _is_ref(value):
        return [_check_ref(value)]
    if isinstance(value, dict):
        value = list(value.values())
    return [_check_ref(ref) for ref in _model_config.check_list(value, "input/output layers")]


def _check_ref(ref):
    if not _is_ref(ref) or not all(isinstance(i, int) and i >= 0 for i in ref[1:]):
        raise saving.SavedFileError(
            f"A tensor reference must be [layer_name, node_index, tensor_index], got {ref!r:.100}."
        )
    if ref[2] != 0:
        raise saving.UnsupportedKerasFeature(
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
        raise saving.UnsupportedKerasFeature(
            f"Layer {layer_name!r} is called with {sorted(used)}, which dlcourse does not support."
        )
    args = _model_config.check_list(node.get("args"), "args")
    if len(args) != 1:
        raise saving.UnsupportedKerasFeature(
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
            raise saving.UnsupportedKerasFeature(
                f"Layer {layer_name!r} takes an input that is not a "
                f"tensor of the model: {tensor!r:.100}."
            )
        refs.append(_check_ref(tensor["config"].get("keras_history")))
    return {"args": refs, "as_list": as_list}


def _check_builtin(entry, what):
    if not _is_builtin(entry):
        raise saving.UnsupportedKerasFeature(
            f"{what} is a custom object ({entry.get('registered_name') or entry.get('module')}"
            f"): dlcourse builds custom classes only for models and layers."
        )


def _translate_layer(entry, custom_objects, custom_layers):
    """A dlcourse {'class_name', 'config'} for one Keras layer entry, or a clear error."""
    from dlcourse.layers import LAYER_CLASSES
    from dlcourse.layers.base import Layer

    if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict):
        raise saving.SavedFileError(
            f"A layer entry must be {{'class_name': ..., 'config': {{...}}}}, got {entry!r:.200}."
        )
    class_name = entry.get("class_name")
    config = dict(entry["config"])
    name = config.get("name", entry.get("name"))
    where = f"Layer {name!r} ({class_name})"
    if not _is_builtin(entry):
        cls = resolve_custom_class(entry, Layer, custom_objects, "layer")
        key = entry.get("registered_name") or class_name
        custom_layers[key] = cls
        if "dtype" in config:
            config["dtype"] = _dtype_name(config["dtype"], where)
        return _config.entry(key, config)
    if class_name in _MODEL_CLASSES:
        raise saving.UnsupportedKerasFeature(
            f"Layer {name!r} is a nested model ({class_name}): "
            f"dlcourse reads models whose layers are plain layers."
        )
    if class_name not in LAYER_CLASSES:
        raise saving.UnsupportedKerasFeature(
            f"Layer {name!r} is a Keras {class_name}, which dlcourse does not support. dlcourse "
            f"has {', '.join(sorted(LAYER_CLASSES))}."
        )
    if "dtype" in config:
        config["dtype"] = _dtype_name(config["dtype"], where)
    for key in list(config):
        if any(key.endswith(ending) for ending in ("_initializer", "_regularizer")):
            kind = "initializer" if key.endswith("_initializer") else "regularizer"
            config[key] = _translate_object(config[key], kind, where, key)
    if class_name in ("Dense", "Activation") and not isinstance(
        config.get("activation"), (str, type(None))
    ):
        raise saving.UnsupportedKerasFeature(
            f"{where} has activation {config['activation']!r:.100}: "
            f"dlcourse reads built-in activations given by name."
        )
    if class_name == "Flatten" and config.get("data_format", "channels_last") != "channels_last":
        raise saving.UnsupportedKerasFeature(
            f"{where} has data_format={config['data_format']!r}: "
            f"dlcourse flattens channels_last data only."
        )
    if class_name == "Flatten":
        config.pop("data_format", None)
    cls = LAYER_CLASSES[class_name]
    config = _fit_arguments(cls, config, where, _IGNORED_WITH.get(class_name, {}))
    if class_name in ("Dense", "Activation") and config.get("activation") is not None:
        from dlcourse import activations

        try:
            activations.get(config["activation"])
        except ValueError as error:
            raise saving.UnsupportedKerasFeature(f"{where}: {error}") from None
    return _config.entry(class_name, config)


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
            raise saving.UnsupportedKerasFeature(
                f"{where} sets the option {key}={value!r:.80}, which dlcourse does not support."
            )
    return kept


def _dtype_name(dtype, where):
    if isinstance(dtype, dict):  # a DTypePolicy {"class_name": "DTypePolicy", "config": {...}}
        if dtype.get("class_name") not in ("DTypePolicy", "FloatDTypePolicy"):
            raise saving.UnsupportedKerasFeature(
                f"{where} uses the dtype policy {dtype.get('class_name')!r}."
            )
        dtype = (dtype.get("config") or {}).get("name")
    if dtype not in ("float32", "float64"):
        raise saving.UnsupportedKerasFeature(
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
        raise saving.UnsupportedKerasFeature(f"{where}: cannot read {key}={value!r:.80}.")
    module = initializers if kind == "initializer" else regularizers
    class_name = value.get("class_name")
    _check_builtin(value, f"{where}: {key}")
    try:
        cls = module.get(class_name)
    except ValueError:
        raise saving.UnsupportedKerasFeature(
            f"{where}: {key} is a Keras {class_name}, which dlcourse does not have."
        ) from None
    cls = cls if isinstance(cls, type) else type(cls)
    config = _fit_arguments(cls, value.get("config") or {}, f"{where}: {key}", {})
    return _config.entry(class_name, config)


def compile_from_config(model, compile_config, custom_objects=None):
    """Compile `model` from Keras's `compile_config`, building objects from allow-lists."""
    if not isinstance(compile_config, dict):
        raise saving.SavedFileError("compile_config must be a dict.")
    optimizer = compile_config.get("optimizer")
    if isinstance(optimizer, dict):
        class_name = optimizer.get("class_name")
        if class_name not in OPTIMIZER_CLASSES:
            raise saving.UnsupportedKerasFeature(
                f"The model is compiled with the Keras optimizer {class_name!r}: dlcourse has "
                f"{', '.join(sorted(OPTIMIZER_CLASSES))}. Load with compile=False and compile it "
                f"yourself."
            )
        _check_builtin(optimizer, f"The optimizer {class_name!r}")
        config = dict(optimizer.get("config") or {})
        schedule = config.get("learning_rate")
        if isinstance(schedule, dict):
            _check_builtin(schedule, "The learning-rate schedule")
            config["learning_rate"] = _config.entry(
                schedule.get("class_name"), schedule.get("config") or {}
            )
        optimizer = _config.entry(class_name, config)
    settings = {
        "optimizer": optimizer,
        "loss": _without_module(compile_config.get("loss"), "loss"),
        "loss_weights": compile_config.get("loss_weights"),
        "metrics": _without_module(compile_config.get("metrics"), "metric"),
        "weighted_metrics": _without_module(compile_config.get("weighted_metrics"), "metric"),
    }
    try:
        _model_config.compile_from_config(model, settings, custom_objects)
    except saving.SavedFileError:
        raise
    except ValueError as error:
        raise saving.UnsupportedKerasFeature(
            f"The compile settings cannot be used in dlcourse ({error}). Load with "
            f"compile=False and compile the model yourself."
        ) from None


def _without_module(value, kind):
    if isinstance(value, list):
        return [_without_module(v, kind) for v in value]
    if isinstance(value, dict) and "class_name" in value:
        if value.get("class_name") == "function":  # Keras's form of a function given by name
            return value.get("config")
        _check_builtin(value, f"The {kind} {value.get('class_name')!r}")
        config = {
            k: v
            for k, v in (value.get("config") or {}).items()
            if not (k == "dtype" and v in (None, "float32"))
        }
        return _config.entry(value["class_name"], config)
    if isinstance(value, dict):
        return {k: _without_module(v, kind) for k, v in value.items()}
    return value
