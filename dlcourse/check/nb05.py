"""Exercises of notebooks 05 and 05b: iterations per epoch, a momentum step, stable learning
rates, making the learning-rate-1 network train, and two experiments with the optimizer
explorer."""

import numpy as np

from dlcourse.check._registry import as_number, call_answer, correct, not_a_number, register, wrong


@register(
    "05.1",
    title_en="Iterations per epoch",
    title_ko="에포크당 반복 횟수",
    question_en="""
        A training set has 2000 samples and you call fit(..., batch_size=200). How many
        weight updates (iterations) make up one epoch? Answer with a number.
    """,
    question_ko="""
        학습 데이터에 샘플이 2000개 있고 fit(..., batch_size=200)을 호출합니다. 한 에포크는
        가중치 갱신(반복, iteration) 몇 번으로 이루어집니까? 숫자로 답하세요.
    """,
    solution_en="""
        answer = 2000 // 200  # one update per batch; 10 batches cover the 2000 samples once
    """,
    solution_ko="""
        answer = 2000 // 200  # 배치마다 갱신 한 번; 배치 10개가 샘플 2000개를 한 번씩 다룹니다
    """,
)
def iterations_per_epoch(answer):
    value = as_number(answer)
    if value is None:
        return not_a_number(answer)
    if value == 10:
        return correct(
            en="2000 samples in batches of 200 give 10 batches, one update each.",
            ko="샘플 2000개를 200개씩 나누면 배치 10개가 되고, 배치마다 한 번씩 갱신합니다.",
        )
    samples_over_batch = dict(
        hint_en="Divide the number of samples by the batch size.",
        hint_ko="샘플 수를 배치 크기로 나누세요.",
    )
    if value == 200:
        return wrong(
            en="200 is the batch size: the samples per update, not the updates per epoch.",
            ko="200은 배치 크기, 즉 갱신 한 번에 쓰는 샘플 수이지 에포크당 갱신 횟수가 아닙니다.",
            hint_en="How many batches of 200 does it take to cover 2000 samples?",
            hint_ko="샘플 2000개를 다 다루려면 200개짜리 배치가 몇 개 필요합니까?",
        )
    if value == 2000:
        return wrong(
            en="2000 updates per epoch would be batch_size=1 (stochastic updates).",
            ko="에포크당 2000번 갱신하려면 batch_size=1이어야 합니다(확률적 갱신).",
            hint_en="Each update uses a whole batch of 200 samples.",
            hint_ko="갱신 한 번에 샘플 200개짜리 배치 하나를 통째로 씁니다.",
        )
    if value == 1:
        return wrong(
            en="One update per epoch is full-batch gradient descent (batch_size=2000).",
            ko="에포크당 한 번 갱신하는 것은 전체 배치(full-batch) 경사 하강법(batch_size=2000)"
            "입니다.",
            **samples_over_batch,
        )
    if value == 0.1:
        return wrong(
            en="You divided the batch size by the number of samples.",
            ko="배치 크기를 샘플 수로 나누었습니다.",
            hint_en="It is samples / batch_size.",
            hint_ko="samples / batch_size입니다.",
        )
    return wrong(
        en=f"{answer!r} is not the number of batches.",
        ko=f"배치 수가 아닙니다: {answer!r}",
        **samples_over_batch,
    )


def _momentum_reference(w, v, g, learning_rate, momentum):
    v_new = momentum * v - learning_rate * g
    return w + v_new, v_new


@register(
    "05.2",
    title_en="One momentum step",
    title_ko="모멘텀 한 스텝",
    question_en="""
        Write momentum_step(w, v, g, learning_rate, momentum) returning (new_w, new_v) with
        the Keras formula: v = momentum*v - learning_rate*g; w = w + v. Inputs are NumPy
        arrays (w, v, g) and floats. Assign the function itself to `answer`.
    """,
    question_ko="""
        Keras의 공식 v = momentum*v - learning_rate*g; w = w + v로 (new_w, new_v)를
        돌려주는 함수 momentum_step(w, v, g, learning_rate, momentum)을 작성하세요. 입력은
        NumPy 배열(w, v, g)과 실수입니다. 함수 자체를 `answer`에 대입하세요.
    """,
    solution_en="""
        def momentum_step(w, v, g, learning_rate, momentum):
            v = momentum * v - learning_rate * g
            return w + v, v

        answer = momentum_step
    """,
)
def momentum_step(answer):
    rng = np.random.default_rng(5)
    w, v, g = rng.normal(size=(3, 4))
    learning_rate, momentum = 0.1, 0.9
    got = call_answer(answer, w.copy(), v.copy(), g.copy(), learning_rate, momentum)
    if not (isinstance(got, tuple) and len(got) == 2):
        kind = type(got).__name__
        return wrong(
            en=f"Your function returned {kind}, not a pair (new_w, new_v).",
            ko=f"함수가 (new_w, new_v) 쌍이 아니라 {kind} 값을 돌려주었습니다.",
            hint_en="End with `return w + v, v`.",
            hint_ko="`return w + v, v`로 끝내세요.",
        )
    new_w, new_v = (np.asarray(part, dtype=float) for part in got)
    want_w, want_v = _momentum_reference(w, v, g, learning_rate, momentum)
    if new_w.shape != w.shape or new_v.shape != v.shape:
        return wrong(
            en="The returned arrays do not have the shape of w and v.",
            ko="돌려준 배열의 모양(shape)이 w, v와 다릅니다.",
            hint_en="Work element-wise on the arrays; do not sum or index them.",
            hint_ko="배열을 원소별로 계산하세요. 합하거나 인덱싱하지 마세요.",
        )
    if np.allclose(new_w, want_w) and np.allclose(new_v, want_v):
        return correct(
            en="the velocity remembers past gradients (times momentum) and moves w.",
            ko="속도(velocity)가 지난 기울기를 (momentum을 곱해 가며) 기억하고 w를 움직입니다.",
        )
    if np.allclose(new_w, w - learning_rate * g):
        return wrong(
            en="Your w moved exactly as plain gradient descent: the velocity is ignored.",
            ko="w가 일반 경사 하강법과 똑같이 움직였습니다: 속도가 무시되었습니다.",
            hint_en="Update v first, then move w by the new v.",
            hint_ko="먼저 v를 갱신한 다음, 새 v만큼 w를 움직이세요.",
        )
    if np.allclose(new_w, w + learning_rate * g) or np.allclose(
        new_v, momentum * v + learning_rate * g
    ):
        return wrong(
            en="Your step goes uphill: the gradient points to where f grows.",
            ko="스텝이 오르막으로 갑니다: 기울기는 f가 커지는 쪽을 가리킵니다.",
            hint_en="Subtract learning_rate * g in the velocity.",
            hint_ko="속도에서 learning_rate * g를 빼세요.",
        )
    if np.allclose(new_w, w + v) and not np.allclose(new_w, want_w):
        return wrong(
            en="You moved w with the old velocity, before updating it.",
            ko="속도를 갱신하기 전에, 이전 속도로 w를 움직였습니다.",
            hint_en="Compute the new v first, then w = w + v.",
            hint_ko="새 v를 먼저 계산한 다음 w = w + v로 움직이세요.",
        )
    if np.allclose(new_v, want_v):
        return wrong(
            en="Your v is right, but w is not w + v.",
            ko="v는 맞지만 w가 w + v가 아닙니다.",
            hint_en="The weight moves by the whole new velocity.",
            hint_ko="가중치는 새 속도만큼 통째로 움직입니다.",
        )
    if np.allclose(new_v, v - learning_rate * g):
        return wrong(
            en="The old velocity was not multiplied by momentum: nothing decays.",
            ko="이전 속도에 momentum을 곱하지 않았습니다: 아무것도 줄어들지 않습니다.",
            hint_en="v = momentum * v - learning_rate * g.",
            hint_ko="v = momentum * v - learning_rate * g입니다.",
        )
    return wrong(
        en="The numbers differ from the Keras momentum formula.",
        ko="값이 Keras의 모멘텀 공식과 다릅니다.",
        hint_en="v = momentum * v - learning_rate * g; then w = w + v.",
        hint_ko="v = momentum * v - learning_rate * g를 구한 다음 w = w + v로 움직이세요.",
    )


@register(
    "05.3",
    title_en="The largest stable learning rate",
    title_ko="안정적으로 수렴하는 가장 큰 학습률",
    question_en="""
        Plain gradient descent on f(x, y) = x²/20 + y². Each step multiplies y by
        (1 - 2·lr) and x by (1 - lr/10). Below which learning rate does it converge?
        Answer with a number.
    """,
    question_ko="""
        f(x, y) = x²/20 + y²에 일반 경사 하강법을 씁니다. 스텝마다 y에는 (1 - 2·lr)이,
        x에는 (1 - lr/10)이 곱해집니다. 학습률(learning rate)이 얼마보다 작아야
        수렴합니까? 숫자로 답하세요.
    """,
    solution_en="""
        answer = 1.0  # |1 - 2 lr| < 1 needs lr < 1; x alone would allow lr < 20
    """,
    solution_ko="""
        answer = 1.0  # |1 - 2 lr| < 1이려면 lr < 1; x만 보면 lr < 20까지 됩니다
    """,
)
def largest_stable_learning_rate(answer):
    value = as_number(answer)
    if value is None:
        return not_a_number(answer)
    if np.isclose(value, 1.0):
        return correct(
            en="|1 - 2·lr| < 1 needs lr < 1: the steep y direction sets the limit "
            "for both, and x then crawls at (1 - 0.1) per step at best.",
            ko="|1 - 2·lr| < 1이려면 lr < 1이어야 합니다: 가파른 y 방향이 두 방향 모두의 "
            "한계를 정하고, 그러면 x는 기껏해야 스텝마다 (1 - 0.1)배로 느리게 줄어듭니다.",
        )
    solve = dict(
        hint_en="Solve |1 - 2·lr| < 1 for lr.", hint_ko="|1 - 2·lr| < 1을 lr에 대해 푸세요."
    )
    if np.isclose(value, 20.0):
        return wrong(
            en="That is the limit of the shallow x direction alone; y explodes long before.",
            ko="그것은 완만한 x 방향만의 한계입니다. y는 그보다 훨씬 전에 발산합니다.",
            hint_en="Both directions must shrink: which factor leaves (-1, 1) first?",
            hint_ko="두 방향 모두 줄어들어야 합니다: 어느 배율이 먼저 (-1, 1)을 벗어납니까?",
        )
    if np.isclose(value, 0.5):
        return wrong(
            en="At lr = 0.5 the y factor is 0 (y lands on 0 in one step), but larger "
            "rates still converge while |1 - 2·lr| < 1.",
            ko="lr = 0.5에서는 y 배율이 0입니다(y가 한 스텝 만에 0에 도달). 하지만 "
            "|1 - 2·lr| < 1인 동안은 더 큰 학습률도 수렴합니다.",
            **solve,
        )
    if np.isclose(value, 2.0) or np.isclose(value, 10.0):
        return wrong(
            en="You left out the 2 from the derivative of y² (or of x²/20).",
            ko="y²(또는 x²/20)를 미분할 때 나오는 2를 빠뜨렸습니다.",
            hint_en="The y factor is (1 - 2·lr): when does it reach -1?",
            hint_ko="y 배율은 (1 - 2·lr)입니다: 언제 -1에 도달합니까?",
        )
    factor = 1 - 2 * value
    if value < 1:
        verdict_en = "does not explode, but larger rates still converge"
        verdict_ko = "발산하지는 않지만 더 큰 학습률도 수렴합니다"
    else:
        verdict_en = "has magnitude >= 1"
        verdict_ko = "그 크기(절댓값)가 1 이상입니다"
    return wrong(
        en=f"With lr = {value:g}, the y factor 1 - 2·lr = {factor:g} {verdict_en}.",
        ko=f"lr = {value:g}일 때 y 배율은 1 - 2·lr = {factor:g}이고, {verdict_ko}.",
        **solve,
    )


def _digits_accuracy(optimizer, seed, epochs=5):
    """Final validation accuracy and loss of notebook 05's 64-32-10 digits network trained
    with a fresh copy of `optimizer` (so one answer serves every seed)."""
    from dlcourse import datasets
    from dlcourse.layers import Dense, Input
    from dlcourse.models import Sequential
    from dlcourse.utils import set_random_seed

    (x_train, y_train), (x_val, y_val), _ = datasets.load_digits()
    set_random_seed(seed)
    model = Sequential(
        [Input((64,)), Dense(32, activation="relu"), Dense(10, activation="softmax")]
    )
    fresh = type(optimizer).from_config(optimizer.get_config())
    model.compile(optimizer=fresh, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(
        x_train, y_train, batch_size=32, epochs=epochs, verbose=0, validation_data=(x_val, y_val)
    ).history
    return history["val_accuracy"][-1], history["val_loss"][-1]


def _starting_rate(optimizer):
    """The learning rate of the optimizer's first step (a schedule evaluated at step 0)."""
    from dlcourse.optimizers import schedules

    rate = optimizer._learning_rate
    if isinstance(rate, schedules.LearningRateSchedule):
        return float(rate(0))
    return float(rate() if callable(rate) else rate)


@register(
    "05.4",
    title_en="Make the learning-rate-1 network train",
    title_ko="학습률 1인 신경망을 학습시키기",
    question_en="""
        The digits network of notebook 05 (64-32-10, batch size 32) with Adam(learning_rate=1.0)
        stays at chance, about 10% validation accuracy. Assign to `answer` an optimizer (any
        kind, any settings) with which it reaches a mean validation accuracy of at least 0.94 in
        5 epochs, over 3 seeds. The checker trains the network with it.
    """,
    question_ko="""
        노트북 05의 숫자(digits) 신경망(64-32-10, 배치 크기 32)은 Adam(learning_rate=1.0)으로는
        우연 수준인 검증 정확도 약 10%에 머뭅니다. 5 에포크 만에 시드 3개 평균 검증 정확도
        0.94 이상에 이르게 하는 옵티마이저(종류, 설정 자유)를 `answer`에 대입하세요. 채점
        함수가 그 옵티마이저로 신경망을 직접 학습시킵니다.
    """,
    solution_en="""
        from dlcourse.optimizers import Adam

        answer = Adam(learning_rate=0.01)  # the range test's suggestion: 100 times smaller
    """,
    solution_ko="""
        from dlcourse.optimizers import Adam

        answer = Adam(learning_rate=0.01)  # 범위 테스트가 제안한 값: 100배 작게
    """,
)
def tame_the_learning_rate(answer):
    from dlcourse.optimizers import Optimizer

    if isinstance(answer, type) and issubclass(answer, Optimizer):
        return wrong(
            en=f"You assigned the class {answer.__name__} itself, not an optimizer made from it.",
            ko=f"옵티마이저 객체가 아니라 클래스 {answer.__name__} 자체를 대입했습니다.",
            hint_en=f"Create one with its learning rate: {answer.__name__}(learning_rate=...).",
            hint_ko=f"학습률을 주어 객체를 만드세요: {answer.__name__}(learning_rate=...).",
        )
    if not isinstance(answer, Optimizer):
        kind = type(answer).__name__
        return wrong(
            en=f"Your answer is of type {kind}; this exercise wants an optimizer object.",
            ko=f"답의 타입(type)이 {kind}입니다. 이 문제는 옵티마이저 객체를 답으로 받습니다.",
            hint_en="For example Adam(learning_rate=...) from dlcourse.optimizers, with a rate "
            "you chose (a name like 'adam' keeps the default rate).",
            hint_ko="예를 들어 dlcourse.optimizers의 Adam(learning_rate=...)처럼, 학습률을 "
            "직접 정해 만드세요('adam' 같은 이름은 기본 학습률을 씁니다).",
        )
    rate = _starting_rate(answer)
    runs = [_digits_accuracy(answer, seed) for seed in range(3)]
    accuracy = np.array([acc for acc, _ in runs])
    mean, spread = accuracy.mean(), accuracy.std(ddof=1)
    measured = f"{mean:.3f} ± {spread:.3f}"
    if mean >= 0.94:
        return correct(
            en=f"with {type(answer).__name__} starting at learning rate {rate:g} the network "
            f"reaches a validation accuracy of {measured} (3 seeds) in 5 epochs.",
            ko=f"학습률 {rate:g}에서 시작하는 {type(answer).__name__}으로 신경망이 5 에포크 만에 "
            f"검증 정확도 {measured}(시드 3개)에 이릅니다.",
        )
    range_test = dict(
        hint_en="Run the notebook's range test for your optimizer and take about a tenth of "
        "the rate where the loss is lowest.",
        hint_ko="노트북의 범위 테스트(range test)를 여러분의 옵티마이저로 돌려, 손실이 가장 "
        "낮은 학습률의 약 1/10을 쓰세요.",
    )
    if mean < 0.9 and rate >= 0.1:
        return wrong(
            en=f"At learning rate {rate:g} the network hardly learns (validation accuracy "
            f"{measured}): the steps overshoot.",
            ko=f"학습률 {rate:g}에서는 신경망이 거의 학습하지 못합니다(검증 정확도 "
            f"{measured}): 스텝이 너무 멀리 넘어갑니다.",
            **range_test,
        )
    if rate <= 0.003:
        return wrong(
            en=f"At learning rate {rate:g} the network learns, but too slowly for 5 epochs "
            f"(validation accuracy {measured}): a default rate is not always enough.",
            ko=f"학습률 {rate:g}에서 신경망이 학습은 하지만 5 에포크에는 너무 느립니다(검증 "
            f"정확도 {measured}): 기본 학습률로 늘 충분하지는 않습니다.",
            **range_test,
        )
    return wrong(
        en=f"With {type(answer).__name__} starting at learning rate {rate:g} the network "
        f"reaches {measured} (3 seeds), below 0.94.",
        ko=f"학습률 {rate:g}에서 시작하는 {type(answer).__name__}으로는 {measured}(시드 3개)에 "
        f"그쳐 0.94에 못 미칩니다.",
        **range_test,
    )


@register(
    "05b.1",
    title_en="Fast plain gradient descent on the bowl",
    title_ko="그릇(bowl)에서 빠르게 내려가는 일반 경사 하강법",
    question_en="""
        In the explorer, on 'bowl' with plain SGD and 200 steps from the default start, find a
        learning rate that reaches the tolerance in fewer than 60 steps. Answer with it.
    """,
    question_ko="""
        탐색기(explorer)의 'bowl'에서 기본 시작점부터 일반 SGD로 200 스텝을 돌릴 때,
        60 스텝 미만에 허용 오차(tolerance)에 도달하는 학습률을 찾아 그 값으로 답하세요.
    """,
    solution_en="""
        answer = 0.9  # just below the stability limit 1.0 of the steep direction
    """,
    solution_ko="""
        answer = 0.9  # 가파른 방향의 안정성 한계 1.0보다 조금 작게
    """,
)
def fast_sgd_on_bowl(answer):
    from dlcourse import landscapes
    from dlcourse.optimizers import SGD

    value = as_number(answer)
    if value is None:
        return not_a_number(answer)
    if not value > 0:
        return wrong(
            en="A learning rate must be positive.",
            ko="학습률은 양수여야 합니다.",
            hint_en="Try values between 0.1 and 1.",
            hint_ko="0.1과 1 사이의 값을 시도해 보세요.",
        )
    walk = landscapes.run_trajectory(SGD(learning_rate=value), "bowl", steps=200)
    if walk.diverged or value >= 1:
        return wrong(
            en=f"At lr = {value:g} the steep y direction does not settle: "
            f"{'it diverges' if walk.diverged else 'it bounces between ±y forever'}.",
            ko=f"lr = {value:g}에서는 가파른 y 방향이 자리를 잡지 못합니다: "
            f"{'발산합니다' if walk.diverged else '±y 사이를 끝없이 오갑니다'}.",
            hint_en="Stay below 1: each step multiplies y by (1 - 2·lr).",
            hint_ko="1보다 작게 하세요: 스텝마다 y에 (1 - 2·lr)이 곱해집니다.",
        )
    steps = walk.steps_to_tolerance
    if steps is not None and steps < 60:
        return correct(
            en=f"lr = {value:g} arrives in {steps} steps: as large as y allows, so that "
            f"the shallow x direction moves as fast as it can.",
            ko=f"lr = {value:g}이면 {steps} 스텝 만에 도착합니다: y가 허용하는 한 크게 잡아서 "
            f"완만한 x 방향이 최대한 빨리 움직입니다.",
        )
    reached_en = "never arrives" if steps is None else f"needs {steps} steps"
    reached_ko = "끝내 도착하지 못합니다" if steps is None else f"{steps} 스텝이 걸립니다"
    if value > 0.95:
        shrink = abs(1 - 2 * value)
        return wrong(
            en=f"At lr = {value:g} SGD {reached_en}: y flips sign every step and shrinks "
            f"only by |1 - 2·lr| = {shrink:.2f}.",
            ko=f"lr = {value:g}에서 SGD는 {reached_ko}: y가 스텝마다 부호를 바꾸며 "
            f"|1 - 2·lr| = {shrink:.2f}배씩만 줄어듭니다.",
            hint_en="A little lower, so that y settles: try 0.8 to 0.95.",
            hint_ko="y가 자리를 잡도록 조금 낮추세요: 0.8에서 0.95 사이를 시도해 보세요.",
        )
    return wrong(
        en=f"At lr = {value:g} SGD {reached_en}: the shallow x direction crawls.",
        ko=f"lr = {value:g}에서 SGD는 {reached_ko}: 완만한 x 방향이 기어가듯 느립니다.",
        hint_en="Go as high as the steep y direction allows (just under 1).",
        hint_ko="가파른 y 방향이 허용하는 만큼(1 바로 아래까지) 높이세요.",
    )


@register(
    "05b.2",
    title_en="Noise gets SGD off the saddle",
    title_ko="잡음이 SGD를 안장점에서 꺼내 줍니다",
    question_en="""
        On 'saddle', plain SGD (lr 0.1, 300 steps) started exactly on the ridge at (-1.5, 0)
        stops at the saddle point. Which gradient noise level (0 to 2, seed 0) lets it escape
        and settle near a minimum (final f below -0.2)? Answer with a number.
    """,
    question_ko="""
        'saddle'에서 능선 위의 (-1.5, 0)에서 정확히 출발한 일반 SGD(lr 0.1, 300 스텝)는
        안장점(saddle point)에서 멈춥니다. 기울기 잡음(noise)을 얼마로 하면(0에서 2 사이,
        seed 0) 빠져나와 최저점 근처에 자리 잡습니까(마지막 f가 -0.2 미만)? 숫자로 답하세요.
    """,
    solution_en="""
        answer = 0.05  # a little noise pushes y off 0; the slope does the rest
    """,
    solution_ko="""
        answer = 0.05  # 약간의 잡음이 y를 0에서 밀어내면 나머지는 기울기가 해냅니다
    """,
)
def noise_escapes_saddle(answer):
    from dlcourse import landscapes
    from dlcourse.optimizers import SGD

    value = as_number(answer)
    if value is None:
        return not_a_number(answer)
    if not 0 <= value <= 2:
        return wrong(
            en="The explorer's noise slider goes from 0 to 2.",
            ko="탐색기의 noise 슬라이더는 0부터 2까지입니다.",
            hint_en="Try 0.01 to 0.5.",
            hint_ko="0.01에서 0.5 사이를 시도해 보세요.",
        )
    walk = landscapes.run_trajectory(
        SGD(learning_rate=0.1), "saddle", start=(-1.5, 0.0), steps=300, noise=value, seed=0
    )
    if value == 0:
        return wrong(
            en="Without noise the gradient's y part is exactly 0 on the ridge: SGD walks "
            "straight into the saddle point and stops there.",
            ko="잡음이 없으면 능선 위에서 기울기의 y 성분이 정확히 0입니다: SGD는 안장점으로 "
            "곧장 걸어 들어가 거기서 멈춥니다.",
            hint_en="Any small nudge off y = 0 grows by itself; try noise 0.05.",
            hint_ko="y = 0에서 조금만 벗어나도 그 차이는 저절로 커집니다. noise 0.05를 시도해 "
            "보세요.",
        )
    final = walk.final_loss
    if final < -0.2:
        return correct(
            en=f"with noise {value:g} the point leaves the ridge and ends at "
            f"f = {final:.3f}: mini-batch noise helps to escape saddles.",
            ko=f"noise {value:g}이면 점이 능선을 벗어나 f = {final:.3f}에서 끝납니다: "
            f"미니배치의 잡음은 안장점을 빠져나오는 데 도움이 됩니다.",
        )
    return wrong(
        en=f"With noise {value:g} SGD ends at f = {final:.3f}: so much noise "
        f"that it cannot settle in a minimum.",
        ko=f"noise {value:g}에서 SGD는 f = {final:.3f}에서 끝납니다: 잡음이 너무 커서 "
        f"최저점에 자리 잡지 못합니다.",
        hint_en="Less noise: enough to leave y = 0, small next to the gradient.",
        hint_ko="잡음을 줄이세요: y = 0을 벗어날 만큼이면 되고, 기울기에 비해서는 작아야 합니다.",
    )
