"""Feedback on the exercises at the end of each notebook.

In a notebook::

    from dlcourse import check
    answer = ...                      # the learner replaces the ... with an answer
    check.exercise("01.2", answer)    # prints: correct, or what is wrong and a hint
    check.solution("01.2")            # prints the reference solution

An untouched `...` prints "not attempted yet" and does not raise, so a notebook with its
exercises left open still runs top to bottom. `exercise()` prints its feedback and returns a
`Result` (status 'correct', 'wrong' or 'not attempted', and the message) that displays nothing
more in Jupyter, so the feedback appears once.

Adding the exercises of a notebook: create `dlcourse/check/nbXX.py` (XX = the notebook's
number). It is found and imported automatically the first time an exercise is looked up.
Register each exercise with a checker returning `correct(why)` or `wrong(what, hint)`::

    from dlcourse.check import correct, register, wrong

    @register("05.1", title="Iterations per epoch",
              question="2000 samples, batch_size=200: how many iterations per epoch?",
              solution="answer = 2000 // 200\\n")
    def iterations_per_epoch(answer):
        if answer == 10:
            return correct("2000 samples in batches of 200 take 10 weight updates.")
        if answer == 200:
            return wrong("200 is the batch size, not the number of batches.",
                         hint="Divide the number of samples by the batch size.")
        return wrong(f"{answer!r} is not the number of batches.", hint="...")

The solution text must run on its own and assign `answer`: tests/test_check.py runs every
registered solution and checks that its own checker accepts it. An answer that is a function
is called through `call_answer(function, *args)`, which turns an exception in the learner's
code into feedback; `as_number`, `as_word` and `not_a_number` help with value answers, and
`wrong_if_known(number, known, what, hint)` answers a number from a table of the typical
wrong values (`{value: (what, hint)}`), falling back to `wrong(what, hint)`.
Add the typical wrong answers to tests/test_check.py too.
"""

import importlib
import pkgutil

from dlcourse.check._registry import (
    AnswerFailed,
    Exercise,
    Result,
    as_number,
    as_word,
    call_answer,
    correct,
    get_exercise,
    not_a_number,
    register,
    run_exercise,
    wrong,
    wrong_if_known,
)
from dlcourse.check._registry import registered as _registered

__all__ = [
    "exercise",
    "solution",
    "list_exercises",
    "all_exercises",
    "register",
    "correct",
    "wrong",
    "wrong_if_known",
    "call_answer",
    "as_number",
    "as_word",
    "not_a_number",
    "Result",
    "Exercise",
    "AnswerFailed",
]

_notebook_modules_loaded = False


def _load_notebook_modules():
    """Import every dlcourse/check/nbXX.py once, so their exercises are registered."""
    global _notebook_modules_loaded
    if _notebook_modules_loaded:
        return
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("nb"):
            importlib.import_module(f"{__name__}.{module.name}")
    _notebook_modules_loaded = True


def exercise(exercise_id, answer):
    """Check `answer` to exercise `exercise_id` ('01.2'), print feedback, return a Result."""
    _load_notebook_modules()
    return run_exercise(get_exercise(exercise_id), answer)


def solution(exercise_id):
    """Print the reference solution of `exercise_id` and return its code as text.

    The returned text displays nothing more in Jupyter, so the code is shown once.
    """
    _load_notebook_modules()
    found = get_exercise(exercise_id)
    print(f"# Exercise {found.id}: {found.title}\n{found.solution}", end="")
    return found.solution


def all_exercises():
    """Every registered Exercise, sorted by id."""
    _load_notebook_modules()
    return _registered()


def list_exercises(notebook=None):
    """Print the ids and titles of the exercises (of one notebook, e.g. "01", if given)."""
    lines = [
        f"{found.id}  {found.title}"
        for found in all_exercises()
        if notebook is None or found.id.split(".")[0] == f"{int(notebook):02d}"
    ]
    print("\n".join(lines))
