"""compile, fit, evaluate and predict: the training loop every model style shares.

How a network learns is read here first (dlcourse/README.md gives the whole reading order):
`Trainer._train_step` is one step of gradient descent: forward on a tape, loss, backward from
the loss's gradient (`_backward_seeds`) through the tape (`backpropagate`), update.
"""

import numpy as np

from dlcourse import optimizers, tape
from dlcourse.callbacks import CallbackList
from dlcourse.layers.core import Activation
from dlcourse.models import data as data_utils
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
        for name, value in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if value and not isinstance(value, (list, tuple, dict)):
                raise ValueError(
                    f"`{name}` must be a list, tuple or dict (as in Keras), e.g. "
                    f"{name}=[{value!r}]; got {value!r}."
                )
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self._compile_config = {
            "loss": loss,
            "loss_weights": loss_weights,
            "metrics": metrics,
            "weighted_metrics": weighted_metrics,
        }
        if loss is not None:  # resolve names now, so a typo fails here with a suggestion
            n_outputs = len(loss) if isinstance(loss, (list, tuple)) else 1
            CompiledLoss(loss, loss_weights, self._output_names_or_default(n_outputs))
        self._compiled_loss = None
        self._compiled_metrics = None
        self.compiled = True
        if self.built and all(layer.built for layer in self._all_layers()):
            self._flat_weights()  # the trainable weights move into one flat vector now

    def _output_names_or_default(self, n_outputs):
        """The outputs' names; a subclassed model's have none: 'output', or 'output_1', ..."""
        if self.output_names:
            return self.output_names
        return ["output"] if n_outputs == 1 else [f"output_{i + 1}" for i in range(n_outputs)]

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

    def _model_input(self, x_list):
        return x_list if len(x_list) > 1 else x_list[0]

    def _outputs(self, x_list, training):
        outputs = self(self._model_input(x_list), training=training)
        return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]

    def _n_outputs(self):
        """How many outputs the model has; None when only running it tells (subclassed)."""
        return len(self.outputs) if self.outputs else None

    def _penalized_weights(self):
        """(variable, is_trainable) for every weight that has a regularizer."""
        trainable = {id(v) for v in self.trainable_weights}
        return [(v, id(v) in trainable) for v in self.weights if v.regularizer is not None]

    def _training_weights(self):
        """(trainable weights, their arrays, penalized weights): what a training step updates.

        Listing them walks every layer, so fit does it once per fit. It also makes sure the
        trainable weights are views into the model's flat vector, and tells the optimizer, so
        that one update_step updates them all (see Model._flat_weights).
        """
        flat = self._flat_weights()
        if flat is not None:
            vector, views = flat
            self.optimizer.build(views, vector=vector)
        trainable = self.trainable_weights
        return trainable, [v.value for v in trainable], self._penalized_weights()

    # ----- one step ----------------------------------------------------------------------
    def _train_step(self, x_list, y_list, sample_weight, weights=None):
        """One step of gradient descent on one batch: forward, loss, backward, update.

        `weights`: `_training_weights()`, listed by fit once instead of at every step.
        """
        trainable, arrays, penalized = weights or self._training_weights()
        with tape.recording(training=True) as recorded:  # forward, each step recorded
            p_list = self._outputs(x_list, training=True)
        logs = self._loss_logs(y_list, p_list, sample_weight, penalized)  # loss
        seeds = self._backward_seeds(recorded, y_list, p_list, sample_weight)  # backward:
        grads = backpropagate(recorded, seeds, x_list)  # {id(weight): dLoss/dweight}
        self._add_penalty_gradients(grads, penalized)  # the regularizers' share
        self.optimizer.apply_gradients(zip([grads.get(id(v)) for v in trainable], arrays))
        self._compiled_metrics.update(y_list, p_list, sample_weight)
        return logs

    def _backward_seeds(self, recorded, y_list, p_list, sample_weight):
        """Where the backward pass starts: (array, dLoss/darray) for each output with a loss."""
        seeds = []
        losses, loss_weights = self._compiled_loss.losses, self._compiled_loss.weights
        for loss, loss_weight, y, p in zip(losses, loss_weights, y_list, p_list):
            if loss is None:
                continue
            # Softmax then cross-entropy: with p = softmax(z) and L = -sum_i y_i log p_i,
            # dp_i/dz_j = p_i (d_ij - p_j), so dL/dz_j = -sum_i y_i (d_ij - p_j) = p_j - y_j
            # (the labels sum to 1); sigmoid then binary cross-entropy gives p - y too. So the
            # backward pass starts at z, the activation's input, with p - y, skipping the
            # activation: no division by a clipped p, exact even where p rounds to 0 or 1.
            last = recorded.producer(p)
            fused = None
            if last is not None and isinstance(last.step, Activation):
                fused = loss.fused_gradient(last.step.activation, y, p, sample_weight)
            if fused is not None:
                seeds.append((last.inputs, _weighted(fused, loss_weight)))
            else:
                seeds.append((p, _weighted(loss.gradient(y, p, sample_weight), loss_weight)))
        return seeds

    def _loss_logs(self, y_list, p_list, sample_weight, penalized=None):
        """The batch's loss: each output's loss, weighted and summed, plus the weight penalties
        (and each output's own loss, unweighted, when there are several)."""
        total, per_output = self._compiled_loss(y_list, p_list, sample_weight)
        return {"loss": total + self._penalty(penalized), **per_output}

    def _penalty(self, penalized=None):
        """The sum of the weight penalties (regularizers). `penalized`: `_penalized_weights()`
        when the caller listed them already (fit does, once)."""
        penalized = self._penalized_weights() if penalized is None else penalized
        return sum(float(v.regularizer(v.value)) for v, _ in penalized)

    def _add_penalty_gradients(self, grads, penalized=None):
        """Add each trainable penalized weight's penalty gradient to `grads` {id(weight): ...}."""
        penalized = self._penalized_weights() if penalized is None else penalized
        for v, trainable in penalized:
            if trainable:
                penalty_grad = v.regularizer.gradient(v.value)
                grads[id(v)] = grads[id(v)] + penalty_grad if id(v) in grads else penalty_grad

    def compute_gradients(self, x, y, sample_weight=None):
        """(loss, gradients): the compiled loss on (x, y) in training mode and its gradient for
        each of `model.trainable_weights`, without changing any weight. Not in Keras (there a
        GradientTape does this); here it lets you compare backprop with a numerical gradient."""
        self._require_compiled("compute_gradients()")
        x_list, y_list, sample_weight = self._prepare(x, y, sample_weight)
        _, logs, _, grads = self._forward_backward(x_list, y_list, sample_weight)
        self._add_penalty_gradients(grads)
        trainable = self.trainable_weights
        return logs["loss"], [grads.get(id(v), np.zeros_like(v.value)) for v in trainable]

    def _forward_backward(self, x_list, y_list, sample_weight, on_record=None):
        """A training step without the update: forward on a tape, the loss, the backward walk.
        Returns (tape, logs, seeds, {id(weight): dLoss/dweight}); `on_record` goes to
        `backpropagate`. Used by compute_gradients and the tape viewer (dlcourse/tapeview.py)."""
        self._check_targets((x_list, y_list))
        with tape.recording(training=True) as recorded:
            p_list = self._outputs(x_list, training=True)
        logs = self._loss_logs(y_list, p_list, sample_weight)
        seeds = self._backward_seeds(recorded, y_list, p_list, sample_weight)
        grads = backpropagate(recorded, seeds, x_list, on_record)
        return recorded, logs, seeds, grads

    def _test_step(self, x_list, y_list, sample_weight, penalized):
        p_list = self._outputs(x_list, training=False)
        logs = self._loss_logs(y_list, p_list, sample_weight, penalized)
        self._compiled_metrics.update(y_list, p_list, sample_weight)
        return logs

    def _current_logs(self):
        return {**self._loss_means.results(), **self._compiled_metrics.results()}

    def reset_metrics(self):
        self._loss_means.reset()
        if self._compiled_metrics is not None:
            self._compiled_metrics.reset()

    @property
    def metrics_names(self):
        """The names of the logs: the loss, the compiled metrics, each output's loss (Keras 3
        lists 'compile_metrics' for the middle part; dlcourse lists the metrics' log names)."""
        if self._compiled_metrics is None:
            return ["loss"]
        return ["loss", *self._compiled_metrics.names, *self._compiled_loss.log_names]

    # ----- data --------------------------------------------------------------------------
    def _prepare(self, x, y=None, sample_weight=None, class_weight=None, what="x"):
        """(inputs, targets, sample weights) as lists of float arrays, checked; `what` names
        the data in error messages ('x', or 'validation_data')."""
        x_list = data_utils.as_input_list(x, self, what)
        y_list = (
            None
            if y is None
            else data_utils.as_target_list(y, self._n_outputs(), self.output_names)
        )
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=x_list[0].dtype)
        data_utils.check_lengths(x_list, y_list, sample_weight, what)
        data_utils.check_input_shapes(self, x_list)
        if class_weight is not None:
            sample_weight = data_utils.class_weights_to_sample_weights(
                class_weight, y_list, sample_weight
            )
        return x_list, y_list, sample_weight

    def _compiled_for(self, n_outputs):
        """A new CompiledLoss and CompiledMetrics from the compile settings. When the outputs
        have no names (a subclassed model), the logs are named as Keras names them then: by
        loss and metric alone."""
        names = self._output_names_or_default(n_outputs)
        named, config = self.output_names is not None, self._compile_config
        return (
            CompiledLoss(config["loss"], config["loss_weights"], names, named),
            CompiledMetrics(config["metrics"], config["weighted_metrics"], names, named),
        )

    def _check_targets(self, *data):
        """Check the targets of each (x_list, y_list, ...) against the model's outputs on two
        samples, and set up the compiled loss and metrics (on the first call after compile).

        Nothing is kept until every check has passed: a rejected call leaves the compiled loss
        and metrics as they were (an unbuilt model is built, with the weights it would get on
        its first fit), so 'accuracy' is resolved from the first call that is accepted.
        """
        compiled_loss, compiled_metrics = self._compiled_loss, self._compiled_metrics
        for x_list, y_list, *_ in data:
            p_list = self._outputs([x[:2] for x in x_list], training=False)
            if len(y_list) != len(p_list):
                raise ValueError(
                    f"The model has {len(p_list)} output(s) but y holds {len(y_list)} target "
                    "array(s): pass one target array per output, in a list."
                )
            if compiled_loss is None:
                compiled_loss, compiled_metrics = self._compiled_for(len(p_list))
            compiled_loss.validate(y_list, p_list)
            if compiled_metrics.metrics is None:
                compiled_metrics.build(y_list, p_list)
        self._compiled_loss, self._compiled_metrics = compiled_loss, compiled_metrics

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
        _check_validation_freq(validation_freq)
        verbose = 1 if verbose == "auto" else verbose
        x_list, y_list, sample_weight = self._prepare(x, y, sample_weight, class_weight)
        val = None
        if validation_data is not None:
            val = self._prepare(*_unpack_validation(validation_data), what="validation_data")
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
        # Every check before anything changes: a rejected fit leaves the model as it was.
        self._check_targets((x_list, y_list), *([val] if val is not None else []))

        self.stop_training = False
        callback_list.on_train_begin()
        epoch_logs = {}
        # Listed once, not at every step. As in Keras, changing `trainable` takes effect at
        # the next fit (or compile), not in the middle of this one.
        weights = self._training_weights()
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
                if val is not None and _validates(epoch, validation_freq):
                    val_logs = self._evaluate(*val, validation_batch_size or batch_size)
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
        data = self._prepare(x, y, sample_weight)
        self._check_targets(data)
        logs = self._evaluate(*data, batch_size)
        if verbose not in (0, "auto"):
            print(" - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))
        return self._returned(logs, return_dict)

    def _evaluate(self, x_list, y_list, sample_weight, batch_size):
        """The logs of evaluate() on checked data (fit's validation calls it too)."""
        self.reset_metrics()
        penalized = self._penalized_weights()
        n = len(x_list[0])
        with threads.blas_threads(batch_size, self.weights):
            for index in data_utils.batch_indices(n, batch_size, shuffle=False):
                batch = data_utils.take(x_list + y_list, index, contiguous=True)
                sw = None if sample_weight is None else sample_weight[index]
                losses = self._test_step(batch[: len(x_list)], batch[len(x_list) :], sw, penalized)
                self._loss_means.update(losses, len(index))
        return self._current_logs()

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
        """One gradient step on one batch. As in Keras 3, the metrics are reset first, so the
        loss and metrics returned are this batch's (computed before the step's update)."""
        self._require_compiled("train_on_batch()")
        data = self._prepare(x, y, sample_weight, class_weight)
        self._check_targets(data)
        self.reset_metrics()
        losses = self._train_step(*data)
        self._loss_means.update(losses, len(data[0][0]))
        return self._returned(self._current_logs(), return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss and metrics on one batch, in inference mode (the metrics are reset first)."""
        self._require_compiled("test_on_batch()")
        data = self._prepare(x, y, sample_weight)
        self._check_targets(data)
        self.reset_metrics()
        losses = self._test_step(*data, self._penalized_weights())
        self._loss_means.update(losses, len(data[0][0]))
        return self._returned(self._current_logs(), return_dict)

    def predict_on_batch(self, x):
        x_list, _, _ = self._prepare(x)
        outputs = self._outputs(x_list, training=False)
        return outputs if len(outputs) > 1 else outputs[0]

    def _returned(self, logs, return_dict):
        """What evaluate() and *_on_batch() return: the logs sorted by name (return_dict), or
        their values in Keras's order (`Trainer._flatten_metrics_in_order`): the loss, the
        compiled metrics by their own names, each output's loss, then any other log sorted by
        name; one value alone is returned as a number."""
        if return_dict:
            return dict(sorted(logs.items()))
        names = ["loss", *self._compiled_metrics.metric_names, *self._compiled_loss.log_names]
        values = [logs[name] for name in names if name in logs]
        values += [logs[name] for name in sorted(logs) if name not in names]
        return values[0] if len(values) == 1 else values


def _check_batch_size(batch_size):
    if batch_size is None:
        return 32
    if not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    return int(batch_size)


def _check_validation_freq(validation_freq):
    every = isinstance(validation_freq, (int, np.integer)) and validation_freq > 0
    epochs = isinstance(validation_freq, (list, tuple)) and all(
        isinstance(e, (int, np.integer)) for e in validation_freq
    )
    if isinstance(validation_freq, bool) or not (every or epochs):
        raise ValueError(
            "validation_freq must be a positive integer (validate every that many epochs) or "
            f"a list of epochs counted from 1, e.g. [1, 5, 10], as in Keras; got "
            f"{validation_freq!r}."
        )


def _validates(epoch, validation_freq):
    """Whether fit validates after `epoch` (counted from 0): Keras's `_should_eval`."""
    if isinstance(validation_freq, (list, tuple)):
        return epoch + 1 in validation_freq
    return (epoch + 1) % validation_freq == 0


def _unpack_validation(validation_data):
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
        raise ValueError(
            "validation_data must be a tuple (x_val, y_val) or (x_val, y_val, sample_weight)."
        )
    x, y = validation_data[0], validation_data[1]
    sw = validation_data[2] if len(validation_data) == 3 else None
    return x, y, sw


# ----- the backward pass --------------------------------------------------------------------


def backpropagate(recorded, seeds, model_inputs, on_record=None):
    """dLoss/dweight for every weight used on the tape: the chain rule, one record at a time.

    `seeds` are (array, dLoss/darray) pairs where the walk starts. Going through the records
    from last to first, each step turns the gradient of its output into the gradients of its
    inputs and of its weights (`step.backward`, with the cache of its forward pass). An array
    that fed several steps (a layer called twice, a skip connection) receives the sum of their
    gradients. Returns {id(weight): gradient}. If given, `on_record(record, grad, grad_inputs,
    grad_weights)` is called after each step's backward: the tape viewer shows the walk so.
    """
    produced = {id(record.output) for record in recorded.records}
    _check_connected(recorded, produced, model_inputs)
    grads = {}  # id(array) -> dLoss/darray, for the arrays between the loss and the inputs
    for array, grad in seeds:
        _add(grads, id(array), grad)
    weight_grads = {}  # id(weight Variable) -> dLoss/dweight
    for record in reversed(recorded.records):
        grad = grads.pop(id(record.output), None)
        if grad is None:
            continue  # the loss does not depend on this output (or a fused seed skipped it)
        step, weights = record.step, record.step.differentiable_weights
        if any(id(x) in produced for x in record.input_list):
            grad_inputs, grad_weights = step.backward(grad, record.cache)
            grad_inputs = grad_inputs if isinstance(record.inputs, list) else [grad_inputs]
        else:  # the step reads the data, whose gradient nobody needs: skip computing it
            grad_inputs, grad_weights = [], step.weight_gradients(grad, record.cache)
        _check_backward(record, grad_inputs, weights, grad_weights)
        if on_record is not None:
            on_record(record, grad, grad_inputs, grad_weights)
        for x, grad_x in zip(record.input_list, grad_inputs):
            _add(grads, id(x), grad_x)
        for weight, grad_weight in zip(weights, grad_weights):
            _add(weight_grads, id(weight), grad_weight)
    return weight_grads


def _weighted(grad, loss_weight):
    """An output's gradient times its loss weight (compile's loss_weights; usually 1)."""
    return grad if loss_weight == 1 else grad * loss_weight


def _add(grads, key, grad):
    """Add `grad` to the gradient already arriving at the same array, if any."""
    grads[key] = grads[key] + grad if key in grads else grad


def _check_backward(record, grad_inputs, weights, grad_weights):
    """A step's backward must give one gradient per input and per weight, shaped like it
    (`grad_inputs` is [] when the inputs are the data and only weight_gradients ran)."""
    inputs = record.input_list if grad_inputs else []
    if len(grad_inputs) == len(inputs) and len(grad_weights) == len(weights):
        shapes_match = True
        for array, grad in zip(inputs + weights, [*grad_inputs, *grad_weights]):
            shapes_match = shapes_match and getattr(grad, "shape", None) == array.shape
        if shapes_match:
            return
    step = record.step

    def shapes(arrays):
        return ", ".join(str(np.shape(a)) for a in arrays) or "none"

    raise ValueError(
        f"{type(step).__name__} '{step.name}': backward(grad, cache) returned input gradients "
        f"of shapes [{shapes(grad_inputs)}] and weight gradients of shapes "
        f"[{shapes(grad_weights)}], but its inputs have shapes [{shapes(record.input_list)}] "
        f"and its weights [{shapes(weights)}] "
        f"({', '.join(w.name for w in weights) or 'no weights'}). backward must return "
        "(grad_inputs, grad_weights): one gradient per input and one per weight of "
        "layer.differentiable_weights, in that order, each shaped like its array."
    )


def _check_connected(recorded, produced, model_inputs):
    """Every step's inputs must come from a step on the tape or be the model's inputs: NumPy
    arithmetic between layers makes arrays that the tape cannot see through."""
    known = produced | {id(x) for x in model_inputs}
    for record in recorded.records:
        for x in record.input_list:
            if id(x) not in known:
                raise RuntimeError(
                    f"Layer '{record.name}' received an array that no layer produced. "
                    "dlcourse backpropagates through layers only: replace NumPy arithmetic "
                    "between layers in call() with layers such as Add, Concatenate or "
                    "Activation."
                )
