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
