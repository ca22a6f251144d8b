"""Loss functions (Keras 3 `keras.losses`) and their gradients with respect to the prediction.

Two forms, as in Keras:
- functions such as `mean_squared_error(y_true, y_pred)` return one value per sample;
- classes such as `MeanSquaredError()` weight and reduce those values to one number, and
  know their `gradient`, which backpropagation starts from.
Each loss's function (its value) comes right before its class (its gradient), so value and
gradient can be read side by side. `Loss.__call__` and `Loss.gradient` do the reduction.
"""

import math

import numpy as np

from . import _config, activations, backend
from ._config import Configurable
from ._naming import get_object, to_snake_case
from .backend import as_float

REDUCTIONS = ("sum_over_batch_size", "mean", "sum", "mean_with_sample_weight", "none", None)


def _align(y_true, y_pred):
    """Float arrays of equal rank, as Keras aligns them: (batch,) labels vs (batch, 1) outputs.

    Without this, NumPy would broadcast (batch,) - (batch, 1) into a (batch, batch) matrix.
    """
    y_pred = as_float(y_pred)
    y_true = np.asarray(y_true, dtype=y_pred.dtype)
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        if y_pred.ndim == 1:
            y_pred = y_pred[:, None]
        else:
            y_true = y_true[..., 0]
    elif y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        if y_true.ndim == 1:
            y_true = y_true[:, None]
        else:
            y_pred = y_pred[..., 0]
    return y_true, y_pred


def _smooth_binary(y_true, label_smoothing):
    """Pull 0/1 labels towards 0.5: the model is no longer pushed to infinite logits."""
    return y_true * (1 - label_smoothing) + 0.5 * label_smoothing if label_smoothing else y_true


def _smooth_categorical(y_true, label_smoothing, axis):
    """Move `label_smoothing` of the probability mass evenly onto all classes."""
    if not label_smoothing:
        return y_true
    return y_true * (1 - label_smoothing) + label_smoothing / y_true.shape[axis]


def _one_hot(labels, num_classes, axis, dtype):
    """Integer class labels -> one-hot rows along `axis`: row k of the identity for label k."""
    one_hot = np.eye(num_classes, dtype=dtype)[np.asarray(labels)]
    return one_hot if axis in (-1, one_hot.ndim - 1) else np.moveaxis(one_hot, -1, axis)


def _sparse_labels(y_true, y_pred):
    """Integer labels with y_pred's rank minus one: (batch, 1) labels become (batch,)."""
    y_true = np.asarray(y_true)
    if y_true.ndim == np.ndim(y_pred) and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return y_true.astype(np.int64)


def _l2_normalize(x, axis):
    norm = np.sqrt(np.sum(np.square(x), axis=axis, keepdims=True))
    return x / np.maximum(norm, backend.epsilon()), norm


def _weights_like(sample_weight, sample_shape, dtype):
    """Sample weights broadcast to the per-sample values' shape ((batch,) -> (batch, steps))."""
    if sample_weight is None:
        return None
    weights = np.asarray(sample_weight, dtype=dtype)
    if weights.ndim == len(sample_shape) + 1 and weights.shape[-1] == 1:
        weights = weights[..., 0]
    while weights.ndim < len(sample_shape):
        weights = weights[..., None]
    try:
        return np.broadcast_to(weights, sample_shape)
    except ValueError:
        raise ValueError(
            f"sample_weight of shape {np.shape(sample_weight)} does not fit the per-sample "
            f"losses of shape {tuple(sample_shape)}: give one weight per sample, shape "
            f"(batch,). (1-D y_pred has no batch axis: reshape it to (batch, 1).)"
        ) from None


def _mean_width(y_pred, axis=-1):
    """Number of values the last-axis mean divides by."""
    return y_pred.shape[axis] if y_pred.ndim else 1


# ---------------------------------------------------------------- the base class


class Loss(Configurable):
    """Base class: per-sample values from `call`, weighted, then reduced to one number.

    Subclasses implement `call(y_true, y_pred)` and, to be trainable,
    `call_gradient(y_true, y_pred)`: the derivative of each per-sample value with respect to
    y_pred (shape of the aligned y_pred; the per-sample values are its reduction over `axis`).
    """

    axis = -1

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if reduction not in REDUCTIONS:
            raise ValueError(
                f"Unknown reduction {reduction!r}. Use one of: 'sum_over_batch_size' "
                f"(the default: mean over all values), 'sum', 'mean_with_sample_weight', "
                f"'none' or None."
            )
        self.name = name or to_snake_case(type(self).__name__)
        self.reduction = reduction
        self.dtype = dtype

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred).")

    def call_gradient(self, y_true, y_pred):
        raise NotImplementedError(
            f"Loss {self.name!r} has no gradient: implement call_gradient(y_true, y_pred) "
            f"in {type(self).__name__}, or use a built-in loss such as 'mse'."
        )

    def __call__(self, y_true, y_pred, sample_weight=None):
        values = np.asarray(self.call(y_true, y_pred))
        weights = _weights_like(sample_weight, values.shape, values.dtype)
        if weights is not None:
            values = values * weights
        if self.reduction in ("none", None):
            return values
        return float(values.sum() / self._divisor(values.shape, weights))

    def _divisor(self, sample_shape, weights):
        """What the sum of weighted values is divided by (Keras 3 rules)."""
        if self.reduction == "sum" or self.reduction in ("none", None):
            return 1.0
        if self.reduction == "mean_with_sample_weight" and weights is not None:
            total = float(np.sum(np.broadcast_to(weights, sample_shape)))
        else:
            total = float(math.prod(sample_shape))  # number of values, NOT the sum of weights
        return total if total != 0 else np.inf  # an empty batch reduces to 0, not nan

    def _reduce_gradient(self, grad, sample_weight, axis):
        """Chain rule from per-sample derivatives to the derivative of the reduced loss: the
        loss is sum(weight * value) / divisor, so each value's derivative is scaled by
        weight / divisor (1 / batch size by default, as for a mean)."""
        axis = axis % grad.ndim if grad.ndim else 0
        sample_shape = grad.shape[:axis] + grad.shape[axis + 1 :]
        weights = _weights_like(sample_weight, sample_shape, grad.dtype)
        scale = 1 / self._divisor(sample_shape, weights)
        if weights is not None:
            grad = grad * np.expand_dims(weights, axis)
        return (grad * scale).astype(grad.dtype, copy=False)

    def gradient(self, y_true, y_pred, sample_weight=None):
        """dLoss/dy_pred of the reduced loss (so it includes the 1/N), shaped like y_pred.

        With reduction 'none' it is the derivative of the sum of the per-sample values.
        """
        grad = self.call_gradient(y_true, y_pred)
        grad = self._reduce_gradient(grad, sample_weight, self.axis)
        return grad.reshape(np.shape(y_pred))

    # A cross-entropy on probabilities fuses with the activation that made them, "sigmoid" or
    # "softmax": together their gradient with respect to that activation's input z is p - y.
    fuses_with = None
    from_logits = False

    def fused_gradient(self, activation, y_true, y_pred, sample_weight=None):
        """dLoss/dz when y_pred = activation(z) and this loss fuses with that activation (see
        Trainer._backward_seeds): `logits_gradient`, reduced as `gradient` is. None when it
        does not fuse. `activation`: the function or its name, e.g. "softmax"."""
        if self.fuses_with is None or self.from_logits:
            return None
        if activations.get(activation) is not activations.get(self.fuses_with):
            return None
        grad = self._reduce_gradient(self.logits_gradient(y_true, y_pred), sample_weight, self.axis)
        return grad.reshape(np.shape(y_pred))

    def validate(self, y_true, y_pred):
        """Raise a clear ValueError when the targets cannot fit the model's outputs.

        Only y_pred's shape after the batch axis is used: any batch of predictions will do.
        """
        y_true, y_pred = _align(y_true, np.asarray(y_pred))
        if y_true.shape[1:] != y_pred.shape[1:]:
            raise ValueError(
                f"{self.name}: targets of shape {np.shape(y_true)} do not match the model's "
                f"outputs of shape (batch, {', '.join(map(str, y_pred.shape[1:]))}). Give one "
                f"target per output unit (reshape y or change the last layer's units)."
            )

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}


class LossFunctionWrapper(Loss):
    """A Loss built from a function returning per-sample values (e.g. a custom loss)."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction)
        self.fn = fn
        self.fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = _align(y_true, y_pred)  # arrays of equal rank, as Keras passes them
        return self.fn(y_true, y_pred, **self.fn_kwargs)


# ---------------------------------------------------------------- each loss: value, then gradient


def mean_squared_error(y_true, y_pred):
    """mean((y_true - y_pred)^2) over the last axis."""
    y_true, y_pred = _align(y_true, y_pred)
    return np.mean(np.square(y_true - y_pred), axis=-1)


class MeanSquaredError(Loss):
    """Mean of squared errors: the standard regression loss."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        return mean_squared_error(y_true, y_pred)

    def call_gradient(self, y_true, y_pred):
        y_true, y_pred = _align(y_true, y_pred)
        return 2 * (y_pred - y_true) / _mean_width(y_pred)


def mean_absolute_error(y_true, y_pred):
    """mean(|y_true - y_pred|) over the last axis: less sensitive to outliers than MSE."""
    y_true, y_pred = _align(y_true, y_pred)
    return np.mean(np.abs(y_true - y_pred), axis=-1)


class MeanAbsoluteError(Loss):
    """Mean of absolute errors."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        return mean_absolute_error(y_true, y_pred)

    def call_gradient(self, y_true, y_pred):
        y_true, y_pred = _align(y_true, y_pred)
        return np.sign(y_pred - y_true) / _mean_width(y_pred)


def mean_absolute_percentage_error(y_true, y_pred):
    """100 * mean(|y_true - y_pred| / max(|y_true|, eps)): the error in percent of the target."""
    y_true, y_pred = _align(y_true, y_pred)
    scale = np.maximum(np.abs(y_true), backend.epsilon())
    return 100 * np.mean(np.abs(y_true - y_pred) / scale, axis=-1)


class MeanAbsolutePercentageError(Loss):
    """Mean absolute error in percent of the target."""

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        return mean_absolute_percentage_error(y_true, y_pred)

    def call_gradient(self, y_true, y_pred):
        y_true, y_pred = _align(y_true, y_pred)
        scale = np.maximum(np.abs(y_true), backend.epsilon())
        return 100 * np.sign(y_pred - y_true) / scale / _mean_width(y_pred)


def mean_squared_logarithmic_error(y_true, y_pred):
    """mean((log(1 + y_pred) - log(1 + y_true))^2): compares ratios rather than differences."""
    y_true, y_pred = _align(y_true, y_pred)
    eps = backend.epsilon()
    diff = np.log(np.maximum(y_pred, eps) + 1) - np.log(np.maximum(y_true, eps) + 1)
    return np.mean(np.square(diff), axis=-1)


class MeanSquaredLogarithmicError(Loss):
    """Mean squared error between log(1 + y_true) and log(1 + y_pred)."""

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        return mean_squared_logarithmic_error(y_true, y_pred)

    def call_gradient(self, y_true, y_pred):
        y_true, y_pred = _align(y_true, y_pred)
        eps = backend.epsilon()
        p = np.maximum(y_pred, eps)
        diff = np.log(p + 1) - np.log(np.maximum(y_true, eps) + 1)
        return 2 * diff / (p + 1) * (y_pred > eps) / _mean_width(y_pred)


def huber(y_true, y_pred, delta=1.0):
    """Squared error for |error| <= delta, linear beyond: MSE near 0, MAE for outliers."""
    y_true, y_pred = _align(y_true, y_pred)
    error = np.abs(y_pred - y_true)
    values = np.where(error <= delta, 0.5 * error**2, delta * error - 0.5 * delta**2)
    return np.mean(values, axis=-1).astype(y_pred.dtype, copy=False)


class Huber(Loss):
    """Huber loss: quadratic for small errors, linear for large ones."""

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.delta = delta

    def call(self, y_true, y_pred):
        return huber(y_true, y_pred, self.delta)

    def call_gradient(self, y_true, y_pred):
        y_true, y_pred = _align(y_true, y_pred)
        return (y_pred - y_true).clip(-self.delta, self.delta) / _mean_width(y_pred)

    def get_config(self):
        return {**super().get_config(), "delta": self.delta}


def cosine_similarity(y_true, y_pred, axis=-1):
    """-cos(angle between y_true and y_pred): -1 for the same direction, a loss to minimise."""
    y_true, y_pred = _align(y_true, y_pred)
    return -np.sum(_l2_normalize(y_true, axis)[0] * _l2_normalize(y_pred, axis)[0], axis=axis)


class CosineSimilarity(Loss):
    """Negative cosine similarity: -1 when prediction and target point the same way."""

    def __init__(
        self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.axis = axis

    def call(self, y_true, y_pred):
        return cosine_similarity(y_true, y_pred, self.axis)

    def call_gradient(self, y_true, y_pred):
        y_true, y_pred = _align(y_true, y_pred)
        true_unit = _l2_normalize(y_true, self.axis)[0]
        pred_unit, norm = _l2_normalize(y_pred, self.axis)
        cos = np.sum(true_unit * pred_unit, axis=self.axis, keepdims=True)
        # Below the eps floor the norm is a constant, so only the first term remains.
        along_pred = np.where(norm > backend.epsilon(), cos * pred_unit, 0)
        return -(true_unit - along_pred) / np.maximum(norm, backend.epsilon())

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """-(y log p + (1 - y) log(1 - p)), averaged over `axis`.

    p is clipped to [eps, 1 - eps] so log never sees 0. With from_logits=True, y_pred is the
    logit x and the stable form max(x, 0) - x*y + log(1 + exp(-|x|)) is used instead.
    """
    y_true, y_pred = _align(y_true, y_pred)
    y_true = _smooth_binary(y_true, label_smoothing)
    if from_logits:
        x = y_pred
        values = np.maximum(x, 0) - x * y_true + np.log1p(np.exp(-np.abs(x)))
    else:
        eps = backend.epsilon()
        p = y_pred.clip(eps, 1 - eps)
        values = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
    return values.mean(axis=axis)


class BinaryCrossentropy(Loss):
    """Crossentropy for 0/1 labels (one sigmoid output per label)."""

    fuses_with = "sigmoid"

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def call(self, y_true, y_pred):
        return binary_crossentropy(
            y_true, y_pred, self.from_logits, self.label_smoothing, self.axis
        )

    def call_gradient(self, y_true, y_pred):
        y_true, y_pred = _align(y_true, y_pred)
        y_true = _smooth_binary(y_true, self.label_smoothing)
        width = _mean_width(y_pred, self.axis)
        if self.from_logits:
            return (activations.sigmoid(y_pred) - y_true) / width
        eps = backend.epsilon()
        p = y_pred.clip(eps, 1 - eps)
        inside_clip = (y_pred >= eps) & (y_pred <= 1 - eps)
        return (-y_true / p + (1 - y_true) / (1 - p)) * inside_clip / width

    def logits_gradient(self, y_true, p):
        """d(per-sample value)/dz for p = sigmoid(z): (p - y) / width, without any clipping."""
        y_true, p = _align(y_true, p)
        return (p - _smooth_binary(y_true, self.label_smoothing)) / _mean_width(p, self.axis)

    def validate(self, y_true, y_pred):
        super().validate(y_true, y_pred)
        y_true = np.asarray(y_true)
        if y_true.size and (np.min(y_true) < 0 or np.max(y_true) > 1):
            raise ValueError(
                f"binary_crossentropy needs labels in [0, 1], got values from "
                f"{np.min(y_true)} to {np.max(y_true)}. For more than two classes use "
                f"sparse_categorical_crossentropy with a softmax output; for numbers use 'mse'."
            )

    def get_config(self):
        return {
            **super().get_config(),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """-sum(y log p) over the class axis, for one-hot (or soft) labels.

    Probabilities are renormalised to sum to 1, then clipped; logits go through log_softmax.
    """
    y_pred = as_float(y_pred)
    y_true = _smooth_categorical(np.asarray(y_true, dtype=y_pred.dtype), label_smoothing, axis)
    if from_logits:
        log_p = activations.log_softmax(y_pred, axis=axis)
    else:
        eps = backend.epsilon()
        p = y_pred / np.sum(y_pred, axis=axis, keepdims=True)
        log_p = np.log(p.clip(eps, 1 - eps))
    return -np.sum(y_true * log_p, axis=axis)


def _softmax_crossentropy_logit_gradient(y_true, p, axis):
    """dLoss/dlogits of -sum(y log softmax(z)): p * sum(y) - y (= p - y for one-hot y)."""
    return p * np.sum(y_true, axis=axis, keepdims=True) - y_true


class CategoricalCrossentropy(Loss):
    """Crossentropy for one-hot labels (a softmax output over the classes)."""

    fuses_with = "softmax"

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def call(self, y_true, y_pred):
        return categorical_crossentropy(
            y_true, y_pred, self.from_logits, self.label_smoothing, self.axis
        )

    def _targets(self, y_true, y_pred):
        y_true = np.asarray(y_true, dtype=y_pred.dtype)
        return _smooth_categorical(y_true, self.label_smoothing, self.axis)

    def call_gradient(self, y_true, y_pred):
        y_pred = as_float(y_pred)
        y_true = self._targets(y_true, y_pred)
        axis = self.axis
        if self.from_logits:
            p = activations.softmax(y_pred, axis=axis)
            return _softmax_crossentropy_logit_gradient(y_true, p, axis)
        eps = backend.epsilon()
        total = np.sum(y_pred, axis=axis, keepdims=True)
        q = y_pred / total
        inside_clip = (q >= eps) & (q <= 1 - eps)
        grad_q = -y_true / q.clip(eps, 1 - eps) * inside_clip
        # Through the renormalisation q = p / sum(p).
        return (grad_q - np.sum(grad_q * q, axis=axis, keepdims=True)) / total

    def logits_gradient(self, y_true, p):
        """d(per-sample value)/dz for p = softmax(z): p - y, without any clipping."""
        p = as_float(p)
        return _softmax_crossentropy_logit_gradient(self._targets(y_true, p), p, self.axis)

    def validate(self, y_true, y_pred):
        y_true, width = np.asarray(y_true), np.shape(y_pred)[-1]
        if width > 1 and (y_true.ndim < np.ndim(y_pred) or y_true.shape[-1] == 1):
            raise ValueError(
                f"categorical_crossentropy expects one-hot labels of shape (batch, {width}), "
                f"but got labels of shape {y_true.shape}, which look like integer class "
                f"indices. Use loss='sparse_categorical_crossentropy', or convert the labels "
                f"with dlcourse.utils.to_categorical(y, {width})."
            )
        if y_true.shape[1:] != np.shape(y_pred)[1:]:
            raise ValueError(
                f"categorical_crossentropy: labels of shape {y_true.shape} do not match the "
                f"model's {width} outputs. One-hot labels need one column per class: give "
                f"the last layer as many units as there are classes."
            )

    def get_config(self):
        return {
            **super().get_config(),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1):
    """Categorical crossentropy for integer class labels (0 .. classes-1) instead of one-hot."""
    y_pred = as_float(y_pred)
    labels = _sparse_labels(y_true, y_pred)
    if from_logits:
        one_hot = _one_hot(labels, y_pred.shape[axis], axis, y_pred.dtype)
        return categorical_crossentropy(one_hot, y_pred, from_logits=True, axis=axis)
    # The same value as categorical_crossentropy(one_hot(labels), y_pred), computed on the
    # labelled class only: the other classes' terms are 0 * log(p) = 0.
    eps = backend.epsilon()
    if y_pred.ndim == 2 and axis in (-1, 1):  # (batch, classes): row i, column labels[i]
        p_label = y_pred[np.arange(len(y_pred)), labels] / y_pred.sum(axis=1)
        return -np.log(p_label.clip(eps, 1 - eps))
    p_label = np.take_along_axis(y_pred, np.expand_dims(labels, axis), axis=axis)
    p_label = p_label / np.sum(y_pred, axis=axis, keepdims=True)
    return -np.squeeze(np.log(p_label.clip(eps, 1 - eps)), axis=axis)


class SparseCategoricalCrossentropy(Loss):
    """Crossentropy for integer class labels 0 .. classes-1: -log(p of the labelled class)."""

    fuses_with = "softmax"

    def __init__(
        self,
        from_logits=False,
        reduction="sum_over_batch_size",
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.from_logits = from_logits

    def call(self, y_true, y_pred):
        return sparse_categorical_crossentropy(y_true, y_pred, self.from_logits)

    def _one_hot(self, y_true, y_pred):
        labels = _sparse_labels(y_true, y_pred)
        return _one_hot(labels, y_pred.shape[-1], -1, y_pred.dtype)

    def call_gradient(self, y_true, y_pred):
        y_pred = as_float(y_pred)
        dense = CategoricalCrossentropy(from_logits=self.from_logits)
        return dense.call_gradient(self._one_hot(y_true, y_pred), y_pred)

    def logits_gradient(self, y_true, p):
        """d(per-sample value)/dz for p = softmax(z): p - one_hot(y), without any clipping."""
        p = as_float(p)
        return p - self._one_hot(y_true, p)

    def validate(self, y_true, y_pred):
        y_true, width = np.asarray(y_true), np.shape(y_pred)[-1]
        if width > 1 and y_true.ndim == np.ndim(y_pred) and y_true.shape[-1] == width:
            raise ValueError(
                f"sparse_categorical_crossentropy expects integer class labels of shape "
                f"(batch,), but got labels of shape {y_true.shape}, which look one-hot "
                f"encoded. Use loss='categorical_crossentropy', or pass y.argmax(axis=-1)."
            )
        labels = y_true[..., 0] if y_true.ndim == np.ndim(y_pred) else y_true
        if labels.ndim != np.ndim(y_pred) - 1 or labels.shape[1:] != np.shape(y_pred)[1:-1]:
            raise ValueError(
                f"sparse_categorical_crossentropy: labels of shape {y_true.shape} do not fit "
                f"outputs of shape (batch, {', '.join(map(str, np.shape(y_pred)[1:]))}). "
                f"Give one integer class label per sample, shape (batch,)."
            )
        if labels.size == 0:
            return
        if not np.all(np.mod(labels, 1) == 0):
            raise ValueError(
                "sparse_categorical_crossentropy needs integer class labels (0, 1, 2, ...), "
                f"but got non-integer values such as {labels[np.mod(labels, 1) != 0].flat[0]}. "
                "For 0/1 probabilities use binary_crossentropy; for numbers use 'mse'."
            )
        low, high = np.min(labels), np.max(labels)
        if low < 0 or high >= width:
            raise ValueError(
                f"sparse_categorical_crossentropy: class labels must be in 0..{width - 1} "
                f"for a model with {width} outputs, but labels range from {low} to {high}. "
                f"Give the last layer one unit per class (e.g. Dense({int(high) + 1}, "
                f"activation='softmax')), or fix the labels."
            )

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits}


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error


# ---------------------------------------------------------------- lookup


_CLASSES = (
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    Huber,
    CosineSimilarity,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
)


_FUNCTION_CLASSES = {
    mean_squared_error: MeanSquaredError,
    mean_absolute_error: MeanAbsoluteError,
    mean_absolute_percentage_error: MeanAbsolutePercentageError,
    mean_squared_logarithmic_error: MeanSquaredLogarithmicError,
    huber: Huber,
    cosine_similarity: CosineSimilarity,
    binary_crossentropy: BinaryCrossentropy,
    categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
}


_ALL = {cls.__name__: cls for cls in _CLASSES}
_ALL.update({fn.__name__: cls for fn, cls in _FUNCTION_CLASSES.items()})
_ALL.update(
    {
        "mse": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "mape": MeanAbsolutePercentageError,
        "msle": MeanSquaredLogarithmicError,
        "bce": BinaryCrossentropy,
    }
)


def get(identifier):
    """A Loss object from a name ('mse', 'categorical_crossentropy', 'Huber'), a config
    dict, a Loss, a Loss class, or a function (built-in or custom) returning per-sample values.
    """
    loss = get_object("loss", identifier, _ALL, Loss)
    if loss is None or isinstance(loss, Loss):
        return loss
    if isinstance(loss, type) and issubclass(loss, Loss):
        return loss()
    if loss in _FUNCTION_CLASSES:
        return _FUNCTION_CLASSES[loss]()
    return LossFunctionWrapper(loss)


def serialize(loss):
    """{'class_name': ..., 'config': ...} for a Loss; the name for a built-in function."""
    if loss in _FUNCTION_CLASSES:
        return loss.__name__
    if isinstance(loss, Loss) and type(loss).__name__ in _ALL:
        return _config.serialize(loss)
    raise ValueError(
        f"Cannot save the loss {loss!r}: only built-in losses can be saved. Use one of: "
        f"{', '.join(cls.__name__ for cls in _CLASSES)}."
    )
