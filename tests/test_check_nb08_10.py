"""The exercises of notebooks 08-10: reference solutions pass, typical mistakes get specific
feedback (not just "wrong"), and nothing a learner types crashes the checker."""

import pytest

from dlcourse import check
from dlcourse.callbacks import Callback, EarlyStopping

IDS = ["08.1", "08.2", "08.3", "08.4", "08.5", "09.1", "09.2", "09.3", "10.1", "10.2", "10.3"]


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


def test_notebooks_08_to_10_register_exactly_these_exercises():
    ids = {e.id for e in check.all_exercises() if e.id.split(".")[0] in ("08", "09", "10")}
    assert ids == set(IDS)


CORRECT = {"en": "Exercise {}: Correct: ", "ko": "연습문제 {}: 정답: "}


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


# ----- 09 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, phrase",
    [
        ("save", "raises an error"),
        ("model.save()", "raises an error"),
        ("to_json", "to_json()"),
        ("load_weights", "reads a file back"),
        ("pickle", "Pickle"),
        ("export", "not a model"),
        (3, "not text"),
    ],
)
def test_0901_typical_mistakes(answer, phrase, assert_wrong):
    assert_wrong("09.1", answer, phrase)


def test_0901_accepts_spellings():
    for spelling in ["save_weights", "model.save_weights()", "Save_Weights", "save weights"]:
        assert run("09.1", spelling).status == "correct", spelling


@pytest.mark.parametrize(
    "answer, phrase",
    [
        ((5, 5), "LAST epoch"),
        ((6, 10), "already DONE"),
        ((0, 5), "numbers the new epochs"),
        ((10, 5), "order"),
        ((0, 10), "15 in all"),
        ((1, 2), "does not run"),
        (5, "not a pair"),
        (("5", "10"), "two numbers"),
    ],
)
def test_0902_typical_mistakes(answer, phrase, assert_wrong):
    assert_wrong("09.2", answer, phrase)


def test_0902_accepts_a_list():
    assert run("09.2", [5, 10]).status == "correct"


@pytest.mark.parametrize(
    "answer, phrase",
    [
        ("load_weights", "optimizer"),
        ("model_from_json", "NEW random weights"),
        ("pickle", "not one of"),
        (1, "not text"),
    ],
)
def test_0903_typical_mistakes(answer, phrase, assert_wrong):
    assert_wrong("09.3", answer, phrase)


# ----- 10 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (30 / 32, "RECALL"),
        (30 / 36, "neither"),
        (4 / 34, "WRONG"),
        (88.24, "percentage"),
        (0.5, "not the precision"),
        ("0.88", "wants"),
    ],
)
def test_1001_typical_mistakes(answer, phrase, assert_wrong):
    assert_wrong("10.1", answer, phrase)


def test_1001_accepts_a_rounded_value(feedback):
    assert feedback("10.1", 0.882).status == "correct"


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (512, "moving mean"),
        (128, "two per unit"),
        (2, "128 units"),
        (4, "128 units"),
        (8320, "Dense layer"),
        (100, "not the count"),
    ],
)
def test_1002_typical_mistakes(answer, phrase, assert_wrong):
    assert_wrong("10.2", answer, phrase)


def test_1002_matches_the_library(solution_answer):
    import numpy as np

    from dlcourse.layers import BatchNormalization, Dense, Input
    from dlcourse.models import Sequential

    model = Sequential([Input((64,)), Dense(128), BatchNormalization()])
    layer = model.layers[-1]
    assert sum(int(np.prod(w.shape)) for w in layer.trainable_weights) == solution_answer("10.2")


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (255, "MNIST"),
        (17, "largest is 16"),
        (8, "image size"),
        (64, "image size"),
        (10, "does not map"),
        ("16", "wants"),
    ],
)
def test_1003_typical_mistakes(answer, phrase, assert_wrong):
    assert_wrong("10.3", answer, phrase)
