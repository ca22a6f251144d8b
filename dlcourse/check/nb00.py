"""Exercises of notebook 00 (welcome): the parts of a network and the Keras workflow."""

from dlcourse.check._registry import (
    as_number,
    as_word,
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


@register(
    "00.3",
    title_en="Iterations per epoch",
    title_ko="에포크당 반복 횟수",
    question_en="""
        A training set has 2000 samples and you fit with batch_size=200.
        How many iterations (weight updates) make one epoch?
    """,
    question_ko="""
        학습 데이터에 샘플이 2000개 있고 batch_size=200으로 학습(fit)합니다.
        한 에포크(epoch)는 몇 번의 반복(iteration), 즉 가중치 갱신으로 이루어집니까?
    """,
    solution_en="""
        samples, batch_size = 2000, 200
        answer = samples // batch_size  # each iteration processes one batch
    """,
    solution_ko="""
        samples, batch_size = 2000, 200
        answer = samples // batch_size  # 반복 한 번이 배치 하나를 처리합니다
    """,
)
def iterations_per_epoch(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, wanted_en="one whole number", wanted_ko="정수 하나")
    if number == 10:
        return correct(
            en="One epoch sees every sample once: 2000 / 200 = 10 batches, 10 updates.",
            ko="한 에포크는 모든 샘플을 한 번씩 봅니다: 2000 / 200 = 10, 즉 배치 10개에 갱신 "
            "10번입니다.",
        )
    fill = dict(
        hint_en="How many batches of 200 do 2000 samples fill?",
        hint_ko="샘플 2000개로 200개짜리 배치를 몇 개 채울 수 있습니까?",
    )
    known_mistakes = {
        200: wrong(
            en="200 is the batch size: the number of samples in ONE iteration.",
            ko="200은 배치 크기(batch size), 즉 반복 한 번에 쓰는 샘플 수입니다.",
            **fill,
        ),
        2000: wrong(
            en="2000 is the number of samples; one update per sample would need batch_size=1.",
            ko="2000은 샘플 수입니다. 샘플마다 한 번씩 갱신하려면 batch_size=1이어야 합니다.",
            **fill,
        ),
        400_000: wrong(
            en="You multiplied; the samples are SHARED out into batches.",
            ko="곱했습니다. 샘플들은 여러 배치로 나뉘어 들어갑니다.",
            **fill,
        ),
        0.1: wrong(en="You divided the wrong way round.", ko="나눗셈을 거꾸로 했습니다.", **fill),
        1: wrong(
            en="1 is the epoch itself; the question is how many batches it contains.",
            ko="1은 에포크 자체입니다. 묻는 것은 한 에포크에 배치가 몇 개 들어 있는가입니다.",
            **fill,
        ),
    }
    return wrong_if_known(
        number,
        known_mistakes,
        otherwise=wrong(
            en=f"{number:g} is not the number of batches.",
            ko=f"배치 수는 {number:g}개가 아닙니다.",
            hint_en="Divide the number of samples by the batch size.",
            hint_ko="샘플 수를 배치 크기로 나누세요.",
        ),
        rtol=0,
        atol=1e-9,
    )


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
