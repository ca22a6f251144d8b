"""Optimizers: golden values computed by hand (Keras 3 formulas), state, validation, schedules."""

import math

import numpy as np
import pytest

from dlcourse import optimizers
from dlcourse.optimizers import SGD, Adagrad, Adam, AdamW, RMSprop
from dlcourse.optimizers.schedules import (
    CosineDecay,
    ExponentialDecay,
    InverseTimeDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
)

EPS = 1e-7
W0 = [1.0, -2.0]
GRADS = [[0.5, -1.0], [0.2, 0.4], [-0.3, 0.1]]


def run(optimizer, w0=W0, grads=GRADS, dtype=np.float64):
    """Apply `grads` one step at a time to a copy of `w0`; the weights after each step."""
    w = np.array(w0, dtype=dtype)
    trajectory = []
    for g in grads:
        optimizer.apply_gradients([(np.array(g), w)])
        trajectory.append(w.copy())
    return np.array(trajectory)


def by_hand(steps):
    """Evaluate a hand-written scalar recurrence `steps(w, g1, g2, g3)` for each weight entry."""
    per_entry = [steps(W0[i], *(g[i] for g in GRADS)) for i in range(len(W0))]
    return np.array(per_entry).T


def check(optimizer, steps, rtol=1e-12):
    np.testing.assert_allclose(run(optimizer), by_hand(steps), rtol=rtol, atol=0)


# --- golden values ---------------------------------------------------------------------------


def test_sgd_plain():
    def steps(w, g1, g2, g3):
        w1 = w - 0.1 * g1
        w2 = w1 - 0.1 * g2
        w3 = w2 - 0.1 * g3
        return w1, w2, w3

    check(SGD(learning_rate=0.1), steps)
    np.testing.assert_allclose(run(SGD(0.1))[1], [0.93, -1.94], rtol=1e-12)


def test_sgd_momentum():
    def steps(w, g1, g2, g3):
        v1 = 0.9 * 0.0 - 0.1 * g1
        w1 = w + v1
        v2 = 0.9 * v1 - 0.1 * g2
        w2 = w1 + v2
        v3 = 0.9 * v2 - 0.1 * g3
        w3 = w2 + v3
        return w1, w2, w3

    check(SGD(0.1, momentum=0.9), steps)
    np.testing.assert_allclose(run(SGD(0.1, momentum=0.9))[1], [0.885, -1.85], rtol=1e-12)


def test_sgd_nesterov():
    def steps(w, g1, g2, g3):
        v1 = 0.9 * 0.0 - 0.1 * g1
        w1 = w + 0.9 * v1 - 0.1 * g1
        v2 = 0.9 * v1 - 0.1 * g2
        w2 = w1 + 0.9 * v2 - 0.1 * g2
        v3 = 0.9 * v2 - 0.1 * g3
        w3 = w2 + 0.9 * v3 - 0.1 * g3
        return w1, w2, w3

    check(SGD(0.1, momentum=0.9, nesterov=True), steps)
    # first step: w - 0.9*0.05 - 0.05 = 1 - 0.095
    assert run(SGD(0.1, momentum=0.9, nesterov=True))[0][0] == pytest.approx(0.905, abs=1e-15)


def test_adagrad():
    def steps(w, g1, g2, g3):
        a1 = 0.1 + g1 * g1
        w1 = w - 0.1 * g1 / math.sqrt(a1 + EPS)
        a2 = a1 + g2 * g2
        w2 = w1 - 0.1 * g2 / math.sqrt(a2 + EPS)
        a3 = a2 + g3 * g3
        w3 = w2 - 0.1 * g3 / math.sqrt(a3 + EPS)
        return w1, w2, w3

    check(Adagrad(learning_rate=0.1), steps)


def test_adagrad_accumulator_starts_at_initial_value():
    opt = Adagrad(initial_accumulator_value=0.5)
    w = np.zeros(3)
    opt.build([w])
    np.testing.assert_array_equal(opt.variables[0], [0.5, 0.5, 0.5])


def test_rmsprop_plain():
    def steps(w, g1, g2, g3):
        v1 = 0.9 * 0.0 + 0.1 * g1 * g1
        w1 = w - 0.01 * g1 / math.sqrt(v1 + EPS)
        v2 = 0.9 * v1 + 0.1 * g2 * g2
        w2 = w1 - 0.01 * g2 / math.sqrt(v2 + EPS)
        v3 = 0.9 * v2 + 0.1 * g3 * g3
        w3 = w2 - 0.01 * g3 / math.sqrt(v3 + EPS)
        return w1, w2, w3

    check(RMSprop(learning_rate=0.01), steps)
    # first step moves each entry by about lr / sqrt(1 - rho) = 0.0316
    np.testing.assert_allclose(
        run(RMSprop(0.01))[0], [1 - 0.01 / math.sqrt(0.1), -2 + 0.01 / math.sqrt(0.1)], rtol=1e-6
    )


def test_rmsprop_centered():
    def steps(w, g1, g2, g3):
        v1 = 0.1 * g1 * g1
        mg1 = 0.1 * g1
        w1 = w - 0.01 * g1 / math.sqrt(v1 - mg1 * mg1 + EPS)
        v2 = 0.9 * v1 + 0.1 * g2 * g2
        mg2 = 0.9 * mg1 + 0.1 * g2
        w2 = w1 - 0.01 * g2 / math.sqrt(v2 - mg2 * mg2 + EPS)
        v3 = 0.9 * v2 + 0.1 * g3 * g3
        mg3 = 0.9 * mg2 + 0.1 * g3
        w3 = w2 - 0.01 * g3 / math.sqrt(v3 - mg3 * mg3 + EPS)
        return w1, w2, w3

    check(RMSprop(0.01, centered=True), steps, rtol=1e-11)


def test_rmsprop_momentum():
    def steps(w, g1, g2, g3):
        v1 = 0.1 * g1 * g1
        m1 = 0.5 * 0.0 + 0.01 * g1 / math.sqrt(v1 + EPS)
        w1 = w - m1
        v2 = 0.9 * v1 + 0.1 * g2 * g2
        m2 = 0.5 * m1 + 0.01 * g2 / math.sqrt(v2 + EPS)
        w2 = w1 - m2
        v3 = 0.9 * v2 + 0.1 * g3 * g3
        m3 = 0.5 * m2 + 0.01 * g3 / math.sqrt(v3 + EPS)
        w3 = w2 - m3
        return w1, w2, w3

    check(RMSprop(0.01, momentum=0.5), steps)


def adam_by_hand(w, grads, lr=0.1, b1=0.9, b2=0.999, amsgrad=False, wd=None):
    m = v = v_hat = 0.0
    out = []
    for t, g in enumerate(grads, start=1):
        if wd is not None:
            w = w - w * wd * lr
        alpha = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        v_hat = max(v_hat, v)
        w = w - alpha * m / (math.sqrt(v_hat if amsgrad else v) + EPS)
        out.append(w)
    return out


def test_adam_plain():
    def steps(w, g1, g2, g3):
        m1 = 0.1 * g1
        v1 = 0.001 * g1 * g1
        w1 = w - (0.1 * math.sqrt(1 - 0.999) / (1 - 0.9)) * m1 / (math.sqrt(v1) + EPS)
        m2 = 0.9 * m1 + 0.1 * g2
        v2 = 0.999 * v1 + 0.001 * g2 * g2
        w2 = w1 - (0.1 * math.sqrt(1 - 0.999**2) / (1 - 0.9**2)) * m2 / (math.sqrt(v2) + EPS)
        m3 = 0.9 * m2 + 0.1 * g3
        v3 = 0.999 * v2 + 0.001 * g3 * g3
        w3 = w2 - (0.1 * math.sqrt(1 - 0.999**3) / (1 - 0.9**3)) * m3 / (math.sqrt(v3) + EPS)
        return w1, w2, w3

    check(Adam(learning_rate=0.1), steps, rtol=1e-11)
    # Adam's first step is about lr * sign(g)
    np.testing.assert_allclose(run(Adam(0.1))[0], [0.9, -1.9], rtol=1e-5)


def test_adam_amsgrad_keeps_the_largest_velocity():
    def steps(w, g1, g2, g3):
        return adam_by_hand(w, [g1, g2, g3], b2=0.5, amsgrad=True)

    check(Adam(0.1, beta_2=0.5, amsgrad=True), steps, rtol=1e-11)
    # with beta_2=0.5 the velocity of entry 0 falls at step 2, so amsgrad must differ from Adam
    assert not np.allclose(run(Adam(0.1, beta_2=0.5, amsgrad=True)), run(Adam(0.1, beta_2=0.5)))


def test_adamw_decays_weights_before_the_adam_step():
    def steps(w, g1, g2, g3):
        w1 = w - w * 0.1 * 0.1
        w1 = adam_by_hand(w1, [g1])[0]
        return [w1] + adam_by_hand(w, [g1, g2, g3], wd=0.1)[1:]

    check(AdamW(learning_rate=0.1, weight_decay=0.1), steps, rtol=1e-11)
    assert AdamW().weight_decay == 0.004


def test_clipnorm_clips_each_gradient_to_the_norm():
    # [3, 4] has norm 5 -> [0.6, 0.8]; [0.3, 0.4] has norm 0.5 and is left alone
    traj = run(SGD(0.1, clipnorm=1.0), grads=[[3.0, 4.0], [0.3, 0.4]])
    w1 = [1.0 - 0.1 * 0.6, -2.0 - 0.1 * 0.8]
    w2 = [w1[0] - 0.1 * 0.3, w1[1] - 0.1 * 0.4]
    np.testing.assert_allclose(traj, [w1, w2], rtol=1e-12)


def test_clipvalue_clips_each_entry():
    traj = run(SGD(0.1, clipvalue=0.5), grads=[[3.0, -0.2], [-0.7, 0.4]])
    w1 = [1.0 - 0.1 * 0.5, -2.0 - 0.1 * -0.2]
    w2 = [w1[0] - 0.1 * -0.5, w1[1] - 0.1 * 0.4]
    np.testing.assert_allclose(traj, [w1, w2], rtol=1e-12)


def test_global_clipnorm_scales_all_gradients_together():
    a, b = np.array([1.0]), np.array([2.0, 3.0])
    SGD(0.1, global_clipnorm=1.0).apply_gradients([(np.array([3.0]), a), (np.array([0.0, 4.0]), b)])
    # global norm sqrt(9 + 16) = 5 -> both scaled by 1/5
    np.testing.assert_allclose(a, [1.0 - 0.1 * 0.6], rtol=1e-12)
    np.testing.assert_allclose(b, [2.0, 3.0 - 0.1 * 0.8], rtol=1e-12)
    a, b = np.array([1.0]), np.array([2.0, 3.0])
    SGD(0.1, clipnorm=1.0).apply_gradients([(np.array([3.0]), a), (np.array([0.0, 4.0]), b)])
    np.testing.assert_allclose(a, [1.0 - 0.1 * 1.0], rtol=1e-12)  # per-gradient clipping differs
    np.testing.assert_allclose(b, [2.0, 3.0 - 0.1 * 1.0], rtol=1e-12)


def test_clipping_does_not_modify_the_callers_gradient():
    g = np.array([3.0, 4.0])
    for opt in (SGD(clipnorm=1.0), SGD(clipvalue=0.5), Adam(global_clipnorm=1.0), RMSprop()):
        opt.apply_gradients([(g, np.zeros(2))])
    np.testing.assert_array_equal(g, [3.0, 4.0])


def test_weight_decay_uses_the_weights_before_the_update():
    def steps(w, g1, g2, g3):
        w1 = w - w * 0.2 * 0.1 - 0.1 * g1
        w2 = w1 - w1 * 0.2 * 0.1 - 0.1 * g2
        w3 = w2 - w2 * 0.2 * 0.1 - 0.1 * g3
        return w1, w2, w3

    check(SGD(0.1, weight_decay=0.2), steps)


def test_schedule_is_evaluated_at_iterations():
    opt = SGD(learning_rate=ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5), weight_decay=0.2)
    assert opt.learning_rate == 0.1

    def steps(w, g1, g2, g3):  # learning rates 0.1, 0.05, 0.025 at iterations 0, 1, 2
        w1 = w - w * 0.2 * 0.1 - 0.1 * g1
        w2 = w1 - w1 * 0.2 * 0.05 - 0.05 * g2
        w3 = w2 - w2 * 0.2 * 0.025 - 0.025 * g3
        return w1, w2, w3

    check(opt, steps)
    assert opt.iterations == 3
    assert opt.learning_rate == pytest.approx(0.0125, abs=1e-15)


def test_callable_learning_rate_is_called_with_no_arguments_each_step():
    current = {"lr": 0.1}
    opt = SGD(learning_rate=lambda: current["lr"])
    w = np.array(W0)
    opt.apply_gradients([(np.array(GRADS[0]), w)])
    current["lr"] = 0.02
    opt.apply_gradients([(np.array(GRADS[1]), w)])
    w1 = [1.0 - 0.1 * 0.5, -2.0 - 0.1 * -1.0]
    np.testing.assert_allclose(w, [w1[0] - 0.02 * 0.2, w1[1] - 0.02 * 0.4], rtol=1e-12)
    assert opt.learning_rate == 0.02
    assert opt.get_config()["learning_rate"] == 0.02


# --- arrays, dtypes, bookkeeping -----------------------------------------------------------

ALL_CONFIGS = [
    lambda: SGD(0.05),
    lambda: SGD(0.05, momentum=0.9),
    lambda: SGD(0.05, momentum=0.9, nesterov=True, clipnorm=1.0),
    lambda: Adagrad(0.05, clipvalue=0.3),
    lambda: RMSprop(0.01),
    lambda: RMSprop(0.01, momentum=0.5, centered=True, weight_decay=0.01),
    lambda: Adam(0.01),
    lambda: Adam(0.01, amsgrad=True, global_clipnorm=1.0),
    lambda: AdamW(0.01),
    lambda: SGD(ExponentialDecay(0.1, 3, 0.7), momentum=0.5),
    lambda: Adam(CosineDecay(0.0, 10, warmup_target=0.01, warmup_steps=4)),
]


@pytest.mark.parametrize("make", ALL_CONFIGS)
def test_float32_weights_and_slots_stay_float32_and_match_float64(make):
    traj32 = run(make(), dtype=np.float32)
    assert traj32.dtype == np.float32
    np.testing.assert_allclose(traj32, run(make()), rtol=2e-5, atol=1e-6)
    opt = make()
    w = np.ones((4, 3), dtype=np.float32)
    opt.apply_gradients([(np.full((4, 3), 0.5), w)])  # float64 gradient, float32 weight
    assert w.dtype == np.float32
    assert all(slot.dtype == np.float32 for slot in opt.variables)


def test_updates_happen_in_place():
    w = np.array(W0)
    view = w[:]
    Adam(0.1).apply_gradients([(np.array([1.0, 1.0]), w)])
    np.testing.assert_array_equal(view, w)
    assert not np.array_equal(w, W0)


def test_none_gradients_are_skipped_but_all_none_is_an_error():
    a, b = np.array([1.0]), np.array([2.0])
    opt = SGD(0.1)
    opt.apply_gradients([(None, a), (np.array([1.0]), b)])
    assert a[0] == 1.0 and b[0] == pytest.approx(1.9) and opt.iterations == 1
    with pytest.raises(ValueError, match="No gradients"):
        opt.apply_gradients([(None, a)])
    opt.apply_gradients([])  # nothing to do, as in Keras
    assert opt.iterations == 1


def test_new_weights_are_built_lazily_with_fresh_slots():
    opt = SGD(0.1, momentum=0.9)
    a, b = np.array([1.0]), np.array([5.0])
    opt.apply_gradients([(np.array([1.0]), a)])
    opt.apply_gradients([(np.array([1.0]), a), (np.array([1.0]), b)])
    # b's velocity starts at 0: b = 5 - 0.1; a's has memory: a = 1 - 0.1 - (0.09 + 0.1)
    assert b[0] == pytest.approx(4.9, abs=1e-15)
    assert a[0] == pytest.approx(0.71, abs=1e-15)
    assert len(opt.variables) == 2


def test_build_order_defines_the_slot_order():
    opt = Adam()
    a, b = np.zeros(2), np.zeros(3)
    opt.build([a, b])
    assert [v.shape for v in opt.variables] == [(2,), (2,), (3,), (3,)]
    assert list(opt.get_state()["slots"][1]) == ["momentum", "velocity"]


def test_sgd_without_momentum_has_no_slots():
    opt = SGD()
    opt.build([np.zeros(3)])
    assert opt.variables == [] and opt.get_state()["slots"] == [{}]


def test_apply_takes_aligned_lists():
    opt = SGD(0.1)
    w = np.array([1.0, 2.0])
    opt.apply([np.array([1.0, 1.0])], [w])
    opt.apply([np.array([1.0, 1.0])])  # after build, the built weights are used
    np.testing.assert_allclose(w, [0.8, 1.8], rtol=1e-12)


def test_walks_a_2d_toy_function_to_its_minimum():
    # f(x, y) = x^2 + 10 y^2, gradient (2x, 20y): the course's landscapes use this pattern
    for opt in (SGD(0.04, momentum=0.5), Adam(0.1), RMSprop(0.05), Adagrad(1.0)):
        p = np.array([1.5, -0.5])
        for _ in range(300):
            opt.apply_gradients([(np.array([2 * p[0], 20 * p[1]]), p)])
        assert np.abs(p).max() < 0.05, type(opt).__name__


# --- state ---------------------------------------------------------------------------------


def fake_gradients(weights, step):
    """Gradients that depend on the weights and the step, so any state difference shows."""
    return [np.sin(3.0 * w + step) + 0.5 * w for w in weights]


@pytest.mark.parametrize("make", ALL_CONFIGS)
def test_state_restored_in_a_fresh_optimizer_continues_bit_for_bit(make):
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(3, 2)).astype(np.float32), rng.normal(size=2).astype(np.float32)]
    opt = make()
    for step in range(5):
        opt.apply_gradients(zip(fake_gradients(weights, step), weights))
    state = opt.get_state()
    copies = [w.copy() for w in weights]
    restored = type(opt).from_config(opt.get_config())
    restored.set_state(state, copies)
    for array in (a for slots in state["slots"] for a in slots.values()):
        array += 1.0  # the restored optimizer holds its own copies
    for step in range(5, 10):
        opt.apply_gradients(zip(fake_gradients(weights, step), weights))
        restored.apply_gradients(zip(fake_gradients(copies, step), copies))
    for w, c in zip(weights, copies):
        np.testing.assert_array_equal(w, c)
    assert restored.iterations == opt.iterations == 10


def test_get_state_format_and_copies():
    opt = SGD(0.1, momentum=0.9)
    w = np.array([1.0, 2.0])
    opt.apply_gradients([(np.array([1.0, 1.0]), w)])
    state = opt.get_state()
    assert state["iterations"] == 1 and isinstance(state["iterations"], int)
    np.testing.assert_allclose(state["slots"][0]["momentum"], [-0.1, -0.1], rtol=1e-12)
    state["slots"][0]["momentum"][:] = 7.0
    np.testing.assert_allclose(opt.variables[0], [-0.1, -0.1], rtol=1e-12)


def test_set_state_rejects_mismatches():
    w = np.zeros(2)
    opt = Adam()
    opt.apply_gradients([(np.ones(2), w)])
    state = opt.get_state()
    with pytest.raises(ValueError, match="slots for 1 weights but 2 weights"):
        Adam().set_state(state, [np.zeros(2), np.zeros(2)])
    with pytest.raises(ValueError, match="same settings"):
        Adam(amsgrad=True).set_state(state, [np.zeros(2)])
    with pytest.raises(ValueError, match=r"shape \(2,\).*shape \(3,\)"):
        Adam().set_state(state, [np.zeros(3)])


# --- learning rate property ----------------------------------------------------------------


def test_learning_rate_can_be_set_to_a_float():
    opt = Adam(0.01)
    opt.learning_rate = 0.5
    assert opt.learning_rate == 0.5 and opt.get_config()["learning_rate"] == 0.5
    with pytest.raises(ValueError, match="learning_rate.*>= 0.*-1"):
        opt.learning_rate = -1.0


def test_learning_rate_of_a_schedule_cannot_be_set_to_a_float():
    opt = SGD(ExponentialDecay(0.1, 10, 0.9))
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        opt.learning_rate = 0.01
    opt.learning_rate = ExponentialDecay(0.2, 10, 0.9)  # another schedule is fine (Keras too)
    assert opt.learning_rate == 0.2


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda: SGD(learning_rate=-0.1),
            r"SGD: `learning_rate` must be a number >= 0.0, got -0.1",
        ),
        (
            lambda: Adam(learning_rate="fast"),
            "learning_rate` must be a float, a LearningRateSchedule",
        ),
        (lambda: SGD(momentum=-0.1), r"`momentum` must be a number in \[0.0, 1.0\], got -0.1"),
        (lambda: SGD(momentum=1.5), r"`momentum` must be a number in \[0.0, 1.0\]"),
        (lambda: RMSprop(momentum=2.0), "RMSprop: `momentum`"),
        (lambda: RMSprop(rho=1.0), r"`rho` must be a number in \[0.0, 1.0\), got 1.0"),
        (lambda: Adam(beta_1=1.0), r"`beta_1` must be a number in \[0.0, 1.0\)"),
        (lambda: Adam(beta_2=-0.1), "`beta_2`"),
        (lambda: AdamW(beta_1=1.2), "AdamW: `beta_1`"),
        (lambda: Adam(epsilon=-1e-7), "`epsilon` must be a number >= 0.0"),
        (lambda: Adagrad(initial_accumulator_value=-1.0), "`initial_accumulator_value`"),
        (lambda: SGD(weight_decay=-0.1), "`weight_decay`"),
        (lambda: AdamW(weight_decay=None), "AdamW: `weight_decay` must be a number"),
        (lambda: SGD(clipnorm=0.0), "`clipnorm` must be a positive number or None"),
        (lambda: SGD(clipvalue=-1.0), "`clipvalue`"),
        (lambda: SGD(clipnorm=1.0, clipvalue=0.5), "set only one of `clipnorm`, `clipvalue`"),
        (lambda: Adam(clipnorm=1.0, global_clipnorm=1.0), "set only one of"),
        (
            lambda: SGD(lr=0.1),
            r"not recognized: \{'lr': 0.1\}. `lr` is Keras 2's name: Keras 3 calls it "
            r"learning_rate, e.g. SGD\(learning_rate=0.1\)",
        ),
        (
            lambda: SGD(learning_rate=0.1, mometum=0.9),
            r"not recognized: \{'mometum': 0.9\}. Did you mean 'momentum'\? SGD takes "
            "learning_rate, momentum, nesterov",
        ),
    ],
)
def test_invalid_arguments_raise_clear_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("make", [SGD, Adagrad, RMSprop, Adam, AdamW])
def test_keras_2_decay_is_warned_about_and_ignored_as_keras_3_does(make):
    # The lecture's optimizer table writes RMSprop(learning_rate=0.001, rho=0.9, decay=0.0).
    with pytest.warns(UserWarning, match="`decay` is no longer supported and will be ignored"):
        opt = make(learning_rate=0.01, decay=0.0)
    assert opt.get_config() == make(learning_rate=0.01).get_config()
    with pytest.warns(
        UserWarning, match=r"InverseTimeDecay\(0.01, decay_steps=1, decay_rate=0.5\)"
    ):
        make(learning_rate=0.01, decay=0.5)
    w = np.array([1.0, -2.0])
    make(learning_rate=0.1).apply_gradients([(np.array([0.5, 0.5]), w)])
    w_decay = np.array([1.0, -2.0])
    with pytest.warns(UserWarning):
        make(learning_rate=0.1, decay=0.5).apply_gradients([(np.array([0.5, 0.5]), w_decay)])
    np.testing.assert_array_equal(w_decay, w)


def test_bad_weights_and_gradients_raise_clear_errors():
    with pytest.raises(TypeError, match="NumPy float arrays; got list"):
        SGD().apply_gradients([([1.0], [1.0])])
    with pytest.raises(TypeError, match="array of int64"):
        SGD().apply_gradients([(np.array([1]), np.array([1]))])
    with pytest.raises(ValueError, match=r"shape \(3,\) does not match its weight of shape \(2,\)"):
        SGD().apply_gradients([(np.ones(3), np.ones(2))])


# --- get / config --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, cls",
    [
        ("sgd", SGD),
        ("SGD", SGD),
        ("adam", Adam),
        ("Adam", Adam),
        ("rmsprop", RMSprop),
        ("RMSprop", RMSprop),
        ("adagrad", Adagrad),
        ("adamw", AdamW),
        ("AdamW", AdamW),
    ],
)
def test_get_by_name_gives_keras_defaults(name, cls):
    opt = optimizers.get(name)
    assert type(opt) is cls
    assert opt.learning_rate == (0.01 if cls is SGD else 0.001)


def test_get_unknown_name_suggests_the_closest():
    with pytest.raises(
        ValueError,
        match=r"Unknown optimizer 'adma'\. Did you mean 'adam'\? "
        r"Known optimizers: adagrad, adam, adamw, rmsprop, sgd",
    ):
        optimizers.get("adma")


def test_get_passes_instances_and_builds_from_dicts_and_classes():
    opt = Adam(0.5)
    assert optimizers.get(opt) is opt
    assert optimizers.get(None) is None
    built = optimizers.get({"class_name": "RMSprop", "config": {"learning_rate": 0.1, "rho": 0.8}})
    assert isinstance(built, RMSprop) and built.rho == 0.8 and built.learning_rate == 0.1
    assert isinstance(optimizers.get(SGD), SGD)
    with pytest.raises(ValueError, match="Could not interpret optimizer 42"):
        optimizers.get(42)


@pytest.mark.parametrize("make", ALL_CONFIGS)
def test_config_round_trip(make):
    opt = make()
    config = optimizers.serialize(opt)
    rebuilt = optimizers.deserialize(config)
    assert type(rebuilt) is type(opt)
    assert rebuilt.get_config() == opt.get_config()


def test_from_config_accepts_a_keras_3_config():
    keras_config = {
        "name": "adam",
        "learning_rate": 0.001,
        "weight_decay": None,
        "clipnorm": None,
        "global_clipnorm": None,
        "clipvalue": None,
        "use_ema": False,
        "ema_momentum": 0.99,
        "ema_overwrite_frequency": None,
        "loss_scale_factor": None,
        "gradient_accumulation_steps": None,
        "beta_1": 0.9,
        "beta_2": 0.999,
        "epsilon": 1e-07,
        "amsgrad": False,
    }
    opt = Adam.from_config(keras_config)
    assert opt.beta_2 == 0.999 and opt.name == "adam"
    with pytest.raises(ValueError, match="do not support Keras' `use_ema`"):
        Adam.from_config({**keras_config, "use_ema": True})


def test_default_names_follow_keras():
    assert [o.name for o in (SGD(), Adagrad(), RMSprop(), Adam(), AdamW())] == [
        "SGD",
        "adagrad",
        "rmsprop",
        "adam",
        "adamw",
    ]


# --- schedules -----------------------------------------------------------------------------


def test_exponential_decay():
    s = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    assert s(0) == 0.1
    assert s(5) == pytest.approx(0.1 * 0.5**0.5, rel=1e-15)
    assert s(20) == pytest.approx(0.025, rel=1e-15)
    stairs = ExponentialDecay(0.1, 10, 0.5, staircase=True)
    assert stairs(9) == 0.1 and stairs(15) == pytest.approx(0.05, rel=1e-15)


def test_inverse_time_decay():
    assert InverseTimeDecay(0.1, 1.0, 0.5)(2) == pytest.approx(0.1 / (1 + 0.5 * 2), rel=1e-15)
    assert InverseTimeDecay(0.1, 10, 0.5, staircase=True)(15) == pytest.approx(0.1 / 1.5, rel=1e-15)


def test_piecewise_constant_decay_boundaries_belong_to_the_left_interval():
    s = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    assert [s(0), s(10), s(11), s(20), s(21), s(1000)] == [1.0, 1.0, 0.5, 0.5, 0.1, 0.1]
    with pytest.raises(ValueError, match="one more value than boundaries"):
        PiecewiseConstantDecay([10, 20], [1.0, 0.5])
    with pytest.raises(ValueError, match="strictly increasing"):
        PiecewiseConstantDecay([20, 10], [1.0, 0.5, 0.1])


def test_polynomial_decay():
    s = PolynomialDecay(0.1, 10, end_learning_rate=0.01)
    assert s(5) == pytest.approx(0.055, rel=1e-14) and s(20) == pytest.approx(0.01, rel=1e-14)
    cyc = PolynomialDecay(0.1, 10, end_learning_rate=0.01, cycle=True)
    assert cyc(15) == pytest.approx(0.09 * (1 - 15 / 20) + 0.01, rel=1e-14)


def test_cosine_decay_with_and_without_warmup():
    s = CosineDecay(0.1, decay_steps=10, alpha=0.1)
    assert s(0) == pytest.approx(0.1, rel=1e-15)
    assert s(5) == pytest.approx(0.1 * (0.9 * 0.5 + 0.1), rel=1e-14)
    assert s(10) == pytest.approx(0.01, rel=1e-14) and s(50) == pytest.approx(0.01, rel=1e-14)
    w = CosineDecay(0.0, decay_steps=10, warmup_target=0.1, warmup_steps=5)
    assert w(0) == 0.0 and w(2) == pytest.approx(0.04, rel=1e-14)
    assert w(5) == pytest.approx(0.1, rel=1e-14) and w(10) == pytest.approx(0.05, rel=1e-14)
    assert w(15) == pytest.approx(0.0, abs=1e-17)


@pytest.mark.parametrize(
    "make",
    [
        lambda: ExponentialDecay(0.1, 0, 0.5),
        lambda: InverseTimeDecay(0.1, -1, 0.5),
        lambda: PolynomialDecay(0.1, 0),
        lambda: CosineDecay(0.1, 0),
    ],
)
def test_schedules_need_positive_decay_steps(make):
    with pytest.raises(ValueError, match="`decay_steps` must be > 0"):
        make()


def test_schedules_serialize_and_reject_unknown_names():
    s = CosineDecay(0.1, 100, alpha=0.2)
    rebuilt = optimizers.schedules.deserialize(optimizers.schedules.serialize(s))
    assert isinstance(rebuilt, CosineDecay) and rebuilt.get_config() == s.get_config()
    with pytest.raises(ValueError, match="Did you mean 'ExponentialDecay'"):
        optimizers.schedules.deserialize({"class_name": "ExponentialDeacy", "config": {}})


def test_weight_dtype_check_accepts_every_float_kind_and_nothing_else():
    """The check is `dtype.kind == "f"` (fast enough for 2D walks): same verdicts as before."""
    for dtype in (np.float16, np.float32, np.float64):
        w = np.ones(2, dtype=dtype)
        SGD(learning_rate=0.5).apply_gradients([(np.ones(2, dtype=dtype), w)])
        assert w.dtype == dtype and np.all(w == 0.5)
    for dtype in (np.complex128, np.bool_, np.int32, np.uint8):
        with pytest.raises(TypeError, match="NumPy float arrays"):
            SGD().apply_gradients([(np.ones(2), np.ones(2, dtype=dtype))])
