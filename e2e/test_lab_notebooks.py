"""Every notebook runs clean in a real JupyterLab: all cells executed, no error, no stderr.

nbval (in `make test`) runs the notebooks in a kernel without a front end; this runs them the way
a learner does, in JupyterLab in a browser, through the menu's "Run All Cells", after clearing
the committed outputs so that each execution count seen is a fresh one.
"""

import pytest
from lab import notebook_page, problems, run_all

from conftest import course_notebooks, screenshot, uncaught_errors


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda path: path.stem)
def test_notebook_runs_clean_in_jupyterlab(context, lab_server, notebook):
    with notebook_page(context, lab_server, notebook.name) as (page, errors):
        cells = run_all(page)
        screenshot(page, f"lab-{notebook.stem}")
    assert cells, "no code cells found"
    found = problems(cells)
    assert not found, "\n".join(found)
    assert not uncaught_errors(errors), uncaught_errors(errors)
