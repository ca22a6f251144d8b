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


# ----- 08.5: an experiment, stopping by itself at the best epoch --------------------------------

STOP_EPOCHS = 200
STOP_PASS = 1.15  # the model's val_loss may be this many times the reference run's best


def _stop_data():
    from dlcourse.datasets import load_digits

    (x_train, y_train), (x_val, y_val), _ = load_digits()
    return x_train[:200], y_train[:200], x_val, y_val


def _stop_network():
    """Notebook 08's build(): 64-128-128-10, Adam(0.01), the same start for the same seed."""
    from dlcourse.layers import Dense, Input
    from dlcourse.models import Sequential
    from dlcourse.optimizers import Adam
    from dlcourse.utils import clear_session, set_random_seed

    set_random_seed(0)
    clear_session()
    model = Sequential(
        [
            Input(shape=(64,)),
            Dense(128, activation="relu"),
            Dense(128, activation="relu"),
            Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


def _callbacks_of(answer):
    """The learner's callbacks as a fresh list (copies: a callback remembers its last fit), or
    a wrong verdict."""
    import copy

    from dlcourse.callbacks import Callback

    if isinstance(answer, Callback):
        raise AnswerFailed(
            wrong(
                en="fit(callbacks=...) takes a list of callbacks, not one callback.",
                ko="fit(callbacks=...)는 콜백 하나가 아니라 콜백의 리스트를 받습니다.",
                hint_en="Put it in brackets: answer = [EarlyStopping(...)].",
                hint_ko="대괄호로 감싸세요: answer = [EarlyStopping(...)].",
            )
        )
    if not isinstance(answer, (list, tuple)) or not all(isinstance(c, Callback) for c in answer):
        raise AnswerFailed(
            wrong(
                en="Your answer is not a list of callbacks.",
                ko="답이 콜백의 리스트가 아닙니다.",
                hint_en="answer = [EarlyStopping(...)], with EarlyStopping from "
                "dlcourse.callbacks.",
                hint_ko="answer = [EarlyStopping(...)]처럼 쓰세요. EarlyStopping은 "
                "dlcourse.callbacks에 있습니다.",
            )
        )
    return copy.deepcopy(list(answer))


@register(
    "08.5",
    title_en="Experiment: stop by itself, end at the best epoch",
    title_ko="실험: 스스로 멈추고 가장 좋은 에포크로 끝내기",
    question_en="""
        Give the list of callbacks with which fit() stops by itself and leaves the model at
        its best epoch (lowest val_loss). The checker trains notebook 08's build() on the 200
        training rows for up to 200 epochs with your callbacks and compares the model it gets
        with the training log. answer = [...].
    """,
    question_ko="""
        fit()이 스스로 멈추고 모델을 가장 좋은 에포크(가장 낮은 val_loss)의 상태로 남기게
        하는 콜백 리스트를 답하세요. 채점기가 노트북 08의 build()를 학습 데이터 200행으로 최대
        200 에포크 동안 이 콜백들과 함께 학습시키고, 얻은 모델을 학습 기록과 비교합니다.
        answer = [...].
    """,
    solution_en="""
        from dlcourse.callbacks import EarlyStopping

        # restore_best_weights defaults to False: without it the model keeps the last epoch
        answer = [EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)]
    """,
    solution_ko="""
        from dlcourse.callbacks import EarlyStopping

        # restore_best_weights의 기본값은 False: 없으면 모델은 마지막 에포크의 가중치를 가짐
        answer = [EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)]
    """,
)
def stop_at_the_best_epoch(answer):
    try:
        callbacks = _callbacks_of(answer)
    except AnswerFailed as failed:
        return failed.verdict
    x, y, x_val, y_val = _stop_data()
    model = _stop_network()
    try:
        log = model.fit(
            x,
            y,
            epochs=STOP_EPOCHS,
            batch_size=32,
            validation_data=(x_val, y_val),
            verbose=0,
            callbacks=callbacks,
        )
    except Exception as error:  # the learner's callbacks: any error becomes feedback
        kind = type(error).__name__
        return wrong(
            en=f"Training with your callbacks raised {kind}: {error}",
            ko=f"콜백과 함께 학습시키니 {kind} 오류가 났습니다: {error}",
            hint_en="Check each callback's arguments, e.g. monitor='val_loss'.",
            hint_ko="각 콜백의 인자를 확인하세요. 예: monitor='val_loss'.",
        )
    val_losses = log.history["val_loss"]
    ran = len(val_losses)
    if ran == STOP_EPOCHS:
        monitors = {getattr(c, "monitor", None) for c in callbacks} - {None}
        if monitors and "val_loss" not in monitors:
            return wrong(
                en=f"Training ran all {STOP_EPOCHS} epochs: your callbacks watch "
                f"{sorted(monitors)}, and the training loss keeps falling.",
                ko=f"학습이 {STOP_EPOCHS} 에포크를 모두 돌았습니다: 콜백이 {sorted(monitors)}를 "
                f"지켜보는데, 학습 손실은 계속 줄어듭니다.",
                hint_en="Watch the validation loss: monitor='val_loss'.",
                hint_ko="검증 손실을 지켜보세요: monitor='val_loss'.",
            )
        return wrong(
            en=f"Training ran all {STOP_EPOCHS} epochs: nothing stopped it.",
            ko=f"학습이 {STOP_EPOCHS} 에포크를 모두 돌았습니다: 아무것도 멈추지 않았습니다.",
            hint_en="EarlyStopping(monitor='val_loss', patience=5, ...) sets "
            "model.stop_training when val_loss stops improving.",
            hint_ko="EarlyStopping(monitor='val_loss', patience=5, ...)는 val_loss가 더 "
            "나아지지 않으면 model.stop_training을 설정합니다.",
        )
    now = float(model.evaluate(x_val, y_val, verbose=0)[0])
    best = float(min(val_losses))
    best_epoch = int(np.argmin(val_losses)) + 1
    restoring = [c for c in callbacks if getattr(c, "restore_best_weights", False)]
    if abs(now - best) > 1e-4 and restoring:
        return wrong(
            en=f"The model holds weights with val_loss {now:.3f}, but the log's lowest is "
            f"{best:.3f} (epoch {best_epoch}): with min_delta "
            f"{restoring[0].min_delta:g}, EarlyStopping's best epoch is not the lowest one.",
            ko=f"모델의 가중치는 val_loss {now:.3f}인데, 기록에서 가장 낮은 값은 {best:.3f}"
            f"(에포크 {best_epoch})입니다: min_delta {restoring[0].min_delta:g}에서는 "
            f"EarlyStopping의 최고 에포크가 가장 낮은 에포크가 아닙니다.",
            hint_en="Keep min_delta small (the default 0) and give it some patience.",
            hint_ko="min_delta는 작게(기본값 0) 두고 patience를 조금 주세요.",
        )
    if abs(now - best) > 1e-4:
        return wrong(
            en=f"Training stopped after epoch {ran}, but the model holds the weights of the "
            f"last epoch (val_loss {now:.3f}), not of the best one (epoch {best_epoch}, "
            f"{best:.3f}): restore_best_weights defaults to False.",
            ko=f"학습은 에포크 {ran} 뒤에 멈췄지만, 모델은 가장 좋은 에포크(에포크 "
            f"{best_epoch}, {best:.3f})가 아니라 마지막 에포크의 가중치(val_loss {now:.3f})를 "
            f"가지고 있습니다: restore_best_weights의 기본값은 False입니다.",
            hint_en="EarlyStopping(..., restore_best_weights=True).",
            hint_ko="EarlyStopping(..., restore_best_weights=True)로 쓰세요.",
        )
    reference = _stop_network().fit(
        x, y, epochs=40, batch_size=32, validation_data=(x_val, y_val), verbose=0
    )
    reference_best = float(min(reference.history["val_loss"]))
    if now > STOP_PASS * reference_best:
        return wrong(
            en=f"The model ends at its best epoch ({best_epoch}), but training stopped too "
            f"soon: val_loss {now:.3f}, where 40 epochs reach {reference_best:.3f}.",
            ko=f"모델은 가장 좋은 에포크({best_epoch})로 끝나지만 학습이 너무 일찍 멈췄습니다: "
            f"val_loss {now:.3f}인데, 40 에포크 동안에는 {reference_best:.3f}까지 내려갑니다.",
            hint_en="Give it some patience (about 5 epochs) and keep min_delta small.",
            hint_ko="patience를 조금(5 에포크쯤) 주고, min_delta는 작게 두세요.",
        )
    return correct(
        en=f"training stopped by itself after epoch {ran} of {STOP_EPOCHS} and the model "
        f"holds epoch {best_epoch}'s weights, the lowest val_loss ({best:.3f}).",
        ko=f"학습이 {STOP_EPOCHS} 에포크 중 에포크 {ran} 뒤에 스스로 멈췄고, 모델은 val_loss가 "
        f"가장 낮은({best:.3f}) 에포크 {best_epoch}의 가중치를 가지고 있습니다.",
    )
