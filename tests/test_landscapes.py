"""Landscapes: gradients against numerical ones, minima, trajectories through the real
optimizers, tolerance bookkeeping, divergence, noise and the learning-rate sweep."""

import math

import numpy as np
import pytest

from dlcourse import landscapes
from dlcourse.gradcheck import check_gradient, numerical_gradient
from dlcourse.landscapes import (
    OPTIMIZER_NAMES,
    Trajectory,
    compare,
    learning_rate_sweep,
    make_optimizer,
    run_trajectory,
)
from dlcourse.optimizers import SGD, Adam

ALL = landscapes.names()
EXPECTED_NAMES = {
    "bowl",
    "narrow_bowl",
    "rosenbrock",
    "beale",
    "himmelblau",
    "saddle",
    "plateau",
    "local_minimum",
}


def test_the_issue_lists_these_landscapes():
    assert set(ALL) == EXPECTED_NAMES
    assert landscapes.get("bowl").value(2.0, 1.0) == pytest.approx(4 / 20 + 1)
    assert landscapes.get("narrow_bowl").value(2.0, 1.0) == pytest.approx(0.4 + 2)


def random_points(landscape, n=6, seed=0):
    """Points in the middle half of the domain (the plateau's edges are too flat to check)."""
    (x0, x1), (y0, y1) = (
        (0.75 * lo + 0.25 * hi, 0.25 * lo + 0.75 * hi) for lo, hi in landscape.domain
    )
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])


@pytest.mark.parametrize("name", ALL)
def test_analytic_gradient_matches_numerical(name):
    landscape = landscapes.get(name)
    for point in random_points(landscape):
        x = point.astype(np.float64)
        check_gradient(
            lambda x=x: landscape.value(x[0], x[1]),
            lambda p: np.array(landscape.gradient(p[0], p[1])),
            x,
            tol=1e-6,
        )


@pytest.mark.parametrize("name", ALL)
def test_gradient_and_value_work_on_grids_and_floats_alike(name):
    landscape = landscapes.get(name)
    grid_x, grid_y, z = landscape.grid(n=7)
    assert z.shape == (7, 7)
    gx, gy = landscape.gradient(grid_x, grid_y)
    assert np.shape(gx) == np.shape(gy) == (7, 7)
    x, y = float(grid_x[3, 2]), float(grid_y[3, 2])
    assert landscape.value(x, y) == pytest.approx(z[3, 2], rel=1e-12)
    assert landscape.gradient(x, y)[0] == pytest.approx(gx[3, 2], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("name", ALL)
def test_minima_have_zero_gradient_and_the_known_value(name):
    landscape = landscapes.get(name)
    (x0, x1), (y0, y1) = landscape.domain
    for mx, my in landscape.minima:
        assert x0 <= mx <= x1 and y0 <= my <= y1
        assert np.allclose(landscape.gradient(mx, my), 0.0, atol=1e-9)
        # A minimum: every small step goes up.
        for dx, dy in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3), (7e-4, 7e-4)]:
            assert landscape.value(mx + dx, my + dy) > landscape.value(mx, my)
    global_x, global_y = landscape.minima[0]
    assert landscape.value(global_x, global_y) == pytest.approx(landscape.min_value, abs=1e-12)
    z = landscape.grid(n=200)[2]
    assert z.min() >= landscape.min_value - 1e-12  # nothing on the grid is lower


def test_known_minimum_values():
    assert landscapes.get("rosenbrock").minima == ((1.0, 1.0),)
    assert landscapes.get("beale").minima == ((3.0, 0.5),)
    assert len(landscapes.get("himmelblau").minima) == 4
    assert landscapes.get("saddle").min_value == -0.25
    local = landscapes.get("local_minimum")
    assert local.minima[0][0] < 0 < local.minima[1][0]
    assert local.local_min_value > local.min_value + 0.5
    assert local.value(local.ridge_x, 0.0) > local.local_min_value


def test_saddle_point_is_flat_but_not_a_minimum():
    saddle = landscapes.get("saddle")
    ((sx, sy),) = saddle.saddle_points
    assert np.allclose(saddle.gradient(sx, sy), 0.0)
    assert saddle.value(sx, sy + 0.1) < saddle.value(sx, sy) < saddle.value(sx + 0.1, sy)


def test_plateau_is_flat_far_from_the_minimum():
    plateau = landscapes.get("plateau")
    assert np.hypot(*plateau.gradient(*plateau.start)) < 1e-3
    assert np.hypot(*plateau.gradient(1.0, 0.0)) > 0.5


def test_get_rejects_unknown_names_with_the_list():
    with pytest.raises(ValueError, match="Known landscapes: bowl"):
        landscapes.get("bowll")


# --- trajectories ----------------------------------------------------------------------------


def test_trajectory_is_exactly_the_optimizer_applied_step_by_step():
    bowl = landscapes.get("bowl")
    walk = run_trajectory(Adam(learning_rate=0.3), bowl, steps=25)
    assert walk.path.shape == (26, 2) and walk.losses.shape == (26,)
    w = np.array(bowl.start, dtype=np.float64)
    opt = Adam(learning_rate=0.3)
    for step in range(25):
        opt.apply_gradients([(np.array(bowl.gradient(*w)), w)])
        np.testing.assert_array_equal(walk.path[step + 1], w)
    np.testing.assert_allclose(walk.losses, bowl.value(walk.path[:, 0], walk.path[:, 1]))


def test_plain_gradient_descent_follows_its_formula():
    bowl = landscapes.get("bowl")
    walk = run_trajectory(SGD(learning_rate=0.5), bowl, start=(4.0, 2.0), steps=3)
    # x <- x - 0.5 * x/10, y <- y - 0.5 * 2y = 0
    np.testing.assert_allclose(walk.path, [[4, 2], [3.8, 0], [3.61, 0], [3.4295, 0]])


def test_steps_to_tolerance_is_when_the_loss_stays_within_it():
    losses = np.array([5.0, 1e-5, 2.0, 1e-3, 1e-6, 1e-7])
    assert landscapes._steps_to_tolerance(losses, 0.0, 1e-4) == 4
    assert landscapes._steps_to_tolerance(losses, 0.0, 10.0) == 0
    assert landscapes._steps_to_tolerance(np.array([1.0, 0.5]), 0.0, 1e-4) is None
    walk = run_trajectory(SGD(learning_rate=0.9), "bowl", steps=300)
    k = walk.steps_to_tolerance
    assert k is not None and walk.gaps[k] <= walk.tolerance < walk.gaps[k - 1]


def test_too_large_a_learning_rate_diverges_without_warnings():
    walk = run_trajectory(SGD(learning_rate=1.2), "bowl", steps=200)  # y: factor |1 - 2.4| > 1
    assert walk.diverged and walk.steps_to_tolerance is None
    assert walk.final_loss == math.inf
    assert np.isnan(walk.path[-1]).all() and np.isfinite(walk.path[0]).all()
    assert "diverged" in walk.summary()


def test_gradient_descent_stops_at_the_saddle_but_noise_escapes():
    stuck = run_trajectory(SGD(learning_rate=0.1), "saddle", start=(-1.5, 0.0), steps=300)
    np.testing.assert_allclose(stuck.final_point, [0.0, 0.0], atol=1e-9)
    assert stuck.steps_to_tolerance is None
    escaped = run_trajectory(
        SGD(learning_rate=0.1), "saddle", start=(-1.5, 0.0), steps=300, noise=0.01, seed=3
    )
    assert abs(escaped.final_point[1]) == pytest.approx(1.0, abs=0.05)


def test_noise_is_seeded_and_the_same_for_every_optimizer():
    a = run_trajectory(SGD(learning_rate=0.1), "bowl", steps=50, noise=0.5, seed=7)
    b = run_trajectory(SGD(learning_rate=0.1), "bowl", steps=50, noise=0.5, seed=7)
    c = run_trajectory(SGD(learning_rate=0.1), "bowl", steps=50, noise=0.5, seed=8)
    np.testing.assert_array_equal(a.path, b.path)
    assert not np.array_equal(a.path, c.path)


def test_make_optimizer_builds_the_library_classes():
    assert type(make_optimizer("Nesterov", 0.1)).__name__ == "SGD"
    assert make_optimizer("Nesterov", 0.1, momentum=0.8).nesterov
    assert make_optimizer("Momentum", 0.1, momentum=0.8).momentum == 0.8
    assert make_optimizer("Adam", 0.1, beta_1=0.5).beta_1 == 0.5
    assert make_optimizer("RMSprop", 0.1, rho=0.5).rho == 0.5
    with pytest.raises(ValueError, match="Known: SGD, Momentum"):
        make_optimizer("Adamm", 0.1)


def test_compare_runs_each_named_optimizer_from_the_same_start():
    walks = compare("himmelblau", {name: 0.01 for name in OPTIMIZER_NAMES}, steps=40)
    assert list(walks) == list(OPTIMIZER_NAMES)
    assert all(isinstance(w, Trajectory) and w.label == name for name, w in walks.items())
    assert all(tuple(w.path[0]) == (0.0, 0.0) for w in walks.values())
    assert walks["Adam"].learning_rate == 0.01


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="start must be a point"):
        run_trajectory(SGD(), "bowl", start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="steps must be >= 0"):
        run_trajectory(SGD(), "bowl", steps=-1)


# --- the learning-rate sweep -----------------------------------------------------------------


def test_sweep_picks_fewest_steps_then_lowest_loss_and_is_deterministic():
    grid = (0.01, 0.1, 0.5, 0.9, 1.5)
    first = learning_rate_sweep("bowl", ["SGD", "Adam"], grid=grid, steps=150)
    second = learning_rate_sweep("bowl", ["SGD", "Adam"], grid=grid, steps=150)
    for name in ("SGD", "Adam"):
        result = first[name]
        assert result.best_learning_rate == second[name].best_learning_rate
        reached = [(s, lr) for s, lr in zip(result.steps, grid) if s is not None]
        assert result.best_steps == min(s for s, _ in reached)
        assert result.best.learning_rate == result.best_learning_rate
    # SGD on x²/20 + y²: stable below lr = 1; the largest stable rate is fastest.
    assert first["SGD"].best_learning_rate == 0.9
    assert first["SGD"].steps[-1] is None and first["SGD"].final_losses[-1] == math.inf


def test_sweep_ranks_runs_that_never_arrive_by_final_loss():
    result = learning_rate_sweep("rosenbrock", ["SGD"], grid=(1e-4, 1e-3), steps=50)["SGD"]
    assert result.steps == [None, None]
    assert result.best_learning_rate == 1e-3
    assert result.final_losses[1] < result.final_losses[0]


def test_default_grid_is_logarithmic():
    grid = np.array(landscapes.DEFAULT_LR_GRID)
    assert grid[0] == pytest.approx(1e-4) and grid[-1] == pytest.approx(10.0)
    np.testing.assert_allclose(np.diff(np.log10(grid)), 1 / 3, rtol=1e-6)


def test_numerical_gradient_helper_agrees_on_rosenbrock_start():
    rosen = landscapes.get("rosenbrock")
    x = np.array(rosen.start, dtype=np.float64)
    numeric = numerical_gradient(lambda: rosen.value(x[0], x[1]), x)
    np.testing.assert_allclose(numeric, rosen.gradient(*rosen.start), rtol=1e-6)
