"""The experiment exercises of notebooks 03 and 04: their checkers run the learner's function
(build and train a network, fit a line) and say what went wrong, in both languages.

The value exercises 03.1-03.3 and 04.1-04.3 are tested in test_check_nb02_04.py; the generic
checks (each solution accepted, placeholders not attempted, nonsense rejected) in test_check.py.
"""

import numpy as np
import pytest

from dlcourse import check, initializers, optimizers
from dlcourse.layers import Dense, Dropout, Input
from dlcourse.models import Sequential


def test_notebooks_03_and_04_have_experiment_exercises():
    ids = {exercise.id for exercise in check.all_exercises()}
    assert {"03.4", "04.4"} <= ids


# 03.4: hidden_layer(units) -> one hidden layer of the 10-layer breast-cancer network.
def relu_he(units):
    return Dense(units, activation="relu", kernel_initializer="he_normal")


def tanh_glorot(units):
    return Dense(units, activation="tanh")


def leaky_relu_he(units):
    return Dense(units, activation="leaky_relu", kernel_initializer="he_normal")


def sigmoid_glorot(units):  # the network of the notebook: the gradient vanishes
    return Dense(units, activation="sigmoid")


def relu_too_small(units):
    return Dense(units, activation="relu", kernel_initializer=initializers.RandomNormal(0, 0.01))


def relu_too_large(units):
    return Dense(units, activation="relu", kernel_initializer=initializers.RandomNormal(0, 1.0))


def swish_glorot(units):  # learns nothing in 8 epochs, yet no single cause stands out
    return Dense(units, activation="swish")


def dropout_layer(units):
    return Dropout(0.5)


def ignores_units(units):
    return Dense(64, activation="relu", kernel_initializer="he_normal")


def own_activation(units):
    return Dense(units, activation=lambda x: 2 * x)


SHARED = Dense(32, activation="relu")


def one_shared_layer(units):
    return SHARED


def fails(units):
    raise RuntimeError("not written yet")


def fails_too(x, y):
    raise RuntimeError("not written yet")


# 04.4: fit_line(x, y) -> (slope, intercept) on three lines with outliers.
def line_fitter(loss, epochs=300, returns="numbers"):
    def fit_line(x, y):
        line = Sequential([Input(shape=(1,)), Dense(1)])
        line.compile(loss=loss, optimizer=optimizers.Adam(learning_rate=0.1))
        line.fit(x[:, None], y, epochs=epochs, batch_size=len(x), verbose=0)
        kernel, bias = line.get_weights()
        if returns == "model":
            return line
        if returns == "arrays":
            return kernel, bias
        return float(kernel[0, 0]), float(bias[0])

    return fit_line


def least_squares(x, y):
    slope, intercept = np.polyfit(x, y, 1)
    return slope, intercept


def always_the_notebooks_line(x, y):
    return 2.0, 1.0


def three_numbers(x, y):
    return 2.0, 1.0, 0.0


WRONG_ANSWERS = [
    ("03.4", sigmoid_glorot, "the gradient vanishes"),
    ("03.4", relu_too_small, "too small for 10 layers"),
    ("03.4", relu_too_large, "explode"),
    ("03.4", swish_glorot, "does not learn on every seed"),
    ("03.4", dropout_layer, "should return a Dense layer"),
    ("03.4", ignores_units, "Asked for 32 units"),
    ("03.4", own_activation, "raised ValueError"),
    ("03.4", one_shared_layer, "same layer object"),
    ("03.4", fails, "raised RuntimeError"),
    ("03.4", "relu", "wants a function"),
    ("04.4", line_fitter("mse"), "least-squares line"),
    ("04.4", least_squares, "least-squares line"),
    ("04.4", line_fitter("mae", epochs=10), "does not fit the 36 ordinary points"),
    ("04.4", always_the_notebooks_line, "does not fit the 36 ordinary points"),
    ("04.4", line_fitter("mae", returns="model"), "should return two numbers"),
    ("04.4", three_numbers, "should return two numbers"),
    ("04.4", fails_too, "raised RuntimeError"),
]


@pytest.mark.parametrize(
    "exercise_id, answer, words",
    WRONG_ANSWERS,
    ids=[f"{e}-{getattr(a, '__name__', a)}-{w[:12]}" for e, a, w in WRONG_ANSWERS],
)
def test_typical_wrong_answers_get_specific_feedback(exercise_id, answer, words, feedback):
    result = feedback(exercise_id, answer, words, "Hint:")
    assert result.status == "wrong", result.message


@pytest.mark.parametrize(
    "exercise_id, answer",
    [
        ("03.4", relu_he),
        ("03.4", tanh_glorot),
        ("03.4", leaky_relu_he),
        ("04.4", line_fitter("mae")),
        ("04.4", line_fitter("huber")),
        ("04.4", line_fitter("mae", returns="arrays")),
    ],
)
def test_equivalent_right_answers_are_accepted(exercise_id, answer, feedback):
    result = feedback(exercise_id, answer, "Correct:")
    assert result.status == "correct", result.message


@pytest.mark.parametrize("exercise_id, answer", [("03.4", relu_he), ("04.4", least_squares)])
def test_checking_an_experiment_leaves_the_random_state_as_it_was(exercise_id, answer, verdict):
    """The checkers seed and train; the learner's next cells must draw what they would have."""
    from dlcourse import backend

    np.random.seed(7)
    backend.seed_rng(7)
    expected = np.random.random(), backend.rng().random()
    np.random.seed(7)
    backend.seed_rng(7)
    verdict(exercise_id, answer)
    assert (np.random.random(), backend.rng().random()) == expected
