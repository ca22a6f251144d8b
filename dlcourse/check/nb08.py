"""Exercises of notebook 08 (callbacks): patience, checkpoint names, schedules, own callbacks."""

import numpy as np

from dlcourse.check._registry import (
    AnswerFailed,
    as_number,
    call_answer,
    correct,
    not_a_number,
    register,
    wrong,
)

PATIENCE_LOSSES = [0.90, 0.70, 0.60, 0.62, 0.58, 0.59, 0.61, 0.57]


@register(
    "08.1",
    title_en="When EarlyStopping stops",
    title_ko="EarlyStopping이 학습을 멈추는 때",
    question_en="""
        EarlyStopping(monitor="val_loss", patience=2) sees the validation losses
        [0.90, 0.70, 0.60, 0.62, 0.58, 0.59, 0.61, 0.57], one per epoch.
        After which epoch (counted from 1) does training stop?
    """,
    question_ko="""
        EarlyStopping(monitor="val_loss", patience=2)이 에포크마다 검증 손실
        [0.90, 0.70, 0.60, 0.62, 0.58, 0.59, 0.61, 0.57]을 봅니다.
        학습은 몇 번째 에포크(1부터 셈)가 끝난 뒤에 멈춥니까?
    """,
    solution_en="""
        # best so far: 0.90, 0.70, 0.60 (epochs 1-3); 0.62 is worse (1 epoch waiting);
        # 0.58 is a new best (epoch 5); 0.59 and 0.61 are worse: 2 epochs waiting = patience
        answer = 7
    """,
    solution_ko="""
        # 지금까지의 최고: 0.90, 0.70, 0.60 (에포크 1-3); 0.62는 더 나쁨 (1 에포크 기다림);
        # 0.58이 새 최고 (에포크 5); 0.59와 0.61은 더 나쁨: 2 에포크 기다림 = patience
        answer = 7
    """,
)
def early_stopping_epoch(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(
            answer, wanted_en="one whole number (an epoch)", wanted_ko="정수 하나(에포크 번호)"
        )
    if number == 7:
        return correct(
            en="The best value 0.58 comes at epoch 5; epochs 6 and 7 do not beat it, "
            "and after the 2nd such epoch (patience=2) training stops.",
            ko="가장 좋은 값 0.58은 에포크 5에서 나옵니다. 에포크 6과 7은 그보다 낫지 않고, "
            "그런 에포크가 2번째로 나온 뒤(patience=2) 학습이 멈춥니다.",
        )
    if number == 6:
        return wrong(
            en="6 is the epoch's index counted from 0 (what on_epoch_end receives).",
            ko="6은 0부터 센 에포크 인덱스입니다(on_epoch_end가 받는 값).",
            hint_en="Count epochs from 1, as the plots and Keras's messages do.",
            hint_ko="그래프와 Keras의 메시지처럼 에포크를 1부터 세세요.",
        )
    if number == 5:
        return wrong(
            en="Epoch 5 is the BEST epoch (0.58): the one restore_best_weights would "
            "restore, not the one where training stops.",
            ko="에포크 5는 가장 좋은 에포크(0.58)입니다: restore_best_weights가 되돌릴 "
            "에포크이지, 학습이 멈추는 에포크가 아닙니다.",
            hint_en="After the best epoch, EarlyStopping waits `patience` more epochs.",
            hint_ko="가장 좋은 에포크 뒤에 EarlyStopping은 `patience` 에포크만큼 더 기다립니다.",
        )
    if number == 4:
        return wrong(
            en="At epoch 4 (0.62) only ONE epoch has failed to improve, and epoch 5 then "
            "sets a new best, which resets the count.",
            ko="에포크 4(0.62)까지는 개선되지 않은 에포크가 하나뿐이고, 이어서 에포크 5가 새 "
            "최고 기록을 세워 그 수를 다시 0으로 돌립니다.",
            hint_en="The count of epochs without improvement restarts at every new best.",
            hint_ko="개선이 없는 에포크 수는 새 최고 기록이 나올 때마다 처음부터 다시 셉니다.",
        )
    if number == 8:
        return wrong(
            en="Training does not reach epoch 8: it stops earlier.",
            ko="학습은 에포크 8까지 가지 않고 그 전에 멈춥니다.",
            hint_en="Find the first moment when 2 epochs in a row fail to beat the best.",
            hint_ko="2 에포크 연속으로 최고 기록을 넘지 못하는 첫 순간을 찾으세요.",
        )
    if number == 3:
        return wrong(
            en="Epoch 3 (0.60) is an improvement; nothing stops there.",
            ko="에포크 3(0.60)은 개선된 에포크라서 거기서는 멈추지 않습니다.",
            hint_en="Compare each value with the best one BEFORE it.",
            hint_ko="각 값을 그 앞까지의 최고 값과 비교하세요.",
        )
    return wrong(
        en=f"Training does not stop after epoch {number:g}.",
        ko=f"학습은 에포크 {number:g} 뒤에 멈추지 않습니다.",
        hint_en="Track the best value so far and count the epochs since it was set; "
        "stop when the count reaches 2.",
        hint_ko="지금까지의 최고 값을 기록하고 그 뒤로 지난 에포크 수를 세세요. 그 수가 2가 "
        "되면 멈춥니다.",
    )


CHECKPOINT_NAME = "model-05-0.257.keras"


@register(
    "08.2",
    title_en="A checkpoint's file name",
    title_ko="체크포인트 파일의 이름",
    question_en="""
        ModelCheckpoint("model-{epoch:02d}-{val_loss:.3f}.keras") saves after the fifth epoch,
        whose val_loss is 0.25678. What is the file's name?
    """,
    question_ko="""
        ModelCheckpoint("model-{epoch:02d}-{val_loss:.3f}.keras")가 다섯 번째 에포크가
        끝난 뒤 모델을 저장합니다. 이 에포크의 val_loss는 0.25678입니다. 파일 이름은
        무엇입니까?
    """,
    solution_en="""
        answer = "model-{epoch:02d}-{val_loss:.3f}.keras".format(epoch=5, val_loss=0.25678)
        # 'model-05-0.257.keras': the epoch counted from 1, two digits; the loss rounded
    """,
    solution_ko="""
        answer = "model-{epoch:02d}-{val_loss:.3f}.keras".format(epoch=5, val_loss=0.25678)
        # 'model-05-0.257.keras': 에포크는 1부터 세어 두 자리로, 손실은 반올림해서
    """,
)
def checkpoint_name(answer):
    if not isinstance(answer, str):
        return wrong(
            en=f"Your answer {answer!r} is not text.",
            ko=f"답이 문자열이 아닙니다: {answer!r}",
            hint_en='Write the file name in quotes, e.g. "model-...keras".',
            hint_ko='파일 이름을 따옴표 안에 쓰세요. 예: "model-...keras".',
        )
    name = answer.strip()
    if name == CHECKPOINT_NAME:
        return correct(
            en="{epoch:02d} writes the epoch counted from 1 with two digits, "
            "{val_loss:.3f} rounds to three decimals: model-05-0.257.keras.",
            ko="{epoch:02d}는 1부터 센 에포크를 두 자리로 쓰고, {val_loss:.3f}는 소수 셋째 "
            "자리까지 반올림합니다: model-05-0.257.keras.",
        )
    if "{" in name:
        return wrong(
            en="The fields in braces are filled in by ModelCheckpoint: the file name "
            "has numbers where the braces were.",
            ko="중괄호 안의 필드는 ModelCheckpoint가 채웁니다: 파일 이름에는 중괄호 자리에 "
            "숫자가 들어갑니다.",
            hint_en='Try "model-{epoch:02d}-{val_loss:.3f}.keras".format(epoch=5, '
            "val_loss=0.25678).",
            hint_ko='"model-{epoch:02d}-{val_loss:.3f}.keras".format(epoch=5, '
            "val_loss=0.25678)을 실행해 보세요.",
        )
    if not name.endswith(".keras"):
        return wrong(
            en="The file name keeps the '.keras' ending of the pattern.",
            ko="파일 이름에는 패턴의 '.keras' 확장자가 그대로 남습니다.",
            hint_en="Only the parts in braces change.",
            hint_ko="중괄호 부분만 바뀝니다.",
        )
    three_decimals = dict(hint_en="0.25678 -> 0.257.", hint_ko="0.25678 -> 0.257로 반올림됩니다.")
    mistakes = {
        "model-04-0.257.keras": wrong(
            en="04 is the epoch counted from 0; ModelCheckpoint fills {epoch} counting from 1.",
            ko="04는 0부터 센 에포크입니다. ModelCheckpoint는 {epoch}를 1부터 세어 채웁니다.",
            hint_en="The fifth epoch is epoch 5.",
            hint_ko="다섯 번째 에포크는 에포크 5입니다.",
        ),
        "model-5-0.257.keras": wrong(
            en="{epoch:02d} pads the number to two digits.",
            ko="{epoch:02d}는 숫자를 두 자리로 채웁니다.",
            hint_en="5 with two digits is 05 (so files sort in order).",
            hint_ko="5를 두 자리로 쓰면 05입니다(그래야 파일이 순서대로 정렬됩니다).",
        ),
        "model-05-0.256.keras": wrong(
            en="'.3f' rounds, it does not cut off digits.",
            ko="'.3f'는 자릿수를 잘라 내지 않고 반올림합니다.",
            hint_en="0.25678 rounded to 3 decimals is 0.257.",
            hint_ko="0.25678을 소수 3자리로 반올림하면 0.257입니다.",
        ),
        "model-05-0.26.keras": wrong(
            en="'.3f' keeps three decimals, not two.",
            ko="'.3f'는 소수 두 자리가 아니라 세 자리를 남깁니다.",
            **three_decimals,
        ),
        "model-05-0.25678.keras": wrong(
            en="'.3f' keeps only three decimals.",
            ko="'.3f'는 소수 세 자리만 남깁니다.",
            **three_decimals,
        ),
        "model-05-.257.keras": wrong(
            en="Python writes the leading zero: 0.257.", ko="Python은 앞의 0도 씁니다: 0.257."
        ),
    }
    if name in mistakes:
        return mistakes[name]
    return wrong(
        en=f"{name!r} is not the name ModelCheckpoint writes.",
        ko=f"ModelCheckpoint가 쓰는 이름이 아닙니다: {name!r}",
        hint_en='Format the pattern: "model-{epoch:02d}-{val_loss:.3f}.keras".format(...)',
        hint_ko='패턴을 포맷하세요: "model-{epoch:02d}-{val_loss:.3f}.keras".format(...)',
    )


def _run_schedule(schedule, epochs=60, initial=0.01):
    """The rates a LearningRateScheduler would set: schedule(epoch, current rate) each epoch."""
    rates, lr = [], initial
    for epoch in range(epochs):
        lr = call_answer(schedule, epoch, lr)
        if lr is None:
            raise AnswerFailed(
                wrong(
                    en=f"Your schedule returned None at epoch {epoch}.",
                    ko=f"에포크 {epoch}에서 스케줄 함수가 None을 돌려주었습니다.",
                    hint_en="Did you forget the `return`?",
                    hint_ko="`return`을 빠뜨리지 않았습니까?",
                )
            )
        number = as_number(lr)
        if number is None:
            raise AnswerFailed(
                wrong(
                    en=f"Your schedule returned {lr!r} at epoch {epoch}, not a number.",
                    ko=f"에포크 {epoch}에서 스케줄 함수가 숫자가 아닌 값을 돌려주었습니다: {lr!r}",
                    hint_en="Return the new learning rate as a float.",
                    hint_ko="새 학습률을 실수(float)로 돌려주세요.",
                )
            )
        rates.append(number)
        lr = number
    return np.array(rates)


@register(
    "08.3",
    title_en="A step-decay schedule",
    title_ko="계단식으로 줄어드는 학습률 스케줄",
    question_en="""
        Write my_schedule(epoch, lr) for LearningRateScheduler: 0.01 for epochs 0-19, 0.001 for
        20-39, 0.0001 for 40-59, ... (divide by 10 every 20 epochs). answer = my_schedule.
    """,
    question_ko="""
        LearningRateScheduler에 쓸 함수 my_schedule(epoch, lr)을 작성하세요: 에포크 0-19에는
        0.01, 20-39에는 0.001, 40-59에는 0.0001, ... (20 에포크마다 10으로 나눔).
        answer = my_schedule.
    """,
    solution_en="""
        def my_schedule(epoch, lr):
            return 0.01 * 0.1 ** (epoch // 20)

        answer = my_schedule
    """,
    solution_ko="""
        def my_schedule(epoch, lr):
            return 0.01 * 0.1 ** (epoch // 20)

        answer = my_schedule
    """,
)
def step_schedule(answer):
    try:
        rates = _run_schedule(answer)
    except AnswerFailed as failed:
        return failed.verdict
    epochs = np.arange(60)
    expected = 0.01 * 0.1 ** (epochs // 20)
    if np.allclose(rates, expected, rtol=1e-6, atol=0):
        return correct(
            en="0.01 × 0.1^(epoch // 20): integer division makes the steps.",
            ko="0.01 × 0.1^(epoch // 20): 정수 나눗셈이 계단을 만듭니다.",
        )
    if np.allclose(rates, expected / 10, rtol=1e-6, atol=0):
        return wrong(
            en="Your rate is already divided at epoch 0 (0 % 20 == 0 is true).",
            ko="에포크 0에서 이미 학습률을 나누었습니다(0 % 20 == 0은 참입니다).",
            hint_en="Start at 0.01 for epochs 0-19: divide only when epoch > 0, or use "
            "0.01 * 0.1 ** (epoch // 20).",
            hint_ko="에포크 0-19에는 0.01로 시작하세요: epoch > 0일 때만 나누거나, "
            "0.01 * 0.1 ** (epoch // 20)을 쓰세요.",
        )
    if np.allclose(rates, 0.01 * 0.1 ** (epochs / 20), rtol=1e-6, atol=0):
        return wrong(
            en="Your rate decays smoothly every epoch (epoch / 20), not in steps.",
            ko="학습률이 계단식이 아니라 에포크마다 매끄럽게 줄어듭니다(epoch / 20).",
            hint_en="Use integer division: epoch // 20.",
            hint_ko="정수 나눗셈을 쓰세요: epoch // 20.",
        )
    if np.allclose(rates, 0.01 * 10.0 ** (epochs // 20), rtol=1e-6, atol=0):
        return wrong(
            en="Your rate grows by 10 every 20 epochs: multiply by 0.1, not by 10.",
            ko="학습률이 20 에포크마다 10배씩 커집니다: 10이 아니라 0.1을 곱하세요.",
        )
    for shift in (1, -1):
        shifted = 0.01 * 0.1 ** (np.maximum(epochs + shift, 0) // 20)
        if np.allclose(rates, shifted, rtol=1e-6, atol=0):
            early = shift == 1
            wrong_epoch = 19 if early else 20
            return wrong(
                en=f"Your steps come one epoch {'early' if early else 'late'}: "
                f"at epoch {wrong_epoch} the rate is wrong.",
                ko=f"계단이 한 에포크 {'일찍' if early else '늦게'} 옵니다: "
                f"에포크 {wrong_epoch}에서 학습률이 틀립니다.",
                hint_en="epoch counts from 0: 0.01 for epochs 0-19, then 0.001 from epoch 20.",
                hint_ko="epoch는 0부터 셉니다: 에포크 0-19에는 0.01, 에포크 20부터는 0.001입니다.",
            )
    if np.isclose(rates[1], rates[0] * 0.1) or np.isclose(rates[2], rates[1] * 0.1):
        return wrong(
            en="Your schedule divides by 10 every epoch: the `lr` argument is already "
            "the divided rate, so the divisions pile up.",
            ko="스케줄이 에포크마다 10으로 나눕니다: `lr` 인자는 이미 나눈 학습률이라서 "
            "나눗셈이 계속 쌓입니다.",
            hint_en="Compute the rate from `epoch` alone: 0.01 * 0.1 ** (epoch // 20).",
            hint_ko="`epoch`만으로 학습률을 계산하세요: 0.01 * 0.1 ** (epoch // 20).",
        )
    first = int(np.argmax(~np.isclose(rates, expected, rtol=1e-6, atol=0)))
    given, wanted = rates[first], expected[first]
    return wrong(
        en=f"At epoch {first} your schedule gives {given:.3g}; expected {wanted:.3g}.",
        ko=f"에포크 {first}에서 스케줄이 주는 값은 {given:.3g}인데, 기대한 값은 "
        f"{wanted:.3g}입니다.",
        hint_en="0.01 for epochs 0-19, 0.001 for 20-39: 0.01 * 0.1 ** (epoch // 20).",
        hint_ko="에포크 0-19에는 0.01, 20-39에는 0.001: 0.01 * 0.1 ** (epoch // 20).",
    )


class _FakeModel:
    stop_training = False


def _stops(callback_class, logs_sequence, threshold):
    """The epoch (from 0) at which the learner's callback stops, or None; raises AnswerFailed."""
    callback = call_answer(callback_class, threshold)
    model = _FakeModel()
    if hasattr(callback, "set_model"):
        callback.set_model(model)
    if hasattr(callback, "on_train_begin"):
        call_answer(callback.on_train_begin, {})
    for epoch, logs in enumerate(logs_sequence):
        call_answer(callback.on_epoch_end, epoch, dict(logs))
        if model.stop_training:
            return epoch, callback
    return None, callback


@register(
    "08.4",
    title_en="A callback that stops below a training loss",
    title_ko="학습 손실이 기준보다 낮아지면 멈추는 콜백",
    question_en="""
        Write a Callback subclass StopBelowLoss(threshold) that stops training at the end of the
        first epoch whose training loss logs["loss"] is below threshold. answer = StopBelowLoss.
    """,
    question_ko="""
        학습 손실 logs["loss"]가 처음으로 threshold보다 낮아진 에포크가 끝날 때 학습을
        멈추는 Callback 하위 클래스 StopBelowLoss(threshold)를 작성하세요.
        answer = StopBelowLoss.
    """,
    solution_en="""
        from dlcourse.callbacks import Callback

        class StopBelowLoss(Callback):
            def __init__(self, threshold):
                super().__init__()
                self.threshold = threshold

            def on_epoch_end(self, epoch, logs=None):
                if logs["loss"] < self.threshold:
                    self.model.stop_training = True

        answer = StopBelowLoss
    """,
    solution_ko="""
        from dlcourse.callbacks import Callback

        class StopBelowLoss(Callback):
            def __init__(self, threshold):
                super().__init__()
                self.threshold = threshold

            def on_epoch_end(self, epoch, logs=None):
                if logs["loss"] < self.threshold:
                    self.model.stop_training = True

        answer = StopBelowLoss
    """,
)
def stop_below_loss(answer):
    from dlcourse.callbacks import Callback

    if not isinstance(answer, type):
        kind = type(answer).__name__
        return wrong(
            en=f"Your answer is a {kind}, not a class.",
            ko=f"답이 클래스가 아니라 {kind} 값입니다.",
            hint_en="Give the class itself: answer = StopBelowLoss (no parentheses).",
            hint_ko="클래스 자체를 주세요: answer = StopBelowLoss (괄호 없이).",
        )
    if not issubclass(answer, Callback):
        return wrong(
            en="Your class does not subclass Callback, so fit() cannot use it.",
            ko="클래스가 Callback을 상속하지 않아서 fit()이 쓸 수 없습니다.",
            hint_en="class StopBelowLoss(Callback): ... (from dlcourse.callbacks).",
            hint_ko="class StopBelowLoss(Callback): ... (Callback은 dlcourse.callbacks에 "
            "있습니다).",
        )
    logs = [
        {"loss": 0.9, "val_loss": 0.3},
        {"loss": 0.5, "val_loss": 0.8},
        {"loss": 0.4, "val_loss": 0.9},
        {"loss": 0.3, "val_loss": 1.0},
    ]
    try:
        stopped, callback = _stops(answer, logs, 0.5)
    except AnswerFailed as failed:
        return failed.verdict
    if stopped == 2:
        return correct(
            en="on_epoch_end reads logs['loss'] and sets self.model.stop_training; "
            "fit() stops after that epoch.",
            ko="on_epoch_end가 logs['loss']를 읽고 self.model.stop_training을 설정하면, "
            "fit()은 그 에포크가 끝난 뒤 멈춥니다.",
        )
    if stopped is None:
        if getattr(callback, "stop_training", False):
            return wrong(
                en="You set self.stop_training, on the callback; fit() reads the MODEL's flag.",
                ko="콜백의 self.stop_training을 설정했습니다. fit()은 모델의 플래그를 읽습니다.",
                hint_en="Write self.model.stop_training = True.",
                hint_ko="self.model.stop_training = True로 쓰세요.",
            )
        if "on_epoch_end" not in vars(answer):
            return wrong(
                en="Your class does not override on_epoch_end, so nothing happens at "
                "the end of an epoch.",
                ko="클래스가 on_epoch_end를 재정의(override)하지 않아서 에포크가 끝날 때 아무 "
                "일도 일어나지 않습니다.",
                hint_en="def on_epoch_end(self, epoch, logs=None): ...",
                hint_ko="이 메서드를 정의하세요: def on_epoch_end(self, epoch, logs=None): ...",
            )
        return wrong(
            en="Your callback never stopped training, though the training loss fell "
            "to 0.4 (threshold 0.5).",
            ko="학습 손실이 0.4까지 내려갔는데도(threshold 0.5) 콜백이 학습을 멈추지 않았습니다.",
            hint_en='Compare logs["loss"] with self.threshold and set '
            "self.model.stop_training = True.",
            hint_ko='logs["loss"]를 self.threshold와 비교하고 '
            "self.model.stop_training = True로 설정하세요.",
        )
    if stopped == 0:
        return wrong(
            en="Your callback stopped after the first epoch, where the training loss "
            "was 0.9: did you use logs['val_loss']?",
            ko="학습 손실이 0.9였던 첫 에포크 뒤에 콜백이 멈췄습니다: logs['val_loss']를 "
            "쓰지 않았습니까?",
            hint_en='The exercise asks for the TRAINING loss: logs["loss"].',
            hint_ko='이 문제는 학습 손실 logs["loss"]를 봅니다.',
        )
    if stopped == 1:
        return wrong(
            en="Your callback stopped when the loss EQUALLED the threshold (0.5).",
            ko="손실이 threshold(0.5)와 같아졌을 때 콜백이 멈췄습니다.",
            hint_en="Below means strictly less: <, not <=.",
            hint_ko="'낮다'는 엄밀히 작다는 뜻입니다: <=가 아니라 <입니다.",
        )
    return wrong(
        en=f"Your callback stopped after epoch index {stopped}; expected index 2.",
        ko=f"콜백이 에포크 인덱스 {stopped} 뒤에 멈췄습니다. 기대한 인덱스는 2입니다.",
        hint_en='Stop at the first epoch with logs["loss"] < threshold.',
        hint_ko='logs["loss"] < threshold인 첫 에포크에서 멈추세요.',
    )
