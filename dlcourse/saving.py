"""Saving and loading models: one zip file per model, weights-only files, and JSON architectures.

A model file has the layout of Keras 3's `.keras` file, a zip archive holding:

    metadata.json       format name and version, dlcourse version, date
    config.json         the model's class and config (its layers' classes and configs) and the
                        compile settings (optimizer config, loss, metrics, loss_weights)
    model.weights.npz   every weight array, plus the optimizer's step count and slot arrays

`model.save('my_model.h5')` writes this same zip: the name is accepted because learners type
it, but the content is dlcourse's zip format, not HDF5 (Keras and h5py cannot read it).

Loading runs no code from the file. Objects are built only from dlcourse's allow-lists of
known classes (layers, optimizers, losses, metrics, initializers, regularizers), arrays are
read with `allow_pickle=False`, and the archive may contain only the three members above,
each within a size limit. A broken or hostile file gives a `SavedFileError` and changes
nothing: nothing is extracted to disk and no existing model is touched.

Every save writes a temporary file in the destination folder and then renames it over the
target (`os.replace`), so an error or a crash mid-save leaves the previous file intact.

Resuming training exactly: the file restores the weights, the optimizer's slots and its
iteration count, so training continues as if it had never stopped. Loading does not draw from
dlcourse's random generator, so in one process `fit` after `load_model` shuffles exactly as
it would have without the save. In a new process, call `dlcourse.utils.set_random_seed(s)`
before each `fit` segment, in the original run and in the resumed one alike.
"""

import contextlib
import datetime
import io
import json
import os
import re
import tempfile
import zipfile

import numpy as np

FORMAT_NAME = "dlcourse"
FORMAT_VERSION = 1
WEIGHTS_FORMAT_NAME = "dlcourse-weights"
MODEL_EXTENSIONS = (".keras", ".h5", ".hdf5")

METADATA, CONFIG, WEIGHTS = "metadata.json", "config.json", "model.weights.npz"
MEMBER_LIMITS = {
    METADATA: 1 << 20,
    CONFIG: 64 << 20,
    WEIGHTS: 4 << 30,  # bytes
    "model.weights.h5": 4 << 30,
}  # Keras's weights (dlcourse.interop)
MAX_ARRAYS = 100_000
_ARRAY_NAME = re.compile(
    r"^(weights/\d{4,6}|optimizer/iterations|optimizer/var_index|"
    r"optimizer/slots/\d{4,6}/[A-Za-z_][A-Za-z0-9_]*|"
    r"format|format_version|weight_names)$"
)
_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


class SavedFileError(ValueError):
    """A file that cannot be loaded: not a dlcourse file, damaged, hostile, or from a newer
    dlcourse."""


# ----- file names ---------------------------------------------------------------------------


def check_model_path(filepath, who="model.save"):
    """Raise a clear error unless `filepath` ends in a model-file extension (.keras, .h5, .hdf5)."""
    name = os.fspath(filepath)
    if not name.lower().endswith(MODEL_EXTENSIONS):
        raise ValueError(
            f"{who}: cannot tell what to write from the file name {name!r}. Name model files "
            f"'something.keras' (or '.h5' as in older Keras code: dlcourse then writes its zip "
            f"format, not HDF5). For weights only, use model.save_weights('name.weights.h5')."
        )
    return name


def check_weights_path(filepath, who="save_weights"):
    """Any name works for weights except '.keras', which names whole-model files."""
    name = os.fspath(filepath)
    if name.lower().endswith(".keras"):
        raise ValueError(
            f"{who}: {name!r} ends in '.keras', the name of a whole-model file. Use "
            f"model.save({name!r}) for the whole model, or a name like 'model.weights.h5' "
            f"for the weights alone."
        )
    return name


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
    return None


def serialize_model(model):
    """{'module', 'class_name', 'config'} describing the architecture (no weights)."""
    from dlcourse.models.model import Model

    kind = _model_kind(model)
    if kind is None:
        raise NotImplementedError(
            f"Cannot save the architecture of the subclassed model {type(model).__name__!r}: "
            "its layers are connected by Python code in call(), which a file cannot hold "
            "safely. Save its weights with model.save_weights('my_model.weights.h5'); to load, "
            "create the model in code, call it on a batch (or build it) and use "
            "model.load_weights('my_model.weights.h5')."
        )
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
    return {"module": "dlcourse.models", "class_name": kind, "config": model.get_config()}


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
        d is None or (isinstance(d, int) and 0 < d < 2**31) for d in shape
    ):
        raise ValueError(f"An input shape must be a list of positive integers, got {shape!r:.100}.")
    return shape


def deserialize_model(config, custom_objects=None):
    """A model from serialize_model() output, built only from allowed classes."""
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
            f"Unknown model class {class_name!r}: dlcourse files hold "
            f"'Sequential' or 'Functional' models."
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


def _serialize_nested(value, serialize, kind):
    """Names stay names; objects become {'class_name', 'config'}; lists and dicts recursively."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_serialize_nested(v, serialize, kind) for v in value]
    if isinstance(value, dict):
        return {str(k): _serialize_nested(v, serialize, kind) for k, v in value.items()}
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
        "loss": _serialize_nested(settings["loss"], losses.serialize, "loss"),
        "loss_weights": settings["loss_weights"],
        "metrics": _serialize_nested(settings["metrics"], metrics.serialize, "metric"),
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
    optimizer = optimizers.deserialize(config["optimizer"])
    loss = _resolve_nested(config.get("loss"), losses.get, custom_objects)
    model_metrics = _resolve_nested(config.get("metrics"), metrics.get, custom_objects)
    try:
        model.compile(
            optimizer=optimizer,
            loss=loss,
            loss_weights=config.get("loss_weights"),
            metrics=model_metrics,
        )
    except ValueError as error:
        raise ValueError(
            f"{error} If this is your own function, pass it to load_model: "
            f"custom_objects={{'name': function}}."
        ) from None


# ----- weights as named arrays --------------------------------------------------------------


def _weight_arrays(model):
    return {f"weights/{i:04d}": v.value for i, v in enumerate(model.weights)}


def _optimizer_arrays(model):
    """The optimizer's step count and slots, each slot tied to a weight by its index."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "get_state"):
        return {}
    position = {id(v.value): i for i, v in enumerate(model.weights)}
    built = getattr(optimizer, "_built_vars", [])
    if any(id(var) not in position for var in built):
        return {}  # the optimizer also trains arrays outside this model: its state is not ours
    state = optimizer.get_state()
    arrays = {
        "optimizer/iterations": np.array(state["iterations"], dtype=np.int64),
        "optimizer/var_index": np.array([position[id(v)] for v in built], dtype=np.int64),
    }
    for k, slots in enumerate(state["slots"]):
        for name, array in slots.items():
            arrays[f"optimizer/slots/{k:04d}/{name}"] = array
    return arrays


def _assign_weights(model, arrays, source, skip_mismatch=False):
    """Check every array against the model's weights first, then assign them all (or none)."""
    variables = model.weights
    saved = sorted(k for k in arrays if k.startswith("weights/"))
    if not variables and saved:
        raise ValueError(
            f"{source} holds {len(saved)} weight arrays but model {model.name!r} has no weights "
            "yet: build it first (give the first layer input_shape=..., call "
            "model.build((None, n_features)), or call the model on a batch)."
        )
    if len(saved) != len(variables):
        raise ValueError(
            f"{source} holds {len(saved)} weight arrays but model {model.name!r} "
            f"has {len(variables)}: the file comes from a different architecture."
        )
    pairs = []
    for variable, key in zip(variables, saved):
        value = arrays[key]
        if value.dtype.kind not in "fiu":
            raise ValueError(f"{source}: {key} has dtype {value.dtype}, not a number type.")
        if value.shape != variable.shape:
            if skip_mismatch:
                continue
            raise ValueError(
                f"{source}: weight {key} has shape {value.shape} but {variable.name} in the "
                f"model has shape {variable.shape}: the file comes from a different "
                f"architecture (or pass skip_mismatch=True to skip such weights)."
            )
        pairs.append((variable, value))
    for variable, value in pairs:
        variable.assign(value)


def _restore_optimizer(model, arrays, source):
    if "optimizer/iterations" not in arrays or model.optimizer is None:
        return
    variables = model.weights
    index = arrays["optimizer/var_index"]
    if (
        index.ndim != 1
        or index.dtype.kind not in "iu"
        or any(not 0 <= i < len(variables) for i in index)
    ):
        raise ValueError(f"{source}: the optimizer state refers to weights the model lacks.")
    slots = [{} for _ in index]
    for key, array in arrays.items():
        match = re.match(r"^optimizer/slots/(\d+)/(\w+)$", key)
        if match:
            k = int(match.group(1))
            if k >= len(slots):
                raise ValueError(f"{source}: optimizer slot {key} has no matching weight.")
            slots[k][match.group(2)] = array
    state = {"iterations": int(arrays["optimizer/iterations"]), "slots": slots}
    model.optimizer.set_state(state, [variables[i].value for i in index])


# ----- reading files safely -----------------------------------------------------------------


def _open_zip(filepath, what):
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(
            f"No file {filepath!r} (working folder: {os.getcwd()!r}). "
            f"Check the name and the folder."
        )
    with open(filepath, "rb") as file:
        head = file.read(8)
    if head.startswith(_HDF5_SIGNATURE):
        raise SavedFileError(
            f"{filepath!r} is an HDF5 file written by Keras/TensorFlow. dlcourse reads only "
            f"files written by dlcourse (a zip, whatever the name): save the model again with "
            f"dlcourse."
        )
    try:
        return zipfile.ZipFile(filepath)
    except (zipfile.BadZipFile, OSError) as error:
        raise SavedFileError(
            f"{filepath!r} is not a {what} written by dlcourse ({error}); it may be truncated "
            f"(an interrupted copy or download) or another kind of file."
        ) from None


def _check_member_names(archive, filepath, allowed):
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
    unexpected = sorted(set(names) - set(allowed))
    if "model.weights.h5" in unexpected:
        raise SavedFileError(
            f"{filepath!r} was written by Keras (its weights are HDF5, "
            f"model.weights.h5): open it with "
            f"dlcourse.interop.from_keras_file({filepath!r})."
        )
    if unexpected:
        raise SavedFileError(
            f"{filepath!r} contains unexpected members {unexpected[:5]}: "
            f"a dlcourse file holds only {', '.join(sorted(allowed))}."
        )


def _read_member(archive, name, filepath):
    limit = MEMBER_LIMITS[name]
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise SavedFileError(
            f"{filepath!r} lacks {name}: it is not a complete dlcourse model file."
        ) from None
    if info.file_size > limit:
        raise SavedFileError(
            f"{filepath!r}: {name} is {info.file_size} bytes, over the "
            f"{limit}-byte limit; refusing to read it."
        )
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise SavedFileError(f"{filepath!r} is damaged ({name}: {error}).") from None
    if len(data) > limit:
        raise SavedFileError(f"{filepath!r}: {name} is over the {limit}-byte limit.")
    return data


def _read_json(archive, name, filepath):
    try:
        value = json.loads(_read_member(archive, name, filepath).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise SavedFileError(f"{filepath!r}: {name} is not valid JSON ({error}).") from None
    if not isinstance(value, dict):
        raise SavedFileError(f"{filepath!r}: {name} must hold a JSON object.")
    return value


def _check_version(metadata, filepath, expected_format):
    if metadata.get("format") != expected_format:
        raise SavedFileError(
            f"{filepath!r} is not a dlcourse file (format "
            f"{metadata.get('format')!r}, expected {expected_format!r})."
        )
    version = metadata.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise SavedFileError(f"{filepath!r} has an invalid format version {version!r}.")
    if version > FORMAT_VERSION:
        raise SavedFileError(
            f"{filepath!r} was written by a newer dlcourse (file format version {version}; "
            f"this dlcourse reads up to version {FORMAT_VERSION}). Upgrade dlcourse to load it."
        )


def _read_arrays(source, filepath):
    """All arrays of an .npz (a path or bytes), with pickles refused and names checked."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as inner:
            infos = inner.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise SavedFileError(f"{filepath!r}: the weights are damaged ({error}).") from None
    if len(infos) > MAX_ARRAYS or sum(i.file_size for i in infos) > MEMBER_LIMITS[WEIGHTS]:
        raise SavedFileError(f"{filepath!r}: the weights exceed the size limits.")
    for info in infos:
        key = info.filename[:-4] if info.filename.endswith(".npy") else None
        if key is None or not _ARRAY_NAME.match(key):
            raise SavedFileError(
                f"{filepath!r}: unexpected array {info.filename!r} in the "
                f"weights; refusing to read it."
            )
    try:
        with np.load(
            io.BytesIO(source) if isinstance(source, bytes) else source, allow_pickle=False
        ) as npz:
            return {key: npz[key] for key in npz.files}
    except ValueError as error:
        if "pickle" in str(error).lower() or "object" in str(error).lower():
            raise SavedFileError(
                f"{filepath!r} holds a pickled Python object among its arrays. dlcourse never "
                f"loads pickles (they can run code); refusing to read it."
            ) from None
        raise SavedFileError(f"{filepath!r}: the weights are damaged ({error}).") from None
    except (OSError, EOFError, zipfile.BadZipFile) as error:
        raise SavedFileError(f"{filepath!r}: the weights are damaged ({error}).") from None


# ----- whole models -------------------------------------------------------------------------


def save_model(model, filepath, overwrite=True):
    """Write architecture, weights, compile settings and optimizer state to one zip file."""
    from dlcourse import __version__

    filepath = check_model_path(filepath)
    config = serialize_model(model)
    config["compile_config"] = compile_config(model)
    metadata = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "dlcourse_version": __version__,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        "note": "A dlcourse model file: a zip, not HDF5, whatever its extension.",
    }
    arrays = {**_weight_arrays(model), **_optimizer_arrays(model)}

    def write(file):
        weights = io.BytesIO()
        np.savez(weights, **arrays)
        with zipfile.ZipFile(file, "w") as archive:
            archive.writestr(METADATA, json.dumps(metadata, indent=2))
            archive.writestr(CONFIG, json.dumps(config, indent=2))
            archive.writestr(WEIGHTS, weights.getvalue())

    _atomic_write(filepath, write, overwrite)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Rebuild a model saved by `model.save`: architecture, weights, compile settings and
    optimizer state. `custom_objects` maps names to your own losses, metrics or layer classes.
    Loading is always safe (allow-lists, no pickle); `safe_mode` is accepted for Keras code.
    """
    filepath = os.fspath(filepath)
    with _open_zip(filepath, "model file") as archive:
        if CONFIG not in archive.namelist() and all(n.endswith(".npy") for n in archive.namelist()):
            raise SavedFileError(
                f"{filepath!r} holds only weights (written by save_weights). Create the model "
                f"in code, then call model.load_weights({filepath!r})."
            )
        _check_member_names(archive, filepath, (METADATA, CONFIG, WEIGHTS))
        _check_version(_read_json(archive, METADATA, filepath), filepath, FORMAT_NAME)
        config = _read_json(archive, CONFIG, filepath)
        arrays = _read_arrays(_read_member(archive, WEIGHTS, filepath), filepath)
    try:
        with _random_state_untouched():
            model = deserialize_model(config, custom_objects)
        _assign_weights(model, arrays, repr(filepath))
        if compile and config.get("compile_config"):
            compile_from_config(model, config["compile_config"], custom_objects)
            _restore_optimizer(model, arrays, repr(filepath))
    except SavedFileError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise SavedFileError(f"Cannot load {filepath!r}: {_describe(error)}") from error
    return model


def _describe(error):
    return f"missing key {error}" if isinstance(error, KeyError) else str(error)


# ----- weights only -------------------------------------------------------------------------


def save_weights(model, filepath, overwrite=True):
    """Write the model's weight arrays (in `model.weights` order) to an .npz file, any name.

    Works for every model style, subclassed models included.
    """
    filepath = check_weights_path(filepath)
    arrays = _weight_arrays(model)
    arrays["format"] = np.array(WEIGHTS_FORMAT_NAME)
    arrays["format_version"] = np.array(FORMAT_VERSION, dtype=np.int64)
    arrays["weight_names"] = np.array([v.name for v in model.weights], dtype=str)
    _atomic_write(filepath, lambda file: np.savez(file, **arrays), overwrite)


def load_weights(model, filepath, skip_mismatch=False):
    """Load weights saved by save_weights (or the weights inside a model file) into `model`.

    Weights are matched by position (the `model.weights` order), each shape checked first:
    on any mismatch nothing is changed.
    """
    filepath = os.fspath(filepath)
    with _open_zip(filepath, "weights file") as archive:
        names = archive.namelist()
        if CONFIG in names:  # a whole-model file: Keras 3 also loads weights from one
            _check_member_names(archive, filepath, (METADATA, CONFIG, WEIGHTS))
            _check_version(_read_json(archive, METADATA, filepath), filepath, FORMAT_NAME)
            arrays = _read_arrays(_read_member(archive, WEIGHTS, filepath), filepath)
        else:
            arrays = None
    if arrays is None:
        arrays = _read_arrays(filepath, filepath)
        metadata = {
            "format": str(arrays.get("format", "")),
            "format_version": int(arrays["format_version"])
            if "format_version" in arrays and arrays["format_version"].ndim == 0
            else None,
        }
        _check_version(metadata, filepath, WEIGHTS_FORMAT_NAME)
    _assign_weights(model, arrays, repr(filepath), skip_mismatch)


# ----- JSON ---------------------------------------------------------------------------------


def model_to_json(model, **kwargs):
    """The architecture as a JSON string (no weights): `model_from_json` rebuilds it."""
    from dlcourse import __version__

    return json.dumps({**serialize_model(model), "dlcourse_version": __version__}, **kwargs)


def model_from_json(json_string, custom_objects=None):
    """A new model (fresh weights, not compiled) from `model.to_json()` output."""
    if not isinstance(json_string, str):
        raise TypeError(f"model_from_json takes the JSON text, got {type(json_string).__name__}.")
    if not json_string.lstrip().startswith("{") and os.path.exists(json_string):
        raise ValueError(
            f"model_from_json takes the JSON text, not a file name: use "
            f"model_from_json(open({json_string!r}).read())."
        )
    try:
        config = json.loads(json_string)
    except (json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"model_from_json: not valid JSON ({error}).") from None
    return deserialize_model(config, custom_objects)


__all__ = [
    "SavedFileError",
    "save_model",
    "load_model",
    "save_weights",
    "load_weights",
    "model_to_json",
    "model_from_json",
    "serialize_model",
    "deserialize_model",
]
