"""Exercises of notebook 01: splitting, scaling with train statistics, one-hot encoding, and an
experiment: the lecture's churn pipeline without its leak and without unscaled columns."""

import numpy as np

from dlcourse.check._registry import (
    AnswerFailed,
    as_number,
    as_word,
    call_answer,
    correct,
    not_a_number,
    register,
    wrong,
    wrong_if_known,
)

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
    "테스트": "test",
    "시험": "test",
    "검증": "validation",
    "학습": "train",
    "훈련": "train",
}


@register(
    "01.1",
    title_en="The split you touch once",
    title_ko="딱 한 번만 쓰는 데이터",
    question_en="""
        Of the three parts (train, validation, test), which one should you use only once,
        at the very end, to measure the final model? Answer with its name as text.
    """,
    question_ko="""
        세 부분(train, validation, test) 가운데 맨 마지막에 최종 모델을 평가할 때
        딱 한 번만 써야 하는 것은 무엇입니까? 그 이름을 문자열로 답하세요.
    """,
    solution_en="""
        answer = "test"  # kept aside until all choices are made, then used once
    """,
    solution_ko="""
        answer = "test"  # 모든 선택이 끝날 때까지 따로 두었다가 한 번만 씁니다
    """,
)
def split_used_once(answer):
    name = SPLIT_ALIASES.get(as_word(answer) or "")
    if name == "test":
        return correct(
            en="The test set stays unseen while you choose anything, so its score is an honest "
            "estimate for new data.",
            ko="테스트 데이터는 무엇을 고르는 동안에도 보지 않으므로, 그 점수가 새 데이터에 "
            "대한 정직한 추정치가 됩니다.",
        )
    kept_aside = dict(
        hint_en="Which part is kept aside until every decision is made?",
        hint_ko="모든 결정을 내릴 때까지 따로 떼어 두는 부분은 무엇입니까?",
    )
    if name == "validation":
        return wrong(
            en="The validation set is looked at again and again: after every epoch and "
            "whenever you compare settings. Choices made on it make its score optimistic.",
            ko="검증 데이터는 에포크마다, 그리고 설정을 비교할 때마다 보고 또 봅니다. "
            "그것을 보고 내린 선택 때문에 검증 점수는 낙관적으로 나옵니다.",
            **kept_aside,
        )
    if name == "train":
        return wrong(
            en="The training set is used all the time: every epoch passes over it.",
            ko="학습 데이터는 늘 쓰입니다: 에포크마다 전체를 한 번씩 훑습니다.",
            **kept_aside,
        )
    return wrong(
        en=f"{answer!r} is not one of the three parts.",
        ko=f"세 부분 중 하나가 아닙니다: {answer!r}",
        hint_en='Answer "train", "validation" or "test".',
        hint_ko='"train", "validation", "test" 중 하나로 답하세요.',
    )


def _standardize_example():
    """Train and test rows whose statistics differ, so each leak gives different numbers."""
    rng = np.random.default_rng(1)
    x_train = rng.normal([10.0, -3.0, 200.0], [2.0, 0.5, 40.0], size=(40, 3))
    x_test = rng.normal([12.0, -2.0, 260.0], [3.0, 1.0, 30.0], size=(10, 3))
    return x_train, x_test


def _standardize_mistakes(x_train, x_test):
    """(wrong result, its verdict) for the usual ways standardization goes wrong."""
    both = np.vstack([x_train, x_test])
    mean = x_train.mean(axis=0)
    return [
        (
            (x_test - both.mean(axis=0)) / both.std(axis=0),
            wrong(
                en="Your scaler was fit on the whole data set: the test rows leaked into the mean.",
                ko="스케일러를 전체 데이터로 fit했습니다: 테스트 데이터의 행이 평균에 새어 "
                "들어갔습니다(데이터 누수, leakage).",
                hint_en="Fit on x_train only, then apply those numbers to x_test.",
                hint_ko="x_train으로만 fit한 다음, 거기서 얻은 값을 x_test에 적용하세요.",
            ),
        ),
        (
            (x_test - x_test.mean(axis=0)) / x_test.std(axis=0),
            wrong(
                en="You used the test rows' own mean and std, so the test columns come out with "
                "mean exactly 0: the scaler saw the test set.",
                ko="테스트 데이터 자신의 평균과 표준편차를 써서 테스트 열의 평균이 정확히 0이 "
                "되었습니다: 스케일러가 테스트 데이터를 본 것입니다.",
                hint_en="New data must be scaled with the numbers learned from the training set. "
                "Use x_train.mean(axis=0) and x_train.std(axis=0).",
                hint_ko="새 데이터는 학습 데이터에서 얻은 값으로 스케일링해야 합니다. "
                "x_train.mean(axis=0)과 x_train.std(axis=0)을 쓰세요.",
            ),
        ),
        (
            (x_test - mean) / x_train.std(axis=0, ddof=1),
            wrong(
                en="Almost: you divided by the sample standard deviation (ddof=1).",
                ko="거의 맞았습니다: 표본 표준편차(ddof=1)로 나누었습니다.",
                hint_en="StandardScaler divides by np.std with its default ddof=0.",
                hint_ko="StandardScaler는 기본값이 ddof=0인 np.std로 나눕니다.",
            ),
        ),
        (
            x_test - mean,
            wrong(
                en="You subtracted the mean but did not divide by the standard deviation.",
                ko="평균은 뺐지만 표준편차로 나누지 않았습니다.",
                hint_en="Standardizing gives each column mean 0 AND standard deviation 1.",
                hint_ko="표준화하면 각 열의 평균은 0, 표준편차는 1이 됩니다.",
            ),
        ),
        (
            (x_test - mean) / x_train.var(axis=0),
            wrong(
                en="You divided by the variance.",
                ko="분산으로 나누었습니다.",
                hint_en="Divide by the standard deviation, the square root of the variance.",
                hint_ko="분산의 제곱근인 표준편차로 나누세요.",
            ),
        ),
        (
            (x_test - x_train.mean()) / x_train.std(),
            wrong(
                en="You used one mean and one std for all columns together.",
                ko="모든 열을 한데 묶어 평균 하나와 표준편차 하나를 썼습니다.",
                hint_en="Scale each column (feature) on its own: axis=0.",
                hint_ko="각 열(피처)을 따로 스케일링하세요: axis=0.",
            ),
        ),
        (
            (x_test - x_train.min(axis=0)) / (x_train.max(axis=0) - x_train.min(axis=0)),
            wrong(
                en="That is min-max scaling (MinMaxScaler), not standardization.",
                ko="그것은 표준화가 아니라 최소-최대 정규화(MinMaxScaler)입니다.",
                hint_en="Subtract the mean and divide by the standard deviation.",
                hint_ko="평균을 빼고 표준편차로 나누세요.",
            ),
        ),
    ]


@register(
    "01.2",
    title_en="Standardize with training statistics",
    title_ko="학습 데이터의 통계로 표준화하기",
    question_en="""
        Write a function standardize(x_train, x_test) that returns x_test standardized
        with the mean and standard deviation of each column of x_train (as StandardScaler
        would do after being fit on x_train). Assign the function itself: answer = standardize
    """,
    question_ko="""
        x_train의 열(column)마다 구한 평균과 표준편차로 x_test를 표준화(standardization)해서
        돌려주는 함수 standardize(x_train, x_test)를 작성하세요(x_train으로 fit한
        StandardScaler가 하는 일과 같습니다). 함수 자체를 대입하세요: answer = standardize
    """,
    solution_en="""
        def standardize(x_train, x_test):
            mean = x_train.mean(axis=0)  # one mean per column, from the training rows only
            std = x_train.std(axis=0)
            return (x_test - mean) / std

        answer = standardize
    """,
    solution_ko="""
        def standardize(x_train, x_test):
            mean = x_train.mean(axis=0)  # 열마다 평균 하나, 학습 데이터의 행으로만 구합니다
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
            en=f"Your function returned a tuple of {len(returned)} things.",
            ko=f"함수가 원소 {len(returned)}개짜리 튜플(tuple)을 돌려주었습니다.",
            hint_en="Return only the standardized x_test, one array.",
            hint_ko="표준화한 x_test 배열 하나만 돌려주세요.",
        )
    result = np.asarray(returned, dtype=float)
    if result.shape != expected.shape:
        return wrong(
            en=f"Your function returned shape {result.shape}; x_test has shape {expected.shape}.",
            ko=f"함수가 돌려준 배열의 모양(shape)은 {result.shape}인데, x_test의 모양은 "
            f"{expected.shape}입니다.",
            hint_en="Standardizing changes the values, never the shape: return the scaled x_test.",
            hint_ko="표준화는 값만 바꾸고 모양은 바꾸지 않습니다: 스케일링한 x_test를 돌려주세요.",
        )
    if _close(result, expected):
        return correct(
            en="Each test column was shifted and scaled by the TRAINING mean and std.",
            ko="테스트 데이터의 각 열을 학습 데이터의 평균만큼 옮기고 표준편차(std)로 "
            "나누었습니다.",
        )
    if _close(result, np.asarray(x_test)):
        return wrong(
            en="Your function returned x_test unchanged.",
            ko="함수가 x_test를 바꾸지 않고 그대로 돌려주었습니다.",
            hint_en="Subtract the training mean, then divide by the training std.",
            hint_ko="학습 데이터의 평균을 빼고, 학습 데이터의 표준편차로 나누세요.",
        )
    for mistake, verdict in _standardize_mistakes(x_train, x_test):
        if _close(result, mistake):
            return verdict
    return wrong(
        en="Your values differ from (x_test - mean of x_train) / std of x_train.",
        ko="값이 (x_test - x_train의 평균) / x_train의 표준편차와 다릅니다.",
        hint_en="Compute the mean and std of each column of x_train (axis=0).",
        hint_ko="x_train의 열마다 평균과 표준편차를 구하세요(axis=0).",
    )


def _close(a, b):
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-4, atol=1e-5)


@register(
    "01.3",
    title_en="Min-max scaling of a new value",
    title_ko="새 값의 정규화(min-max scaling)",
    question_en="""
        In the training set a feature goes from 20 (min) to 70 (max). A MinMaxScaler is fit
        on the training set. What value does it give to a test sample whose feature is 80?
    """,
    question_ko="""
        학습 데이터에서 어떤 피처의 값은 20(최솟값)부터 70(최댓값)까지입니다. 학습 데이터로
        MinMaxScaler를 fit했습니다. 이 피처가 80인 테스트 샘플은 어떤 값으로 바뀝니까?
    """,
    solution_en="""
        train_min, train_max, value = 20, 70, 80
        answer = (value - train_min) / (train_max - train_min)  # 80 lies beyond the train max
    """,
    solution_ko="""
        train_min, train_max, value = 20, 70, 80
        answer = (value - train_min) / (train_max - train_min)  # 80은 학습 데이터의 최댓값 밖
    """,
)
def minmax_new_value(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if abs(number - 1.2) < 1e-3:
        return correct(
            en="(80 - 20) / (70 - 20) = 1.2: the scaler does not clip, so values beyond the "
            "training range land outside [0, 1].",
            ko="(80 - 20) / (70 - 20) = 1.2: 스케일러는 값을 잘라 내지(clip) 않으므로, 학습 "
            "데이터의 범위를 벗어난 값은 [0, 1] 밖으로 나갑니다.",
        )
    formula = dict(
        hint_en="The formula is (x - min) / (max - min).",
        hint_ko="공식은 (x - min) / (max - min)입니다.",
    )
    known_mistakes = {
        1.0: wrong(
            en="1.0 needs a scaler that clips, or one that saw the test value (leakage).",
            ko="1.0이 나오려면 스케일러가 값을 잘라 내거나(clip) 테스트 값을 미리 봤어야 "
            "합니다(데이터 누수, leakage).",
            hint_en="The scaler only knows the training min and max; it does not clip.",
            hint_ko="스케일러는 학습 데이터의 최솟값과 최댓값만 알고, 값을 잘라 내지 않습니다.",
        ),
        80 / 70: wrong(
            en="You divided by the max without subtracting the min.",
            ko="최솟값을 빼지 않고 최댓값으로 나누었습니다.",
            **formula,
        ),
        60 / 70: wrong(
            en="You divided by the max instead of the range.",
            ko="범위 대신 최댓값으로 나누었습니다.",
            hint_en="The range is max - min = 50.",
            hint_ko="범위는 max - min = 50입니다.",
        ),
        80 / 50: wrong(
            en="You forgot to subtract the min from the value.",
            ko="값에서 최솟값을 빼는 것을 잊었습니다.",
            **formula,
        ),
        60.0: wrong(
            en="You subtracted the min but did not divide by the range.",
            ko="최솟값은 뺐지만 범위로 나누지 않았습니다.",
            hint_en="Divide by max - min = 50.",
            hint_ko="max - min = 50으로 나누세요.",
        ),
    }
    return wrong_if_known(
        number,
        known_mistakes,
        otherwise=wrong(
            en=f"{number:g} is not what MinMaxScaler gives.",
            ko=f"MinMaxScaler가 내놓는 값이 아닙니다: {number:g}",
            hint_en="Use (x - min) / (max - min) with the TRAINING min and max.",
            hint_ko="학습 데이터의 min과 max로 (x - min) / (max - min)을 계산하세요.",
        ),
        rtol=0,
        atol=1e-3,
    )


@register(
    "01.4",
    title_en="Columns after one-hot encoding",
    title_ko="원-핫 인코딩 뒤의 열 개수",
    question_en="""
        A table has 4 numeric columns (tenure, MonthlyCharges, TotalCharges, SeniorCitizen)
        and 3 categorical ones: Contract (3 values), PaymentMethod (4 values) and
        InternetService (3 values). How many columns does pd.get_dummies(table) return?
    """,
    question_ko="""
        어떤 표에 숫자형 열 4개(tenure, MonthlyCharges, TotalCharges, SeniorCitizen)와
        범주형 열 3개, 즉 Contract(값 3가지), PaymentMethod(값 4가지),
        InternetService(값 3가지)가 있습니다. pd.get_dummies(table)은 열을 몇 개 돌려줍니까?
    """,
    solution_en="""
        import pandas as pd
        from dlcourse.datasets import make_churn

        columns = ["tenure", "MonthlyCharges", "TotalCharges", "SeniorCitizen",
                   "Contract", "PaymentMethod", "InternetService"]
        answer = pd.get_dummies(make_churn()[columns]).shape[1]  # 4 + 3 + 4 + 3 = 14
    """,
    solution_ko="""
        import pandas as pd
        from dlcourse.datasets import make_churn

        columns = ["tenure", "MonthlyCharges", "TotalCharges", "SeniorCitizen",
                   "Contract", "PaymentMethod", "InternetService"]
        answer = pd.get_dummies(make_churn()[columns]).shape[1]  # 숫자형 4 + 3 + 4 + 3 = 14
    """,
)
def one_hot_column_count(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, wanted_en="one whole number", wanted_ko="정수 하나")
    if number == 14:
        return correct(
            en="Numeric columns stay as they are (4); each categorical column becomes one 0/1 "
            "column per value (3 + 4 + 3).",
            ko="숫자형 열은 그대로 남고(4개), 범주형 열은 값마다 0/1 열 하나가 됩니다(3 + 4 + 3).",
        )
    add_dont_multiply = dict(
        hint_en="Each categorical column is encoded on its own: add, don't multiply.",
        hint_ko="범주형 열은 저마다 따로 인코딩됩니다: 곱하지 말고 더하세요.",
    )
    known_mistakes = {
        7: wrong(
            en="7 is the number of columns before encoding.",
            ko="7은 인코딩하기 전의 열 개수입니다.",
            hint_en="One-hot encoding replaces a column by one column per value.",
            hint_ko="원-핫 인코딩(one-hot encoding)은 열 하나를 값마다 하나씩인 열들로 바꿉니다.",
        ),
        10: wrong(
            en="10 counts only the one-hot columns: the numeric columns are still there.",
            ko="10은 원-핫 열만 센 것입니다: 숫자형 열도 그대로 남아 있습니다.",
            hint_en="get_dummies keeps the numeric columns unchanged.",
            hint_ko="get_dummies는 숫자형 열을 바꾸지 않고 그대로 둡니다.",
        ),
        11: wrong(
            en="11 drops one value per categorical column (drop_first=True).",
            ko="11은 범주형 열마다 값 하나를 뺀 경우입니다(drop_first=True).",
            hint_en="pd.get_dummies keeps every value unless you pass drop_first=True.",
            hint_ko="drop_first=True를 주지 않으면 pd.get_dummies는 모든 값을 남깁니다.",
        ),
        36: wrong(
            en="36 is the number of COMBINATIONS of values (3 × 4 × 3).",
            ko="36은 값들의 조합 개수입니다(3 × 4 × 3).",
            **add_dont_multiply,
        ),
        40: wrong(
            en="You multiplied the numbers of values (3 × 4 × 3).",
            ko="값의 가짓수를 곱했습니다(3 × 4 × 3).",
            **add_dont_multiply,
        ),
    }
    return wrong_if_known(
        number,
        known_mistakes,
        otherwise=wrong(
            en=f"{number:g} is not the number of columns.",
            ko=f"열 개수는 {number:g}개가 아닙니다.",
            hint_en="Numeric columns: 1 each. Categorical: one per distinct value.",
            hint_ko="숫자형 열은 각각 1개, 범주형 열은 서로 다른 값마다 1개입니다.",
        ),
        rtol=0,
        atol=0,
    )


CHURN_SEEDS = (0, 1, 2)
CHURN_EPOCHS = 20
CHURN_LOSS_GOAL = 0.46
FEW_TEST_ROWS = 5


@register(
    "01.5",
    title_en="The lecture's churn pipeline, fixed",
    title_ko="강의의 고객 이탈 파이프라인 고치기",
    question_en="""
        Write prepare(train_table, test_table). Both are churn tables (make_churn's columns
        without customerID and Churn). Return (x_train, x_test): numbers only (arrays or
        DataFrames), one-hot encoded with the same columns in both, and with the numeric columns
        scaled by statistics of the TRAINING table only. The checker trains the lecture's
        64-64-1 network on them from 3 seeds (Adam, learning rate 0.001, 20 epochs) and wants a
        mean test loss below 0.46, where the lecture's unscaled flow gives about 0.7 to 1.0.
        It also checks that a test row comes out the same whatever other test rows come with it.
        Assign the function: answer = prepare.
    """,
    question_ko="""
        prepare(train_table, test_table)을 작성하세요. 두 인자는 고객 이탈 표입니다(make_churn의
        열에서 customerID와 Churn을 뺀 것). (x_train, x_test)를 돌려주세요: 숫자만 담고(배열이나
        DataFrame), 두 표가 같은 열을 갖도록 원-핫 인코딩하고, 숫자형 열은 학습용 표의 통계로만
        스케일링합니다. 채점기는 강의의 64-64-1 신경망을 시드 3개에서 학습하고(Adam, 학습률
        0.001, 20 에포크) 테스트 손실의 평균이 0.46보다 작기를 요구합니다. 강의처럼 스케일링
        없이 하면 약 0.7에서 1.0이 나옵니다. 또 테스트 행 하나의 결과가 함께 들어온 다른 테스트
        행에 따라 달라지지 않는지도 확인합니다. 함수를 대입하세요: answer = prepare
    """,
    solution_en="""
        import pandas as pd

        def prepare(train_table, test_table):
            x_train = pd.get_dummies(train_table)
            # the test table gets the training table's columns, even if it lacks a category
            x_test = pd.get_dummies(test_table).reindex(columns=x_train.columns, fill_value=False)
            numeric = ["tenure", "MonthlyCharges", "TotalCharges"]
            mean, std = x_train[numeric].mean(), x_train[numeric].std()  # training rows only
            x_train[numeric] = (x_train[numeric] - mean) / std
            x_test[numeric] = (x_test[numeric] - mean) / std
            return x_train, x_test

        answer = prepare
    """,
    solution_ko="""
        import pandas as pd

        def prepare(train_table, test_table):
            x_train = pd.get_dummies(train_table)
            # 테스트 표에 없는 범주가 있어도 학습용 표와 같은 열을 갖게 합니다
            x_test = pd.get_dummies(test_table).reindex(columns=x_train.columns, fill_value=False)
            numeric = ["tenure", "MonthlyCharges", "TotalCharges"]
            mean, std = x_train[numeric].mean(), x_train[numeric].std()  # 학습 데이터의 행으로만
            x_train[numeric] = (x_train[numeric] - mean) / std
            x_test[numeric] = (x_test[numeric] - mean) / std
            return x_train, x_test

        answer = prepare
    """,
)
def churn_pipeline(answer):
    train_table, test_table, y_train, y_test = _churn_tables()
    x_train, x_test = _prepared(answer, train_table, test_table)
    if len(x_train) != len(train_table) or len(x_test) != len(test_table):
        return wrong(
            en=f"Your x_train has {len(x_train)} rows and x_test {len(x_test)}; the tables have "
            f"{len(train_table)} and {len(test_table)}.",
            ko=f"x_train의 행은 {len(x_train)}개, x_test의 행은 {len(x_test)}개인데, 받은 표의 "
            f"행은 {len(train_table)}개와 {len(test_table)}개입니다.",
            hint_en="Keep one row per customer, in the order given; return (x_train, x_test).",
            hint_ko="고객마다 한 행씩, 받은 순서대로 두고 (x_train, x_test)를 돌려주세요.",
        )
    few_test_rows = test_table.iloc[:FEW_TEST_ROWS]
    _, x_few = _prepared(answer, train_table, few_test_rows)
    if x_train.shape[1] != x_test.shape[1] or x_few.shape[1] != x_train.shape[1]:
        return wrong(
            en=f"x_train has {x_train.shape[1]} columns, but a test table of "
            f"{FEW_TEST_ROWS} rows gets {x_few.shape[1]}: get_dummies on the test table alone "
            "makes columns only for the categories it happens to contain.",
            ko=f"x_train의 열은 {x_train.shape[1]}개인데, 행이 {FEW_TEST_ROWS}개인 테스트 표는 "
            f"열이 {x_few.shape[1]}개가 됩니다: 테스트 표에만 get_dummies를 쓰면 그 표에 마침 "
            "들어 있는 범주의 열만 생깁니다.",
            hint_en="Give the test table the training columns: "
            ".reindex(columns=x_train.columns, fill_value=False).",
            hint_ko="테스트 표에 학습용 표의 열을 주세요: "
            ".reindex(columns=x_train.columns, fill_value=False).",
        )
    if not np.allclose(x_few, x_test[:FEW_TEST_ROWS], rtol=1e-5, atol=1e-6):
        return wrong(
            en=f"The first {FEW_TEST_ROWS} test rows come out different when the other test rows "
            "are left out: something was fit on the test table (a mean, a std, a min or a max), "
            "which is the leak notebook 01 measures.",
            ko=f"다른 테스트 행을 빼면 첫 {FEW_TEST_ROWS}개 테스트 행의 결과가 달라집니다: "
            "무언가(평균, 표준편차, 최솟값이나 최댓값)를 테스트 표로 fit했다는 뜻이고, "
            "노트북 01에서 측정한 바로 그 누수(leakage)입니다.",
            hint_en="Compute every statistic from train_table only, then apply it to both.",
            hint_ko="모든 통계는 train_table로만 구하고, 그 값을 두 표에 똑같이 적용하세요.",
        )
    losses = _churn_test_losses(x_train, y_train, x_test, y_test)
    mean, spread = float(np.mean(losses)), float(np.std(losses))
    if mean < CHURN_LOSS_GOAL:
        return correct(
            en=f"Test loss {mean:.3f} ± {spread:.3f} over 3 seeds, with no leak: one-hot columns "
            "from the training table, numeric columns scaled by its statistics.",
            ko=f"시드 3개에서 테스트 손실 {mean:.3f} ± {spread:.3f}이고 누수도 없습니다: 원-핫 "
            "열은 학습용 표에서, 숫자형 열의 스케일링은 그 통계로 했습니다.",
        )
    largest = float(np.abs(x_train).max())
    measured_en = ", ".join(f"{loss:.2f}" for loss in losses)
    if largest > 50:
        return wrong(
            en=f"Test losses {measured_en} (mean {mean:.2f}): some columns of x_train still reach "
            f"{largest:.0f}, like TotalCharges in the thousands, next to 0/1 columns.",
            ko=f"테스트 손실이 {measured_en}입니다(평균 {mean:.2f}): x_train의 어떤 열은 아직 "
            f"{largest:.0f}까지 갑니다. 0/1 열 옆에 수천 단위의 TotalCharges가 있는 셈입니다.",
            hint_en="Standardize tenure, MonthlyCharges and TotalCharges with the training mean "
            "and std.",
            hint_ko="tenure, MonthlyCharges, TotalCharges를 학습 데이터의 평균과 표준편차로 "
            "표준화하세요.",
        )
    return wrong(
        en=f"Test losses {measured_en} (mean {mean:.2f}), above the goal of 0.46.",
        ko=f"테스트 손실이 {measured_en}입니다(평균 {mean:.2f}). 목표인 0.46보다 큽니다.",
        hint_en="Keep every one-hot column and scale the numeric ones; drop nothing else.",
        hint_ko="원-핫 열은 모두 두고 숫자형 열만 스케일링하세요. 다른 것은 빼지 마세요.",
    )


def _churn_tables():
    """(train table, test table, y_train, y_test): a churn table split 80/20, stratified."""
    from sklearn.model_selection import train_test_split

    from dlcourse.datasets import make_churn

    churn = make_churn(n=2000, seed=100)
    features = churn.drop(columns=["customerID", "Churn"])
    labels = (churn["Churn"] == "Yes").to_numpy(dtype="float32")
    train, test, y_train, y_test = train_test_split(
        features, labels, test_size=0.2, stratify=labels, random_state=0
    )
    return train, test, y_train, y_test


def _prepared(answer, train_table, test_table):
    """The learner's (x_train, x_test) as float arrays; AnswerFailed with feedback otherwise."""
    returned = call_answer(answer, train_table.copy(), test_table.copy())
    if not (isinstance(returned, (tuple, list)) and len(returned) == 2):
        raise AnswerFailed(
            wrong(
                en=f"prepare returned a {type(returned).__name__}, not the pair (x_train, x_test).",
                ko=f"prepare가 (x_train, x_test) 쌍이 아닌 {type(returned).__name__}를 "
                "돌려주었습니다.",
                hint_en="End with `return x_train, x_test`.",
                hint_ko="마지막 줄에 `return x_train, x_test`를 쓰세요.",
            )
        )
    return tuple(_numbers(part, name) for part, name in zip(returned, ("x_train", "x_test")))


def _numbers(part, name):
    """`part` as a 2-D float array, or AnswerFailed naming what is not a number."""
    dtypes = getattr(part, "dtypes", None)
    if hasattr(dtypes, "items"):  # a DataFrame
        text = [str(column) for column, dtype in dtypes.items() if dtype.kind not in "biuf"]
        if text:
            raise AnswerFailed(
                wrong(
                    en=f"Your {name} still has text columns: {text}.",
                    ko=f"{name}에 아직 문자열 열이 있습니다: {text}.",
                    hint_en="pd.get_dummies(table) turns each text column into 0/1 columns.",
                    hint_ko="pd.get_dummies(table)은 문자열 열마다 0/1 열들로 바꿉니다.",
                )
            )
        part = part.to_numpy(dtype=float, na_value=np.nan)
    try:
        array = np.asarray(part, dtype=float)
    except (TypeError, ValueError):
        raise AnswerFailed(
            wrong(
                en=f"Your {name} holds values that are not numbers.",
                ko=f"{name}에 숫자가 아닌 값이 있습니다.",
                hint_en="One-hot encode the text columns with pd.get_dummies.",
                hint_ko="문자열 열은 pd.get_dummies로 원-핫 인코딩하세요.",
            )
        ) from None
    if array.ndim != 2 or not np.isfinite(array).all():
        problem_en = "is not a table of rows and columns" if array.ndim != 2 else "holds NaN"
        problem_ko = "행과 열로 된 표가 아닙니다" if array.ndim != 2 else "NaN이 들어 있습니다"
        raise AnswerFailed(
            wrong(
                en=f"Your {name} {problem_en}.",
                ko=f"{name}에 문제가 있습니다: {problem_ko}.",
                hint_en="Return one row per customer and one column per feature; a column with "
                "no spread divided by its std gives NaN.",
                hint_ko="고객마다 한 행, 피처마다 한 열로 돌려주세요. 퍼짐이 없는 열을 표준편차로 "
                "나누면 NaN이 됩니다.",
            )
        )
    return array


def _churn_test_losses(x_train, y_train, x_test, y_test):
    """The lecture's 64-64-1 network trained from each of CHURN_SEEDS: its test losses."""
    from dlcourse.layers import Dense, Input
    from dlcourse.models import Sequential
    from dlcourse.optimizers import Adam
    from dlcourse.utils import set_random_seed

    losses = []
    for seed in CHURN_SEEDS:
        set_random_seed(seed)
        model = Sequential(
            [
                Input(shape=(x_train.shape[1],)),
                Dense(64, activation="relu"),
                Dense(64, activation="relu"),
                Dense(1, activation="sigmoid"),
            ]
        )
        model.compile(optimizer=Adam(learning_rate=0.001), loss="binary_crossentropy")
        model.fit(x_train, y_train, epochs=CHURN_EPOCHS, batch_size=32, verbose=0)
        losses.append(model.evaluate(x_test, y_test, verbose=0))
    return losses
