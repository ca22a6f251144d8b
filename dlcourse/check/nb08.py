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
    title="When EarlyStopping stops",
    question="""
        EarlyStopping(monitor="val_loss", patience=2) sees the validation losses
        [0.90, 0.70, 0.60, 0.62, 0.58, 0.59, 0.61, 0.57], one per epoch.
        After which epoch (counted from 1) does training stop?
    """,
    solution="""
        # best so far: 0.90, 0.70, 0.60 (epochs 1-3); 0.62 is worse (1 epoch waiting);
        # 0.58 is a new best (epoch 5); 0.59 and 0.61 are worse: 2 epochs waiting = patience
        answer = 7
    """,
)
def early_stopping_epoch(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one whole number (an epoch)")
    if number == 7:
        return correct(
            "The best value 0.58 comes at epoch 5; epochs 6 and 7 do not beat it, "
            "and after the 2nd such epoch (patience=2) training stops."
        )
    if number == 6:
        return wrong(
            "6 is the epoch's index counted from 0 (what on_epoch_end receives).",
            hint="Count epochs from 1, as the plots and Keras's messages do.",
        )
    if number == 5:
        return wrong(
            "Epoch 5 is the BEST epoch (0.58): the one restore_best_weights would "
            "restore, not the one where training stops.",
            hint="After the best epoch, EarlyStopping waits `patience` more epochs.",
        )
    if number == 4:
        return wrong(
            "At epoch 4 (0.62) only ONE epoch has failed to improve, and epoch 5 then "
            "sets a new best, which resets the count.",
            hint="The count of epochs without improvement restarts at every new best.",
        )
    if number == 8:
        return wrong(
            "Training does not reach epoch 8: it stops earlier.",
            hint="Find the first moment when 2 epochs in a row fail to beat the best.",
        )
    if number == 3:
        return wrong(
            "Epoch 3 (0.60) is an improvement; nothing stops there.",
            hint="Compare each value with the best one BEFORE it.",
        )
    return wrong(
        f"Training does not stop after epoch {number:g}.",
        hint="Track the best value so far and count the epochs since it was set; "
        "stop when the count reaches 2.",
    )


CHECKPOINT_NAME = "model-05-0.257.keras"


@register(
    "08.2",
    title="A checkpoint's file name",
    question="""
        ModelCheckpoint("model-{epoch:02d}-{val_loss:.3f}.keras") saves after the fifth epoch,
        whose val_loss is 0.25678. What is the file's name?
    """,
    solution="""
        answer = "model-{epoch:02d}-{val_loss:.3f}.keras".format(epoch=5, val_loss=0.25678)
        # 'model-05-0.257.keras': the epoch counted from 1, two digits; the loss rounded
    """,
)
def checkpoint_name(answer):
    if not isinstance(answer, str):
        return wrong(
            f"Your answer {answer!r} is not text.",
            hint='Write the file name in quotes, e.g. "model-...keras".',
        )
    name = answer.strip()
    if name == CHECKPOINT_NAME:
        return correct(
            "{epoch:02d} writes the epoch counted from 1 with two digits, "
            "{val_loss:.3f} rounds to three decimals: model-05-0.257.keras."
        )
    if "{" in name:
        return wrong(
            "The fields in braces are filled in by ModelCheckpoint: the file name "
            "has numbers where the braces were.",
            hint='Try "model-{epoch:02d}-{val_loss:.3f}.keras".format(epoch=5, val_loss=0.25678).',
        )
    if not name.endswith(".keras"):
        return wrong(
            "The file name keeps the '.keras' ending of the pattern.",
            hint="Only the parts in braces change.",
        )
    mistakes = {
        "model-04-0.257.keras": (
            "04 is the epoch counted from 0; ModelCheckpoint fills {epoch} counting from 1.",
            "The fifth epoch is epoch 5.",
        ),
        "model-5-0.257.keras": (
            "{epoch:02d} pads the number to two digits.",
            "5 with two digits is 05 (so files sort in order).",
        ),
        "model-05-0.256.keras": (
            "'.3f' rounds, it does not cut off digits.",
            "0.25678 rounded to 3 decimals is 0.257.",
        ),
        "model-05-0.26.keras": ("'.3f' keeps three decimals, not two.", "0.25678 -> 0.257."),
        "model-05-0.25678.keras": ("'.3f' keeps only three decimals.", "0.25678 -> 0.257."),
        "model-05-.257.keras": ("Python writes the leading zero: 0.257.", ""),
    }
    if name in mistakes:
        return wrong(*mistakes[name])
    return wrong(
        f"{name!r} is not the name ModelCheckpoint writes.",
        hint='Format the pattern: "model-{epoch:02d}-{val_loss:.3f}.keras".format(...)',
    )


def _run_schedule(schedule, epochs=60, initial=0.01):
    """The rates a LearningRateScheduler would set: schedule(epoch, current rate) each epoch."""
    rates, lr = [], initial
    for epoch in range(epochs):
        lr = call_answer(schedule, epoch, lr)
        if lr is None:
            raise AnswerFailed(
                f"Your schedule returned None at epoch {epoch}.", "Did you forget the `return`?"
            )
        number = as_number(lr)
        if number is None:
            raise AnswerFailed(
                f"Your schedule returned {lr!r} at epoch {epoch}, not a number.",
                "Return the new learning rate as a float.",
            )
        rates.append(number)
        lr = number
    return np.array(rates)


@register(
    "08.3",
    title="A step-decay schedule",
    question="""
        Write my_schedule(epoch, lr) for LearningRateScheduler: 0.01 for epochs 0-19, 0.001 for
        20-39, 0.0001 for 40-59, ... (divide by 10 every 20 epochs). answer = my_schedule.
    """,
    solution="""
        def my_schedule(epoch, lr):
            return 0.01 * 0.1 ** (epoch // 20)

        answer = my_schedule
    """,
)
def step_schedule(answer):
    try:
        rates = _run_schedule(answer)
    except AnswerFailed as failed:
        return wrong(failed.what, failed.hint)
    epochs = np.arange(60)
    expected = 0.01 * 0.1 ** (epochs // 20)
    if np.allclose(rates, expected, rtol=1e-6, atol=0):
        return correct("0.01 × 0.1^(epoch // 20): integer division makes the steps.")
    if np.allclose(rates, expected / 10, rtol=1e-6, atol=0):
        return wrong(
            "Your rate is already divided at epoch 0 (0 % 20 == 0 is true).",
            hint="Start at 0.01 for epochs 0-19: divide only when epoch > 0, or use "
            "0.01 * 0.1 ** (epoch // 20).",
        )
    if np.allclose(rates, 0.01 * 0.1 ** (epochs / 20), rtol=1e-6, atol=0):
        return wrong(
            "Your rate decays smoothly every epoch (epoch / 20), not in steps.",
            hint="Use integer division: epoch // 20.",
        )
    if np.allclose(rates, 0.01 * 10.0 ** (epochs // 20), rtol=1e-6, atol=0):
        return wrong("Your rate grows by 10 every 20 epochs: multiply by 0.1, not by 10.")
    for shift in (1, -1):
        shifted = 0.01 * 0.1 ** (np.maximum(epochs + shift, 0) // 20)
        if np.allclose(rates, shifted, rtol=1e-6, atol=0):
            return wrong(
                "Your steps come one epoch "
                + ("early" if shift == 1 else "late")
                + f": at epoch {19 if shift == 1 else 20} the rate is wrong.",
                hint="epoch counts from 0: 0.01 for epochs 0-19, then 0.001 from epoch 20.",
            )
    if np.isclose(rates[1], rates[0] * 0.1) or np.isclose(rates[2], rates[1] * 0.1):
        return wrong(
            "Your schedule divides by 10 every epoch: the `lr` argument is already "
            "the divided rate, so the divisions pile up.",
            hint="Compute the rate from `epoch` alone: 0.01 * 0.1 ** (epoch // 20).",
        )
    first = int(np.argmax(~np.isclose(rates, expected, rtol=1e-6, atol=0)))
    return wrong(
        f"At epoch {first} your schedule gives {rates[first]:.3g}; expected {expected[first]:.3g}.",
        hint="0.01 for epochs 0-19, 0.001 for 20-39: 0.01 * 0.1 ** (epoch // 20).",
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
        if not hasattr(callback, "on_epoch_end"):
            raise AnswerFailed(
                "Your class has no on_epoch_end method.", "Subclass dlcourse.callbacks.Callback."
            )
        call_answer(callback.on_epoch_end, epoch, dict(logs))
        if model.stop_training:
            return epoch, callback
    return None, callback


@register(
    "08.4",
    title="A callback that stops below a training loss",
    question="""
        Write a Callback subclass StopBelowLoss(threshold) that stops training at the end of the
        first epoch whose training loss logs["loss"] is below threshold. answer = StopBelowLoss.
    """,
    solution="""
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
        return wrong(
            f"Your answer is a {type(answer).__name__}, not a class.",
            hint="Give the class itself: answer = StopBelowLoss (no parentheses).",
        )
    if not issubclass(answer, Callback):
        return wrong(
            "Your class does not subclass Callback, so fit() cannot use it.",
            hint="class StopBelowLoss(Callback): ... (from dlcourse.callbacks).",
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
        return wrong(failed.what, failed.hint)
    if stopped == 2:
        return correct(
            "on_epoch_end reads logs['loss'] and sets self.model.stop_training; "
            "fit() stops after that epoch."
        )
    if stopped is None:
        if getattr(callback, "stop_training", False):
            return wrong(
                "You set self.stop_training, on the callback; fit() reads the MODEL's flag.",
                hint="Write self.model.stop_training = True.",
            )
        if "on_epoch_end" not in vars(answer):
            return wrong(
                "Your class does not override on_epoch_end, so nothing happens at "
                "the end of an epoch.",
                hint="def on_epoch_end(self, epoch, logs=None): ...",
            )
        return wrong(
            "Your callback never stopped training, though the training loss fell "
            "to 0.4 (threshold 0.5).",
            hint='Compare logs["loss"] with self.threshold and set '
            "self.model.stop_training = True.",
        )
    if stopped == 0:
        return wrong(
            "Your callback stopped after the first epoch, where the training loss "
            "was 0.9: did you use logs['val_loss']?",
            hint='The exercise asks for the TRAINING loss: logs["loss"].',
        )
    if stopped == 1:
        return wrong(
            "Your callback stopped when the loss EQUALLED the threshold (0.5).",
            hint="Below means strictly less: <, not <=.",
        )
    return wrong(
        f"Your callback stopped after epoch index {stopped}; expected index 2.",
        hint='Stop at the first epoch with logs["loss"] < threshold.',
    )
