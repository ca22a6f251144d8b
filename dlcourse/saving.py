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
Keras writes, for the layers dlcourse has, and names any layer or option it lacks.

Why `.h5` is real HDF5: the lectures save to 'my_model.h5', and Keras 3 still saves and loads
that name as its legacy HDF5 format (recommending `.keras`), so a dlcourse `.h5` file opens in
Keras too, and the lecture's two lines work unchanged in both libraries. Prefer `.keras`: it is
Keras 3's own format and the only one that holds a subclassed model; and Keras 3.15 restores
only the step count and learning rate of an `.h5` file's optimizer, and cannot train the model
it loads from one until it is compiled again (its own `.h5` files alike): to continue training
in Keras, use the `.keras` file. dlcourse restores the whole state from either.

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
import json
import os
import tempfile
import zipfile

from dlcourse import _hdf5

# Sequential.from_config and Model.from_config reach these through dlcourse.saving.
from dlcourse._model_config import functional_from_config, sequential_from_config  # noqa: F401

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
    from dlcourse import __version__, _keras_config, _keras_h5

    filepath = check_model_path(filepath)
    if filepath.lower().endswith(LEGACY_EXTENSIONS):
        data = _keras_h5.write(model)
        _atomic_write(filepath, lambda file: file.write(data), overwrite)
        return
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
    """The groups of a Keras weights file: every layer's weights, and the optimizer's state."""
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
    from dlcourse import _keras_h5, _keras_weights

    filepath = _existing(filepath)
    kind = _sniff(filepath)
    if kind == "zip":
        _, config, weights = read_keras_file(filepath)
        optimizer = [weights[k] for k in _numbered(weights, "optimizer/vars/")]
        assign = _keras_weights.assign_weights
    elif kind == "hdf5":
        tree, attributes = _read_hdf5(_read_file(filepath), filepath, attributes=True)
        config, weights, optimizer = _keras_h5.read(tree, attributes, filepath)
        assign = _keras_weights.assign_legacy_weights
    else:
        raise SavedFileError(
            f"{filepath!r} is not a model file written by dlcourse or Keras: it is neither a "
            f"'.keras' zip nor an HDF5 file (it may be truncated, or another kind of file)."
        )
    from dlcourse import _keras_config

    try:
        model = _keras_config.model_from_config(config, custom_objects)
        assign(model, weights)
        if compile and config.get("compile_config"):
            _keras_config.compile_from_config(model, config["compile_config"], custom_objects)
            if optimizer:
                _keras_weights.restore_optimizer(model, optimizer)
    except SavedFileError:
        raise
    except MemoryError:
        raise SavedFileError(
            f"Cannot load {filepath!r}: its config declares layers too large to build."
        ) from None
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
    from dlcourse import _keras_h5, _keras_weights

    filepath = _existing(filepath)
    if not model.built or any(not layer.built for layer in model.layers):
        raise ValueError(
            f"Cannot load weights into model {model.name!r}: it is not built yet, so its "
            f"weights do not exist. Build it first (give the first layer input_shape=..., "
            f"call model.build((None, n_features)), or call the model on a batch)."
        )
    kind = _sniff(filepath)
    if kind == "zip":
        tree, attributes = None, {}
        weights = read_keras_file(filepath)[2]
    elif kind == "hdf5":
        tree, attributes = _read_hdf5(_read_file(filepath), filepath, attributes=True)
        weights = _flatten(tree)
    else:
        raise SavedFileError(
            f"{filepath!r} is not a weights file: neither HDF5 ('.weights.h5', '.h5') nor "
            f"a '.keras' zip (it may be truncated, or another kind of file)."
        )
    try:
        if tree is not None and _keras_h5.is_legacy(tree, attributes):
            saved = _keras_h5.layer_weights(tree, attributes, filepath)
            _keras_weights.assign_legacy_weights(model, saved, skip_mismatch)
            return
        _keras_weights.assign_weights(model, weights, skip_mismatch)
    except _keras_weights.WeightsMismatch as error:
        raise SavedFileError(f"Cannot load weights from {filepath!r}: {error}") from None
    optimizer = [weights[k] for k in _numbered(weights, "optimizer/vars/")]
    if optimizer and getattr(model, "compiled", False):
        _restore_optimizer_if_it_fits(model, optimizer)


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
