"""compile, fit, evaluate and predict: the training loop every model style shares.

One training step: run the model with a tape recording every layer call, compute the loss, seed
each output with the loss's gradient, walk the tape backwards for every weight's gradient, add
the regularization penalties' gradients, and let the optimizer update the weights in place.
"""

import numpy as np

from dlcourse import optimizers
from dlcourse.callbacks import CallbackList
from dlcourse.models import data as data_utils
from dlcourse.models import tape as tape_module
from dlcourse.models import threads
from dlcourse.models.compile_utils import CompiledLoss, CompiledMetrics


class _RunningMeans:
    """Sample-weighted running means of the batch losses (Keras's loss trackers)."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.sums, self.count = {}, 0

    def update(self, values, batch_size):
        for key, value in values.items():
            self.sums[key] = self.sums.get(key, 0.0) + float(value) * batch_size
        self.count += batch_size

    def results(self):
        return {key: total / self.count for key, total in self.sums.items()} if self.count else {}


class Trainer:
    """Mixin giving Model its Keras training API."""

    def __init__(self):
        self.optimizer = None
        self.loss = None
        self.compiled = False
        self.stop_training = False
        self.history = None
        self._compile_config = None
        self._compiled_loss = None
        self._compiled_metrics = None
        self._loss_means = _RunningMeans()

    # ----- compile -----------------------------------------------------------------------
    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=False,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=True,
    ):
        """Choose the optimizer, the loss (one per output, as a list or dict) and the metrics.

        run_eagerly, steps_per_execution, jit_compile and auto_scale_loss are accepted so
        Keras code runs unchanged; dlcourse always runs eagerly.
        """
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self._compile_config = {"loss": loss, "loss_weights": loss_weights, "metrics": metrics}
        if loss is not None:  # resolve names now, so a typo fails here with a suggestion
            CompiledLoss(loss, loss_weights, self._output_names_or_default())
        self._compiled_loss = None
        self._compiled_metrics = None
        self.compiled = True

    def _output_names_or_default(self):
        names = self.output_names
        return names if names else ["output"]

    def _require_compiled(self, method):
        if not self.compiled:
            raise RuntimeError(
                f"You must compile the model before calling {method}, e.g. "
                "model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])."
            )
        if self._compile_config["loss"] is None and method != "predict()":
            raise ValueError(
                f"{method} needs a loss: compile the model with loss=..., e.g. loss='mse'."
            )

    def _set_up_compiled(self, y_list, p_list):
        if self._compiled_loss is None:
            names = self.output_names or (
                ["output"] if len(p_list) == 1 else [f"output_{i + 1}" for i in range(len(p_list))]
            )
            config = self._compile_config
            self._compiled_loss = CompiledLoss(config["loss"], config["loss_weights"], names)
            self._compiled_metrics = CompiledMetrics(config["metrics"], names)
        if self._compiled_metrics.metrics is None:
            self._compiled_metrics.build(y_list, p_list)

    # ----- one step ----------------------------------------------------------------------
    def _model_input(self, x_list):
        return x_list if len(x_list) > 1 else x_list[0]

    def _outputs(self, x_list, training):
        outputs = self(self._model_input(x_list), training=training)
        return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]

    def _n_outputs(self):
        return len(self.outputs) if self.outputs else 1

    def _penalized_weights(self):
        """(variable, is_trainable) for every weight that has a regularizer."""
        trainable = {id(v) for v in self.trainable_weights}
        return [(v, id(v) in trainable) for v in self.weights if v.regularizer is not None]

    def _regularization(self, penalized=None):
        """Sum of all weight penalties, and the gradient of each trainable penalized weight.

        `penalized`: `_penalized_weights()` when the caller listed them already (fit does, once).
        """
        penalty, grads = 0.0, {}
        for v, trainable in self._penalized_weights() if penalized is None else penalized:
            penalty += float(v.regularizer(v.value))
            if trainable:
                grads[id(v)] = v.regularizer.gradient(v.value)
        return penalty, grads

    def _loss_logs(self, total, per_output):
        logs = {"loss": total}
        if len(per_output) > 1:
            for name, value in zip(self._compiled_loss.output_names, per_output):
                logs[f"{name}_loss"] = value
        return logs

    def _compute_gradients(self, x_list, y_list, sample_weight, penalized=None):
        """Loss logs, predictions and {id(variable): gradient} for one batch, weights untouched."""
        with tape_module.recording(training=True) as tape:
            p_list = self._outputs(x_list, training=True)
        self._set_up_compiled(y_list, p_list)
        total, per_output = self._compiled_loss(y_list, p_list, sample_weight)
        producers = {id(rec.outputs): rec.layer for rec in tape.records}
        output_layers = [producers.get(id(p)) for p in p_list]
        grads = self._compiled_loss.gradients(y_list, p_list, output_layers, sample_weight)
        weight_grads = tape_module.backpropagate(
            tape, [(p, g) for p, g in zip(p_list, grads) if g is not None], x_list
        )
        penalty, penalty_grads = self._regularization(penalized)
        for key, g in penalty_grads.items():
            weight_grads[key] = weight_grads[key] + g if key in weight_grads else g
        return self._loss_logs(total + penalty, per_output), p_list, weight_grads

    def _train_step(self, x_list, y_list, sample_weight, weights=None):
        """One optimizer step on one batch. `weights`: fit's (trainable weights, penalized
        weights), listed once per fit instead of at every step (listing them walks every layer)."""
        trainable, penalized = weights or (self.trainable_weights, None)
        logs, p_list, weight_grads = self._compute_gradients(
            x_list, y_list, sample_weight, penalized
        )
        self.optimizer.apply_gradients([(weight_grads.get(id(v)), v.value) for v in trainable])
        self._compiled_metrics.update(y_list, p_list, sample_weight)
        return logs

    def compute_gradients(self, x, y, sample_weight=None):
        """(loss, gradients): the compiled loss on (x, y) in training mode and its gradient for
        each of `model.trainable_weights`, without changing any weight. Not in Keras (there a
        GradientTape does this); here it lets you compare backprop with a numerical gradient."""
        self._require_compiled("compute_gradients()")
        x_list, y_list, sample_weight = self._prepare(x, y, sample_weight)
        logs, _, weight_grads = self._compute_gradients(x_list, y_list, sample_weight)
        grads = [weight_grads.get(id(v)) for v in self.trainable_weights]
        grads = [
            np.zeros_like(v.value) if g is None else g
            for g, v in zip(grads, self.trainable_weights)
        ]
        return logs["loss"], grads

    def _test_step(self, x_list, y_list, sample_weight, penalty):
        p_list = self._outputs(x_list, training=False)
        self._set_up_compiled(y_list, p_list)
        total, per_output = self._compiled_loss(y_list, p_list, sample_weight)
        self._compiled_metrics.update(y_list, p_list, sample_weight)
        return self._loss_logs(total + penalty, per_output)

    def _current_logs(self):
        return {**self._loss_means.results(), **self._compiled_metrics.results()}

    def reset_metrics(self):
        self._loss_means.reset()
        if self._compiled_metrics is not None:
            self._compiled_metrics.reset()

    @property
    def metrics_names(self):
        names = ["loss"]
        if self._compiled_metrics is not None:
            names += self._compiled_metrics.names
        return names

    # ----- data --------------------------------------------------------------------------
    def _prepare(self, x, y=None, sample_weight=None, class_weight=None):
        x_list = data_utils.as_input_list(x, self)
        y_list = (
            None
            if y is None
            else data_utils.as_target_list(y, self._n_outputs(), self.output_names)
        )
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=x_list[0].dtype)
        data_utils.check_lengths(x_list, y_list, sample_weight)
        data_utils.check_input_shapes(self, x_list)
        if class_weight is not None:
            weights = data_utils.class_weights_to_sample_weights(class_weight, y_list[0])
            sample_weight = weights if sample_weight is None else sample_weight * weights
        return x_list, y_list, sample_weight

    def _validate_labels(self, x_list, y_list):
        probe = [x[:2] for x in x_list]
        p_list = self._outputs(probe, training=False)
        self._set_up_compiled(y_list, p_list)
        self._compiled_loss.validate(y_list, p_list)

    # ----- fit / evaluate / predict -----------------------------------------------------
    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
    ):
        """Train for `epochs` passes over the data; returns a History of per-epoch logs."""
        self._require_compiled("fit()")
        batch_size = _check_batch_size(batch_size)
        if not isinstance(epochs, (int, np.integer)) or epochs < 0:
            raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}.")
        if not 0.0 <= validation_split < 1.0:
            raise ValueError(
                "validation_split must be in [0, 1), e.g. 0.2 for the last 20%; "
                f"got {validation_split}."
            )
        if y is None:
            raise ValueError("fit() needs targets: model.fit(x, y, ...).")
        verbose = 1 if verbose == "auto" else verbose
        x_list, y_list, sample_weight = self._prepare(x, y, sample_weight, class_weight)
        val = None
        if validation_data is not None:
            val = _unpack_validation(validation_data)
        elif validation_split > 0:
            arrays = x_list + y_list + ([sample_weight] if sample_weight is not None else [])
            train_part, val_part = data_utils.validation_tail(arrays, validation_split)
            nx, ny = len(x_list), len(y_list)
            x_list, y_list = train_part[:nx], train_part[nx : nx + ny]
            sample_weight = train_part[-1] if sample_weight is not None else None
            val = (
                val_part[:nx],
                val_part[nx : nx + ny],
                val_part[-1] if sample_weight is not None else None,
            )
        self._validate_labels(x_list, y_list)

        n = len(x_list[0])
        steps = -(-n // batch_size)
        callback_list = CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=epochs,
            steps=steps,
        )
        self.stop_training = False
        callback_list.on_train_begin()
        epoch_logs = {}
        # Listed once, not at every step. As in Keras, changing `trainable` takes effect at
        # the next fit (or compile), not in the middle of this one.
        weights = (self.trainable_weights, self._penalized_weights())
        with threads.blas_threads(batch_size, self.weights):  # see models/threads.py
            for epoch in range(initial_epoch, epochs):
                self.reset_metrics()
                callback_list.on_epoch_begin(epoch)
                for step, index in enumerate(data_utils.batch_indices(n, batch_size, shuffle)):
                    callback_list.on_train_batch_begin(step)
                    batch = data_utils.take(x_list + y_list, index, contiguous=not shuffle)
                    sw = None if sample_weight is None else sample_weight[index]
                    losses = self._train_step(
                        batch[: len(x_list)], batch[len(x_list) :], sw, weights
                    )
                    self._loss_means.update(losses, len(index))
                    callback_list.on_train_batch_end(step, self._current_logs())
                    if self.stop_training:
                        break
                epoch_logs = self._current_logs()
                if val is not None and (epoch + 1) % validation_freq == 0:
                    val_x, val_y, val_sw = val
                    val_logs = self.evaluate(
                        _single(val_x),
                        _single(val_y),
                        sample_weight=val_sw,
                        batch_size=validation_batch_size or batch_size,
                        verbose=0,
                        return_dict=True,
                    )
                    epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
                epoch_logs = dict(sorted(epoch_logs.items()))
                callback_list.on_epoch_end(epoch, epoch_logs)
                if self.stop_training:
                    break
        callback_list.on_train_end(epoch_logs)
        return callback_list.history

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict=False,
    ):
        """Loss (and metrics) on the given data, in inference mode."""
        self._require_compiled("evaluate()")
        batch_size = _check_batch_size(batch_size)
        if y is None:
            raise ValueError("evaluate() needs targets: model.evaluate(x, y).")
        x_list, y_list, sample_weight = self._prepare(x, y, sample_weight)
        self._validate_labels(x_list, y_list)
        self.reset_metrics()
        penalty, _ = self._regularization()
        n = len(x_list[0])
        with threads.blas_threads(batch_size, self.weights):
            for index in data_utils.batch_indices(n, batch_size, shuffle=False):
                batch = data_utils.take(x_list + y_list, index, contiguous=True)
                sw = None if sample_weight is None else sample_weight[index]
                losses = self._test_step(batch[: len(x_list)], batch[len(x_list) :], sw, penalty)
                self._loss_means.update(losses, len(index))
        logs = self._current_logs()
        if verbose not in (0, "auto"):
            print(" - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs for x, computed in inference mode batch by batch."""
        batch_size = _check_batch_size(batch_size)
        x_list, _, _ = self._prepare(x)
        n = len(x_list[0])
        chunks = []
        with threads.blas_threads(batch_size, self.weights):
            for index in data_utils.batch_indices(n, batch_size, shuffle=False):
                batch = data_utils.take(x_list, index, contiguous=True)
                chunks.append(self._outputs(batch, training=False))
        outputs = [np.concatenate([c[i] for c in chunks]) for i in range(len(chunks[0]))]
        return outputs if len(outputs) > 1 else outputs[0]

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One gradient step on one batch. Like Keras, the returned loss and metrics are running
        means since the last reset_metrics() (or fit/evaluate), not this batch's alone."""
        self._require_compiled("train_on_batch()")
        x_list, y_list, sample_weight = self._prepare(x, y, sample_weight, class_weight)
        self._validate_labels(x_list, y_list)
        losses = self._train_step(x_list, y_list, sample_weight)
        self._loss_means.update(losses, len(x_list[0]))
        return self._batch_result(return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss and metrics on one batch, in inference mode."""
        self._require_compiled("test_on_batch()")
        x_list, y_list, sample_weight = self._prepare(x, y, sample_weight)
        self._validate_labels(x_list, y_list)
        self.reset_metrics()
        penalty, _ = self._regularization()
        losses = self._test_step(x_list, y_list, sample_weight, penalty)
        self._loss_means.update(losses, len(x_list[0]))
        return self._batch_result(return_dict)

    def predict_on_batch(self, x):
        x_list, _, _ = self._prepare(x)
        outputs = self._outputs(x_list, training=False)
        return outputs if len(outputs) > 1 else outputs[0]

    def _batch_result(self, return_dict):
        logs = self._current_logs()
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values


def _check_batch_size(batch_size):
    if batch_size is None:
        return 32
    if not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    return int(batch_size)


def _unpack_validation(validation_data):
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
        raise ValueError(
            "validation_data must be a tuple (x_val, y_val) or (x_val, y_val, sample_weight)."
        )
    x, y = validation_data[0], validation_data[1]
    sw = validation_data[2] if len(validation_data) == 3 else None
    return x, y, sw


def _single(arrays):
    """A one-element list of arrays as the array itself, as evaluate() expects for one input."""
    return arrays[0] if isinstance(arrays, list) and len(arrays) == 1 else arrays
