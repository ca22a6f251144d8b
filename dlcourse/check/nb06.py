"""Exercises of notebook 06 (overfitting): the L2 penalty, dropout's scaling, the best epoch."""

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
    solution_ko="""
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
