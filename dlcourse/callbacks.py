"""Callbacks: code that runs at fixed points of training (Keras's hooks and semantics).

Monitoring callbacks (EarlyStopping, ModelCheckpoint, ReduceLROnPlateau) read one value from
the epoch's logs, e.g. 'val_loss', and compare it with the best value seen so far, as Keras 3
does. Callbacks that change the learning rate also write it to the logs as 'learning_rate', so
History records it.
"""

import csv
import inspect
import math
import os
import sys
import time
import warnings

import numpy as np


class Callback:
    """Base class: override the hooks you need. `self.model` and `self.params` are set by fit."""

    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_batch_begin(self, batch, logs=None):
        pass  # Keras's old name for the next hook

    def on_batch_end(self, batch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        pass

    def on_test_batch_begin(self, batch, logs=None):
        pass

    def on_test_batch_end(self, batch, logs=None):
        pass

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        pass

    def on_predict_batch_end(self, batch, logs=None):
        pass


def _flat(callbacks):
    """One callback, or a list of them (nested lists too), as a flat list: what Keras accepts."""
    if callbacks is None:
        return []
    if not isinstance(callbacks, (list, tuple)):
        return [callbacks]
    return [cb for item in callbacks for cb in _flat(item)]


class CallbackList:
    """Calls a hook on every callback in order; adds History and the progress bar like Keras."""

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        self.callbacks = _flat(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(
                    f"callbacks must be Callback objects (e.g. EarlyStopping(...)); got {cb!r}."
                )
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.insert(0, ProgbarLogger())
        if add_history:
            self.history = next((c for c in self.callbacks if isinstance(c, History)), None)
            if self.history is None:
                self.history = History()
                self.callbacks.append(self.history)
        if model is not None:
            self.set_model(model)
        self.set_params(params)

    def append(self, callback):
        self.callbacks.append(callback)

    def set_model(self, model):
        self.model = model
        for cb in self.callbacks:
            cb.set_model(model)

    def set_params(self, params):
        self.params = params
        for cb in self.callbacks:
            cb.set_params(params)

    # One method per hook: each calls that hook on every callback, in order. As Keras does,
    # logs are passed positionally and never as None, so a hook written as
    # `lambda epoch, logs: ...` works; they all get the same dict (History sees what
    # LearningRateScheduler adds to it).
    def on_train_begin(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_train_begin(logs)

    def on_train_end(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_train_end(logs)

    def on_epoch_begin(self, epoch, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_epoch_begin(epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_epoch_end(epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_train_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_train_batch_end(batch, logs)

    def on_test_begin(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_test_begin(logs)

    def on_test_end(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_test_end(logs)

    def on_test_batch_begin(self, batch, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_test_batch_begin(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_test_batch_end(batch, logs)

    def on_predict_begin(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_predict_begin(logs)

    def on_predict_end(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_predict_end(logs)

    def on_predict_batch_begin(self, batch, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_predict_batch_begin(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_predict_batch_end(batch, logs)

    def __iter__(self):
        return iter(self.callbacks)


class History(Callback):
    """Records every epoch's logs: `history.history['val_loss']` is a list, one value per epoch."""

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self

    def __repr__(self):
        keys = ", ".join(self.history)
        return f"<History: {len(self.epoch)} epochs; keys: {keys}>"


class ProgbarLogger(Callback):
    """The training display: verbose=1 a live bar per epoch, verbose=2 one line per epoch."""

    BAR_WIDTH = 20

    def __init__(self, stream=None):
        super().__init__()
        self.stream = stream

    def _out(self):
        return self.stream or sys.stdout

    def on_epoch_begin(self, epoch, logs=None):
        self.seen = 0
        self._last_draw = 0.0
        self._epoch_start = time.perf_counter()
        epochs = self.params.get("epochs")
        print(f"Epoch {epoch + 1}/{epochs}", file=self._out(), flush=True)

    def on_train_batch_end(self, batch, logs=None):
        self.seen = batch + 1
        if self.params.get("verbose") != 1:
            return
        now = time.perf_counter()
        if now - self._last_draw > 0.1:  # redrawing every batch would cost more than the batch
            self._last_draw = now
            self._draw(logs, end="\r")

    def on_epoch_end(self, epoch, logs=None):
        if self.params.get("verbose") == 1:
            self._draw(logs, end="\n")
        else:
            print(_format_logs(logs), file=self._out(), flush=True)

    def _draw(self, logs, end):
        steps = self.params.get("steps") or self.seen
        done = int(self.BAR_WIDTH * self.seen / max(steps, 1))
        bar = "━" * done + "╺" * (self.BAR_WIDTH - done)
        width = len(str(steps))
        line = f"{self.seen:>{width}}/{steps} {bar} - {_format_logs(logs)}"
        print("\r" + line, end=end, file=self._out(), flush=True)


def _format_logs(logs):
    return " - ".join(
        f"{key}: {value:.4f}"
        for key, value in (logs or {}).items()
        if isinstance(value, (int, float))
    )


# ----- monitoring a logged value --------------------------------------------------------------

# Logged names whose best value is the highest (the rest of the known names: the lowest).
_HIGHER_IS_BETTER = ("accuracy", "acc", "auc", "precision", "recall")
_LOWER_IS_BETTER = (
    "loss",
    "mse",
    "mae",
    "mape",
    "msle",
    "mean_squared_error",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "root_mean_squared_error",
    "rmse",
)


def _auto_mode(monitor):
    """'min' or 'max' for a logged name ('val_accuracy' -> 'max'), or None when unknown."""
    name = monitor[4:] if monitor.startswith("val_") else monitor
    for suffixes, mode in ((_LOWER_IS_BETTER, "min"), (_HIGHER_IS_BETTER, "max")):
        if any(name == s or name.endswith("_" + s) for s in suffixes):
            return mode
    return None


class _MonitorCallback(Callback):
    """Shared by the callbacks that watch one logged value and track its best value so far.

    Improvement (min mode) means `current < best - min_delta`; max mode mirrors it.
    """

    def __init__(self, monitor="val_loss", mode="auto", min_delta=0.0, best=None):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__}: mode {mode!r} is unknown, using 'auto'. "
                "Use 'min', 'max' or 'auto'.",
                stacklevel=3,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.min_delta = abs(min_delta)
        self.best = best
        self.monitor_op = None
        self._warned_missing = False

    def _resolve_mode(self, fallback=None):
        """Decide min or max once (Keras waits for the first epoch end too)."""
        if self.mode != "auto":
            return self.mode
        mode = _auto_mode(self.monitor) or fallback
        if mode is None:
            raise ValueError(
                f"{type(self).__name__}(monitor={self.monitor!r}) cannot tell whether "
                f"{self.monitor!r} should go up or down: pass mode='max' (higher is better) or "
                f"mode='min' (lower is better)."
            )
        return mode

    def _set_monitor_op(self, fallback=None):
        if self._resolve_mode(fallback) == "min":
            self.monitor_op = np.less
            self.best = np.inf if self.best is None else self.best
        else:
            self.monitor_op = np.greater
            self.best = -np.inf if self.best is None else self.best

    def _is_improvement(self, current, reference):
        if reference is None:
            return True
        delta = -self.min_delta if self.monitor_op is np.less else self.min_delta
        return bool(self.monitor_op(current - delta, reference))

    def _monitor_value(self, logs):
        """The monitored value from the logs; warns (once) and returns None when it is missing."""
        value = (logs or {}).get(self.monitor)
        if value is None and not self._warned_missing:
            self._warned_missing = True
            available = ", ".join(logs or {}) or "none"
            hint = (
                " Pass validation_split=... or validation_data=... to fit() to get 'val_' values."
                if self.monitor.startswith("val_")
                else ""
            )
            warnings.warn(
                f"{type(self).__name__} monitors {self.monitor!r}, which is not in the logs "
                f"(available: {available}).{hint}",
                stacklevel=3,
            )
        return value


class EarlyStopping(_MonitorCallback):
    """Stop training when the monitored value has not improved for `patience` epochs.

    With restore_best_weights=True the weights of the best epoch are put back at the end of
    training, whether or not it stopped early (Keras 3 behaviour). Like Keras 3, the best value
    carries over when the same callback is used in a second fit() call.
    """

    def __init__(
        self,
        monitor="val_loss",
        min_delta=0,
        patience=0,
        verbose=0,
        mode="auto",
        baseline=None,
        restore_best_weights=False,
        start_from_epoch=0,
    ):
        super().__init__(monitor, mode, min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights = None
        self.best_epoch = 0

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self._monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()  # nothing better seen yet
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # The count restarts only when the value also beats the baseline.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(
                    f"Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)


class ModelCheckpoint(_MonitorCallback):
    """Save the model (or only its weights) every epoch, or only when the monitored value improves.

    `filepath` may contain fields filled from the epoch (counted from 1) and the logs, e.g.
    'model-{epoch:02d}-{val_loss:.2f}.keras'. dlcourse writes its own zip format for '.keras'
    and '.h5' names alike (not HDF5), and each save replaces the file atomically, so a crash
    mid-save never leaves a broken checkpoint behind.
    """

    def __init__(
        self,
        filepath,
        monitor="val_loss",
        verbose=0,
        save_best_only=False,
        save_weights_only=False,
        mode="auto",
        save_freq="epoch",
        initial_value_threshold=None,
    ):
        super().__init__(monitor, mode, 0.0, best=initial_value_threshold)
        self.filepath = os.fspath(filepath)
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        if save_freq != "epoch" and not (
            isinstance(save_freq, (int, np.integer))
            and not isinstance(save_freq, bool)
            and save_freq > 0
        ):
            raise ValueError(
                f"ModelCheckpoint: save_freq must be 'epoch' or a positive number of batches, "
                f"got {save_freq!r}."
            )
        self.save_freq = save_freq
        from dlcourse import saving  # check the name now, not after the first epoch

        if save_weights_only:
            saving.check_weights_path(self.filepath, "ModelCheckpoint")
        else:
            saving.check_model_path(self.filepath, "ModelCheckpoint")
        self._current_epoch = 0
        self._batches_since_save = 0
        self._last_batch_seen = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None and self.save_best_only:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save_model(epoch, None, logs)

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch":
            return False
        # Batches are numbered from 0 in each epoch: a smaller number means a new epoch.
        added = batch + 1 if batch <= self._last_batch_seen else batch - self._last_batch_seen
        self._batches_since_save += added
        self._last_batch_seen = batch
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            return True
        return False

    def _file_path(self, epoch, batch, logs):
        fields = dict(logs or {})
        fields["epoch"] = epoch + 1
        if batch is not None and "batch" not in fields:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except (KeyError, IndexError, ValueError) as error:
            raise KeyError(
                f"ModelCheckpoint cannot fill in filepath {self.filepath!r}: {error!r}. Use only "
                f"{{epoch}} and names from the logs ({', '.join(fields)})."
            ) from None

    def _should_save(self, epoch, logs, filepath):
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self._monitor_value(logs)
        if current is None:
            return True  # Keras 3: warn and save anyway, rather than never saving
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to "
                    f"{current:.5f}, saving model to {filepath}"
                )
            self.best = current
            return True
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
        return False

    def _save_model(self, epoch, batch, logs):
        filepath = self._file_path(epoch, batch, logs)
        if not self._should_save(epoch, logs, filepath):
            return
        folder = os.path.dirname(filepath)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if os.path.isdir(filepath):
            raise IsADirectoryError(
                f"ModelCheckpoint filepath {filepath!r} is a folder: give a file name, "
                f"e.g. {os.path.join(filepath, 'best_model.keras')!r}."
            )
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)


# ----- learning rate ------------------------------------------------------------------------


def _current_learning_rate(model, owner):
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError(
            f"{owner} needs a compiled model whose optimizer has a learning_rate: "
            "call model.compile(optimizer=...) first."
        )
    return float(optimizer.learning_rate)


class LearningRateScheduler(Callback):
    """Set the learning rate at the start of every epoch to `schedule(epoch, lr)`.

    `epoch` counts from 0 and `lr` is the current rate; a schedule taking only `epoch` works too.
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(
                "LearningRateScheduler needs a function schedule(epoch, lr) -> new lr, "
                f"got {schedule!r}."
            )
        self.schedule = schedule
        self.verbose = verbose

    def _takes_lr(self):
        try:
            parameters = inspect.signature(self.schedule).parameters.values()
        except (TypeError, ValueError):
            return True
        positional = [
            p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in parameters)

    def on_epoch_begin(self, epoch, logs=None):
        lr = _current_learning_rate(self.model, "LearningRateScheduler")
        new_lr = self.schedule(epoch, lr) if self._takes_lr() else self.schedule(epoch)
        if not isinstance(new_lr, (float, np.floating)) or isinstance(new_lr, bool):
            raise ValueError(
                f"The schedule given to LearningRateScheduler must return a float, got "
                f"{new_lr!r} at epoch {epoch}. Return e.g. `lr * 0.9` or `float(...)`."
            )
        self.model.optimizer.learning_rate = float(new_lr)
        if self.verbose > 0:
            print(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                f"{float(new_lr)}."
            )

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = _current_learning_rate(self.model, "LearningRateScheduler")


class ReduceLROnPlateau(_MonitorCallback):
    """Multiply the learning rate by `factor` when the monitored value stops improving.

    After `patience` epochs without improvement (by more than min_delta) the rate becomes
    max(lr * factor, min_lr); then `cooldown` epochs pass before counting again.
    """

    def __init__(
        self,
        monitor="val_loss",
        factor=0.1,
        patience=10,
        verbose=0,
        mode="auto",
        min_delta=1e-4,
        cooldown=0,
        min_lr=0.0,
    ):
        super().__init__(monitor, mode, min_delta)
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau needs factor < 1.0 (the rate is multiplied by "
                f"it), got factor={factor}."
            )
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.min_lr = min_lr
        self._reset()

    def _reset(self):
        self.best = None
        self._set_monitor_op(fallback="min")  # Keras: anything without 'acc' is minimized
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            logs = {}
        logs["learning_rate"] = _current_learning_rate(self.model, "ReduceLROnPlateau")
        current = self._monitor_value(logs)
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = logs["learning_rate"]
                if old_lr > np.float32(self.min_lr):
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    self.model.optimizer.learning_rate = new_lr
                    if self.verbose > 0:
                        print(
                            f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate "
                            f"to {new_lr}."
                        )
                    self.cooldown_counter = self.cooldown
                    self.wait = 0


# ----- logging and control ------------------------------------------------------------------


class CSVLogger(Callback):
    """Write one row per epoch to a CSV file: the epoch (counted from 0), then the logs in sorted
    order."""

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename = os.fspath(filename)
        self.sep = separator
        self.append = append
        self._file = None
        self.writer = None
        self.keys = None

    def on_train_begin(self, logs=None):
        write_header = True
        if self.append and os.path.exists(self.filename):
            with open(self.filename, encoding="utf-8") as existing:
                write_header = not existing.readline()
        self._write_header = write_header
        self._file = open(self.filename, "a" if self.append else "w", newline="", encoding="utf-8")
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(k.startswith("val_") for k in self.keys):
                # Keras reserves val_ columns too (filled with NA) so rows keep one layout.
                self.keys += ["val_" + k for k in self.keys]
        if self.writer is None:
            self.writer = csv.writer(self._file, delimiter=self.sep)
            if self._write_header:
                self.writer.writerow(["epoch"] + self.keys)
        self.writer.writerow([epoch] + [_csv_value(logs.get(k, "NA")) for k in self.keys])
        self._file.flush()

    def on_train_end(self, logs=None):
        if self._file is not None:
            self._file.close()
        self._file = None
        self.writer = None


def _csv_value(value):
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return "[" + ", ".join(str(v) for v in value.ravel()) + "]"
    return value


class TerminateOnNaN(Callback):
    """Stop training as soon as a batch's loss is NaN or infinite."""

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


class LambdaCallback(Callback):
    """A callback from plain functions: LambdaCallback(on_epoch_end=lambda epoch, logs: ...)."""

    def __init__(self, **hooks):
        super().__init__()
        known = [name for name in vars(Callback) if name.startswith("on_")]
        unknown = sorted(set(hooks) - set(known))
        if unknown:
            raise TypeError(
                f"LambdaCallback got unknown hook(s) {unknown}. Known hooks: "
                f"{', '.join(sorted(known))}."
            )
        for name, function in hooks.items():
            if function is not None:
                setattr(self, name, function)


class LivePlot(Callback):
    """Redraw the loss and metric curves (training and validation) after every epoch.

    In a Jupyter notebook the figure under the cell is replaced each epoch: the offline answer
    to TensorBoard. Outside a notebook it only records the logs (see `self.history`).
    `metrics` picks the panels (default: every training key); `every` redraws each n epochs.
    """

    def __init__(self, metrics=None, every=1, figsize_per_panel=(4.5, 3.2)):
        super().__init__()
        self.metrics = [metrics] if isinstance(metrics, str) else metrics
        self.every = max(int(every), 1)
        self.figsize_per_panel = figsize_per_panel
        self.history = {}
        self._handle = None

    def on_train_begin(self, logs=None):
        self.history = {}
        self._handle = None
        self._in_notebook = _in_notebook()

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            if isinstance(value, (int, float, np.number)):
                self.history.setdefault(key, []).append(float(value))
        if self._in_notebook and (epoch + 1) % self.every == 0:
            self._redraw()

    def on_train_end(self, logs=None):
        if self._in_notebook and self.history:
            self._redraw()  # the last epochs when `every` > 1

    def _panels(self):
        if self.metrics is not None:
            return [m for m in self.metrics if m in self.history]
        return [k for k in self.history if not k.startswith("val_") and k != "learning_rate"]

    def _redraw(self):
        from IPython.display import Image, display
        from matplotlib.figure import Figure

        panels = self._panels()
        if not panels:
            return
        width, height = self.figsize_per_panel
        figure = Figure(figsize=(width * len(panels), height), layout="constrained")
        axes = figure.subplots(1, len(panels), squeeze=False)[0]
        from dlcourse.plots import plot_history

        plot_history(self.history, metrics=panels, ax=axes)
        image = Image(data=_png_bytes(figure))
        if self._handle is None:
            self._handle = display(image, display_id=True)
        else:
            self._handle.update(image)


def _png_bytes(figure):
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


def _in_notebook():
    """True inside a Jupyter kernel (where figures can be displayed under the cell)."""
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:  # never imported: certainly not a notebook
        return False
    shell = ipython_module.get_ipython() if hasattr(ipython_module, "get_ipython") else None
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"
