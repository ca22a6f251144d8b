"""The optimizer explorer driven from code, as a learner's slider moves would drive it."""

import base64
import io
import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from dlcourse import explorer as explorer_module  # noqa: E402
from dlcourse import landscapes  # noqa: E402
from dlcourse.explorer import ExplorerResult, OptimizerExplorer  # noqa: E402
from dlcourse.landscapes import OPTIMIZER_NAMES  # noqa: E402


@pytest.fixture
def explorer():
    return OptimizerExplorer(
        "bowl", optimizers=("SGD", "Momentum", "Adam"), learning_rate=0.1, steps=100
    )


def test_importing_dlcourse_does_not_import_widgets_or_matplotlib():
    import subprocess

    code = (
        "import sys, dlcourse, dlcourse.explorer, dlcourse.landscapes; "
        "print('ipywidgets' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_compute_returns_paths_and_legend_for_the_ticked_optimizers(explorer):
    result = explorer.compute()
    assert isinstance(result, ExplorerResult)
    assert list(result.paths) == ["SGD", "Momentum", "Adam"]
    assert all(path.shape == (101, 2) for path in result.paths.values())
    assert result.legend[0].startswith("SGD (lr 0.1): loss ")
    # The same numbers as the library run on its own.
    alone = landscapes.compare("bowl", {"Adam": 0.1}, steps=100)["Adam"]
    np.testing.assert_array_equal(result.paths["Adam"], alone.path)


def test_moving_a_learning_rate_slider_recomputes_and_changes_the_legend(explorer):
    before = explorer.result
    explorer.lr_sliders["Adam"].value = 0.5
    after = explorer.result
    assert after is not before
    assert not np.array_equal(after.paths["Adam"], before.paths["Adam"])
    np.testing.assert_array_equal(after.paths["SGD"], before.paths["SGD"])
    assert after.legend[2].startswith("Adam (lr 0.5)") and after.legend[2] != before.legend[2]
    assert "Adam (lr 0.5)" in explorer.legend_html.value


def test_the_plot_is_updated_in_place(explorer):
    path_line, loss_line = explorer._lines["Adam"]
    contours = list(explorer._contours)
    explorer.momentum_slider.value = 0.5
    explorer.lr_sliders["Adam"].value = 0.3
    assert explorer._lines["Adam"] == (path_line, loss_line)  # same Line2D objects
    assert explorer._contours == contours  # contours not redrawn
    np.testing.assert_array_equal(path_line.get_xdata(), explorer.result.paths["Adam"][:, 0])
    assert explorer.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    explorer.landscape_widget.value = "himmelblau"  # now they are
    assert explorer._contours != contours
    assert explorer._lines["Adam"] == (path_line, loss_line)
    assert explorer._ax_path.get_xlim() == (-5.0, 5.0)


def test_ticking_and_unticking_optimizers(explorer):
    explorer.optimizer_checkboxes["Nesterov"].value = True
    explorer.optimizer_checkboxes["SGD"].value = False
    assert list(explorer.result.paths) == ["Momentum", "Nesterov", "Adam"]
    assert not explorer._lines["SGD"][0].get_visible()
    assert explorer._lines["Nesterov"][0].get_visible()


def test_momentum_beta_steps_noise_and_start_all_take_effect(explorer):
    base = explorer.result.paths
    explorer.momentum_slider.value = 0.5
    assert not np.array_equal(explorer.result.paths["Momentum"], base["Momentum"])
    np.testing.assert_array_equal(explorer.result.paths["Adam"], base["Adam"])
    explorer.beta1_slider.value = 0.5
    assert not np.array_equal(explorer.result.paths["Adam"], base["Adam"])
    explorer.steps_slider.value = 50
    assert explorer.result.paths["SGD"].shape == (51, 2)
    explorer.start_x_slider.value = 5.0
    assert tuple(explorer.result.paths["SGD"][0]) == (5.0, 2.0)
    quiet = explorer.result.paths["SGD"]
    explorer.noise_slider.value = 0.5
    assert not np.array_equal(explorer.result.paths["SGD"], quiet)


def test_changing_the_landscape_moves_the_start_to_its_default(explorer):
    explorer.landscape_widget.value = "rosenbrock"
    assert explorer.result.landscape == "rosenbrock"
    assert tuple(explorer.result.paths["SGD"][0]) == landscapes.get("rosenbrock").start
    assert (explorer.start_y_slider.min, explorer.start_y_slider.max) == (-1.0, 3.0)


def test_common_learning_rate_sets_every_slider_with_one_update(explorer, monkeypatch):
    calls = []
    original = explorer.update
    monkeypatch.setattr(explorer, "update", lambda: calls.append(1) or original())
    explorer.common_lr_slider.value = 0.02
    assert len(calls) == 1
    assert all(slider.value == pytest.approx(0.02) for slider in explorer.lr_sliders.values())
    assert all(
        walk.learning_rate == pytest.approx(0.02) for walk in explorer.result.trajectories.values()
    )


def test_tuned_button_sets_the_sweep_winners(explorer):
    explorer.tune_button.click()
    expected = landscapes.learning_rate_sweep("bowl", ["SGD", "Momentum", "Adam"], steps=100)
    for name, result in expected.items():
        assert explorer.lr_sliders[name].value == pytest.approx(result.best_learning_rate)
        assert explorer.result.trajectories[name].steps_to_tolerance == result.best_steps
    assert explorer.tuned_learning_rates() == {n: r.best_learning_rate for n, r in expected.items()}


def test_static_figure_draws_every_trajectory_with_its_numbers(explorer):
    import matplotlib.pyplot as plt

    figure = explorer.static_figure()
    try:
        ax_path, ax_loss = figure.axes
        assert len(ax_path.get_lines()) == 3 + 1  # paths + minima
        labels = [text.get_text() for text in figure.legends[0].get_texts()]
        assert labels == explorer.result.legend
        assert ax_path.get_xlabel() == "x" and ax_loss.get_xlabel() == "step"
    finally:
        plt.close(figure)


def test_mimebundle_offers_widget_png_and_text(explorer):
    bundle, metadata = explorer._repr_mimebundle_()
    assert metadata == {"image/png": {"width": 760, "height": 420}}  # the figure's size
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"  # notebooks store base64
    assert "SGD (lr 0.1)" in bundle["text/plain"]


def test_all_six_optimizers_by_default():
    explorer = OptimizerExplorer(steps=20)
    assert list(explorer.result.paths) == list(OPTIMIZER_NAMES)
    assert len(explorer.result.legend) == 6


def test_the_sliders_start_at_keras_defaults_read_from_the_optimizers(explorer):
    from dlcourse.optimizers import Adam, RMSprop

    assert explorer.rho_slider.value == RMSprop().rho
    assert (explorer.beta1_slider.value, explorer.beta2_slider.value) == (
        Adam().beta_1,
        Adam().beta_2,
    )
    assert explorer.momentum_slider.value == landscapes.make_optimizer("Momentum").momentum


def test_image_has_twice_the_pixels_of_the_size_it_is_shown_at(explorer):
    from PIL import Image

    from dlcourse.explorer import PIXEL_RATIO

    image = Image.open(io.BytesIO(explorer.image.value))
    width, height = explorer.figsize[0] * explorer.dpi, explorer.figsize[1] * explorer.dpi
    assert image.size == (round(width * PIXEL_RATIO), round(height * PIXEL_RATIO))
    assert explorer.image.width == f"{round(width)}"  # the size it is drawn for
    assert explorer.widget.children[0].layout.max_width == f"{round(width)}px"  # never wider


def test_legend_is_inside_the_figure_and_covers_no_plot(explorer):
    figure = explorer._figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legend = figure.legends[0].get_window_extent(renderer)
    assert figure.bbox.contains(legend.x0, legend.y0) and figure.bbox.contains(legend.x1, legend.y1)
    for ax in (explorer._ax_path, explorer._ax_loss):
        assert not legend.overlaps(ax.get_window_extent(renderer))
    labels = [text.get_text() for text in figure.legends[0].get_texts()]
    assert labels == ["SGD", "Momentum", "Adam", "start", "minimum"]
    for ax in (explorer._ax_path, explorer._ax_loss):  # tick labels inside the image too
        for label in ax.get_xticklabels() + ax.get_yticklabels():
            if label.get_visible() and label.get_text():
                box = label.get_window_extent(renderer)
                assert figure.bbox.x0 <= box.x0 and box.x1 <= figure.bbox.x1, label.get_text()


def test_common_slider_shows_the_rate_in_use(explorer):
    explorer.tune_button.click()
    assert len(set(explorer.learning_rates.values())) > 1
    assert explorer.common_lr_slider.readout is False  # no single number to show
    assert "each optimizer has its own rate" in explorer.common_lr_note.value
    explorer.common_lr_slider.value = 0.05
    assert explorer.common_lr_slider.readout is True and explorer.common_lr_note.value == ""
    assert all(rate == pytest.approx(0.05) for rate in explorer.learning_rates.values())
    explorer.set_learning_rates({"SGD": 0.2, "Momentum": 0.2, "Adam": 0.2})
    assert explorer.common_lr_slider.value == pytest.approx(0.2)  # follows a shared rate
    assert explorer.common_lr_slider.readout is True


def browser_sets(widget, value):
    """Set a value the way ipywidgets does when it comes from the browser."""
    with widget._lock_property(value=value):
        widget.value = value


def test_browser_changes_during_a_drag_are_throttled(explorer, monkeypatch):
    import asyncio

    calls = []
    original = explorer.update
    monkeypatch.setattr(explorer, "update", lambda: calls.append(1) or original())
    slider = explorer.lr_sliders["Adam"]

    async def drag():
        pause = explorer_module.MIN_REDRAW_SECONDS
        await asyncio.sleep(pause)  # a pause since the explorer drew its first picture
        for value in np.geomspace(0.01, 0.4, 20):  # 20 positions within a few milliseconds
            browser_sets(slider, float(value))
        assert calls == []  # nothing drawn while the moves arrive ...
        await asyncio.sleep(pause / 10)
        drawn = [len(calls)]  # ... then one redraw, right away (the last one was long ago)
        browser_sets(slider, 0.5)  # the drag goes on
        await asyncio.sleep(pause / 4)
        drawn.append(len(calls))  # too soon after the last redraw: waiting
        await asyncio.sleep(pause * 1.5)
        drawn.append(len(calls))
        return drawn

    assert asyncio.run(drag()) == [1, 1, 2]
    assert explorer.result.trajectories["Adam"].learning_rate == pytest.approx(0.5)
    assert explorer.lr_sliders["Adam"].value == pytest.approx(0.5)


def test_code_changes_update_at_once_even_inside_an_event_loop(explorer):
    import asyncio

    async def set_from_code():
        explorer.lr_sliders["Adam"].value = 0.3
        return explorer.result.trajectories["Adam"].learning_rate

    assert asyncio.run(set_from_code()) == pytest.approx(0.3)


def test_browser_change_without_event_loop_updates_at_once(explorer):
    browser_sets(explorer.lr_sliders["SGD"], 0.02)
    assert explorer.result.trajectories["SGD"].learning_rate == pytest.approx(0.02)


def test_redraw_does_not_send_the_dragged_slider_back(explorer):
    """After a browser change of the common slider, the redraw leaves its value alone: sending
    a rounded copy back would pull the handle the person is dragging to an older position."""
    sent = []
    explorer.common_lr_slider.observe(lambda change: sent.append(change["new"]), names="value")
    browser_sets(explorer.common_lr_slider, 10**-1.1)  # a slider position, not a round number
    assert sent == [10**-1.1]  # the browser's own change, and no second one from the redraw
    assert explorer.result.trajectories["SGD"].learning_rate == pytest.approx(10**-1.1)
