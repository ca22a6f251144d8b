"""Optimizers: turn gradients into weight updates, with the formulas and defaults of Keras 3.

Weights are plain NumPy arrays updated in place, so a model (or a learner walking an
optimizer over a 2D toy function) keeps its own arrays and sees them change:

    w = np.array([1.5, -0.5])
    opt = Adam(learning_rate=0.1)
    opt.apply_gradients([(grad_f(w), w)])   # w has moved

Each optimizer keeps per-weight "slots" (momentum, velocity, ...) created by `build()`.
All arithmetic happens in the weight's own dtype: float32 weights stay float32.
"""

import math
import sys

import numpy as np

from dlcourse import schedules
from dlcourse._naming import get_object, lookup

# Keras path `keras.optimizers.schedules.ExponentialDecay`: make
# `from dlcourse.optimizers.schedules import ExponentialDecay` work too.
sys.modules[__name__ + ".schedules"] = schedules

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
        if kwargs:
            hint = " `lr` is the old Keras 2 name: use `learning_rate`." if "lr" in kwargs else ""
            raise ValueError(f"{owner} got unknown argument(s) {sorted(kwargs)}.{hint}")
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
        self._scratch = []  # one work array per weight, reused every step (not state)
        self._position = {}  # id(weight) -> its index in the two lists above
        self._flat = None  # all weights laid end to end, for small models (see below)

    slot_specs = {}

    # Updating many small weights one by one costs mostly NumPy's fixed price per call, not
    # arithmetic. When update_step treats every number on its own (`elementwise`, true for the
    # built-in optimizers) and the model is small, apply_gradients copies all gradients and
    # weights into one flat array each, runs update_step once on them, and copies the weights
    # back: a dozen NumPy calls per step instead of a dozen per weight, and the same numbers.
    elementwise = False
    FLAT_MAX_SIZE = 100_000  # total number of weight values; larger models update weight by weight

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

    def build(self, var_list):
        """Create the slot arrays (zeros, or the optimizer's initial value) for new weights."""
        added = False
        for var in var_list:
            if id(var) in self._position:
                continue
            _check_variable(var)
            self._position[id(var)] = len(self._built_vars)
            self._built_vars.append(var)
            self._slots.append(
                {slot: np.full_like(var, initial) for slot, initial in self.slot_specs.items()}
            )
            self._scratch.append(np.empty_like(var))
            added = True
        if added:
            self._flat = _FlatWeights.build(self) if self.elementwise else None

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
            slots = self._slots[self._position[id(var)]]
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
                np.copyto(array, saved[name])
        self.iterations = int(state["iterations"])

    # --- one training step ---------------------------------------------------------------

    def apply_gradients(self, grads_and_vars):
        """One step: clip, decay weights, update each weight in place, then `iterations += 1`.

        Pairs whose gradient is None are skipped (the weight is left unchanged).
        """
        pairs = list(grads_and_vars)
        if not pairs:
            return self.iterations
        grads, variables = [], []
        for grad, var in pairs:
            if grad is None:
                continue
            if id(var) not in self._position:  # weights seen before were checked then
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
        if not grads:
            raise ValueError("No gradients provided for any variable (all gradients are None).")

        self.build(variables)
        grads = self._clip_gradients(grads)
        learning_rate = self.learning_rate
        if self.weight_decay is not None:
            for var in variables:
                var *= 1.0 - self.weight_decay * learning_rate  # w -= w * wd * lr
        flat = self._flat
        if flat is not None and flat.covers(variables):
            flat.gather(grads, variables)
            self.update_step(flat.grad, flat.var, learning_rate, flat.slots, flat.scratch)
            flat.scatter(variables)
        else:
            for grad, var in zip(grads, variables):
                i = self._position[id(var)]
                self.update_step(grad, var, learning_rate, self._slots[i], self._scratch[i])
        self.iterations += 1
        return self.iterations

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

    def update_step(self, grad, var, learning_rate, slots, scratch):
        """Update `var` in place from `grad`.

        `slots` is this weight's dict of slot arrays; `scratch` is a work array of the weight's
        shape: writing intermediate results into it (`out=scratch`) instead of creating new
        arrays at every step keeps large updates fast.
        """
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


class _FlatWeights:
    """One flat array each for the gradients, weights, slots and scratch of all of an
    optimizer's weights. Each weight's slots in `optimizer._slots` become views into the flat
    slots, so saving and restoring the optimizer's state works as before."""

    @classmethod
    def build(cls, optimizer):
        weights = optimizer._built_vars
        total = sum(w.size for w in weights)
        if (
            len(weights) < 2
            or total > optimizer.FLAT_MAX_SIZE
            or len({w.dtype for w in weights}) != 1
        ):
            return None  # one weight gains nothing; the others do not fit in one flat array
        return cls(optimizer, weights, total)

    def __init__(self, optimizer, weights, total):
        dtype = weights[0].dtype
        self.weights = list(weights)
        self.grad, self.var, self.scratch = (np.empty(total, dtype) for _ in range(3))
        self.slots = {name: np.empty(total, dtype) for name in optimizer.slot_specs}
        self.grad_views, self.var_views = [], []
        offset = 0
        for weight, slots in zip(weights, optimizer._slots):
            part = slice(offset, offset + weight.size)
            self.grad_views.append(self.grad[part].reshape(weight.shape))
            self.var_views.append(self.var[part].reshape(weight.shape))
            for name, flat_slot in self.slots.items():
                view = flat_slot[part].reshape(weight.shape)
                view[...] = slots[name]
                slots[name] = view
            offset += weight.size

    def covers(self, variables):
        """Whether `variables` are exactly this optimizer's weights, in build order."""
        return len(variables) == len(self.weights) and all(
            v is w for v, w in zip(variables, self.weights)
        )

    def gather(self, grads, variables):
        for grad, var, grad_view, var_view in zip(
            grads, variables, self.grad_views, self.var_views
        ):
            np.copyto(grad_view, grad)
            np.copyto(var_view, var)

    def scatter(self, variables):
        for var, var_view in zip(variables, self.var_views):
            np.copyto(var, var_view)


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

    elementwise = True

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

    def update_step(self, grad, var, learning_rate, slots, scratch):
        step = np.multiply(grad, learning_rate, out=scratch)  # lr * g
        if self.momentum == 0:
            var -= step
            return
        velocity = slots["momentum"]
        velocity *= self.momentum
        velocity -= step  # v = momentum * v - lr * g
        if self.nesterov:
            var -= step  # w += momentum * v - lr * g
            var += np.multiply(velocity, self.momentum, out=scratch)
        else:
            var += velocity

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


class Adagrad(Optimizer):
    """Per-weight learning rates that shrink as squared gradients accumulate.

    a += g * g;  w -= lr * g / sqrt(a + epsilon)     (a starts at initial_accumulator_value)
    """

    elementwise = True

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

    def update_step(self, grad, var, learning_rate, slots, scratch):
        accumulator = slots["accumulator"]
        accumulator += np.square(grad, out=scratch)  # a += g * g
        denominator = np.sqrt(np.add(accumulator, self.epsilon, out=scratch), out=scratch)
        step = np.divide(grad, denominator, out=scratch)
        step *= learning_rate
        var -= step  # w -= lr * g / sqrt(a + eps)

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

    elementwise = True

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

    def update_step(self, grad, var, learning_rate, slots, scratch):
        rho = self.rho
        velocity = slots["velocity"]
        velocity *= rho
        squared = np.square(grad, out=scratch)
        squared *= 1 - rho
        velocity += squared  # v = rho*v + (1-rho)*g*g
        if self.centered:
            average_grad = slots["average_gradient"]
            average_grad *= rho
            average_grad += np.multiply(grad, 1 - rho, out=scratch)  # mg = rho*mg + (1-rho)*g
            denominator = np.square(average_grad, out=scratch)
            np.subtract(velocity, denominator, out=denominator)
            denominator += self.epsilon  # d = v - mg*mg + eps
        else:
            denominator = np.add(velocity, self.epsilon, out=scratch)  # d = v + eps
        increment = np.divide(grad, np.sqrt(denominator, out=scratch), out=scratch)
        increment *= learning_rate  # inc = lr * g / sqrt(d)
        if self.momentum > 0:
            momentum = slots["momentum"]
            momentum *= self.momentum
            momentum += increment
            var -= momentum
        else:
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

    elementwise = True

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

    def update_step(self, grad, var, learning_rate, slots, scratch):
        beta_1, beta_2 = self.beta_1, self.beta_2
        t = self.iterations + 1
        alpha = learning_rate * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        m, v = slots["momentum"], slots["velocity"]
        m *= beta_1
        m += np.multiply(grad, 1 - beta_1, out=scratch)  # m = b1*m + (1-b1)*g
        v *= beta_2
        squared = np.square(grad, out=scratch)
        squared *= 1 - beta_2
        v += squared  # v = b2*v + (1-b2)*g*g
        if self.amsgrad:
            v_hat = slots["velocity_hat"]
            np.maximum(v_hat, v, out=v_hat)
            v = v_hat
        denominator = np.sqrt(v, out=scratch)
        denominator += self.epsilon
        step = np.divide(m, denominator, out=scratch)
        step *= alpha
        var -= step  # w -= alpha*m/(sqrt(v)+eps)

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


_OPTIMIZERS = {"sgd": SGD, "adagrad": Adagrad, "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW}


def get(identifier):
    """An optimizer from a name ('adam', 'SGD', ...; default settings), a config dict or an
    instance."""
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        return lookup("optimizer", identifier, _OPTIMIZERS)()
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    if isinstance(identifier, dict):
        return get_object("optimizer", identifier, _OPTIMIZERS, Optimizer)
    raise ValueError(
        f"Could not interpret optimizer {identifier!r}: pass a name like 'adam', an optimizer "
        f"such as SGD(learning_rate=0.01), or a config dict."
    )


def serialize(optimizer):
    """`{"class_name": ..., "config": {...}}`, the form saved in model files."""
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config):
    """Rebuild an optimizer from `serialize()` output (only the built-in optimizer classes)."""
    return get(dict(config))
