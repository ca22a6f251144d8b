import numpy as np
import pytest

from dlcourse import metrics


def test_function_forms():
    np.testing.assert_allclose(
        metrics.binary_accuracy([[1], [1], [0], [0]], [[0.98], [0.5], [0.0], [0.6]]), [1, 0, 1, 0]
    )  # 0.5 is not > 0.5: predicted 0
    np.testing.assert_allclose(
        metrics.binary_accuracy([[1, 0]], [[0.3, 0.25]], threshold=0.2), [0.5]
    )
    np.testing.assert_allclose(
        metrics.categorical_accuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]),
        [0, 1],
    )
    np.testing.assert_allclose(
        metrics.sparse_categorical_accuracy([2, 1], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]), [0, 1]
    )
    np.testing.assert_allclose(
        metrics.sparse_categorical_accuracy([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]), [0, 1]
    )
    assert metrics.mse([[1.0, 2.0]], [[2.0, 4.0]]) == pytest.approx([2.5])
    assert metrics.mae([[1.0, 2.0]], [[2.0, 4.0]]) == pytest.approx([1.5])


def test_accumulates_over_batches_like_one_big_batch():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=10)
    p = rng.uniform(size=(10, 3))
    whole = metrics.SparseCategoricalAccuracy()
    whole.update_state(y, p)
    split = metrics.SparseCategoricalAccuracy()
    split.update_state(y[:3], p[:3])
    split.update_state(y[3:], p[3:])
    assert split.result() == pytest.approx(whole.result())
    assert whole.result() == pytest.approx(np.mean(y == p.argmax(-1)))


def test_sample_weights_give_a_weighted_mean():
    m = metrics.BinaryAccuracy()
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], sample_weight=[1, 0, 0, 1])
    assert m.result() == pytest.approx(0.5)
    mse = metrics.MeanSquaredError()
    mse.update_state([[0.0], [0.0]], [[1.0], [3.0]], sample_weight=[3.0, 1.0])
    assert mse.result() == pytest.approx((3 * 1 + 9) / 4)


def test_reset_state_and_empty_result():
    m = metrics.MeanAbsoluteError()
    assert m.result() == 0.0
    m.update_state([[0.0]], [[2.0]])
    assert m.result() == pytest.approx(2.0)
    m.reset_state()
    assert m.result() == 0.0
    assert isinstance(m.result(), float)


def test_precision_and_recall():
    p = metrics.Precision()
    p.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    assert p.result() == pytest.approx(2 / 3)
    r = metrics.Recall()
    r.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    assert r.result() == pytest.approx(2 / 3)
    r.reset_state()
    r.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
    assert r.result() == pytest.approx(1.0)
    t = metrics.Precision(thresholds=0.7)
    t.update_state([[1], [0], [1]], [[0.8], [0.75], [0.6]])
    assert t.result() == pytest.approx(0.5)
    assert metrics.Precision().result() == 0.0  # no positive prediction yet: 0, not nan
    many = metrics.Recall(thresholds=[0.3, 0.9])
    many.update_state([1, 1], [0.5, 0.95])
    np.testing.assert_allclose(many.result(), [1.0, 0.5])


@pytest.mark.parametrize(
    "y_shape,p_shape,expected",
    [
        ((8, 1), (8, 1), metrics.BinaryAccuracy),
        ((8,), (8, 1), metrics.BinaryAccuracy),
        ((8,), (8, 4), metrics.SparseCategoricalAccuracy),
        ((8, 1), (8, 4), metrics.SparseCategoricalAccuracy),
        ((8, 4), (8, 4), metrics.CategoricalAccuracy),
    ],
)
def test_accuracy_resolves_from_shapes(y_shape, p_shape, expected):
    for name in ("accuracy", "acc"):
        m = metrics.get(name, np.zeros(y_shape), np.zeros(p_shape))
        assert type(m) is expected
        assert m.name == name


def test_accuracy_without_shapes_resolves_on_first_batch():
    m = metrics.get("accuracy")
    m.update_state([2, 0], [[0.1, 0.2, 0.7], [0.3, 0.6, 0.1]])
    assert m.result() == pytest.approx(0.5)
    assert type(m.resolved) is metrics.SparseCategoricalAccuracy
    m.update_state([1], [[0.1, 0.8, 0.1]])
    assert m.result() == pytest.approx(2 / 3)
    assert m.name == "accuracy"
    m.reset_state()
    assert m.result() == 0.0


def test_get_keeps_the_users_string_as_the_name():
    assert metrics.get("mae").name == "mae"
    assert isinstance(metrics.get("mae"), metrics.MeanAbsoluteError)
    assert metrics.get("mean_squared_error").name == "mean_squared_error"
    assert isinstance(metrics.get("precision"), metrics.Precision)
    assert metrics.get("recall").name == "recall"
    assert metrics.MeanSquaredError().name == "mean_squared_error"
    assert metrics.CategoricalAccuracy().name == "categorical_accuracy"
    m = metrics.BinaryAccuracy(threshold=0.3)
    assert metrics.get(m) is m
    assert isinstance(metrics.get(metrics.Recall), metrics.Recall)
    wrapped = metrics.get(metrics.binary_accuracy)
    assert wrapped.name == "binary_accuracy"
    assert wrapped([[1.0]], [[0.9]]) == 1.0


def test_unknown_metric_suggests_the_close_one():
    with pytest.raises(ValueError, match="Unknown metric 'acuracy'. Did you mean 'accuracy'"):
        metrics.get("acuracy")


def test_config_round_trip():
    m = metrics.BinaryAccuracy(name="acc_at_03", threshold=0.3)
    copy = metrics.get(metrics.serialize(m))
    assert copy.name == "acc_at_03" and copy.fn_kwargs == {"threshold": 0.3}
    p = metrics.Precision(thresholds=0.7)
    assert metrics.Precision.from_config(p.get_config()).thresholds == 0.7
