"""Exercise 02.5, an experiment: the checker trains the learner's model over three seeds.

The reference solution and the typical mistakes, each as the function a learner would write,
in both languages (the `feedback` fixture). Exercises 02.1-02.4 are in test_check_nb02_04.py.
"""

import pytest

from dlcourse import optimizers
from dlcourse.layers import Dense, Input
from dlcourse.models import Sequential


def builder(
    last="sigmoid", units=1, loss="binary_crossentropy", optimizer="adam", compile=True, zeros=False
):
    """A build_model() as a learner writes it: 30 -> Dense(24, relu) -> Dense(units, last);
    `zeros`: every weight starts at 0 (then with a learning rate of 0 the output stays 0.5)."""
    init = "zeros" if zeros else "glorot_uniform"

    def build_model():
        model = Sequential(
            [
                Input(shape=(30,)),
                Dense(24, activation="relu", kernel_initializer=init),
                Dense(units, activation=last, kernel_initializer=init),
            ]
        )
        if compile:
            model.compile(loss=loss, optimizer=optimizer)
        return model

    return build_model


def test_the_fixed_network_learns(feedback):
    result = feedback("02.5", builder(), "Correct:", "over three seeds")
    assert result.status == "correct"


def test_two_softmax_units_with_sparse_labels_also_learn(feedback):
    two_classes = builder("softmax", units=2, loss="sparse_categorical_crossentropy")
    assert feedback("02.5", two_classes, "Correct:").status == "correct"


MISTAKES = [
    (builder("softmax"), "softmax over ONE unit"),  # the network of the question, unchanged
    (builder(None), "not probabilities"),
    (builder(compile=False), "not compiled"),
    (builder(units=3), "output has shape"),
    (builder(optimizer=optimizers.SGD(learning_rate=1e-3)), "is not above 0.93"),
    (builder(optimizer=optimizers.SGD(learning_rate=100.0)), "diverged"),
    (builder(optimizer=optimizers.SGD(learning_rate=0.0), zeros=True), "one class"),
    (lambda: None, "returned NoneType"),
    (lambda: 1 / 0, "raised ZeroDivisionError"),
]


@pytest.mark.parametrize("answer, words", MISTAKES, ids=[words for _, words in MISTAKES])
def test_typical_mistakes_get_specific_feedback(answer, words, feedback):
    result = feedback("02.5", answer, words, "Hint:")
    assert result.status == "wrong", result.message


def test_a_model_instead_of_the_function_is_explained(feedback):
    result = feedback("02.5", builder()(), "wants the function", "Hint:")
    assert result.status == "wrong"
