"""Callbacks: Keras 3 semantics pinned with scripted log sequences, then checked inside fit()."""

import csv
import math
import warnings

import numpy as np
import pytest

from dlcourse import callbacks as cb_module
from dlcourse.callbacks import (
    Callback,
    CallbackList,
    CSVLogger,
    EarlyStopping,
    LambdaCallback,
    LearningRateScheduler,
    LivePlot,
    ModelCheckpoint,
    ReduceLROnPlateau,
    TerminateOnNaN,
)
from dlcourse.layers import Dense
from dlcourse.models import Sequential
from dlcourse.optimizers import SGD
from dlcourse.utils import set_random_seed


class FakeModel:
    """Just what callbacks touch: weights, stop_training, an optimizer, save calls."""

    def __init__(self, learning_rate=0.1):
        self.weights = [np.zeros(2)]
        self.stop_training = False
        self.optimizer = SGD(learning_rate=learning_rate)
        self.saved = []

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [w.copy() for w in weights]

    def save(self, filepath, overwrite=True):
        self.saved.append(("model", filepath))

    def save_weights(self, filepath, overwrite=True):
        self.saved.append(("weights", filepath))


def run_script(callback, values, key="val_loss", model=None):
    """Feed one logged value per epoch; returns (model, number of epochs run)."""
    model = model or FakeModel()
    callback.set_model(model)
    callback.on_train_begin()
    epochs_run = 0
    for epoch, value in enumerate(values):
        model.weights = [np.full(2, float(epoch))]  # weights tell which epoch they are from
        callback.on_epoch_begin(epoch)
        callback.on_epoch_end(epoch, {key: value})
        epochs_run += 1
        if model.stop_training:
            break
    callback.on_train_end()
    return model, epochs_run


def small_data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("float32")
    return x, y


def small_model(optimizer="adam"):
    model = Sequential(
        [Dense(8, input_shape=(4,), activation="relu"), Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    return model


# ----- EarlyStopping ------------------------------------------------------------------------


def test_early_stopping_stops_after_the_fourth_epoch_with_patience_2():
    callback = EarlyStopping(monitor="val_loss", patience=2)
    model, epochs = run_script(callback, [1.0, 0.9, 0.95, 0.96, 0.97])
    assert epochs == 4
    assert callback.stopped_epoch == 3
    assert callback.best == 0.9
    assert callback.wait == 2


def test_early_stopping_patience_0_stops_at_the_first_epoch_without_improvement():
    _, epochs = run_script(EarlyStopping(patience=0), [1.0, 0.8, 0.85, 0.5])
    assert epochs == 3


def test_early_stopping_min_delta_counts_small_gains_as_no_improvement():
    _, epochs = run_script(EarlyStopping(patience=1, min_delta=0.1), [1.0, 0.95, 0.5])
    assert epochs == 2
    _, epochs = run_script(EarlyStopping(patience=1, min_delta=0.01), [1.0, 0.95, 0.5])
    assert epochs == 3


def test_early_stopping_maximizes_accuracy_in_auto_mode():
    callback = EarlyStopping(monitor="val_accuracy", patience=2)
    _, epochs = run_script(callback, [0.5, 0.6, 0.55, 0.58, 0.9], key="val_accuracy")
    assert epochs == 4
    assert callback.best == 0.6


def test_early_stopping_baseline_keeps_counting_until_the_baseline_is_beaten():
    values = [0.9, 0.8, 0.85]
    _, without = run_script(EarlyStopping(patience=2), values)
    _, with_baseline = run_script(EarlyStopping(patience=2, baseline=0.5), values)
    assert without == 3 and with_baseline == 3
    callback = EarlyStopping(patience=2, baseline=0.5)
    run_script(callback, values)
    assert callback.stopped_epoch == 2  # stopped: improvements above 0.5 did not reset wait
    callback = EarlyStopping(patience=2)
    run_script(callback, values)
    assert callback.stopped_epoch == 0


def test_early_stopping_ignores_epochs_before_start_from_epoch():
    _, epochs = run_script(EarlyStopping(patience=1), [1.0, 2.0, 3.0, 4.0])
    assert epochs == 2
    _, epochs = run_script(EarlyStopping(patience=1, start_from_epoch=2), [1.0, 2.0, 3.0, 4.0])
    assert epochs == 4


def test_restore_best_weights_even_when_training_ran_its_full_length():
    callback = EarlyStopping(patience=10, restore_best_weights=True)
    model, epochs = run_script(callback, [1.0, 0.5, 0.7, 0.8])
    assert epochs == 4 and not model.stop_training
    np.testing.assert_array_equal(model.weights[0], [1.0, 1.0])  # epoch 1's weights
    assert callback.best_epoch == 1


def test_restore_best_weights_after_stopping_early():
    callback = EarlyStopping(patience=2, restore_best_weights=True)
    model, _ = run_script(callback, [1.0, 0.9, 0.95, 0.96, 0.97])
    np.testing.assert_array_equal(model.weights[0], [1.0, 1.0])


def test_missing_monitor_warns_once_and_does_not_stop():
    callback = EarlyStopping(monitor="val_loss", patience=0)
    with pytest.warns(UserWarning, match="val_loss.*not in the logs.*validation_split") as record:
        model, epochs = run_script(callback, [1.0, 2.0, 3.0], key="loss")
    assert len([w for w in record if "val_loss" in str(w.message)]) == 1
    assert epochs == 3 and not model.stop_training


def test_unknown_metric_in_auto_mode_asks_for_mode():
    callback = EarlyStopping(monitor="my_score")
    with pytest.raises(ValueError, match="mode='max'"):
        run_script(callback, [1.0], key="my_score")
    _, epochs = run_script(
        EarlyStopping(monitor="my_score", mode="max", patience=0), [1.0, 0.5], key="my_score"
    )
    assert epochs == 2


def test_early_stopping_in_fit_restores_the_best_epoch_weights():
    set_random_seed(1)
    x, y = small_data()
    model = small_model(SGD(learning_rate=0.5))
    seen = []
    recorder = LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append((logs["val_loss"], model.get_weights()))
    )
    es = EarlyStopping(patience=3, restore_best_weights=True)
    history = model.fit(
        x, y, validation_split=0.25, epochs=60, batch_size=16, verbose=0, callbacks=[recorder, es]
    )
    best = int(np.argmin([loss for loss, _ in seen]))
    assert len(history.epoch) == len(seen)
    for restored, expected in zip(model.get_weights(), seen[best][1]):
        np.testing.assert_array_equal(restored, expected)
    assert es.best == seen[best][0]


# ----- ModelCheckpoint ----------------------------------------------------------------------


def test_save_best_only_saves_only_on_improvement():
    callback = ModelCheckpoint("model-{epoch:02d}-{val_loss:.2f}.keras", save_best_only=True)
    model, _ = run_script(callback, [1.0, 0.9, 0.95, 0.8])
    assert model.saved == [
        ("model", "model-01-1.00.keras"),
        ("model", "model-02-0.90.keras"),
        ("model", "model-04-0.80.keras"),
    ]


def test_checkpoint_without_save_best_only_saves_every_epoch():
    model, _ = run_script(ModelCheckpoint("ckpt-{epoch}.h5"), [1.0, 2.0, 3.0])
    assert [path for _, path in model.saved] == ["ckpt-1.h5", "ckpt-2.h5", "ckpt-3.h5"]


def test_initial_value_threshold_is_the_first_best():
    callback = ModelCheckpoint("best.keras", save_best_only=True, initial_value_threshold=0.85)
    model, _ = run_script(callback, [1.0, 0.9, 0.95, 0.8])
    assert model.saved == [("model", "best.keras")]
    assert callback.best == 0.8


def test_checkpoint_max_mode_and_weights_only():
    callback = ModelCheckpoint(
        "w.weights.h5", monitor="val_accuracy", save_best_only=True, save_weights_only=True
    )
    model, _ = run_script(callback, [0.5, 0.4, 0.7], key="val_accuracy")
    assert model.saved == [("weights", "w.weights.h5"), ("weights", "w.weights.h5")]


def test_integer_save_freq_saves_every_n_batches_across_epochs():
    callback = ModelCheckpoint("b-{epoch}-{batch}.keras", save_freq=2)
    model = FakeModel()
    callback.set_model(model)
    callback.on_train_begin()
    for epoch in range(2):
        callback.on_epoch_begin(epoch)
        for batch in range(5):
            callback.on_train_batch_end(batch, {"loss": 0.1})
        callback.on_epoch_end(epoch, {"loss": 0.1})
    assert [path for _, path in model.saved] == [
        "b-1-2.keras",
        "b-1-4.keras",
        "b-2-1.keras",
        "b-2-3.keras",
        "b-2-5.keras",
    ]


def test_checkpoint_missing_monitor_warns_once_and_saves_like_keras_3():
    callback = ModelCheckpoint("best.keras", save_best_only=True)
    with pytest.warns(UserWarning, match="val_loss") as record:
        model, _ = run_script(callback, [1.0, 0.5], key="loss")
    assert len(record) == 1
    assert len(model.saved) == 2


def test_checkpoint_rejects_bad_arguments_with_clear_errors():
    with pytest.raises(ValueError, match=r"\.keras"):
        ModelCheckpoint("best_model.pt")
    with pytest.raises(ValueError, match="model.save"):
        ModelCheckpoint("best.keras", save_weights_only=True)
    with pytest.raises(ValueError, match="save_freq"):
        ModelCheckpoint("best.keras", save_freq="batch")
    callback = ModelCheckpoint("m-{val_acc:.2f}.keras")
    with pytest.raises(KeyError, match="val_acc"):
        run_script(callback, [1.0])


def test_checkpoint_in_fit_writes_a_loadable_best_model(tmp_path):
    from dlcourse.models import load_model

    set_random_seed(2)
    x, y = small_data()
    model = small_model()
    predictions = []
    recorder = LambdaCallback(
        on_epoch_end=lambda epoch, logs: predictions.append(
            (logs["val_loss"], model.predict(x, verbose=0))
        )
    )
    path = tmp_path / "sub" / "best.keras"  # the folder is created, as in Keras
    model.fit(
        x,
        y,
        validation_split=0.25,
        epochs=8,
        batch_size=32,
        verbose=0,
        callbacks=[ModelCheckpoint(str(path), save_best_only=True), recorder],
    )
    best = int(np.argmin([loss for loss, _ in predictions]))
    np.testing.assert_array_equal(load_model(path).predict(x, verbose=0), predictions[best][1])


# ----- learning rate ------------------------------------------------------------------------


def test_learning_rate_scheduler_sets_the_rate_each_epoch_and_history_records_it():
    x, y = small_data()
    model = small_model(SGD(learning_rate=0.1))
    history = model.fit(
        x, y, epochs=3, verbose=0, callbacks=[LearningRateScheduler(lambda epoch, lr: lr * 0.5)]
    )
    assert history.history["learning_rate"] == pytest.approx([0.05, 0.025, 0.0125])
    assert model.optimizer.learning_rate == pytest.approx(0.0125)


def test_learning_rate_scheduler_accepts_a_schedule_of_the_epoch_alone():
    model = FakeModel()
    callback = LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))
    callback.set_model(model)
    callback.on_epoch_begin(3)
    assert model.optimizer.learning_rate == pytest.approx(0.025)


def test_learning_rate_scheduler_requires_a_float():
    callback = LearningRateScheduler(lambda epoch, lr: "0.1")
    callback.set_model(FakeModel())
    with pytest.raises(ValueError, match="must return a float"):
        callback.on_epoch_begin(0)


def run_plateau(callback, values):
    model = FakeModel(learning_rate=0.1)
    callback.set_model(model)
    callback.on_train_begin()
    logged = []
    for epoch, value in enumerate(values):
        logs = {"val_loss": value}
        callback.on_epoch_end(epoch, logs)
        logged.append(logs["learning_rate"])
    return model, logged


def test_reduce_lr_on_plateau_after_patience_epochs():
    model, logged = run_plateau(ReduceLROnPlateau(factor=0.5, patience=2), [1.0] * 5)
    assert logged == pytest.approx([0.1, 0.1, 0.1, 0.05, 0.05])  # logged before reducing
    assert model.optimizer.learning_rate == pytest.approx(0.025)


def test_reduce_lr_on_plateau_cooldown_delays_the_next_reduction():
    callback = ReduceLROnPlateau(factor=0.5, patience=2, cooldown=2)
    _, logged = run_plateau(callback, [1.0] * 7)
    assert logged == pytest.approx([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025])


def test_reduce_lr_on_plateau_respects_min_lr_and_min_delta():
    model, _ = run_plateau(ReduceLROnPlateau(factor=0.1, patience=1, min_lr=0.05), [1.0] * 6)
    assert model.optimizer.learning_rate == pytest.approx(0.05)
    # Gains smaller than min_delta (1e-4) are a plateau too.
    model, _ = run_plateau(
        ReduceLROnPlateau(factor=0.5, patience=2), [1.0, 0.99995, 0.9999, 0.99985]
    )
    assert model.optimizer.learning_rate == pytest.approx(0.05)


def test_reduce_lr_on_plateau_rejects_factor_of_one_or_more():
    with pytest.raises(ValueError, match="factor < 1.0"):
        ReduceLROnPlateau(factor=1.5)


def test_history_records_learning_rate_from_reduce_lr_on_plateau():
    x, y = small_data()
    model = small_model(SGD(learning_rate=0.01))
    history = model.fit(
        x,
        y,
        epochs=4,
        verbose=0,
        callbacks=[ReduceLROnPlateau(monitor="loss", patience=0, factor=0.5, min_delta=10.0)],
    )
    # Epoch 0 improves on +inf; each later epoch is a plateau. The log holds the rate the
    # epoch trained with, before the callback reduced it.
    assert history.history["learning_rate"] == pytest.approx([0.01, 0.01, 0.005, 0.0025])
    assert model.optimizer.learning_rate == pytest.approx(0.00125)


# ----- CSVLogger, TerminateOnNaN, LambdaCallback --------------------------------------------


def test_csv_logger_writes_one_row_per_epoch(tmp_path):
    x, y = small_data()
    path = tmp_path / "log.csv"
    model = small_model()
    history = model.fit(
        x, y, validation_split=0.25, epochs=3, verbose=0, callbacks=[CSVLogger(str(path))]
    )
    with open(path, newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert [row[0] for row in rows[1:]] == ["0", "1", "2"]
    assert [float(row[4]) for row in rows[1:]] == history.history["val_loss"]
    model.fit(
        x,
        y,
        validation_split=0.25,
        epochs=2,
        verbose=0,
        callbacks=[CSVLogger(str(path), append=True)],
    )
    with open(path, newline="") as file:
        rows = list(csv.reader(file))
    assert len(rows) == 6 and rows[4][0] == "0"  # appended without a second header


def test_csv_logger_reserves_val_columns_when_there_is_no_validation(tmp_path):
    path = tmp_path / "log.csv"
    logger = CSVLogger(str(path), separator=";")
    logger.on_train_begin()
    logger.on_epoch_end(0, {"loss": 0.5})
    logger.on_train_end()
    assert path.read_text().splitlines() == ["epoch;loss;val_loss", "0;0.5;NA"]


def test_terminate_on_nan_stops_at_an_invalid_loss(capsys):
    model = FakeModel()
    callback = TerminateOnNaN()
    callback.set_model(model)
    callback.on_train_batch_end(0, {"loss": 0.3})
    assert not model.stop_training
    callback.on_train_batch_end(4, {"loss": math.inf})
    assert model.stop_training
    assert "Batch 4: Invalid loss" in capsys.readouterr().out


def test_lambda_callback_hooks_run_in_fit_and_unknown_hooks_are_refused():
    x, y = small_data()
    events = []
    callback = LambdaCallback(
        on_train_begin=lambda logs: events.append("begin"),
        on_epoch_end=lambda epoch, logs: events.append(epoch),
        on_train_end=lambda logs: events.append("end"),
    )
    small_model().fit(x, y, epochs=2, verbose=0, callbacks=[callback])
    assert events == ["begin", 0, 1, "end"]
    with pytest.raises(TypeError, match="on_epoch_ends"):
        LambdaCallback(on_epoch_ends=print)


def test_old_on_batch_end_name_is_called_during_training():
    class CountBatches(Callback):
        count = 0

        def on_batch_end(self, batch, logs=None):
            self.count += 1

    x, y = small_data(n=100)
    counter = CountBatches()
    small_model().fit(x, y, epochs=2, batch_size=25, verbose=0, callbacks=[counter])
    assert counter.count == 8


def test_callback_list_refuses_non_callbacks():
    with pytest.raises(TypeError, match="Callback objects"):
        CallbackList([print])
    with pytest.raises(TypeError, match="Callback objects"):
        CallbackList(print)


def test_one_callback_not_in_a_list_is_accepted_as_keras_does():
    batches, history = [], cb_module.History()
    counter = LambdaCallback(on_train_batch_end=lambda batch, logs: batches.append(batch))
    x, y = small_data(n=50)
    model = small_model()
    returned = model.fit(x, y, epochs=2, batch_size=25, verbose=0, callbacks=counter)
    assert batches == [0, 1, 0, 1] and len(returned.history["loss"]) == 2
    model.fit(x, y, epochs=1, batch_size=25, verbose=0, callbacks=[[counter], (history,)])
    assert len(batches) == 6 and len(history.history["loss"]) == 1


def test_callback_list_has_a_plain_method_for_every_hook_passing_one_logs_dict():
    hooks = [name for name in vars(Callback) if name.startswith("on_") and "batch_" not in name]
    hooks += [
        f"on_{kind}_batch_{when}"
        for kind in ("train", "test", "predict")
        for when in ("begin", "end")
    ]
    seen = []

    class Recorder(Callback):
        pass

    for name in hooks:
        setattr(Recorder, name, lambda self, *args, name=name: seen.append((name, args)))
    recorders = CallbackList([Recorder(), Recorder()])
    for name in hooks:
        assert name in vars(CallbackList), f"CallbackList.{name} is not written out"
        takes_index = "epoch" in name or "batch" in name
        getattr(recorders, name)(*([3] if takes_index else []))
    assert [name for name, _ in seen] == [name for name in hooks for _ in range(2)]
    for (_, first), (_, second) in zip(seen[::2], seen[1::2]):
        assert first[-1] == {} and first[-1] is second[-1]  # never None, one dict for all


# ----- LivePlot -----------------------------------------------------------------------------


def test_live_plot_outside_a_notebook_only_records(monkeypatch):
    calls = []
    monkeypatch.setattr(LivePlot, "_redraw", lambda self: calls.append(1))
    x, y = small_data()
    plot = LivePlot()
    small_model().fit(x, y, validation_split=0.25, epochs=2, verbose=0, callbacks=[plot])
    assert calls == []
    assert len(plot.history["val_loss"]) == 2


def test_live_plot_in_a_notebook_updates_one_display(monkeypatch):
    import IPython.display

    shown = []

    class Handle:
        def update(self, image):
            shown.append(("update", image.data[:4]))

    def fake_display(image, display_id=None):
        shown.append(("display", image.data[:4]))
        return Handle()

    monkeypatch.setattr(cb_module, "_in_notebook", lambda: True)
    monkeypatch.setattr(IPython.display, "display", fake_display)
    x, y = small_data()
    small_model().fit(
        x,
        y,
        validation_split=0.25,
        epochs=3,
        verbose=0,
        callbacks=[LivePlot(metrics=["loss", "accuracy"])],
    )
    assert [kind for kind, _ in shown] == ["display", "update", "update", "update"]
    assert all(data == b"\x89PNG" for _, data in shown)


def test_not_in_notebook_when_run_by_pytest():
    with warnings.catch_warnings():
        assert cb_module._in_notebook() is False


# ----- a learner's own metric ----------------------------------------------------------------


def test_a_metric_class_of_ones_own_is_named_as_keras_names_it_and_can_be_monitored():
    from dlcourse import metrics

    class AUC(metrics.Metric):
        """Area under the ROC curve: how often a positive outranks a negative."""

        def reset_state(self):
            self.labels, self.scores = [], []

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.labels += list(np.ravel(y_true))
            self.scores += list(np.ravel(y_pred))

        def result(self):
            labels, scores = np.array(self.labels), np.array(self.scores)
            positives, negatives = scores[labels == 1], scores[labels == 0]
            return float(np.mean(positives[:, None] > negatives[None, :]))

    assert AUC().name == "auc"  # Keras's to_snake_case; not "a_u_c"
    set_random_seed(0)
    x, y = small_data()
    model = small_model()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[AUC()])
    stopper = EarlyStopping(monitor="val_auc", patience=1)  # mode="auto"
    history = model.fit(x, y, epochs=3, validation_split=0.25, verbose=0, callbacks=[stopper])
    assert "val_auc" in history.history and stopper.monitor_op is np.greater
