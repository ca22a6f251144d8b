"""Initializers: exact limits, statistics over large draws, truncation, seeding, get()."""

import math

import numpy as np
import pytest

from dlcourse import backend, initializers
from dlcourse.initializers import (
    Constant,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    Identity,
    LecunNormal,
    LecunUniform,
    Ones,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    Zeros,
    compute_fans,
)

SHAPE = (400, 500)  # 200,000 draws: sample mean/std are accurate to well under 1%
N = SHAPE[0] * SHAPE[1]
TRUNCATED_STD = 0.87962566103423978  # std of a standard normal cut at +-2


def assert_mean_std(values, mean, std, rel=0.01):
    assert abs(values.mean() - mean) < 5 * std / math.sqrt(values.size)
    assert values.std() == pytest.approx(std, rel=rel)


def test_constant_initializers():
    np.testing.assert_array_equal(Zeros()((2, 3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(Ones()(4), np.ones(4))
    np.testing.assert_array_equal(Constant(0.7)((2,), dtype="float64"), [0.7, 0.7])
    np.testing.assert_array_equal(Identity(2.0)((2, 3)), [[2, 0, 0], [0, 2, 0]])
    assert Zeros()((2,)).dtype == np.float32 and Constant(1)((2,), "float64").dtype == np.float64


def test_default_dtype_follows_floatx():
    backend.set_floatx("float64")
    try:
        assert GlorotUniform(seed=1)((3, 3)).dtype == np.float64
    finally:
        backend.set_floatx("float32")
    assert GlorotUniform(seed=1)((3, 3)).dtype == np.float32


def test_random_normal_statistics():
    values = RandomNormal(mean=1.0, stddev=0.5, seed=0)(SHAPE, dtype="float64")
    assert_mean_std(values, 1.0, 0.5)
    assert np.abs(values - 1.0).max() > 2 * 0.5  # untruncated: tails beyond 2 sigma exist


def test_random_uniform_bounds_and_statistics():
    values = RandomUniform(minval=-0.2, maxval=0.6, seed=0)(SHAPE, dtype="float64")
    assert values.min() >= -0.2 and values.max() < 0.6
    assert values.min() < -0.199 and values.max() > 0.599
    assert_mean_std(values, 0.2, 0.8 / math.sqrt(12))


def test_truncated_normal_is_cut_at_two_stddev():
    values = TruncatedNormal(mean=0.5, stddev=0.1, seed=0)(SHAPE, dtype="float64")
    assert np.abs(values - 0.5).max() <= 2 * 0.1
    assert np.abs(values - 0.5).max() > 1.99 * 0.1  # the cut is reached, not narrower
    assert_mean_std(values, 0.5, 0.1 * TRUNCATED_STD)


def test_glorot_uniform_limit_is_exactly_sqrt_6_over_fan_sum():
    fan_in, fan_out = 30, 50
    limit = math.sqrt(6 / (fan_in + fan_out))
    values = GlorotUniform(seed=3)((fan_in, fan_out), dtype="float64")
    expected = np.random.default_rng(3).uniform(-limit, limit, (fan_in, fan_out))
    np.testing.assert_array_equal(values, expected)
    big = GlorotUniform(seed=4)(SHAPE, dtype="float64")
    big_limit = math.sqrt(6 / (SHAPE[0] + SHAPE[1]))
    assert np.abs(big).max() <= big_limit and np.abs(big).max() > 0.999 * big_limit
    assert_mean_std(big, 0.0, big_limit / math.sqrt(3))


@pytest.mark.parametrize(
    "cls, limit", [(HeUniform, math.sqrt(6 / SHAPE[0])), (LecunUniform, math.sqrt(3 / SHAPE[0]))]
)
def test_uniform_variance_scaling_limits(cls, limit):
    values = cls(seed=0)(SHAPE, dtype="float64")
    assert np.abs(values).max() <= limit and np.abs(values).max() > 0.999 * limit
    assert_mean_std(values, 0.0, limit / math.sqrt(3))


@pytest.mark.parametrize(
    "cls, std",
    [
        (HeNormal, math.sqrt(2 / SHAPE[0])),
        (LecunNormal, math.sqrt(1 / SHAPE[0])),
        (GlorotNormal, math.sqrt(2 / (SHAPE[0] + SHAPE[1]))),
    ],
)
def test_truncated_variance_scaling_has_the_intended_std_after_truncation(cls, std):
    values = cls(seed=0)(SHAPE, dtype="float64")
    assert_mean_std(values, 0.0, std)
    # cut at 2 sigma of the *pre-truncation* normal, whose sigma is std / 0.8796...
    bound = 2 * std / TRUNCATED_STD
    assert np.abs(values).max() <= bound and np.abs(values).max() > 0.995 * bound


@pytest.mark.parametrize("mode, n", [("fan_in", 400), ("fan_out", 500), ("fan_avg", 450)])
def test_variance_scaling_modes(mode, n):
    values = VarianceScaling(3.0, mode, "untruncated_normal", seed=0)(SHAPE, dtype="float64")
    assert_mean_std(values, 0.0, math.sqrt(3.0 / n))


def test_variance_scaling_normal_means_truncated_normal():
    assert VarianceScaling(distribution="normal").distribution == "truncated_normal"


def test_compute_fans():
    assert compute_fans(()) == (1, 1)
    assert compute_fans((7,)) == (7, 7)
    assert compute_fans((3, 5)) == (3, 5)
    assert compute_fans((3, 3, 16, 32)) == (144, 288)


def test_integer_seed_gives_the_same_values_every_call():
    init = HeNormal(seed=42)
    a, b = init((5, 4)), init((5, 4))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, HeNormal(seed=42)((5, 4)))
    assert not np.array_equal(a, HeNormal(seed=43)((5, 4)))


def test_unseeded_draws_come_from_the_library_generator():
    init = GlorotUniform()
    backend.seed_rng(7)
    first, second = init((3, 3)), init((3, 3))
    assert not np.array_equal(first, second)
    backend.seed_rng(7)
    np.testing.assert_array_equal(init((3, 3)), first)


@pytest.mark.parametrize("shape", [(6, 3), (3, 6), (2, 3, 4)])
def test_orthogonal(shape):
    q = Orthogonal(gain=2.0, seed=0)(shape, dtype="float64")
    assert q.shape == shape
    flat = q.reshape(-1, shape[-1]) / 2.0
    if flat.shape[0] >= flat.shape[1]:
        np.testing.assert_allclose(flat.T @ flat, np.eye(flat.shape[1]), atol=1e-12)
    else:
        np.testing.assert_allclose(flat @ flat.T, np.eye(flat.shape[0]), atol=1e-12)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: VarianceScaling(scale=0.0), "`scale` must be a positive number"),
        (lambda: VarianceScaling(mode="fan_mid"), "`mode` must be one of"),
        (lambda: VarianceScaling(distribution="gamma"), "`distribution` must be one of"),
        (lambda: RandomNormal(stddev=-1.0), "`stddev` must be >= 0"),
        (lambda: GlorotUniform(seed="abc"), "`seed` must be an integer or None"),
        (lambda: RandomNormal()((2,), dtype="int32"), "pass a float dtype"),
        (lambda: Orthogonal()((3,)), "at least a 2D shape"),
    ],
)
def test_invalid_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    "name, cls",
    [
        ("zeros", Zeros),
        ("ones", Ones),
        ("glorot_uniform", GlorotUniform),
        ("GlorotUniform", GlorotUniform),
        ("glorot_normal", GlorotNormal),
        ("he_normal", HeNormal),
        ("he_uniform", HeUniform),
        ("lecun_normal", LecunNormal),
        ("lecun_uniform", LecunUniform),
        ("random_normal", RandomNormal),
        ("normal", RandomNormal),
        ("uniform", RandomUniform),
        ("truncated_normal", TruncatedNormal),
        ("orthogonal", Orthogonal),
        ("HeNormal", HeNormal),
    ],
)
def test_get_by_name(name, cls):
    assert type(initializers.get(name)) is cls


def test_get_unknown_name_suggests_the_closest():
    with pytest.raises(
        ValueError,
        match=r"Unknown initializer 'glorot_unifrom'\. "
        r"Did you mean 'glorot_uniform'\?",
    ):
        initializers.get("glorot_unifrom")


def test_get_other_identifiers_and_config_round_trip():
    init = RandomNormal(0.1, 0.2, seed=5)
    assert initializers.get(init) is init and initializers.get(None) is None
    rebuilt = initializers.get(initializers.serialize(init))
    np.testing.assert_array_equal(rebuilt((3, 2)), init((3, 2)))
    scaled = initializers.get(
        {
            "class_name": "VarianceScaling",
            "config": {"scale": 2.0, "mode": "fan_out", "distribution": "uniform"},
        }
    )
    assert (scaled.scale, scaled.mode, scaled.distribution) == (2.0, "fan_out", "uniform")
    assert initializers.get(GlorotUniform(seed=1)).get_config() == {"seed": 1}
    assert isinstance(initializers.get(HeUniform), HeUniform)

    def my_init(shape, dtype=None):
        return np.full(shape, 3.0)

    assert initializers.get(my_init) is my_init
    with pytest.raises(ValueError, match="Could not interpret initializer 3"):
        initializers.get(3)
