"""Models and compile settings from dlcourse's own config schema (what `get_config()` gives).

`Sequential.from_config` and `Model.from_config` rebuild models with the functions here, and
loading a Keras file (dlcourse._keras_config) first translates Keras's schema into this one.
Every object is built from an allow-list: dlcourse's own classes (layers, optimizers, losses,
metrics), and the learner's own classes only when passed in `custom_objects`. A learner's
subclassed model is rebuilt the way Keras 3 rebuilds it: `cls.from_config(config)` when the
class defines it, else `cls(**config)`.
"""

import contextlib
import inspect


def model_kind(model):
    """'Sequential', 'Functional', or None for a subclassed model (its structure is code)."""
    from dlcourse.models.model import Model
    from dlcourse.models.sequential import Sequential

    if type(model) is Sequential:
        return "Sequential"
    if type(model) is Model and model._graph is not None:
        return "Functional"
    if isinstance(model, Sequential) or model._graph is not None:
        raise NotImplementedError(
            f"Cannot save {type(model).__name__}: dlcourse saves Sequential and functional "
            f"models, and subclasses of Model that build their layers in __init__ (not "
            f"subclasses of Sequential or of a functional model)."
        )
    return None


def check_layers_savable(model):
    """Unique layer names and no nested models: what a Sequential or functional file needs."""
    from dlcourse.models.model import Model

    names = [layer.name for layer in model.layers]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(
            f"Cannot save model {model.name!r}: several layers are named "
            f"{duplicates}. Give each layer a unique name."
        )
    for layer in model.layers:
        if isinstance(layer, Model):
            raise NotImplementedError(
                f"Cannot save model {model.name!r}: it contains the model {layer.name!r} as a "
                "layer, and nested models are not supported yet. Use model.save_weights(...)."
            )


def check_rebuildable(cls, config):
    """Fail at save time, not at load time, when `cls(**config)` cannot rebuild the model."""
    if _defines_from_config(cls):
        return  # the class rebuilds itself from its config
    try:
        inspect.signature(cls.__init__).bind(None, **config)
    except TypeError as error:
        raise TypeError(
            f"Cannot save {cls.__name__}: loading rebuilds it as {cls.__name__}(**config) "
            f"from its get_config(), {sorted(config)}, and that call would fail ({error}). "
            f"Let __init__ take **kwargs and pass them to super().__init__(**kwargs), and let "
            f"get_config() return every argument of __init__: "
            f"return {{**super().get_config(), 'units': self.units}}."
        ) from None
    if "get_config" not in vars(cls) and _own_init_arguments(cls):
        raise NotImplementedError(
            f"Cannot save {cls.__name__}: its __init__ takes {_own_init_arguments(cls)}, but "
            f"it has no get_config(), so the file could not rebuild it with the same values. "
            f"Define get_config(self) returning {{**super().get_config(), ...}} with each of "
            f"them (Keras 3 can guess simple ones; dlcourse asks you to write them out)."
        )


def _defines_from_config(cls):
    from dlcourse.models.model import Model

    return cls.from_config.__func__ is not Model.from_config.__func__


def _own_init_arguments(cls):
    skip = {"self", "name", "trainable", "dtype"}
    return [
        p.name
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.name not in skip and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    ]


def construct(cls, config):
    """An instance of the learner's class from its config: `cls.from_config(config)` when the
    class defines one, else `cls(**config)` (what Keras 3 does for subclassed models)."""
    try:
        return cls.from_config(config) if _defines_from_config(cls) else cls(**config)
    except TypeError as error:
        raise TypeError(
            f"Cannot rebuild {cls.__name__} from its saved config {sorted(config)}: {error}. "
            f"get_config() must return every argument __init__ needs (or define from_config)."
        ) from None


def _layer_table(custom_objects):
    from dlcourse.layers import LAYER_CLASSES
    from dlcourse.layers.base import Layer

    extra = {
        name: obj
        for name, obj in (custom_objects or {}).items()
        if isinstance(obj, type) and issubclass(obj, Layer)
    }
    return {**LAYER_CLASSES, **extra}


def layer_from_config(entry, custom_objects=None):
    """A layer from {'class_name': ..., 'config': {...}}, only from allowed classes."""
    from dlcourse._naming import get_object
    from dlcourse.layers.base import Layer

    if not isinstance(entry, dict) or not isinstance(entry.get("config", {}), dict):
        raise ValueError(
            f"A layer entry must be {{'class_name': ..., 'config': {{...}}}}, got {entry!r:.200}."
        )
    return get_object("layer", entry, _layer_table(custom_objects), Layer)


def sequential_from_config(config, custom_objects=None, cls=None):
    """Rebuild a Sequential model from its get_config() output."""
    from dlcourse.models.sequential import Sequential

    cls = cls or Sequential
    model = cls(name=config.get("name"), trainable=config.get("trainable", True))
    input_shape = config.get("input_shape")
    if input_shape:
        model._input_shape = tuple(check_shape(input_shape))
    for entry in check_list(config["layers"], "layers"):
        model.add(layer_from_config(entry, custom_objects))
    return model


def functional_from_config(config, custom_objects=None, cls=None):
    """Rebuild a functional model: create its layers, then call each on its inputs' outputs."""
    from dlcourse.layers.input_layer import InputLayer
    from dlcourse.models.model import Model

    cls = cls or Model
    tensors = {}  # (layer name, node index) -> the tensor that call produced
    calls = []
    for entry in check_list(config["layers"], "layers"):
        layer = layer_from_config(entry, custom_objects)
        if isinstance(layer, InputLayer):
            tensors[(layer.name, 0)] = layer.output
            continue
        for index, node in enumerate(check_list(entry.get("inbound_nodes", []), "inbound_nodes")):
            refs = [_tensor_ref(ref) for ref in check_list(node["args"], "args")]
            calls.append((layer, index, refs, bool(node.get("as_list", False))))
    while calls:  # a call can run once the tensors it takes exist
        ready = [
            c
            for c in calls
            if all(r in tensors for r in c[2]) and (c[1] == 0 or (c[0].name, c[1] - 1) in tensors)
        ]
        if not ready:
            missing = sorted({r for c in calls for r in c[2] if r not in tensors})
            raise ValueError(
                f"The model config connects layers to outputs that do not exist: {missing[:5]}."
            )
        for layer, index, refs, as_list in ready:
            inputs = [tensors[r] for r in refs]
            tensors[(layer.name, index)] = layer(inputs if as_list else inputs[0])
        calls = [c for c in calls if c not in ready]
    inputs = [tensors[_tensor_ref(r)] for r in check_list(config["input_layers"], "input_layers")]
    outputs = [
        tensors[_tensor_ref(r)] for r in check_list(config["output_layers"], "output_layers")
    ]
    return cls(
        inputs=inputs if len(inputs) > 1 else inputs[0],
        outputs=outputs if config.get("multi_output") else outputs[0],
        name=config.get("name"),
    )


def _tensor_ref(ref):
    if not (
        isinstance(ref, list)
        and len(ref) >= 2
        and isinstance(ref[0], str)
        and isinstance(ref[1], int)
    ):
        raise ValueError(
            f"A tensor reference must be [layer_name, node_index, 0], got {ref!r:.100}."
        )
    return ref[0], ref[1]


def check_list(value, what):
    if not isinstance(value, list):
        raise ValueError(
            f"'{what}' in the model config must be a list, got {type(value).__name__}."
        )
    return value


def check_shape(shape):
    if not isinstance(shape, list) or not all(
        d is None or (isinstance(d, int) and not isinstance(d, bool) and 0 < d < 2**31)
        for d in shape
    ):
        raise ValueError(f"An input shape must be a list of positive integers, got {shape!r:.100}.")
    return shape


def deserialize_model(config, custom_objects=None):
    """A Sequential or functional model from dlcourse's own get_config() schema."""
    if not isinstance(config, dict) or not isinstance(config.get("config"), dict):
        raise ValueError("The model config must be {'class_name': ..., 'config': {...}}.")
    builders = {
        "Sequential": sequential_from_config,
        "Functional": functional_from_config,
        "Model": functional_from_config,
    }
    class_name = config.get("class_name")
    if class_name not in builders:
        raise ValueError(
            f"Unknown model class {class_name!r}: expected 'Sequential' or 'Functional'."
        )
    return builders[class_name](config["config"], custom_objects)


@contextlib.contextmanager
def random_state_untouched():
    """Building layers runs their initializers; keep the library's random stream as it was."""
    from dlcourse import backend

    generator = backend.rng()
    state = generator.bit_generator.state
    try:
        yield
    finally:
        generator.bit_generator.state = state


# ----- compile settings ---------------------------------------------------------------------


def _serialize_nested(value, serialize):
    """Names stay names; objects become {'class_name', 'config'}; lists and dicts recursively."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_serialize_nested(v, serialize) for v in value]
    if isinstance(value, dict):
        return {str(k): _serialize_nested(v, serialize) for k, v in value.items()}
    try:
        return serialize(value)
    except ValueError:
        name = getattr(value, "__name__", None)
        if name is None:
            raise
        return name  # a custom function: load_model needs custom_objects={name: function}


def compile_config(model):
    """The compile settings as JSON-ready data, or None for a model that was never compiled."""
    from dlcourse import losses, metrics, optimizers

    if not getattr(model, "compiled", False):
        return None
    settings = model._compile_config
    return {
        "optimizer": optimizers.serialize(model.optimizer),
        "loss": _serialize_nested(settings["loss"], losses.serialize),
        "loss_weights": settings["loss_weights"],
        "metrics": _serialize_nested(settings["metrics"], metrics.serialize),
        "weighted_metrics": _serialize_nested(settings.get("weighted_metrics"), metrics.serialize),
    }


def _resolve_nested(value, resolve, custom_objects):
    if isinstance(value, list):
        return [_resolve_nested(v, resolve, custom_objects) for v in value]
    if isinstance(value, dict) and "class_name" not in value:
        return {k: _resolve_nested(v, resolve, custom_objects) for k, v in value.items()}
    if isinstance(value, str) and value in (custom_objects or {}):
        return custom_objects[value]
    if isinstance(value, dict):
        return resolve(value)  # only allow-listed classes
    if value is None or isinstance(value, str):
        return value  # compile() looks names up in its allow-list
    raise ValueError(f"Cannot read {value!r:.100} as a loss or metric.")


def compile_from_config(model, config, custom_objects=None):
    """Compile `model` with settings from compile_config(), building objects from allow-lists."""
    from dlcourse import losses, metrics, optimizers

    if not isinstance(config, dict):
        raise ValueError("The compile settings must be a dict.")
    arguments = {
        "optimizer": optimizers.deserialize(config["optimizer"]),
        "loss": _resolve_nested(config.get("loss"), losses.get, custom_objects),
        "loss_weights": config.get("loss_weights"),
        "metrics": _resolve_nested(config.get("metrics"), metrics.get, custom_objects),
    }
    if config.get("weighted_metrics"):
        arguments["weighted_metrics"] = _resolve_nested(
            config["weighted_metrics"], metrics.get, custom_objects
        )
    try:
        model.compile(**arguments)
    except ValueError as error:
        raise ValueError(
            f"{error} If this is your own function, pass it to load_model: "
            f"custom_objects={{'name': function}}."
        ) from None
