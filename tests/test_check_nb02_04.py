"""Exercises of notebooks 02-04: typical wrong answers get specific feedback, right ones pass.

The generic checks (each solution accepted, placeholders not attempted, nonsense rejected) are
in test_check.py and cover these exercises too; here are the mistakes learners actually make.
"""

import math

import numpy as np
import pytest

from dlcourse import check, losses


def test_notebooks_02_to_04_have_exercises():
    ids = {exercise.id for exercise in check.all_exercises()}
    assert {"02.1", "02.2", "02.3", "02.4", "03.1", "03.2", "03.3", "04.1", "04.2", "04.3"} <= ids


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


P3 = sigmoid(-3)

# (exercise id, answer, words the feedback must contain)
WRONG_ANSWERS = [
    ("02.1", 45 * 64 + 64 * 64 + 64, "not the biases"),
    ("02.1", 45 * 64 + 64, "first layer only"),
    ("02.1", 45 * 64 + 64 * 64 + 64 + 45 + 64 + 64, "biases belong to the units"),
    ("02.1", 174, "counts units"),
    ("02.1", "7169", "type str"),
    ("02.2", (24, 100), "transposed"),
    ("02.2", (24,), "bias"),
    ("02.2", (30, 100), "first layer"),
    ("02.2", (24, 1), "output layer"),
    ("02.2", "100x24", "not a shape"),
    ("02.2", (3, 4), "not the kernel's shape"),
    ("02.4", 7169, "TWO evaluations"),
    ("02.4", 2, "what backpropagation needs"),
    ("02.4", 2 * (45 * 64 + 64 * 64 + 64), "biases are parameters too"),
    ("02.4", 5, "evaluations is not right"),
    ("03.1", 0.5, "VALUE at 0"),
    ("03.1", 1, "tanh"),
    ("03.1", 0.3, "not the largest slope"),
    ("03.2", 2.5, "multiply each other"),
    ("03.2", 0.5**10, "value at 0"),
    ("03.2", 0.25, "one layer"),
    ("03.2", 4**10, "below 1"),
    ("03.2", 0.001, "not the factor"),
    ("03.3", 0.04, "variance"),
    ("03.3", math.sqrt(2 / 150), "Glorot"),
    ("03.3", math.sqrt(2 / 100), "100 units"),
    ("03.3", 0.5, "not He's σ"),
    ("04.1", -math.log(0.1), "label were 1"),
    ("04.1", -math.log2(0.9), "base 2"),
    ("04.1", math.log(0.9), "sign is wrong"),
    ("04.1", 0.1, "not the cross-entropy"),
    ("04.1", 2.0, "2 is not the cross-entropy"),
    ("04.2", "categorical_crossentropy", "one-hot"),
    ("04.2", losses.CategoricalCrossentropy, "one-hot"),
    ("04.2", "hinge", "not the loss to use"),
    ("04.2", "binary_crossentropy", "two classes"),
    ("04.2", "mse", "regression loss"),
    ("04.2", "crossentropy", "exact name"),
    ("04.2", 3, "not a loss name"),
    ("04.3", 1 - P3, "flipped"),
    ("04.3", 2 * (P3 - 1) * P3 * (1 - P3), "MSE gradient"),
    ("04.3", (P3 - 1) * P3 * (1 - P3), "cancels"),
    ("04.3", P3, "prediction"),
    ("04.3", -math.log(P3), "loss itself"),
    ("04.3", -4.0, "probability p"),
    ("04.3", 0.5, "is not dL/dz"),
]


@pytest.mark.parametrize(
    "exercise_id, answer, words",
    WRONG_ANSWERS,
    ids=[f"{e}-{a!r}"[:40] for e, a, _ in WRONG_ANSWERS],
)
def test_typical_wrong_answers_get_specific_feedback(exercise_id, answer, words, feedback):
    result = feedback(exercise_id, answer, words, "Hint:")
    assert result.status == "wrong", result.message


@pytest.mark.parametrize(
    "exercise_id, answer",
    [
        ("02.1", 7169),
        ("02.1", 7169.0),
        ("02.1", np.int64(7169)),
        ("02.2", (100, 24)),
        ("02.2", [100, 24]),
        ("02.2", np.array([100, 24])),
        ("02.4", 14338),
        ("03.1", 0.25),
        ("03.2", 9.5367e-07),
        ("03.3", 0.2),
        ("03.3", np.float32(0.2)),
        ("04.1", 0.1054),
        ("04.1", -math.log(0.9)),
        ("04.2", "sparse_categorical_crossentropy"),
        ("04.2", "SparseCategoricalCrossentropy"),
        ("04.2", losses.SparseCategoricalCrossentropy()),
        ("04.2", losses.sparse_categorical_crossentropy),
        ("04.3", P3 - 1),
        ("04.3", -0.9526),
    ],
)
def test_equivalent_right_answers_are_accepted(exercise_id, answer, feedback):
    result = feedback(exercise_id, answer, "Correct:")
    assert result.status == "correct", result.message


# 02.3: a function computing the output layer's gradients; each typical mistake as a function.
def grads_right(h, p, y):
    dz = (p - y) / len(h)
    return h.T @ dz, dz.sum(axis=0)


def grads_sign_flipped(h, p, y):
    dz = (y - p) / len(h)
    return h.T @ dz, dz.sum(axis=0)


def grads_of_the_sum(h, p, y):
    dz = p - y
    return h.T @ dz, dz.sum(axis=0)


def grads_transposed(h, p, y):
    dz = (p - y) / len(h)
    return dz.T @ h, dz.sum(axis=0)


def grads_bias_not_summed(h, p, y):
    dz = (p - y) / len(h)
    return h.T @ dz, dz.mean(axis=0)


def grads_extra_sigmoid_slope(h, p, y):
    dz = (p - y) * p * (1 - p) / len(h)
    return h.T @ dz, dz.sum(axis=0)


def grads_one_array(h, p, y):
    return h.T @ ((p - y) / len(h))


def grads_flat_dW(h, p, y):
    dz = (p - y) / len(h)
    return (h.T @ dz).ravel(), dz.sum(axis=0)


def grads_db_per_sample(h, p, y):
    dz = (p - y) / len(h)
    return h.T @ dz, dz


def grads_zero(h, p, y):
    return np.zeros((h.shape[1], 1)), np.zeros(1)


def grads_raises(h, p, y):
    return h @ p


@pytest.mark.parametrize(
    "function, words",
    [
        (grads_sign_flipped, "sign is flipped"),
        (grads_of_the_sum, "SUM of the losses"),
        (grads_transposed, "transpose"),
        (grads_bias_not_summed, "db is not"),
        (grads_extra_sigmoid_slope, "sigmoid's derivative"),
        (grads_one_array, "two arrays"),
        (grads_flat_dW, "dW has shape (4,), but the kernel has shape (4, 1)"),
        (grads_db_per_sample, "db has shape (6, 1)"),
        (grads_zero, "not the gradients"),
        (grads_raises, "raised ValueError"),
        (grads_right(np.ones((2, 2)), np.ones((2, 1)), np.zeros((2, 1))), "wants a function"),
    ],
)
def test_output_grads_mistakes_are_recognised(function, words, feedback):
    result = feedback("02.3", function, words)
    assert result.status == "wrong", result.message


def test_output_grads_right_answer_is_accepted(feedback):
    assert feedback("02.3", grads_right, "Correct:")
