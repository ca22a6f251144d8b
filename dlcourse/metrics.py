"""Metrics (Keras 3 `keras.metrics`): numbers to watch during training, not to optimise.

A Metric object accumulates over batches (`update_state`) and reports the running value
(`result`), so an epoch's accuracy is exact however the data was split into batches.
"""

import numpy as np

from . import _config, backend, losses
from ._config import Configurable
from ._naming import get_object, to_snake_case
from .backend import as_float
from .losses import _align, _sparse_labels, _weights_like

# ---------------------------------------------------------------- function forms


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Per sample: the fraction of outputs on the right side of `threshold` (p > threshold)."""
    y_true, y_pred = _align(y_true, y_pred)
    hits = y_true == (y_pred > threshold)
    return np.mean(hits, axis=-1).astype(y_pred.dtype)


def categorical_accuracy(y_true, y_pred):
    """Per sample: 1 if the most probable class is the one-hot label's class, else 0."""
    y_pred = as_float(y_pred)
    hits = np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)
    return hits.astype(y_pred.dtype)


def sparse_categorical_accuracy(y_true, y_pred):
    """Per sample: 1 if the most probable class equals the integer label, else 0."""
    y_pred = as_float(y_pred)
    hits = _sparse_labels(y_true, y_pred) == np.argmax(y_pred, axis=-1)
    return hits.astype(y_pred.dtype)


mean_squared_error = mse = losses.mean_squared_error
mean_absolute_error = mae = losses.mean_absolute_error
mean_absolute_percentage_error = mape = losses.mean_absolute_percentage_error
mean_squared_logarithmic_error = msle = losses.mean_squared_logarithmic_error
binary_crossentropy = losses.binary_crossentropy
categorical_crossentropy = losses.categorical_crossentropy
sparse_categorical_crossentropy = losses.sparse_categorical_crossentropy


# ---------------------------------------------------------------- Metric classes


class Metric(Configurable):
    """Base class: `update_state` per batch, `result` for the value so far, `reset_state`."""

    def __init__(self, name=None, dtype=None):
        self.name = name or to_snake_case(type(self).__name__)
        self.dtype = dtype or backend.floatx()
        self.reset_state()

    def reset_state(self):
        raise NotImplementedError(f"{type(self).__name__} must implement reset_state().")

    def update_state(self, y_true, y_pred, sample_weight=None):
        raise NotImplementedError(f"{type(self).__name__} must implement update_state().")

    def result(self):
        raise NotImplementedError(f"{type(self).__name__} must implement result().")

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Update with one batch and return the running result."""
        self.update_state(y_true, y_pred, sample_weight)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"


class Mean(Metric):
    """Weighted mean of all values seen: total / count (0 before any update)."""

    def reset_state(self):
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values, sample_weight=None):
        values = np.asarray(values, dtype=np.float64)
        weights = _weights_like(sample_weight, values.shape, np.float64)
        if weights is None:
            self.total += float(np.sum(values))
            self.count += values.size
        else:
            self.total += float(np.sum(values * weights))
            self.count += float(np.sum(weights))

    def result(self):
        return self.total / self.count if self.count else 0.0


class MeanMetricWrapper(Mean):
    """Mean over samples of a per-sample function `fn(y_true, y_pred, **kwargs)`."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        self.fn = fn
        self.fn_kwargs = kwargs
        super().__init__(name=name or getattr(fn, "__name__", None), dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        super().update_state(self.fn(y_true, y_pred, **self.fn_kwargs), sample_weight)

    def get_config(self):
        return {**super().get_config(), **self.fn_kwargs}


class BinaryAccuracy(MeanMetricWrapper):
    """How often a 0/1 label matches the prediction thresholded at `threshold`."""

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often argmax of the prediction matches argmax of the one-hot label."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often argmax of the prediction matches the integer label."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class MeanSquaredError(MeanMetricWrapper):
    """Mean of squared errors over all samples seen."""

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(losses.mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """Mean of absolute errors over all samples seen."""

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(losses.mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Mean absolute percentage error over all samples seen."""

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(losses.mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Mean squared log error over all samples seen."""

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(losses.mean_squared_logarithmic_error, name=name, dtype=dtype)


class BinaryCrossentropy(MeanMetricWrapper):
    """Mean binary crossentropy over all samples seen."""

    def __init__(
        self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0
    ):
        super().__init__(
            losses.binary_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )


class CategoricalCrossentropy(MeanMetricWrapper):
    """Mean categorical crossentropy over all samples seen."""

    def __init__(
        self,
        name="categorical_crossentropy",
        dtype=None,
        from_logits=False,
        label_smoothing=0,
        axis=-1,
    ):
        super().__init__(
            losses.categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Mean sparse categorical crossentropy over all samples seen."""

    def __init__(
        self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, axis=-1
    ):
        super().__init__(
            losses.sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            axis=axis,
        )


class _ConfusionCounts(Metric):
    """Weighted true/false positive/negative counts at one or more thresholds (p > t)."""

    def __init__(self, thresholds=None, name=None, dtype=None):
        self.thresholds = 0.5 if thresholds is None else thresholds
        super().__init__(name=name, dtype=dtype)

    def reset_state(self):
        shape = np.shape(self.thresholds)
        self.true_positives = np.zeros(shape)
        self.false_positives = np.zeros(shape)
        self.false_negatives = np.zeros(shape)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = _align(y_true, y_pred)
        weights = _weights_like(sample_weight, y_pred.shape, np.float64)
        weights = np.ones(y_pred.shape) if weights is None else weights
        is_true = (y_true != 0)[..., None]
        predicted = y_pred[..., None] > np.ravel(self.thresholds)
        flat = (-1, np.size(self.thresholds))
        w = weights[..., None]
        counts = [
            np.sum((w * (predicted & is_true)).reshape(flat), axis=0),
            np.sum((w * (predicted & ~is_true)).reshape(flat), axis=0),
            np.sum((w * (~predicted & is_true)).reshape(flat), axis=0),
        ]
        shape = np.shape(self.thresholds)
        self.true_positives = self.true_positives + counts[0].reshape(shape)
        self.false_positives = self.false_positives + counts[1].reshape(shape)
        self.false_negatives = self.false_negatives + counts[2].reshape(shape)

    @staticmethod
    def _ratio(numerator, denominator):
        ratio = np.divide(
            numerator, denominator, out=np.zeros_like(numerator), where=denominator != 0
        )
        return float(ratio) if ratio.ndim == 0 else ratio

    def get_config(self):
        return {**super().get_config(), "thresholds": self.thresholds}


class Precision(_ConfusionCounts):
    """Of the samples predicted positive (p > threshold), the fraction that are positive."""

    def result(self):
        return self._ratio(self.true_positives, self.true_positives + self.false_positives)


class Recall(_ConfusionCounts):
    """Of the positive samples, the fraction predicted positive (p > threshold)."""

    def result(self):
        return self._ratio(self.true_positives, self.true_positives + self.false_negatives)


# ---------------------------------------------------------------- lookup


def accuracy_class(y_true, y_pred):
    """Which accuracy 'accuracy' means for these shapes (Keras's rule).

    One output -> binary; integer labels (lower rank, or width 1 against a wider output)
    -> sparse categorical; otherwise one-hot labels -> categorical.
    """
    true_shape, pred_shape = np.shape(y_true), np.shape(y_pred)
    if len(pred_shape) <= 1 or pred_shape[-1] == 1:
        return BinaryAccuracy
    if len(true_shape) < len(pred_shape) or (true_shape[-1:] == (1,) and pred_shape[-1] > 1):
        return SparseCategoricalAccuracy
    return CategoricalAccuracy


class _ShapeResolvedAccuracy(Mean):
    """'accuracy' before the data is known: picks its kind from the first batch's shapes."""

    def __init__(self, name="accuracy", dtype=None):
        self.resolved = None
        super().__init__(name=name, dtype=dtype)

    def reset_state(self):
        super().reset_state()
        if getattr(self, "resolved", None) is not None:
            self.resolved.reset_state()

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self.resolved is None:
            self.resolved = accuracy_class(y_true, y_pred)(name=self.name)
            self.resolved.total, self.resolved.count = self.total, self.count
        self.resolved.update_state(y_true, y_pred, sample_weight)
        self.total, self.count = self.resolved.total, self.resolved.count


_CLASSES = (
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    Precision,
    Recall,
    Mean,
)
_ALL = {cls.__name__: cls for cls in _CLASSES}
_ALL.update(
    {
        "binary_accuracy": BinaryAccuracy,
        "categorical_accuracy": CategoricalAccuracy,
        "sparse_categorical_accuracy": SparseCategoricalAccuracy,
        "mean_squared_error": MeanSquaredError,
        "mse": MeanSquaredError,
        "mean_absolute_error": MeanAbsoluteError,
        "mae": MeanAbsoluteError,
        "mean_absolute_percentage_error": MeanAbsolutePercentageError,
        "mape": MeanAbsolutePercentageError,
        "mean_squared_logarithmic_error": MeanSquaredLogarithmicError,
        "msle": MeanSquaredLogarithmicError,
        "binary_crossentropy": BinaryCrossentropy,
        "categorical_crossentropy": CategoricalCrossentropy,
        "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
        "precision": Precision,
        "recall": Recall,
        "accuracy": _ShapeResolvedAccuracy,
        "acc": _ShapeResolvedAccuracy,
    }
)


def get(identifier, y_true=None, y_pred=None):
    """A Metric from a name, config dict, Metric, Metric class or per-sample function.

    A name becomes the metric's name, as in Keras's logs: 'mae' is logged as 'mae'.
    'accuracy'/'acc' pick binary, sparse or categorical accuracy from the shapes of
    y_true and y_pred (or from the first batch when they are not given).
    """
    if isinstance(identifier, str):
        if identifier.lower() in ("accuracy", "acc") and y_true is not None and y_pred is not None:
            return accuracy_class(y_true, y_pred)(name=identifier)
        return get_object("metric", identifier, _ALL)(name=identifier)
    metric = get_object("metric", identifier, _ALL, Metric)
    if metric is None or isinstance(metric, Metric):
        return metric
    if isinstance(metric, type) and issubclass(metric, Metric):
        return metric()
    if callable(metric):
        return MeanMetricWrapper(metric)
    raise TypeError(f"Cannot interpret {identifier!r} as a metric: pass a name or a Metric.")


def serialize(metric):
    """{'class_name': ..., 'config': ...} for a built-in Metric."""
    if isinstance(metric, Metric) and type(metric).__name__ in _ALL:
        return _config.serialize(metric)
    raise ValueError(f"Cannot save the metric {metric!r}: only built-in metrics can be saved.")
