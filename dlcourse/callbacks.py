"""Callbacks: code that runs at fixed points of training (Keras's hooks and semantics)."""
import sys
import time


class Callback:
    """Base class: override the hooks you need. `self.model` and `self.params` are set by fit."""

    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None): pass
    def on_train_end(self, logs=None): pass
    def on_epoch_begin(self, epoch, logs=None): pass
    def on_epoch_end(self, epoch, logs=None): pass
    def on_train_batch_begin(self, batch, logs=None): pass
    def on_train_batch_end(self, batch, logs=None): pass
    def on_test_begin(self, logs=None): pass
    def on_test_end(self, logs=None): pass
    def on_test_batch_begin(self, batch, logs=None): pass
    def on_test_batch_end(self, batch, logs=None): pass
    def on_predict_begin(self, logs=None): pass
    def on_predict_end(self, logs=None): pass
    def on_predict_batch_begin(self, batch, logs=None): pass
    def on_predict_batch_end(self, batch, logs=None): pass


_HOOKS = [name for name in vars(Callback) if name.startswith("on_")]


class CallbackList:
    """Calls a hook on every callback in order; adds History and the progress bar like Keras."""

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        self.callbacks = list(callbacks or [])
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

    def __getattr__(self, name):
        if name in _HOOKS:
            def call_all(*args, **kwargs):
                for cb in self.callbacks:
                    getattr(cb, name)(*args, **kwargs)
            return call_all
        raise AttributeError(name)

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
    return " - ".join(f"{key}: {value:.4f}" for key, value in (logs or {}).items()
                      if isinstance(value, (int, float)))
