"""Exercises of notebook 00 (welcome): the parts of a network, the Keras workflow, and an
experiment: the smallest hidden layer that learns XOR from every seed."""

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


@register(
    "00.1",
    title_en="Parameters of a Dense layer",
    title_ko="Dense 층의 파라미터 수",
    question_en="""
        The breast-cancer model's first layer is Dense(100) on 30 input features.
        How many trainable parameters (weights and biases) does it have?
    """,
    question_ko="""
        유방암 모델의 첫 층은 입력 피처(feature) 30개를 받는 Dense(100)입니다.
        이 층의 학습 가능한 파라미터(trainable parameter), 즉 가중치와 편향은 몇 개입니까?
    """,
    solution_en="""
        inputs, units = 30, 100
        answer = inputs * units + units  # one weight per input per unit, one bias per unit
    """,
    solution_ko="""
        inputs, units = 30, 100
        answer = inputs * units + units  # 유닛마다 입력 하나당 가중치 하나, 유닛마다 편향 하나
    """,
)
def dense_parameter_count(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, wanted_en="one whole number", wanted_ko="정수 하나")
    if number == 3100:
        return correct(
            en="30 × 100 weights in the kernel plus 100 biases, one per unit: 3100.",
            ko="커널(kernel)의 가중치 30 × 100개에 유닛마다 하나씩인 편향 100개를 더해 "
            "3100개입니다.",
        )
    if number == 3000:
        return wrong(
            en="3000 counts the weights (30 × 100) but not the biases.",
            ko="3000은 가중치(30 × 100)만 센 값이고 편향(bias)이 빠졌습니다.",
            hint_en="Each of the 100 units also has one bias.",
            hint_ko="100개의 유닛마다 편향도 하나씩 있습니다.",
        )
    if number == 3030:
        return wrong(
            en="You gave each input a bias; biases belong to the units.",
            ko="입력마다 편향을 하나씩 주었습니다. 편향은 유닛에 속합니다.",
            hint_en="The bias vector has one entry per unit: its shape is (units,).",
            hint_ko="편향 벡터는 유닛마다 값이 하나이므로 모양(shape)이 (units,)입니다.",
        )
    if number == 31:
        return wrong(
            en="31 is the count of ONE unit (30 weights + 1 bias).",
            ko="31은 유닛 하나의 파라미터 수입니다(가중치 30개 + 편향 1개).",
            hint_en="The layer has 100 such units.",
            hint_ko="이 층에는 그런 유닛이 100개 있습니다.",
        )
    if number in (130, 100, 30):
        return wrong(
            en=f"{number:g} is far too few: every unit has its own weight for EVERY input.",
            ko=f"{number:g}개는 너무 적습니다: 유닛마다 모든 입력 하나하나에 자기 가중치가 "
            "있습니다.",
            hint_en="The kernel has shape (inputs, units) = (30, 100); add the biases.",
            hint_ko="커널의 모양은 (inputs, units) = (30, 100)입니다. 여기에 편향을 더하세요.",
        )
    return wrong(
        en=f"{number:g} is not the number of parameters.",
        ko=f"파라미터는 {number:g}개가 아닙니다.",
        hint_en="Kernel (30, 100) plus bias (100,): count the entries of both.",
        hint_ko="커널 (30, 100)과 편향 (100,): 두 배열의 원소를 모두 세세요.",
    )


WORKFLOW_STEPS = ("define", "compile", "fit", "evaluate", "predict")
KOREAN_STEP_NAMES = {
    "정의": "define",
    "컴파일": "compile",
    "학습": "fit",
    "훈련": "fit",
    "평가": "evaluate",
    "예측": "predict",
}


@register(
    "00.2",
    title_en="Which step sets the loss",
    title_ko="손실 함수를 정하는 단계",
    question_en="""
        The workflow is define → compile → fit → evaluate → predict.
        In which step do you choose the loss function? Answer with the step's name as text.
    """,
    question_ko="""
        작업 흐름은 define → compile → fit → evaluate → predict입니다.
        손실 함수(loss function)는 어느 단계에서 정합니까? 단계 이름을 문자열로 답하세요.
    """,
    solution_en="""
        answer = "compile"  # model.compile(optimizer=..., loss=..., metrics=[...])
    """,
    solution_ko="""
        answer = "compile"  # model.compile(optimizer=..., loss=..., metrics=[...])에서 정합니다
    """,
)
def loss_step(answer):
    step = as_word(answer)
    steps = ", ".join(WORKFLOW_STEPS)
    if step is None:
        return wrong(
            en=f"Your answer {answer!r} is not text.",
            ko=f"답이 문자열이 아닙니다: {answer!r}",
            hint_en=f"Answer with one of the names in quotes: {steps}.",
            hint_ko=f"다음 이름 중 하나를 따옴표에 넣어 답하세요: {steps}.",
        )
    step = KOREAN_STEP_NAMES.get(step, step)
    if step == "compile":
        return correct(
            en="model.compile(optimizer=..., loss=..., metrics=...) fixes what training "
            "minimizes, before fit() runs.",
            ko="model.compile(optimizer=..., loss=..., metrics=...)이 fit() 실행 전에 "
            "학습이 최소화할 대상을 정합니다.",
        )
    which_call = dict(
        hint_en="Which call takes the arguments optimizer=, loss= and metrics=?",
        hint_ko="optimizer=, loss=, metrics= 인자를 받는 호출은 무엇입니까?",
    )
    mistakes = {
        "define": wrong(
            en="Defining the model chooses its layers and activations, not what it is trained "
            "to minimize.",
            ko="모델 정의(define)에서는 층과 활성화 함수를 고를 뿐, 학습이 최소화할 대상은 "
            "정하지 않습니다.",
            **which_call,
        ),
        "fit": wrong(
            en="fit() uses the loss at every step to compute gradients, but it was chosen before "
            "fit() runs.",
            ko="fit()은 매 스텝 손실로 기울기를 계산하지만, 손실 함수는 fit()이 실행되기 전에 "
            "이미 정해져 있습니다.",
            **which_call,
        ),
        "evaluate": wrong(
            en="evaluate() reports the loss on new data; it uses the loss chosen earlier.",
            ko="evaluate()는 새 데이터에서 손실을 알려 줄 뿐, 앞에서 정한 손실 함수를 그대로 "
            "씁니다.",
            **which_call,
        ),
        "predict": wrong(
            en="predict() never looks at a loss: it only runs the layers forward.",
            ko="predict()는 손실을 전혀 보지 않습니다: 층을 순방향(forward)으로 계산할 뿐입니다.",
            **which_call,
        ),
    }
    if step in mistakes:
        return mistakes[step]
    return wrong(
        en=f"{answer!r} is not one of the steps.",
        ko=f"작업 흐름의 단계가 아닙니다: {answer!r}",
        hint_en=f"Choose one of: {steps}.",
        hint_ko=f"다음 중 하나를 고르세요: {steps}.",
    )


XOR_INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_TARGETS = [0, 1, 1, 0]
XOR_SEEDS = (0, 1, 2, 3, 4)
XOR_EPOCHS = 300
MAX_HIDDEN_UNITS = 4


@register(
    "00.3",
    title_en="XOR from every seed, with a small hidden layer",
    title_ko="작은 은닉층으로 어떤 시드에서도 XOR 배우기",
    question_en="""
        Write build_model(): it returns a compiled network for XOR, with Input(shape=(2,)),
        ONE hidden Dense layer of at most 4 units, and Dense(1, activation="sigmoid") as output;
        you choose the hidden units, their activation, the optimizer and its learning rate.
        The checker trains it from 5 seeds (fit, 300 epochs, batch_size=4) and wants all four
        XOR points right every time. Start from 2 tanh units, the fewest that can represent
        XOR, and see which seeds get stuck. Assign the function: answer = build_model.
    """,
    question_ko="""
        build_model()을 작성하세요: Input(shape=(2,)), 유닛이 최대 4개인 은닉 Dense 층 하나,
        출력층 Dense(1, activation="sigmoid")로 된 XOR 신경망을 컴파일(compile)해서 돌려줍니다.
        은닉 유닛 수, 활성화 함수, 옵티마이저(optimizer)와 학습률은 직접 고르세요. 채점기는
        시드(seed) 5개에서 각각 학습하고(fit, 300 에포크, batch_size=4) 매번 XOR의 네 점을 모두
        맞히기를 요구합니다. XOR를 표현할 수 있는 가장 작은 구성인 tanh 유닛 2개에서 시작해,
        어느 시드에서 학습이 막히는지 보세요. 함수를 대입하세요: answer = build_model
    """,
    solution_en="""
        from dlcourse.layers import Dense, Input
        from dlcourse.models import Sequential
        from dlcourse.optimizers import Adam

        def build_model():
            model = Sequential([Input(shape=(2,)),
                                Dense(4, activation="tanh"),   # 2 units get stuck from some seeds
                                Dense(1, activation="sigmoid")])
            model.compile(optimizer=Adam(learning_rate=0.05), loss="binary_crossentropy")
            return model

        answer = build_model
    """,
    solution_ko="""
        from dlcourse.layers import Dense, Input
        from dlcourse.models import Sequential
        from dlcourse.optimizers import Adam

        def build_model():
            model = Sequential([Input(shape=(2,)),
                                Dense(4, activation="tanh"),   # 유닛 2개는 어떤 시드에서 막힙니다
                                Dense(1, activation="sigmoid")])
            model.compile(optimizer=Adam(learning_rate=0.05), loss="binary_crossentropy")
            return model

        answer = build_model
    """,
)
def xor_from_every_seed(answer):
    import numpy as np

    from dlcourse.utils import set_random_seed

    x = np.array(XOR_INPUTS, dtype="float32")
    y = np.array(XOR_TARGETS, dtype="float32")
    stuck = []
    for seed in XOR_SEEDS:
        set_random_seed(seed)  # the same starting weights for everyone's seed-th run
        model = call_answer(answer)
        if seed == XOR_SEEDS[0]:
            problem = _xor_model_problem(model)
            if problem is not None:
                return problem
        try:
            model.fit(x, y, epochs=XOR_EPOCHS, batch_size=4, verbose=0)
        except Exception as error:  # the learner's model: any error becomes feedback
            return wrong(
                en=f"Training your model raised {type(error).__name__}: {error}",
                ko=f"모델을 학습(fit)하니 {type(error).__name__} 오류가 났습니다: {error}",
                hint_en="Compile the model inside build_model, with a loss and an optimizer.",
                hint_ko="build_model 안에서 손실 함수와 옵티마이저를 주고 모델을 컴파일하세요.",
            )
        if not np.array_equal(model.predict(x, verbose=0).ravel() > 0.5, y > 0.5):
            stuck.append(seed)
    units, activation = _hidden_layer(model)
    learned = len(XOR_SEEDS) - len(stuck)
    if not stuck:
        return correct(
            en=f"{units} {activation} units learn XOR from all 5 seeds. The smallest network "
            "that can represent a function does not always find it from a random start; a few "
            "more units than the minimum make training reliable.",
            ko=f"{activation} 유닛 {units}개가 시드 5개 모두에서 XOR를 배웁니다. 어떤 함수를 "
            "표현할 수 있는 가장 작은 신경망이 무작위 시작점에서 늘 그 함수를 찾아내지는 "
            "못합니다. 최소보다 유닛을 조금 더 두면 학습이 안정적입니다.",
        )
    seeds = ", ".join(str(seed) for seed in stuck)
    en = f"Your network learned XOR from {learned} of 5 seeds; from seed(s) {seeds} it got stuck."
    ko = f"신경망이 시드 5개 중 {learned}개에서 XOR를 배웠고, 시드 {seeds}에서는 막혔습니다."
    if activation == "linear":
        return wrong(
            en=f"{en} Your hidden layer has no activation (linear): a linear layer followed by "
            "a sigmoid still draws one straight line, like a single perceptron.",
            ko=f"{ko} 은닉층에 활성화 함수가 없습니다(linear): 선형 층 뒤에 시그모이드를 두어도 "
            "퍼셉트론 하나처럼 직선 하나만 그립니다.",
            hint_en='Give the hidden layer a non-linear activation, e.g. activation="tanh".',
            hint_ko='은닉층에 비선형 활성화 함수를 주세요. 예: activation="tanh".',
        )
    if activation == "relu":
        return wrong(
            en=f"{en} With so few ReLU units, a unit that starts inactive on the points it "
            "needs never recovers (its gradient is 0 there).",
            ko=f"{ko} ReLU 유닛이 이렇게 적으면, 필요한 점들에서 처음부터 꺼져 있는 유닛은 "
            "되살아나지 못합니다(그곳에서 기울기가 0입니다).",
            hint_en="Try tanh, which is never flat at 0, or up to 4 units.",
            hint_ko="0 근처에서 평평해지지 않는 tanh를 쓰거나 유닛을 4개까지 늘려 보세요.",
        )
    return wrong(
        en=f"{en} From some random starts, {units} hidden units settle in a poor solution.",
        ko=f"{ko} 어떤 무작위 시작점에서는 은닉 유닛 {units}개가 나쁜 해에 자리 잡습니다.",
        hint_en="Give the network a few more hidden units (up to 4), or try another learning rate.",
        hint_ko="은닉 유닛을 조금 더(4개까지) 두거나 다른 학습률을 시도해 보세요.",
    )


def _hidden_layer(model):
    """(units, activation name) of the model's one hidden Dense layer."""
    config = model.layers[0].get_config()
    return config.get("units"), config.get("activation")


def _xor_model_problem(model):
    """A wrong(...) verdict when `model` is not the network the exercise asks for, else None."""
    from dlcourse.models import Model

    if not isinstance(model, Model):
        kind = type(model).__name__
        return wrong(
            en=f"build_model() returned a {kind}, not a model.",
            ko=f"build_model()이 모델이 아닌 {kind}를 돌려주었습니다.",
            hint_en="End build_model with `return model`.",
            hint_ko="build_model의 마지막 줄에 `return model`을 쓰세요.",
        )
    dense = [layer for layer in model.layers if type(layer).__name__ == "Dense"]
    output = dense[-1].get_config() if dense else {}
    if output.get("units") != 1 or output.get("activation") != "sigmoid":
        return wrong(
            en='The last layer must be Dense(1, activation="sigmoid"): one probability.',
            ko='마지막 층은 확률 하나를 내는 Dense(1, activation="sigmoid")여야 합니다.',
            hint_en='End the list of layers with Dense(1, activation="sigmoid").',
            hint_ko='층 목록을 Dense(1, activation="sigmoid")로 끝내세요.',
        )
    if len(dense) == 1:
        return wrong(
            en="Your network has no hidden layer: its one sigmoid unit draws one straight line, "
            "and no line separates XOR's classes.",
            ko="신경망에 은닉층이 없습니다: 시그모이드 유닛 하나는 직선 하나만 그리고, 어떤 "
            "직선도 XOR의 두 클래스를 나누지 못합니다.",
            hint_en="Put one Dense layer with a non-linear activation before the output.",
            hint_ko="출력층 앞에 비선형 활성화 함수를 쓰는 Dense 층 하나를 넣으세요.",
        )
    if len(dense) > 2 or len(model.layers) != len(dense):
        return wrong(
            en="The exercise asks for exactly one hidden Dense layer and the output layer.",
            ko="이 문제는 은닉 Dense 층 하나와 출력층만 쓰라고 합니다.",
            hint_en="The layers: Input(shape=(2,)), Dense(units, activation=...), Dense(1, ...).",
            hint_ko="층 구성: Input(shape=(2,)), Dense(units, activation=...), Dense(1, ...).",
        )
    units = dense[0].get_config().get("units")
    if units > MAX_HIDDEN_UNITS:
        return wrong(
            en=f"{units} hidden units is more than the 4 allowed: with many units XOR is easy; "
            "the experiment is how few still learn it reliably.",
            ko=f"은닉 유닛 {units}개는 허용된 4개보다 많습니다: 유닛이 많으면 XOR는 쉽습니다. "
            "이 실험은 몇 개까지 줄여도 안정적으로 배우는지 보는 것입니다.",
            hint_en="Use 2, 3 or 4 hidden units.",
            hint_ko="은닉 유닛을 2개, 3개 또는 4개로 하세요.",
        )
    return None


@register(
    "00.4",
    title_en="The last, smaller batch",
    title_ko="크기가 작은 마지막 배치",
    question_en="""
        You call model.fit(x, y, epochs=1) on 500 samples without giving batch_size
        (Keras then uses batch_size=32). How many weight updates happen?
    """,
    question_ko="""
        샘플 500개로 batch_size 없이 model.fit(x, y, epochs=1)을 호출합니다
        (이때 Keras는 batch_size=32를 씁니다). 가중치 갱신은 몇 번 일어납니까?
    """,
    solution_en="""
        import math

        samples, batch_size = 500, 32
        answer = math.ceil(samples / batch_size)  # 15 full batches and one of 20 samples
    """,
    solution_ko="""
        import math

        samples, batch_size = 500, 32
        answer = math.ceil(samples / batch_size)  # 꽉 찬 배치 15개와 샘플 20개짜리 배치 하나
    """,
)
def iterations_with_partial_batch(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, wanted_en="one whole number", wanted_ko="정수 하나")
    if number == 16:
        return correct(
            en="15 full batches of 32 take 480 samples; the last 20 form a 16th batch.",
            ko="32개짜리 꽉 찬 배치 15개가 샘플 480개를 쓰고, 남은 20개가 16번째 배치가 됩니다.",
        )
    if number == 15:
        return wrong(
            en="15 full batches cover only 480 samples: the 20 left over are not dropped.",
            ko="꽉 찬 배치 15개는 샘플 480개만 다룹니다: 남은 20개는 버려지지 않습니다.",
            hint_en="The last batch is smaller, but it is still a batch: round UP.",
            hint_ko="마지막 배치는 더 작지만 그래도 배치입니다: 올림하세요.",
        )
    if abs(number - 500 / 32) < 0.01:
        return wrong(
            en=f"{number:g} batches cannot happen: iterations are counted in whole batches.",
            ko=f"배치 {number:g}개는 있을 수 없습니다: 반복은 배치 단위로 셉니다.",
            hint_en="Round 500 / 32 to a whole number of batches; in which direction?",
            hint_ko="500 / 32를 배치 개수인 정수로 맞추세요. 올림일까요, 내림일까요?",
        )
    how_many = dict(
        hint_en="How many batches of 32 hold 500 samples?",
        hint_ko="샘플 500개를 담으려면 32개짜리 배치가 몇 개 필요합니까?",
    )
    known_mistakes = {
        20: wrong(
            en="20 is the size of the last batch.", ko="20은 마지막 배치의 크기입니다.", **how_many
        ),
        32: wrong(en="32 is the batch size.", ko="32는 배치 크기입니다.", **how_many),
        500: wrong(en="500 is the number of samples.", ko="500은 샘플 수입니다.", **how_many),
        1: wrong(en="1 is the number of epochs.", ko="1은 에포크 수입니다.", **how_many),
    }
    return wrong_if_known(
        number,
        known_mistakes,
        otherwise=wrong(
            en=f"{number:g} is not the number of batches.",
            ko=f"배치 수는 {number:g}개가 아닙니다.",
            hint_en="Compute 500 / 32, then round.",
            hint_ko="500 / 32를 계산한 다음 정수로 맞추세요.",
        ),
        rtol=0,
        atol=0,
    )
