"""Exercises of notebook 06 (overfitting): the L2 penalty, dropout's scaling, the best epoch,
L2 as weight decay under SGD, and an experiment: beat the baseline over three seeds."""

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
    wrong_if_known,
)


@register(
    "06.1",
    title_en="The L2 penalty of a layer",
    title_ko="한 층의 L2 규제 항",
    question_en="""
        A layer has the weights w = np.array([0.5, -1.0, 2.0]) and
        kernel_regularizer=regularizers.L2(0.01). How much does it add to the loss?
    """,
    question_ko="""
        어떤 층의 가중치가 w = np.array([0.5, -1.0, 2.0])이고
        kernel_regularizer=regularizers.L2(0.01)입니다. 이 규제는 손실에 얼마를 더합니까?
    """,
    solution_en="""
        import numpy as np
        w = np.array([0.5, -1.0, 2.0])
        answer = 0.01 * np.sum(w ** 2)  # L2(l2) adds l2 * sum(w^2): 0.01 * 5.25
    """,
    solution_ko="""
        import numpy as np
        w = np.array([0.5, -1.0, 2.0])
        answer = 0.01 * np.sum(w ** 2)  # L2(l2)는 l2 * sum(w^2)를 더합니다: 0.01 * 5.25
    """,
)
def l2_penalty(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    w = np.array([0.5, -1.0, 2.0])
    if np.isclose(number, 0.01 * np.sum(w**2)):
        return correct(
            en="0.01 × (0.25 + 1 + 4) = 0.0525: the factor times the sum of squares.",
            ko="0.01 × (0.25 + 1 + 4) = 0.0525: 계수에 제곱합을 곱한 값입니다.",
        )
    known = {
        np.sum(w**2): wrong(
            en="5.25 is the sum of squares without the factor 0.01.",
            ko="5.25는 계수 0.01을 곱하지 않은 제곱합입니다.",
            hint_en="L2(0.01) multiplies the sum of squares by 0.01.",
            hint_ko="L2(0.01)은 제곱합에 0.01을 곱합니다.",
        ),
        0.01 * np.sum(np.abs(w)): wrong(
            en="You summed |w|: that is the L1 penalty.",
            ko="|w|를 더했습니다: 그것은 L1 규제(L1 penalty)입니다.",
            hint_en="L2 squares each weight before summing.",
            hint_ko="L2는 가중치를 하나씩 제곱한 뒤에 더합니다.",
        ),
        0.01 * np.sum(w): wrong(
            en="You summed the weights themselves, so negative ones cancel.",
            ko="가중치 자체를 더해서 음수인 가중치가 다른 가중치를 상쇄했습니다.",
            hint_en="Square each weight first: the penalty can never be negative.",
            hint_ko="먼저 가중치마다 제곱하세요: 규제 항은 결코 음수가 될 수 없습니다.",
        ),
        0.01 * np.sqrt(np.sum(w**2)): wrong(
            en="You took the norm (square root of the sum of squares).",
            ko="노름(norm), 즉 제곱합의 제곱근을 구했습니다.",
            hint_en="Keras' L2 uses the squared norm, no square root.",
            hint_ko="Keras의 L2는 제곱근 없이 노름의 제곱을 씁니다.",
        ),
        0.5 * 0.01 * np.sum(w**2): wrong(
            en="You halved it: some textbooks write λ/2 · Σw², Keras does not.",
            ko="절반으로 나누었습니다: λ/2 · Σw²로 쓰는 교과서도 있지만 Keras는 그렇지 않습니다.",
            hint_en="L2(l2) adds exactly l2 * sum(w**2).",
            hint_ko="L2(l2)는 정확히 l2 * sum(w**2)를 더합니다.",
        ),
        0.01 * np.mean(w**2): wrong(
            en="You averaged the squares; the penalty sums them.",
            ko="제곱을 평균했습니다. 규제 항은 제곱을 더합니다.",
            hint_en="Use np.sum, not np.mean.",
            hint_ko="np.mean 대신 np.sum을 쓰세요.",
        ),
    }
    return wrong_if_known(
        number,
        known,
        otherwise=wrong(
            en=f"{number:g} is not the penalty.",
            ko=f"규제 항의 값이 아닙니다: {number:g}",
            hint_en="Compute 0.01 * np.sum(w ** 2).",
            hint_ko="0.01 * np.sum(w ** 2)를 계산하세요.",
        ),
    )


@register(
    "06.2",
    title_en="A kept unit in dropout",
    title_ko="드롭아웃에서 남은 유닛",
    question_en="""
        A Dropout(0.2) layer receives the value 3.0 in training, and this unit is kept.
        What value does it output?
    """,
    question_ko="""
        Dropout(0.2) 층이 학습 중에 값 3.0을 받았고, 이 유닛은 꺼지지 않고 남았습니다.
        이 층은 어떤 값을 출력합니까?
    """,
    solution_en="""
        rate = 0.2
        answer = 3.0 / (1 - rate)  # inverted dropout scales the kept units up
    """,
    solution_ko="""
        rate = 0.2
        answer = 3.0 / (1 - rate)  # 역 드롭아웃(inverted dropout)은 남은 유닛의 값을 키웁니다
    """,
)
def dropout_kept_value(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if np.isclose(number, 3.75):
        return correct(
            en="3.0 / (1 − 0.2) = 3.75: kept units are scaled up so the mean output "
            "stays 3.0 and inference needs no change.",
            ko="3.0 / (1 − 0.2) = 3.75: 남은 유닛의 값을 키워서 출력의 평균이 3.0으로 "
            "유지되므로, 추론(inference) 때는 아무것도 바꿀 필요가 없습니다.",
        )
    known = {
        3.0: wrong(
            en="That is what it outputs at inference; in training the kept units are scaled.",
            ko="그것은 추론 때의 출력입니다. 학습 중에는 남은 유닛의 값이 조정됩니다.",
            hint_en="Keras uses inverted dropout: divide by the share that is kept.",
            hint_ko="Keras는 역 드롭아웃(inverted dropout)을 씁니다: 남는 비율로 나누세요.",
        ),
        2.4: wrong(
            en="3.0 × 0.8 is the old (non-inverted) rule, applied at inference instead.",
            ko="3.0 × 0.8은 추론 때 적용하는 예전(non-inverted) 방식입니다.",
            hint_en="Inverted dropout divides by (1 − rate) during training.",
            hint_ko="역 드롭아웃은 학습 중에 (1 − rate)로 나눕니다.",
        ),
        0.0: wrong(
            en="0 is what a DROPPED unit outputs; this one is kept.",
            ko="0은 꺼진(dropped) 유닛의 출력입니다. 이 유닛은 남았습니다.",
            hint_en="Kept units are divided by (1 − rate).",
            hint_ko="남은 유닛은 (1 − rate)로 나눕니다.",
        ),
        15.0: wrong(
            en="You divided by the rate; divide by the share kept, 1 − rate.",
            ko="rate로 나누었습니다. 남는 비율인 1 − rate로 나누세요.",
            hint_en="1 − 0.2 = 0.8.",
            hint_ko="1 − 0.2 = 0.8입니다.",
        ),
        0.6: wrong(
            en="3.0 × 0.2 multiplies by the rate; kept units are scaled UP.",
            ko="3.0 × 0.2는 rate를 곱한 값입니다. 남은 유닛의 값은 오히려 커집니다.",
            hint_en="Divide by (1 − rate).",
            hint_ko="(1 − rate)로 나누세요.",
        ),
    }
    return wrong_if_known(
        number,
        known,
        otherwise=wrong(
            en=f"{number:g} is not the output.",
            ko=f"출력값이 아닙니다: {number:g}",
            hint_en="Divide the input by (1 − rate).",
            hint_ko="입력을 (1 − rate)로 나누세요.",
        ),
    )


_HISTORIES = [
    # chosen so that every typical mistake gives a different pair of answers
    {
        "loss": [1.0, 0.6, 0.4, 0.3, 0.2, 0.1],
        "val_loss": [1.2, 0.8, 0.7, 0.75, 0.9, 1.0],
        "val_accuracy": [0.5, 0.7, 0.8, 0.85, 0.84, 0.83],
    },
    {
        "loss": [0.9, 0.5, 0.2, 0.3],
        "val_loss": [0.7, 0.65, 0.74, 0.8],
        "val_accuracy": [0.6, 0.62, 0.7, 0.65],
    },
]


@register(
    "06.3",
    title_en="The epoch early stopping restores",
    title_ko="조기 종료가 되돌리는 에포크",
    question_en="""
        Write best_epoch(history): given a History's dict ({"loss": [...], "val_loss": [...]}),
        return the epoch, counted from 1, where the validation loss was lowest.
    """,
    question_ko="""
        History의 딕셔너리({"loss": [...], "val_loss": [...]})를 받아, 검증 손실이 가장
        낮았던 에포크를 1부터 세어 돌려주는 함수 best_epoch(history)를 작성하세요.
    """,
    solution_en="""
        import numpy as np

        def best_epoch(history):
            return int(np.argmin(history["val_loss"])) + 1

        answer = best_epoch
    """,
)
def best_epoch_function(answer):
    try:
        results = [call_answer(answer, dict(h)) for h in _HISTORIES]
    except AnswerFailed as failed:
        return failed.verdict
    expected = [int(np.argmin(h["val_loss"])) + 1 for h in _HISTORIES]
    numbers = [as_number(r) for r in results]
    if any(n is None for n in numbers):
        return wrong(
            en=f"best_epoch returned {results[0]!r}, not an epoch number.",
            ko=f"best_epoch가 에포크 번호가 아닌 값을 돌려주었습니다: {results[0]!r}",
            hint_en="Return one whole number, e.g. int(np.argmin(...)) + 1.",
            hint_ko="정수 하나를 돌려주세요. 예: int(np.argmin(...)) + 1.",
        )
    if numbers == expected:
        return correct(
            en="np.argmin finds the lowest validation loss; +1 counts epochs from 1.",
            ko="np.argmin이 가장 낮은 검증 손실을 찾고, +1로 에포크를 1부터 셉니다.",
        )
    if numbers == [e - 1 for e in expected]:
        return wrong(
            en="That is the index, counted from 0: one epoch too early.",
            ko="그것은 0부터 센 인덱스라서 한 에포크 이릅니다.",
            hint_en="Epochs in the plots (and in Keras' messages) count from 1: add 1.",
            hint_ko="그래프(와 Keras의 메시지)에서 에포크는 1부터 셉니다: 1을 더하세요.",
        )
    if numbers == [int(np.argmin(h["loss"])) + 1 for h in _HISTORIES]:
        return wrong(
            en="You used the training loss; it keeps falling while the model overfits.",
            ko="학습 손실을 썼습니다. 학습 손실은 모델이 과적합(overfitting)되는 동안에도 "
            "계속 내려갑니다.",
            hint_en='Look at history["val_loss"].',
            hint_ko='history["val_loss"]를 보세요.',
        )
    if numbers == [int(np.argmin(h["loss"])) for h in _HISTORIES]:
        return wrong(
            en="You used the training loss (and counted from 0).",
            ko="학습 손실을 썼습니다(그리고 0부터 셌습니다).",
            hint_en='Look at history["val_loss"], and add 1.',
            hint_ko='history["val_loss"]를 보고, 1을 더하세요.',
        )
    if numbers in (
        [int(np.argmax(h["val_loss"])) + 1 for h in _HISTORIES],
        [int(np.argmax(h["val_loss"])) for h in _HISTORIES],
    ):
        return wrong(
            en="You found the HIGHEST validation loss.",
            ko="가장 높은 검증 손실을 찾았습니다.",
            hint_en="A loss is best when lowest: argmin.",
            hint_ko="손실은 낮을수록 좋습니다: argmin.",
        )
    if numbers in (
        [int(np.argmax(h["val_accuracy"])) + 1 for h in _HISTORIES],
        [int(np.argmax(h["val_accuracy"])) for h in _HISTORIES],
    ):
        return wrong(
            en="You used the validation accuracy; early stopping here monitors val_loss.",
            ko="검증 정확도를 썼습니다. 여기서 조기 종료(early stopping)는 val_loss를 지켜봅니다.",
            hint_en='Use history["val_loss"] and argmin.',
            hint_ko='history["val_loss"]와 argmin을 쓰세요.',
        )
    if numbers == [len(h["val_loss"]) for h in _HISTORIES]:
        return wrong(
            en="That is the last epoch, not the best one.",
            ko="그것은 가장 좋은 에포크가 아니라 마지막 에포크입니다.",
            hint_en="Find where the validation loss is lowest.",
            hint_ko="검증 손실이 가장 낮은 곳을 찾으세요.",
        )
    return wrong(
        en=f"best_epoch gave {numbers} for two test histories; expected other epochs.",
        ko=f"best_epoch가 시험용 history 두 개에 대해 돌려준 에포크가 기대와 다릅니다: {numbers}",
        hint_en='Return int(np.argmin(history["val_loss"])) + 1.',
        hint_ko='int(np.argmin(history["val_loss"])) + 1을 돌려주세요.',
    )


@register(
    "06.4",
    title_en="L2 as weight decay under SGD",
    title_ko="SGD에서 가중치 감소와 같은 L2 규제",
    question_en="""
        With plain SGD at learning rate 0.1, a layer with kernel_regularizer=regularizers.L2(0.01)
        takes the same steps as the layer without the penalty trained by
        SGD(learning_rate=0.1, weight_decay=wd). Which wd?
    """,
    question_ko="""
        학습률 0.1의 기본 SGD에서 kernel_regularizer=regularizers.L2(0.01)을 쓴 층은, 규제 없이
        SGD(learning_rate=0.1, weight_decay=wd)로 학습한 층과 똑같이 갱신됩니다. wd는 얼마입니까?
    """,
    solution_en="""
        # L2(0.01) adds 0.01 * w**2, whose gradient is 2 * 0.01 * w: the step
        # w - 0.1 * (g + 0.02 * w) is the decay w - 0.1 * 0.02 * w followed by w - 0.1 * g
        answer = 2 * 0.01
    """,
    solution_ko="""
        # L2(0.01)은 0.01 * w**2를 더하고, 그 기울기는 2 * 0.01 * w입니다: 갱신
        # w - 0.1 * (g + 0.02 * w)는 감소 w - 0.1 * 0.02 * w 다음에 w - 0.1 * g를 한 것과 같습니다
        answer = 2 * 0.01
    """,
)
def l2_as_weight_decay(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if np.isclose(number, 0.02):
        return correct(
            en="The gradient of 0.01 * w**2 is 0.02 * w, so each SGD step shrinks w by "
            "0.1 * 0.02 * w: exactly what weight_decay=0.02 does (it is multiplied by the "
            "learning rate). With Adam the two are no longer the same.",
            ko="0.01 * w**2의 기울기는 0.02 * w이므로, SGD는 갱신마다 w를 0.1 * 0.02 * w만큼 "
            "줄입니다: weight_decay=0.02가 하는 일과 정확히 같습니다(학습률이 곱해집니다). "
            "Adam에서는 둘이 더 이상 같지 않습니다.",
        )
    derivative = dict(
        hint_en="Differentiate the penalty 0.01 * w**2 with respect to w.",
        hint_ko="규제 항 0.01 * w**2를 w로 미분하세요.",
    )
    times_rate = dict(
        hint_en="SGD multiplies weight_decay by the learning rate itself: w -= w * wd * lr.",
        hint_ko="SGD가 weight_decay에 학습률을 직접 곱합니다: w -= w * wd * lr.",
    )
    known = {
        0.01: wrong(
            en="0.01 is the penalty's factor, but the gradient of 0.01 * w**2 is 0.02 * w.",
            ko="0.01은 규제 항의 계수지만, 0.01 * w**2의 기울기는 0.02 * w입니다.",
            **derivative,
        ),
        0.005: wrong(
            en="0.005 halves the factor; the derivative of w**2 doubles it instead.",
            ko="0.005는 계수를 절반으로 나눈 값입니다. w**2를 미분하면 오히려 2배가 됩니다.",
            **derivative,
        ),
        0.002: wrong(
            en="0.002 = 0.1 * 0.02 is how much of w one step removes; weight_decay is "
            "multiplied by the learning rate on top.",
            ko="0.002 = 0.1 * 0.02는 한 번의 갱신이 w에서 덜어내는 비율입니다. weight_decay에는 "
            "학습률이 따로 곱해집니다.",
            **times_rate,
        ),
        0.001: wrong(
            en="0.001 = 0.1 * 0.01 multiplies by the learning rate, which weight_decay "
            "already includes, and misses the 2 from the derivative.",
            ko="0.001 = 0.1 * 0.01은 학습률을 곱한 값인데, weight_decay에는 이미 학습률이 "
            "곱해지고, 미분에서 나오는 2도 빠졌습니다.",
            **times_rate,
        ),
        0.2: wrong(
            en="0.2 = 0.02 / 0.1 divides by the learning rate; weight_decay is multiplied by it.",
            ko="0.2 = 0.02 / 0.1은 학습률로 나눈 값입니다. weight_decay에는 학습률이 곱해집니다.",
            **times_rate,
        ),
        0.998: wrong(
            en="0.998 is the factor w is multiplied by each step, 1 - 0.1 * wd; give wd.",
            ko="0.998은 갱신마다 w에 곱해지는 1 - 0.1 * wd입니다. wd를 답하세요.",
            hint_en="Solve 1 - 0.1 * wd = 0.998 for wd.",
            hint_ko="1 - 0.1 * wd = 0.998을 wd에 대해 푸세요.",
        ),
    }
    return wrong_if_known(
        number,
        known,
        otherwise=wrong(
            en=f"With weight_decay={number:g}, SGD's steps differ from the L2 penalty's.",
            ko=f"weight_decay={number:g}이면 SGD의 갱신이 L2 규제를 쓴 갱신과 다릅니다.",
            hint_en="One SGD step with the penalty is w - 0.1 * (g + 2 * 0.01 * w).",
            hint_ko="규제를 쓴 SGD 한 번의 갱신은 w - 0.1 * (g + 2 * 0.01 * w)입니다.",
        ),
    )


# ----- 06.5: beat the baseline over three seeds -------------------------------------------------
# The notebook's recipe on its 150 training rows; the final validation cross-entropy per seed.
SEEDS_06_5 = (0, 1, 2)
EPOCHS_06_5, BATCH_06_5 = 50, 32
_task_cache = {}  # seed shift -> (x, y, x_val, y_val); and ("baseline", shift) -> its losses


def _digits_task():
    """The notebook's 150 training rows and its validation rows (they move with the seed shift)."""
    from dlcourse.datasets import load_digits
    from dlcourse.utils import seed_shift

    key = seed_shift()
    if key not in _task_cache:
        (x_all, y_all), (x_val, y_val), _ = load_digits()
        _task_cache[key] = (x_all[:150], y_all[:150], x_val, y_val)
    return _task_cache[key]


def _baseline_model():
    """The notebook's baseline: 2 x 256 ReLU units, softmax, Adam at 0.003."""
    from dlcourse.layers import Dense, Input
    from dlcourse.models import Sequential
    from dlcourse.optimizers import Adam

    model = Sequential(
        [
            Input(shape=(64,)),
            Dense(256, activation="relu"),
            Dense(256, activation="relu"),
            Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer=Adam(0.003), loss="sparse_categorical_crossentropy")
    return model


def _checked_model(model, earlier, x_val):
    """`model` if it can be trained on the task; else AnswerFailed with what to fix."""
    from dlcourse.models import Model

    if not isinstance(model, Model):
        kind = type(model).__name__
        raise AnswerFailed(
            wrong(
                en=f"make_model() returned a {kind}, not a model.",
                ko=f"make_model()이 모델이 아니라 {kind}을(를) 돌려주었습니다.",
                hint_en="End the function with `return model`, after model.compile(...).",
                hint_ko="model.compile(...) 다음에 `return model`로 함수를 끝내세요.",
            )
        )
    if any(model is seen for seen in earlier):
        raise AnswerFailed(
            wrong(
                en="make_model() returned the same model twice; the checker trains a new one "
                "for each seed.",
                ko="make_model()이 같은 모델을 두 번 돌려주었습니다. 채점기는 시드마다 새 모델을 "
                "학습시킵니다.",
                hint_en="Build the model inside make_model(), so each call makes a new one.",
                hint_ko="make_model() 안에서 모델을 만들어, 부를 때마다 새 모델이 나오게 하세요.",
            )
        )
    if not model.compiled:
        raise AnswerFailed(
            wrong(
                en="The model is not compiled.",
                ko="모델이 컴파일되지 않았습니다.",
                hint_en='Call model.compile(optimizer=..., loss="sparse_categorical_crossentropy") '
                "before returning it.",
                hint_ko="돌려주기 전에 model.compile(optimizer=..., "
                'loss="sparse_categorical_crossentropy")을 호출하세요.',
            )
        )
    try:
        probabilities = np.asarray(model.predict(x_val[:5], verbose=0))
    except Exception as error:  # the learner's model: any error becomes feedback
        kind = type(error).__name__
        raise AnswerFailed(
            wrong(
                en=f"The model cannot take rows of 64 pixels ({kind}: {error}).",
                ko=f"모델이 픽셀 64개짜리 행을 받지 못합니다({kind}: {error}).",
                hint_en="Start it with Input(shape=(64,)).",
                hint_ko="Input(shape=(64,))로 시작하세요.",
            )
        ) from error
    if probabilities.shape != (5, 10):
        raise AnswerFailed(
            wrong(
                en=f"For 5 rows the model outputs shape {probabilities.shape}; the 10 digits "
                "need (5, 10).",
                ko=f"행 5개에 대해 모델의 출력 모양(shape)이 {probabilities.shape}입니다. 숫자 "
                "10개를 분류하려면 (5, 10)이어야 합니다.",
                hint_en='End with Dense(10, activation="softmax").',
                hint_ko='Dense(10, activation="softmax")로 끝내세요.',
            )
        )
    if np.any(probabilities < 0) or not np.allclose(probabilities.sum(axis=1), 1, atol=1e-3):
        raise AnswerFailed(
            wrong(
                en="The outputs are not probabilities (each row should sum to 1).",
                ko="출력이 확률이 아닙니다(각 행의 합이 1이어야 합니다).",
                hint_en='Give the last layer activation="softmax".',
                hint_ko='마지막 층에 activation="softmax"를 주세요.',
            )
        )
    return model


def final_validation_losses(make_model):
    """Per seed of SEEDS_06_5: a new model from make_model(), trained with the notebook's recipe
    on its 150 rows; its validation cross-entropy after the last epoch."""
    from dlcourse import losses
    from dlcourse.utils import set_random_seed

    x, y, x_val, y_val = _digits_task()
    models, result = [], []
    for seed in SEEDS_06_5:
        set_random_seed(seed)
        model = _checked_model(call_answer(make_model), models, x_val)
        models.append(model)
        try:
            model.fit(x, y, epochs=EPOCHS_06_5, batch_size=BATCH_06_5, verbose=0)
            probabilities = model.predict(x_val, verbose=0)
        except Exception as error:  # the learner's model: any error becomes feedback
            kind = type(error).__name__
            raise AnswerFailed(
                wrong(
                    en=f"Training the model raised {kind}: {error}",
                    ko=f"모델을 학습시키니 {kind} 오류가 났습니다: {error}",
                    hint_en="Train your model once yourself with model.fit(x_small, y_small) "
                    "and read the error.",
                    hint_ko="model.fit(x_small, y_small)으로 직접 한 번 학습시켜 보고 오류를 "
                    "읽어 보세요.",
                )
            ) from error
        cross_entropy = losses.sparse_categorical_crossentropy(y_val, probabilities)
        result.append(float(np.mean(cross_entropy)))
    return np.array(result)


def _baseline_losses():
    from dlcourse.utils import seed_shift

    key = ("baseline", seed_shift())
    if key not in _task_cache:
        _task_cache[key] = final_validation_losses(_baseline_model)
    return _task_cache[key]


@register(
    "06.5",
    title_en="Beat the baseline over three seeds",
    title_ko="시드 3개로 기준 모델 이기기",
    question_en="""
        Write make_model(): it returns a new compiled model for the 64 pixels with a 10-unit
        softmax output, with remedies of your choice (dropout, a regularizer, weight_decay,
        other sizes...). The checker trains it on the 150 rows with the notebook's recipe
        (50 epochs, batches of 32) with 3 seeds, as it does the baseline: your mean final
        validation loss must be lower, beyond noise (by more than 2 standard errors).
    """,
    question_ko="""
        make_model()을 작성하세요: 픽셀 64개를 받아 유닛 10개의 softmax로 출력하는, 컴파일된 새
        모델을 돌려줍니다. 규제 방법은 자유입니다(드롭아웃, 규제, weight_decay, 다른 크기...).
        채점기는 기준 모델과 똑같이 이 모델을 150개 행으로 노트북의 방법(50 에포크, 배치 32)에 따라
        시드 3개로 학습시킵니다: 마지막 검증 손실의 평균이 노이즈를 넘어(표준오차의 2배보다 더)
        낮아야 합니다.
    """,
    solution_en="""
        from dlcourse.layers import Dense, Dropout, Input
        from dlcourse.models import Sequential
        from dlcourse.optimizers import Adam


        def make_model():
            model = Sequential([
                Input(shape=(64,)),
                Dense(256, activation="relu"), Dropout(0.5),
                Dense(256, activation="relu"), Dropout(0.5),
                Dense(10, activation="softmax"),
            ])
            # dropout lowers the best loss, decoupled weight decay keeps the final one low
            model.compile(optimizer=Adam(0.003, weight_decay=1.0),
                          loss="sparse_categorical_crossentropy")
            return model


        answer = make_model
    """,
    solution_ko="""
        from dlcourse.layers import Dense, Dropout, Input
        from dlcourse.models import Sequential
        from dlcourse.optimizers import Adam


        def make_model():
            model = Sequential([
                Input(shape=(64,)),
                Dense(256, activation="relu"), Dropout(0.5),
                Dense(256, activation="relu"), Dropout(0.5),
                Dense(10, activation="softmax"),
            ])
            # 드롭아웃은 가장 낮은 손실을, 분리된 가중치 감소는 마지막 손실을 낮춥니다
            model.compile(optimizer=Adam(0.003, weight_decay=1.0),
                          loss="sparse_categorical_crossentropy")
            return model


        answer = make_model
    """,
)
def beat_the_baseline(answer):
    from dlcourse.models import Model

    if isinstance(answer, Model):
        return wrong(
            en="Your answer is a model; the checker needs the function that builds one, to call "
            "it once per seed.",
            ko="답이 모델입니다. 채점기는 시드마다 한 번씩 부를 수 있도록 모델을 만드는 함수가 "
            "필요합니다.",
            hint_en="Write answer = make_model, without parentheses.",
            hint_ko="괄호 없이 answer = make_model로 쓰세요.",
        )
    try:
        mine = keeping_random_state(lambda: final_validation_losses(answer))
    except AnswerFailed as failed:
        return failed.verdict
    baseline = keeping_random_state(_baseline_losses)
    change = mine.mean() - baseline.mean()
    noise = 2 * np.sqrt((mine.var(ddof=1) + baseline.var(ddof=1)) / len(SEEDS_06_5))
    yours = f"{mine.mean():.3f} ± {mine.std(ddof=1):.3f}"
    theirs = f"{baseline.mean():.3f} ± {baseline.std(ddof=1):.3f}"
    if np.allclose(mine, baseline, rtol=0, atol=1e-6):
        return wrong(
            en=f"Your final validation losses are the baseline's ({theirs}): make_model() builds "
            "the baseline itself.",
            ko=f"마지막 검증 손실이 기준 모델과 같습니다({theirs}): make_model()이 기준 모델 "
            "그대로를 만듭니다.",
            hint_en="Add a remedy: e.g. weight_decay=... in Adam, or Dropout layers.",
            hint_ko="규제 방법을 더하세요: 예를 들어 Adam의 weight_decay=..., 또는 Dropout 층.",
        )
    if change < -noise:
        return correct(
            en=f"Mean final validation loss {yours} against the baseline's {theirs}: lower by "
            f"{-change:.3f}, more than the noise {noise:.3f} (2 standard errors over 3 seeds).",
            ko=f"마지막 검증 손실의 평균이 {yours}로 기준 모델의 {theirs}보다 {-change:.3f} 낮고, "
            f"이는 노이즈 {noise:.3f}(시드 3개의 표준오차의 2배)보다 큽니다.",
        )
    stronger = dict(
        hint_en="After 50 epochs without early stopping, what counts is how far the validation "
        "loss climbs back: weight_decay or an L2 penalty act on that; dropout mostly lowers the "
        "best epoch. Try a stronger setting or combine two remedies.",
        hint_ko="조기 종료 없이 50 에포크를 학습하면 검증 손실이 다시 얼마나 "
        "올라가는지가 중요합니다: weight_decay나 L2 규제가 이것을 줄이고, 드롭아웃은 주로 "
        "가장 좋은 에포크의 손실을 낮춥니다. 더 강하게 하거나 두 방법을 함께 쓰세요.",
    )
    if change < 0:
        return wrong(
            en=f"Mean final validation loss {yours} against the baseline's {theirs}: lower by "
            f"{-change:.3f}, but within noise ({noise:.3f} = 2 standard errors over 3 seeds), "
            "so it could be luck.",
            ko=f"마지막 검증 손실의 평균이 {yours}로 기준 모델의 {theirs}보다 "
            f"{-change:.3f} 낮지만, 노이즈({noise:.3f} = 시드 3개의 표준오차의 2배) 안이라서 "
            "운일 수 있습니다.",
            **stronger,
        )
    return wrong(
        en=f"Mean final validation loss {yours} is not below the baseline's {theirs}.",
        ko=f"마지막 검증 손실의 평균 {yours}이 기준 모델의 {theirs}보다 낮지 않습니다.",
        **stronger,
    )
