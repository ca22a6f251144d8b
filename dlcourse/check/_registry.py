"""The table of exercises and the rules every checker follows.

A checker is a function `check(answer) -> Result`, built with `correct(en=..., ko=...)` or
`wrong(en=..., ko=..., hint_en=..., hint_ko=...)`: every text in English and in Korean, and
the learner reads the one of `check.language(...)`. `run_exercise` handles what all exercises
share: the untouched `...` placeholder, printing the feedback, and an answer function that
raises.
"""

from collections.abc import Callable
from dataclasses import dataclass

from dlcourse.check._language import pick, require_both

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
    """One registered exercise: its id ('01.2'), its checker, and its title, question and
    solution code in English and Korean (`title`, `question` and `solution` give the current
    language's)."""

    id: str
    check: Callable
    title_en: str
    title_ko: str
    question_en: str
    question_ko: str
    solution_en: str
    solution_ko: str
    module: str = ""

    @property
    def title(self):
        return pick(self.title_en, self.title_ko)

    @property
    def question(self):
        return pick(self.question_en, self.question_ko)

    @property
    def solution(self):
        return SolutionText(pick(self.solution_en, self.solution_ko))


class SolutionText(str):
    """Solution code as a plain string that Jupyter does not echo: it was printed already."""

    def _ipython_display_(self):
        pass


class AnswerFailed(Exception):
    """The learner's answer could not be run: reported as the wrong `verdict`, not a crash."""

    def __init__(self, verdict):
        super().__init__(verdict.message)
        self.verdict = verdict


_EXERCISES = {}


def correct(*, en, ko):
    """A correct verdict, with one line saying why the answer is right (in English and Korean)."""
    require_both(en, ko)
    return Result(CORRECT, f"{pick('Correct:', '정답:')} {pick(en, ko)}")


def wrong(*, en, ko, hint_en="", hint_ko=""):
    """A wrong verdict: what is wrong specifically, then a hint towards the right answer;
    each in English and Korean."""
    require_both(en, ko)
    require_both(hint_en, hint_ko, "hint")
    message = f"{pick('Not yet.', '아직 아닙니다.')} {pick(en, ko)}"
    if hint_en:
        message += f"\n{pick('Hint:', '힌트:')} {pick(hint_en, hint_ko)}"
    return Result(WRONG, message)


def call_answer(function, *args):
    """Call a learner's answer function; if it raises, say so instead of crashing the cell."""
    if not callable(function):
        kind = type(function).__name__
        raise AnswerFailed(
            wrong(
                en=f"Your answer is of type {kind}, but this exercise wants a function.",
                ko=f"답의 타입(type)이 {kind}입니다. 이 문제는 함수를 답으로 받습니다.",
                hint_en="Define it with `def`, then assign the function itself, without "
                "parentheses.",
                hint_ko="`def`로 함수를 정의한 다음, 괄호 없이 함수 자체를 대입하세요.",
            )
        )
    try:
        return function(*args)
    except Exception as error:  # the learner's code: any error becomes feedback
        kind = type(error).__name__
        raise AnswerFailed(
            wrong(
                en=f"Your function raised {kind}: {error}",
                ko=f"함수를 실행하니 {kind} 오류가 났습니다: {error}",
                hint_en="Run your function on a small example of your own and read the error.",
                hint_ko="작은 예를 직접 만들어 함수를 실행해 보고, 오류 메시지를 읽어 보세요.",
            )
        ) from error


def keeping_random_state(function):
    """Run `function()` and give back every random generator the state it had: a checker that
    seeds and trains a model must not change what the learner's next cells draw."""
    import random

    import numpy as np

    from dlcourse import backend

    saved = random.getstate(), np.random.get_state(), backend.rng().bit_generator.state
    try:
        return function()
    finally:
        random.setstate(saved[0])
        np.random.set_state(saved[1])
        backend.rng().bit_generator.state = saved[2]


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


def not_a_number(answer, wanted_en="one number", wanted_ko="숫자 하나"):
    """The verdict for an answer that should be a number but is something else."""
    require_both(wanted_en, wanted_ko, "wanted")
    kind = type(answer).__name__
    return wrong(
        en=f"Your answer {answer!r} is of type {kind}; this exercise wants {wanted_en}.",
        ko=f"답 {answer!r}의 타입(type)은 {kind}입니다. 이 문제의 답은 {wanted_ko}입니다.",
        hint_en="Write the number itself (or an expression computing it), without quotes.",
        hint_ko="따옴표 없이 숫자 자체(또는 그 숫자를 계산하는 식)를 쓰세요.",
    )


def wrong_if_known(number, known, otherwise, rtol=1e-5, atol=1e-8):
    """The verdict on a wrong `number`: the verdict of the typical mistake it matches, else
    `otherwise`.

    `known` maps each typical wrong value to its `wrong(...)` verdict. A value matches when
    `np.isclose(number, value, rtol, atol)`; pass `rtol=0, atol=0` for counts, which must
    match exactly, or `rtol=0, atol=...` for an absolute tolerance.
    """
    import numpy as np

    for value, verdict in known.items():
        if np.isclose(number, value, rtol=rtol, atol=atol):
            return verdict
    return otherwise


def as_word(
    answer, filler=("the", "a", "step", "set", "split", "data", "model", "데이터", "세트", "단계")
):
    """A one-word text answer, lower case, without filler words, dots and brackets.

    "The test set" -> "test"; "model.compile()" -> "compile"; "테스트 데이터" -> "테스트".
    None when not text.
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


def register(
    exercise_id, *, title_en, title_ko, question_en, question_ko, solution_en, solution_ko=None
):
    """Decorator registering `check(answer) -> Result` as the checker of `exercise_id`.

    Every text comes in English (`_en`) and Korean (`_ko`). `question` is the task as the
    notebook asks it (notebook authors copy it from here). `solution` is Python code that
    assigns `answer`; it must run on its own (the tests run it in an empty namespace and feed
    the result to the checker), so import what it needs. The Korean solution is the same code
    with its comments in Korean; a solution without comments serves both languages as it is.
    """
    exercise_id = normalize_id(exercise_id)
    solution_ko = solution_en if solution_ko is None else solution_ko
    texts = {
        "title": (title_en, title_ko),
        "question": (question_en, question_ko),
        "solution": (solution_en, solution_ko),
    }
    for name, (en, ko) in texts.items():
        if not en or not ko:
            raise ValueError(
                f"Exercise {exercise_id} has no {name}_{'ko' if en else 'en'}: every title, "
                f"question and solution needs both English and Korean."
            )

    def decorator(check):
        previous = _EXERCISES.get(exercise_id)
        if previous is not None and previous.module != check.__module__:
            raise ValueError(
                f"Exercise {exercise_id} is already registered by {previous.module}: "
                f"pick another id."
            )
        _EXERCISES[exercise_id] = Exercise(
            id=exercise_id,
            check=check,
            title_en=title_en,
            title_ko=title_ko,
            question_en=_dedent(question_en),
            question_ko=_dedent(question_ko),
            solution_en=_dedent(solution_en),
            solution_ko=_dedent(solution_ko),
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
        status = NOT_ATTEMPTED
        message = pick(
            "not attempted yet — replace the ... with your answer.",
            "아직 풀지 않았습니다 — ... 자리에 답을 쓰세요.",
        )
    else:
        try:
            verdict = exercise.check(answer)
        except AnswerFailed as failure:
            verdict = failure.verdict
        status, message = verdict.status, verdict.message
    label = pick("Exercise", "연습 문제")
    result = Result(status, f"{label} {exercise.id}: {message}", exercise.id)
    print(result.message)
    return result
