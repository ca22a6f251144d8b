import numpy as np
import pytest

from dlcourse import check

# Every registered exercise, including those of notebooks added later.
ALL_EXERCISES = check.all_exercises()


@pytest.mark.parametrize("exercise", ALL_EXERCISES, ids=lambda exercise: exercise.id)
def test_each_solution_is_accepted_by_its_own_checker(exercise, solution_answer, feedback, capsys):
    """In both languages: the solution (with its comments in that language) is accepted, and
    the Korean 'correct' message is the twin of the English one."""
    answer = solution_answer(exercise.id)
    assert feedback(exercise.id, answer).status == "correct"
    result = check.exercise(exercise.id, answer)
    assert result.status == "correct", result.message
    assert capsys.readouterr().out == f"{result.message}\n"


NOT_ATTEMPTED = {
    "en": "Exercise {}: not attempted yet — replace the ... with your answer.\n",
    "ko": "연습 문제 {}: 아직 풀지 않았습니다 — ... 자리에 답을 쓰세요.\n",
}


@pytest.mark.parametrize("exercise", ALL_EXERCISES, ids=lambda exercise: exercise.id)
def test_each_placeholder_is_not_attempted_and_does_not_raise(exercise, language, capsys):
    result = check.exercise(exercise.id, ...)
    assert result.status == "not attempted"
    assert not result
    assert capsys.readouterr().out == NOT_ATTEMPTED[language].format(exercise.id)


@pytest.mark.parametrize("exercise", ALL_EXERCISES, ids=lambda exercise: exercise.id)
def test_each_exercise_has_a_title_a_question_and_rejects_nonsense(exercise, feedback):
    assert exercise.title and exercise.question.strip()
    assert "answer" in exercise.solution
    assert feedback(exercise.id, object()).status == "wrong"


def test_there_are_exercises_for_notebooks_00_and_01():
    ids = [exercise.id for exercise in ALL_EXERCISES]
    assert {"00.1", "00.2", "00.3", "00.4", "01.1", "01.2", "01.3", "01.4", "01.5"} <= set(ids)


# Typical wrong answers: (exercise id, answer, words the feedback must contain).
WRONG_ANSWERS = [
    ("00.1", 3000, "not the biases"),
    ("00.1", 31, "ONE unit"),
    ("00.1", 3030, "biases belong to the units"),
    ("00.1", 130, "every unit has its own weight"),
    ("00.1", "3100", "type str"),
    ("00.2", "fit", "chosen before"),
    ("00.2", "model.predict()", "never looks at a loss"),
    ("00.2", "train", "not one of the steps"),
    ("00.4", 32, "the batch size"),
    ("00.4", 500, "number of samples"),
    ("00.4", 7, "not the number of batches"),
    ("00.4", 15, "not dropped"),
    ("00.4", 500 / 32, "whole batches"),
    ("00.4", 20, "size of the last batch"),
    ("01.1", "validation", "again and again"),
    ("01.1", "the training set", "used all the time"),
    ("01.1", "banana", "not one of the three parts"),
    ("01.3", 1.0, "clips"),
    ("01.3", 80 / 70, "without subtracting the min"),
    ("01.3", 0.857, "instead of the range"),
    ("01.4", 7, "before encoding"),
    ("01.4", 11, "drop_first"),
    ("01.4", 36, "COMBINATIONS"),
    ("01.4", 10, "numeric columns are still there"),
]


@pytest.mark.parametrize("exercise_id, answer, words", WRONG_ANSWERS)
def test_typical_wrong_answers_get_specific_feedback(exercise_id, answer, words, feedback):
    result = feedback(exercise_id, answer, words, "Hint:")
    assert result.status == "wrong"


def fit_on_everything(x_train, x_test):
    both = np.vstack([x_train, x_test])
    return (x_test - both.mean(axis=0)) / both.std(axis=0)


def fit_on_test(x_train, x_test):
    return (x_test - x_test.mean(axis=0)) / x_test.std(axis=0)


def sample_std(x_train, x_test):
    return (x_test - x_train.mean(axis=0)) / x_train.std(axis=0, ddof=1)


def only_centered(x_train, x_test):
    return x_test - x_train.mean(axis=0)


def one_mean_for_all_columns(x_train, x_test):
    return (x_test - x_train.mean()) / x_train.std()


def both_parts(x_train, x_test):
    return x_train, x_test


def raises(x_train, x_test):
    raise KeyError("mean")


@pytest.mark.parametrize(
    "function, words",
    [
        (fit_on_everything, "fit on the whole data set: the test rows leaked into the mean"),
        (fit_on_test, "the scaler saw the test set"),
        (sample_std, "ddof=1"),
        (only_centered, "did not divide"),
        (one_mean_for_all_columns, "one mean and one std for all columns"),
        (both_parts, "tuple of 2"),
        (raises, "raised KeyError"),
        (np.mean, "raised"),
    ],
)
def test_standardize_mistakes_are_recognised(function, words, feedback):
    assert feedback("01.2", function, words).status == "wrong"


def test_standardize_accepts_scikit_learn_and_float32():
    from sklearn.preprocessing import StandardScaler

    def with_sklearn(x_train, x_test):
        return StandardScaler().fit(x_train).transform(x_test)

    def in_float32(x_train, x_test):
        x_train, x_test = x_train.astype(np.float32), x_test.astype(np.float32)
        return (x_test - x_train.mean(axis=0)) / x_train.std(axis=0)

    assert check.exercise("01.2", with_sklearn)
    assert check.exercise("01.2", in_float32)


def test_standardize_given_a_value_instead_of_a_function(feedback):
    result = feedback("01.2", np.zeros(3), "wants a function", "without parentheses")
    assert result.status == "wrong"


def test_equivalent_answers_are_accepted():
    assert check.exercise("00.1", np.int64(3100))
    assert check.exercise("00.1", 3100.0)
    assert check.exercise("00.2", "model.compile()")
    assert check.exercise("00.2", "Compile")
    assert check.exercise("01.1", "The test set")
    assert check.exercise("01.3", 1.2000001)
    assert check.exercise("01.3", np.array(1.2))


@pytest.mark.parametrize(
    "exercise_id, answer, status",
    [
        ("00.2", "컴파일", "correct"),
        ("00.2", "컴파일 단계", "correct"),
        ("00.2", "학습", "wrong"),
        ("01.1", "테스트 데이터", "correct"),
        ("01.1", "시험", "correct"),
        ("01.1", "검증 데이터", "wrong"),
    ],
)
def test_word_answers_may_be_the_korean_terms(exercise_id, answer, status, feedback):
    """A Korean learner may name the step or the split in Korean; a Korean wrong name gets
    the same specific feedback as the English one."""
    assert feedback(exercise_id, answer).status == status
    english_name = {"학습": "fit", "검증 데이터": "validation"}.get(answer)
    if english_name:
        check.language("en")
        assert check.exercise(exercise_id, answer).message == (
            check.exercise(exercise_id, english_name).message
        )


def test_booleans_are_not_numbers():
    assert check.exercise("00.4", True).status == "wrong"


def test_ids_may_drop_the_leading_zero():
    assert check.exercise("1.3", 1.2).exercise_id == "01.3"


def test_unknown_id_lists_the_known_ids_and_suggests_one():
    with pytest.raises(ValueError) as error:
        check.exercise("01.7", 1)
    message = str(error.value)
    assert "Unknown exercise '01.7'" in message
    assert "Did you mean" in message
    assert "00.1, 00.2" in message
    with pytest.raises(ValueError, match="Unknown exercise"):
        check.solution("99.1")


def test_solution_prints_the_code_and_returns_it(capsys):
    code = check.solution("00.4")
    printed = capsys.readouterr().out
    assert "answer = math.ceil(samples / batch_size)" in code
    assert printed == f"# Exercise 00.4: The last, smaller batch\n{code}"


def test_results_and_solutions_display_nothing_more_in_jupyter():
    # Both were printed already; a no-op _ipython_display_ keeps Jupyter from echoing them.
    result = check.exercise("00.4", 16)
    assert result._ipython_display_() is None
    assert repr(result) == result.message
    assert check.solution("00.4")._ipython_display_() is None


def test_correct_messages_say_why():
    result = check.exercise("00.4", 16)
    assert result.message.startswith("Exercise 00.4: Correct: ")
    assert "the last 20 form a 16th batch" in result.message


def test_list_exercises_prints_ids_and_titles(capsys):
    check.list_exercises("01")
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "01.1  The split you touch once"
    assert all(line.startswith("01.") for line in printed)


def test_registering_an_id_twice_from_another_module_is_refused():
    def imposter(answer):
        return check.correct(en="always", ko="항상")

    imposter.__module__ = "someone_else"
    texts = dict(title_en="x", title_ko="엑스", question_en="x", question_ko="엑스")
    solutions = dict(solution_en="answer = 1", solution_ko="answer = 1")
    with pytest.raises(ValueError, match="already registered"):
        check.register("00.1", **texts, **solutions)(imposter)


def test_a_new_exercise_is_registered_with_a_decorator():
    from dlcourse.check import _registry

    @check.register(
        "98.1",
        title_en="Double",
        title_ko="두 배",
        question_en="Double 2.",
        question_ko="2를 두 배로 하세요.",
        solution_en="answer = 4  # 2 + 2\n",
        solution_ko="answer = 4  # 2 더하기 2\n",
    )
    def double_two(answer):
        if answer == 4:
            return check.correct(en="2 × 2.", ko="2 × 2입니다.")
        return check.wrong(
            en="No.", ko="아닙니다.", hint_en="Add 2 + 2.", hint_ko="2 + 2를 더하세요."
        )

    try:
        assert check.exercise("98.1", 4)
        assert "Hint: Add 2 + 2." in check.exercise("98.1", 5).message
        check.language("ko")
        assert "힌트: 2 + 2를 더하세요." in check.exercise("98.1", 5).message
    finally:
        check.language("en")
        del _registry._EXERCISES["98.1"]
