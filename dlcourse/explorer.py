"""The interactive optimizer explorer: move a slider, see six optimizers walk a landscape.

    from dlcourse.explorer import OptimizerExplorer
    explorer = OptimizerExplorer("bowl")
    explorer    # in Jupyter: the widget (a static picture where widgets cannot run)

Controls: the landscape, which optimizers to run, a learning rate per optimizer (log sliders)
and one that sets them all, the "tuned learning rates" button (each optimizer's best rate from
`dlcourse.landscapes.learning_rate_sweep`) and, on a second tab, momentum, RMSprop's rho,
Adam's beta_1 / beta_2, the number of steps, the start point and the gradient noise.

The logic needs no browser: `compute()` returns the trajectories and the legend lines for the
current settings, `update()` also redraws; setting a slider's `.value` from code triggers the
same update as dragging it, at once. Changes made in the browser are throttled instead: while a
slider is dragged, the explorer redraws at most every MIN_REDRAW_SECONDS with the latest values
(the kernel would otherwise fall behind, drawing every position the handle passed).

The drawing keeps its Line2D objects and changes their data (`set_data`); contours are drawn
again only when the landscape changes. The figure is rendered with Agg into a PNG image widget
(no interactive matplotlib backend needed) at PIXEL_RATIO times its size and shown at its size,
so it stays sharp on high-density screens and when a projector scales it up. Plot, legend and
controls sit in a row that wraps: side by side at 1280 x 720, stacked on a phone.

ipywidgets and matplotlib are imported when an explorer is created, not with dlcourse.
"""

import asyncio
import base64
import html
import io
import math
import time
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
PIXEL_RATIO = 2  # image pixels per CSS pixel: sharp on 2x screens and on a scaled-up projector
MIN_REDRAW_SECONDS = 0.1  # while a slider is dragged in the browser, redraw at most this often
FONT_SIZE = 14  # points, at 100 CSS pixels per inch: 19 CSS pixels (the course style's minimum)


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
        momentum=_landscapes.MOMENTUM,
        rho=_landscapes.KERAS_DEFAULTS["rho"],
        beta_1=_landscapes.KERAS_DEFAULTS["beta_1"],
        beta_2=_landscapes.KERAS_DEFAULTS["beta_2"],
        steps=200,
        start=None,
        noise=0.0,
        seed=0,
        figsize=(7.6, 4.2),
        dpi=100,
    ):
        import ipywidgets as widgets

        self._widgets = widgets
        self.seed = seed
        self.figsize, self.dpi = figsize, dpi  # the figure's size: inches, CSS pixels per inch
        self._hold = 0
        self._syncing_common = False
        self._redraw_pending = False
        self._last_redraw = 0.0
        self._figure = None
        self._drawn_landscape = None
        self._tuned_cache = {}
        self.result = None
        first = _landscapes.get(landscape)
        start = first.start if start is None else start

        # Every label in full: descriptions get the room they need, controls fill their column.
        row = widgets.Layout(width="100%", max_width="440px")
        labelled = {"style": {"description_width": "8.5em"}, "layout": row}
        log_slider = dict(
            base=10, min=-4, max=1, step=0.05, readout_format=".3g", continuous_update=True
        )
        self.landscape_widget = widgets.Dropdown(
            options=_landscapes.names(), value=first.name, description="landscape", **labelled
        )
        self.optimizer_checkboxes = {
            name: widgets.Checkbox(
                value=name in optimizers,
                description=name,
                indent=False,
                layout=widgets.Layout(width="8.5em", flex="0 0 auto"),
            )
            for name in OPTIMIZER_NAMES
        }
        rates = dict.fromkeys(OPTIMIZER_NAMES, learning_rate)
        rates.update(learning_rates or {})
        self.lr_sliders = {
            name: widgets.FloatLogSlider(
                value=rates[name],
                description="",
                layout=widgets.Layout(flex="1 1 auto", width="auto"),
                **log_slider,
            )
            for name in OPTIMIZER_NAMES
        }
        self.common_lr_slider = widgets.FloatLogSlider(
            value=learning_rate, description="all learning rates", **log_slider, **labelled
        )
        # Shown instead of the common slider's number while the optimizers' rates differ.
        self.common_lr_note = widgets.HTML(layout=widgets.Layout(margin="0 0 0 8.5em"))
        self.tune_button = widgets.Button(
            description="tuned learning rates",
            icon="magic",
            tooltip="Set each optimizer's learning rate to its best on this landscape "
            "(fewest steps to tolerance on a log grid)",
            layout=widgets.Layout(width="auto"),
        )
        self.momentum_slider = widgets.FloatSlider(
            value=momentum, min=0.0, max=0.99, step=0.01, description="momentum", **labelled
        )
        self.rho_slider = widgets.FloatSlider(
            value=rho,
            min=0.5,
            max=0.999,
            step=0.001,
            description="RMSprop ρ",
            readout_format=".3f",
            **labelled,
        )
        self.beta1_slider = widgets.FloatSlider(
            value=beta_1, min=0.0, max=0.99, step=0.01, description="Adam β₁", **labelled
        )
        self.beta2_slider = widgets.FloatSlider(
            value=beta_2,
            min=0.9,
            max=0.9999,
            step=0.0001,
            description="Adam β₂",
            readout_format=".4f",
            **labelled,
        )
        self.steps_slider = widgets.IntSlider(
            value=steps, min=10, max=1000, step=10, description="steps", **labelled
        )
        (x0, x1), (y0, y1) = first.domain
        self.start_x_slider = widgets.FloatSlider(
            value=start[0], min=x0, max=x1, step=0.01, description="start x", **labelled
        )
        self.start_y_slider = widgets.FloatSlider(
            value=start[1],
            min=y0,
            max=y1,
            step=0.001,
            description="start y",
            readout_format=".3f",
            **labelled,
        )
        self.noise_slider = widgets.FloatSlider(
            value=noise, min=0.0, max=2.0, step=0.01, description="gradient noise", **labelled
        )
        # Declared at the figure's size (the `width` attribute), drawn narrower if its column is.
        width = round(figsize[0] * dpi)
        self.image = widgets.Image(
            format="png", width=str(width), layout=widgets.Layout(width="100%", height="auto")
        )
        self.legend_html = widgets.HTML(layout=widgets.Layout(width="100%"))
        # Names for the page's CSS and for the browser tests (e2e/explorer_ui.py).
        self.image.add_class("course-explorer-plot")
        self.legend_html.add_class("course-explorer-legend")

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
        self._redraw_pending = False
        self.result = self.compute()
        self._draw(self.result)
        self._show_common_rate()
        self._last_redraw = time.monotonic()
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
        if self._hold:
            return
        if _from_browser(change):
            self._request_redraw()
        else:
            self.update()

    def _request_redraw(self):
        """Redraw soon with the latest values: at once after a pause, else when
        MIN_REDRAW_SECONDS have passed since the last redraw. Changes that arrive meanwhile
        join the pending redraw."""
        if self._redraw_pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python): nothing to wait for
            self.update()
            return
        self._redraw_pending = True
        wait = self._last_redraw + MIN_REDRAW_SECONDS - time.monotonic()
        loop.call_later(max(wait, 0.0), self._redraw_if_pending)

    def _redraw_if_pending(self):
        if self._redraw_pending:
            self.update()

    def _on_common_lr(self, change):
        if self._syncing_common:
            return
        rates = dict.fromkeys(OPTIMIZER_NAMES, change["new"])
        if _from_browser(change):
            with self._hold_quietly():
                for name, rate in rates.items():
                    self.lr_sliders[name].value = rate
            self._request_redraw()
        else:
            self.set_learning_rates(rates)

    @contextmanager
    def _hold_quietly(self):
        """Change controls without any update (the caller redraws)."""
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1

    def _show_common_rate(self):
        """The common slider shows the rate in use: the ticked optimizers' rate when they share
        one, else no number and a note saying that each has its own."""
        rates = {round(rate, 12) for rate in self.learning_rates.values()}
        self._syncing_common = True
        try:
            if len(rates) == 1:
                rate = rates.pop()
                # Only a real difference is sent: re-sending the rate being drawn while the
                # handle is dragged on would pull it back to an older position.
                if not math.isclose(self.common_lr_slider.value, rate, rel_tol=1e-9):
                    self.common_lr_slider.value = rate
                self.common_lr_slider.readout = True
                self.common_lr_note.value = ""
            else:
                self.common_lr_slider.readout = False
                self.common_lr_note.value = (
                    "<i>each optimizer has its own rate (above); move this slider to set "
                    "them all</i>"
                )
        finally:
            self._syncing_common = False

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
        from matplotlib.lines import Line2D
        from matplotlib.ticker import LogLocator, NullFormatter

        with _figure_style():
            figure = Figure(figsize=self.figsize, dpi=self.dpi * PIXEL_RATIO, layout="constrained")
            FigureCanvasAgg(figure)
            ax_path, ax_loss = figure.subplots(1, 2, width_ratios=[1.1, 1])
            self._lines = {}
            for name in OPTIMIZER_NAMES:
                color = COLORS[name]
                (path_line,) = ax_path.plot([], [], "-o", color=color, lw=1.6, ms=2.5)
                (loss_line,) = ax_loss.plot([], [], "-", color=color, lw=1.8)
                self._lines[name] = (path_line, loss_line)
            (self._start_marker,) = ax_path.plot([], [], "ko", ms=7, zorder=5)
            (self._minima_marker,) = ax_path.plot([], [], "w*", mec="k", ms=14, zorder=5)
            self._tolerance_line = ax_loss.axhline(1e-4, color="gray", ls="--", lw=1)
            self._tolerance_label = ax_loss.text(
                0.98,
                1e-4,
                "tolerance",
                color="gray",
                ha="right",
                va="bottom",
                transform=ax_loss.get_yaxis_transform(),
            )
            ax_path.set_xlabel("x")
            ax_path.set_ylabel("y")
            ax_loss.set_xlabel("step")
            ax_loss.set_ylabel("f − f_min")
            ax_loss.set_yscale("log")
            ax_loss.yaxis.set_major_locator(LogLocator(numticks=5))
            ax_loss.yaxis.set_minor_formatter(NullFormatter())
            ax_loss.set_title("loss gap (log scale)")
            ax_loss.grid(True, which="major", alpha=0.3)
        # Legend entries for the markers, drawn with the optimizers' in the figure's legend.
        self._marker_handles = [
            Line2D([], [], color="k", marker="o", ls="", ms=7, label="start"),
            Line2D([], [], color="w", marker="*", mec="k", ls="", ms=14, label="minimum"),
        ]
        # Everything that moves when a slider moves is "animated": drawn over a saved
        # background instead of with the (slow to lay out) axes, ticks and contours.
        for artist in (
            *[line for pair in self._lines.values() for line in pair],
            self._start_marker,
        ):
            artist.set_animated(True)
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
        with _figure_style():
            ax.set_title(f"{landscape.name}: f = {landscape.title}")
        minima = np.array(landscape.minima)
        self._minima_marker.set_data(minima[:, 0], minima[:, 1])
        self._tolerance_line.set_ydata([landscape.tolerance, landscape.tolerance])
        self._tolerance_label.set_y(landscape.tolerance)
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
        first = next(iter(result.trajectories.values()), None)
        self._start_marker.set_visible(first is not None)
        if first is not None:
            self._start_marker.set_data([first.path[0, 0]], [first.path[0, 1]])
        # The figure's legend names the optimizers, above the plots where it covers no curve
        # (it is part of the cached background); the numbers, which change with every
        # slider, go to `legend_html` below the image.
        key = (landscape.name, steps, tuple(result.trajectories))
        if key == self._background_key:
            return False
        if self._legend is not None:
            self._legend.remove()
        handles = [self._lines[name][1] for name in result.trajectories]
        with _figure_style():
            self._legend = self._figure.legend(
                [*handles, *self._marker_handles],
                [*result.trajectories, *(handle.get_label() for handle in self._marker_handles)],
                loc="outside upper center",
                ncols=4,
                frameon=False,
                handlelength=1.2,
                columnspacing=1.0,
            )
        self._background_key = key
        return True

    def _render_png(self, full=False):
        """Draw (the background only when `full`), then encode the canvas as PNG bytes."""
        from PIL import Image

        canvas = self._figure.canvas
        if full or self._background is None:
            canvas.draw()  # lays the figure out; animated artists are left out of this
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
        image.convert("RGB").save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def _draw(self, result):
        full = self._update_artists(result)
        self.image.value = self._render_png(full)
        rows = "".join(
            f"<div style='color:{COLORS[name]}'>{html.escape(line)}</div>"
            for name, line in zip(result.trajectories, result.legend)
        )
        self.legend_html.value = (
            "<div style='display:grid;grid-template-columns:repeat(auto-fill,minmax(19em,1fr));"
            f"column-gap:1em;line-height:1.25'>{rows}</div>"
        )

    def static_figure(self):
        """A pyplot figure of the current state, for viewers where widgets cannot run."""
        import matplotlib.pyplot as plt

        with _figure_style():
            figure, (ax_path, ax_loss) = plt.subplots(
                1, 2, figsize=(9.6, 4.2), layout="constrained", width_ratios=[1.1, 1]
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
            ax_loss.set(xlabel="step", ylabel="f − f_min", title="loss gap (log scale)")
            figure.legend(
                *ax_loss.get_legend_handles_labels(),
                loc="outside lower center",
                ncols=2,
                frameon=False,
            )
        return figure

    # --- display ---------------------------------------------------------------------------

    @property
    def widget(self):
        """The whole explorer as one ipywidgets box: plot and legend beside the controls (two
        tabs), wrapping below each other on a narrow screen."""
        if self._widget is None:
            w = self._widgets
            rows = [
                w.HBox(
                    [self.optimizer_checkboxes[name], self.lr_sliders[name]],
                    layout=w.Layout(width="100%", max_width="440px"),
                )
                for name in OPTIMIZER_NAMES
            ]
            rates = w.VBox(
                [
                    self.landscape_widget,
                    *rows,
                    self.common_lr_slider,
                    self.common_lr_note,
                    self.tune_button,
                ]
            )
            settings = w.VBox(
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
            controls = w.Tab(
                [rates, settings],
                titles=["learning rates", "other settings"],
                layout=w.Layout(flex="1 1 22em", max_width="460px", min_width="0"),
            )
            width = round(self.figsize[0] * self.dpi)
            plot = w.VBox(
                [self.image, self.legend_html],
                layout=w.Layout(flex="1 1 560px", max_width=f"{width}px", min_width="0"),
            )
            self._widget = w.Box(
                [plot, controls],
                _dom_classes=["course-explorer"],
                layout=w.Layout(
                    display="flex",
                    flex_flow="row wrap",
                    align_items="flex-start",
                    width="100%",
                    grid_gap="0.5em 1.5em",
                ),
            )
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The widget, plus a PNG (shown at the figure's size) and text that viewers without
        widgets show instead."""
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle)
        bundle["image/png"] = base64.b64encode(_small_png(self.image.value)).decode("ascii")
        size = {
            "width": round(self.figsize[0] * self.dpi),
            "height": round(self.figsize[1] * self.dpi),
        }
        bundle["text/plain"] = "\n".join(
            [
                f"OptimizerExplorer on {self.result.landscape} (run the notebook for the widget)",
                *self.result.legend,
            ]
        )
        return bundle, {"image/png": size}

    def __repr__(self):
        return f"<OptimizerExplorer {self.result.landscape}: {', '.join(self.selected)}>"


def _small_png(data):
    """The same PNG in 256 colours: about a third of the bytes, for notebooks to store."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.open(io.BytesIO(data)).convert("RGB").quantize(256).save(buffer, "png", optimize=True)
    return buffer.getvalue()


def _from_browser(change):
    """Whether a widget's value change came from the browser (a person moving a control), not
    from code. ipywidgets marks the values it is receiving from the front end, while it sets
    them, in the widget's `_property_lock`."""
    return change["name"] in getattr(change["owner"], "_property_lock", {})


@contextmanager
def _figure_style():
    """The explorer's text sizes, whatever the notebook's matplotlib settings."""
    import matplotlib

    with matplotlib.rc_context(
        {
            "font.size": FONT_SIZE,
            "axes.titlesize": FONT_SIZE,
            "axes.labelsize": FONT_SIZE,
            "xtick.labelsize": FONT_SIZE,
            "ytick.labelsize": FONT_SIZE,
            "legend.fontsize": FONT_SIZE,
        }
    ):
        yield
