"""Notebooks run clean in a real JupyterLab: all cells executed, no error, no stderr.

nbval (in `make test`) runs every notebook in a kernel without a front end, six times in CI;
this runs them the way a learner does, in JupyterLab in a browser, through the menu's "Run All
Cells", after clearing the committed outputs so that each execution count seen is a fresh one.
It takes the notebooks whose outputs need the front end (ipywidgets: the tape stepper in 02, the
explorer in 05b) and the first one a learner opens; `E2E_LAB_NOTEBOOKS=all` takes every notebook.
"""

import json
import os

import pytest
from lab import notebook_page, problems, run_all

from conftest import course_notebooks, screenshot, uncaught_errors

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def needs_the_front_end(notebook):
    """The first notebook, and any notebook with a widget among its committed outputs."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    outputs = [output for cell in cells for output in cell.get("outputs", [])]
    return notebook.stem.startswith("00_") or any(WIDGET_VIEW in o.get("data", {}) for o in outputs)


def lab_notebooks():
    every = course_notebooks()
    if os.environ.get("E2E_LAB_NOTEBOOKS") == "all":
        return every
    return [notebook for notebook in every if needs_the_front_end(notebook)]


@pytest.mark.parametrize("notebook", lab_notebooks(), ids=lambda path: path.stem)
def test_notebook_runs_clean_in_jupyterlab(context, lab_server, notebook):
    with notebook_page(context, lab_server, notebook.name) as (page, errors):
        cells = run_all(page)
        screenshot(page, f"lab-{notebook.stem}")
    assert cells, "no code cells found"
    found = problems(cells)
    assert not found, "\n".join(found)
    assert not uncaught_errors(errors), uncaught_errors(errors)
