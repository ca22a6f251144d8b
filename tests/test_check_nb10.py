"""The exercises of notebook 10 (capstone): reference solutions pass, typical mistakes get
specific feedback in both languages, and the shift checker runs the learner's function."""

import numpy as np
import pytest

from dlcourse import check

IDS = ["10.1", "10.2", "10.3"]


def test_notebook_10_registers_exactly_these_exercises():
    assert {e.id for e in check.all_exercises() if e.id.split(".")[0] == "10"} == set(IDS)


@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_solution_is_accepted(exercise_id, solution_answer, feedback):
    assert feedback(exercise_id, solution_answer(exercise_id)).status == "correct"


@pytest.mark.parametrize("exercise_id", IDS)
def test_placeholder_is_not_attempted(exercise_id, verdict):
    assert verdict(exercise_id, ...).status == "not attempted"


@pytest.mark.parametrize("exercise_id", IDS)
@pytest.mark.parametrize("junk", [None, "", [1, 2], {"a": 1}, float("nan"), True, object()])
def test_junk_answers_are_feedback_not_crashes(exercise_id, junk, feedback):
    assert feedback(exercise_id, junk).status == "wrong"


# ----- 10.1 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (30 / 32, "RECALL"),
        (30 / 36, "neither"),
        (4 / 34, "WRONG"),
        (88.24, "percentage"),
        (0.5, "not the precision"),
        ("0.88", "wants"),
    ],
)
def test_1001_typical_mistakes(answer, phrase, feedback):
    assert feedback("10.1", answer, phrase).status == "wrong"


def test_1001_accepts_a_rounded_value(feedback):
    assert feedback("10.1", 0.882).status == "correct"


# ----- 10.2 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (255, "MNIST"),
        (17, "largest is 16"),
        (8, "image size"),
        (64, "image size"),
        (10, "does not map"),
        ("16", "wants"),
    ],
)
def test_1002_typical_mistakes(answer, phrase, feedback):
    assert feedback("10.2", answer, phrase).status == "wrong"


def test_1002_matches_the_data(solution_answer):
    from dlcourse.datasets import load_digits

    (raw, _), _, _ = load_digits(scale=None)
    (scaled, _), _, _ = load_digits()
    assert raw.max() == solution_answer("10.2")
    assert np.array_equal(raw / solution_answer("10.2"), scaled)


# ----- 10.3 ---------------------------------------------------------------------------------


def rolled(images, rows, columns):
    return np.roll(images, (rows, columns), axis=(1, 2))


def upside_down(images, rows, columns):
    return blank_shift(images, -rows, -columns)


def swapped(images, rows, columns):
    return blank_shift(images, columns, rows)


def in_place(images, rows, columns):
    images[:] = blank_shift(images, rows, columns)
    return images


def flattened(images, rows, columns):
    return blank_shift(images, rows, columns).reshape(len(images), -1)


def one_pixel_only(images, rows, columns):
    moved = np.roll(images, (rows, columns), axis=(1, 2))
    if rows:
        moved[:, 0 if rows > 0 else -1, :] = 0
    if columns:
        moved[:, :, 0 if columns > 0 else -1] = 0
    return moved


def blank_shift(images, rows, columns):
    """A second correct version, written with slices instead of np.roll."""
    moved = np.zeros_like(images)
    height, width = images.shape[1:]
    target_rows = slice(max(rows, 0), height + min(rows, 0))
    source_rows = slice(max(-rows, 0), height + min(-rows, 0))
    target_columns = slice(max(columns, 0), width + min(columns, 0))
    source_columns = slice(max(-columns, 0), width + min(-columns, 0))
    moved[:, target_rows, target_columns] = images[:, source_rows, source_columns]
    return moved


def up_is_wrong(images, rows, columns):
    return blank_shift(images, rows, columns) + (rows == -1)


def down_is_wrong(images, rows, columns):
    return blank_shift(images, rows, columns) + (rows == 1)


def crashes(images, rows, columns):
    return images.reshape(rows, columns)


@pytest.mark.parametrize(
    "function, phrase",
    [
        (rolled, "wraps"),
        (upside_down, "wrong way"),
        (swapped, "swapped"),
        (in_place, "changed the images"),
        (flattened, "shape (3, 64)"),
        (one_pixel_only, "several pixels"),
        (up_is_wrong, "one pixel up"),
        (down_is_wrong, "other shifts"),
        (crashes, "raised ValueError"),
    ],
)
def test_1003_typical_mistakes(function, phrase, feedback):
    assert feedback("10.3", function, phrase).status == "wrong"


def test_1003_another_correct_version_passes(verdict):
    assert verdict("10.3", blank_shift).status == "correct"


def test_1003_reference_makes_the_notebooks_shifted_copies(solution_answer):
    """shift(x, -1, 0) etc. are section 2's copies: the row that wraps round is blanked."""
    shift = solution_answer("10.3")
    digit = np.arange(1.0, 65.0).reshape(1, 8, 8)
    up = shift(digit, -1, 0)
    assert np.array_equal(up[0, :-1], digit[0, 1:]) and not up[0, -1].any()
    right = shift(digit, 0, 1)
    assert np.array_equal(right[0, :, 1:], digit[0, :, :-1]) and not right[0, :, 0].any()
