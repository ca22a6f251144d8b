"""The exercises of notebooks 00 and 01: reference solutions pass, typical mistakes get
specific feedback (not just "wrong"), and nothing a learner types crashes the checker. The two
experiments (00.3: XOR from every seed; 01.5: the churn pipeline) train the learner's model or
data, so their typical mistakes are real models and real pipelines."""

import numpy as np
import pandas as pd
import pytest

from dlcourse import check

IDS = ["00.1", "00.2", "00.3", "00.4", "01.1", "01.2", "01.3", "01.4", "01.5"]


def run(exercise_id, answer):
    return check.exercise(exercise_id, answer)


def test_notebooks_00_and_01_register_exactly_these_exercises():
    ids = {e.id for e in check.all_exercises() if e.id.split(".")[0] in ("00", "01")}
    assert ids == set(IDS)


CORRECT = {"en": "Exercise {}: Correct: ", "ko": "연습 문제 {}: 정답: "}


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


# 00.3: build_model() for XOR, trained by the checker from 5 seeds.


def xor_builder(
    units=4, activation="tanh", learning_rate=0.05, hidden_layers=1, compile=True, output_units=1
):
    from dlcourse.layers import Dense, Input
    from dlcourse.models import Sequential
    from dlcourse.optimizers import Adam

    def build_model():
        hidden = [Dense(units, activation=activation) for _ in range(hidden_layers)]
        output = Dense(output_units, activation="sigmoid")
        model = Sequential([Input(shape=(2,)), *hidden, output])
        if compile:
            model.compile(optimizer=Adam(learning_rate=learning_rate), loss="binary_crossentropy")
        return model

    return build_model


@pytest.mark.parametrize(
    "build_model, expected",
    [
        (xor_builder(units=2), "from 4 of 5 seeds"),
        (xor_builder(units=2, activation="relu"), "ReLU units"),
        (xor_builder(activation="linear"), "no activation (linear)"),
        (xor_builder(hidden_layers=0), "no hidden layer"),
        (xor_builder(hidden_layers=2), "exactly one hidden Dense layer"),
        (xor_builder(units=8), "more than the 4 allowed"),
        (xor_builder(output_units=2), "last layer must be Dense(1"),
        (xor_builder(compile=False), "compile"),
        (lambda: None, "not a model"),
        (xor_builder(units=3, learning_rate=0.1), "Correct"),
    ],
)
def test_xor_experiment_trains_the_model_and_names_what_holds_it_back(
    build_model, expected, feedback
):
    result = feedback("00.3", build_model, expected)
    assert result.status == ("correct" if expected == "Correct" else "wrong")


def test_xor_experiment_reports_which_seeds_got_stuck(verdict):
    result = verdict("00.3", xor_builder(units=2))
    assert "from seed(s) 1 it got stuck" in result.message


# 01.5: prepare(train_table, test_table) for the lecture's churn network.

NUMERIC = ["tenure", "MonthlyCharges", "TotalCharges"]


def unscaled(train_table, test_table):
    x_train = pd.get_dummies(train_table)
    return x_train, pd.get_dummies(test_table).reindex(columns=x_train.columns, fill_value=False)


def scaled_with(statistics):
    """A prepare() whose numeric columns are scaled by `statistics(x_train, x_test)`."""

    def prepare(train_table, test_table):
        x_train, x_test = unscaled(train_table, test_table)
        (train_mean, train_std), (test_mean, test_std) = statistics(
            x_train[NUMERIC], x_test[NUMERIC]
        )
        x_train[NUMERIC] = (x_train[NUMERIC] - train_mean) / train_std
        x_test[NUMERIC] = (x_test[NUMERIC] - test_mean) / test_std
        return x_train, x_test

    return prepare


def train_statistics(train, test):
    return (train.mean(), train.std()), (train.mean(), train.std())


def own_statistics(train, test):
    return (train.mean(), train.std()), (test.mean(), test.std())


def statistics_of_all_rows(train, test):
    both = pd.concat([train, test])
    return (both.mean(), both.std()), (both.mean(), both.std())


def no_spread(train, test):
    return (train.mean(), 0.0), (train.mean(), 0.0)


def lecture_flow(train_table, test_table):
    return pd.get_dummies(train_table), pd.get_dummies(test_table)


def with_scikit_learn(train_table, test_table):
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    text = [column for column in train_table.columns if column not in NUMERIC + ["SeniorCitizen"]]
    encoder = ColumnTransformer(
        [("numbers", StandardScaler(), NUMERIC), ("text", OneHotEncoder(), text)],
        remainder="passthrough",
        sparse_threshold=0,
    )
    return encoder.fit_transform(train_table), encoder.transform(test_table)


@pytest.mark.parametrize(
    "prepare, expected",
    [
        (lecture_flow, "get_dummies on the test table alone"),
        (unscaled, "TotalCharges in the thousands"),
        (scaled_with(own_statistics), "something was fit on the test table"),
        (scaled_with(statistics_of_all_rows), "something was fit on the test table"),
        (scaled_with(no_spread), "holds NaN"),
        (lambda train_table, test_table: (train_table, test_table), "still has text columns"),
        (lambda train_table, test_table: unscaled(train_table, test_table)[0], "not the pair"),
        (lambda train_table, test_table: unscaled(train_table.iloc[1:], test_table), "rows"),
        (with_scikit_learn, "Correct"),
    ],
)
def test_churn_pipeline_experiment_finds_the_leak_and_the_unscaled_columns(
    prepare, expected, feedback
):
    result = feedback("01.5", prepare, expected)
    assert result.status == ("correct" if expected == "Correct" else "wrong")


def test_churn_pipeline_correct_answer_reports_the_measured_loss(verdict):
    result = verdict("01.5", scaled_with(train_statistics))
    loss = float(result.message.split("Test loss ")[1].split(" ")[0])
    assert result.status == "correct" and 0.3 < loss < 0.46
