"""The interactive optimizer explorer: move a slider, see six optimizers walk a landscape.

    from dlcourse.explorer import OptimizerExplorer
    explorer = OptimizerExplorer("rosenbrock")
    explorer    # in Jupyter: the widget (a static picture where widgets cannot run)

Controls: the landscape, which optimizers to run, a learning rate per optimizer (log sliders)
and one that sets them all, momentum, RMSprop's rho, Adam's beta_1 / beta_2, the number of
steps, the start point and the gradient noise; the "tuned learning rates" button sets each
optimizer's rate to the best one from `dlcourse.landscapes.learning_rate_sweep`.

The logic needs no browser: `compute()` returns the trajectories and the legend lines for the
current settings, `update()` also redraws; setting a slider's `.value` from code triggers the
same update as dragging it. The drawing keeps its Line2D objects and changes their data
(`set_data`); contours are drawn again only when the landscape changes. The figure is rendered
with Agg into a PNG image widget, so it needs no interactive matplotlib backend.

ipywidgets and matplotlib are imported when an explorer is created, not with dlcourse.
"""

import base64
import io
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from dlcourse import landscapes as _landscapes
from dlcourse.landscapes import OPTIMIZER_NAMES

__all__ = ["OptimizerExplorer", "ExplorerResult", "COLORS"]

COLORS = {
    "SGD": "#1f77b4",
    "Momentum": "#ff7f0e",
    "Nesterov": "#2ca02c",
    "Adagrad": "#d62728",
    "RMSprop": "#9467bd",
    "Adam": "#8c564b",
}
GAP_FLOOR = 1e-12  # the loss plot shows f - f_min on a log scale; 0 is drawn at this floor


@dataclass
class ExplorerResult:
    """What one update computed: {name: Trajectory} and one legend line per optimizer."""

    landscape: str
    trajectories: dict
    legend: list

    @property
    def paths(self):
        """{name: (steps + 1, 2) array}."""
        return {name: walk.path for name, walk in self.trajectories.items()}


class OptimizerExplorer:
    """Widget explorer of optimizer trajectories on a 2D landscape (see the module docstring).

    Arguments set the initial state of the controls: `optimizers` are the ticked ones,
    `learning_rate` the common rate (`learning_rates` may override it per optimizer).
    """

    def __init__(
        self,
        landscape="bowl",
        optimizers=OPTIMIZER_NAMES,
        learning_rate=0.1,
        learning_rates=None,
        momentum=0.9,
        rho=0.9,
        beta_1=0.9,
        beta_2=0.999,
        steps=200,
        start=None,
        noise=0.0,
        seed=0,
        figsize=(10, 4),
        dpi=72,
    ):
        import ipywidgets as widgets

        self._widgets = widgets
        self.seed = seed
        self.figsize, self.dpi = figsize, dpi
        self._hold = 0
        self._figure = None
        self._drawn_landscape = None
        self._tuned_cache = {}
        self.result = None
        first = _landscapes.get(landscape)
        start = first.start if start is None else start

        log_slider = dict(
            base=10,
            min=-4,
            max=1,
            step=0.05,
            readout_format=".3g",
            continuous_update=True,
            style={"description_width": "initial"},
        )
        self.landscape_widget = widgets.Dropdown(
            options=_landscapes.names(), value=first.name, description="landscape"
        )
        self.optimizer_checkboxes = {
            name: widgets.Checkbox(
                value=name in optimizers,
                description=name,
                indent=False,
                layout=widgets.Layout(width="95px"),
            )
            for name in OPTIMIZER_NAMES
        }
        rates = dict.fromkeys(OPTIMIZER_NAMES, learning_rate)
        rates.update(learning_rates or {})
        self.lr_sliders = {
            name: widgets.FloatLogSlider(value=rates[name], description="lr", **log_slider)
            for name in OPTIMIZER_NAMES
        }
        self.common_lr_slider = widgets.FloatLogSlider(
            value=learning_rate, description="all learning rates", **log_slider
        )
        self.tune_button = widgets.Button(
            description="tuned learning rates",
            icon="magic",
            tooltip="Set each optimizer's learning rate to its best on this landscape "
            "(fewest steps to tolerance on a log grid)",
        )
        self.momentum_slider = widgets.FloatSlider(
            value=momentum, min=0.0, max=0.99, step=0.01, description="momentum"
        )
        self.rho_slider = widgets.FloatSlider(
            value=rho, min=0.5, max=0.999, step=0.001, description="RMSprop ρ", readout_format=".3f"
        )
        self.beta1_slider = widgets.FloatSlider(
            value=beta_1, min=0.0, max=0.99, step=0.01, description="Adam β₁"
        )
        self.beta2_slider = widgets.FloatSlider(
            value=beta_2,
            min=0.9,
            max=0.9999,
            step=0.0001,
            description="Adam β₂",
            readout_format=".4f",
        )
        self.steps_slider = widgets.IntSlider(
            value=steps, min=10, max=1000, step=10, description="steps"
        )
        (x0, x1), (y0, y1) = first.domain
        self.start_x_slider = widgets.FloatSlider(
            value=start[0], min=x0, max=x1, step=0.01, description="start x"
        )
        self.start_y_slider = widgets.FloatSlider(
            value=start[1], min=y0, max=y1, step=0.001, description="start y", readout_format=".3f"
        )
        self.noise_slider = widgets.FloatSlider(
            value=noise, min=0.0, max=2.0, step=0.01, description="gradient noise"
        )
        self.image = widgets.Image(format="png")
        self.legend_html = widgets.HTML()

        for control in self._controls():
            control.observe(self._on_change, names="value")
        self.landscape_widget.observe(self._on_landscape, names="value")
        self.common_lr_slider.observe(self._on_common_lr, names="value")
        self.tune_button.on_click(lambda _button: self.tune())
        self._widget = None
        self.update()

    # --- the logic (no browser needed) ---------------------------------------------------

    def _controls(self):
        return [
            *self.optimizer_checkboxes.values(),
            *self.lr_sliders.values(),
            self.momentum_slider,
            self.rho_slider,
            self.beta1_slider,
            self.beta2_slider,
            self.steps_slider,
            self.start_x_slider,
            self.start_y_slider,
            self.noise_slider,
        ]

    @property
    def landscape(self):
        return _landscapes.get(self.landscape_widget.value)

    @property
    def selected(self):
        """The ticked optimizers, in the course's order."""
        return [name for name, box in self.optimizer_checkboxes.items() if box.value]

    @property
    def learning_rates(self):
        return {name: float(self.lr_sliders[name].value) for name in self.selected}

    def _hyper(self):
        return {
            "momentum": self.momentum_slider.value,
            "rho": self.rho_slider.value,
            "beta_1": self.beta1_slider.value,
            "beta_2": self.beta2_slider.value,
        }

    def _run_settings(self):
        return {
            "start": (self.start_x_slider.value, self.start_y_slider.value),
            "steps": self.steps_slider.value,
            "noise": self.noise_slider.value,
            "seed": self.seed,
        }

    def compute(self):
        """Trajectories and legend lines for the current settings (no drawing)."""
        walks = _landscapes.compare(
            self.landscape, self.learning_rates, **self._run_settings(), **self._hyper()
        )
        legend = [walk.summary() for walk in walks.values()]
        return ExplorerResult(self.landscape.name, walks, legend)

    def update(self):
        """Compute, redraw the figure in place, and return the ExplorerResult."""
        self.result = self.compute()
        self._draw(self.result)
        return self.result

    @contextmanager
    def hold(self):
        """Change several controls from code with one update at the end."""
        self._hold += 1
        try:
            yield self
        finally:
            self._hold -= 1
        if not self._hold:
            self.update()

    def set_learning_rates(self, rates):
        """Set the per-optimizer sliders from {name: rate}; one update."""
        with self.hold():
            for name, rate in rates.items():
                self.lr_sliders[name].value = rate

    def tuned_learning_rates(self):
        """{name: best rate} for the ticked optimizers on the current landscape and settings."""
        settings = self._run_settings()
        key = (
            self.landscape.name,
            tuple(self.selected),
            tuple(settings.items()),
            tuple(self._hyper().items()),
        )
        if key not in self._tuned_cache:
            sweep = _landscapes.learning_rate_sweep(
                self.landscape, self.selected, **settings, **self._hyper()
            )
            self._tuned_cache[key] = {
                name: result.best_learning_rate for name, result in sweep.items()
            }
        return dict(self._tuned_cache[key])

    def tune(self):
        """What the "tuned learning rates" button does: set each ticked optimizer's best rate."""
        rates = self.tuned_learning_rates()
        self.set_learning_rates(rates)
        return rates

    def _on_change(self, change):
        if not self._hold:
            self.update()

    def _on_common_lr(self, change):
        self.set_learning_rates(dict.fromkeys(OPTIMIZER_NAMES, change["new"]))

    def _on_landscape(self, change):
        landscape = _landscapes.get(change["new"])
        (x0, x1), (y0, y1) = landscape.domain
        with self.hold():
            for slider, low, high, value in (
                (self.start_x_slider, x0, x1, landscape.start[0]),
                (self.start_y_slider, y0, y1, landscape.start[1]),
            ):
                # Widen first so that neither bound rejects the other or the new value.
                slider.min, slider.max = min(low, slider.min), max(high, slider.max)
                slider.value = value
                slider.min, slider.max = low, high

    # --- drawing ---------------------------------------------------------------------------

    def _build_figure(self):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import LogLocator, NullFormatter

        figure = Figure(figsize=self.figsize, dpi=self.dpi)
        FigureCanvasAgg(figure)
        ax_path, ax_loss = figure.subplots(1, 2, width_ratios=[1.1, 1])
        figure.subplots_adjust(left=0.06, right=0.99, bottom=0.12, top=0.92, wspace=0.18)
        self._lines = {}
        for name in OPTIMIZER_NAMES:
            color = COLORS[name]
            (path_line,) = ax_path.plot([], [], "-o", color=color, lw=1.6, ms=2, label=name)
            (loss_line,) = ax_loss.plot([], [], "-", color=color, lw=1.6, label=name)
            self._lines[name] = (path_line, loss_line)
        (self._start_marker,) = ax_path.plot([], [], "ko", ms=7, zorder=5, label="start")
        (self._minima_marker,) = ax_path.plot(
            [], [], "w*", mec="k", ms=13, zorder=5, label="minima"
        )
        self._tolerance_line = ax_loss.axhline(1e-4, color="gray", ls="--", lw=1)
        # Everything that moves when a slider moves is "animated": drawn over a saved
        # background instead of with the (slow to lay out) axes, ticks and contours.
        for artist in (
            *[line for pair in self._lines.values() for line in pair],
            self._start_marker,
        ):
            artist.set_animated(True)
        ax_path.set_xlabel("x")
        ax_path.set_ylabel("y")
        ax_loss.set_xlabel("step")
        ax_loss.set_ylabel("f - f_min (log scale)")
        ax_loss.set_yscale("log")
        ax_loss.yaxis.set_major_locator(LogLocator(numticks=6))
        ax_loss.yaxis.set_minor_formatter(NullFormatter())
        ax_loss.set_title("loss gap per step")
        ax_loss.grid(True, which="major", alpha=0.3)
        self._contours = []
        self._legend = None
        self._background = None
        self._background_key = None
        self._figure, self._ax_path, self._ax_loss = figure, ax_path, ax_loss

    def _draw_landscape(self, landscape):
        ax = self._ax_path
        for artist in self._contours:
            artist.remove()
        grid_x, grid_y, z = landscape.grid(n=100)
        levels = landscape.contour_levels(z)
        self._contours = [
            ax.contourf(
                grid_x, grid_y, z, levels=levels, cmap="Greys_r", alpha=0.35, extend="both"
            ),
            ax.contour(grid_x, grid_y, z, levels=levels, colors="gray", linewidths=0.5),
        ]
        ax.set_xlim(*landscape.domain[0])
        ax.set_ylim(*landscape.domain[1])
        ax.set_title(f"{landscape.name}: f = {landscape.title}")
        minima = np.array(landscape.minima)
        self._minima_marker.set_data(minima[:, 0], minima[:, 1])
        self._tolerance_line.set_ydata([landscape.tolerance, landscape.tolerance])
        # Fixed loss axis per landscape (so its ticks need no redraw): floor to the highest
        # gap on the plotted domain.
        self._ax_loss.set_ylim(GAP_FLOOR / 3, 3 * float(np.max(z) - landscape.min_value))
        self._drawn_landscape = landscape.name

    def _update_artists(self, result):
        """Set the new data on the existing artists; True if the background must be redrawn."""
        if self._figure is None:
            self._build_figure()
        landscape = _landscapes.get(result.landscape)
        if self._drawn_landscape != landscape.name:
            self._draw_landscape(landscape)
        steps = max(self.steps_slider.value, 1)
        self._ax_loss.set_xlim(0, steps)
        visible_lines = []
        for name, (path_line, loss_line) in self._lines.items():
            walk = result.trajectories.get(name)
            if walk is None:
                path_line.set_visible(False)
                loss_line.set_visible(False)
                continue
            path_line.set_data(walk.path[:, 0], walk.path[:, 1])
            loss_line.set_data(np.arange(len(walk.losses)), np.maximum(walk.gaps, GAP_FLOOR))
            path_line.set_visible(True)
            loss_line.set_visible(True)
            visible_lines.append(loss_line)
        first = next(iter(result.trajectories.values()), None)
        self._start_marker.set_visible(first is not None)
        if first is not None:
            self._start_marker.set_data([first.path[0, 0]], [first.path[0, 1]])
        # The figure's legend names the optimizers (it is part of the cached background); the
        # numbers, which change with every slider, go to `legend_html` beside the image.
        key = (landscape.name, steps, tuple(result.trajectories))
        if key == self._background_key:
            return False
        if self._legend is not None:
            self._legend.remove()
            self._legend = None
        if visible_lines:
            self._legend = self._ax_loss.legend(
                visible_lines,
                list(result.trajectories),
                loc="lower left",
                fontsize=8,
                framealpha=0.85,
            )
        self._background_key = key
        return True

    def _render_png(self, full=False):
        """Draw (the background only when `full`), then encode the canvas as PNG bytes."""
        from PIL import Image

        canvas = self._figure.canvas
        if full or self._background is None:
            canvas.draw()  # animated artists are left out of this
            self._background = canvas.copy_from_bbox(self._figure.bbox)
        else:
            canvas.restore_region(self._background)
        animated = [line for pair in self._lines.values() for line in pair if line.get_visible()]
        if self._start_marker.get_visible():
            animated.append(self._start_marker)
        for artist in animated:
            artist.axes.draw_artist(artist)
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def _draw(self, result):
        full = self._update_artists(result)
        self.image.value = self._render_png(full)
        rows = "".join(
            f"<li style='color:{COLORS[name]}'>{line}</li>"
            for name, line in zip(result.trajectories, result.legend)
        )
        self.legend_html.value = f"<ul style='margin:0'>{rows}</ul>"

    def static_figure(self):
        """A pyplot figure of the current state, for viewers where widgets cannot run."""
        import matplotlib.pyplot as plt

        figure, (ax_path, ax_loss) = plt.subplots(
            1, 2, figsize=(9, 3.6), layout="constrained", width_ratios=[1.1, 1]
        )
        landscape = self.landscape
        grid_x, grid_y, z = landscape.grid(n=100)
        levels = landscape.contour_levels(z)
        ax_path.contourf(
            grid_x, grid_y, z, levels=levels, cmap="Greys_r", alpha=0.35, extend="both"
        )
        ax_path.contour(grid_x, grid_y, z, levels=levels, colors="gray", linewidths=0.5)
        for name, walk in self.result.trajectories.items():
            ax_path.plot(
                walk.path[:, 0], walk.path[:, 1], "-o", ms=2, color=COLORS[name], label=name
            )
            ax_loss.semilogy(
                np.maximum(walk.gaps, GAP_FLOOR), color=COLORS[name], label=walk.summary()
            )
        minima = np.array(landscape.minima)
        ax_path.plot(minima[:, 0], minima[:, 1], "w*", mec="k", ms=13)
        ax_path.set_xlim(*landscape.domain[0])
        ax_path.set_ylim(*landscape.domain[1])
        ax_path.set(xlabel="x", ylabel="y", title=f"{landscape.name}: f = {landscape.title}")
        ax_loss.axhline(landscape.tolerance, color="gray", ls="--", lw=1)
        ax_loss.set(xlabel="step", ylabel="f - f_min (log scale)", title="loss gap per step")
        ax_loss.legend(fontsize=7, loc="lower left")
        return figure

    # --- display ---------------------------------------------------------------------------

    @property
    def widget(self):
        """The whole explorer as one ipywidgets box."""
        if self._widget is None:
            w = self._widgets
            rows = [
                w.HBox([self.optimizer_checkboxes[name], self.lr_sliders[name]])
                for name in OPTIMIZER_NAMES
            ]
            left = w.VBox([self.landscape_widget, *rows, self.common_lr_slider, self.tune_button])
            right = w.VBox(
                [
                    self.momentum_slider,
                    self.rho_slider,
                    self.beta1_slider,
                    self.beta2_slider,
                    self.steps_slider,
                    self.start_x_slider,
                    self.start_y_slider,
                    self.noise_slider,
                ]
            )
            self._widget = w.VBox([w.HBox([left, right]), self.image, self.legend_html])
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The widget, plus a PNG and text that viewers without widgets show instead."""
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle)
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        bundle["text/plain"] = "\n".join(
            [
                f"OptimizerExplorer on {self.result.landscape} (run the notebook for the widget)",
                *self.result.legend,
            ]
        )
        return bundle

    def __repr__(self):
        return f"<OptimizerExplorer {self.result.landscape}: {', '.join(self.selected)}>"
