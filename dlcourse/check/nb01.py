"""Exercises of notebook 01: splitting, scaling with train statistics, one-hot encoding."""

import numpy as np

from dlcourse.check._registry import (
    as_number,
    as_word,
    call_answer,
    correct,
    not_a_number,
    register,
    wrong,
    wrong_if_known,
)

SPLIT_MISTAKES = {
    "validation": "The validation set is looked at again and again: after every epoch and "
    "whenever you compare settings. Choices made on it make its score optimistic.",
    "train": "The training set is used all the time: every epoch passes over it.",
}
SPLIT_ALIASES = {
    "test": "test",
    "testing": "test",
    "holdout": "test",
    "hold out": "test",
    "validation": "validation",
    "val": "validation",
    "valid": "validation",
    "dev": "validation",
    "train": "train",
    "training": "train",
}


@register(
    "01.1",
    title="The split you touch once",
    question="""
        Of the three parts (train, validation, test), which one should you use only once,
        at the very end, to measure the final model? Answer with its name as text.
    """,
    solution="""
        answer = "test"  # kept aside until all choices are made, then used once
    """,
)
def split_used_once(answer):
    name = SPLIT_ALIASES.get(as_word(answer) or "")
    if name == "test":
        return correct(
            "The test set stays unseen while you choose anything, so its score is an honest "
            "estimate for new data."
        )
    if name in SPLIT_MISTAKES:
        return wrong(
            SPLIT_MISTAKES[name], hint="Which part is kept aside until every decision is made?"
        )
    return wrong(
        f"{answer!r} is not one of the three parts.", hint='Answer "train", "validation" or "test".'
    )


def _standardize_example():
    """Train and test rows whose statistics differ, so each leak gives different numbers."""
    rng = np.random.default_rng(1)
    x_train = rng.normal([10.0, -3.0, 200.0], [2.0, 0.5, 40.0], size=(40, 3))
    x_test = rng.normal([12.0, -2.0, 260.0], [3.0, 1.0, 30.0], size=(10, 3))
    return x_train, x_test


def _standardize_mistakes(x_train, x_test):
    """(wrong result, explanation, hint) for the usual ways standardization goes wrong."""
    both = np.vstack([x_train, x_test])
    mean = x_train.mean(axis=0)
    fit_on_train = " Use x_train.mean(axis=0) and x_train.std(axis=0)."
    return [
        (
            (x_test - both.mean(axis=0)) / both.std(axis=0),
            "Your scaler was fit on the whole data set: the test rows leaked into the mean.",
            "Fit on x_train only, then apply those numbers to x_test.",
        ),
        (
            (x_test - x_test.mean(axis=0)) / x_test.std(axis=0),
            "You used the test rows' own mean and std, so the test columns come out with mean "
            "exactly 0: the scaler saw the test set.",
            "New data must be scaled with the numbers learned from the training set."
            + fit_on_train,
        ),
        (
            (x_test - mean) / x_train.std(axis=0, ddof=1),
            "Almost: you divided by the sample standard deviation (ddof=1).",
            "StandardScaler divides by np.std with its default ddof=0.",
        ),
        (
            x_test - mean,
            "You subtracted the mean but did not divide by the standard deviation.",
            "Standardizing gives each column mean 0 AND standard deviation 1.",
        ),
        (
            (x_test - mean) / x_train.var(axis=0),
            "You divided by the variance.",
            "Divide by the standard deviation, the square root of the variance.",
        ),
        (
            (x_test - x_train.mean()) / x_train.std(),
            "You used one mean and one std for all columns together.",
            "Scale each column (feature) on its own: axis=0.",
        ),
        (
            (x_test - x_train.min(axis=0)) / (x_train.max(axis=0) - x_train.min(axis=0)),
            "That is min-max scaling (MinMaxScaler), not standardization.",
            "Subtract the mean and divide by the standard deviation.",
        ),
    ]


@register(
    "01.2",
    title="Standardize with training statistics",
    question="""
        Write a function standardize(x_train, x_test) that returns x_test standardized
        with the mean and standard deviation of each column of x_train (as StandardScaler
        would do after being fit on x_train). Assign the function itself: answer = standardize
    """,
    solution="""
        def standardize(x_train, x_test):
            mean = x_train.mean(axis=0)  # one mean per column, from the training rows only
            std = x_train.std(axis=0)
            return (x_test - mean) / std

        answer = standardize
    """,
)
def standardize_with_train_statistics(answer):
    x_train, x_test = _standardize_example()
    expected = (x_test - x_train.mean(axis=0)) / x_train.std(axis=0)
    returned = call_answer(answer, x_train.copy(), x_test.copy())
    if isinstance(returned, tuple):
        return wrong(
            f"Your function returned a tuple of {len(returned)} things.",
            hint="Return only the standardized x_test, one array.",
        )
    result = np.asarray(returned, dtype=float)
    if result.shape != expected.shape:
        return wrong(
            f"Your function returned shape {result.shape}; x_test has shape {expected.shape}.",
            hint="Standardizing changes the values, never the shape: return the scaled x_test.",
        )
    if _close(result, expected):
        return correct("Each test column was shifted and scaled by the TRAINING mean and std.")
    if _close(result, np.asarray(x_test)):
        return wrong(
            "Your function returned x_test unchanged.",
            hint="Subtract the training mean, then divide by the training std.",
        )
    for mistake, explanation, hint in _standardize_mistakes(x_train, x_test):
        if _close(result, mistake):
            return wrong(explanation, hint=hint)
    return wrong(
        "Your values differ from (x_test - mean of x_train) / std of x_train.",
        hint="Compute the mean and std of each column of x_train (axis=0).",
    )


def _close(a, b):
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-4, atol=1e-5)


@register(
    "01.3",
    title="Min-max scaling of a new value",
    question="""
        In the training set a feature goes from 20 (min) to 70 (max). A MinMaxScaler is fit
        on the training set. What value does it give to a test sample whose feature is 80?
    """,
    solution="""
        train_min, train_max, value = 20, 70, 80
        answer = (value - train_min) / (train_max - train_min)  # 80 lies beyond the train max
    """,
)
def minmax_new_value(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if abs(number - 1.2) < 1e-3:
        return correct(
            "(80 - 20) / (70 - 20) = 1.2: the scaler does not clip, so values beyond the "
            "training range land outside [0, 1]."
        )
    known_mistakes = {
        1.0: (
            "1.0 needs a scaler that clips, or one that saw the test value (leakage).",
            "The scaler only knows the training min and max; it does not clip.",
        ),
        80 / 70: (
            "You divided by the max without subtracting the min.",
            "The formula is (x - min) / (max - min).",
        ),
        60 / 70: ("You divided by the max instead of the range.", "The range is max - min = 50."),
        80 / 50: (
            "You forgot to subtract the min from the value.",
            "The formula is (x - min) / (max - min).",
        ),
        60.0: (
            "You subtracted the min but did not divide by the range.",
            "Divide by max - min = 50.",
        ),
    }
    return wrong_if_known(
        number,
        known_mistakes,
        f"{number:g} is not what MinMaxScaler gives.",
        hint="Use (x - min) / (max - min) with the TRAINING min and max.",
        rtol=0,
        atol=1e-3,
    )


@register(
    "01.4",
    title="Columns after one-hot encoding",
    question="""
        A table has 4 numeric columns (tenure, MonthlyCharges, TotalCharges, SeniorCitizen)
        and 3 categorical ones: Contract (3 values), PaymentMethod (4 values) and
        InternetService (3 values). How many columns does pd.get_dummies(table) return?
    """,
    solution="""
        import pandas as pd
        from dlcourse.datasets import make_churn

        columns = ["tenure", "MonthlyCharges", "TotalCharges", "SeniorCitizen",
                   "Contract", "PaymentMethod", "InternetService"]
        answer = pd.get_dummies(make_churn()[columns]).shape[1]  # 4 + 3 + 4 + 3 = 14
    """,
)
def one_hot_column_count(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one whole number")
    if number == 14:
        return correct(
            "Numeric columns stay as they are (4); each categorical column becomes one 0/1 "
            "column per value (3 + 4 + 3)."
        )
    known_mistakes = {
        7: (
            "7 is the number of columns before encoding.",
            "One-hot encoding replaces a column by one column per value.",
        ),
        10: (
            "10 counts only the one-hot columns: the numeric columns are still there.",
            "get_dummies keeps the numeric columns unchanged.",
        ),
        11: (
            "11 drops one value per categorical column (drop_first=True).",
            "pd.get_dummies keeps every value unless you pass drop_first=True.",
        ),
        36: (
            "36 is the number of COMBINATIONS of values (3 × 4 × 3).",
            "Each categorical column is encoded on its own: add, don't multiply.",
        ),
        40: (
            "You multiplied the numbers of values (3 × 4 × 3).",
            "Each categorical column is encoded on its own: add, don't multiply.",
        ),
    }
    return wrong_if_known(
        number,
        known_mistakes,
        f"{number:g} is not the number of columns.",
        hint="Numeric columns: 1 each. Categorical: one per distinct value.",
        rtol=0,
        atol=0,
    )
