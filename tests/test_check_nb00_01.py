"""The exercises of notebooks 00 and 01: reference solutions pass, typical mistakes get
specific feedback (not just "wrong"), and nothing a learner types crashes the checker."""

import numpy as np
import pytest

from dlcourse import check

IDS = ["00.1", "00.2", "00.3", "00.4", "01.1", "01.2", "01.3", "01.4"]


def run(exercise_id, answer):
    return check.exercise(exercise_id, answer)


def test_notebooks_00_and_01_register_exactly_these_exercises():
    ids = {e.id for e in check.all_exercises() if e.id.split(".")[0] in ("00", "01")}
    assert ids == set(IDS)


CORRECT = {"en": "Exercise {}: Correct: ", "ko": "연습문제 {}: 정답: "}


@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_solution_is_accepted(exercise_id, solution_answer, language, capsys):
    result = run(exercise_id, solution_answer(exercise_id))
    assert result.status == "correct", result.message
    assert capsys.readouterr().out.startswith(CORRECT[language].format(exercise_id))


@pytest.mark.parametrize("exercise_id", IDS)
def test_placeholder_is_not_attempted_and_does_not_raise(exercise_id, language):
    result = run(exercise_id, ...)
    assert result.status == "not attempted"
    assert not result


@pytest.mark.parametrize("exercise_id", IDS)
@pytest.mark.parametrize("odd_answer", [None, "banana", [1, 2], True, np.nan])
def test_odd_answers_are_wrong_not_crashes(exercise_id, odd_answer, feedback):
    result = feedback(exercise_id, odd_answer)
    assert result.status == "wrong"


@pytest.mark.parametrize(
    "exercise_id, answer, expected",
    [
        ("00.1", 3000, "biases"),
        ("00.1", 3030, "biases belong to the units"),
        ("00.1", 31, "ONE unit"),
        ("00.1", 130, "far too few"),
        ("00.1", np.int64(3100), "Correct"),
        ("00.2", "fit", "before fit() runs"),
        ("00.2", "define", "layers and activations"),
        ("00.2", "model.compile()", "Correct"),
        ("00.2", "train", "not one of the steps"),
        ("00.3", 200, "batch size"),
        ("00.3", 2000, "number of samples"),
        ("00.3", 400_000, "multiplied"),
        ("00.3", 0.1, "wrong way round"),
        ("00.3", 10.0, "Correct"),
        ("00.4", 15, "not dropped"),
        ("00.4", 500 / 32, "whole batches"),
        ("00.4", 32, "the batch size"),
        ("00.4", 20, "last batch"),
        ("01.1", "validation", "again and again"),
        ("01.1", "val", "again and again"),
        ("01.1", "train", "every epoch"),
        ("01.1", "The test set", "Correct"),
        ("01.3", 1.0, "clips"),
        ("01.3", 80 / 70, "without subtracting the min"),
        ("01.3", 60 / 70, "instead of the range"),
        ("01.3", 60, "did not divide"),
        ("01.3", 6 / 5, "Correct"),
        ("01.4", 7, "before encoding"),
        ("01.4", 10, "numeric columns are still there"),
        ("01.4", 11, "drop_first"),
        ("01.4", 36, "COMBINATIONS"),
    ],
)
def test_typical_value_mistakes_get_specific_feedback(exercise_id, answer, expected, feedback):
    result = feedback(exercise_id, answer, expected)
    assert result.status == ("correct" if expected == "Correct" else "wrong")


def leaky_standardize(x_train, x_test):
    both = np.vstack([x_train, x_test])
    return (x_test - both.mean(axis=0)) / both.std(axis=0)


def own_statistics(x_train, x_test):
    return (x_test - x_test.mean(axis=0)) / x_test.std(axis=0)


def sample_std(x_train, x_test):
    return (x_test - x_train.mean(axis=0)) / x_train.std(axis=0, ddof=1)


def only_centred(x_train, x_test):
    return x_test - x_train.mean(axis=0)


def by_variance(x_train, x_test):
    return (x_test - x_train.mean(axis=0)) / x_train.var(axis=0)


def one_number_for_all(x_train, x_test):
    return (x_test - x_train.mean()) / x_train.std()


def min_max(x_train, x_test):
    low, high = x_train.min(axis=0), x_train.max(axis=0)
    return (x_test - low) / (high - low)


def unchanged(x_train, x_test):
    return x_test


def standardizes_train(x_train, x_test):
    return (x_train - x_train.mean(axis=0)) / x_train.std(axis=0)


def returns_both(x_train, x_test):
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    return (x_train - mean) / std, (x_test - mean) / std


def raises(x_train, x_test):
    return x_train.mean(axis=2)


def scaled_by_hand_wrongly(x_train, x_test):
    return (x_test - x_train.mean(axis=0)) / 2


def via_sklearn(x_train, x_test):
    from sklearn.preprocessing import StandardScaler

    return StandardScaler().fit(x_train).transform(x_test)


@pytest.mark.parametrize(
    "function, expected",
    [
        (leaky_standardize, "whole data set"),
        (own_statistics, "test rows' own mean"),
        (sample_std, "ddof=1"),
        (only_centred, "did not divide"),
        (by_variance, "variance"),
        (one_number_for_all, "all columns together"),
        (min_max, "min-max"),
        (unchanged, "unchanged"),
        (standardizes_train, "shape"),
        (returns_both, "tuple"),
        (raises, "raised"),
        (scaled_by_hand_wrongly, "Your values differ"),
        (via_sklearn, "Correct"),
    ],
)
def test_standardize_exercise_names_the_mistake(function, expected, feedback):
    result = feedback("01.2", function, expected)
    assert result.status == ("correct" if expected == "Correct" else "wrong")


def test_standardize_exercise_wants_a_function_not_an_array(feedback):
    assert feedback("01.2", np.zeros((10, 3)), "function").status == "wrong"
