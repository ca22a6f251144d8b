"""Checking and batching the data given to fit, evaluate and predict.

Learners' most common mistakes are caught here, before any arithmetic, with a message that says
what is wrong and how to fix it.
"""

import numpy as np

from dlcourse import backend


def as_input_list(x, model, what="x"):
    """x as a list of float arrays (one per model input), checked for type and finite values.

    A list of rows (`X.tolist()`) is one array, as is a list of numbers, unless the model has
    several inputs: then a list holds one array per input. A dict maps the names of a
    functional model's inputs (`Input(..., name=...)`) to their arrays.
    """
    names = [t.node.layer.name for t in model.inputs] if model.inputs else None
    if isinstance(x, dict):
        if names is None:
            raise ValueError(
                f"{what} is a dict with the keys {list(x)}, but {type(model).__name__} "
                f"'{model.name}' has no named inputs: pass the array itself (e.g. "
                f"{what}[{next(iter(x), 'name')!r}]). Inputs are named in a functional model: "
                "Input(shape=..., name=...)."
            )
        missing = [n for n in names if n not in x]
        if missing:
            raise ValueError(
                f"{what} is missing the input(s) {missing}; the model's inputs are {names}."
            )
        x = [x[n] for n in names]
    elif _is_rows(x) and (names is None or len(names) == 1):
        x = [x]
    arrays = x if isinstance(x, (list, tuple)) else [x]
    if names is not None and len(arrays) != len(names):
        raise ValueError(
            f"This model has {len(names)} input{'s' if len(names) > 1 else ''} {names}, but "
            f"{what} holds {len(arrays)} array(s). Pass a list with one array per input, in "
            "this order, or a dict by input name."
        )
    return [
        _as_float_array(a, what if len(arrays) == 1 else f"{what}[{i}]")
        for i, a in enumerate(arrays)
    ]


def _is_rows(x):
    """Whether x is a Python list of rows or of numbers (not a list of arrays): one array."""
    return isinstance(x, (list, tuple)) and all(
        isinstance(item, (list, tuple, int, float, np.number)) for item in x
    )


def as_target_list(y, n_outputs, output_names=None, what="y"):
    """y as a list of numeric arrays, one per model output. When the number of outputs is not
    known yet (None: a subclassed model), a list of arrays holds one per output."""
    if isinstance(y, dict):
        if output_names is None:
            raise ValueError(f"{what} was given as a dict, but this model's outputs have no names.")
        missing = [n for n in output_names if n not in y]
        if missing:
            raise ValueError(
                f"{what} is missing targets for output(s) {missing}; outputs are {output_names}."
            )
        y = [y[n] for n in output_names]
    if n_outputs is None:
        n_outputs = len(y) if isinstance(y, (list, tuple)) and not _is_rows(y) else 1
    arrays = list(y) if isinstance(y, (list, tuple)) and n_outputs > 1 else [y]
    if len(arrays) != n_outputs:
        raise ValueError(
            f"The model has {n_outputs} outputs but {what} holds {len(arrays)} target arrays."
        )
    return [
        _as_float_array(a, what if n_outputs == 1 else f"{what}[{i}]", labels=True)
        for i, a in enumerate(arrays)
    ]


def _as_float_array(a, what, labels=False):
    """`a` as a float32 array; a pandas DataFrame of bool, int and float columns (what
    pandas.get_dummies returns) becomes float32, as Keras converts it."""
    if a is None:
        raise ValueError(f"{what} is None: pass a NumPy array (or a list or DataFrame of numbers).")
    hint = (
        " Encode text labels as numbers first, e.g. y = (df['Churn'] == 'Yes').astype(int) "
        "or sklearn.preprocessing.LabelEncoder."
        if labels
        else " One-hot encode categorical columns first, e.g. with pandas.get_dummies."
    )
    column_dtypes = getattr(a, "dtypes", None)
    if hasattr(column_dtypes, "items"):  # a DataFrame: one dtype per column
        text_columns = [
            str(name) for name, dtype in column_dtypes.items() if dtype.kind not in "biuf"
        ]
        if text_columns:
            raise ValueError(f"{what} has non-numeric columns {text_columns}.{hint}")
        a = a.to_numpy(dtype=backend.floatx(), na_value=np.nan)
    array = np.asarray(a)
    if array.dtype.kind in "OUS":  # object or text; booleans are fine (0.0 and 1.0)
        raise ValueError(f"{what} contains non-numeric values (dtype {array.dtype}).{hint}")
    array = np.asarray(array, dtype=backend.floatx())
    if array.ndim == 0:
        raise ValueError(f"{what} is a single number; pass an array with one row per sample.")
    if not np.isfinite(array).all():
        bad = int(np.size(array) - np.isfinite(array).sum())
        raise ValueError(
            f"{what} contains {bad} NaN or infinite value(s). Remove or impute them first, "
            "e.g. with numpy.nan_to_num, pandas' fillna or sklearn.impute.SimpleImputer."
        )
    return array


def check_lengths(x_list, y_list=None, sample_weight=None, what="x"):
    """All arrays must have the same number of rows (samples), and at least one."""
    lengths = {len(a) for a in x_list}
    if len(lengths) > 1:
        raise ValueError(
            f"The model's inputs have different numbers of samples: {sorted(lengths)}."
        )
    n = lengths.pop()
    if n == 0:
        raise ValueError(
            f"{what} has no samples (shape {x_list[0].shape}): pass at least one row"
            + (", or leave validation_data out" if what == "validation_data" else "")
            + ". An empty array often comes from a filter or a split that selected nothing."
        )
    for y in y_list or []:
        if len(y) != n:
            raise ValueError(
                f"x has {n} samples but y has {len(y)}: they must have one label per sample. "
                "Did you split x and y separately, or pass the wrong y?"
            )
    if sample_weight is not None and len(sample_weight) != n:
        raise ValueError(f"sample_weight has {len(sample_weight)} values for {n} samples.")
    return n


def check_input_shapes(model, x_list):
    """Compare each input's per-sample shape with what the model was built for."""
    expected = _expected_input_shapes(model)
    if expected is None:
        for x in x_list:
            if x.ndim == 1:
                raise ValueError(
                    f"Expected a 2-D input (samples, features), got shape {x.shape}. "
                    "For one sample use x.reshape(1, -1); for one feature use x.reshape(-1, 1)."
                )
        return
    for i, (x, shape) in enumerate(zip(x_list, expected)):
        if tuple(x.shape[1:]) != tuple(shape):
            which = "" if len(expected) == 1 else f" {i}"
            first = model.layers[0].name if model.layers else "the first layer"
            hint = " For one sample use x.reshape(1, -1)." if x.ndim == 1 else ""
            raise ValueError(
                f"Input{which} has shape {x.shape}, but the model expects (batch, "
                f"{', '.join(str(d) for d in shape)}) (layer '{first}' was built for "
                f"{shape[-1]} features).{hint}"
            )


def _expected_input_shapes(model):
    if model.inputs:
        return [t.shape[1:] for t in model.inputs]
    shape = getattr(model, "input_shape", None)
    return [shape[1:]] if shape else None


def validation_tail(arrays, fraction):
    """Split every array into (first part, last `fraction`), as Keras's validation_split does."""
    n = len(arrays[0])
    split_at = int(np.floor(n * (1.0 - fraction)))
    if split_at == 0 or split_at == n:
        missing = "training" if split_at == 0 else "validation"
        raise ValueError(f"validation_split={fraction} leaves no {missing} samples out of {n}.")
    return [a[:split_at] for a in arrays], [a[split_at:] for a in arrays]


def batch_indices(n, batch_size, shuffle, rng=None):
    """Index arrays for each batch; a fresh permutation each call when shuffling."""
    order = (rng or backend.rng()).permutation(n) if shuffle else np.arange(n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]


def take(arrays, index, contiguous):
    """The rows `index` of every array (a slice, without a copy, when the rows are in order)."""
    if contiguous:
        return [a[index[0] : index[-1] + 1] for a in arrays]
    return [a[index] for a in arrays]


def class_weights_to_sample_weights(class_weight, y_list, sample_weight=None):
    """Per-sample weights from a {class: weight} dict, reading each sample's class from its
    label (the index of the largest entry of a one-hot label). As in Keras 3, a class left out
    of the dict weighs 1, and class_weight needs one output and no sample_weight."""
    if sample_weight is not None:
        raise ValueError(
            "class_weight and sample_weight cannot be given together (as in Keras). Pass one "
            "sample_weight: multiply your weights by each sample's class weight first."
        )
    if len(y_list) > 1:
        raise ValueError(
            "class_weight works for a model with one output (as in Keras): for several "
            "outputs, pass sample_weight instead."
        )
    if not isinstance(class_weight, dict) or not all(
        isinstance(key, (int, np.integer)) and not isinstance(key, bool) for key in class_weight
    ):
        raise ValueError(
            f"class_weight must be a dict from class index to weight, e.g. {{0: 1.0, 1: 3.0}}; "
            f"got {class_weight!r:.80}."
        )
    y = y_list[0]
    if y.ndim > 1:
        y = np.argmax(y, axis=-1) if y.shape[-1] != 1 else y[..., 0]
    classes, index = np.unique(np.round(y).astype(int), return_inverse=True)
    weights = np.array([class_weight.get(c, 1.0) for c in classes], dtype=backend.floatx())
    return weights[index.reshape(y.shape)]
