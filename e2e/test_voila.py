"""The standalone explorer app (`make explorer`): Voilà shows the widget alone, and it reacts.

The page must show the explorer's controls as widgets and no code at all; dragging the learning
rate and switching the landscape must change the legend and the plot; nothing may be fetched from
anywhere but the local server, and the server log must hold no traceback. The plot is sharp (as
many image pixels as screen pixels, or more) on a 1x and a 2x screen; plot, legend and controls
fit a 1280 x 720 window side by side and a 390 x 844 phone stacked; a drag is measured: how often
the plot follows and how long after the last move the plot shows the final rate.
"""

import json
import statistics

import pytest
from explorer_ui import ExplorerView

from conftest import (
    EXPLORER_MODULE,
    ROOT,
    PageErrors,
    screenshot,
    server_tracebacks,
    uncaught_errors,
)

APP = ROOT / "apps" / "explorer.ipynb"
# Voilà's lab template links Font Awesome's stylesheet from jsdelivr in every page (icons only,
# such as the wand on "tuned learning rates"); with no network the icon is missing and nothing
# else changes. Everything else must come from the local server.
KNOWN_CDN = ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@",)


@pytest.mark.skipif(not EXPLORER_MODULE.is_file(), reason="dlcourse.explorer does not exist yet")
def test_voila_app_shows_only_the_explorer_and_reacts(context, voila_server):
    outside = []  # the app must work with no network: only the loopback server may be asked

    def route(route):
        if route.request.url.startswith(voila_server.url):
            route.continue_()
        else:
            if not route.request.url.startswith(KNOWN_CDN):
                outside.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", route)
    page = context.new_page()
    errors = PageErrors(page, ignore=KNOWN_CDN)
    page.goto(f"{voila_server.url}/", wait_until="domcontentloaded", timeout=120_000)
    view = ExplorerView(page)
    view.wait_rendered(timeout=120_000)  # Voilà runs the notebook before showing it
    screenshot(page, "voila-0-loaded")

    code = page.locator(".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor").filter(
        visible=True
    )
    assert code.count() == 0, f"code is visible in the app: {code.all_inner_texts()}"
    text = page.locator("body").inner_text()
    assert "import" not in text and "OptimizerExplorer(" not in text, "code is visible in the app"

    before = view.state()
    readout = view.drag_learning_rate()
    after_drag = view.wait_change(before)
    screenshot(page, "voila-1-after-drag")

    landscape = view.switch_landscape()
    view.wait_change(after_drag)
    screenshot(page, "voila-2-landscape")

    assert not outside, f"the app asked for resources off the machine: {outside}"
    log = voila_server.log_path.read_text(errors="replace")
    assert not server_tracebacks(log), server_tracebacks(log)
    assert not uncaught_errors(errors), uncaught_errors(errors)
    print(f"learning rate {readout}, landscape {landscape}")


def open_app(browser, voila_server, width, height, scale=1):
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=scale
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{voila_server.url}/", wait_until="domcontentloaded", timeout=120_000)
    view = ExplorerView(page)
    view.wait_rendered(timeout=120_000)
    page.wait_for_timeout(500)  # let the layout settle
    return context, page, view


@pytest.mark.parametrize("scale", [1, 2])
def test_explorer_is_sharp_and_fits_1280x720(browser, voila_server, scale):
    context, page, view = open_app(browser, voila_server, 1280, 720, scale)
    try:
        pixels, shown, ratio = view.sharpness()
        assert pixels >= shown * ratio, f"{pixels} image pixels for {shown} x {ratio} screen pixels"
        boxes = view.boxes()
        screenshot(page, f"voila-1280x720-{scale}x")
        for name in ("plot", "legend"):
            assert boxes[name]["bottom"] <= 720 and boxes[name]["right"] <= 1280, (name, boxes)
        assert all(box["bottom"] <= 720 and box["right"] <= 1280 for box in boxes["controls"])
        assert boxes["controls"][0]["left"] >= boxes["plot"]["right"], "controls not beside"
        assert boxes["page"] <= 1280, "the page scrolls sideways"
        assert not boxes["cut"], f"labels cut short: {boxes['cut']}"
    finally:
        context.close()


def test_explorer_wraps_on_a_phone(browser, voila_server):
    context, page, view = open_app(browser, voila_server, 390, 844, scale=3)
    try:
        pixels, shown, ratio = view.sharpness()
        assert pixels >= shown * ratio, f"{pixels} image pixels for {shown} x {ratio} screen pixels"
        boxes = view.boxes()
        screenshot(page, "voila-390x844")
        assert boxes["page"] <= 390, f"the page is {boxes['page']} px wide: it scrolls sideways"
        assert boxes["plot"]["right"] <= 390 and boxes["legend"]["top"] >= boxes["plot"]["bottom"]
        assert all(box["right"] <= 390 and box["left"] >= 0 for box in boxes["controls"])
        assert min(box["top"] for box in boxes["controls"]) >= boxes["plot"]["bottom"]
        assert not boxes["cut"], f"labels cut short: {boxes['cut']}"
    finally:
        context.close()


RECORD = """() => {
    const box = document.querySelector('.course-explorer');
    const image = box.querySelector('img.course-explorer-plot');
    const legend = box.querySelector('.course-explorer-legend');
    const slider = [...box.querySelectorAll('.widget-slider')]
        .find((s) => s.textContent.includes('all learning rates'));
    const readout = slider.querySelector('.widget-readout');
    window.courseLog = {moves: [], frames: []};
    // One redraw sets the image, then the legend: a frame is complete when the legend changes.
    new MutationObserver(() => {
        const lr = (legend.innerText.match(/lr ([0-9.e+-]+)/) || [])[1];
        window.courseLog.frames.push([performance.now(), lr, image.src.length]);
    }).observe(legend, {childList: true, subtree: true, characterData: true});
    new MutationObserver(() => {
        window.courseLog.moves.push([performance.now(), readout.textContent.trim()]);
    }).observe(readout, {characterData: true, childList: true, subtree: true});
}"""


def drag_log(page, view, moves=40, seconds=2.0):
    """Drag the common learning-rate handle across its track in `moves` steps over `seconds`;
    return the page's log of readout changes and plot frames (times in ms)."""
    page.evaluate(RECORD)
    track = view.slider.locator(".noUi-target, .slider").first
    handle = view.slider.locator(".noUi-handle").first
    box, grip = track.bounding_box(), handle.bounding_box()
    y = grip["y"] + grip["height"] / 2
    start, end = grip["x"] + grip["width"] / 2, box["x"] + box["width"] * 0.15
    page.mouse.move(start, y)
    page.mouse.down()
    for step in range(1, moves + 1):
        page.mouse.move(start + (end - start) * step / moves, y)
        page.wait_for_timeout(1000 * seconds / moves)
    page.mouse.up()
    final = view.slider.locator(".widget-readout").inner_text().strip()
    page.wait_for_function(
        "(final) => window.courseLog.frames.some(([, lr]) => Number(lr) === Number(final))",
        arg=final,
        timeout=30_000,
    )
    page.wait_for_timeout(500)
    return page.evaluate("() => window.courseLog"), final


def test_a_drag_is_followed_and_ends_on_the_final_rate(browser, voila_server):
    context, page, view = open_app(browser, voila_server, 1280, 720)
    try:
        log, final = drag_log(page, view)
    finally:
        context.close()
    moves, frames = log["moves"], log["frames"]
    last_move = max(time for time, _ in moves)
    first_move = min(time for time, _ in moves)
    during = [time for time, _, _ in frames if first_move <= time <= last_move]
    gaps = [b - a for a, b in zip(during, during[1:])]
    settled = min(time for time, lr, _ in frames if lr and float(lr) == float(final))
    numbers = {
        "moves": len(moves),
        "frames during the drag": len(during),
        "median ms between frames": round(statistics.median(gaps)) if gaps else None,
        "ms from the last move to the final frame": round(settled - last_move),
    }
    print("explorer drag in Voila:", json.dumps(numbers))
    assert len(during) >= 3, f"the plot hardly followed the drag: {numbers}"
    assert len(frames) < len(moves), f"every move redrawn, not throttled: {numbers}"
    assert settled - last_move < 3000, f"the final rate took too long: {numbers}"
