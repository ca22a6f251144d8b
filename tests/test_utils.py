"""utils: one-hot labels, seeding, float type."""

import numpy as np
import pytest

from dlcourse import backend
from dlcourse.layers import Dense
from dlcourse.models import Sequential
from dlcourse.utils import clear_session, floatx, set_floatx, set_random_seed, to_categorical


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
