"""utils: one-hot labels, seeding, float type."""

import numpy as np
import pytest

from dlcourse import backend, datasets
from dlcourse.layers import Dense
from dlcourse.models import Sequential
from dlcourse.utils import (
    clear_session,
    floatx,
    set_floatx,
    set_random_seed,
    shifted_seed,
    to_categorical,
)


def test_to_categorical_matches_keras():
    np.testing.assert_array_equal(to_categorical([0, 2, 1]), [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert to_categorical(np.array([[1], [0]]), num_classes=3).shape == (2, 3)
    assert to_categorical([1]).dtype == np.float32


@pytest.mark.parametrize(
    "labels, message", [([0, 3], "num_classes=3"), ([-1, 0], "non-negative"), ([0.5], "integer")]
)
def test_to_categorical_rejects_labels_that_do_not_fit(labels, message):
    with pytest.raises(ValueError, match=message):
        to_categorical(labels, num_classes=3)


def test_set_random_seed_makes_initial_weights_repeat():
    def first_kernel():
        set_random_seed(11)
        return Sequential([Dense(4, input_shape=(3,))]).get_weights()[0]

    np.testing.assert_array_equal(first_kernel(), first_kernel())


def test_floatx_controls_weights_and_rejects_unknown_types():
    assert floatx() == "float32"
    set_floatx("float64")
    try:
        assert Sequential([Dense(2, input_shape=(2,))]).get_weights()[0].dtype == np.float64
    finally:
        set_floatx("float32")
    with pytest.raises(ValueError, match="float32"):
        set_floatx("int8")
    assert backend.epsilon() == 1e-7


# DLCOURSE_SEED_SHIFT: one variable moves every seed the course uses (README, "seeds").


def test_seeds_are_unchanged_without_a_shift(monkeypatch):
    monkeypatch.delenv("DLCOURSE_SEED_SHIFT", raising=False)
    assert shifted_seed(0) == 0 and shifted_seed(2022) == 2022
    monkeypatch.setenv("DLCOURSE_SEED_SHIFT", "")
    assert shifted_seed(7) == 7


def test_the_shift_moves_every_integer_seed_and_nothing_else(monkeypatch):
    monkeypatch.setenv("DLCOURSE_SEED_SHIFT", "3")
    assert shifted_seed(0) == 3 and shifted_seed(np.int64(2022)) == 2025
    assert shifted_seed(None) is None
    generator = np.random.default_rng(0)
    assert shifted_seed(generator) is generator


def test_a_bad_shift_is_named_in_the_error(monkeypatch):
    monkeypatch.setenv("DLCOURSE_SEED_SHIFT", "one")
    with pytest.raises(ValueError, match="DLCOURSE_SEED_SHIFT must be an integer"):
        shifted_seed(0)


def initial_kernel(seed):
    set_random_seed(seed)
    return Sequential([Dense(4, input_shape=(3,))]).get_weights()[0]


def test_set_random_seed_uses_the_shifted_seed(monkeypatch):
    monkeypatch.delenv("DLCOURSE_SEED_SHIFT", raising=False)
    seed_5 = initial_kernel(5)
    monkeypatch.setenv("DLCOURSE_SEED_SHIFT", "5")
    np.testing.assert_array_equal(initial_kernel(0), seed_5)
    set_random_seed(0)
    assert np.random.random() == np.random.RandomState(5).random_sample()


def test_dataset_splits_and_tables_follow_the_shift(monkeypatch):
    monkeypatch.delenv("DLCOURSE_SEED_SHIFT", raising=False)
    default, seed_2023 = datasets.load_digits(), datasets.load_digits(random_state=2023)
    churn_1 = datasets.make_churn(n=50, seed=1)
    moons_1 = datasets.make_moons_split(n=50, random_state=1)
    monkeypatch.setenv("DLCOURSE_SEED_SHIFT", "1")
    shifted = datasets.load_digits()
    np.testing.assert_array_equal(shifted.train[1], seed_2023.train[1])
    assert not np.array_equal(shifted.train[1], default.train[1])
    assert datasets.make_churn(n=50, seed=0).equals(churn_1)
    np.testing.assert_array_equal(
        datasets.make_moons_split(n=50, random_state=0).train[0], moons_1.train[0]
    )


def test_default_names_follow_keras_to_snake_case_everywhere():
    from dlcourse import layers, losses, metrics
    from dlcourse._naming import to_snake_case
    from dlcourse.models import Model

    expected = {  # what keras.src.utils.naming.to_snake_case gives
        "BatchNormalization": "batch_normalization",
        "AUC": "auc",
        "LeakyReLU": "leaky_re_lu",
        "F1Score": "f1_score",
        "Conv2D": "conv2d",
        "HTTPServer": "http_server",
        "MyModel": "my_model",
    }
    assert {name: to_snake_case(name) for name in expected} == expected

    class HTTPServer(losses.Loss):
        pass

    class F1Score(metrics.Mean):
        pass

    class MyBlock(layers.Layer):
        pass

    class MyModel(Model):
        pass

    clear_session()
    assert HTTPServer().name == "http_server" and F1Score().name == "f1_score"
    assert MyBlock().name == "my_block" and MyBlock().name == "my_block_1"
    assert MyModel().name == "my_model"
