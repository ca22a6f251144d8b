"""Feedback on the exercises at the end of each notebook, in English or in Korean.

In a notebook::

    from dlcourse import check
    check.language("ko")              # once, in the first cell: feedback in Korean (default "en")
    answer = ...                      # the learner replaces the ... with an answer
    check.exercise("01.2", answer)    # prints: correct, or what is wrong and a hint
    check.solution("01.2")            # prints the reference solution

An untouched `...` prints "not attempted yet" and does not raise, so a notebook with its
exercises left open still runs top to bottom. `exercise()` prints its feedback and returns a
`Result` (status 'correct', 'wrong' or 'not attempted', and the message) that displays nothing
more in Jupyter, so the feedback appears once. `check.language(code)` chooses the language of
every message, hint, title, question and solution comment for the rest of the kernel session;
`check.current_language()` says which it is. Errors of the library itself (an unknown exercise
id, say) stay in English.

Adding the exercises of a notebook: create `dlcourse/check/nbXX.py` (XX = the notebook's
number). It is found and imported automatically the first time an exercise is looked up.
Register each exercise with a checker returning `correct(...)` or `wrong(...)`. Every text is
written twice, English (`en`) and Korean (`ko`), side by side, so whoever edits one sees the
other::

    from dlcourse.check import correct, register, wrong

    @register(
        "05.1",
        title_en="Iterations per epoch",
        title_ko="에포크당 반복 횟수",
        question_en="2000 samples, batch_size=200: how many iterations per epoch?",
        question_ko="샘플 2000개, batch_size=200: 한 에포크는 반복 몇 번입니까?",
        solution_en="answer = 2000 // 200  # one update per batch\n",
        solution_ko="answer = 2000 // 200  # 배치마다 갱신 한 번\n",
    )
    def iterations_per_epoch(answer):
        if answer == 10:
            return correct(
                en="2000 samples in batches of 200 take 10 weight updates.",
                ko="샘플 2000개를 200개씩 나누면 가중치를 10번 갱신합니다.",
            )
        if answer == 200:
            return wrong(
                en="200 is the batch size, not the number of batches.",
                ko="200은 배치 수가 아니라 배치 크기입니다.",
                hint_en="Divide the number of samples by the batch size.",
                hint_ko="샘플 수를 배치 크기로 나누세요.",
            )
        return wrong(
            en=f"{answer!r} is not the number of batches.", ko=f"배치 수가 아닙니다: {answer!r}"
        )

The rules the tests hold every text to (tests/test_check.py):
- every `en=` has its `ko=` (and `hint_en=` its `hint_ko=`, `title_en=` its `title_ko=`, ...);
  a text in one language only fails, naming the exercise;
- the Korean text keeps the English one's numbers and code (`x_train.mean(axis=0)`, `3100`);
  use the lecture material's Korean terms (the glossary of notebook 00), with the English term
  in brackets where a learner meets it in code or papers: "과적합(overfitting)";
- the Korean solution is the English one's code with its comments translated, nothing else.
A hint shared by several verdicts can be written once as `dict(hint_en=..., hint_ko=...)` and
passed with `**`. Build every verdict inside the checker (not at import time), so that it
speaks the language chosen when the answer is checked.

The solution text must run on its own and assign `answer`: tests/test_check.py runs every
registered solution, in both languages, and checks that its own checker accepts it. An answer
that is a function is called through `call_answer(function, *args)`, which turns an exception
in the learner's code into feedback (raise `AnswerFailed(wrong(...))` for your own such case);
`as_number`, `as_word` and `not_a_number` help with value answers, and
`wrong_if_known(number, known, otherwise=wrong(...))` answers a number from a table of the
typical wrong values (`{value: wrong(...)}`). A checker that seeds and trains a model runs it
inside `keeping_random_state(function)`, so the learner's next cells draw what they would have
drawn. Add the typical wrong answers to the notebook's
tests/test_check_nb*.py: each row runs in both languages.
"""

import importlib
import pkgutil

from dlcourse.check._language import current_language, language, pick
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
    "language",
    "current_language",
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
    label = pick("Exercise", "연습 문제")
    print(f"# {label} {found.id}: {found.title}\n{found.solution}", end="")
    return found.solution


def all_exercises():
    """Every registered Exercise, sorted by id."""
    _load_notebook_modules()
    return _registered()


def list_exercises(notebook=None):
    """Print the ids and titles of the exercises (of one notebook, e.g. "01" or "09b", if given)."""
    if notebook is not None:
        notebook = str(notebook).strip()
        notebook = f"{int(notebook):02d}" if notebook.isdigit() else notebook
    lines = [
        f"{found.id}  {found.title}"
        for found in all_exercises()
        if notebook is None or found.id.split(".")[0] == notebook
    ]
    print("\n".join(lines))
