"""Regularizers: penalty values, gradients against central differences, strings, config."""

import numpy as np
import pytest

from dlcourse import regularizers
from dlcourse.regularizers import L1, L1L2, L2


def numerical_gradient(f, w, eps=1e-6):
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        saved = w[i]
        w[i] = saved + eps
        up = f(w)
        w[i] = saved - eps
        down = f(w)
        w[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad


def test_values_by_hand():
    w = np.array([[1.0, -2.0], [0.5, 0.0]])
    assert L1(0.1)(w) == pytest.approx(0.1 * (1.0 + 2.0 + 0.5), rel=1e-15)
    assert L2(0.1)(w) == pytest.approx(0.1 * (1.0 + 4.0 + 0.25), rel=1e-15)
    assert L1L2(0.1, 0.2)(w) == pytest.approx(0.1 * 3.5 + 0.2 * 5.25, rel=1e-15)
    assert isinstance(L2()(w), float)


def test_keras_defaults():
    assert L1().l1 == 0.01 and L2().l2 == 0.01
    assert (L1L2().l1, L1L2().l2) == (0.0, 0.0)


@pytest.mark.parametrize("reg", [L1(0.3), L2(0.7), L1L2(0.2, 0.5)])
def test_gradient_matches_numerical_gradient(reg):
    rng = np.random.default_rng(0)
    w = rng.normal(size=(4, 3))
    w[np.abs(w) < 0.05] = 0.3  # keep away from L1's kink at 0
    upstream = rng.uniform(0.5, 2.0)  # d(total loss)/d(penalty), not 1
    numeric = numerical_gradient(lambda x: upstream * reg(x), w)
    analytic = upstream * reg.gradient(w)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-9)


def test_gradient_values_and_dtype():
    w = np.array([-0.5, 0.0, 2.0], dtype=np.float32)
    np.testing.assert_array_equal(L1(0.1).gradient(w), np.float32([-0.1, 0.0, 0.1]))
    np.testing.assert_allclose(L2(0.1).gradient(w), [-0.1, 0.0, 0.4], rtol=1e-6)
    np.testing.assert_allclose(L1L2(0.1, 0.1).gradient(w), [-0.2, 0.0, 0.5], rtol=1e-6)
    assert all(r.gradient(w).dtype == np.float32 for r in (L1(), L2(), L1L2(0.1, 0.1)))


@pytest.mark.parametrize(
    "name, cls, l1, l2",
    [
        ("l1", L1, 0.01, None),
        ("L1", L1, 0.01, None),
        ("l2", L2, None, 0.01),
        ("l1l2", L1L2, 0.01, 0.01),
        ("l1_l2", L1L2, 0.01, 0.01),
        ("L1L2", L1L2, 0.01, 0.01),
    ],
)
def test_strings(name, cls, l1, l2):
    reg = regularizers.get(name)
    assert type(reg) is cls
    assert getattr(reg, "l1", None) == l1 and getattr(reg, "l2", None) == l2


def test_unknown_string_suggests_the_closest():
    with pytest.raises(ValueError, match=r"Unknown regularizer 'l22'\. Did you mean 'l2'\?"):
        regularizers.get("l22")


def test_get_other_identifiers_and_config_round_trip():
    reg = L1L2(0.3, 0.4)
    assert regularizers.get(reg) is reg and regularizers.get(None) is None
    rebuilt = regularizers.get(regularizers.serialize(reg))
    assert type(rebuilt) is L1L2 and rebuilt.get_config() == {"l1": 0.3, "l2": 0.4}
    assert regularizers.get({"class_name": "L2", "config": {"l2": 0.5}}).l2 == 0.5

    def my_penalty(w):
        return float(np.sum(w))

    assert regularizers.get(my_penalty) is my_penalty
    with pytest.raises(ValueError, match="Could not interpret regularizer 5"):
        regularizers.get(5)


@pytest.mark.parametrize(
    "make",
    [
        lambda: L1(-0.1),
        lambda: L2(float("nan")),
        lambda: L2("0.1"),
        lambda: L1L2(l2=-1.0),
        lambda: L1(True),
    ],
)
def test_invalid_factors(make):
    with pytest.raises(ValueError, match="must be a non-negative number"):
        make()
