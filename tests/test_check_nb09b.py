"""The exercises of notebook 09b (training diagnostics): reference solutions pass, typical
mistakes get specific feedback in both languages, and the experiment exercise really runs the
learner's network."""

import math

import numpy as np
import pytest

from dlcourse import check
from dlcourse.initializers import RandomNormal
from dlcourse.layers import Dense, Input
from dlcourse.models import Sequential
from dlcourse.optimizers import SGD, Adam
from dlcourse.utils import set_random_seed

IDS = ["09b.1", "09b.2", "09b.3"]


def test_notebook_09b_registers_exactly_these_exercises():
    assert {e.id for e in check.all_exercises() if e.id.split(".")[0] == "09b"} == set(IDS)


def test_list_exercises_takes_a_notebook_with_a_letter(capsys):
    check.list_exercises("09b")
    printed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in printed] == IDS


@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_solution_is_accepted(exercise_id, solution_answer, feedback):
    assert feedback(exercise_id, solution_answer(exercise_id)).status == "correct"


@pytest.mark.parametrize("exercise_id", IDS)
def test_placeholder_is_not_attempted(exercise_id, verdict):
    assert verdict(exercise_id, ...).status == "not attempted"


@pytest.mark.parametrize("exercise_id", IDS)
@pytest.mark.parametrize("junk", [None, "", [1, 2], float("nan"), True, object()])
def test_junk_answers_are_feedback_not_crashes(exercise_id, junk, feedback):
    assert feedback(exercise_id, junk).status == "wrong"


# ----- 09b.1 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (math.log2(26), "log2"),
        (math.log10(26), "log10"),
        (-math.log(26), "sign"),
        (1 / 26, "probability"),
        (2.303, "10 digits"),
        (26, "number of classes"),
        (25 / 26, "error rate"),
        (5.0, "not the loss"),
    ],
)
def test_0901b_typical_mistakes(answer, phrase, feedback):
    assert feedback("09b.1", answer, phrase).status == "wrong"


@pytest.mark.parametrize("answer", [3.258, 3.26, 3.3, np.float64(math.log(26))])
def test_0901b_accepts_rounded_values(answer, verdict):
    assert verdict("09b.1", answer).status == "correct"


# ----- 09b.2 --------------------------------------------------------------------------------


def divided_by_after(before, after):
    return np.linalg.norm(after - before) / np.linalg.norm(after)


def squared(before, after):
    return np.sum((after - before) ** 2) / np.sum(before**2)


def per_element(before, after):
    return np.mean(np.abs(after - before) / np.abs(before))


def step_only(before, after):
    return np.linalg.norm(after - before)


def difference_of_norms(before, after):
    return (np.linalg.norm(after) - np.linalg.norm(before)) / np.linalg.norm(before)


def upside_down(before, after):
    return np.linalg.norm(before) / np.linalg.norm(after - before)


def per_row(before, after):
    return np.linalg.norm(after - before, axis=-1) / np.linalg.norm(before, axis=-1)


def crashes(before, after):
    return before @ after


@pytest.mark.parametrize(
    "function, phrase",
    [
        (divided_by_after, "‖after‖"),
        (squared, "square roots"),
        (per_element, "each element"),
        (step_only, "step alone"),
        (upside_down, "Upside down"),
        (per_row, "not one number"),
        (crashes, "raised ValueError"),
        (lambda before, after: 0.5, "expected 0.002"),
    ],
)
def test_0902b_typical_mistakes(function, phrase, feedback):
    assert feedback("09b.2", function, phrase).status == "wrong"


def test_0902b_difference_of_norms_is_caught_with_or_without_abs(feedback):
    assert feedback("09b.2", difference_of_norms, "DIFFERENCE").status == "wrong"


def test_0902b_reference_agrees_with_the_library_callback(solution_answer):
    """The hand-written ratio equals what UpdateRatios records for one SGD step."""
    from dlcourse.diagnostics import UpdateRatios

    set_random_seed(0)
    model = Sequential([Input(shape=(3,)), Dense(2)])
    model.compile(optimizer=SGD(0.1), loss="mse")
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    before = model.layers[0].kernel.numpy()
    recorder = UpdateRatios()
    model.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[recorder])
    by_hand = solution_answer("09b.2")(before, model.layers[0].kernel.numpy())
    assert recorder.ratios[model.layers[0].name] == [pytest.approx(by_hand, rel=1e-6)]


# ----- 09b.3 --------------------------------------------------------------------------------


def builder(initializer="glorot_uniform", optimizer=lambda: Adam(0.003), compile=True):
    def build(seed):
        set_random_seed(seed)
        model = Sequential(
            [
                Input(shape=(64,)),
                Dense(128, activation="relu", kernel_initializer=initializer),
                Dense(10, activation="softmax", kernel_initializer=initializer),
            ]
        )
        if compile:
            model.compile(optimizer=optimizer(), loss="sparse_categorical_crossentropy")
        return model

    return build


WIDE = RandomNormal(stddev=1.0)


@pytest.mark.parametrize(
    "build, phrase",
    [
        (builder(WIDE, lambda: SGD(1e-5)), "Check 1 fails"),  # the notebook's broken_build
        (builder(WIDE), "Check 1 fails"),  # trains, but starts confidently wrong
        (builder(optimizer=lambda: SGD(1e-5)), "Check 2 fails"),  # starts right, too slow
        (builder(optimizer=lambda: SGD(0.05)), "cannot even memorize"),
        (builder(compile=False), "You must compile"),
        (lambda seed: None, "not a model"),
        (lambda: None, "raised TypeError"),
    ],
)
def test_0903b_typical_mistakes(build, phrase, feedback):
    assert feedback("09b.3", build, phrase).status == "wrong"


def test_0903b_a_model_trained_before_it_is_returned_starts_too_low(feedback):
    from dlcourse.datasets import load_digits

    (x, y), _, _ = load_digits()

    def pretrained(seed):
        model = builder()(seed)
        model.fit(x, y, epochs=5, batch_size=32, verbose=0)
        return model

    assert feedback("09b.3", pretrained, "well below").status == "wrong"


@pytest.mark.parametrize(
    "build",
    [
        builder(optimizer=lambda: SGD(0.5)),
        builder(optimizer=lambda: Adam(0.001)),
        builder("he_normal"),
        builder(RandomNormal(stddev=0.05)),
    ],
)
def test_0903b_other_fixes_pass_too(build, verdict):
    assert verdict("09b.3", build).status == "correct"
