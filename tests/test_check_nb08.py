"""Checker of notebook 08's experiment exercise 08.5: the checker trains the notebook's network
with the learner's callbacks; the reference passes, typical mistakes get specific feedback."""

import pytest

from dlcourse.callbacks import Callback, EarlyStopping, ModelCheckpoint


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
