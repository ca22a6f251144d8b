"""Fixtures shared by the tests of dlcourse.check (tests/test_check*.py).

The repo-root conftest.py is the notebook timing plugin; this one only serves tests/.
"""

import pytest

from dlcourse import check


@pytest.fixture
def solution_answer():
    """`solution_answer(exercise_id)`: the `answer` that the exercise's reference solution
    assigns, its code run in an empty namespace as a learner pasting it would."""

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
