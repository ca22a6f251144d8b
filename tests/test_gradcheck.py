import numpy as np
import pytest

from dlcourse.gradcheck import check_gradient, numerical_gradient, relative_error


def test_numerical_gradient_matches_known_derivative_and_restores_x():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4))
    w = rng.normal(size=(3, 4))
    before = x.copy()
    grad = numerical_gradient(lambda: np.sum(w * x**3), x)
    np.testing.assert_allclose(grad, 3 * w * before**2, rtol=1e-7, atol=1e-8)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_refuses_float32():
    x = np.zeros(3, dtype=np.float32)
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda: float(np.sum(x)), x)


def test_relative_error_values():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0, 0.0], [3.0, 0.0]) == pytest.approx(2.0 / 4.0)
    assert relative_error([0.0], [0.0]) == 0.0
    with pytest.raises(ValueError, match="shapes"):
        relative_error([1.0], [1.0, 2.0])


def test_check_gradient_accepts_right_and_rejects_wrong_gradient():
    rng = np.random.default_rng(1)
    x = rng.normal(size=5)
    upstream = rng.normal(size=5)
    f = lambda: np.sum(upstream * np.sin(x))  # noqa: E731
    assert check_gradient(f, lambda x: upstream * np.cos(x), x) < 1e-8
    with pytest.raises(AssertionError, match="Worst element"):
        check_gradient(f, upstream * np.sin(x), x)
