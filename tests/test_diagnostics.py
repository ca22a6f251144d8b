"""dlcourse.diagnostics, checked against hand computations on tiny networks."""

import math

import numpy as np
import pytest

from dlcourse import diagnostics
from dlcourse.layers import Activation, Dense, Dropout, Input, LeakyReLU, ReLU
from dlcourse.models import Model, Sequential
from dlcourse.optimizers import SGD
from dlcourse.utils import clear_session, set_random_seed


@pytest.fixture(autouse=True)
def fresh_names():
    """Every test names its layers from 'dense' up, as a fresh session does."""
    clear_session()


X = np.array([[1.0, 2.0], [2.0, 1.0], [-1.0, 3.0], [0.5, -0.5]], dtype="float32")


def relu_network(kernel, bias):
    """Input(2) -> Dense(3, relu) with the given weights -> Dense(1)."""
    model = Sequential([Input((2,)), Dense(3, activation="relu"), Dense(1)])
    model.layers[0].set_weights([np.array(kernel, "float32"), np.array(bias, "float32")])
    return model


# ----- dead_relu_fractions ------------------------------------------------------------------


def test_a_unit_negative_for_every_row_is_dead_and_one_positive_for_one_row_is_not():
    # unit 0: -x1 - x2 - 10 < 0 for every row (dead); unit 1: x1 + x2, positive for three
    # rows; unit 2: x1 - 1.9, positive for one row only: still alive.
    model = relu_network([[-1.0, 1.0, 1.0], [-1.0, 1.0, 0.0]], [-10.0, 0.0, -1.9])
    assert diagnostics.dead_relu_fractions(model, X) == {"dense/relu": 1 / 3}


def test_every_relu_step_is_measured_and_leaky_or_other_activations_are_not():
    set_random_seed(0)
    model = Sequential(
        [
            Input((2,)),
            Dense(4, activation="relu", name="hidden"),
            Dense(4),
            ReLU(name="relu_layer"),
            Dense(4),
            Activation("relu", name="relu_activation"),
            Dense(4),
            LeakyReLU(),
            Dense(4, activation="tanh"),
        ]
    )
    fractions = diagnostics.dead_relu_fractions(model, X)
    assert list(fractions) == ["hidden/relu", "relu_layer", "relu_activation"]


def test_the_fraction_is_read_in_inference_mode_so_dropout_kills_nothing():
    # In training mode, Dropout(0.99) would zero almost every input of the ReLU after it, and
    # almost every unit would look dead; run with training=False, the dropout passes all.
    model = Sequential([Input((2,)), Dense(3), Dropout(0.99), Activation("relu")])
    model.layers[0].set_weights([np.array([[1, 0, 0], [0, 1, 0]], "float32"), np.ones(3, "f")])
    # unit 2 is 1 for every row; units 0 and 1 are positive for some rows: nothing is dead.
    assert diagnostics.dead_relu_fractions(model, X) == {"activation": 0.0}


def test_functional_models_work_and_nothing_changes():
    inputs = Input((2,))
    hidden = Dense(3, activation="relu")(inputs)
    model = Model(inputs, Dense(1)(hidden))
    model.layers[1].set_weights(
        [np.array([[-1.0, 1.0, 1.0], [-1.0, 1.0, 0.0]], "f"), np.array([-10.0, 0.0, -1.9], "f")]
    )
    before = [w.copy() for w in model.get_weights()]
    assert diagnostics.dead_relu_fractions(model, X) == {"dense/relu": 1 / 3}
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_a_model_without_relu_is_a_clear_error():
    model = Sequential([Input((2,)), Dense(3, activation="tanh")])
    with pytest.raises(ValueError, match="no ReLU"):
        diagnostics.dead_relu_fractions(model, X)


# ----- UpdateRatios -------------------------------------------------------------------------


def test_update_ratio_of_one_sgd_step_is_learning_rate_times_gradient_norm_over_weight_norm():
    set_random_seed(0)
    model = Sequential([Input((2,)), Dense(3, activation="tanh"), Dense(1)])
    model.compile(optimizer=SGD(0.1), loss="mse")
    y = np.array([[1.0], [0.0], [1.0], [0.0]], dtype="float32")
    _, grads = model.compute_gradients(X, y)
    kernels = [model.layers[0].kernel, model.layers[1].kernel]
    gradients = [grads[0], grads[2]]  # kernel, bias, kernel, bias
    expected = [
        0.1 * np.linalg.norm(g) / np.linalg.norm(k.value) for k, g in zip(kernels, gradients)
    ]

    recorder = diagnostics.UpdateRatios()
    model.fit(X, y, batch_size=4, epochs=1, shuffle=False, verbose=0, callbacks=[recorder])
    assert list(recorder.ratios) == ["dense", "dense_1"]
    measured = [recorder.ratios["dense"][0], recorder.ratios["dense_1"][0]]
    assert np.allclose(measured, expected, rtol=1e-5)


def test_update_ratios_has_one_entry_per_step_and_starts_afresh_at_each_fit():
    set_random_seed(0)
    model = Sequential([Input((2,)), Dense(3, activation="relu"), Dense(1)])
    model.compile(optimizer=SGD(0.01), loss="mse")
    recorder = diagnostics.UpdateRatios()
    y = np.zeros((4, 1), "float32")
    model.fit(X, y, batch_size=2, epochs=3, verbose=0, callbacks=[recorder])
    assert [len(r) for r in recorder.ratios.values()] == [6, 6]  # 2 batches x 3 epochs
    model.fit(X, y, batch_size=4, epochs=1, verbose=0, callbacks=[recorder])
    assert [len(r) for r in recorder.ratios.values()] == [1, 1]
    assert all(ratio >= 0 for r in recorder.ratios.values() for ratio in r)


# ----- the learning-rate range test ---------------------------------------------------------


def linear_model(learning_rate=0.01):
    set_random_seed(0)
    model = Sequential([Input((2,)), Dense(1)])
    model.compile(optimizer=SGD(learning_rate), loss="mse")
    return model


Y = np.array([[1.0], [2.0], [0.0], [1.0]], dtype="float32")


def test_rates_grow_exponentially_from_start_to_end():
    model = linear_model()
    rates, losses = diagnostics.learning_rate_range_test(
        model, X, Y, start_lr=1e-4, end_lr=1e-2, steps=5, batch_size=4
    )
    assert np.allclose(rates, [1e-4, 10**-3.5, 1e-3, 10**-2.5, 1e-2])
    assert len(losses) == 5
    assert model.optimizer.learning_rate == pytest.approx(1e-2)


def test_each_loss_is_the_batch_loss_before_that_steps_update():
    # full batches: step 0 records the loss of the initial weights, then updates with rate 0.1;
    # step 1 records the loss after that one SGD step, computed here by hand.
    model = linear_model()
    kernel, bias = (w.copy() for w in model.get_weights())
    loss_0, (grad_kernel, grad_bias) = model.compute_gradients(X, Y)
    kernel_1, bias_1 = kernel - 0.1 * grad_kernel, bias - 0.1 * grad_bias
    loss_1 = np.mean((X @ kernel_1 + bias_1 - Y) ** 2)

    fresh = linear_model()
    _, losses = diagnostics.learning_rate_range_test(
        fresh, X, Y, start_lr=0.1, end_lr=0.2, steps=2, batch_size=4
    )
    assert np.allclose(losses, [loss_0, loss_1], rtol=1e-5)


def test_the_test_stops_once_the_smoothed_loss_blows_up():
    model = linear_model()
    rates, losses = diagnostics.learning_rate_range_test(
        model, X, Y, start_lr=1e-3, end_lr=100.0, steps=100, batch_size=4
    )
    assert len(rates) < 100
    smoothed = diagnostics.smooth(losses)
    assert not math.isfinite(losses[-1]) or smoothed[-1] > 4 * smoothed.min()
    assert smoothed[-2] <= 4 * smoothed[:-1].min()  # the step before had not blown up yet


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"start_lr": 0.0}, "0 < start_lr < end_lr"),
        ({"start_lr": 1.0, "end_lr": 0.1}, "0 < start_lr < end_lr"),
        ({"steps": 1}, "at least 2 steps"),
    ],
)
def test_bad_arguments_are_clear_errors(arguments, message):
    with pytest.raises(ValueError, match=message):
        diagnostics.learning_rate_range_test(linear_model(), X, Y, **arguments)


# ----- smoothing and the suggestion ---------------------------------------------------------


def test_smooth_is_the_bias_corrected_moving_average():
    # average_0 = 0.1 * 1 = 0.1, / (1 - 0.9) -> 1; average_1 = 0.9 * 0.1 + 0.1 * 2 = 0.29,
    # / (1 - 0.81) -> 1.5263...
    assert np.allclose(diagnostics.smooth([1.0, 2.0], 0.9), [1.0, 0.29 / 0.19])
    assert np.allclose(diagnostics.smooth([3.0, 1.0, 2.0], 0.0), [3.0, 1.0, 2.0])


def test_the_suggestion_is_a_tenth_of_the_rate_at_the_lowest_smoothed_loss():
    rates = [1e-4, 1e-3, 1e-2, 1e-1, 1.0]
    losses = [2.3, 1.0, 0.4, 0.5, 9.0]
    assert diagnostics.suggest_learning_rate(rates, losses, smoothing=0.0) == pytest.approx(1e-3)
    # smoothed with 0.9, the minimum moves one rate to the right: the average lags behind.
    smoothed = diagnostics.smooth(losses, 0.9)
    assert np.argmin(smoothed) == 3
    assert diagnostics.suggest_learning_rate(rates, losses) == pytest.approx(1e-2)
    assert diagnostics.suggest_learning_rate(rates, losses, 0.0, divide_by=3) == pytest.approx(
        1e-2 / 3
    )


def test_a_blown_up_last_loss_is_ignored():
    rates, losses = [1e-3, 1e-2, 1e-1], [1.0, 0.5, float("nan")]
    assert diagnostics.suggest_learning_rate(rates, losses, smoothing=0.0) == pytest.approx(1e-3)


def test_the_suggestion_needs_matching_arrays():
    with pytest.raises(ValueError, match="same length"):
        diagnostics.suggest_learning_rate([1e-3, 1e-2], [1.0])
