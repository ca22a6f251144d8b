import math

import numpy as np
import pytest

from dlcourse import activations, losses
from dlcourse.gradcheck import check_gradient

EPS = 1e-7


# ---------------------------------------------------------------- golden values


def test_binary_crossentropy_golden():
    assert losses.binary_crossentropy([1.0], [0.98]) == pytest.approx(-math.log(0.98))
    value = losses.binary_crossentropy([[1.0, 0.0]], [[0.8, 0.3]])
    assert value == pytest.approx([-(math.log(0.8) + math.log(0.7)) / 2])
    # label smoothing 0.2 turns the label 1 into 0.9
    smoothed = losses.binary_crossentropy([[1.0]], [[0.8]], label_smoothing=0.2)
    assert smoothed == pytest.approx([-(0.9 * math.log(0.8) + 0.1 * math.log(0.2))])
    # probabilities 0 and 1 are clipped to eps, 1 - eps
    assert losses.binary_crossentropy([[1.0]], [[0.0]]) == pytest.approx([-math.log(EPS)])


def test_binary_crossentropy_from_logits_equals_sigmoid_then_bce():
    z = np.array([[-3.0, 0.5, 2.0]])
    y = np.array([[0.0, 1.0, 1.0]])
    np.testing.assert_allclose(
        losses.binary_crossentropy(y, z, from_logits=True),
        losses.binary_crossentropy(y, activations.sigmoid(z)),
    )
    big = losses.binary_crossentropy([[1.0, 0.0]], [[-1e4, 1e4]], from_logits=True)
    assert big == pytest.approx([1e4])  # exact, no clipping at -log(eps)


def test_categorical_crossentropy_golden():
    y = np.array([[0, 1, 0], [0, 0, 1]])
    p = np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    np.testing.assert_allclose(
        losses.categorical_crossentropy(y, p), [-math.log(0.95), -math.log(0.1)], rtol=1e-6
    )
    assert losses.CategoricalCrossentropy()(y, p) == pytest.approx(1.1769392, rel=1e-6)
    assert losses.CategoricalCrossentropy()(y, p, sample_weight=[0.3, 0.7]) == pytest.approx(
        (0.3 * -math.log(0.95) + 0.7 * -math.log(0.1)) / 2
    )
    # probabilities are renormalised: [1, 1, 2] means [0.25, 0.25, 0.5]
    assert losses.categorical_crossentropy([[0, 0, 1]], [[1.0, 1.0, 2.0]]) == pytest.approx(
        [math.log(2)]
    )
    # label smoothing 0.3 over 3 classes: [0.1, 0.1, 0.8]
    assert losses.categorical_crossentropy(
        [[0, 0, 1]], [[0.25, 0.25, 0.5]], label_smoothing=0.3
    ) == pytest.approx([-(0.2 * math.log(0.25) + 0.8 * math.log(0.5))])


def test_sparse_equals_categorical_on_one_hot():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    one_hot = np.eye(4)[labels]
    for from_logits, pred in [(True, z), (False, activations.softmax(z))]:
        np.testing.assert_allclose(
            losses.sparse_categorical_crossentropy(labels, pred, from_logits=from_logits),
            losses.categorical_crossentropy(one_hot, pred, from_logits=from_logits),
        )
        np.testing.assert_allclose(
            losses.sparse_categorical_crossentropy(labels[:, None], pred, from_logits),
            losses.categorical_crossentropy(one_hot, pred, from_logits=from_logits),
        )
    np.testing.assert_allclose(
        losses.categorical_crossentropy(one_hot, z, from_logits=True),
        -np.log(activations.softmax(z))[np.arange(5), labels],
    )


def test_regression_golden_values():
    assert losses.mean_squared_error([[1.0, 2.0]], [[2.0, 4.0]]) == pytest.approx([2.5])
    assert losses.mean_absolute_error([[1.0, 2.0]], [[2.0, 4.0]]) == pytest.approx([1.5])
    # MAPE divides by max(|y|, eps): a zero target gives a huge but finite value
    assert losses.mean_absolute_percentage_error([[0.0, -2.0]], [[1.0, -1.0]]) == pytest.approx(
        [100 * (1 / EPS + 0.5) / 2]
    )
    msle = (math.log(2.0) - math.log(1 + EPS)) ** 2 / 2
    assert losses.mean_squared_logarithmic_error([[0.0, 1.0]], [[1.0, 1.0]]) == pytest.approx(
        [msle]
    )
    # negative predictions count as eps in MSLE
    assert losses.mean_squared_logarithmic_error([[3.0]], [[-5.0]]) == pytest.approx(
        [(math.log(1 + EPS) - math.log(4.0)) ** 2]
    )
    assert losses.huber([[0.0, 0.0]], [[0.5, 3.0]]) == pytest.approx([(0.125 + 2.5) / 2])
    assert losses.huber([[0.0]], [[3.0]], delta=2.0) == pytest.approx([2 * 3 - 0.5 * 4])


def test_cosine_similarity_sign():
    assert losses.cosine_similarity([[1.0, 2.0]], [[2.0, 4.0]]) == pytest.approx([-1.0])
    assert losses.cosine_similarity([[1.0, 2.0]], [[-1.0, -2.0]]) == pytest.approx([1.0])
    assert losses.cosine_similarity([[1.0, 0.0]], [[0.0, 3.0]]) == pytest.approx([0.0])
    assert losses.CosineSimilarity()(
        [[0.0, 1.0], [1.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]
    ) == pytest.approx((-1 - 1 / math.sqrt(2)) / 2)


def test_labels_of_shape_batch_are_not_broadcast_against_batch_by_1():
    y = np.array([1.0, 2.0, 3.0])
    p = np.array([[1.0], [2.0], [5.0]])
    np.testing.assert_allclose(losses.mean_squared_error(y, p), [0.0, 0.0, 4.0])
    assert losses.MeanSquaredError()(y, p) == pytest.approx(4 / 3)
    assert losses.MeanSquaredError().gradient(y, p).shape == (3, 1)


# ---------------------------------------------------------------- reductions


def test_sum_over_batch_size_divides_by_number_of_values_not_sum_of_weights():
    y = [[0.0, 1.0], [0.0, 0.0]]
    p = [[1.0, 1.0], [1.0, 0.0]]  # per-sample MSE: [0.5, 0.5]
    w = [0.8, 0.2]
    assert losses.MeanSquaredError()(y, p, sample_weight=w) == pytest.approx(0.25)
    assert losses.MeanSquaredError(reduction="sum")(y, p, sample_weight=w) == pytest.approx(0.5)
    assert losses.MeanSquaredError(reduction="mean_with_sample_weight")(
        y, p, sample_weight=[0.2, 0.2]
    ) == pytest.approx(0.5)
    np.testing.assert_allclose(losses.MeanSquaredError(reduction="none")(y, p, w), [0.4, 0.1])
    np.testing.assert_allclose(losses.MeanSquaredError(reduction=None)(y, p), [0.5, 0.5])
    assert isinstance(losses.MeanSquaredError()(y, p), float)


def test_sample_weight_per_sample_on_sequences():
    y = np.zeros((2, 3, 4))
    p = np.ones((2, 3, 4))
    p[1] = 2.0  # per-(sample, step) MSE: 1 for sample 0, 4 for sample 1
    value = losses.MeanSquaredError()(y, p, sample_weight=[1.0, 0.5])
    assert value == pytest.approx((3 * 1 + 3 * 4 * 0.5) / 6)
    with pytest.raises(ValueError, match="one weight per sample"):
        losses.MeanSquaredError()(y, p, sample_weight=[1.0, 2.0, 3.0])


def test_invalid_reduction():
    with pytest.raises(ValueError, match="sum_over_batch_size"):
        losses.MeanSquaredError(reduction="average")


# ---------------------------------------------------------------- gradients


def _regression_case(rng, shape=(4, 3)):
    y = rng.uniform(0.5, 2.0, size=shape)
    p = y + rng.choice([-1, 1], size=shape) * rng.uniform(0.2, 1.5, size=shape)
    return y, p


def _binary_case(rng, shape=(5, 2)):
    return rng.integers(0, 2, size=shape).astype(float), rng.uniform(0.05, 0.95, size=shape)


def _categorical_case(rng, shape=(5, 4)):
    y = np.eye(shape[-1])[rng.integers(0, shape[-1], size=shape[:-1])]
    return y, rng.uniform(0.1, 1.0, size=shape)  # not normalised: tests the renormalisation


def _logits_case(rng, shape=(5, 4)):
    y = np.eye(shape[-1])[rng.integers(0, shape[-1], size=shape[:-1])]
    return y, rng.normal(size=shape) * 2


CASES = [
    (losses.MeanSquaredError(), _regression_case),
    (losses.MeanAbsoluteError(), _regression_case),
    (losses.MeanAbsolutePercentageError(), _regression_case),
    (losses.MeanSquaredLogarithmicError(), _regression_case),
    (losses.Huber(), _regression_case),
    (losses.Huber(delta=0.5), _regression_case),
    (losses.CosineSimilarity(), _regression_case),
    (losses.BinaryCrossentropy(), _binary_case),
    (losses.BinaryCrossentropy(label_smoothing=0.1), _binary_case),
    (losses.BinaryCrossentropy(from_logits=True), _logits_case),
    (losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.2), _logits_case),
    (losses.CategoricalCrossentropy(), _categorical_case),
    (losses.CategoricalCrossentropy(label_smoothing=0.1), _categorical_case),
    (losses.CategoricalCrossentropy(from_logits=True), _logits_case),
    (losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2), _logits_case),
    (losses.SparseCategoricalCrossentropy(), _categorical_case),
    (losses.SparseCategoricalCrossentropy(from_logits=True), _logits_case),
]


def _labels_for(loss, y):
    return y.argmax(-1) if isinstance(loss, losses.SparseCategoricalCrossentropy) else y


@pytest.mark.parametrize("loss,case", CASES, ids=lambda v: getattr(v, "name", ""))
@pytest.mark.parametrize("weighted", [False, True])
def test_gradient_matches_numerical_gradient(loss, case, weighted):
    rng = np.random.default_rng(7)
    y, p = case(rng)
    y = _labels_for(loss, y)
    # a random positive weight per sample plays the role of a random upstream gradient
    w = rng.uniform(0.1, 2.0, size=p.shape[0]) if weighted else None
    analytic = loss.gradient(y, p, sample_weight=w)
    assert analytic.shape == p.shape
    check_gradient(lambda: loss(y, p, sample_weight=w), analytic, p, tol=1e-6)


@pytest.mark.parametrize("reduction", ["sum", "mean_with_sample_weight", "none"])
def test_gradient_for_other_reductions(reduction):
    rng = np.random.default_rng(8)
    loss = losses.CategoricalCrossentropy(from_logits=True, reduction=reduction)
    y, z = _logits_case(rng, shape=(3, 2, 4))  # sequences: per-sample values (3, 2)
    w = rng.uniform(0.1, 2.0, size=3)
    check_gradient(lambda: np.sum(loss(y, z, sample_weight=w)), loss.gradient(y, z, w), z)


@pytest.mark.parametrize(
    "loss,activation",
    [
        (losses.BinaryCrossentropy(), "sigmoid"),
        (losses.BinaryCrossentropy(label_smoothing=0.1), "sigmoid"),
        (losses.CategoricalCrossentropy(), "softmax"),
        (losses.CategoricalCrossentropy(label_smoothing=0.2), "softmax"),
        (losses.SparseCategoricalCrossentropy(), "softmax"),
    ],
)
def test_fused_gradient_matches_numerical_gradient_through_the_activation(loss, activation):
    rng = np.random.default_rng(9)
    y, z = _logits_case(rng, shape=(6, 3))
    y = _labels_for(loss, y)
    w = rng.uniform(0.1, 2.0, size=6)
    fn = activations.get(activation)
    fused = loss.fused_gradient(activation, y, fn(z), sample_weight=w)
    assert fused.shape == z.shape
    check_gradient(lambda: loss(y, fn(z), sample_weight=w), fused, z, tol=1e-6)
    # it also equals the unfused chain: loss gradient, then the activation's backward pass
    chained = activations.gradient(fn, z, fn(z), loss.gradient(y, fn(z), w))
    np.testing.assert_allclose(fused, chained, rtol=1e-6, atol=1e-12)


def test_fused_gradient_applies_only_where_it_is_valid():
    y, p = np.array([[1.0]]), np.array([[0.7]])
    assert losses.BinaryCrossentropy(from_logits=True).fused_gradient("sigmoid", y, p) is None
    assert losses.BinaryCrossentropy().fused_gradient("relu", y, p) is None
    assert losses.BinaryCrossentropy().fused_gradient(activations.sigmoid, y, p) is not None
    assert losses.MeanSquaredError().fused_gradient("sigmoid", y, p) is None
    assert losses.CategoricalCrossentropy().fused_gradient("sigmoid", y, p) is None


def test_fused_gradient_does_not_vanish_when_the_output_saturates():
    grad = losses.BinaryCrossentropy().fused_gradient("sigmoid", [[1.0]], [[0.0]])
    assert grad.tolist() == [[-1.0]]


# ---------------------------------------------------------------- stability and dtype


@pytest.mark.parametrize(
    "loss",
    [
        losses.BinaryCrossentropy(from_logits=True),
        losses.CategoricalCrossentropy(from_logits=True),
        losses.SparseCategoricalCrossentropy(from_logits=True),
        losses.BinaryCrossentropy(),
        losses.CategoricalCrossentropy(),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_finite_values_and_gradients_for_extreme_inputs(loss, dtype):
    rng = np.random.default_rng(10)
    if loss.from_logits:
        p = rng.uniform(-1e4, 1e4, size=(8, 3)).astype(dtype)
        p[0] = [1e4, -1e4, 0.0]
    else:
        p = rng.uniform(0, 1, size=(8, 3)).astype(dtype)
        p[0] = [1.0, 0.0, 0.0]
    y = np.eye(3)[rng.integers(0, 3, size=8)]
    y[0] = [0, 1, 0]
    y = _labels_for(loss, y)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = loss(y, p)
        grad = loss.gradient(y, p)
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert grad.dtype == dtype


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_function_forms_keep_dtype(dtype):
    y = np.array([[0.0, 1.0]], dtype=dtype)
    p = np.array([[0.3, 0.6]], dtype=dtype)
    for fn in [
        losses.mse,
        losses.mae,
        losses.mape,
        losses.msle,
        losses.huber,
        losses.cosine_similarity,
        losses.binary_crossentropy,
        losses.categorical_crossentropy,
    ]:
        assert fn(y, p).dtype == dtype, fn.__name__
    assert losses.sparse_categorical_crossentropy([1], p).dtype == dtype
    assert losses.mse([[1, 2]], [[1, 3]]).dtype == np.float32  # ints become floatx


# ---------------------------------------------------------------- validation


def test_sparse_given_one_hot_labels():
    with pytest.raises(ValueError, match="one-hot.*categorical_crossentropy.*argmax"):
        losses.SparseCategoricalCrossentropy().validate(np.eye(3), np.ones((3, 3)) / 3)


def test_categorical_given_integer_labels():
    for labels in (np.array([0, 2, 1]), np.array([[0], [2], [1]])):
        with pytest.raises(ValueError, match="sparse_categorical_crossentropy.*to_categorical"):
            losses.CategoricalCrossentropy().validate(labels, np.ones((3, 3)) / 3)


def test_categorical_given_wrong_number_of_classes():
    with pytest.raises(ValueError, match="one column per class"):
        losses.CategoricalCrossentropy().validate(np.eye(4), np.ones((4, 3)) / 3)


@pytest.mark.parametrize(
    "labels,message",
    [
        ([0, 1, 3], r"0\.\.2.*from 0 to 3"),
        ([0, -1, 2], r"0\.\.2.*from -1 to 2"),
        ([0.0, 1.5, 2.0], "integer class labels.*1.5"),
    ],
)
def test_sparse_label_values(labels, message):
    with pytest.raises(ValueError, match=message):
        losses.SparseCategoricalCrossentropy().validate(np.array(labels), np.ones((3, 3)) / 3)


def test_binary_labels_outside_0_1():
    with pytest.raises(ValueError, match=r"labels in \[0, 1\].*from 0 to 2"):
        losses.BinaryCrossentropy().validate(np.array([0, 1, 2]), np.ones((3, 1)) / 2)


def test_regression_target_shape_mismatch():
    with pytest.raises(ValueError, match="one target per output unit"):
        losses.MeanSquaredError().validate(np.ones((5, 1)), np.ones((2, 3)))


def test_valid_labels_pass_with_a_different_batch_of_predictions():
    outputs = np.ones((2, 3)) / 3  # only the shape after the batch axis matters
    losses.SparseCategoricalCrossentropy().validate(np.array([0, 2, 1, 1]), outputs)
    losses.SparseCategoricalCrossentropy().validate(np.array([[0], [2], [1]]), outputs)
    losses.CategoricalCrossentropy().validate(np.eye(3), outputs)
    losses.BinaryCrossentropy().validate(np.array([0, 1, 1]), np.ones((2, 1)))
    losses.MeanSquaredError().validate(np.ones(7), np.ones((2, 1)))


# ---------------------------------------------------------------- lookup and config


def test_get_by_name_alias_class_and_function():
    assert isinstance(losses.get("mse"), losses.MeanSquaredError)
    assert isinstance(losses.get("MSE"), losses.MeanSquaredError)
    assert isinstance(losses.get("bce"), losses.BinaryCrossentropy)
    assert isinstance(
        losses.get("sparse_categorical_crossentropy"), losses.SparseCategoricalCrossentropy
    )
    assert isinstance(losses.get("Huber"), losses.Huber)
    assert isinstance(losses.get(losses.categorical_crossentropy), losses.CategoricalCrossentropy)
    assert isinstance(losses.get(losses.MeanAbsoluteError), losses.MeanAbsoluteError)
    loss = losses.CategoricalCrossentropy(from_logits=True)
    assert losses.get(loss) is loss
    assert losses.get(None) is None
    built = losses.get(
        {
            "class_name": "CategoricalCrossentropy",
            "config": {"from_logits": True, "label_smoothing": 0.1},
        }
    )
    assert built.from_logits is True and built.label_smoothing == 0.1


def test_unknown_loss_name():
    with pytest.raises(ValueError, match="Unknown loss 'mse2'. Did you mean 'mse'.*Known losses"):
        losses.get("mse2")


def test_custom_function_loss_evaluates_but_has_no_gradient():
    def double_mae(y_true, y_pred):
        return 2 * np.mean(np.abs(y_true - y_pred), axis=-1)

    loss = losses.get(double_mae)
    assert loss.name == "double_mae"
    assert loss([[0.0], [0.0]], [[1.0], [3.0]]) == pytest.approx(4.0)
    with pytest.raises(NotImplementedError, match="call_gradient"):
        loss.gradient([[0.0]], [[1.0]])


def test_config_round_trip_and_serialize():
    loss = losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, reduction="sum")
    copy = losses.get(losses.serialize(loss))
    assert copy.get_config() == loss.get_config()
    assert loss.get_config()["name"] == "binary_crossentropy"
    assert losses.Huber().name == "huber_loss"
    assert losses.serialize(losses.mse) == "mean_squared_error"
