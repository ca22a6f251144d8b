"""Exercises of notebook 04 (loss functions): cross-entropy values, choosing a loss, gradients,
and an experiment: fit a line that outliers do not pull."""

import math
import re

import numpy as np

from dlcourse.check._registry import (
    AnswerFailed,
    as_number,
    call_answer,
    correct,
    keeping_random_state,
    not_a_number,
    register,
    wrong,
)


def _close(number, target, rel=1e-3):
    return math.isclose(number, target, rel_tol=rel, abs_tol=1e-9)


@register(
    "04.1",
    title_en="Binary cross-entropy of one prediction",
    title_ko="예측 하나의 이항 교차 엔트로피",
    question_en="""
        What is the binary cross-entropy (natural log, as Keras computes it) of the prediction
        p = 0.1 for a sample whose label is y = 0?
    """,
    question_ko="""
        레이블이 y = 0인 샘플에 대한 예측 p = 0.1의 이항 교차 엔트로피(binary
        cross-entropy)는 얼마입니까? (Keras처럼 자연로그로 계산합니다.)
    """,
    solution_en="""
        import math

        y, p = 0, 0.1
        answer = -(y * math.log(p) + (1 - y) * math.log(1 - p))   # -ln(0.9) = 0.1054
    """,
    solution_ko="""
        import math

        y, p = 0, 0.1
        answer = -(y * math.log(p) + (1 - y) * math.log(1 - p))   # -ln(0.9) = 0.1054 (자연로그)
    """,
)
def bce_value(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if _close(number, -math.log(0.9)):
        return correct(
            en="With y = 0 only the second term remains: −ln(1 − 0.1) = −ln 0.9 ≈ 0.1054, "
            "a small loss for a good prediction.",
            ko="y = 0이면 두 번째 항만 남습니다: −ln(1 − 0.1) = −ln 0.9 ≈ 0.1054. 좋은 "
            "예측이므로 손실이 작습니다.",
        )
    if _close(number, -math.log(0.1)):
        return wrong(
            en="−ln 0.1 is the loss if the label were 1: you used the y · log p term.",
            ko="−ln 0.1은 레이블이 1일 때의 손실입니다: y · log p 항을 썼습니다.",
            hint_en="For y = 0 the loss is −log(1 − p).",
            hint_ko="y = 0이면 손실은 −log(1 − p)입니다.",
        )
    if _close(number, -math.log2(0.9)):
        return wrong(
            en="That is the value with log base 2 (as in the lecture notes); Keras uses the "
            "natural log.",
            ko="그것은 밑이 2인 로그로 구한 값입니다(강의 노트의 방식). Keras는 자연로그를 씁니다.",
            hint_en="Use math.log, not math.log2.",
            hint_ko="math.log2 대신 math.log를 쓰세요.",
        )
    if _close(number, math.log(0.9)):
        return wrong(
            en="The sign is wrong: a loss is never negative.",
            ko="부호가 틀렸습니다: 손실은 음수가 될 수 없습니다.",
            hint_en="Cross-entropy has a minus in front: −(y log p + (1 − y) log(1 − p)).",
            hint_ko="교차 엔트로피는 앞에 마이너스가 붙습니다: −(y log p + (1 − y) log(1 − p)).",
        )
    if _close(number, 0.1) or _close(number, 0.01):
        return wrong(
            en="That is the error (or its square), not the cross-entropy.",
            ko="그것은 교차 엔트로피가 아니라 오차(또는 그 제곱)입니다.",
            hint_en="Cross-entropy takes logarithms of the probabilities.",
            hint_ko="교차 엔트로피는 확률에 로그를 취합니다.",
        )
    return wrong(
        en=f"{number:g} is not the cross-entropy.",
        ko=f"교차 엔트로피 값이 아닙니다: {number:g}",
        hint_en="−(y · ln p + (1 − y) · ln(1 − p)) with y = 0 and p = 0.1.",
        hint_ko="y = 0, p = 0.1로 −(y · ln p + (1 − y) · ln(1 − p))를 계산하세요.",
    )


def _loss_name(answer):
    """A loss name without case, underscores or spaces, from a string, a loss class, a loss
    object or a loss function; None for anything else."""
    if isinstance(answer, str):
        text = answer
    elif isinstance(answer, type):
        text = answer.__name__
    elif hasattr(answer, "call") and hasattr(answer, "reduction"):  # a Loss object
        text = type(answer).__name__
    elif callable(answer) and hasattr(answer, "__name__"):
        text = answer.__name__
    else:
        return None
    return re.sub(r"[^a-z]", "", text.lower())


@register(
    "04.2",
    title_en="The loss for integer class labels",
    title_ko="정수 클래스 레이블에 쓰는 손실 함수",
    question_en="""
        A model classifies the digits 0-9 with a Dense(10, activation="softmax") output, and the
        labels are integers such as 7. Which loss do you pass to compile? (Its Keras name.)
    """,
    question_ko="""
        어떤 모델이 Dense(10, activation="softmax") 출력층으로 숫자 0-9를 분류하고, 레이블은
        7처럼 정수입니다. compile에 어떤 손실 함수를 넘깁니까? (Keras에서 쓰는 이름으로)
    """,
    solution_en="""
        answer = "sparse_categorical_crossentropy"
    """,
)
def loss_for_integer_labels(answer):
    name = _loss_name(answer)
    if name is None:
        return wrong(
            en=f"Your answer {answer!r} is not a loss name.",
            ko=f"답이 손실 함수 이름이 아닙니다: {answer!r}",
            hint_en='Give the name as text, e.g. "mse".',
            hint_ko='이름을 문자열로 쓰세요. 예: "mse".',
        )
    if name == "sparsecategoricalcrossentropy":
        return correct(
            en="Integer labels with a softmax output: sparse_categorical_crossentropy, "
            "the same value as categorical_crossentropy on one-hot labels.",
            ko="정수 레이블과 소프트맥스 출력에는 sparse_categorical_crossentropy를 씁니다. "
            "원-핫 레이블에 categorical_crossentropy를 쓴 것과 값이 같습니다.",
        )
    if name == "categoricalcrossentropy":
        return wrong(
            en="categorical_crossentropy expects one-hot labels such as [0, ..., 1, ...], "
            "not the integer 7.",
            ko="categorical_crossentropy는 정수 7이 아니라 [0, ..., 1, ...] 같은 원-핫 "
            "레이블을 받습니다.",
            hint_en="There is a variant for integer labels; its name starts with 'sparse'.",
            hint_ko="정수 레이블용 변형이 있습니다. 이름이 'sparse'로 시작합니다.",
        )
    if name == "binarycrossentropy":
        return wrong(
            en="binary_crossentropy is for two classes (or independent yes/no labels) "
            "with sigmoid outputs.",
            ko="binary_crossentropy는 시그모이드 출력을 쓰는 두 클래스(또는 서로 독립인 "
            "예/아니요 레이블)용입니다.",
            hint_en="Here there are 10 exclusive classes.",
            hint_ko="여기에는 서로 배타적인 클래스가 10개 있습니다.",
        )
    if name in ("mse", "meansquarederror", "mae", "meanabsoluteerror"):
        return wrong(
            en="That is a regression loss: it would treat class 7 as closer to 8 than to 1.",
            ko="그것은 회귀용 손실입니다: 클래스 7이 1보다 8에 더 가깝다고 보게 됩니다.",
            hint_en="Classes need a cross-entropy loss.",
            hint_ko="클래스를 맞히려면 교차 엔트로피 손실이 필요합니다.",
        )
    if "crossentropy" in name:
        return wrong(
            en=f"{answer!r} is not the exact name.",
            ko=f"정확한 이름이 아닙니다: {answer!r}",
            hint_en="It is a categorical cross-entropy for integer (sparse) labels.",
            hint_ko="정수(sparse) 레이블용 범주형 교차 엔트로피(categorical cross-entropy)입니다.",
        )
    return wrong(
        en=f"{answer!r} is not the loss to use.",
        ko=f"여기에 쓸 손실 함수가 아닙니다: {answer!r}",
        hint_en="Softmax outputs with integer labels: a cross-entropy for sparse labels.",
        hint_ko="소프트맥스 출력에 정수 레이블이면 sparse 레이블용 교차 엔트로피입니다.",
    )


def _sigmoid(z):
    return 1 / (1 + math.exp(-z))


@register(
    "04.3",
    title_en="Cross-entropy's gradient at the logit",
    title_ko="로짓에 대한 교차 엔트로피의 기울기",
    question_en="""
        A sigmoid output with logit z = -3 and label y = 1, trained with binary cross-entropy:
        what is dL/dz for this one sample? (A number.)
    """,
    question_ko="""
        시그모이드 출력의 로짓(logit)이 z = -3, 레이블이 y = 1이고 이항 교차 엔트로피로
        학습합니다. 이 샘플 하나의 dL/dz는 얼마입니까? (숫자 하나)
    """,
    solution_en="""
        import math

        p = 1 / (1 + math.exp(3))    # sigmoid(-3)
        answer = p - 1               # sigmoid + cross-entropy: dL/dz = p - y
    """,
    solution_ko="""
        import math

        p = 1 / (1 + math.exp(3))    # sigmoid(-3)의 값
        answer = p - 1               # 시그모이드 + 교차 엔트로피: dL/dz = p - y
    """,
)
def ce_logit_gradient(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    p = _sigmoid(-3)
    if _close(number, p - 1):
        return correct(
            en="dL/dz = p − y = σ(−3) − 1 ≈ −0.9526: almost the full error, so the "
            "wrong prediction gets a strong correction.",
            ko="dL/dz = p − y = σ(−3) − 1 ≈ −0.9526: 오차가 거의 그대로 전해지므로 틀린 "
            "예측이 크게 바로잡힙니다.",
        )
    if _close(number, 1 - p):
        return wrong(
            en="The sign is flipped: you computed y − p.",
            ko="부호가 반대입니다: y − p를 계산했습니다.",
            hint_en="Increasing z brings p towards 1 and lowers the loss: the slope is negative.",
            hint_ko="z를 키우면 p가 1에 가까워지고 손실이 줄어듭니다: 기울기는 음수입니다.",
        )
    if _close(number, 2 * (p - 1) * p * (1 - p)):
        return wrong(
            en="That is the MSE gradient, multiplied by the sigmoid's slope.",
            ko="그것은 시그모이드의 기울기가 곱해진 MSE의 기울기입니다.",
            hint_en="With cross-entropy the sigmoid's slope cancels: dL/dz = p − y.",
            hint_ko="교차 엔트로피를 쓰면 시그모이드의 기울기가 약분되어 사라집니다: dL/dz = p − "
            "y.",
        )
    if _close(number, (p - 1) * p * (1 - p)):
        return wrong(
            en="You multiplied p − y by the sigmoid's slope p(1 − p); with cross-entropy "
            "that factor cancels.",
            ko="p − y에 시그모이드의 기울기 p(1 − p)를 곱했습니다. 교차 엔트로피를 쓰면 그 "
            "인수는 약분되어 사라집니다.",
            hint_en="dL/dz = p − y.",
            hint_ko="dL/dz = p − y입니다.",
        )
    if _close(number, p):
        return wrong(
            en="That is the prediction p = σ(−3), not the gradient.",
            ko="그것은 기울기가 아니라 예측값 p = σ(−3)입니다.",
            hint_en="Subtract the label: p − y.",
            hint_ko="레이블을 빼세요: p − y.",
        )
    if _close(number, -math.log(p)):
        return wrong(
            en="That is the loss itself, not its gradient.",
            ko="그것은 기울기가 아니라 손실 자체입니다.",
            hint_en="dL/dz = p − y.",
            hint_ko="dL/dz = p − y입니다.",
        )
    if _close(number, -1.0) or _close(number, -4.0):
        return wrong(
            en="Use the probability p = σ(z), not the logit z.",
            ko="로짓 z가 아니라 확률 p = σ(z)를 쓰세요.",
            hint_en="p = 1 / (1 + e³) ≈ 0.0474.",
            hint_ko="p = 1 / (1 + e³) ≈ 0.0474입니다.",
        )
    return wrong(
        en=f"{number:g} is not dL/dz.",
        ko=f"dL/dz가 아닙니다: {number:g}",
        hint_en="Compute p = σ(−3), then p − y.",
        hint_ko="p = σ(−3)을 구한 다음 p − y를 계산하세요.",
    )


# 04.4: a line through 40 points, 4 of them outliers far above it; three lines the learner's
# function has not seen (so a hard-coded answer fails).
TRUE_LINES = [(2.0, 1.0), (-1.0, 5.0), (0.5, -2.0)]
SLOPE_TOLERANCE, INTERCEPT_TOLERANCE = 0.15, 0.6


def _line_with_outliers(slope, intercept, seed, n=40, outliers=4):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, n).astype("float32")
    y = (slope * x + intercept + rng.normal(0, 0.5, n)).astype("float32")
    y[rng.choice(n, outliers, replace=False)] += rng.uniform(20, 40, outliers).astype("float32")
    return x, y


def _slope_and_intercept(returned):
    """(slope, intercept) as two floats from what the learner's function returned."""
    numbers = (
        [as_number(np.squeeze(np.asarray(part))) for part in returned]
        if isinstance(returned, (tuple, list))
        else []
    )
    if len(numbers) != 2 or None in numbers:
        if isinstance(returned, (tuple, list)):
            what_en, what_ko = f"{len(returned)} values", f"값 {len(returned)}개를"
        else:
            kind = type(returned).__name__
            what_en, what_ko = f"a {kind}", f"{kind}을(를)"
        raise AnswerFailed(
            wrong(
                en=f"Your function returned {what_en}; it should return two numbers, "
                "(slope, intercept).",
                ko=f"함수가 {what_ko} 돌려주었습니다. 숫자 두 개 (slope, intercept)를 "
                "돌려주어야 합니다.",
                hint_en="After fit: kernel, bias = line.get_weights(); "
                "return float(kernel[0, 0]), float(bias[0]).",
                hint_ko="fit 다음에 kernel, bias = line.get_weights()로 꺼내 "
                "float(kernel[0, 0]), float(bias[0])를 돌려주세요.",
            )
        )
    return numbers


def _fit_lines(fit_line):
    """The learner's (slope, intercept) on each data set, from a fixed random state."""
    from dlcourse.utils import set_random_seed

    fitted = []
    for seed, (slope, intercept) in enumerate(TRUE_LINES):
        x, y = _line_with_outliers(slope, intercept, seed=100 + seed)
        set_random_seed(seed)
        fitted.append(_slope_and_intercept(call_answer(fit_line, x.copy(), y.copy())))
    return fitted


def _close_to(fitted, lines):
    return all(
        abs(slope - true_slope) < SLOPE_TOLERANCE
        and abs(intercept - true_intercept) < INTERCEPT_TOLERANCE
        for (slope, intercept), (true_slope, true_intercept) in zip(fitted, lines)
    )


@register(
    "04.4",
    title_en="A line that outliers do not pull",
    title_ko="이상치에 끌려가지 않는 직선",
    question_en="""
        Write fit_line(x, y) that fits a straight line to the points (x, y) with a dlcourse
        model and returns (slope, intercept). The checker runs it on three new data sets, each
        a different line with 4 outliers among 40 points, and wants every slope within 0.15
        and every intercept within 0.6 of the true line.
    """,
    question_ko="""
        점 (x, y)에 dlcourse 모델로 직선을 맞추고 (slope, intercept)를 돌려주는 함수
        fit_line(x, y)를 작성하세요. 채점기는 새 데이터 세트 세 개(각각 다른 직선, 점 40개 중
        이상치 4개)에서 함수를 실행하고, 기울기는 참값에서 0.15 이내, 절편은 0.6 이내인지
        봅니다.
    """,
    solution_en="""
        from dlcourse import optimizers
        from dlcourse.layers import Dense, Input
        from dlcourse.models import Sequential

        def fit_line(x, y):
            line = Sequential([Input(shape=(1,)), Dense(1)])
            # MAE: every point pulls with the same strength, so 4 outliers are 4 votes of 40
            line.compile(loss="mae", optimizer=optimizers.Adam(learning_rate=0.1))
            line.fit(x[:, None], y, epochs=300, batch_size=len(x), verbose=0)
            kernel, bias = line.get_weights()
            return float(kernel[0, 0]), float(bias[0])

        answer = fit_line
    """,
    solution_ko="""
        from dlcourse import optimizers
        from dlcourse.layers import Dense, Input
        from dlcourse.models import Sequential

        def fit_line(x, y):
            line = Sequential([Input(shape=(1,)), Dense(1)])
            # MAE: 모든 점이 같은 세기로 당기므로 이상치 4개는 40표 중 4표입니다
            line.compile(loss="mae", optimizer=optimizers.Adam(learning_rate=0.1))
            line.fit(x[:, None], y, epochs=300, batch_size=len(x), verbose=0)
            kernel, bias = line.get_weights()
            return float(kernel[0, 0]), float(bias[0])

        answer = fit_line
    """,
)
def robust_line(answer):
    fitted = keeping_random_state(lambda: _fit_lines(answer))
    found = ", ".join(f"({slope:.2f}, {intercept:.2f})" for slope, intercept in fitted)
    wanted = ", ".join(f"({slope:g}, {intercept:g})" for slope, intercept in TRUE_LINES)
    if _close_to(fitted, TRUE_LINES):
        return correct(
            en=f"(slope, intercept) {found} for the true lines {wanted}: the outliers did not "
            "pull your line.",
            ko=f"참 직선 {wanted}에 대해 (slope, intercept)가 {found}입니다: 이상치가 직선을 "
            "끌어당기지 못했습니다.",
        )
    said_en = f"Your (slope, intercept): {found}; the true lines: {wanted}."
    said_ko = f"함수의 (slope, intercept)는 {found}이고, 참 직선은 {wanted}입니다."
    least_squares = [
        tuple(np.polyfit(*_line_with_outliers(slope, intercept, seed=100 + seed), 1))
        for seed, (slope, intercept) in enumerate(TRUE_LINES)
    ]
    if _close_to(fitted, least_squares):
        return wrong(
            en=f"{said_en} That is the least-squares line (MSE): the outliers pulled it up.",
            ko=f"{said_ko} 최소제곱 직선(MSE)입니다: 이상치가 직선을 위로 끌어당겼습니다.",
            hint_en="MSE's gradient grows with the error, so the outliers pull hardest. Use "
            "a loss whose gradient has the same size for every point.",
            hint_ko="MSE의 기울기는 오차에 비례해 커지므로 이상치가 가장 세게 당깁니다. 모든 "
            "점에서 기울기의 크기가 같은 손실 함수를 쓰세요.",
        )
    return wrong(
        en=f"{said_en} Your line does not fit the 36 ordinary points either.",
        ko=f"{said_ko} 보통 점 36개에도 맞지 않는 직선입니다.",
        hint_en="Train long enough to converge (e.g. Adam at learning rate 0.1 for 300 "
        "epochs on the whole batch), and use a loss that outliers do not dominate.",
        hint_ko="수렴할 만큼 충분히 학습시키고(예: 배치 전체로 Adam, 학습률 0.1, 300 "
        "에포크), 이상치에 휘둘리지 않는 손실 함수를 쓰세요.",
    )
