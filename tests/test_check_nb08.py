"""The exercises of notebook 08: reference solutions pass, typical mistakes get specific feedback
(not just "wrong"), nothing a learner types crashes the checker, and the experiment exercise 08.5
trains the notebook's network with the learner's callbacks."""

import pytest

from dlcourse import check
from dlcourse.callbacks import Callback, EarlyStopping, ModelCheckpoint

IDS = ["08.1", "08.2", "08.3", "08.4", "08.5"]


def run(exercise_id, answer):
    return check.exercise(exercise_id, answer)


@pytest.fixture
def assert_wrong(feedback):
    """`assert_wrong(exercise_id, answer, *english_phrases)`: wrong, with specific feedback in
    English and in Korean (see `feedback`)."""

    def assert_wrong(exercise_id, answer, *phrases):
        result = feedback(exercise_id, answer, *phrases)
        assert result.status == "wrong", result.message

    return assert_wrong


def test_notebook_08_registers_exactly_these_exercises():
    ids = {e.id for e in check.all_exercises() if e.id.split(".")[0] == "08"}
    assert ids == set(IDS)


CORRECT = {"en": "Exercise {}: Correct: ", "ko": "연습 문제 {}: 정답: "}


@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_solution_is_accepted(exercise_id, solution_answer, language, capsys):
    result = run(exercise_id, solution_answer(exercise_id))
    assert result.status == "correct", result.message
    assert capsys.readouterr().out.startswith(CORRECT[language].format(exercise_id))


@pytest.mark.parametrize("exercise_id", IDS)
def test_placeholder_is_not_attempted_and_does_not_raise(exercise_id):
    assert run(exercise_id, ...).status == "not attempted"


@pytest.mark.parametrize("exercise_id", IDS)
@pytest.mark.parametrize("junk", [None, "", [1, 2], {"a": 1}, float("nan"), True, object()])
def test_junk_answers_are_feedback_not_crashes(exercise_id, junk, feedback):
    assert feedback(exercise_id, junk).status == "wrong"


# ----- 08.1 ---------------------------------------------------------------------------------


class _Model:
    stop_training = False


def test_0801_reference_agrees_with_the_library_callback(solution_answer):
    from dlcourse.check.nb08 import PATIENCE_LOSSES

    callback, model = EarlyStopping(monitor="val_loss", patience=2), _Model()
    callback.set_model(model)
    callback.on_train_begin({})
    for epoch, value in enumerate(PATIENCE_LOSSES):
        callback.on_epoch_end(epoch, {"val_loss": value})
        if model.stop_training:
            break
    assert epoch + 1 == solution_answer("08.1") == 7


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (6, "counted from 0"),
        (5, "BEST epoch"),
        (4, "resets the count"),
        (8, "does not reach"),
        (3, "improvement"),
        (2, "does not stop"),
        ("7", "wants"),
    ],
)
def test_0801_typical_mistakes(answer, phrase, assert_wrong):
    assert_wrong("08.1", answer, phrase)


# ----- 08.2 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, phrase",
    [
        ("model-04-0.257.keras", "counted from 0"),
        ("model-5-0.257.keras", "two digits"),
        ("model-05-0.256.keras", "rounds"),
        ("model-05-0.25678.keras", "three decimals"),
        ("model-05-0.257", ".keras"),
        ("weights.keras", "not the name ModelCheckpoint writes"),
        ("model-{epoch:02d}-{val_loss:.3f}.keras", "braces"),
        (5, "not text"),
    ],
)
def test_0802_typical_mistakes(answer, phrase, assert_wrong):
    assert_wrong("08.2", answer, phrase)


def test_0802_accepts_surrounding_spaces(feedback):
    assert feedback("08.2", "  model-05-0.257.keras ").status == "correct"


# ----- 08.3 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "schedule, phrase",
    [
        (lambda epoch, lr: lr * 0.1 if epoch % 20 == 0 else lr, "already divided at epoch 0"),
        (lambda epoch, lr: 0.01 * 0.1 ** (epoch / 20), "smoothly"),
        (lambda epoch, lr: 0.01 * 10 ** (epoch // 20), "multiply by 0.1"),
        (lambda epoch, lr: 0.01 * 0.1 ** ((epoch + 1) // 20), "one epoch early"),
        (lambda epoch, lr: lr * 0.1, "every epoch"),
        (lambda epoch, lr: None, "forget the `return`"),
        (lambda epoch, lr: "0.01", "not a number"),
        (lambda epoch: 0.01, "raised TypeError"),
        (lambda epoch, lr: 1 / 0, "ZeroDivisionError"),
        (lambda epoch, lr: 0.01, "At epoch 20"),
    ],
)
def test_0803_typical_mistakes(schedule, phrase, assert_wrong):
    assert_wrong("08.3", schedule, phrase)


def test_0803_accepts_an_lr_based_schedule_that_is_right():
    def relative(epoch, lr):
        return lr * 0.1 if epoch > 0 and epoch % 20 == 0 else (0.01 if epoch == 0 else lr)

    assert run("08.3", relative).status == "correct"


# ----- 08.4 ---------------------------------------------------------------------------------


def make_callback(body, base=Callback):
    class StopBelowLoss(base):
        def __init__(self, threshold):
            if base is Callback:
                super().__init__()
            self.threshold = threshold

    if body is not None:
        StopBelowLoss.on_epoch_end = body
    return StopBelowLoss


def _on_own_flag(self, epoch, logs=None):
    if logs["loss"] < self.threshold:
        self.stop_training = True


@pytest.mark.parametrize(
    "body, phrase",
    [
        (
            lambda self, epoch, logs=None: setattr(
                self.model, "stop_training", logs["val_loss"] < self.threshold
            ),
            "val_loss",
        ),
        (
            lambda self, epoch, logs=None: setattr(
                self.model, "stop_training", logs["loss"] <= self.threshold
            ),
            "<=",
        ),
        (_on_own_flag, "self.model.stop_training"),
        (None, "does not override on_epoch_end"),
        (lambda self, epoch, logs=None: None, "never stopped"),
        (lambda self, epoch, logs=None: logs["accuracy"], "raised KeyError"),
        (
            lambda self, epoch, logs=None: setattr(
                self.model, "stop_training", logs["loss"] < self.threshold - 0.15
            ),
            "epoch index 3; expected index 2",
        ),
    ],
)
def test_0804_typical_mistakes(body, phrase, assert_wrong):
    assert_wrong("08.4", make_callback(body), phrase)


def test_0804_not_a_class_or_not_a_callback(assert_wrong):
    assert_wrong("08.4", make_callback(None)(0.5), "not a class")
    assert_wrong("08.4", make_callback(None, base=object), "does not subclass Callback")


def test_0804_reference_stops_a_real_fit(solution_answer):
    import numpy as np

    from dlcourse.layers import Dense, Input
    from dlcourse.models import Sequential
    from dlcourse.utils import set_random_seed

    set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(64, 3))
    y = x @ np.array([1.0, -2.0, 0.5])
    model = Sequential([Input((3,)), Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(
        x, y, epochs=500, batch_size=16, verbose=0, callbacks=[solution_answer("08.4")(1.0)]
    )
    losses = history.history["loss"]
    assert losses[-1] < 1.0 and all(loss >= 1.0 for loss in losses[:-1]) and len(losses) < 500


# ----- 08.5 ---------------------------------------------------------------------------------


class StopAfterTwoEpochs(Callback):
    def on_epoch_end(self, epoch, logs=None):
        self.model.stop_training = epoch >= 1


WRONG_CALLBACKS = [
    (lambda: [EarlyStopping(monitor="val_loss", patience=5)], "restore_best_weights defaults"),
    (
        lambda: [EarlyStopping(monitor="loss", patience=5, restore_best_weights=True)],
        "your callbacks watch ['loss']",
    ),
    (lambda: [Callback()], "nothing stopped it"),
    (
        lambda: [EarlyStopping(patience=0, min_delta=0.3, restore_best_weights=True)],
        "EarlyStopping's best epoch is not the lowest one",
    ),
    (
        lambda: [EarlyStopping(patience=5, restore_best_weights=True), StopAfterTwoEpochs()],
        "stopped too soon",
    ),
    (lambda: EarlyStopping(patience=5, restore_best_weights=True), "not one callback"),
    (lambda: ["EarlyStopping"], "not a list of callbacks"),
    (lambda: [EarlyStopping(monitor="val_los", patience=5)], "raised ValueError"),
]


@pytest.mark.parametrize("make, words", WRONG_CALLBACKS, ids=[w for _, w in WRONG_CALLBACKS])
def test_0805_typical_mistakes_get_specific_feedback(make, words, feedback):
    assert feedback("08.5", make(), words).status == "wrong"


def test_0805_a_checkpoint_beside_it_and_a_reused_list_pass(feedback, tmp_path):
    """A ModelCheckpoint next to EarlyStopping is fine, and the same list checked twice (as a
    learner re-running the cell does) gives the same verdict: the checker copies the callbacks."""
    answer = [
        EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True),
        ModelCheckpoint(str(tmp_path / "best.keras"), save_best_only=True),
    ]
    assert feedback("08.5", answer, "stopped by itself").status == "correct"
    assert feedback("08.5", answer).status == "correct"
