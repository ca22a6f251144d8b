"""Checkers of notebooks 06 (overfitting) and 07 (batch normalization): typical wrong answers
get specific feedback, and right answers written differently from the solution pass."""

import numpy as np
import pytest

# ----- 06 ---------------------------------------------------------------------------------------
W = np.array([0.5, -1.0, 2.0])


def _best_epoch(history):
    return int(np.argmin(history["val_loss"])) + 1


WRONG_ANSWERS_06 = [
    ("06.1", 5.25, "without the factor"),
    ("06.1", 0.01 * np.abs(W).sum(), "L1 penalty"),
    ("06.1", 0.01 * W.sum(), "cancel"),
    ("06.1", 0.01 * np.sqrt((W**2).sum()), "square root"),
    ("06.1", 0.5 * 0.01 * (W**2).sum(), "halved"),
    ("06.1", 0.01 * (W**2).mean(), "averaged"),
    ("06.1", "0.0525", "type str"),
    ("06.2", 3.0, "inference"),
    ("06.2", 2.4, "non-inverted"),
    ("06.2", 0, "DROPPED"),
    ("06.2", 15, "divided by the rate"),
    ("06.2", 0.6, "scaled UP"),
    ("06.3", lambda h: int(np.argmin(h["val_loss"])), "counted from 0"),
    ("06.3", lambda h: int(np.argmin(h["loss"])) + 1, "training loss"),
    ("06.3", lambda h: int(np.argmin(h["loss"])), "training loss (and counted from 0)"),
    ("06.3", lambda h: int(np.argmax(h["val_loss"])) + 1, "HIGHEST"),
    ("06.3", lambda h: int(np.argmax(h["val_accuracy"])) + 1, "validation accuracy"),
    ("06.3", lambda h: len(h["val_loss"]), "last epoch"),
    ("06.3", lambda h: h["missing"], "KeyError"),
    ("06.3", lambda h: "three", "not an epoch number"),
    ("06.3", lambda h: 1, "best_epoch gave [1.0, 1.0] for two test histories"),
    (
        "06.3",
        _best_epoch(  # calling the function instead of passing it
            {"val_loss": [0.3, 0.2]}
        ),
        "function",
    ),
]


@pytest.mark.parametrize(
    "exercise_id, answer, words", WRONG_ANSWERS_06, ids=[f"{e}-{w}" for e, _, w in WRONG_ANSWERS_06]
)
def test_06_typical_wrong_answers_get_specific_feedback(exercise_id, answer, words, feedback):
    assert feedback(exercise_id, answer, words).status == "wrong"


def test_06_right_answers_in_other_forms_pass(feedback):
    assert feedback("06.1", np.float32(0.0525)).status == "correct"
    assert feedback("06.2", 3 / 0.8).status == "correct"

    # a loop instead of argmin, returning a NumPy integer
    def best_epoch(history):
        losses = history["val_loss"]
        best = min(range(len(losses)), key=losses.__getitem__)
        return np.int64(best + 1)

    assert feedback("06.3", best_epoch).status == "correct"


# ----- 07 ---------------------------------------------------------------------------------------
def bn_axis1(x, gamma, beta, eps=1e-3):
    mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def bn_ddof1(x, gamma, beta, eps=1e-3):
    return gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + eps) + beta


def bn_no_eps(x, gamma, beta, eps=1e-3):
    return gamma * (x - x.mean(axis=0)) / x.std(axis=0) + beta


def bn_no_affine(x, gamma, beta, eps=1e-3):
    return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)


def bn_no_sqrt(x, gamma, beta, eps=1e-3):
    return gamma * (x - x.mean(axis=0)) / (x.var(axis=0) + eps) + beta


def bn_swapped(x, gamma, beta, eps=1e-3):
    return beta * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps) + gamma


def bn_reduced(x, gamma, beta, eps=1e-3):
    return x.mean(axis=0)


def bn_crashes(x, gamma, beta, eps=1e-3):
    return x @ gamma.reshape(1, -1)


def bn_not_array(x, gamma, beta, eps=1e-3):
    return {"y": 1}


WRONG_ANSWERS_07 = [
    ("07.1", bn_axis1, "each ROW"),
    ("07.1", bn_ddof1, "ddof=1"),
    ("07.1", bn_no_eps, "left out eps"),
    ("07.1", bn_no_affine, "no scale and shift"),
    ("07.1", bn_no_sqrt, "instead of the standard deviation"),
    ("07.1", bn_swapped, "swapped"),
    ("07.1", bn_reduced, "has shape (4,)"),
    ("07.1", bn_crashes, "ValueError"),
    ("07.1", bn_not_array, "not an array"),
    ("07.1", lambda x, gamma, beta, eps=1e-3: x, "differs from batch normalization"),
    ("07.2", 4.95, "swapped"),
    ("07.2", 5, "batch mean itself"),
    ("07.2", 0, "does change"),
    ("07.2", 2.5, "plain average"),
    ("07.2", "0.05", "type str"),
    ("07.3", 256, "moving mean and variance"),
    ("07.3", 64, "TWO"),
    ("07.3", 2, "two per feature"),
    ("07.3", 4, "four weight arrays"),
]


@pytest.mark.parametrize(
    "exercise_id, answer, words", WRONG_ANSWERS_07, ids=[f"{e}-{w}" for e, _, w in WRONG_ANSWERS_07]
)
def test_07_typical_wrong_answers_get_specific_feedback(exercise_id, answer, words, feedback):
    assert feedback(exercise_id, answer, words).status == "wrong"


def test_07_checker_agrees_with_the_library_layer(feedback):
    """A learner who wraps the library layer is right: the checker's reference is the layer."""
    from dlcourse.layers import BatchNormalization

    def via_layer(x, gamma, beta, eps=1e-3):
        layer = BatchNormalization(epsilon=eps, dtype="float64")
        layer.build(x.shape)
        layer.set_weights([gamma, beta, np.zeros(x.shape[1]), np.ones(x.shape[1])])
        return layer(x, training=True)

    result = feedback("07.1", via_layer)
    assert result.status == "correct", result.message


def test_07_right_answers_in_other_forms_pass(feedback):
    def by_loops(x, gamma, beta, eps=1e-3):
        out = np.empty_like(x)
        for j in range(x.shape[1]):
            column = x[:, j]
            mean = sum(column) / len(column)
            var = sum((v - mean) ** 2 for v in column) / len(column)
            out[:, j] = gamma[j] * (column - mean) / (var + eps) ** 0.5 + beta[j]
        return out.tolist()  # a list is fine too

    assert feedback("07.1", by_loops).status == "correct"
    assert feedback("07.2", 0.01 * 5).status == "correct"
    assert feedback("07.3", 2 * 64).status == "correct"
