"""Fixtures shared by the tests of dlcourse.check (tests/test_check*.py).

The repo-root conftest.py is the notebook timing plugin; this one only serves tests/.
"""

import re

import pytest

from dlcourse import check

HANGUL = re.compile("[\uac00-\ud7a3]")
# The framing every message shares, English -> Korean.
FRAMING = {
    "Exercise ": "연습 문제 ",
    "Correct:": "정답:",
    "Not yet.": "아직 아닙니다.",
    "Hint:": "힌트:",
}
NUMBER = re.compile(r"\d+")
WORD = re.compile(r"[A-Za-z_][\w.]*(?:\(\))?")


def code_words(text):
    """The words of `text` that are code, which a translation keeps as they are:
    x_train.mean, fit(), MinMaxScaler, model.weights.h5 (not plain English words)."""
    found = set()
    for word in WORD.findall(text):
        word = word.rstrip(".")
        if word in ("e.g", "i.e"):
            continue
        if "_" in word or "." in word or word.endswith("()") or re.search("[a-z][A-Z]", word):
            found.add(word)
    return found


def assert_korean_twin(english, korean):
    """`korean` is the Korean version of the message `english`: in Korean, not a copy of the
    English, with the same numbers and the same code, framed the same way."""
    assert HANGUL.search(korean), f"not Korean: {korean!r}"
    assert korean != english
    missing_numbers = set(NUMBER.findall(english)) - set(NUMBER.findall(korean))
    assert not missing_numbers, f"numbers {missing_numbers} lost in {korean!r} (from {english!r})"
    missing_code = {word for word in code_words(english) if word not in korean}
    assert not missing_code, f"code {missing_code} lost in {korean!r} (from {english!r})"
    for english_label, korean_label in FRAMING.items():
        assert (english_label in english) == (korean_label in korean), (english, korean)
        assert english_label not in korean, korean


@pytest.fixture(autouse=True)
def english_after_each_test():
    """Every test starts in English and leaves the language as it found it."""
    check.language("en")
    yield
    check.language("en")


@pytest.fixture(params=["en", "ko"])
def language(request):
    """Run the test once in English and once in Korean; the language is set for its body."""
    check.language(request.param)
    return request.param


@pytest.fixture
def solution_answer():
    """`solution_answer(exercise_id)`: the `answer` that the exercise's reference solution (in
    the current language) assigns, its code run in an empty namespace as a learner pasting it
    would."""

    def solution_answer(exercise_id):
        exercise = next(e for e in check.all_exercises() if e.id == exercise_id)
        namespace = {}
        exec(compile(exercise.solution, f"<solution {exercise.id}>", "exec"), namespace)
        return namespace["answer"]

    return solution_answer


@pytest.fixture
def verdict(capsys):
    """`verdict(exercise_id, answer)`: the Result of check.exercise, its printed feedback
    swallowed."""

    def verdict(exercise_id, answer):
        result = check.exercise(exercise_id, answer)
        capsys.readouterr()
        return result

    return verdict


@pytest.fixture
def feedback(language, capsys):
    """`feedback(exercise_id, answer, *english_words)`: the Result in this test's language,
    once English and once Korean. The English feedback must contain each of `english_words`;
    the Korean one must be its Korean twin (`assert_korean_twin`) with the same status."""

    def feedback(exercise_id, answer, *english_words):
        check.language("en")
        english = check.exercise(exercise_id, answer)
        for words in english_words:
            assert words in english.message, english.message
        check.language(language)
        if language == "en":
            result = english
        else:
            result = check.exercise(exercise_id, answer)
            assert result.status == english.status, (english.message, result.message)
            assert_korean_twin(english.message, result.message)
        capsys.readouterr()
        return result

    return feedback
