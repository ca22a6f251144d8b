"""Exercises of notebook 02 (the first network): parameter counts, weight shapes, backprop."""

import numpy as np

from dlcourse.check._registry import (
    as_number,
    call_answer,
    correct,
    not_a_number,
    register,
    wrong,
    wrong_if_known,
)

CHURN_PARAMS = (45 * 64 + 64) + (64 * 64 + 64) + (64 * 1 + 1)  # 7169


@register(
    "02.1",
    title_en="Parameters of the churn model",
    title_ko="고객 이탈 모델의 파라미터 수",
    question_en="""
        The churn model of the lecture notes is
        Sequential([Input(shape=(45,)), Dense(64), Dense(64), Dense(1)]).
        How many trainable parameters does it have?
    """,
    question_ko="""
        강의 노트의 고객 이탈(churn) 예측 모델은
        Sequential([Input(shape=(45,)), Dense(64), Dense(64), Dense(1)])입니다.
        학습 가능한 파라미터(trainable parameter)는 몇 개입니까?
    """,
    solution_en="""
        layers = [(45, 64), (64, 64), (64, 1)]          # (inputs, units) of each Dense
        answer = sum(n_in * units + units for n_in, units in layers)
    """,
    solution_ko="""
        layers = [(45, 64), (64, 64), (64, 1)]          # Dense 층마다 (inputs, units)
        answer = sum(n_in * units + units for n_in, units in layers)
    """,
)
def churn_parameter_count(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, wanted_en="one whole number", wanted_ko="정수 하나")
    if number == CHURN_PARAMS:
        return correct(
            en="2,944 + 4,160 + 65 = 7,169: each layer has inputs × units weights "
            "plus one bias per unit.",
            ko="2,944 + 4,160 + 65 = 7,169: 층마다 inputs × units개의 가중치와 "
            "유닛마다 하나씩인 편향이 있습니다.",
        )
    mistakes = {
        45 * 64 + 64 * 64 + 64: wrong(
            en="You counted the weights but not the biases (129 of them).",
            ko="가중치만 세고 편향(bias) 129개는 세지 않았습니다.",
            hint_en="Each Dense layer adds one bias per unit: 64 + 64 + 1.",
            hint_ko="Dense 층마다 유닛당 편향이 하나씩 더해집니다: 64 + 64 + 1.",
        ),
        45 * 64 + 64: wrong(
            en="That is the first layer only.",
            ko="첫 번째 층만 센 값입니다.",
            hint_en="Add the second Dense(64) (64 inputs) and the output Dense(1).",
            hint_ko="두 번째 Dense(64)(입력 64개)와 출력층 Dense(1)도 더하세요.",
        ),
        45 * 64 + 64 * 64 + 64 * 1 + 45 + 64 + 64: wrong(
            en="You gave a bias to each input; biases belong to the units.",
            ko="입력마다 편향을 하나씩 주었습니다. 편향은 유닛에 속합니다.",
            hint_en="The biases are 64 + 64 + 1, one per unit.",
            hint_ko="편향은 유닛마다 하나씩, 64 + 64 + 1개입니다.",
        ),
        45 + 64 + 64 + 1: wrong(
            en="That counts units (and inputs), not parameters.",
            ko="그것은 파라미터가 아니라 유닛(과 입력)의 개수입니다.",
            hint_en="Every unit has one weight for EACH of its inputs.",
            hint_ko="유닛마다 입력 하나하나에 가중치가 하나씩 있습니다.",
        ),
    }
    return wrong_if_known(
        number,
        mistakes,
        otherwise=wrong(
            en=f"{number:g} is not the parameter count.",
            ko=f"파라미터는 {number:g}개가 아닙니다.",
            hint_en="Per layer: inputs × units + units; the inputs of a layer are "
            "the units of the one before.",
            hint_ko="층마다 inputs × units + units개입니다. 한 층의 입력 수는 바로 앞 층의 "
            "유닛 수입니다.",
        ),
        rtol=0,
        atol=0,
    )


@register(
    "02.2",
    title_en="Shape of a kernel",
    title_ko="커널의 모양",
    question_en="""
        In the breast-cancer model of the lecture slides (30 -> Dense(100) -> Dense(24) ->
        Dense(1)), what is the shape of the kernel of the second Dense layer? Give a tuple.
    """,
    question_ko="""
        강의 자료의 유방암 모델(30 -> Dense(100) -> Dense(24) -> Dense(1))에서 두 번째
        Dense 층의 커널(kernel) 모양(shape)은 무엇입니까? 튜플로 답하세요.
    """,
    solution_en="""
        answer = (100, 24)  # (inputs = units of the layer before, units)
    """,
    solution_ko="""
        answer = (100, 24)  # (inputs = 앞 층의 유닛 수, units)
    """,
)
def second_kernel_shape(answer):
    if isinstance(answer, np.ndarray):
        answer = tuple(answer.tolist())
    if not isinstance(answer, (tuple, list)) or not all(
        isinstance(d, (int, np.integer)) and not isinstance(d, bool) for d in answer
    ):
        return wrong(
            en=f"Your answer {answer!r} is not a shape.",
            ko=f"답이 모양(shape)이 아닙니다: {answer!r}",
            hint_en="Write a tuple of whole numbers, e.g. (3, 4).",
            hint_ko="정수로 된 튜플을 쓰세요. 예: (3, 4).",
        )
    shape = tuple(int(d) for d in answer)
    if shape == (100, 24):
        return correct(
            en="100 inputs (the first layer's units) by 24 units: "
            "kernel[i, j] connects input i to unit j.",
            ko="입력 100개(첫 층의 유닛) × 유닛 24개: kernel[i, j]는 입력 i와 유닛 j를 잇습니다.",
        )
    if shape == (24, 100):
        return wrong(
            en="That is transposed: Keras kernels are (inputs, units), so that the layer "
            "computes x @ kernel.",
            ko="전치(transpose)되었습니다: Keras의 커널은 (inputs, units) 모양이어서 층이 "
            "x @ kernel을 계산합니다.",
            hint_en="x has shape (batch, 100); which kernel shape makes x @ kernel (batch, 24)?",
            hint_ko="x의 모양은 (batch, 100)입니다. 커널이 어떤 모양이어야 x @ kernel이 "
            "(batch, 24)가 됩니까?",
        )
    if shape == (24,):
        return wrong(
            en="That is the shape of the bias, one entry per unit.",
            ko="그것은 유닛마다 값이 하나인 편향(bias)의 모양입니다.",
            hint_en="The kernel has one weight per (input, unit) pair.",
            hint_ko="커널에는 (입력, 유닛) 쌍마다 가중치가 하나 있습니다.",
        )
    if shape in ((30, 100), (100, 30)):
        return wrong(
            en="That is the first layer's kernel.",
            ko="그것은 첫 번째 층의 커널입니다.",
            hint_en="The second layer's inputs are the first layer's 100 outputs.",
            hint_ko="두 번째 층의 입력은 첫 번째 층의 출력 100개입니다.",
        )
    if shape in ((24, 1), (1, 24)):
        return wrong(
            en="That is the output layer's kernel.",
            ko="그것은 출력층의 커널입니다.",
            hint_en="Look at the Dense(24) layer.",
            hint_ko="Dense(24) 층을 보세요.",
        )
    return wrong(
        en=f"{shape} is not the kernel's shape.",
        ko=f"커널의 모양이 아닙니다: {shape}",
        hint_en="A kernel has shape (number of inputs, number of units).",
        hint_ko="커널의 모양은 (입력 수, 유닛 수)입니다.",
    )


def _output_grads_reference(h, p, y):
    dz = (p - y) / len(h)
    return h.T @ dz, dz.sum(axis=0)


def _output_grads_case():
    rng = np.random.default_rng(7)
    h = rng.normal(size=(6, 4))
    z = h @ rng.normal(size=(4, 1))
    p = 1 / (1 + np.exp(-z))
    y = np.array([[1.0], [0.0], [1.0], [1.0], [0.0], [0.0]])
    return h, p, y


@register(
    "02.3",
    title_en="Gradients of a sigmoid output layer",
    title_ko="시그모이드 출력층의 기울기",
    question_en="""
        Write output_grads(h, p, y) returning (dW, db): the gradients of the MEAN binary
        cross-entropy with respect to the kernel (k, 1) and bias (1,) of a sigmoid output
        layer, given its input h (n, k), its output probabilities p (n, 1) and labels y (n, 1).
    """,
    question_ko="""
        시그모이드 출력층의 입력 h (n, k), 출력 확률 p (n, 1), 레이블 y (n, 1)가 주어질 때,
        평균 이항 교차 엔트로피(binary cross-entropy)의 커널 (k, 1)과 편향 (1,)에 대한
        기울기(gradient) (dW, db)를 돌려주는 함수 output_grads(h, p, y)를 작성하세요.
    """,
    solution_en="""
        def output_grads(h, p, y):
            dz = (p - y) / len(h)        # sigmoid + cross-entropy: dL/dz = (p - y) / n
            return h.T @ dz, dz.sum(axis=0)

        answer = output_grads
    """,
    solution_ko="""
        def output_grads(h, p, y):
            dz = (p - y) / len(h)        # 시그모이드 + 교차 엔트로피: dL/dz = (p - y) / n
            return h.T @ dz, dz.sum(axis=0)

        answer = output_grads
    """,
)
def output_layer_gradients(answer):
    h, p, y = _output_grads_case()
    result = call_answer(answer, h.copy(), p.copy(), y.copy())
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return wrong(
            en="Your function should return two arrays, (dW, db).",
            ko="함수는 배열 두 개 (dW, db)를 돌려주어야 합니다.",
            hint_en="End with `return dW, db`.",
            hint_ko="`return dW, db`로 끝내세요.",
        )
    dW, db = (np.asarray(part, dtype=float) for part in result)
    ref_dW, ref_db = _output_grads_reference(h, p, y)
    if dW.shape != ref_dW.shape:
        if dW.shape == ref_dW.T.shape:
            return wrong(
                en=f"dW has shape {dW.shape}, the kernel's transpose.",
                ko=f"dW의 모양은 {dW.shape}입니다. 커널을 전치(transpose)한 모양입니다.",
                hint_en="dW = h.T @ dz has the kernel's shape (k, 1).",
                hint_ko="dW = h.T @ dz는 커널과 같은 모양 (k, 1)입니다.",
            )
        return wrong(
            en=f"dW has shape {dW.shape}, but the kernel has shape {ref_dW.shape}.",
            ko=f"dW의 모양은 {dW.shape}인데, 커널의 모양은 {ref_dW.shape}입니다.",
            hint_en="Multiply h.T (k, n) by dz (n, 1).",
            hint_ko="h.T (k, n)와 dz (n, 1)를 곱하세요.",
        )
    if np.shape(db) not in (ref_db.shape, (1, 1), ()):
        return wrong(
            en=f"db has shape {db.shape}, but the bias has shape (1,).",
            ko=f"db의 모양은 {db.shape}인데, 편향의 모양은 (1,)입니다.",
            hint_en="Sum dz over the samples: dz.sum(axis=0).",
            hint_ko="dz를 샘플 방향으로 더하세요: dz.sum(axis=0).",
        )
    db = db.reshape(ref_db.shape)
    if np.allclose(dW, ref_dW) and np.allclose(db, ref_db):
        return correct(
            en="dz = (p - y) / n, then dW = hᵀ·dz and db = Σ dz: the Dense layer's backward pass.",
            ko="dz = (p - y) / n, 그다음 dW = hᵀ·dz, db = Σ dz: Dense 층의 역전파(backward "
            "pass)입니다.",
        )
    if np.allclose(dW, -ref_dW) and np.allclose(db, -ref_db):
        return wrong(
            en="The sign is flipped: you used (y - p).",
            ko="부호가 반대입니다: (y - p)를 썼습니다.",
            hint_en="The loss grows when p moves away from y; dL/dz = p - y (over n).",
            hint_ko="p가 y에서 멀어질수록 손실이 커지므로 dL/dz = p - y입니다(n으로 나눔).",
        )
    n = len(h)
    if np.allclose(dW, n * ref_dW) and np.allclose(db, n * ref_db):
        return wrong(
            en="These are the gradients of the SUM of the losses, n times too large.",
            ko="이것은 손실의 합(SUM)에 대한 기울기여서 n배 큽니다.",
            hint_en="The loss is the mean over the n samples: divide dz by n.",
            hint_ko="손실은 샘플 n개의 평균입니다: dz를 n으로 나누세요.",
        )
    if np.allclose(dW, ref_dW) and not np.allclose(db, ref_db):
        return wrong(
            en="dW is right but db is not.",
            ko="dW는 맞지만 db가 틀렸습니다.",
            hint_en="The bias adds to every sample: db is dz summed over the samples.",
            hint_ko="편향은 모든 샘플에 더해집니다: db는 dz를 샘플 방향으로 더한 값입니다.",
        )
    dz_chain = (p - y) * p * (1 - p) / n
    if np.allclose(dW, h.T @ dz_chain):
        return wrong(
            en="You multiplied by the sigmoid's derivative p(1 - p) as well.",
            ko="시그모이드의 도함수 p(1 - p)까지 곱했습니다.",
            hint_en="With cross-entropy that factor cancels: dL/dz = (p - y) / n.",
            hint_ko="교차 엔트로피와 함께 쓰면 그 인수는 약분되어 사라집니다: dL/dz = (p - y) / n.",
        )
    return wrong(
        en="The values are not the gradients.",
        ko="값이 기울기와 다릅니다.",
        hint_en="Start from dz = (p - y) / n; then dW = h.T @ dz and db = dz.sum(axis=0).",
        hint_ko="dz = (p - y) / n에서 시작해 dW = h.T @ dz와 db = dz.sum(axis=0)을 구하세요.",
    )


@register(
    "02.4",
    title_en="Cost of a numerical gradient",
    title_ko="수치 기울기의 계산 비용",
    question_en="""
        A numerical gradient with central differences evaluates the loss twice per parameter.
        How many loss evaluations does one gradient of the churn model of 02.1 need?
    """,
    question_ko="""
        중앙 차분(central difference)으로 구하는 수치 기울기(numerical gradient)는
        파라미터 하나마다 손실을 두 번 계산합니다. 02.1의 고객 이탈 모델에서 기울기를
        한 번 구하려면 손실을 몇 번 계산해야 합니까?
    """,
    solution_en="""
        n_params = (45 * 64 + 64) + (64 * 64 + 64) + (64 + 1)
        answer = 2 * n_params
    """,
)
def numerical_gradient_cost(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, wanted_en="one whole number", wanted_ko="정수 하나")
    if number == 2 * CHURN_PARAMS:
        return correct(
            en="2 × 7,169 = 14,338 forward passes — backpropagation needs one forward "
            "and one backward pass.",
            ko="순전파(forward pass) 2 × 7,169 = 14,338번 — 역전파(backpropagation)는 "
            "순전파 한 번과 역방향 계산 한 번이면 됩니다.",
        )
    if number == CHURN_PARAMS:
        return wrong(
            en="Central differences need TWO evaluations per parameter, L(w+ε) and L(w−ε).",
            ko="중앙 차분은 파라미터마다 L(w+ε)와 L(w−ε), 두 번 계산해야 합니다.",
            hint_en="Multiply the parameter count by 2.",
            hint_ko="파라미터 수에 2를 곱하세요.",
        )
    if number == 2:
        return wrong(
            en="2 is what backpropagation needs (one forward, one backward pass).",
            ko="2는 역전파에 필요한 횟수입니다(순전파 한 번, 역방향 계산 한 번).",
            hint_en="The numerical gradient nudges each parameter separately.",
            hint_ko="수치 기울기는 파라미터를 하나씩 따로 조금 움직여 봅니다.",
        )
    if number == 2 * (45 * 64 + 64 * 64 + 64):
        return wrong(
            en="The biases are parameters too and need their own evaluations.",
            ko="편향도 파라미터이므로 따로 계산해야 합니다.",
            hint_en="Use the full count of 02.1.",
            hint_ko="02.1에서 구한 전체 개수를 쓰세요.",
        )
    return wrong(
        en=f"{number:g} evaluations is not right.",
        ko=f"계산 횟수는 {number:g}번이 아닙니다.",
        hint_en="Two loss evaluations for each of the model's parameters (exercise 02.1).",
        hint_ko="모델의 파라미터 하나마다 손실을 두 번 계산합니다(연습 문제 02.1).",
    )


# ----- 02.5: an experiment; the checker trains the learner's model -------------------------

LEARN_SEEDS = (0, 1, 2)
LEARN_EPOCHS, LEARN_BATCH, LEARN_TARGET = 20, 16, 0.93


@register(
    "02.5",
    title_en="Make the network learn",
    title_ko="학습하는 신경망으로 고치기",
    question_en="""
        However long it trains, this network stays at the share of benign tumours (about 0.63):

            Sequential([Input(shape=(30,)), Dense(24, activation="relu"),
                        Dense(1, activation="softmax")])
            compiled with loss="binary_crossentropy", optimizer="adam".

        Write build_model() returning a fixed, compiled model. The checker trains it three
        times, from three seeds, for 20 epochs (batch size 16) on the breast-cancer training
        data, and wants a mean validation accuracy above 0.93.
    """,
    question_ko="""
        이 신경망은 아무리 오래 학습해도 양성 종양의 비율(약 0.63)에 머뭅니다:

            Sequential([Input(shape=(30,)), Dense(24, activation="relu"),
                        Dense(1, activation="softmax")])
            loss="binary_crossentropy", optimizer="adam"으로 컴파일.

        고쳐서 컴파일까지 마친 모델을 돌려주는 build_model()을 작성하세요. 채점기는 시드 세 개로
        세 번, 유방암 학습 데이터에서 20 에포크(배치 크기 16) 동안 학습시키고, 검증 정확도의
        평균이 0.93을 넘기를 요구합니다.
    """,
    solution_en="""
        from dlcourse.layers import Dense, Input
        from dlcourse.models import Sequential

        def build_model():
            model = Sequential([Input(shape=(30,)), Dense(24, activation="relu"),
                                Dense(1, activation="sigmoid")])  # softmax of ONE unit is always 1
            model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
            return model

        answer = build_model
    """,
    solution_ko="""
        from dlcourse.layers import Dense, Input
        from dlcourse.models import Sequential

        def build_model():
            model = Sequential([Input(shape=(30,)), Dense(24, activation="relu"),
                                Dense(1, activation="sigmoid")])  # 유닛 하나의 softmax는 언제나 1
            model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
            return model

        answer = build_model
    """,
)
def make_it_learn(answer):
    from dlcourse import datasets
    from dlcourse.models import Model
    from dlcourse.utils import set_random_seed

    if isinstance(answer, Model):
        return wrong(
            en="Your answer is a model; this exercise wants the function that builds one, so "
            "that the checker can build a fresh model for each seed.",
            ko="답이 모델입니다. 이 문제는 시드마다 새 모델을 만들 수 있도록 모델을 만드는 "
            "함수를 답으로 받습니다.",
            hint_en="answer = build_model (without parentheses).",
            hint_ko="answer = build_model (괄호 없이).",
        )
    (x_train, y_train), (x_val, y_val), _ = datasets.load_breast_cancer()
    accuracies = []
    for seed in LEARN_SEEDS:
        set_random_seed(seed)
        model = call_answer(answer)
        problem = _unfit_model(model, x_train[:32])
        if problem is not None:
            return problem
        with np.errstate(all="ignore"):  # a diverging run is reported below, not warned about
            call_answer(
                lambda model=model: model.fit(
                    x_train, y_train, epochs=LEARN_EPOCHS, batch_size=LEARN_BATCH, verbose=0
                )
            )
            p = model.predict(x_val, verbose=0)
        if not np.all(np.isfinite(p)):
            return wrong(
                en="After training, your model outputs NaN: the training diverged.",
                ko="학습이 끝난 뒤 모델이 NaN을 출력합니다. 학습이 발산했습니다.",
                hint_en="A learning rate that is too large makes the weights overflow; keep "
                "Adam's default (0.001).",
                hint_ko="학습률이 너무 크면 가중치가 넘칩니다. Adam의 기본값(0.001)을 쓰세요.",
            )
        if p.min() < 0 or p.max() > 1:
            return wrong(
                en="Your model's outputs are not probabilities (some are below 0 or above 1), "
                "but binary_crossentropy reads them as probabilities.",
                ko="모델의 출력이 확률이 아닙니다(0보다 작거나 1보다 큰 값이 있습니다). "
                "binary_crossentropy는 출력을 확률로 읽습니다.",
                hint_en="End with Dense(1, activation='sigmoid').",
                hint_ko="Dense(1, activation='sigmoid')로 끝내세요.",
            )
        classes = p.argmax(axis=1) if p.shape[1] > 1 else (p[:, 0] > 0.5).astype(int)
        accuracies.append(float(np.mean(classes == y_val)))
    shown = ", ".join(f"{a:.3f}" for a in accuracies)
    if np.mean(accuracies) > LEARN_TARGET:
        return correct(
            en=f"Validation accuracy {shown} over three seeds. The output now moves with z: "
            "a sigmoid gives σ(z) between 0 and 1 (a softmax over two units works too), "
            "while a softmax over ONE unit is e^z / e^z = 1 whatever z, so its gradient was 0.",
            ko=f"시드 세 개의 검증 정확도 {shown}. 이제 출력이 z를 따라 움직입니다. "
            "시그모이드는 0과 1 사이의 σ(z)를 냅니다(유닛 두 개의 소프트맥스도 됩니다). "
            "유닛 하나의 소프트맥스는 z가 무엇이든 e^z / e^z = 1이어서 기울기가 0이었습니다.",
        )
    shares = (np.mean(y_val), 1 - np.mean(y_val))  # accuracy of always the same class
    if all(min(abs(a - share) for share in shares) < 0.005 for a in accuracies):
        return wrong(
            en=f"Validation accuracy {shown}: the share of one class. The model predicts "
            "one class for every tumour.",
            ko=f"검증 정확도 {shown}: 한 클래스의 비율입니다. 모델이 모든 종양을 한 클래스로 "
            "예측합니다.",
            hint_en="Print model.predict(x_val[:5]) after training: do the outputs move?",
            hint_ko="학습한 뒤 model.predict(x_val[:5])를 출력해 보세요. 출력이 움직입니까?",
        )
    return wrong(
        en=f"Validation accuracy {shown}: their mean, {np.mean(accuracies):.3f}, is not "
        f"above {LEARN_TARGET} after {LEARN_EPOCHS} epochs.",
        ko=f"검증 정확도 {shown}: {LEARN_EPOCHS} 에포크 뒤의 평균 "
        f"{np.mean(accuracies):.3f}이(가) {LEARN_TARGET}를 넘지 못합니다.",
        hint_en="Keep the lecture's choices: ReLU hidden units, a sigmoid output, "
        "binary_crossentropy and Adam at its default learning rate.",
        hint_ko="강의의 선택을 따르세요: ReLU 은닉 유닛, 시그모이드 출력, binary_crossentropy, "
        "기본 학습률의 Adam.",
    )


def _unfit_model(model, x):
    """A wrong(...) verdict when `model` cannot be trained as it is, else None."""
    from dlcourse.models import Model

    if not isinstance(model, Model):
        return wrong(
            en=f"build_model() returned {type(model).__name__}, not a model.",
            ko=f"build_model()이 모델이 아니라 {type(model).__name__}을(를) 돌려주었습니다.",
            hint_en="End build_model with `return model`.",
            hint_ko="build_model을 `return model`로 끝내세요.",
        )
    if not model.compiled:
        return wrong(
            en="The model is not compiled.",
            ko="모델이 컴파일되지 않았습니다.",
            hint_en="Call model.compile(loss=..., optimizer=...) inside build_model.",
            hint_ko="build_model 안에서 model.compile(loss=..., optimizer=...)를 호출하세요.",
        )
    p = call_answer(lambda: model.predict(x, verbose=0))
    if p.ndim != 2 or p.shape[1] not in (1, 2):
        return wrong(
            en=f"The model's output has shape {p.shape}; a diagnosis needs (n, 1), one "
            "probability per tumour (or (n, 2), one per class).",
            ko=f"모델 출력의 모양이 {p.shape}입니다. 진단에는 종양마다 확률 하나인 (n, 1) "
            "(또는 클래스마다 하나인 (n, 2))이 필요합니다.",
            hint_en="The last layer is Dense(1, activation='sigmoid').",
            hint_ko="마지막 층은 Dense(1, activation='sigmoid')입니다.",
        )
    if p.shape[1] == 1 and np.all(p == 1.0):
        return wrong(
            en="The model outputs exactly 1 for every tumour: a softmax over ONE unit is "
            "e^z / e^z = 1 whatever z, so its gradient is 0 and nothing learns.",
            ko="모델이 모든 종양에 정확히 1을 출력합니다. 유닛 하나에 대한 소프트맥스는 z가 "
            "무엇이든 e^z / e^z = 1이어서 기울기가 0이고, 아무것도 학습되지 않습니다.",
            hint_en="One output unit takes a sigmoid (softmax is for several classes).",
            hint_ko="출력 유닛이 하나면 시그모이드를 씁니다(소프트맥스는 클래스가 여럿일 때).",
        )
    return None
