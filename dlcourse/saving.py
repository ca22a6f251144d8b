"""Saving and loading models in Keras 3's own file formats, so a file crosses to Keras and back.

What each name writes (what Keras 3.15 writes for the same name, and what it loads back):

    model.save("m.keras")                 a Keras 3 `.keras` file: a zip of metadata.json,
                                          config.json (architecture and compile settings) and
                                          model.weights.h5 (weights and optimizer state, HDF5)
    model.save("m.h5")                    Keras's legacy HDF5 model file (the name the lectures
                                          use): the same content in one HDF5 file
    model.save_weights("m.weights.h5")    the weights (and optimizer state) alone, in HDF5
    model.to_json()                       the architecture (and compile settings) as JSON text

`keras.models.load_model` opens what `model.save` writes, with equal predictions, for
Sequential, functional and registered subclassed models, and training continues there from
the saved optimizer state; `dlcourse.models.load_model` opens the `.keras` and `.h5` files
Keras writes, for the layers dlcourse has, and names any layer or option it lacks. Why `.h5`
is real HDF5: the lectures save to 'my_model.h5', and Keras 3 still saves and loads that
name as its legacy HDF5 format (recommending `.keras`), so a dlcourse `.h5` file opens in Keras
too. Prefer `.keras`: it is Keras 3's own format, and the only one that holds a subclassed model.

Subclassed models are saved as Keras 3 saves them: the file names the class (as registered
with `@register_keras_serializable()`) and holds what its `get_config()` returns; loading
calls `YourClass.from_config(config)` (by default `YourClass(**config)`), builds the model and
loads the weights. The class is found only among the classes registered in your own code, or
passed as `custom_objects`: a file names a class, it never brings one.

Loading runs no code from the file and treats every file as hostile: classes come from
allow-lists (dlcourse's own layers, optimizers, losses, metrics, initializers, regularizers,
schedules, and the classes you registered); the zip's member names and sizes, and every HDF5
address, shape and dtype, are checked before use (`dlcourse._hdf5` reads HDF5 in plain NumPy:
a crafted file gives an error, never a crash in a C library); nothing is unpickled, extracted
to disk or imported. A broken, hostile or unsupported file raises `SavedFileError` (or its
subclass `UnsupportedKerasFeature`) and changes nothing.

Every save writes a temporary file in the destination folder and then renames it over the
target (`os.replace`), so an error or a crash mid-save leaves the previous file intact.

Resuming training exactly: the file holds the weights, the optimizer's slots and its step count
(as Keras stores them: `optimizer/vars`), so in dlcourse 10 + 10 epochs give bit for bit the
weights of 20. Loading does not draw from dlcourse's random generator, so in one process `fit`
after `load_model` shuffles exactly as it would have without the save. In a new process, call
`dlcourse.utils.set_random_seed(s)` before each `fit` segment, in both runs alike.
"""

import contextlib
import datetime
import inspect
import json
import os
import tempfile
import zipfile

import numpy as np

from dlcourse import _hdf5

METADATA, CONFIG, WEIGHTS = "metadata.json", "config.json", "model.weights.h5"
KERAS_MEMBERS = (METADATA, CONFIG, WEIGHTS)
MODEL_EXTENSIONS = (".keras", ".h5", ".hdf5")
LEGACY_EXTENSIONS = (".h5", ".hdf5")
WEIGHTS_EXTENSION = ".weights.h5"
# The Keras release whose file layout dlcourse writes and is tested against.
KERAS_VERSION = "3.15.1"
MEMBER_LIMITS = {METADATA: 1 << 20, CONFIG: 64 << 20, WEIGHTS: 4 << 30}  # bytes
MAX_FILE_BYTES = 4 << 30
_HDF5_SIGNATURE = _hdf5.SIGNATURE


class SavedFileError(ValueError):
    """A file that cannot be loaded: not a model or weights file, damaged, hostile, written by
    a newer Keras, or naming a class that is not registered."""


class UnsupportedKerasFeature(SavedFileError):
    """A Keras file uses a layer, an option or an optimizer that dlcourse does not have."""


# ----- registering your own classes ---------------------------------------------------------

_REGISTERED = {}  # "package>Name" -> class; filled only by the decorator, in your own code


def register_keras_serializable(package="Custom", name=None):
    """Register your class so that saved files can name it: `@register_keras_serializable()`
    above `class MyNet(Model)`. A file then stores 'Custom>MyNet' and `get_config()`'s
    output; `load_model` finds the class by that name (run the class's code first)."""

    def decorator(cls):
        registered = f"{package}>{name or cls.__name__}"
        if isinstance(cls, type) and not hasattr(cls, "get_config"):
            raise ValueError(f"Cannot register {cls.__name__}: it has no get_config() method.")
        _REGISTERED[registered] = cls
        return cls

    return decorator


def get_registered_name(obj):
    """The name a file stores for `obj`: 'package>Name' if registered, else its class name."""
    for registered, cls in _REGISTERED.items():
        if cls is obj:
            return registered
    return obj.__name__


def get_registered_object(name, custom_objects=None):
    """The class registered (or given in `custom_objects`) under `name`, or None."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    return _REGISTERED.get(name)


# ----- file names ---------------------------------------------------------------------------


def check_model_path(filepath, who="model.save"):
    """Raise a clear error unless `filepath` ends in a model-file extension (.keras, .h5, .hdf5)."""
    name = os.fspath(filepath)
    if name.lower().endswith(WEIGHTS_EXTENSION):
        raise ValueError(
            f"{who}: {name!r} ends in '.weights.h5', the name Keras gives weights-only files. "
            f"Save the whole model as 'something.keras', or the weights alone with "
            f"model.save_weights({name!r})."
        )
    if not name.lower().endswith(MODEL_EXTENSIONS):
        raise ValueError(
            f"{who}: cannot tell what to write from the file name {name!r}. Name model files "
            f"'something.keras' (Keras 3's format; '.h5' writes Keras's older HDF5 format). "
            f"For weights only, use model.save_weights('name.weights.h5')."
        )
    return name


def check_weights_path(filepath, who="save_weights"):
    """Keras 3 names weights-only files 'something.weights.h5'; so does dlcourse."""
    name = os.fspath(filepath)
    if not name.lower().endswith(WEIGHTS_EXTENSION):
        whole = (
            f", or model.save({name!r}) to save the whole model"
            if name.lower().endswith(MODEL_EXTENSIONS)
            else ""
        )
        raise ValueError(
            f"{who}: weights files are named 'something.weights.h5' (as in Keras 3), got "
            f"{name!r}. Use e.g. {_weights_name(name)!r}{whole}."
        )
    return name


def _weights_name(name):
    stem = os.path.basename(name)
    for ending in (".keras", ".hdf5", ".h5", ".npz", ".weights"):
        if stem.lower().endswith(ending):
            stem = stem[: -len(ending)]
    return os.path.join(os.path.dirname(name), (stem or "model") + WEIGHTS_EXTENSION)


# ----- atomic writing -----------------------------------------------------------------------


def _atomic_write(filepath, write, overwrite=True):
    """Call `write(binary_file)` on a temporary file next to `filepath`, then rename it over it."""
    filepath = os.fspath(filepath)
    folder = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"Cannot save to {filepath!r}: the folder {folder!r} does not exist. Create it "
            f"first, e.g. os.makedirs({folder!r}, exist_ok=True)."
        )
    if os.path.isdir(filepath):
        raise IsADirectoryError(f"Cannot save to {filepath!r}: it is a folder. Give a file name.")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(
            f"{filepath!r} exists and overwrite=False: pick another name or pass overwrite=True."
        )
    handle, temporary = tempfile.mkstemp(
        dir=folder, suffix=".tmp", prefix="." + os.path.basename(filepath) + "."
    )
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; saves are not
        os.replace(temporary, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ----- what a model is made of --------------------------------------------------------------


def _model_kind(model):
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
        raise SavedFileError(
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
        model._input_shape = tuple(_check_shape(input_shape))
    for entry in _check_list(config["layers"], "layers"):
        model.add(layer_from_config(entry, custom_objects))
    return model


def functional_from_config(config, custom_objects=None, cls=None):
    """Rebuild a functional model: create its layers, then call each on its inputs' outputs."""
    from dlcourse.layers.input_layer import InputLayer
    from dlcourse.models.model import Model

    cls = cls or Model
    tensors = {}  # (layer name, node index) -> the tensor that call produced
    calls = []
    for entry in _check_list(config["layers"], "layers"):
        layer = layer_from_config(entry, custom_objects)
        if isinstance(layer, InputLayer):
            tensors[(layer.name, 0)] = layer.output
            continue
        for index, node in enumerate(_check_list(entry.get("inbound_nodes", []), "inbound_nodes")):
            refs = [_tensor_ref(ref) for ref in _check_list(node["args"], "args")]
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
    inputs = [tensors[_tensor_ref(r)] for r in _check_list(config["input_layers"], "input_layers")]
    outputs = [
        tensors[_tensor_ref(r)] for r in _check_list(config["output_layers"], "output_layers")
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


def _check_list(value, what):
    if not isinstance(value, list):
        raise ValueError(
            f"'{what}' in the model config must be a list, got {type(value).__name__}."
        )
    return value


def _check_shape(shape):
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
def _random_state_untouched():
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


# ----- reading files safely -----------------------------------------------------------------


def _existing(filepath):
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(
            f"No file {filepath!r} (working folder: {os.getcwd()!r}). "
            f"Check the name and the folder."
        )
    if os.path.isdir(filepath):
        raise SavedFileError(
            f"{filepath!r} is a folder: dlcourse reads model files (.keras, .h5) and weights "
            f"files (.weights.h5), not folders (such as TensorFlow's SavedModel)."
        )
    return filepath


def _sniff(filepath):
    """'zip', 'hdf5' or None, from the file's first bytes."""
    with open(filepath, "rb") as file:
        head = file.read(8)
    if head.startswith(_HDF5_SIGNATURE):
        return "hdf5"
    if head.startswith(b"PK"):
        return "zip"
    return None


def _open_zip(filepath):
    try:
        return zipfile.ZipFile(filepath)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SavedFileError(
            f"{filepath!r} is not a complete model file ({error}); it may be truncated "
            f"(an interrupted copy or download) or another kind of file."
        ) from None


def _check_member_names(archive, filepath):
    names = archive.namelist()
    for name in names:
        if (
            name.startswith(("/", "\\"))
            or ".." in name.replace("\\", "/").split("/")
            or ":" in name
            or "\\" in name
        ):
            raise SavedFileError(
                f"{filepath!r} contains an unsafe member name {name!r} "
                f"(absolute or '..' path); refusing to read it."
            )
    if len(names) != len(set(names)):
        raise SavedFileError(f"{filepath!r} names the same member twice; refusing to read it.")
    if "model.weights.npz" in names:
        raise SavedFileError(
            f"{filepath!r} keeps its weights in model.weights.npz: either Keras's npz store "
            f"(which pickles them, and dlcourse never loads pickles: save it from Keras with "
            f"the default weights_format 'h5') or an older dlcourse's own format (load it "
            f"with that dlcourse and save it again)."
        )
    unexpected = sorted(set(names) - set(KERAS_MEMBERS))
    if unexpected:
        raise SavedFileError(
            f"{filepath!r} contains unexpected members {unexpected[:5]}: a .keras file that "
            f"dlcourse reads holds only {', '.join(KERAS_MEMBERS)} (no assets)."
        )


def _read_member(archive, name, filepath):
    limit = MEMBER_LIMITS[name]
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise SavedFileError(
            f"{filepath!r} lacks {name}: it is not a complete .keras model file."
        ) from None
    if info.file_size > limit:
        raise SavedFileError(
            f"{filepath!r}: {name} is {info.file_size} bytes, over the "
            f"{limit}-byte limit; refusing to read it."
        )
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise SavedFileError(f"{filepath!r} is damaged ({name}: {error}).") from None
    if len(data) > limit:
        raise SavedFileError(f"{filepath!r}: {name} is over the {limit}-byte limit.")
    return data


def _parse_json(data, what, filepath):
    try:
        value = json.loads(data.decode("utf-8") if isinstance(data, bytes) else data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise SavedFileError(f"{filepath!r}: {what} is not valid JSON ({error}).") from None
    if not isinstance(value, dict):
        raise SavedFileError(f"{filepath!r}: {what} must hold a JSON object.")
    return value


def _check_keras_version(version, filepath):
    """Files of Keras 3 are read; Keras 2 and anything newer than Keras 3 are refused."""
    version = str(version or "")
    major = version.split(".")[0]
    if not major.isdigit():
        raise SavedFileError(
            f"{filepath!r} does not say which Keras wrote it (keras_version {version!r}): it "
            f"is not a Keras 3 file."
        )
    if int(major) > 3:
        raise SavedFileError(
            f"{filepath!r} was written by Keras {version}, a newer format than the Keras 3 "
            f"files this dlcourse reads. Save it from Keras 3, or upgrade dlcourse."
        )
    if int(major) < 3:
        raise SavedFileError(
            f"{filepath!r} was written by Keras {version} (Keras 2, with TensorFlow). dlcourse "
            f"reads Keras 3 files: open it in Keras 3 and save it as 'name.keras'."
        )


def _read_hdf5(data, filepath, attributes=False):
    try:
        return _hdf5.read(data, MEMBER_LIMITS[WEIGHTS], attributes=attributes)
    except _hdf5.HDF5Error as error:
        raise SavedFileError(f"{filepath!r}: cannot read its HDF5 weights: {error}.") from None


def _read_file(filepath):
    size = os.path.getsize(filepath)
    if size > MAX_FILE_BYTES:
        raise SavedFileError(f"{filepath!r} is {size} bytes, over the {MAX_FILE_BYTES} limit.")
    with open(filepath, "rb") as file:
        return file.read()


def _flatten(tree, prefix=""):
    """{'layers': {'dense': {'vars': {'0': a}}}} -> {'layers/dense/vars/0': a}."""
    flat = {}
    for name, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{name}/"))
        else:
            flat[prefix + name] = value
    return flat


def read_keras_file(filepath):
    """(metadata, config, weights) of a `.keras` file, read safely without building anything:
    `weights` maps each variable's path ('layers/dense/vars/0') to its array."""
    filepath = _existing(filepath)
    kind = _sniff(filepath)
    if kind == "hdf5":
        raise SavedFileError(
            f"{filepath!r} is an HDF5 file (Keras's legacy '.h5' format), not a '.keras' zip: "
            f"open it with dlcourse.models.load_model."
        )
    if kind != "zip":
        raise SavedFileError(
            f"{filepath!r} is not a model file: a '.keras' file is a zip archive, and this "
            f"file does not start like one (a truncated download, or another kind of file)."
        )
    with _open_zip(filepath) as archive:
        _check_member_names(archive, filepath)
        metadata = _parse_json(_read_member(archive, METADATA, filepath), METADATA, filepath)
        config = _parse_json(_read_member(archive, CONFIG, filepath), CONFIG, filepath)
        weights = _read_member(archive, WEIGHTS, filepath)
    _check_keras_version(metadata.get("keras_version"), filepath)
    return metadata, config, _flatten(_read_hdf5(weights, filepath))


# ----- whole models -------------------------------------------------------------------------


def save_model(model, filepath, overwrite=True):
    """Write the model as Keras 3 does for the name: '.keras' (Keras 3's format) or '.h5'
    (Keras's legacy HDF5 format). Architecture, weights, compile settings, optimizer state."""
    filepath = check_model_path(filepath)
    if filepath.lower().endswith(LEGACY_EXTENSIONS):
        data = _legacy_model_bytes(model)
        _atomic_write(filepath, lambda file: file.write(data), overwrite)
        return
    from dlcourse import __version__, _keras_config

    config = _keras_config.model_config(model)
    weights = _hdf5.write(_weights_and_optimizer_tree(model))
    metadata = {
        "keras_version": KERAS_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        "dlcourse_version": __version__,
    }

    def write(file):
        with zipfile.ZipFile(file, "w") as archive:
            archive.writestr(METADATA, json.dumps(metadata))
            archive.writestr(CONFIG, json.dumps(config))
            archive.writestr(WEIGHTS, weights)

    _atomic_write(filepath, write, overwrite)


def _weights_and_optimizer_tree(model):
    from dlcourse import _keras_weights

    tree = _keras_weights.weights_tree(model)
    if getattr(model, "compiled", False) and model.optimizer is not None:
        values = _keras_weights.optimizer_variables(model)
        tree["optimizer"] = {"vars": {str(i): v for i, v in enumerate(values)}}
    return tree


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Rebuild a model from a file `model.save` wrote, here or in Keras 3: architecture,
    weights, and (with compile=True) compile settings and optimizer state. `custom_objects`
    maps names to your own classes or functions, for those not registered. Loading is always
    safe (allow-lists, no pickle, no code); `safe_mode` is accepted for Keras code."""
    filepath = _existing(filepath)
    kind = _sniff(filepath)
    if kind == "hdf5":
        return _load_hdf5_model(filepath, custom_objects, compile)
    if kind != "zip":
        raise SavedFileError(
            f"{filepath!r} is not a model file written by dlcourse or Keras: it is neither a "
            f"'.keras' zip nor an HDF5 file (it may be truncated, or another kind of file)."
        )
    _, config, weights = read_keras_file(filepath)
    return _build(config, weights, filepath, custom_objects, compile)


def _build(config, weights, filepath, custom_objects, compile):
    """The model a config and its weights describe; any problem becomes a SavedFileError."""
    from dlcourse import _keras_config, _keras_weights

    try:
        model = _keras_config.model_from_config(config, custom_objects)
        _keras_weights.assign_weights(model, weights)
        if compile and config.get("compile_config"):
            _keras_config.compile_from_config(model, config["compile_config"], custom_objects)
            optimizer = [weights[k] for k in _numbered(weights, "optimizer/vars/")]
            if optimizer:
                _keras_weights.restore_optimizer(model, optimizer)
    except SavedFileError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise SavedFileError(f"Cannot load {filepath!r}: {_describe(error)}") from error
    return model


def _numbered(arrays, prefix):
    """The keys prefix+'0', prefix+'1', ... in number order (HDF5 sorts them as text)."""
    keys = [k for k in arrays if k.startswith(prefix)]
    numbers = sorted(int(k[len(prefix) :]) for k in keys if k[len(prefix) :].isdigit())
    if len(numbers) != len(keys) or numbers != list(range(len(keys))):
        raise SavedFileError(f"The variables under {prefix} are not numbered 0, 1, 2, ...")
    return [f"{prefix}{n}" for n in numbers]


def _describe(error):
    return f"missing key {error}" if isinstance(error, KeyError) else str(error)


# ----- Keras's legacy HDF5 model file ('.h5') ----------------------------------------------


def _legacy_model_bytes(model):
    """Keras 3's legacy `.h5` model file: the config as attributes, weights per layer name."""
    from dlcourse import __version__, _keras_config, _keras_weights

    if _model_kind(model) is None:
        raise NotImplementedError(
            f"Cannot save the subclassed model {model.name!r} as '.h5': Keras's HDF5 format "
            f"cannot hold subclassed models (Keras 3 writes the file but cannot load it "
            f"back). Save it as 'name.keras', Keras 3's format, which can."
        )
    config = _keras_config.model_config(model)
    compile_config = config.pop("compile_config", None)
    version = {"backend": f"dlcourse {__version__}", "keras_version": KERAS_VERSION}
    attributes = {"": {**version, "model_config": json.dumps(config)}, "model_weights": {}}
    tree = {"model_weights": {}}
    groups = _keras_weights.legacy_weight_groups(model)
    attributes["model_weights"] = {**version, "layer_names": [name for name, _ in groups]}
    for name, weights in groups:
        tree["model_weights"][name] = _nested({w: v for w, v in weights})
        attributes[f"model_weights/{name}"] = {"weight_names": [w for w, _ in weights]}
    if compile_config is not None:
        training = {k: v for k, v in compile_config.items() if k != "optimizer"}
        optimizer = compile_config["optimizer"]
        training["optimizer_config"] = {k: optimizer[k] for k in ("class_name", "config")}
        attributes[""]["training_config"] = json.dumps(training)
        values = _keras_weights.optimizer_variables(model)
        names = _keras_weights.optimizer_variable_names(model)
        tree["optimizer_weights"] = _nested(dict(zip(names, values)))
        attributes["optimizer_weights"] = {"weight_names": names}
    try:
        return _hdf5.write(tree, attributes)
    except _hdf5.AttributeTooLarge:
        raise ValueError(
            f"Cannot save model {model.name!r} as '.h5': its config is larger than the "
            f"64 KB an HDF5 attribute holds (Keras has the same limit). Save it as "
            f"'name.keras'."
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


def _load_hdf5_model(filepath, custom_objects, compile):
    tree, attributes = _read_hdf5(_read_file(filepath), filepath, attributes=True)
    root = attributes.get("", {})
    if "model_config" not in root:
        if "layers" in tree or "layer_names" in root or "model_weights" in tree:
            raise SavedFileError(
                f"{filepath!r} holds only weights (written by save_weights). Create the model "
                f"in code, then call model.load_weights({filepath!r})."
            )
        raise SavedFileError(f"{filepath!r} is an HDF5 file but not a Keras model file.")
    _check_keras_version(_text(root.get("keras_version")), filepath)
    config = _parse_json(_text(root["model_config"]), "model_config", filepath)
    training = root.get("training_config")
    if training is not None:
        training = _parse_json(_text(training), "training_config", filepath)
        optimizer = training.pop("optimizer_config", None)
        config["compile_config"] = {**training, "optimizer": optimizer}
    weights = _legacy_weights(tree, attributes, filepath)
    return _build_legacy(config, weights, tree, attributes, filepath, custom_objects, compile)


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value) if value is not None else None


def _names(attributes, path, key, filepath):
    """A list-of-names attribute, as Keras stores layer_names and weight_names."""
    value = attributes.get(path, {}).get(key)
    if value is None:
        return []
    if isinstance(value, (str, bytes)):
        value = [value]
    if isinstance(value, np.ndarray) and value.size == 0:
        return []
    if not isinstance(value, (list, np.ndarray)) or not all(
        isinstance(v, (str, bytes)) for v in list(value)
    ):
        raise SavedFileError(f"{filepath!r}: the attribute {path}/{key} is not a list of names.")
    return [_text(v) for v in value]


def _lookup(tree, path, filepath):
    node = tree
    for part in path.split("/"):
        if not isinstance(node, dict) or part not in node:
            raise SavedFileError(f"{filepath!r} lacks the weight {path!r} it lists.")
        node = node[part]
    if isinstance(node, dict):
        raise SavedFileError(f"{filepath!r}: {path!r} is a group, not a weight.")
    return node


def _legacy_weights(tree, attributes, filepath):
    """[(layer name, [arrays])] in the file's layer order, from a legacy model file (group
    'model_weights') or a legacy weights file (the same content at the top)."""
    if "layer_names" in attributes.get("", {}):
        group, where = tree, ""
    elif isinstance(tree.get("model_weights"), dict):
        group, where = tree["model_weights"], "model_weights/"
    else:
        raise SavedFileError(f"{filepath!r} has no model_weights group.")
    layers = []
    for name in _names(attributes, where.rstrip("/"), "layer_names", filepath):
        if not isinstance(group.get(name), dict):
            raise SavedFileError(
                f"{filepath!r} lists the layer {name!r} but holds no group for it."
            )
        names = _names(attributes, f"{where}{name}", "weight_names", filepath)
        layers.append((name, [_lookup(group[name], w, filepath) for w in names]))
    return layers


def _build_legacy(config, weights, tree, attributes, filepath, custom_objects, compile):
    from dlcourse import _keras_config, _keras_weights

    try:
        model = _keras_config.model_from_config(config, custom_objects)
        _keras_weights.assign_legacy_weights(model, weights)
        if compile and config.get("compile_config"):
            _keras_config.compile_from_config(model, config["compile_config"], custom_objects)
            names = _names(attributes, "optimizer_weights", "weight_names", filepath)
            if names:
                group = tree.get("optimizer_weights", {})
                values = [_lookup(group, n, filepath) for n in names]
                _keras_weights.restore_optimizer(model, values)
    except SavedFileError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise SavedFileError(f"Cannot load {filepath!r}: {_describe(error)}") from error
    return model


# ----- weights only -------------------------------------------------------------------------


def save_weights(model, filepath, overwrite=True):
    """Write the model's weights (and its optimizer's state, as Keras does) to
    'name.weights.h5', in Keras 3's layout. Works for every model style."""
    filepath = check_weights_path(filepath)
    if not model.built or any(not layer.built for layer in model.layers):
        raise ValueError(
            f"Cannot save the weights of model {model.name!r}: it is not built yet, so they "
            f"do not exist. Call it on a batch (or give it an input shape) first."
        )
    data = _hdf5.write(_weights_and_optimizer_tree(model))
    _atomic_write(filepath, lambda file: file.write(data), overwrite)


def load_weights(model, filepath, skip_mismatch=False):
    """Load weights into `model` from a weights file (Keras 3's '.weights.h5' or a legacy
    '.h5'), or from a whole-model file ('.keras' or '.h5'), as Keras 3 does.

    Every array is checked against the model's weights first: on any mismatch nothing changes.
    A file that also holds the optimizer's state restores it when the model is compiled with
    the same kind of optimizer (Keras does the same)."""
    from dlcourse import _keras_weights

    filepath = _existing(filepath)
    if not model.built or any(not layer.built for layer in model.layers):
        raise ValueError(
            f"Cannot load weights into model {model.name!r}: it is not built yet, so its "
            f"weights do not exist. Build it first (give the first layer input_shape=..., "
            f"call model.build((None, n_features)), or call the model on a batch)."
        )
    kind = _sniff(filepath)
    try:
        if kind == "zip":
            weights = read_keras_file(filepath)[2]
            legacy = None
        elif kind == "hdf5":
            tree, attributes = _read_hdf5(_read_file(filepath), filepath, attributes=True)
            legacy = "model_weights" in tree or "layer_names" in attributes.get("", {})
            if legacy:
                saved = _legacy_weights(tree, attributes, filepath)
            else:
                weights = _flatten(tree)
        else:
            raise SavedFileError(
                f"{filepath!r} is not a weights file: neither HDF5 ('.weights.h5', '.h5') nor "
                f"a '.keras' zip (it may be truncated, or another kind of file)."
            )
        if legacy:
            _keras_weights.assign_legacy_weights(model, saved, skip_mismatch)
        else:
            _keras_weights.assign_weights(model, weights, skip_mismatch)
            optimizer = [weights[k] for k in _numbered(weights, "optimizer/vars/")]
            if optimizer and getattr(model, "compiled", False):
                _restore_optimizer_if_it_fits(model, optimizer)
    except _keras_weights.WeightsMismatch as error:
        raise SavedFileError(f"Cannot load weights from {filepath!r}: {error}") from None


def _restore_optimizer_if_it_fits(model, values):
    import warnings

    from dlcourse import _keras_weights

    try:
        _keras_weights.restore_optimizer(model, values)
    except _keras_weights.WeightsMismatch as error:
        warnings.warn(
            f"The weights were loaded, but not the optimizer state: {error}", stacklevel=3
        )


# ----- JSON ---------------------------------------------------------------------------------


def model_to_json(model, **kwargs):
    """The architecture and compile settings as Keras 3's JSON (no weights)."""
    from dlcourse import _keras_config

    return json.dumps(_keras_config.model_config(model), **kwargs)


def model_from_json(json_string, custom_objects=None):
    """A new model (fresh weights) from `model.to_json()` text, here or from Keras 3; compiled
    when the text holds compile settings, as in Keras 3."""
    from dlcourse import _keras_config

    if not isinstance(json_string, str):
        raise TypeError(f"model_from_json takes the JSON text, got {type(json_string).__name__}.")
    if not json_string.lstrip().startswith("{") and os.path.exists(json_string):
        raise ValueError(
            f"model_from_json takes the JSON text, not a file name: use "
            f"model_from_json(open({json_string!r}).read())."
        )
    config = _parse_json(json_string, "the JSON text", "model_from_json")
    try:
        model = _keras_config.model_from_config(config, custom_objects)
        if config.get("compile_config"):
            _keras_config.compile_from_config(model, config["compile_config"], custom_objects)
    except SavedFileError as error:
        raise ValueError(f"model_from_json: {error}") from None
    return model


__all__ = [
    "SavedFileError",
    "UnsupportedKerasFeature",
    "register_keras_serializable",
    "get_registered_name",
    "get_registered_object",
    "save_model",
    "load_model",
    "save_weights",
    "load_weights",
    "model_to_json",
    "model_from_json",
    "read_keras_file",
]
