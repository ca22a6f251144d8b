"""Optimizers: turn gradients into weight updates, with the formulas and defaults of Keras 3.

Weights are plain NumPy arrays updated in place, so a model (or a learner walking an
optimizer over a 2D toy function) keeps its own arrays and sees them change:

    w = np.array([1.5, -0.5])
    opt = Adam(learning_rate=0.1)
    opt.apply_gradients([(grad_f(w), w)])   # w has moved

`Optimizer.apply_gradients` does what every optimizer shares (clipping, weight decay, the step
counter); each optimizer's `update_step` is its formula in NumPy, on one weight and that
weight's "slots" (momentum, velocity, ...), which `build()` creates. A model's trainable weights
are views into one flat vector, and so are their slots: one update_step then updates the whole
model. Arithmetic stays in the weight's own dtype: float32 weights stay float32.
"""

import math
import warnings

import numpy as np

from dlcourse.optimizers import schedules

# Keras 3 config keys for features dlcourse does not have; accepted when they are off.
_UNSUPPORTED_KERAS_OPTIONS = ("use_ema", "loss_scale_factor", "gradient_accumulation_steps")
_IGNORED_KERAS_KEYS = ("ema_momentum", "ema_overwrite_frequency")


def _is_number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _check_number(name, value, low, high=None, high_inclusive=True, owner="optimizer"):
    """Raise a ValueError unless `value` is a number in [low, high] (or [low, high))."""
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if not _is_number(value) or not math.isfinite(value) or value < low or too_high:
        if high is None:
            allowed = f">= {low}"
        else:
            allowed = f"in [{low}, {high}{']' if high_inclusive else ')'}"
        raise ValueError(f"{owner}: `{name}` must be a number {allowed}, got {value!r}.")
    return float(value)


def _check_optional_positive(name, value, owner):
    if value is None:
        return None
    if not _is_number(value) or not value > 0:
        raise ValueError(f"{owner}: `{name}` must be a positive number or None, got {value!r}.")
    return float(value)


def _decay_message(owner, decay, learning_rate):
    message = f"{owner}: argument `decay` is no longer supported and will be ignored (Keras 3)."
    if decay:  # Keras 2 divided the rate by (1 + decay * iterations): that schedule
        message += (
            f" Keras 2's decay={decay} is the schedule learning_rate="
            f"InverseTimeDecay({learning_rate}, decay_steps=1, decay_rate={decay}), "
            "from dlcourse.optimizers.schedules."
        )
    return message


def _unrecognized_message(cls, kwargs):
    """Keras 3's "Argument(s) not recognized", with the argument the learner probably meant."""
    import difflib
    import inspect

    known = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "kwargs")]
    message = f"{cls.__name__}: argument(s) not recognized: {kwargs}."
    for key in kwargs:
        if key == "lr":
            message += (
                f" `lr` is Keras 2's name: Keras 3 calls it learning_rate, e.g. "
                f"{cls.__name__}(learning_rate={kwargs['lr']!r})."
            )
        elif difflib.get_close_matches(key, known, n=1):
            message += f" Did you mean {difflib.get_close_matches(key, known, n=1)[0]!r}?"
    return f"{message} {cls.__name__} takes {', '.join(known)}."


def _check_learning_rate(value, owner):
    if isinstance(value, schedules.LearningRateSchedule) or callable(value):
        return value
    if not _is_number(value):
        raise ValueError(
            f"{owner}: `learning_rate` must be a float, a LearningRateSchedule or a callable "
            f"with no arguments returning a float; got {value!r}."
        )
    return _check_number("learning_rate", value, 0.0, owner=owner)


class Optimizer:
    """Base class: gradient clipping, weight decay, learning rate, slots and the step counter.

    Subclasses set `slot_specs` (slot name -> initial value) and write `update_step`.
    """

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        name=None,
        **kwargs,
    ):
        owner = type(self).__name__
        decay = kwargs.pop("decay", None)
        if decay is not None:  # Keras 2's learning-rate decay: Keras 3 warns and ignores it
            warnings.warn(_decay_message(owner, decay, learning_rate), stacklevel=3)
        if kwargs:
            raise ValueError(_unrecognized_message(type(self), kwargs))
        self.name = name or owner.lower()
        self._learning_rate = _check_learning_rate(learning_rate, owner)
        self.weight_decay = (
            None
            if weight_decay is None
            else _check_number("weight_decay", weight_decay, 0.0, owner=owner)
        )
        self.clipnorm = _check_optional_positive("clipnorm", clipnorm, owner)
        self.clipvalue = _check_optional_positive("clipvalue", clipvalue, owner)
        self.global_clipnorm = _check_optional_positive("global_clipnorm", global_clipnorm, owner)
        if sum(c is not None for c in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                f"{owner}: set only one of `clipnorm`, `clipvalue` and `global_clipnorm` "
                f"(as in Keras); got clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}."
            )
        self.iterations = 0
        self._built_vars = []  # the weights this optimizer has slots for, in build order
        self._slots = []  # one dict {slot name: array} per weight, same order
        self._index = {}  # id(weight) -> its index in the two lists above
        self._vectors = {}  # id(first view) -> a _FlatVector whose views are weights (see build)

    slot_specs = {}  # slot name -> initial value; set by each optimizer

    # --- learning rate -------------------------------------------------------------------

    @property
    def learning_rate(self):
        """The learning rate for the current step (a schedule is evaluated at `iterations`)."""
        if isinstance(self._learning_rate, schedules.LearningRateSchedule):
            return float(self._learning_rate(self.iterations))
        if callable(self._learning_rate):
            return float(self._learning_rate())
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(self._learning_rate, schedules.LearningRateSchedule) and not callable(value):
            raise TypeError(
                f"This {type(self).__name__} was created with a LearningRateSchedule, so its "
                f"learning rate cannot be set to a number. Create the optimizer with a float "
                f"learning_rate if you need to change it (e.g. with ReduceLROnPlateau)."
            )
        self._learning_rate = _check_learning_rate(value, type(self).__name__)

    # --- slots -----------------------------------------------------------------------------

    def build(self, var_list, vector=None):
        """Create the slots (zeros, or the optimizer's initial value) of weights not seen before.

        vector: the flat vector that the weights in `var_list` are views into, laid end to end
        in order (a model's trainable weights are: see Model._flat_weights). Each slot is then one
        flat array too, and each weight's slot a view into it, so one update_step on the vector
        updates the whole model, while `variables` and `get_state` still go weight by weight.
        """
        var_list = list(var_list)
        for var in var_list:
            if id(var) not in self._index:
                _check_variable(var)
                self._index[id(var)] = len(self._built_vars)
                self._built_vars.append(var)
                self._slots.append(
                    {slot: np.full_like(var, initial) for slot, initial in self.slot_specs.items()}
                )
        if vector is not None and var_list and id(var_list[0]) not in self._vectors:
            flat_slots = {slot: np.empty_like(vector) for slot in self.slot_specs}
            offset = 0
            for var in var_list:
                slots = self._slots[self._index[id(var)]]
                for slot, flat_slot in flat_slots.items():
                    view = flat_slot[offset : offset + var.size].reshape(var.shape)
                    view[...] = slots[slot]  # keeps what the slot held (a restored state)
                    slots[slot] = view
                offset += var.size
            self._vectors[id(var_list[0])] = _FlatVector(vector, var_list, flat_slots)

    @property
    def variables(self):
        """The slot arrays, weight by weight in build order (Keras 3: a property)."""
        return [array for slots in self._slots for array in slots.values()]

    def get_state(self):
        """Copies of the step counter and all slots: restoring them resumes bit-for-bit.

        Format: {"iterations": int,
                 "slots": [{slot name: array}, ... one per weight in build order]}.
        """
        return {
            "iterations": self.iterations,
            "slots": [
                {name: array.copy() for name, array in slots.items()} for slots in self._slots
            ],
        }

    def set_state(self, state, var_list):
        """Restore `get_state()` output; `var_list[i]` receives the slots of saved weight i."""
        var_list = list(var_list)
        saved_slots = state["slots"]
        if len(saved_slots) != len(var_list):
            raise ValueError(
                f"The saved optimizer state has slots for {len(saved_slots)} weights but "
                f"{len(var_list)} weights were given: pass the same weights, in the same order."
            )
        self.build(var_list)
        for i, (var, saved) in enumerate(zip(var_list, saved_slots)):
            slots = self._slots[self._index[id(var)]]
            if set(saved) != set(slots):
                raise ValueError(
                    f"Saved slots {sorted(saved)} for weight {i} do not match this "
                    f"{type(self).__name__}'s slots {sorted(slots)}: create the optimizer with "
                    f"the same settings (from its saved config) before restoring its state."
                )
            for name, array in slots.items():
                if np.shape(saved[name]) != array.shape:
                    raise ValueError(
                        f"Saved slot {name!r} of weight {i} has shape {np.shape(saved[name])}, "
                        f"but the weight has shape {array.shape}."
                    )
                array[...] = saved[name]
        self.iterations = int(state["iterations"])

    # --- one training step ---------------------------------------------------------------

    def apply_gradients(self, grads_and_vars):
        """One step: clip the gradients, decay the weights, update them in place, then count
        the step (`iterations += 1`), in that order, as Keras 3 does.

        Pairs whose gradient is None are skipped (the weight is left unchanged).
        """
        grads, variables = self._checked_pairs(grads_and_vars)
        if not variables:
            return self.iterations
        self.build(variables)
        grads = self._clip_gradients(grads)
        learning_rate = self.learning_rate
        for grad, var, slots in self._updates(grads, variables):
            if self.weight_decay is not None:
                var -= var * self.weight_decay * learning_rate  # decoupled weight decay
            self.update_step(grad, var, learning_rate, slots)
        self.iterations += 1
        return self.iterations

    def _checked_pairs(self, grads_and_vars):
        """(gradients, weights) without the pairs whose gradient is None; each gradient an array
        of its weight's dtype and shape, else a clear error."""
        pairs = list(grads_and_vars)
        grads, variables = [], []
        for grad, var in pairs:
            if grad is None:
                continue
            if id(var) not in self._index:  # a weight seen before was checked then
                _check_variable(var)
            if not (type(grad) is np.ndarray and grad.dtype == var.dtype):
                grad = np.asarray(grad, dtype=var.dtype)
            if grad.shape != var.shape:
                raise ValueError(
                    f"Gradient of shape {grad.shape} does not match its weight of shape "
                    f"{var.shape}: pass (gradient, weight) pairs with equal shapes."
                )
            grads.append(grad)
            variables.append(var)
        if pairs and not grads:
            raise ValueError("No gradients provided for any variable (all gradients are None).")
        return grads, variables

    def _updates(self, grads, variables):
        """(gradient, weight, slots) for each update_step: one for a whole flat vector when
        `variables` are exactly its views (a model's training step), else one per weight."""
        flat = self._vectors.get(id(variables[0]))
        if flat is not None and flat.covers(variables):
            return [(np.concatenate([grad.ravel() for grad in grads]), flat.vector, flat.slots)]
        return [(g, v, self._slots[self._index[id(v)]]) for g, v in zip(grads, variables)]

    def apply(self, grads, trainable_variables=None):
        """Keras 3 form: gradients and weights as two aligned lists."""
        if trainable_variables is None:
            trainable_variables = self._built_vars
        if len(grads) != len(trainable_variables):
            raise ValueError(
                f"Got {len(grads)} gradients for {len(trainable_variables)} weights: "
                f"pass one gradient per weight."
            )
        return self.apply_gradients(zip(grads, trainable_variables))

    def _clip_gradients(self, grads):
        """New (never in-place) clipped gradients; Keras allows one kind of clipping at a time."""
        if self.clipnorm is not None:
            return [grad * _shrink_factor(np.linalg.norm(grad), self.clipnorm) for grad in grads]
        if self.global_clipnorm is not None:
            global_norm = math.sqrt(sum(float(np.linalg.norm(grad)) ** 2 for grad in grads))
            factor = _shrink_factor(global_norm, self.global_clipnorm)
            return [grad * factor for grad in grads]
        if self.clipvalue is not None:
            return [np.clip(grad, -self.clipvalue, self.clipvalue) for grad in grads]
        return grads

    def update_step(self, grad, var, learning_rate, slots):
        """Update the weight `var` in place from its gradient; `slots` is its dict of slot
        arrays (updated in place too: they may be views into the model's flat slot arrays)."""
        raise NotImplementedError

    # --- config --------------------------------------------------------------------------

    def get_config(self):
        """The constructor arguments (a schedule is saved as {"class_name", "config"})."""
        if isinstance(self._learning_rate, schedules.LearningRateSchedule):
            learning_rate = schedules.serialize(self._learning_rate)
        else:
            # A plain callable cannot be saved as data: keep the rate it gives now.
            learning_rate = self.learning_rate
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
        }

    @classmethod
    def from_config(cls, config):
        """Rebuild from `get_config()` output (also accepts a Keras 3 optimizer config)."""
        config = dict(config)
        for key in _UNSUPPORTED_KERAS_OPTIONS:
            if config.pop(key, None):
                raise ValueError(f"dlcourse optimizers do not support Keras' `{key}`; remove it.")
        for key in _IGNORED_KERAS_KEYS:
            config.pop(key, None)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"])
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r} learning_rate={self.learning_rate:g}>"


class _FlatVector:
    """A flat vector of weights, the weights' views into it, and its slots as flat arrays."""

    def __init__(self, vector, views, slots):
        self.vector, self.views, self.slots = vector, list(views), slots

    def covers(self, variables):
        """Whether `variables` are exactly this vector's views, in order."""
        return len(variables) == len(self.views) and all(
            v is w for v, w in zip(variables, self.views)
        )


def _shrink_factor(norm, max_norm):
    """The factor that brings a vector of length `norm` down to `max_norm` (1.0 if already
    shorter)."""
    return max_norm / max(float(norm), max_norm)


def _check_variable(var):
    # dtype.kind rather than np.issubdtype: same answer, 2 µs less on every step (it shows
    # when an optimizer walks a 2D point for thousands of steps, as the explorer does).
    if not (isinstance(var, np.ndarray) and var.dtype.kind == "f"):
        got = type(var).__name__ if not isinstance(var, np.ndarray) else f"array of {var.dtype}"
        raise TypeError(
            f"Optimizers update weights in place, so weights must be NumPy float arrays; got "
            f"{got}. Create them with e.g. np.array([1.0, 2.0])."
        )


class SGD(Optimizer):
    """Gradient descent, optionally with (Nesterov) momentum.

    plain:     w -= lr * g
    momentum:  v = momentum * v - lr * g;  w += v
    nesterov:  v = momentum * v - lr * g;  w += momentum * v - lr * g
    """

    def __init__(
        self,
        learning_rate=0.01,
        momentum=0.0,
        nesterov=False,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        name="SGD",
        **kwargs,
    ):
        super().__init__(
            learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm, name, **kwargs
        )
        self.momentum = _check_number("momentum", momentum, 0.0, 1.0, owner="SGD")
        self.nesterov = bool(nesterov)
        self.slot_specs = {"momentum": 0.0} if self.momentum != 0 else {}

    def update_step(self, grad, var, learning_rate, slots):
        if self.momentum == 0:
            var -= learning_rate * grad  # w -= lr*g
            return
        v = slots["momentum"]
        v[...] = self.momentum * v - learning_rate * grad  # v = momentum*v - lr*g
        if self.nesterov:
            var += self.momentum * v - learning_rate * grad  # w += momentum*v - lr*g
        else:
            var += v  # w += v

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


class Adagrad(Optimizer):
    """Per-weight learning rates that shrink as squared gradients accumulate.

    a += g * g;  w -= lr * g / sqrt(a + epsilon)     (a starts at initial_accumulator_value)
    """

    def __init__(
        self,
        learning_rate=0.001,
        initial_accumulator_value=0.1,
        epsilon=1e-7,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        name="adagrad",
        **kwargs,
    ):
        super().__init__(
            learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm, name, **kwargs
        )
        self.initial_accumulator_value = _check_number(
            "initial_accumulator_value", initial_accumulator_value, 0.0, owner="Adagrad"
        )
        self.epsilon = _check_number("epsilon", epsilon, 0.0, owner="Adagrad")
        self.slot_specs = {"accumulator": self.initial_accumulator_value}

    def update_step(self, grad, var, learning_rate, slots):
        a = slots["accumulator"]
        a += np.square(grad)  # a += g*g
        var -= learning_rate * grad / np.sqrt(a + self.epsilon)  # w -= lr*g / sqrt(a + eps)

    def get_config(self):
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }


class RMSprop(Optimizer):
    """Divide the gradient by a running root-mean-square of recent gradients.

    v = rho * v + (1 - rho) * g * g
    centered:  mg = rho * mg + (1 - rho) * g;  d = v - mg * mg + epsilon   (else d = v + epsilon)
    inc = lr * g / sqrt(d)
    momentum:  m = momentum * m + inc;  w -= m     (else w -= inc)
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-7,
        centered=False,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        name="rmsprop",
        **kwargs,
    ):
        super().__init__(
            learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm, name, **kwargs
        )
        self.rho = _check_number("rho", rho, 0.0, 1.0, high_inclusive=False, owner="RMSprop")
        self.momentum = _check_number("momentum", momentum, 0.0, 1.0, owner="RMSprop")
        self.epsilon = _check_number("epsilon", epsilon, 0.0, owner="RMSprop")
        self.centered = bool(centered)
        self.slot_specs = {"velocity": 0.0}
        if self.momentum > 0:
            self.slot_specs["momentum"] = 0.0
        if self.centered:
            self.slot_specs["average_gradient"] = 0.0

    def update_step(self, grad, var, learning_rate, slots):
        rho, v = self.rho, slots["velocity"]
        v[...] = rho * v + (1 - rho) * np.square(grad)  # v = rho*v + (1-rho)*g*g
        if self.centered:
            mg = slots["average_gradient"]
            mg[...] = rho * mg + (1 - rho) * grad  # mg = rho*mg + (1-rho)*g
        d = v - np.square(mg) + self.epsilon if self.centered else v + self.epsilon
        increment = learning_rate * grad / np.sqrt(d)  # inc = lr*g / sqrt(d)
        if self.momentum > 0:
            m = slots["momentum"]
            m[...] = self.momentum * m + increment  # m = momentum*m + inc
            increment = m
        var -= increment

    def get_config(self):
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }


class Adam(Optimizer):
    """Momentum on the gradient (m) and on its square (v), with bias correction.

    t = iterations + 1;  alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)
    m = beta_1 * m + (1 - beta_1) * g;   v = beta_2 * v + (1 - beta_2) * g * g
    amsgrad: v_hat = max(v_hat, v), used instead of v
    w -= alpha * m / (sqrt(v) + epsilon)
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        name="adam",
        **kwargs,
    ):
        super().__init__(
            learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm, name, **kwargs
        )
        owner = type(self).__name__
        self.beta_1 = _check_number("beta_1", beta_1, 0.0, 1.0, high_inclusive=False, owner=owner)
        self.beta_2 = _check_number("beta_2", beta_2, 0.0, 1.0, high_inclusive=False, owner=owner)
        self.epsilon = _check_number("epsilon", epsilon, 0.0, owner=owner)
        self.amsgrad = bool(amsgrad)
        self.slot_specs = {"momentum": 0.0, "velocity": 0.0}
        if self.amsgrad:
            self.slot_specs["velocity_hat"] = 0.0

    def update_step(self, grad, var, learning_rate, slots):
        m, v = slots["momentum"], slots["velocity"]
        t = self.iterations + 1
        alpha = learning_rate * math.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        m += (grad - m) * (1 - self.beta_1)  # m = b1*m + (1-b1)*g
        v += (np.square(grad) - v) * (1 - self.beta_2)  # v = b2*v + (1-b2)*g*g
        if self.amsgrad:
            v_hat = slots["velocity_hat"]
            v_hat[...] = np.maximum(v_hat, v)
            v = v_hat
        var -= m * alpha / (np.sqrt(v) + self.epsilon)  # w -= alpha*m / (sqrt(v) + eps)

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }


class AdamW(Adam):
    """Adam with decoupled weight decay: each step first does w -= w * weight_decay * lr."""

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        name="adamw",
        **kwargs,
    ):
        if weight_decay is None:
            raise ValueError(
                "AdamW: `weight_decay` must be a number >= 0 (default 0.004), got None. "
                "Use Adam for no weight decay."
            )
        super().__init__(
            learning_rate,
            beta_1,
            beta_2,
            epsilon,
            amsgrad,
            weight_decay,
            clipnorm,
            clipvalue,
            global_clipnorm,
            name,
            **kwargs,
        )
