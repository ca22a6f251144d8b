"""Exercises of notebook 03 (activations and initialization): slopes, vanishing, He's scale,
and an experiment: make a deep network learn by choosing its hidden layers."""

import math
from dataclasses import dataclass

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
            hint_ko="가장 큰 기울기는 0.25입니다(연습 문제 03.1).",
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


# 03.4: the 10-layer network of "Vanishing gradients, measured", with the learner's hidden layers.
DEPTH, UNITS, EPOCHS, SEEDS = 10, 32, 8, (0, 1, 2)
GOOD_ACCURACY = 0.85  # the majority class alone scores 0.62


@dataclass
class DeepRun:
    accuracy: float  # validation accuracy after training
    shrink: float  # last hidden layer's kernel gradient / the first's, at the start
    last_spread: float  # standard deviation of the last hidden layer's outputs, at the start
    final_loss: float


def _hidden_layers(hidden_layer):
    """DEPTH layers from the learner's function, each checked to be a new Dense(UNITS)."""
    from dlcourse.layers import Dense

    layers = [call_answer(hidden_layer, UNITS) for _ in range(DEPTH)]
    first = layers[0]
    if not isinstance(first, Dense):
        kind = type(first).__name__
        raise AnswerFailed(
            wrong(
                en=f"Your function returned a {kind}; it should return a Dense layer.",
                ko=f"함수가 {kind}을(를) 돌려주었습니다. Dense 층을 돌려주어야 합니다.",
                hint_en="End it with "
                "`return Dense(units, activation=..., kernel_initializer=...)`.",
                hint_ko="`return Dense(units, activation=..., kernel_initializer=...)`로 끝내세요.",
            )
        )
    if len({id(layer) for layer in layers}) < DEPTH:
        raise AnswerFailed(
            wrong(
                en="Your function returned the same layer object on every call, so the 10 "
                "layers would share one set of weights.",
                ko="함수가 호출될 때마다 같은 층 객체를 돌려주어, 층 10개가 가중치 한 벌을 "
                "함께 쓰게 됩니다.",
                hint_en="Create the Dense layer inside the function: a new one per call.",
                hint_ko="Dense 층을 함수 안에서 만드세요: 호출할 때마다 새 층을 만듭니다.",
            )
        )
    if first.units != UNITS:
        raise AnswerFailed(
            wrong(
                en=f"Asked for {UNITS} units, your function made a Dense({first.units}).",
                ko=f"유닛 {UNITS}개를 요청했는데 함수가 Dense({first.units})를 만들었습니다.",
                hint_en="Pass the argument on: Dense(units, ...).",
                hint_ko="인자를 그대로 넘기세요: Dense(units, ...).",
            )
        )
    return layers


def _train_deep_network(hidden_layer, seed):
    """Build and train the deep network on breast cancer with one seed; a DeepRun."""
    from dlcourse import datasets, optimizers
    from dlcourse.layers import Dense, Input
    from dlcourse.models import Sequential
    from dlcourse.utils import set_random_seed

    (x, y), (x_val, y_val), _ = datasets.load_breast_cancer()
    set_random_seed(seed)
    layers = _hidden_layers(hidden_layer)
    try:
        model = Sequential([Input(shape=(30,)), *layers, Dense(1, activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer=optimizers.SGD(learning_rate=0.05))
        _, grads = model.compute_gradients(x, y)
        norms = [np.linalg.norm(g) for g in grads[0::2]]  # the kernels' gradients
        h = x
        for layer in layers:
            h = layer(h)
        with np.errstate(all="ignore"):
            history = model.fit(x, y, epochs=EPOCHS, batch_size=32, verbose=0).history
            accuracy = float(np.mean((model.predict(x_val, verbose=0).ravel() > 0.5) == y_val))
    except Exception as error:  # the learner's layer: any error becomes feedback
        raise AnswerFailed(
            wrong(
                en=f"Training the network with your layers raised {type(error).__name__}: {error}",
                ko=f"이 층들로 신경망을 학습하니 {type(error).__name__} 오류가 났습니다: {error}",
                hint_en="Use a built-in activation name and initializer, e.g. "
                'Dense(units, activation="tanh", kernel_initializer="glorot_uniform").',
                hint_ko="내장 활성화 함수 이름과 초기화 방법을 쓰세요. 예: "
                'Dense(units, activation="tanh", kernel_initializer="glorot_uniform").',
            )
        ) from error
    return DeepRun(accuracy, norms[-2] / norms[0], float(np.std(h)), history["loss"][-1])


@register(
    "03.4",
    title_en="Make the deep network learn",
    title_ko="깊은 신경망이 학습하게 만들기",
    question_en="""
        Write a function hidden_layer(units) that returns one hidden Dense(units, ...) layer;
        choose its activation and kernel_initializer. The checker puts 10 of them (32 units
        each) between the breast-cancer inputs and a sigmoid output, trains the network with
        SGD (learning rate 0.05) for 8 epochs on three seeds, and wants a validation accuracy
        of at least 0.85 on each.
    """,
    question_ko="""
        은닉층 Dense(units, ...) 하나를 돌려주는 함수 hidden_layer(units)를 작성하세요.
        활성화 함수와 kernel_initializer를 고릅니다. 채점기는 이 층 10개(각 유닛 32개)를
        유방암 데이터 입력과 시그모이드 출력 사이에 쌓고, SGD(학습률 0.05)로 시드 세 개에서
        각각 8 에포크 학습시킨 뒤, 시드마다 검증 정확도가 0.85 이상인지 봅니다.
    """,
    solution_en="""
        from dlcourse.layers import Dense

        def hidden_layer(units):
            # ReLU keeps a slope of 1; He's scale keeps its outputs' spread layer after layer
            return Dense(units, activation="relu", kernel_initializer="he_normal")

        answer = hidden_layer
    """,
    solution_ko="""
        from dlcourse.layers import Dense

        def hidden_layer(units):
            # ReLU는 기울기 1을 유지하고, He 초기화는 층을 지나도 출력의 퍼짐을 유지합니다
            return Dense(units, activation="relu", kernel_initializer="he_normal")

        answer = hidden_layer
    """,
)
def deep_network_learns(answer):
    runs = keeping_random_state(lambda: [_train_deep_network(answer, seed) for seed in SEEDS])
    accuracies = ", ".join(f"{run.accuracy:.2f}" for run in runs)
    shrink = max(run.shrink for run in runs)
    if all(run.accuracy >= GOOD_ACCURACY for run in runs):
        factor = max(max(run.shrink, 1 / run.shrink) for run in runs)
        return correct(
            en=f"validation accuracy {accuracies} on the three seeds, and the first and the "
            f"last hidden layers' gradients differ by at most a factor of {factor:.2g} (with "
            f"sigmoid and Glorot, about 100,000).",
            ko=f"시드 세 개에서 검증 정확도 {accuracies}이고, 첫 번째와 마지막 은닉층의 "
            f"기울기 차이는 많아야 {factor:.2g}배입니다(시그모이드와 Glorot 초기화로는 약 "
            f"100,000배).",
        )
    said_en = f"Validation accuracy {accuracies} on the three seeds; each needs {GOOD_ACCURACY}."
    said_ko = f"시드 세 개에서 검증 정확도가 {accuracies}입니다. {GOOD_ACCURACY} 이상이어야 합니다."
    if shrink > 1000:
        return wrong(
            en=f"{said_en} The first hidden layer's gradient is up to {shrink:.2g} times "
            f"smaller than the last hidden layer's: the gradient vanishes, so the first "
            f"layers hardly move.",
            ko=f"{said_ko} 첫 번째 은닉층의 기울기가 마지막 은닉층의 기울기보다 최대 "
            f"{shrink:.2g}배 작습니다: 기울기가 소실되어 앞쪽 층들이 거의 학습되지 않습니다.",
            hint_en="Choose an activation whose slope does not shrink the gradient at every "
            "layer (relu with he_normal, or tanh with glorot_uniform).",
            hint_ko="층마다 기울기를 줄이지 않는 활성화 함수를 고르세요(relu와 he_normal, "
            "또는 tanh와 glorot_uniform).",
        )
    if any(not np.isfinite(run.final_loss) for run in runs):
        return wrong(
            en=f"{said_en} The loss became inf or nan: the starting weights are so large that "
            f"the outputs explode.",
            ko=f"{said_ko} 손실이 inf 또는 nan이 되었습니다: 초기 가중치가 너무 커서 출력이 "
            f"폭발합니다.",
            hint_en="Use a scale made for the activation: he_normal for relu.",
            hint_ko="활성화 함수에 맞춘 초기화를 쓰세요: relu에는 he_normal.",
        )
    if min(run.last_spread for run in runs) < 1e-3:
        return wrong(
            en=f"{said_en} At the start the last hidden layer's outputs are all about 0 "
            f"(standard deviation below 0.001): the initial weights are too small for 10 layers.",
            ko=f"{said_ko} 처음에 마지막 은닉층의 출력이 모두 0에 가깝습니다(표준편차 0.001 "
            f"미만): 층 10개에 비해 초기 가중치가 너무 작습니다.",
            hint_en="Let the initializer follow the fan-in: he_normal (relu) or glorot_uniform "
            "(tanh).",
            hint_ko="fan-in에 맞추는 초기화를 쓰세요: he_normal(relu) 또는 glorot_uniform(tanh).",
        )
    return wrong(
        en=f"{said_en} It does not learn on every seed.",
        ko=f"{said_ko} 모든 시드에서 학습되지는 않습니다.",
        hint_en="Pair the activation with its initializer: relu with he_normal, tanh with "
        "glorot_uniform.",
        hint_ko="활성화 함수와 초기화를 짝지으세요: relu에는 he_normal, tanh에는 glorot_uniform.",
    )
