"""The table of exercises and the rules every checker follows.

A checker is a function `check(answer) -> Result`, built with `correct(why)` or
`wrong(what, hint)`. `run_exercise` handles what all exercises share: the untouched `...`
placeholder, printing the feedback, and an answer function that raises.
"""

from collections.abc import Callable
from dataclasses import dataclass

NOT_ATTEMPTED = "not attempted"
CORRECT = "correct"
WRONG = "wrong"


@dataclass(frozen=True)
class Result:
    """The verdict on one answer: status is 'correct', 'wrong' or 'not attempted'.

    The checker has already printed `message`, so in Jupyter the Result itself displays
    nothing (a cell ending in `check.exercise(...)` shows the feedback once). `bool(result)`
    is True only when the answer is correct.
    """

    status: str
    message: str
    exercise_id: str = ""

    def __bool__(self):
        return self.status == CORRECT

    def __repr__(self):
        return self.message

    def _ipython_display_(self):
        pass  # already printed by run_exercise


@dataclass(frozen=True)
class Exercise:
    """One registered exercise: its id ('01.2'), a title, its checker and solution code."""

    id: str
    title: str
    question: str
    check: Callable
    solution: str
    module: str = ""


class SolutionText(str):
    """Solution code as a plain string that Jupyter does not echo: it was printed already."""

    def _ipython_display_(self):
        pass


class AnswerFailed(Exception):
    """The learner's answer could not be run: reported as a wrong answer, not a crash."""

    def __init__(self, what, hint):
        super().__init__(what)
        self.what = what
        self.hint = hint


_EXERCISES = {}


def correct(why):
    """A correct verdict, with one line saying why the answer is right."""
    return Result(CORRECT, f"Correct: {why}")


def wrong(what, hint=""):
    """A wrong verdict: what is wrong specifically, then a hint towards the right answer."""
    message = f"Not yet. {what}"
    if hint:
        message += f"\nHint: {hint}"
    return Result(WRONG, message)


def call_answer(function, *args):
    """Call a learner's answer function; if it raises, say so instead of crashing the cell."""
    if not callable(function):
        raise AnswerFailed(
            f"Your answer is of type {type(function).__name__}, but this exercise wants a "
            f"function.",
            "Define it with `def`, then assign the function itself, without parentheses.",
        )
    try:
        return function(*args)
    except Exception as error:  # the learner's code: any error becomes feedback
        raise AnswerFailed(
            f"Your function raised {type(error).__name__}: {error}",
            "Run your function on a small example of your own and read the error.",
        ) from error


def as_number(answer):
    """`answer` as a float, or None when it is not one number (text, a list, True/False)."""
    import numbers

    import numpy as np

    if isinstance(answer, (bool, np.bool_)):
        return None
    if isinstance(answer, numbers.Real):
        return float(answer)
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        return float(answer.item())
    return None


def not_a_number(answer, wanted="one number"):
    """The verdict for an answer that should be a number but is something else."""
    return wrong(
        f"Your answer {answer!r} is of type {type(answer).__name__}; this exercise wants {wanted}.",
        hint="Write the number itself (or an expression computing it), without quotes.",
    )


def wrong_if_known(number, known, what, hint="", rtol=1e-5, atol=1e-8):
    """The verdict on a wrong `number`: the feedback of the typical mistake it matches, else
    `wrong(what, hint)`.

    `known` maps each typical wrong value to `(what, hint)`. A value matches when
    `np.isclose(number, value, rtol, atol)`; pass `rtol=0, atol=0` for counts, which must
    match exactly, or `rtol=0, atol=...` for an absolute tolerance.
    """
    import numpy as np

    for value, (mistake, mistake_hint) in known.items():
        if np.isclose(number, value, rtol=rtol, atol=atol):
            return wrong(mistake, hint=mistake_hint)
    return wrong(what, hint=hint)


def as_word(answer, filler=("the", "a", "step", "set", "split", "data", "model")):
    """A one-word text answer, lower case, without filler words, dots and brackets.

    "The test set" -> "test"; "model.compile()" -> "compile". None when not text.
    """
    if not isinstance(answer, str):
        return None
    text = answer.lower().replace("()", " ").replace(".", " ").replace("_", " ")
    words = [word for word in text.split() if word not in filler]
    return " ".join(words)


def normalize_id(exercise_id):
    """'1.2', '01.2' and ' 01.2 ' all mean exercise '01.2'."""
    text = str(exercise_id).strip()
    notebook, dot, number = text.partition(".")
    if dot and notebook.isdigit() and number:
        return f"{int(notebook):02d}.{number}"
    return text


def register(exercise_id, title, question, solution):
    """Decorator registering `check(answer) -> Result` as the checker of `exercise_id`.

    `question` is the task as the notebook asks it (notebook authors copy it from here).
    `solution` is Python code that assigns `answer`; it must run on its own (the tests run it
    in an empty namespace and feed the result to the checker), so import what it needs.
    """
    exercise_id = normalize_id(exercise_id)

    def decorator(check):
        previous = _EXERCISES.get(exercise_id)
        if previous is not None and previous.module != check.__module__:
            raise ValueError(
                f"Exercise {exercise_id} is already registered by {previous.module}: "
                f"pick another id."
            )
        _EXERCISES[exercise_id] = Exercise(
            id=exercise_id,
            title=title,
            question=_dedent(question),
            check=check,
            solution=SolutionText(_dedent(solution)),
            module=check.__module__,
        )
        return check

    return decorator


def _dedent(code):
    import textwrap

    return textwrap.dedent(code).strip("\n") + "\n"


def get_exercise(exercise_id):
    """The registered Exercise; unknown ids raise a ValueError listing the known ones."""
    from dlcourse._naming import lookup

    return lookup("exercise", normalize_id(exercise_id), _EXERCISES)


def registered():
    """All registered exercises, sorted by id."""
    return [_EXERCISES[key] for key in sorted(_EXERCISES, key=_sort_key)]


def _sort_key(exercise_id):
    notebook, _, number = exercise_id.partition(".")
    return (notebook, int(number) if number.isdigit() else 0, number)


def run_exercise(exercise, answer):
    """Check `answer`, print the feedback and return the Result."""
    if answer is Ellipsis:
        status, message = NOT_ATTEMPTED, "not attempted yet — replace the ... with your answer."
    else:
        try:
            verdict = exercise.check(answer)
        except AnswerFailed as failure:
            verdict = wrong(failure.what, failure.hint)
        status, message = verdict.status, verdict.message
    result = Result(status, f"Exercise {exercise.id}: {message}", exercise.id)
    print(result.message)
    return result
