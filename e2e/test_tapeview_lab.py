"""The tape stepper reacts in JupyterLab: press "next" and the walk moves one record back.

After notebook 02 has run, the test presses the stepper's buttons with the mouse; each press
must change the heading, the picture and the numbers shown, with no error in a cell, in the
page or in the kernel's log (widget callbacks that fail are reported there).
"""

from lab import CELL_REPORT, notebook_page, problems, run_all

from conftest import screenshot, server_tracebacks, uncaught_errors

NOTEBOOK = "02_first_network.ipynb"


def stepper_state(box):
    """(picture, all the text) of the stepper's element."""
    return box.query_selector("img").get_attribute("src"), box.inner_text()


def press(page, box, label, then_shows):
    """Click the stepper's button `label`, then wait until the stepper shows `then_shows`."""
    box.query_selector(f"button:has-text('{label}')").click()
    page.wait_for_function("([box, text]) => box.innerText.includes(text)", arg=[box, then_shows])


def test_the_stepper_walks_the_backward_pass_in_jupyterlab(context, lab_server):
    with notebook_page(context, lab_server, NOTEBOOK) as (page, errors):
        cells = run_all(page)
        assert not problems(cells), problems(cells)
        log_start = lab_server.log_path.stat().st_size

        found = page.locator(".widget-vbox", has_text="start of the backward walk").first
        found.wait_for(timeout=60_000)
        found.scroll_into_view_if_needed()
        box = found.element_handle()  # the same element, whatever text it shows later
        picture, text = stepper_state(box)
        assert "starts at" in text and "layer2/sigmoid" in text
        assert box.query_selector("button:has-text('back')").is_disabled()
        screenshot(page, "tapeview-lab-0-start")

        press(page, box, "next", "step 1 of 3: layer2 (Dense)")
        # The picture, with the record highlighted, arrives as a message of its own.
        page.wait_for_function(
            "([box, old]) => box.querySelector('img').src !== old", arg=[box, picture]
        )
        text = stepper_state(box)[1]
        assert "dL/d kernel" in text and "its input" in text
        screenshot(page, "tapeview-lab-1-layer2")

        press(page, box, "next", "step 2 of 3: layer1/tanh")
        press(page, box, "next", "step 3 of 3: layer1 (Dense)")
        assert box.query_selector("button:has-text('next')").is_disabled()
        assert "no dL/d input" in stepper_state(box)[1]
        press(page, box, "back", "step 2 of 3: layer1/tanh")
        cells = page.evaluate(CELL_REPORT)
    assert not problems(cells), problems(cells)
    kernel_log = lab_server.log_path.read_text(errors="replace")[log_start:]
    assert not server_tracebacks(kernel_log), server_tracebacks(kernel_log)
    assert not uncaught_errors(errors), uncaught_errors(errors)
