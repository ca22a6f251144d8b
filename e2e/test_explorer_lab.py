"""The optimizer explorer reacts in JupyterLab: drag the learning rate, switch the landscape.

After the notebook has run, the test drags the "all learning rates" slider with the mouse and
then picks another landscape; each time the legend's numbers and the plot image must change, no
cell may show an error or stderr, and the kernel may log no traceback (widget callbacks that
fail are reported there, not in a cell).
"""

import pytest
from explorer_ui import ExplorerView
from lab import CELL_REPORT, notebook_page, problems, run_all

from conftest import explorer_notebook, screenshot, server_tracebacks, uncaught_errors

NOTEBOOK = explorer_notebook()


@pytest.mark.skipif(NOTEBOOK is None, reason="no notebook shows the optimizer explorer yet")
def test_explorer_reacts_to_learning_rate_and_landscape(context, lab_server):
    with notebook_page(context, lab_server, NOTEBOOK.name) as (page, errors):
        cells = run_all(page)
        assert not problems(cells), problems(cells)
        log_start = lab_server.log_path.stat().st_size

        view = ExplorerView(page)
        view.wait_rendered()
        view.box.scroll_into_view_if_needed()
        start = view.state()
        screenshot(page, "explorer-lab-0-start")

        readout = view.drag_learning_rate()
        after_lr = view.wait_change(start)
        screenshot(page, "explorer-lab-1-learning-rate")

        landscape = view.switch_landscape()
        after_landscape = view.wait_change(after_lr)
        view.box.scroll_into_view_if_needed()
        screenshot(page, "explorer-lab-2-landscape")

        assert start[0] != after_lr[0] != after_landscape[0]
        cells = page.evaluate(CELL_REPORT)
    assert not problems(cells), problems(cells)
    kernel_log = lab_server.log_path.read_text(errors="replace")[log_start:]
    assert not server_tracebacks(kernel_log), server_tracebacks(kernel_log)
    assert not uncaught_errors(errors), uncaught_errors(errors)
    print(f"learning rate moved to {readout}, landscape {landscape}")
