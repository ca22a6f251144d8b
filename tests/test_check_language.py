"""The checkers speak English or Korean: choosing the language, the framing in Korean, and a
test that every text of every checker is written in both languages.

The typical wrong answers of each notebook run in both languages in tests/test_check_nb*.py.
"""

import ast
import io
import pathlib
import re
import tokenize

import pytest

from dlcourse import check
from dlcourse.check import _registry

HANGUL = re.compile("[\uac00-\ud7a3]")
CHECK_DIR = pathlib.Path(check.__file__).parent
NOTEBOOK_MODULES = sorted(CHECK_DIR.glob("nb*.py"))


# ----- choosing the language ------------------------------------------------------------------


def test_english_is_the_default_and_korean_is_chosen_once(capsys):
    assert check.current_language() == "en"
    assert check.exercise("00.4", 32).message.startswith("Exercise 00.4: Not yet. 32 is")
    check.language("ko")
    assert check.current_language() == "ko"
    assert check.exercise("00.4", 32).message.startswith("연습 문제 00.4: 아직 아닙니다. 32는")
    assert check.exercise("00.1", 3100).message.startswith("연습 문제 00.1: 정답: ")
    check.language("en")
    assert check.exercise("00.4", 16).message.startswith("Exercise 00.4: Correct: ")


def test_the_language_code_may_have_capitals_and_spaces():
    check.language(" KO ")
    assert check.current_language() == "ko"


@pytest.mark.parametrize("code", ["fr", "kr", "korean", "", None, 3])
def test_an_unknown_language_is_refused_with_the_choices(code):
    check.language("ko")
    with pytest.raises(ValueError) as error:
        check.language(code)
    message = str(error.value)
    assert f"Unknown language {code!r}" in message
    assert message.endswith("Choose one of: 'en' (English), 'ko' (Korean).")
    assert check.current_language() == "ko"  # unchanged by the refused call


def test_the_library_errors_stay_english_in_korean():
    check.language("ko")
    with pytest.raises(ValueError, match="Unknown exercise '01.7'.*Did you mean"):
        check.exercise("01.7", 1)


def test_the_solution_prints_the_korean_title_and_comments_over_the_same_code(capsys):
    english = check.solution("00.4")
    capsys.readouterr()
    check.language("ko")
    korean = check.solution("00.4")
    assert capsys.readouterr().out == f"# 연습 문제 00.4: 크기가 작은 마지막 배치\n{korean}"
    assert "# 꽉 찬 배치 15개와 샘플 20개짜리 배치 하나" in korean
    assert korean.replace(
        "꽉 찬 배치 15개와 샘플 20개짜리 배치 하나", "15 full batches and one of 20 samples"
    ) == (english)


def test_titles_and_questions_follow_the_language(capsys):
    exercise = _registry.get_exercise("06.2")
    assert exercise.title == "A kept unit in dropout"
    assert "Dropout(0.2)" in exercise.question and "kept" in exercise.question
    check.language("ko")
    assert exercise.title == "드롭아웃에서 남은 유닛"
    assert "Dropout(0.2)" in exercise.question and "남았습니다" in exercise.question
    check.list_exercises("06")
    assert capsys.readouterr().out.splitlines()[1] == "06.2  드롭아웃에서 남은 유닛"


def test_a_verdict_speaks_the_language_of_the_moment_it_is_built():
    check.language("ko")
    verdict = check.wrong(en="No.", ko="아닙니다.", hint_en="Add.", hint_ko="더하세요.")
    check.language("en")
    assert verdict.message == "아직 아닙니다. 아닙니다.\n힌트: 더하세요."
    assert check.correct(en="Yes.", ko="네.").message == "Correct: Yes."


# ----- a text in one language only is refused ----------------------------------------------------


def test_a_verdict_needs_both_languages():
    with pytest.raises(TypeError, match="ko"):
        check.wrong(en="Only English.")
    with pytest.raises(TypeError, match="ko"):
        check.correct(en="Only English.")
    with pytest.raises(ValueError, match="ko is missing"):
        check.wrong(en="Only English.", ko="")
    with pytest.raises(ValueError, match="hint_ko is missing"):
        check.wrong(en="No.", ko="아닙니다.", hint_en="Only an English hint.")
    with pytest.raises(ValueError, match="hint_en is missing"):
        check.wrong(en="No.", ko="아닙니다.", hint_ko="한국어 힌트만 있습니다.")
    with pytest.raises(TypeError, match="en and ko must both be text"):
        check.wrong(en=1, ko="하나")
    with pytest.raises(ValueError, match="wanted_ko is missing"):
        check.not_a_number("x", wanted_en="one number", wanted_ko="")


def test_registering_without_a_korean_title_names_the_exercise():
    texts = dict(question_en="Q?", question_ko="질문?", solution_en="answer = 1")
    with pytest.raises(ValueError, match="Exercise 97.1 has no title_ko"):
        check.register("97.1", title_en="T", title_ko="", solution_ko="answer = 1", **texts)
    assert "97.1" not in _registry._EXERCISES


# ----- every registered text has both languages ------------------------------------------------


def code_and_comments(solution):
    """The solution's code tokens (comments and layout left out) and its comments."""
    tokens = list(tokenize.generate_tokens(io.StringIO(solution).readline))
    layout = (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
    code = [token.string for token in tokens if token.type not in layout]
    comments = [token.string for token in tokens if token.type == tokenize.COMMENT]
    return code, comments


@pytest.mark.parametrize("exercise", check.all_exercises(), ids=lambda exercise: exercise.id)
def test_every_title_question_and_solution_has_both_languages(exercise):
    for name in ("title", "question"):
        english, korean = getattr(exercise, f"{name}_en"), getattr(exercise, f"{name}_ko")
        assert english.strip() and not HANGUL.search(english), f"{exercise.id} {name}_en"
        assert HANGUL.search(korean), f"{exercise.id}: {name}_ko is not Korean: {korean!r}"
    code_en, comments_en = code_and_comments(exercise.solution_en)
    code_ko, comments_ko = code_and_comments(exercise.solution_ko)
    assert code_ko == code_en, f"{exercise.id}: the Korean solution's code differs"
    assert len(comments_ko) == len(comments_en), f"{exercise.id}: a comment is missing"
    for english, korean in zip(comments_en, comments_ko):
        assert not HANGUL.search(english), f"{exercise.id}: Korean in {english!r}"
        assert HANGUL.search(korean), f"{exercise.id}: comment not translated: {korean!r}"


def untranslated_texts(source, filename="nbXX.py"):
    """Every place in a checker module's source where a text has no twin in the other language.

    Looks at each call: `en=` needs `ko=`, `hint_en=` needs `hint_ko=`, and so on; a Korean
    text written out in the call must be Korean (Hangul) and an English one must not be;
    `correct` and `wrong` take their texts by keyword only. Each problem names the exercise
    whose checker it is in (or the helper function), with its line.
    """
    problems = []  # (line, problem), so that they come in the order of the source
    for function in ast.parse(source).body:
        owner = _owner(function)
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            where = f"{filename}:{node.lineno} ({owner})"
            texts = {keyword.arg: keyword.value for keyword in node.keywords if keyword.arg}
            for name in texts:
                for mine, other in (("en", "ko"), ("ko", "en")):
                    if name == mine or name.endswith(f"_{mine}"):
                        twin = name[: -len(mine)] + other
                        # A solution without comments serves both languages (register).
                        if twin not in texts and name != "solution_en":
                            problems.append((node.lineno, f"{where}: {name}= has no {twin}="))
            for name, value in texts.items():
                literal = _literal_text(value)
                if literal is None or name == "solution_ko":  # solutions: see the test above
                    continue
                if (name == "ko" or name.endswith("_ko")) and not HANGUL.search(literal):
                    problems.append((node.lineno, f"{where}: {name}= is not Korean: {literal!r}"))
                if (name == "en" or name.endswith("_en")) and HANGUL.search(literal):
                    problems.append((node.lineno, f"{where}: {name}= is not English: {literal!r}"))
            called = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if called in ("correct", "wrong") and node.args:
                problems.append(
                    (node.lineno, f"{where}: {called}() takes its texts as en=..., ko=...")
                )
    return [problem for _, problem in sorted(problems)]


def _owner(node):
    """'exercise 03.1' for a registered checker, else 'helper _name' or 'module level'."""
    for decorator in getattr(node, "decorator_list", []):
        if (
            isinstance(decorator, ast.Call)
            and getattr(decorator.func, "id", "") == "register"
            and decorator.args
        ):
            return f"exercise {ast.literal_eval(decorator.args[0])}"
    name = getattr(node, "name", None)
    return f"helper {name}" if name else "module level"


def _literal_text(node):
    """The text of a string or f-string written out in the source (its fixed parts), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal_text(part) or "" for part in node.values)
    return None


@pytest.mark.parametrize("path", NOTEBOOK_MODULES, ids=lambda path: path.name)
def test_every_checker_text_has_both_languages(path):
    assert untranslated_texts(path.read_text(encoding="utf-8"), path.name) == []


def test_a_missing_korean_text_fails_naming_the_exercise():
    source = """
@register("42.1", title_en="T", title_ko="제목", question_en="Q?", question_ko="질문?",
          solution_en="answer = 1", solution_ko="answer = 1")
def checker(answer):
    if answer == 1:
        return correct(en="Right.", ko="맞습니다.")
    if answer == 2:
        return wrong(en="Two is wrong.", hint_en="Try one.", hint_ko="1을 넣어 보세요.")
    if answer == 3:
        return wrong(en="Three.", ko="Three.", hint_en="Try one.", hint_ko="1을 넣어 보세요.")
    return wrong("Not one.", hint="Try one.")


def helper():
    return dict(hint_en="Only English.")
"""
    assert untranslated_texts(source) == [
        "nbXX.py:8 (exercise 42.1): en= has no ko=",
        "nbXX.py:10 (exercise 42.1): ko= is not Korean: 'Three.'",
        "nbXX.py:11 (exercise 42.1): wrong() takes its texts as en=..., ko=...",
        "nbXX.py:15 (helper helper): hint_en= has no hint_ko=",
    ]


def test_the_modules_hold_hundreds_of_texts_in_both_languages():
    """A count, so that a change in how texts are written cannot empty the checks above."""
    korean_texts = 0
    for path in NOTEBOOK_MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg and node.arg.endswith("ko"):
                korean_texts += 1
    assert korean_texts > 400


def test_a_solution_without_comments_serves_both_languages():
    texts = dict(title_en="T", title_ko="제목", question_en="Q?", question_ko="질문?")
    try:
        check.register("97.2", solution_en="answer = 1", **texts)(lambda answer: None)
        exercise = _registry._EXERCISES["97.2"]
        assert exercise.solution_ko == exercise.solution_en == "answer = 1\n"
    finally:
        _registry._EXERCISES.pop("97.2", None)
