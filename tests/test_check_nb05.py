"""Exercises of notebooks 05 and 05b: the reference solutions pass, typical mistakes get
specific feedback; the experiment 05.4 trains the network with the learner's optimizer."""

import numpy as np
import pytest

from dlcourse.optimizers import SGD, Adam, schedules


@pytest.mark.parametrize("exercise_id", ["05.1", "05.2", "05.3", "05.4", "05b.1", "05b.2"])
def test_reference_solutions_pass(exercise_id, solution_answer, feedback):
    answer = solution_answer(exercise_id)
    assert feedback(exercise_id, answer).status == "correct"


@pytest.mark.parametrize("exercise_id", ["05.1", "05.2", "05.3", "05.4", "05b.1", "05b.2"])
def test_untouched_placeholder_is_not_attempted(exercise_id, feedback):
    assert feedback(exercise_id, ...).status == "not attempted"


@pytest.mark.parametrize(
    "answer, expected",
    [
        (200, "batch size"),
        (2000, "batch_size=1"),
        (1, "full-batch"),
        (0.1, "divided the batch size"),
        (7, "not the number of batches"),
        ("10", "of type str"),
    ],
)
def test_iterations_per_epoch_mistakes(answer, expected, feedback):
    assert feedback("05.1", answer, expected).status == "wrong"


def sgd_step(w, v, g, learning_rate, momentum):
    return w - learning_rate * g, v


def uphill(w, v, g, learning_rate, momentum):
    v = momentum * v + learning_rate * g
    return w + v, v


def old_velocity(w, v, g, learning_rate, momentum):
    w_new = w + v
    return w_new, momentum * v - learning_rate * g


def no_decay(w, v, g, learning_rate, momentum):
    v = v - learning_rate * g
    return w + v, v


def half_right(w, v, g, learning_rate, momentum):
    v = momentum * v - learning_rate * g
    return w - learning_rate * v, v


def crashes(w, v, g, learning_rate, momentum):
    return w[10]


@pytest.mark.parametrize(
    "answer, expected",
    [
        (sgd_step, "plain gradient descent"),
        (uphill, "uphill"),
        (old_velocity, "old velocity"),
        (no_decay, "not multiplied by momentum"),
        (half_right, "Your v is right"),
        (crashes, "raised IndexError"),
        (lambda w, v, g, lr, m: (w.sum(), v), "do not have the shape"),
        (lambda w, v, g, lr, m: (w + 1, v + 1), "differ from the Keras momentum formula"),
        (lambda w, v, g, lr, m: w, "not a pair"),
        (3.0, "wants a function"),
    ],
)
def test_momentum_step_mistakes(answer, expected, feedback):
    assert feedback("05.2", answer, expected).status == "wrong"


@pytest.mark.parametrize(
    "answer, expected",
    [
        (20, "shallow x direction alone"),
        (0.5, "y factor is 0"),
        (2, "left out the 2"),
        (1.5, "magnitude >= 1"),
        (0.7, "larger rates still converge"),
        ("one", "of type str"),
    ],
)
def test_stable_learning_rate_mistakes(answer, expected, feedback):
    assert feedback("05.3", answer, expected).status == "wrong"


@pytest.mark.parametrize(
    "make_answer, expected",
    [
        (lambda: Adam(learning_rate=1.0), "hardly learns"),
        (lambda: Adam(learning_rate=0.3), "the steps overshoot"),
        (lambda: Adam(), "too slowly for 5 epochs"),
        (lambda: SGD(learning_rate=0.01), "below 0.94"),
        (lambda: Adam, "the class Adam itself"),
        (lambda: "adam", "of type str"),
        (lambda: 0.01, "of type float"),
    ],
)
def test_tame_the_learning_rate_mistakes(make_answer, expected, feedback):
    assert feedback("05.4", make_answer(), expected).status == "wrong"


@pytest.mark.parametrize(
    "make_answer",
    [
        lambda: SGD(learning_rate=0.3),  # another optimizer at its own good rate
        lambda: SGD(learning_rate=schedules.ExponentialDecay(0.5, 200, 0.5)),  # a schedule
    ],
)
def test_tame_the_learning_rate_accepts_other_optimizers_that_train(make_answer, feedback):
    assert feedback("05.4", make_answer(), "reaches a validation accuracy").status == "correct"


def test_tame_the_learning_rate_trains_a_fresh_copy_each_time(verdict):
    """The learner's optimizer is copied for each seed: it keeps no slots, counts no steps."""
    answer = Adam(learning_rate=0.01)
    first = verdict("05.4", answer)
    assert answer.iterations == 0 and answer.variables == []
    assert verdict("05.4", answer).message == first.message


@pytest.mark.parametrize(
    "answer, expected",
    [
        (1.2, "it diverges"),
        (1.0, "bounces"),
        (0.99, "flips sign every step"),
        (0.1, "x direction crawls"),
        (-0.5, "must be positive"),
    ],
)
def test_fast_sgd_mistakes(answer, expected, feedback):
    assert feedback("05b.1", answer, expected).status == "wrong"


def test_fast_sgd_accepts_any_rate_that_works(feedback):
    assert feedback("05b.1", 0.85, "arrives in").status == "correct"


@pytest.mark.parametrize(
    "answer, expected", [(0, "stops there"), (2, "cannot settle"), (5, "goes from 0 to 2")]
)
def test_saddle_noise_mistakes(answer, expected, feedback):
    assert feedback("05b.2", answer, expected).status == "wrong"


def test_saddle_noise_accepts_a_range(feedback):
    assert feedback("05b.2", np.float64(0.2), "leaves the ridge").status == "correct"
