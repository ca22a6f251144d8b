"""Learning-rate schedules: the learning rate as a function of the optimizer's step count.

Pass one as `learning_rate=` to any optimizer; at each step the optimizer calls
`schedule(optimizer.iterations)`. Formulas and import path as in `keras.optimizers.schedules`.
"""

import math

from dlcourse._config import Configurable
from dlcourse._config import serialize as serialize  # {'class_name', 'config'}, as Keras
from dlcourse._naming import get_object


class LearningRateSchedule(Configurable):
    """Base class: subclasses implement `__call__(step) -> float` and `get_config()`."""

    _hidden_in_repr = ("name",)

    def __call__(self, step):
        raise NotImplementedError(
            f"{type(self).__name__} must implement __call__(self, step) "
            "returning the learning rate."
        )

    def get_config(self):
        raise NotImplementedError(f"{type(self).__name__} must implement get_config() to be saved.")


def _check_decay_steps(decay_steps, arg="decay_steps"):
    if not decay_steps > 0:
        raise ValueError(f"`{arg}` must be > 0 (a number of optimizer steps), got {decay_steps!r}.")


class _DecayOverSteps(LearningRateSchedule):
    """Shared settings of the decays that scale with `step / decay_steps`."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name or type(self).__name__

    def _progress(self, step):
        """step / decay_steps, floored when `staircase` (the rate then drops in steps)."""
        p = step / self.decay_steps
        return math.floor(p) if self.staircase else p

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class ExponentialDecay(_DecayOverSteps):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)`; `staircase` floors the
    exponent."""

    def __call__(self, step):
        return self.initial_learning_rate * self.decay_rate ** self._progress(step)


class InverseTimeDecay(_DecayOverSteps):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)` (1/t decay)."""

    def __call__(self, step):
        return self.initial_learning_rate / (1 + self.decay_rate * self._progress(step))


class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` while `step <= boundaries[0]`, `values[1]` up to `boundaries[1]`, ...,
    then `values[-1]`."""

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                f"PiecewiseConstantDecay needs one more value than boundaries: got "
                f"{len(boundaries)} boundaries {list(boundaries)} and {len(values)} values "
                f"{list(values)}."
            )
        if any(b >= c for b, c in zip(boundaries, boundaries[1:])):
            raise ValueError(f"`boundaries` must be strictly increasing, got {list(boundaries)}.")
        self.boundaries = list(boundaries)
        self.values = list(values)
        self.name = name

    def __call__(self, step):
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return value
        return self.values[-1]

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """From `initial_learning_rate` to `end_learning_rate` over `decay_steps` along
    `(1 - step/decay_steps) ** power`.

    With `cycle=True` the decay restarts over the next multiple of `decay_steps`.
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        end_learning_rate=0.0001,
        power=1.0,
        cycle=False,
        name="PolynomialDecay",
    ):
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        decay_steps = self.decay_steps
        if self.cycle:
            decay_steps = decay_steps * max(1, math.ceil(step / decay_steps))
        else:
            step = min(step, decay_steps)
        fraction_left = 1 - step / decay_steps
        return (
            self.initial_learning_rate - self.end_learning_rate
        ) * fraction_left**self.power + self.end_learning_rate

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class CosineDecay(LearningRateSchedule):
    """Half a cosine from the start rate down to `alpha * start rate` over `decay_steps`.

    With `warmup_target`, the rate first rises linearly from `initial_learning_rate` to
    `warmup_target` over `warmup_steps`, then decays from `warmup_target`.
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        alpha=0.0,
        name="CosineDecay",
        warmup_target=None,
        warmup_steps=0,
    ):
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decayed(self, step, start_rate):
        fraction_done = min(step, self.decay_steps) / self.decay_steps
        cosine = 0.5 * (1.0 + math.cos(math.pi * fraction_done))
        return start_rate * ((1 - self.alpha) * cosine + self.alpha)

    def __call__(self, step):
        if self.warmup_target is None:
            return self._decayed(step, self.initial_learning_rate)
        if step < self.warmup_steps:
            fraction_done = step / self.warmup_steps
            return (
                self.initial_learning_rate
                + (self.warmup_target - self.initial_learning_rate) * fraction_done
            )
        return self._decayed(step - self.warmup_steps, self.warmup_target)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


_SCHEDULES = {
    cls.__name__: cls
    for cls in (
        ExponentialDecay,
        InverseTimeDecay,
        PiecewiseConstantDecay,
        PolynomialDecay,
        CosineDecay,
    )
}


def deserialize(config):
    """Rebuild a schedule from `serialize()` output (only built-in schedule classes)."""
    return get_object("learning rate schedule", config, _SCHEDULES, LearningRateSchedule)


def get(identifier):
    """A schedule from an instance, a config dict or a class name."""
    schedule = get_object("learning rate schedule", identifier, _SCHEDULES, LearningRateSchedule)
    if isinstance(schedule, type):
        raise ValueError(
            f"Schedule {identifier!r} needs arguments: create it, e.g. "
            f"ExponentialDecay(initial_learning_rate=0.1, decay_steps=1000, decay_rate=0.9)."
        )
    return schedule
