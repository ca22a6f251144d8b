"""Training diagnostics: quick measurements that say why a network does not train.

Notebook 09b runs them as a recipe, before a long training run:

- the loss before any training should be about ln(K) for K balanced classes (no helper
  needed: `model.evaluate(x, y)` against `np.log(K)`);
- `dead_relu_fractions(model, x)`: the share of each ReLU layer's units that output 0 for
  every example; such a unit passes no gradient back, so it has stopped learning;
- `UpdateRatios`: a callback recording, at every step, how far the step moved each kernel
  relative to its size, ‖Δw‖ / ‖w‖ (a rule of thumb puts a healthy ratio near 1e-3);
- `learning_rate_range_test(model, x, y)` and `suggest_learning_rate(rates, losses)`: train
  for a few hundred steps while the learning rate grows exponentially, and pick a rate below
  the one where the loss blows up (Leslie Smith's range test, fast.ai's learning-rate finder);
  `smooth(losses)` is the moving average both read, since single batch losses are noisy.

A gradient check of one layer is `dlcourse.gradcheck.check_gradient`.
"""

import math

import numpy as np

from dlcourse import tape
from dlcourse.callbacks import Callback
from dlcourse.layers.core import Activation
from dlcourse.models.data import batch_indices

__all__ = [
    "dead_relu_fractions",
    "UpdateRatios",
    "learning_rate_range_test",
    "suggest_learning_rate",
    "smooth",
]


def dead_relu_fractions(model, x):
    """{ReLU step's name: share of its units that are 0 for every row of x}, in model order.

    The model runs once on x in inference mode (dropout off) while a tape records every step;
    each ReLU's output is then read from the tape. A unit that is 0 for every example has a
    negative input for all of them, so no gradient flows through it: it is "dead". A ReLU
    activation inside a Dense layer is named after it ('dense/relu').
    """
    with tape.recording(training=False) as recorded:
        model(x, training=False)
    fractions = {}
    for record in recorded.records:
        if _is_relu(record.step):
            outputs = record.output.reshape(-1, record.output.shape[-1])
            fractions[record.name] = float(np.mean(np.all(outputs == 0, axis=0)))
    if not fractions:
        raise ValueError(
            "The model has no ReLU activation, so no unit can be dead: dead_relu_fractions "
            "reads the outputs of Dense(..., activation='relu'), Activation('relu') and ReLU()."
        )
    return fractions


def _is_relu(step):
    from dlcourse.activations import relu

    function = getattr(step, "activation", None) if isinstance(step, Activation) else None
    return getattr(function, "func", function) is relu  # ReLU() binds relu with partial


class UpdateRatios(Callback):
    """Record ‖w_after − w_before‖ / ‖w_before‖ for every kernel at every training step.

    The ratio says how far one step moves the weights relative to their size. A rule of thumb
    (Karpathy's CS231n notes) puts a healthy ratio near 1e-3: far below, the learning rate is
    too small to change anything; near 1e-1 or above, each step rewrites the weights. After
    fit, `ratios` maps each layer's name to a list with one ratio per step. Only kernels are
    measured: biases start at 0, where the ratio is not defined.
    """

    def __init__(self):
        super().__init__()
        self.ratios = {}
        self._before = {}

    def _kernels(self):
        return {
            layer.name: layer.kernel
            for layer in self.model.layers
            if getattr(layer, "kernel", None) is not None
        }

    def on_train_begin(self, logs=None):
        self.ratios = {name: [] for name in self._kernels()}

    def on_train_batch_begin(self, batch, logs=None):
        self._before = {name: kernel.numpy() for name, kernel in self._kernels().items()}

    def on_train_batch_end(self, batch, logs=None):
        for name, kernel in self._kernels().items():
            before = self._before[name]
            step = np.linalg.norm(kernel.value - before)
            self.ratios[name].append(float(step / np.linalg.norm(before)))


def learning_rate_range_test(
    model,
    x,
    y,
    start_lr=1e-5,
    end_lr=10.0,
    steps=200,
    batch_size=32,
    stop_factor=4.0,
    smoothing=0.9,
):
    """Train `model` one batch per step while the learning rate grows exponentially from
    `start_lr` to `end_lr`; returns (learning rates, losses) of the steps run, as arrays.

    Step i uses start_lr * (end_lr / start_lr) ** (i / (steps - 1)), so the rates are evenly
    spaced on a log scale, and records that batch's loss (before the step's update). At small
    rates the loss barely moves; then it falls, faster as the rate grows; past some rate it
    blows up. The test stops early once the loss is not finite, or once its moving average
    (`smooth`, which evens out lucky and unlucky batches) is above `stop_factor` times its
    lowest value so far. Batches are drawn as fit draws them (shuffled, seeded by
    set_random_seed). The test trains the model: build a fresh one for the real training.
    """
    if not 0 < start_lr < end_lr:
        raise ValueError(
            f"The range test needs 0 < start_lr < end_lr, got start_lr={start_lr}, "
            f"end_lr={end_lr}: e.g. start_lr=1e-5, end_lr=10."
        )
    if steps < 2:
        raise ValueError(f"The range test needs at least 2 steps, got steps={steps}.")
    x, y = np.asarray(x), np.asarray(y)
    batches = []
    while len(batches) < steps:  # as many shuffled epochs as the steps need
        batches += batch_indices(len(x), batch_size, shuffle=True)
    rates, losses = [], []
    for step, index in enumerate(batches[:steps]):
        rate = start_lr * (end_lr / start_lr) ** (step / (steps - 1))
        model.optimizer.learning_rate = rate
        model.reset_metrics()  # so that train_on_batch returns this batch's loss alone
        loss = model.train_on_batch(x[index], y[index], return_dict=True)["loss"]
        rates.append(rate)
        losses.append(loss)
        smoothed = smooth(losses, smoothing)
        if not math.isfinite(loss) or smoothed[-1] > stop_factor * smoothed.min():
            break  # blown up
    return np.array(rates), np.array(losses)


def suggest_learning_rate(rates, losses, smoothing=0.9, divide_by=10.0):
    """A learning rate from a range test: the rate of the lowest smoothed loss, / `divide_by`.

    The batch losses are noisy, so they are smoothed first by an exponential moving average
    (weight `smoothing` on the past, corrected for its start at 0, as fast.ai does). At the
    lowest loss the rate is already close to the blow-up; a tenth of it is a safe, still fast
    choice (fast.ai's "minimum / 10").
    """
    rates, losses = np.asarray(rates, dtype=float), np.asarray(losses, dtype=float)
    if rates.shape != losses.shape or rates.ndim != 1 or len(rates) == 0:
        raise ValueError(
            f"suggest_learning_rate needs two 1-D arrays of the same length (the rates and "
            f"losses of learning_rate_range_test), got shapes {rates.shape} and {losses.shape}."
        )
    smoothed = smooth(losses, smoothing)
    finite = np.isfinite(smoothed)
    lowest = np.argmin(np.where(finite, smoothed, np.inf))
    return float(rates[lowest] / divide_by)


def smooth(values, smoothing=0.9):
    """The exponential moving average of `values`, corrected for starting at 0:
    average_i = smoothing * average_(i-1) + (1 - smoothing) * value_i, then / (1 - smoothing^(i+1)).
    """
    average, smoothed = 0.0, []
    for i, value in enumerate(np.asarray(values, dtype=float)):
        average = smoothing * average + (1 - smoothing) * value
        smoothed.append(average / (1 - smoothing ** (i + 1)))
    return np.array(smoothed)
