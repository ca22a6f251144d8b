"""The standalone explorer app (`make explorer`): Voilà shows the widget alone, and it reacts.

The page must show the explorer's controls as widgets and no code at all; dragging the learning
rate and switching the landscape must change the legend and the plot; nothing may be fetched from
anywhere but the local server, and the server log must hold no traceback.
"""

import pytest
from explorer_ui import ExplorerView

from conftest import EXPLORER_MODULE, ROOT, PageErrors, screenshot, uncaught_errors

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
    assert "Traceback" not in log, log[-3000:]
    assert not uncaught_errors(errors), uncaught_errors(errors)
    print(f"learning rate {readout}, landscape {landscape}")
