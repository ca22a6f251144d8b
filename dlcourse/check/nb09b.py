"""Exercises of notebook 09b (training diagnostics): the initial loss, the update ratio, and a
network that does not train."""

import math

import numpy as np

from dlcourse.check._registry import (
    AnswerFailed,
    as_number,
    call_answer,
    correct,
    not_a_number,
    register,
    wrong,
    wrong_if_known,
)


@register(
    "09b.1",
    title_en="The loss before training, for 26 classes",
    title_ko="클래스 26개일 때 학습 전의 손실",
    question_en="""
        A network classifies handwritten letters into 26 balanced classes with a softmax and
        sparse categorical cross-entropy. About what loss should evaluate() report before
        training?
    """,
    question_ko="""
        신경망이 손글씨 글자를 균형 잡힌 클래스 26개로 분류합니다(소프트맥스와 sparse
        categorical cross-entropy). 학습하기 전에 evaluate()가 보고하는 손실은 대략
        얼마여야 합니까?
    """,
    solution_en="""
        import math

        answer = math.log(26)   # each class gets about 1/26: -ln(1/26) = ln 26 ≈ 3.26
    """,
    solution_ko="""
        import math

        answer = math.log(26)   # 클래스마다 약 1/26: -ln(1/26) = ln 26 ≈ 3.26
    """,
)
def initial_loss_for_26_classes(answer):
    number = as_number(answer)
    if number is None or math.isnan(number):
        return not_a_number(answer)
    if abs(number - math.log(26)) < 0.05:
        return correct(
            en="Before training every letter gets a probability of about 1/26, and the "
            "cross-entropy of each image is -ln(1/26) = ln 26 ≈ 3.26.",
            ko="학습 전에는 글자마다 확률이 약 1/26이고, 이미지마다 교차 엔트로피는 "
            "-ln(1/26) = ln 26 ≈ 3.26입니다.",
        )
    known = {
        math.log2(26): wrong(
            en="That is log2(26): the cross-entropy of Keras and dlcourse uses the natural "
            "logarithm, ln.",
            ko="그것은 log2(26)입니다. Keras와 dlcourse의 교차 엔트로피는 자연로그 ln을 씁니다.",
            hint_en="math.log(26) is ln 26.",
            hint_ko="math.log(26)이 ln 26입니다.",
        ),
        math.log10(26): wrong(
            en="That is log10(26): the cross-entropy uses the natural logarithm, ln.",
            ko="그것은 log10(26)입니다. 교차 엔트로피는 자연로그 ln을 씁니다.",
            hint_en="math.log(26) is ln 26.",
            hint_ko="math.log(26)이 ln 26입니다.",
        ),
        -math.log(26): wrong(
            en="The sign: the loss is MINUS the log of a probability below 1, so it is positive.",
            ko="부호가 틀렸습니다. 손실은 1보다 작은 확률의 로그에 마이너스를 붙인 값이라 "
            "양수입니다.",
            hint_en="The loss is -ln(1/26) = ln 26.",
            hint_ko="손실은 -ln(1/26) = ln 26입니다.",
        ),
        1 / 26: wrong(
            en="1/26 is the probability each class gets, not the loss.",
            ko="1/26은 각 클래스가 받는 확률이지, 손실이 아닙니다.",
            hint_en="The cross-entropy of one image is -ln(probability of its class).",
            hint_ko="이미지 하나의 교차 엔트로피는 -ln(정답 클래스의 확률)입니다.",
        ),
        math.log(10): wrong(
            en="ln 10 ≈ 2.30 is the value for the 10 digits; here there are 26 classes.",
            ko="ln 10 ≈ 2.30은 숫자 10개일 때의 값입니다. 여기서는 클래스가 26개입니다.",
            hint_en="Replace 10 by the number of classes.",
            hint_ko="10을 클래스 수로 바꾸세요.",
        ),
        26: wrong(
            en="26 is the number of classes; the loss is a logarithm of it.",
            ko="26은 클래스 수입니다. 손실은 그 수의 로그입니다.",
            hint_en="-ln(1/K) for K classes.",
            hint_ko="클래스가 K개이면 -ln(1/K)입니다.",
        ),
        25 / 26: wrong(
            en="25/26 is the error rate of a random guess, not the cross-entropy.",
            ko="25/26은 무작위로 찍을 때의 오류율이지, 교차 엔트로피가 아닙니다.",
            hint_en="The cross-entropy of one image is -ln(probability of its class).",
            hint_ko="이미지 하나의 교차 엔트로피는 -ln(정답 클래스의 확률)입니다.",
        ),
    }
    return wrong_if_known(
        number,
        known,
        otherwise=wrong(
            en=f"{number:g} is not the loss of a network that has not learned anything yet.",
            ko=f"아직 아무것도 배우지 않은 신경망의 손실은 {number:g}이 아닙니다.",
            hint_en="Each of the 26 classes gets about the same probability: which one?",
            hint_ko="클래스 26개가 거의 같은 확률을 받습니다. 그 확률은 얼마입니까?",
        ),
        rtol=0,
        atol=0.01,
    )


def _ratio_test_arrays():
    """Before/after pairs the checker feeds to update_ratio: a vector, a kernel, a tiny step."""
    rng = np.random.default_rng(9)
    before_kernel = rng.normal(size=(5, 3))
    return [
        (np.array([3.0, 4.0]), np.array([3.0, 4.01])),
        (np.array([3.0, 4.0]), np.array([2.0, 4.0])),
        (before_kernel, before_kernel + 0.01 * rng.normal(size=(5, 3))),
    ]


def _typical_ratios():
    """What the typical mistakes compute, as functions of (before, after)."""
    return {
        "after": lambda b, a: np.linalg.norm(a - b) / np.linalg.norm(a),
        "squares": lambda b, a: np.sum((a - b) ** 2) / np.sum(b**2),
        "elements": lambda b, a: np.mean(np.abs(a - b) / np.abs(b)),
        "no division": lambda b, a: np.linalg.norm(a - b),
        "of norms": lambda b, a: abs(np.linalg.norm(a) - np.linalg.norm(b)) / np.linalg.norm(b),
        "inverse": lambda b, a: np.linalg.norm(b) / np.linalg.norm(a - b),
    }


@register(
    "09b.2",
    title_en="The update-to-weight ratio by hand",
    title_ko="업데이트 대 가중치 비율 직접 계산하기",
    question_en="""
        Write update_ratio(before, after): the update-to-weight ratio ‖after − before‖ /
        ‖before‖ of one step, for two weight arrays of the same shape (‖·‖ is the square root
        of the sum of squares of all elements).
    """,
    question_ko="""
        한 스텝의 업데이트 대 가중치 비율 ‖after − before‖ / ‖before‖를 돌려주는 함수
        update_ratio(before, after)를 작성하세요. 두 가중치 배열의 모양은 같습니다
        (‖·‖는 모든 원소 제곱의 합의 제곱근입니다).
    """,
    solution_en="""
        import numpy as np

        def update_ratio(before, after):
            return np.linalg.norm(after - before) / np.linalg.norm(before)

        answer = update_ratio
    """,
)
def update_ratio_function(answer):
    pairs = _ratio_test_arrays()
    try:
        results = [call_answer(answer, before.copy(), after.copy()) for before, after in pairs]
    except AnswerFailed as failed:
        return failed.verdict
    numbers = [as_number(result) for result in results]
    if any(number is None for number in numbers):
        return wrong(
            en=f"update_ratio returned {results[0]!r}, not one number.",
            ko=f"update_ratio가 숫자 하나가 아닌 값을 돌려주었습니다: {results[0]!r}",
            hint_en="np.linalg.norm of an array is one number: divide two of them.",
            hint_ko="배열의 np.linalg.norm은 숫자 하나입니다. 그런 숫자 둘을 나누세요.",
        )
    expected = [np.linalg.norm(after - before) / np.linalg.norm(before) for before, after in pairs]
    if np.allclose(numbers, expected, rtol=1e-6):
        return correct(
            en="One number per step: the length of the step over the length of the weights. "
            "For (3, 4) -> (3, 4.01): 0.01 / 5 = 0.002.",
            ko="스텝마다 숫자 하나: 스텝의 길이를 가중치의 길이로 나눈 값입니다. "
            "(3, 4) -> (3, 4.01)이면 0.01 / 5 = 0.002입니다.",
        )
    mistakes = _typical_ratios()
    verdicts = {
        "after": wrong(
            en="You divided by ‖after‖; the ratio compares the step with the weights it "
            "started from, ‖before‖.",
            ko="‖after‖로 나누었습니다. 이 비율은 스텝을 출발점의 가중치 ‖before‖와 비교합니다.",
            hint_en="Divide by np.linalg.norm(before).",
            hint_ko="np.linalg.norm(before)로 나누세요.",
        ),
        "squares": wrong(
            en="You compared sums of squares without the square roots: that is the ratio squared.",
            ko="제곱근 없이 제곱의 합끼리 비교했습니다. 그것은 비율의 제곱입니다.",
            hint_en="np.linalg.norm takes the square root for you.",
            hint_ko="np.linalg.norm이 제곱근까지 계산해 줍니다.",
        ),
        "elements": wrong(
            en="You averaged the change of each element relative to itself; the ratio "
            "compares the lengths of two whole arrays.",
            ko="원소마다 자기 자신에 대한 변화를 평균했습니다. 이 비율은 배열 전체의 길이 둘을 "
            "비교합니다.",
            hint_en="Compute np.linalg.norm(after - before) / np.linalg.norm(before).",
            hint_ko="np.linalg.norm(after - before) / np.linalg.norm(before)를 계산하세요.",
        ),
        "no division": wrong(
            en="That is the size of the step alone; divide it by the size of the weights.",
            ko="그것은 스텝의 크기뿐입니다. 가중치의 크기로 나누세요.",
            hint_en="Divide by np.linalg.norm(before).",
            hint_ko="np.linalg.norm(before)로 나누세요.",
        ),
        "of norms": wrong(
            en="You subtracted the norms; the step is the norm of the DIFFERENCE: a step "
            "can turn the weights without changing their length.",
            ko="노름(norm)끼리 뺐습니다. 스텝은 차이의 노름입니다. 길이는 그대로 두고 방향만 "
            "바꾸는 스텝도 있습니다.",
            hint_en="The step is np.linalg.norm(after - before).",
            hint_ko="스텝은 np.linalg.norm(after - before)입니다.",
        ),
        "inverse": wrong(
            en="Upside down: the step goes on top, the weights below.",
            ko="분자와 분모가 뒤집혔습니다. 스텝이 위, 가중치가 아래입니다.",
            hint_en="The ratio is ‖after − before‖ / ‖before‖.",
            hint_ko="비율은 ‖after − before‖ / ‖before‖입니다.",
        ),
    }
    for name, mistake in mistakes.items():  # compared without signs: a lost abs() is no excuse
        if np.allclose(np.abs(numbers), [mistake(b, a) for b, a in pairs], rtol=1e-6):
            return verdicts[name]
    return wrong(
        en=f"update_ratio gave {numbers[0]:.4g} for (3, 4) -> (3, 4.01); expected "
        f"{expected[0]:.4g}.",
        ko=f"(3, 4) -> (3, 4.01)에 대해 update_ratio가 {numbers[0]:.4g}를 돌려주었습니다. "
        f"기대한 값은 {expected[0]:.4g}입니다.",
        hint_en="Compute np.linalg.norm(after - before) / np.linalg.norm(before).",
        hint_ko="np.linalg.norm(after - before) / np.linalg.norm(before)를 계산하세요.",
    )


# 09b.3: the two checks the notebook runs first, on the learner's network.
INITIAL_LOSS_RANGE = (1.8, 3.0)  # ln 10 = 2.30
OVERFIT_STEPS = 200
OVERFIT_LOSS = 0.05


def _digits_and_tiny_batch():
    """The digits' training split and its 20 images of check 2 (two of each digit)."""
    from dlcourse.datasets import load_digits

    (x, y), _, _ = load_digits()
    tiny = np.concatenate([np.flatnonzero(y == digit)[:2] for digit in range(10)])
    return x, y, x[tiny], y[tiny]


def _run_checks(build, seeds=(0, 1, 2)):
    """[(loss before training, loss after the overfitting steps)] for each seed."""
    x, y, x_tiny, y_tiny = _digits_and_tiny_batch()
    results = []
    for seed in seeds:
        model = call_answer(build, seed)
        if not hasattr(model, "train_on_batch"):
            raise AnswerFailed(
                wrong(
                    en=f"build({seed}) returned {type(model).__name__}, not a model.",
                    ko=f"build({seed})가 모델이 아닌 {type(model).__name__}을 돌려주었습니다.",
                    hint_en="End build with `return model`, after model.compile(...).",
                    hint_ko="model.compile(...) 다음에 `return model`로 build를 끝내세요.",
                )
            )
        try:
            initial = model.evaluate(x, y, verbose=0, return_dict=True)["loss"]
            for _ in range(OVERFIT_STEPS):
                model.reset_metrics()
                final = model.train_on_batch(x_tiny, y_tiny, return_dict=True)["loss"]
        except Exception as error:  # the learner's model: any error becomes feedback
            kind = type(error).__name__
            raise AnswerFailed(
                wrong(
                    en=f"Training your model raised {kind}: {error}",
                    ko=f"모델을 학습하니 {kind} 오류가 났습니다: {error}",
                    hint_en="Input(shape=(64,)), Dense(10, activation='softmax') last, and "
                    "compile with loss='sparse_categorical_crossentropy'.",
                    hint_ko="Input(shape=(64,))로 시작하고, 마지막은 Dense(10, "
                    "activation='softmax'), 그리고 loss='sparse_categorical_crossentropy'로 "
                    "compile하세요.",
                )
            ) from error
        results.append((float(initial), float(final)))
    return results


@register(
    "09b.3",
    title_en="A network that does not train",
    title_ko="학습되지 않는 신경망",
    question_en="""
        broken_build(seed) builds a digits network that does not train. Run checks 1 and 2 on
        it, find its two mistakes and write build(seed) returning a compiled network that
        passes both, for 3 seeds: the loss before training between 1.8 and 3.0, and 200 steps
        on the 20 images of check 2 bring the loss below 0.05.
    """,
    question_ko="""
        broken_build(seed)는 학습되지 않는 숫자 분류 신경망을 만듭니다. 여기에 점검 1과 2를
        해 보고, 실수 두 가지를 찾아, 두 점검을 통과하는 컴파일된 신경망을 돌려주는
        build(seed)를 작성하세요. 시드 3개에서 학습 전 손실이 1.8과 3.0 사이이고, 점검 2의
        이미지 20개로 200 스텝 학습하면 손실이 0.05 아래로 내려가야 합니다.
    """,
    solution_en="""
        from dlcourse.layers import Dense, Input
        from dlcourse.models import Sequential
        from dlcourse.optimizers import Adam
        from dlcourse.utils import set_random_seed

        def build(seed):
            set_random_seed(seed)
            model = Sequential([Input(shape=(64,)),
                                Dense(128, activation="relu"),      # Glorot, not N(0, 1)
                                Dense(10, activation="softmax")])
            model.compile(optimizer=Adam(0.003),                    # not SGD at 1e-5
                          loss="sparse_categorical_crossentropy")
            return model

        answer = build
    """,
    solution_ko="""
        from dlcourse.layers import Dense, Input
        from dlcourse.models import Sequential
        from dlcourse.optimizers import Adam
        from dlcourse.utils import set_random_seed

        def build(seed):
            set_random_seed(seed)
            model = Sequential([Input(shape=(64,)),
                                Dense(128, activation="relu"),      # N(0, 1)이 아니라 Glorot
                                Dense(10, activation="softmax")])
            model.compile(optimizer=Adam(0.003),                    # 1e-5의 SGD가 아니라
                          loss="sparse_categorical_crossentropy")
            return model

        answer = build
    """,
)
def network_that_trains(answer):
    try:
        results = _run_checks(answer)
    except AnswerFailed as failed:
        return failed.verdict
    initial = [start for start, _ in results]
    final = [end for _, end in results]
    low, high = INITIAL_LOSS_RANGE
    too_high = [loss for loss in initial if not loss <= high]
    if too_high:
        return wrong(
            en=f"Check 1 fails: the loss before training is {too_high[0]:.3g}, far above "
            f"ln 10 = 2.30. The network starts confidently wrong: its scores are too large.",
            ko=f"점검 1 실패: 학습 전 손실이 {too_high[0]:.3g}로, ln 10 = 2.30보다 훨씬 "
            f"큽니다. 신경망이 처음부터 자신 있게 틀립니다: 점수가 너무 큽니다.",
            hint_en="Look at the kernel_initializer: N(0, 1) is far too wide for 64 inputs; "
            "leave the default (Glorot).",
            hint_ko="kernel_initializer를 보세요. 입력 64개에 N(0, 1)은 너무 넓습니다. "
            "기본값(Glorot)을 쓰세요.",
        )
    if any(loss < low for loss in initial):
        return wrong(
            en=f"The loss before training is {min(initial):.3g}, well below ln 10 = 2.30: "
            f"the network knows the answers before it has learned anything.",
            ko=f"학습 전 손실이 {min(initial):.3g}로, ln 10 = 2.30보다 한참 작습니다: "
            f"신경망이 아무것도 배우기 전에 답을 알고 있습니다.",
            hint_en="Build a fresh model in build(seed); do not train it there.",
            hint_ko="build(seed) 안에서 새 모델을 만들고, 거기서 학습시키지 마세요.",
        )
    if not all(loss < OVERFIT_LOSS for loss in final):
        return wrong(
            en=f"Check 2 fails: after {OVERFIT_STEPS} steps on 20 images the loss is still "
            f"{max(final):.3g} (wanted below {OVERFIT_LOSS}): the network cannot even "
            f"memorize 20 images.",
            ko=f"점검 2 실패: 이미지 20개로 {OVERFIT_STEPS} 스텝 학습해도 손실이 아직 "
            f"{max(final):.3g}입니다({OVERFIT_LOSS} 아래여야 합니다). 이미지 20개도 외우지 "
            f"못합니다.",
            hint_en="Look at the optimizer: SGD at 1e-5 barely moves the weights; try "
            "Adam(0.003), as in notebook 10.",
            hint_ko="옵티마이저를 보세요. 1e-5의 SGD는 가중치를 거의 움직이지 않습니다. "
            "노트북 10처럼 Adam(0.003)을 써 보세요.",
        )
    return correct(
        en=f"Loss before training {np.mean(initial):.2f} (ln 10 = 2.30), and after "
        f"{OVERFIT_STEPS} steps on 20 images {max(final):.1e} or less, for 3 seeds: both "
        f"checks pass.",
        ko=f"학습 전 손실 {np.mean(initial):.2f}(ln 10 = 2.30), 이미지 20개로 "
        f"{OVERFIT_STEPS} 스텝 학습한 뒤 {max(final):.1e} 이하, 시드 3개 모두: 두 점검을 "
        f"통과합니다.",
    )
