"""2D loss landscapes and optimizer trajectories over them.

A real network has thousands of weights, so its loss cannot be drawn. A function of two
numbers can: each landscape here is such a function, with its analytic gradient, the region
worth plotting (`domain`) and its known minima. Walking an optimizer over it draws the path
the weights would take:

    from dlcourse import landscapes
    from dlcourse.optimizers import Adam

    bowl = landscapes.get("bowl")                       # f = x²/20 + y²
    walk = landscapes.run_trajectory(Adam(learning_rate=0.3), bowl, steps=200)
    walk.path.shape, walk.losses[-1], walk.steps_to_tolerance

The optimizer is the very object that trains networks: the point (x, y) is a float64 array
of shape (2,) and each step is `optimizer.apply_gradients([(gradient, point)])`.

`learning_rate_sweep` tries each optimizer on a log grid of learning rates and keeps, for each,
the rate that reaches the tolerance in the fewest steps: comparing optimizers each at its own
best rate is fair; comparing them at one hand-picked rate mostly ranks the pick.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from dlcourse import optimizers as _optimizers

__all__ = [
    "Landscape",
    "ElongatedBowl",
    "Rosenbrock",
    "Beale",
    "Himmelblau",
    "Saddle",
    "Plateau",
    "LocalMinimum",
    "LANDSCAPES",
    "get",
    "names",
    "Trajectory",
    "run_trajectory",
    "OPTIMIZER_NAMES",
    "KERAS_DEFAULT_LEARNING_RATES",
    "KERAS_DEFAULTS",
    "MOMENTUM",
    "make_optimizer",
    "compare",
    "SweepResult",
    "DEFAULT_LR_GRID",
    "learning_rate_sweep",
]


# --- the landscapes ------------------------------------------------------------------------


class Landscape:
    """A function f(x, y) with its gradient, plotting domain, minima and a default start.

    `value(x, y)` and `gradient(x, y)` (which returns the pair (df/dx, df/dy)) accept Python
    floats or NumPy arrays of any shape, so the same code draws a contour grid and takes one
    optimizer step. `minima` lists every local minimum in the domain, the global one(s) first;
    `min_value` is the global minimum value; `tolerance` is the loss gap f - min_value that
    counts as "arrived".
    """

    name = ""
    title = ""
    domain = ((-1.0, 1.0), (-1.0, 1.0))
    start = (0.5, 0.5)
    minima = ((0.0, 0.0),)
    min_value = 0.0
    tolerance = 1e-4
    log_contours = False  # contour levels spaced on a log scale (for steep valleys)
    saddle_points = ()

    def value(self, x, y):
        raise NotImplementedError

    def gradient(self, x, y):
        raise NotImplementedError

    def __call__(self, point):
        """f at a point given as one array-like (x, y)."""
        return self.value(point[0], point[1])

    @property
    def divergence_limit(self):
        """A coordinate beyond this means the run has diverged (long before floats overflow)."""
        (x0, x1), (y0, y1) = self.domain
        return 100.0 * max(x1 - x0, y1 - y0, abs(x0), abs(x1), abs(y0), abs(y1))

    def grid(self, n=120):
        """X, Y, Z arrays (n x n) over the domain, for contour plots."""
        (x0, x1), (y0, y1) = self.domain
        grid_x, grid_y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        return grid_x, grid_y, self.value(grid_x, grid_y)

    def contour_levels(self, z, n=20):
        """Contour levels for values `z`: log-spaced gaps above the minimum when `log_contours`."""
        low, high = float(np.min(z)), float(np.max(z))
        if self.log_contours:
            gaps = np.logspace(-3, np.log10(max(high - self.min_value, 1e-2)), n)
            return self.min_value + gaps
        return np.linspace(low, high, n + 2)[1:-1]

    def __repr__(self):
        return f"<Landscape {self.name!r}: f = {self.title}>"


class ElongatedBowl(Landscape):
    """f = a·x² + b·y²: a bowl stretched along x, the textbook picture of zigzagging descent.

    With a = 1/20, b = 1 the curvatures differ 20-fold: a learning rate small enough for the
    steep y direction crawls along the shallow x direction.
    """

    def __init__(
        self,
        a=1 / 20,
        b=1.0,
        name="bowl",
        title="x²/20 + y²",
        domain=((-10.0, 10.0), (-5.0, 5.0)),
        start=(-7.0, 2.0),
    ):
        self.a, self.b = float(a), float(b)
        self.name, self.title, self.domain, self.start = name, title, domain, start
        self.minima = ((0.0, 0.0),)

    def value(self, x, y):
        return self.a * x * x + self.b * y * y

    def gradient(self, x, y):
        return 2 * self.a * x, 2 * self.b * y


class Rosenbrock(Landscape):
    """f = (a - x)² + b·(y - x²)²: a curved, flat-bottomed valley; minimum at (a, a²)."""

    name = "rosenbrock"
    title = "(1 - x)² + 100(y - x²)²"
    domain = ((-2.0, 2.0), (-1.0, 3.0))
    start = (-1.5, 2.0)
    log_contours = True

    def __init__(self, a=1.0, b=100.0):
        self.a, self.b = float(a), float(b)
        self.minima = ((self.a, self.a**2),)

    def value(self, x, y):
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def gradient(self, x, y):
        inner = y - x * x
        return -2 * (self.a - x) - 4 * self.b * x * inner, 2 * self.b * inner


class Beale(Landscape):
    """f = (1.5 - x + xy)² + (2.25 - x + xy²)² + (2.625 - x + xy³)²; minimum at (3, 0.5)."""

    name = "beale"
    title = "Beale"
    domain = ((-4.5, 4.5), (-4.5, 4.5))
    start = (1.0, 1.5)
    minima = ((3.0, 0.5),)
    log_contours = True

    def value(self, x, y):
        t1 = 1.5 - x + x * y
        t2 = 2.25 - x + x * y * y
        t3 = 2.625 - x + x * y * y * y
        return t1 * t1 + t2 * t2 + t3 * t3

    def gradient(self, x, y):
        y2 = y * y
        y3 = y2 * y
        t1 = 1.5 - x + x * y
        t2 = 2.25 - x + x * y2
        t3 = 2.625 - x + x * y3
        dx = 2 * (t1 * (y - 1) + t2 * (y2 - 1) + t3 * (y3 - 1))
        dy = 2 * x * (t1 + 2 * t2 * y + 3 * t3 * y2)
        return dx, dy


class Himmelblau(Landscape):
    """f = (x² + y - 11)² + (x + y² - 7)²: four minima, all with f = 0."""

    name = "himmelblau"
    title = "(x² + y - 11)² + (x + y² - 7)²"
    domain = ((-5.0, 5.0), (-5.0, 5.0))
    start = (0.0, 0.0)
    minima = (
        (3.0, 2.0),
        (-2.805118086952745, 3.131312518250573),
        (-3.779310253377747, -3.283185991286170),
        (3.584428340330492, -1.848126526964404),
    )
    log_contours = True

    def value(self, x, y):
        a = x * x + y - 11
        b = x + y * y - 7
        return a * a + b * b

    def gradient(self, x, y):
        a = x * x + y - 11
        b = x + y * y - 7
        return 4 * x * a + 2 * b, 2 * a + 4 * y * b


class Saddle(Landscape):
    """f = x²/2 + y⁴/4 - y²/2: a saddle point at (0, 0) between minima at (0, ±1).

    Along y = 0 the gradient points straight at the saddle: plain gradient descent started
    exactly on that line stops there, although f keeps going down sideways.
    """

    name = "saddle"
    title = "x²/2 + y⁴/4 - y²/2"
    domain = ((-2.0, 2.0), (-2.0, 2.0))
    start = (-1.8, 0.001)
    minima = ((0.0, 1.0), (0.0, -1.0))
    min_value = -0.25
    saddle_points = ((0.0, 0.0),)

    def value(self, x, y):
        y2 = y * y
        return 0.5 * x * x + 0.25 * y2 * y2 - 0.5 * y2

    def gradient(self, x, y):
        return x, y * y * y - y


def _exp(z):
    """exp for a Python float (fast) or an array."""
    return math.exp(z) if isinstance(z, float) else np.exp(z)


class Plateau(Landscape):
    """f = 1 - exp(-(x² + y²)/2): a single well in a wide, almost flat plain.

    Four units from the minimum the gradient is below 0.002: steps proportional to it crawl.
    """

    name = "plateau"
    title = "1 - exp(-(x² + y²)/2)"
    domain = ((-5.0, 5.0), (-5.0, 5.0))
    start = (-3.5, 2.5)

    def value(self, x, y):
        return 1.0 - _exp(-0.5 * (x * x + y * y))

    def gradient(self, x, y):
        e = _exp(-0.5 * (x * x + y * y))
        return x * e, y * e


class LocalMinimum(Landscape):
    """f = (x² - 1)² + 0.3·x + y²: a tilted double well, a local minimum beside the global one.

    The minima lie where df/dx = 4x³ - 4x + 0.3 = 0 (y = 0); they are found from that cubic.
    """

    name = "local_minimum"
    title = "(x² - 1)² + 0.3x + y²"
    domain = ((-2.0, 2.0), (-1.5, 1.5))
    start = (1.8, 1.2)
    tilt = 0.3

    def __init__(self):
        roots = np.sort(np.roots([4.0, 0.0, -4.0, self.tilt]).real)
        # Two minima (outer roots) and the ridge between them (middle root).
        self.minima = ((float(roots[0]), 0.0), (float(roots[2]), 0.0))
        self.ridge_x = float(roots[1])
        self.min_value = float(self.value(roots[0], 0.0))
        self.local_min_value = float(self.value(roots[2], 0.0))

    def value(self, x, y):
        w = x * x - 1
        return w * w + self.tilt * x + y * y

    def gradient(self, x, y):
        return 4 * x * (x * x - 1) + self.tilt, 2 * y


def _build_landscapes():
    found = {}
    for landscape in (
        ElongatedBowl(),
        ElongatedBowl(
            a=0.1,
            b=2.0,
            name="narrow_bowl",
            title="0.1x² + 2y²",
            domain=((-10.0, 10.0), (-4.0, 4.0)),
            start=(-8.0, 3.0),
        ),
        Rosenbrock(),
        Beale(),
        Himmelblau(),
        Saddle(),
        Plateau(),
        LocalMinimum(),
    ):
        found[landscape.name] = landscape
    return found


LANDSCAPES = _build_landscapes()


def names():
    """The names accepted by `get`."""
    return list(LANDSCAPES)


def get(landscape):
    """A Landscape from its name ('bowl', 'rosenbrock', ...) or the Landscape itself."""
    if isinstance(landscape, Landscape):
        return landscape
    if landscape in LANDSCAPES:
        return LANDSCAPES[landscape]
    raise ValueError(f"Unknown landscape {landscape!r}. Known landscapes: {', '.join(LANDSCAPES)}.")


# --- trajectories --------------------------------------------------------------------------


@dataclass
class Trajectory:
    """One optimizer's walk: `path` (steps + 1, 2) with the start in row 0, `losses` f per row.

    After a divergence the remaining rows are NaN. `steps_to_tolerance` is the first step from
    which the loss stays within `tolerance` of the global minimum until the end (None if it
    never does).
    """

    path: np.ndarray
    losses: np.ndarray
    steps_to_tolerance: int | None
    diverged: bool
    tolerance: float
    min_value: float
    label: str = ""
    learning_rate: float = float("nan")

    @property
    def steps(self):
        return len(self.path) - 1

    @property
    def final_loss(self):
        """f at the last step (inf after a divergence)."""
        return float("inf") if self.diverged else float(self.losses[-1])

    @property
    def gaps(self):
        """f - min_value per step: how far above the global minimum each point is."""
        return self.losses - self.min_value

    @property
    def final_point(self):
        return self.path[-1]

    def summary(self):
        """One line: label, learning rate, final loss and steps to tolerance."""
        lr = f" (lr {self.learning_rate:.3g})" if math.isfinite(self.learning_rate) else ""
        if self.diverged:
            return f"{self.label}{lr}: diverged"
        reached = (
            "not reached" if self.steps_to_tolerance is None else f"{self.steps_to_tolerance} steps"
        )
        return f"{self.label}{lr}: loss {self.final_loss:.4g}, {reached}"


def _steps_to_tolerance(losses, min_value, tolerance):
    """First index from which every later loss is within tolerance (NaN counts as outside)."""
    outside = np.flatnonzero(~(losses - min_value <= tolerance))
    if outside.size == 0:
        return 0
    last = int(outside[-1])
    return None if last == len(losses) - 1 else last + 1


def run_trajectory(
    optimizer, landscape, start=None, steps=200, noise=0.0, seed=0, tolerance=None, label=None
):
    """Walk `optimizer` over `landscape` for `steps` steps; returns a Trajectory.

    Each step computes the analytic gradient at the current point, adds Gaussian noise of
    standard deviation `noise` to each component if asked (drawn from `seed`, the same draws
    for every optimizer: a stand-in for the error of a mini-batch gradient), and calls
    `optimizer.apply_gradients([(gradient, point)])`, which moves the point in place.
    Pass a fresh optimizer: its slots (momentum, accumulators) would carry over otherwise.
    """
    landscape = get(landscape)
    steps = int(steps)
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}.")
    tolerance = landscape.tolerance if tolerance is None else float(tolerance)
    point = np.array(landscape.start if start is None else start, dtype=np.float64)
    if point.shape != (2,):
        raise ValueError(f"start must be a point (x, y), got shape {point.shape}.")
    gradient_buffer = np.empty(2)
    pairs = [(gradient_buffer, point)]
    draws = (
        np.random.default_rng(seed).normal(0.0, noise, size=(steps, 2)).tolist() if noise else None
    )
    limit = landscape.divergence_limit
    gradient = landscape.gradient
    apply = optimizer.apply_gradients
    diverged = False
    x, y = point.tolist()
    rows = [(x, y)]  # plain tuples: cheaper per step than writing rows of an array
    for step in range(steps):
        gx, gy = gradient(x, y)
        if draws is not None:
            dx, dy = draws[step]
            gx += dx
            gy += dy
        gradient_buffer[0] = gx
        gradient_buffer[1] = gy
        apply(pairs)
        x, y = point.tolist()
        if not (abs(x) < limit and abs(y) < limit):  # also catches NaN
            diverged = True
            break
        rows.append((x, y))
    path = np.full((steps + 1, 2), np.nan)
    path[: len(rows)] = rows
    losses = landscape.value(path[:, 0], path[:, 1])
    reached = None if diverged else _steps_to_tolerance(losses, landscape.min_value, tolerance)
    learning_rate = getattr(optimizer, "learning_rate", float("nan"))
    return Trajectory(
        path,
        losses,
        reached,
        diverged,
        tolerance,
        landscape.min_value,
        label if label is not None else getattr(optimizer, "name", ""),
        float(learning_rate),
    )


# --- the six optimizers of the course, by name ---------------------------------------------

OPTIMIZER_NAMES = ("SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam")

_OPTIMIZER_CLASSES = {
    "SGD": _optimizers.SGD,
    "Momentum": _optimizers.SGD,
    "Nesterov": _optimizers.SGD,
    "Adagrad": _optimizers.Adagrad,
    "RMSprop": _optimizers.RMSprop,
    "Adam": _optimizers.Adam,
}


MOMENTUM = 0.9  # of "Momentum" and "Nesterov" unless told otherwise (Keras's SGD has none)


def make_optimizer(name, learning_rate=None, momentum=MOMENTUM, rho=None, beta_1=None, beta_2=None):
    """A fresh dlcourse optimizer for one of OPTIMIZER_NAMES.

    "Momentum" and "Nesterov" are SGD(momentum=momentum[, nesterov=True]); `rho` is RMSprop's
    decay; `beta_1`, `beta_2` are Adam's. learning_rate, rho, beta_1 or beta_2 left at None
    keep the optimizer's own default, which is Keras's.
    """
    if name not in _OPTIMIZER_CLASSES:
        raise ValueError(f"Unknown optimizer {name!r}. Known: {', '.join(OPTIMIZER_NAMES)}.")
    options = {"learning_rate": learning_rate}
    if name in ("Momentum", "Nesterov"):
        options.update(momentum=momentum, nesterov=name == "Nesterov")
    if name == "RMSprop":
        options["rho"] = rho
    if name == "Adam":
        options.update(beta_1=beta_1, beta_2=beta_2)
    return _OPTIMIZER_CLASSES[name](**{k: v for k, v in options.items() if v is not None})


# What Keras uses when you write optimizer="sgd", "adam", ...: the "untuned" comparison.
KERAS_DEFAULT_LEARNING_RATES = {
    name: make_optimizer(name).learning_rate for name in OPTIMIZER_NAMES
}
# Keras's defaults of the other settings the explorer offers, read from the optimizers too.
KERAS_DEFAULTS = {
    "rho": make_optimizer("RMSprop").rho,
    "beta_1": make_optimizer("Adam").beta_1,
    "beta_2": make_optimizer("Adam").beta_2,
}


def compare(
    landscape, learning_rates, start=None, steps=200, noise=0.0, seed=0, tolerance=None, **hyper
):
    """Run several optimizers from the same start: {name: Trajectory}.

    `learning_rates` maps optimizer names (OPTIMIZER_NAMES) to their learning rates; `hyper`
    (momentum, rho, beta_1, beta_2) goes to `make_optimizer`.
    """
    return {
        name: run_trajectory(
            make_optimizer(name, lr, **hyper),
            landscape,
            start,
            steps,
            noise,
            seed,
            tolerance,
            label=name,
        )
        for name, lr in learning_rates.items()
    }


# --- fair comparison: each optimizer at its own best learning rate -------------------------

DEFAULT_LR_GRID = tuple(float(v) for v in np.round(np.logspace(-4, 1, 16), 10))


@dataclass
class SweepResult:
    """One optimizer's learning-rate sweep: every rate tried and the best one.

    `best` is the Trajectory at `best_learning_rate`; `steps[i]` and `final_losses[i]` belong
    to `learning_rates[i]` (steps None when the tolerance was not reached).
    """

    name: str
    learning_rates: tuple
    steps: list
    final_losses: list
    best_learning_rate: float
    best: Trajectory = field(repr=False)

    @property
    def best_steps(self):
        return self.best.steps_to_tolerance


def _rank_key(trajectory, learning_rate):
    """Fewest steps to tolerance first, then the lowest final loss, then the smaller rate."""
    steps = trajectory.steps_to_tolerance
    loss = trajectory.final_loss
    return (
        math.inf if steps is None else steps,
        loss if math.isfinite(loss) else math.inf,
        learning_rate,
    )


def learning_rate_sweep(
    landscape,
    optimizers=OPTIMIZER_NAMES,
    grid=DEFAULT_LR_GRID,
    start=None,
    steps=200,
    noise=0.0,
    seed=0,
    tolerance=None,
    **hyper,
):
    """Each optimizer's best learning rate on `landscape`, from a log grid: {name: SweepResult}.

    Best means fewest steps to tolerance; ties (and runs that never reach it) are ranked by
    final loss, then by the smaller rate. Deterministic: the noise, if any, is seeded.
    """
    grid = tuple(float(lr) for lr in grid)
    results = {}
    for name in optimizers:
        runs = [
            run_trajectory(
                make_optimizer(name, lr, **hyper),
                landscape,
                start,
                steps,
                noise,
                seed,
                tolerance,
                label=name,
            )
            for lr in grid
        ]
        best = min(range(len(grid)), key=lambda i: _rank_key(runs[i], grid[i]))
        results[name] = SweepResult(
            name=name,
            learning_rates=grid,
            steps=[run.steps_to_tolerance for run in runs],
            final_losses=[run.final_loss for run in runs],
            best_learning_rate=grid[best],
            best=runs[best],
        )
    return results
