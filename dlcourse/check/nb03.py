"""Exercises of notebook 03 (activations and initialization): slopes, vanishing, He's scale."""

import math

from dlcourse.check._registry import as_number, correct, not_a_number, register, wrong


def _close(number, target, rel=1e-3):
    return math.isclose(number, target, rel_tol=rel, abs_tol=1e-12)


@register(
    "03.1",
    title_en="The sigmoid's largest slope",
    title_ko="시그모이드의 가장 큰 기울기",
    question_en="What is the largest value the derivative of the sigmoid takes?",
    question_ko="시그모이드(sigmoid)의 도함수가 가질 수 있는 가장 큰 값은 얼마입니까?",
    solution_en="""
        # sigmoid'(x) = s(1 - s) with s = sigmoid(x); largest at x = 0, where s = 0.5
        answer = 0.5 * (1 - 0.5)
    """,
    solution_ko="""
        # s = sigmoid(x)일 때 sigmoid'(x) = s(1 - s); s = 0.5인 x = 0에서 가장 큽니다
        answer = 0.5 * (1 - 0.5)
    """,
)
def sigmoid_max_slope(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if _close(number, 0.25):
        return correct(
            en="σ'(x) = σ(x)(1 − σ(x)) peaks at x = 0: 0.5 × 0.5 = 0.25.",
            ko="σ'(x) = σ(x)(1 − σ(x))는 x = 0에서 가장 큽니다: 0.5 × 0.5 = 0.25.",
        )
    if _close(number, 0.5):
        return wrong(
            en="0.5 is the sigmoid's VALUE at 0, not its slope.",
            ko="0.5는 x = 0에서 시그모이드의 기울기가 아니라 함숫값입니다.",
            hint_en="Use σ'(x) = σ(x)(1 − σ(x)) at x = 0.",
            hint_ko="x = 0에서 σ'(x) = σ(x)(1 − σ(x))를 계산하세요.",
        )
    if _close(number, 1.0):
        return wrong(
            en="1 is the largest slope of tanh (and ReLU's slope), not the sigmoid's.",
            ko="1은 tanh의 가장 큰 기울기(그리고 ReLU의 기울기)이지, 시그모이드의 것이 아닙니다.",
            hint_en="σ'(x) = σ(x)(1 − σ(x)); evaluate it where σ(x) = 0.5.",
            hint_ko="σ'(x) = σ(x)(1 − σ(x))를 σ(x) = 0.5인 곳에서 계산하세요.",
        )
    return wrong(
        en=f"{number:g} is not the largest slope.",
        ko=f"가장 큰 기울기가 아닙니다: {number:g}",
        hint_en="Differentiate σ(x) = 1/(1+e^−x): σ' = σ(1 − σ). Where is that largest?",
        hint_ko="σ(x) = 1/(1+e^−x)를 미분하면 σ' = σ(1 − σ)입니다. 이 값은 어디에서 가장 큽니까?",
    )


@register(
    "03.2",
    title_en="What is left after 10 sigmoid layers",
    title_ko="시그모이드 층 10개를 지나면 남는 기울기",
    question_en="""
        Backpropagating through 10 sigmoid layers multiplies the gradient by the sigmoid's
        slope 10 times. Ignoring the weights, at most what factor is left?
    """,
    question_ko="""
        시그모이드 층 10개를 거슬러 역전파하면 기울기에 시그모이드의 기울기가 10번 곱해집니다.
        가중치는 무시할 때, 남는 배율은 최대 얼마입니까?
    """,
    solution_en="""
        answer = 0.25 ** 10   # about 9.5e-07: less than a millionth
    """,
    solution_ko="""
        answer = 0.25 ** 10   # 약 9.5e-07: 백만분의 1보다 작습니다
    """,
)
def ten_sigmoid_layers(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if _close(number, 0.25**10):
        return correct(
            en="0.25¹⁰ ≈ 9.5e-07: at best a millionth of the gradient reaches the first layer.",
            ko="0.25¹⁰ ≈ 9.5e-07: 첫 번째 층에는 기울기의 기껏해야 백만분의 1만 도달합니다"
            "(기울기 소실, vanishing gradient).",
        )
    if _close(number, 0.25 * 10):
        return wrong(
            en="You multiplied 0.25 by 10; the slopes multiply each other.",
            ko="0.25에 10을 곱했습니다. 기울기들은 서로 곱해집니다.",
            hint_en="Ten factors of 0.25: a power.",
            hint_ko="0.25를 열 번 곱합니다: 거듭제곱입니다.",
        )
    if _close(number, 0.5**10):
        return wrong(
            en="0.5 is the sigmoid's value at 0, not its largest slope.",
            ko="0.5는 x = 0에서 시그모이드의 함숫값이지, 가장 큰 기울기가 아닙니다.",
            hint_en="The largest slope is 0.25 (exercise 03.1).",
            hint_ko="가장 큰 기울기는 0.25입니다(연습문제 03.1).",
        )
    if _close(number, 0.25):
        return wrong(
            en="That is one layer's factor.",
            ko="그것은 층 하나의 배율입니다.",
            hint_en="There are 10 layers in a row.",
            hint_ko="층 10개가 연달아 있습니다.",
        )
    if _close(number, 4**10):
        return wrong(
            en="The gradient shrinks, so the factor is below 1.",
            ko="기울기는 줄어들므로 배율은 1보다 작습니다.",
            hint_en="0.25 to the 10th.",
            hint_ko="0.25의 10제곱입니다.",
        )
    return wrong(
        en=f"{number:g} is not the factor.",
        ko=f"그 배율이 아닙니다: {number:g}",
        hint_en="Multiply the largest slope by itself once per layer.",
        hint_ko="층마다 한 번씩, 가장 큰 기울기를 거듭 곱하세요.",
    )


@register(
    "03.3",
    title_en="He initialization's scale",
    title_ko="He 초기화의 표준편차",
    question_en="""
        What standard deviation does He initialization give the weights of a Dense(100) layer
        that has 50 inputs? (The untruncated sigma, a number.)
    """,
    question_ko="""
        입력이 50개인 Dense(100) 층의 가중치에 He 초기화(He initialization)는 어떤
        표준편차를 줍니까? (절단하기 전의 sigma, 숫자 하나)
    """,
    solution_en="""
        import math

        fan_in = 50
        answer = math.sqrt(2 / fan_in)   # 0.2
    """,
    solution_ko="""
        import math

        fan_in = 50
        answer = math.sqrt(2 / fan_in)   # 0.2입니다
    """,
)
def he_scale(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if _close(number, 0.2):
        return correct(
            en="σ = √(2 / fan_in) = √(2/50) = 0.2; the 2 makes up for ReLU zeroing half of its "
            "inputs.",
            ko="σ = √(2 / fan_in) = √(2/50) = 0.2; 분자의 2는 ReLU가 입력의 절반을 0으로 "
            "만드는 것을 메웁니다.",
        )
    if _close(number, 2 / 50):
        return wrong(
            en="0.04 is the variance; the standard deviation is its square root.",
            ko="0.04는 분산입니다. 표준편차는 그 제곱근입니다.",
            hint_en="σ = √(2 / fan_in).",
            hint_ko="σ = √(2 / fan_in)입니다.",
        )
    if _close(number, math.sqrt(2 / 150)):
        return wrong(
            en="That is Glorot's σ = √(2 / (fan_in + fan_out)).",
            ko="그것은 Glorot(Xavier) 초기화의 σ = √(2 / (fan_in + fan_out))입니다.",
            hint_en="He uses the fan-in alone: √(2 / fan_in).",
            hint_ko="He 초기화는 fan-in만 씁니다: √(2 / fan_in).",
        )
    if _close(number, math.sqrt(2 / 100)):
        return wrong(
            en="You used the 100 units (or LeCun's √(1/fan_in)); He uses the 50 inputs with "
            "a factor 2.",
            ko="유닛 100개를 썼습니다(또는 LeCun의 √(1/fan_in)). He 초기화는 입력 50개와 "
            "인수 2를 씁니다.",
            hint_en="σ = √(2 / fan_in) with fan_in = 50.",
            hint_ko="fan_in = 50으로 σ = √(2 / fan_in)을 계산하세요.",
        )
    return wrong(
        en=f"{number:g} is not He's σ.",
        ko=f"He 초기화의 σ가 아닙니다: {number:g}",
        hint_en="σ = √(2 / fan_in); fan_in is the number of inputs.",
        hint_ko="σ = √(2 / fan_in)이고, fan_in은 입력의 개수입니다.",
    )
