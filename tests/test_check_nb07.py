"""Checkers of notebook 07's exercises 07.4 (BatchNormalization's backward pass, checked against
the layer and a numerical gradient) and 07.5 (an experiment the checker trains): the reference
passes, right answers written differently pass, typical mistakes get specific feedback."""

import numpy as np
import pytest

from dlcourse.layers import Activation, BatchNormalization, Dense, Input
from dlcourse.models import Sequential
from dlcourse.optimizers import SGD, Adam
from dlcourse.utils import set_random_seed


# ----- 07.4: the backward pass ------------------------------------------------------------------
def _forward(x, eps):
    inv_std = 1 / np.sqrt(x.var(axis=0) + eps)
    return (x - x.mean(axis=0)) * inv_std, inv_std


def backward_as_constants(x, gamma, grad, eps=1e-3):
    x_hat, inv_std = _forward(x, eps)
    return grad * gamma * inv_std, (grad * x_hat).sum(axis=0), grad.sum(axis=0)


def backward_mean_term_only(x, gamma, grad, eps=1e-3):
    x_hat, inv_std = _forward(x, eps)
    g = grad * gamma
    return (g - g.mean(axis=0)) * inv_std, (grad * x_hat).sum(axis=0), grad.sum(axis=0)


def backward_variance_term_only(x, gamma, grad, eps=1e-3):
    x_hat, inv_std = _forward(x, eps)
    g = grad * gamma
    grad_x = (g - x_hat * (g * x_hat).mean(axis=0)) * inv_std
    return grad_x, (grad * x_hat).sum(axis=0), grad.sum(axis=0)


def backward_without_gamma(x, gamma, grad, eps=1e-3):
    x_hat, inv_std = _forward(x, eps)
    grad_x = (grad - grad.mean(axis=0) - x_hat * (grad * x_hat).mean(axis=0)) * inv_std
    return grad_x, (grad * x_hat).sum(axis=0), grad.sum(axis=0)


def _reference(x, gamma, grad, eps=1e-3):
    x_hat, inv_std = _forward(x, eps)
    g = grad * gamma
    grad_x = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) * inv_std
    return grad_x, (grad * x_hat).sum(axis=0), grad.sum(axis=0)


def backward_gamma_from_x(x, gamma, grad, eps=1e-3):
    grad_x, _, grad_beta = _reference(x, gamma, grad, eps)
    return grad_x, (grad * x).sum(axis=0), grad_beta


def backward_swapped(x, gamma, grad, eps=1e-3):
    grad_x, grad_gamma, grad_beta = _reference(x, gamma, grad, eps)
    return grad_x, grad_beta, grad_gamma


def backward_averaged(x, gamma, grad, eps=1e-3):
    grad_x, grad_gamma, grad_beta = _reference(x, gamma, grad, eps)
    return grad_x, grad_gamma / len(x), grad_beta / len(x)


def backward_sums_over_features(x, gamma, grad, eps=1e-3):
    grad_x, _, _ = _reference(x, gamma, grad, eps)
    x_hat, _ = _forward(x, eps)
    return grad_x, (grad * x_hat).sum(axis=1), grad.sum(axis=1)


def backward_two_values(x, gamma, grad, eps=1e-3):
    grad_x, grad_gamma, _ = _reference(x, gamma, grad, eps)
    return grad_x, grad_gamma


def backward_off_by_two(x, gamma, grad, eps=1e-3):
    grad_x, grad_gamma, grad_beta = _reference(x, gamma, grad, eps)
    return 2 * grad_x, grad_gamma, grad_beta


def backward_crashes(x, gamma, grad, eps=1e-3):
    return x @ grad


WRONG_BACKWARDS = [
    (backward_as_constants, "as constants"),
    (backward_mean_term_only, "but not the variance's"),
    (backward_variance_term_only, "but not the batch mean's"),
    (backward_without_gamma, "leaves out gamma"),
    (backward_gamma_from_x, "uses x"),
    (backward_swapped, "swapped"),
    (backward_averaged, "averaged"),
    (backward_sums_over_features, "grad_gamma should have shape (4,)"),
    (backward_two_values, "not three arrays"),
    (backward_off_by_two, "grad_x differ"),
    (backward_crashes, "ValueError"),
]


@pytest.mark.parametrize(
    "function, words", WRONG_BACKWARDS, ids=[words for _, words in WRONG_BACKWARDS]
)
def test_0704_typical_mistakes_get_specific_feedback(function, words, feedback):
    assert feedback("07.4", function, words).status == "wrong"


def test_0704_the_reference_is_the_layer_and_the_numerical_gradient():
    """The checker's two references agree with each other and with the written-out formula."""
    from dlcourse.check.nb07 import _backward_example, _layer_backward, _numerical_backward

    x, gamma, grad = _backward_example()
    layer, numerical = _layer_backward(x, gamma, grad), _numerical_backward(x, gamma, grad)
    for from_layer, from_differences, formula in zip(layer, numerical, _reference(x, gamma, grad)):
        np.testing.assert_allclose(from_layer, formula, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(from_differences, formula, rtol=1e-6, atol=1e-8)


def test_0704_right_answers_in_other_forms_pass(feedback):
    def via_the_layer(x, gamma, grad, eps=1e-3):
        layer = BatchNormalization(epsilon=eps, dtype="float64")
        layer.build(x.shape)
        n = x.shape[1]
        layer.set_weights([gamma, np.zeros(n), np.zeros(n), np.ones(n)])
        _, cache = layer.forward(x, training=True)
        grad_x, (grad_gamma, grad_beta) = layer.backward(grad, cache)
        return [grad_x, grad_gamma, grad_beta]

    def step_by_step(x, gamma, grad, eps=1e-3):
        # the computational graph, node by node, as in many textbooks
        m = len(x)
        mu = x.mean(axis=0)
        xc = x - mu
        var = (xc**2).mean(axis=0)
        std = np.sqrt(var + eps)
        x_hat = xc / std
        grad_x_hat = grad * gamma
        grad_var = (grad_x_hat * xc * -0.5 * std**-3).sum(axis=0)
        grad_mu = (-grad_x_hat / std).sum(axis=0) + grad_var * (-2 * xc).mean(axis=0)
        grad_x = grad_x_hat / std + grad_var * 2 * xc / m + grad_mu / m
        return grad_x, (grad * x_hat).sum(axis=0), grad.sum(axis=0).tolist()

    assert feedback("07.4", via_the_layer).status == "correct"
    assert feedback("07.4", step_by_step).status == "correct"


# ----- 07.5: the experiment ---------------------------------------------------------------------
def network(seed, blocks=5, momentum=0.9, order="after", optimizer=None, compile=True, init=None):
    """Variants of the answer to 07.5: the right one by default."""
    set_random_seed(seed)
    model = Sequential([Input(shape=(64,))])
    for _ in range(blocks):
        if order == "after":
            model.add(Dense(64, activation="relu", kernel_initializer=init or "he_normal"))
            model.add(BatchNormalization(momentum=momentum))
        elif order == "before":
            model.add(Dense(64, kernel_initializer=init or "he_normal"))
            model.add(BatchNormalization(momentum=momentum))
            model.add(Activation("relu"))
        elif order == "separate":  # Dense -> Activation('relu') -> BN: also after the ReLU
            model.add(Dense(64, kernel_initializer=init or "he_normal"))
            model.add(Activation("relu"))
            model.add(BatchNormalization(momentum=momentum))
        else:  # no BN at all
            model.add(Dense(64, activation="relu", kernel_initializer=init or "he_normal"))
    model.add(Dense(10, activation="softmax", kernel_initializer=init or "he_normal"))
    if compile:
        model.compile(
            optimizer or SGD(1.0), "sparse_categorical_crossentropy", metrics=["accuracy"]
        )
    return model


WRONG_EXPERIMENTS = [
    (lambda seed: network(seed, order="before"), "comes before the ReLU"),
    (lambda seed: network(seed, order="none"), "no BatchNormalization"),
    (lambda seed: network(seed, momentum=0.99), "momentum [0.99]"),
    (lambda seed: network(seed, optimizer=SGD(0.1)), "learning rate 0.1"),
    (lambda seed: network(seed, optimizer=Adam(1.0)), "Adam"),
    (lambda seed: network(seed, compile=False), "not compiled"),
    (lambda seed: network(seed, blocks=3), "the experiment needs 5"),
    (lambda seed: None, "not a model"),
    (lambda: network(0), "TypeError"),
    (lambda seed: network(seed, init="zeros"), "reached validation accuracy"),
]


@pytest.mark.parametrize(
    "function, words", WRONG_EXPERIMENTS, ids=[words for _, words in WRONG_EXPERIMENTS]
)
def test_0705_typical_mistakes_get_specific_feedback(function, words, feedback):
    assert feedback("07.5", function, words).status == "wrong"


def test_0705_trains_the_learners_network_and_accepts_other_forms(feedback):
    result = feedback("07.5", lambda seed: network(seed, order="separate"), "learning rate 1.0")
    assert result.status == "correct", result.message
