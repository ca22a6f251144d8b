"""Driving JupyterLab from the tests through its own command registry.

The Lab server runs with `expose_app_in_browser`, so the page has `window.jupyterapp`: the tests
execute the same commands as the menus (open, clear outputs, run all, start the deck) and read
the notebook's model for outputs and execution counts. Reading the model, not the DOM, sees every
cell even when JupyterLab renders only the visible part of a long notebook.
"""

import contextlib
from urllib.parse import quote

from conftest import PageErrors

KERNEL_READY = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await panel.context.ready;
    await panel.sessionContext.ready;
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""

CLEAR_AND_RUN_ALL = """async () => {
    const app = window.jupyterapp;
    await app.commands.execute('notebook:clear-all-cell-outputs');
    const model = app.shell.currentWidget.content.model;
    const stale = [];
    for (let i = 0; i < model.cells.length; i++) {
        const cell = model.cells.get(i);
        if (cell.type === 'code' && cell.executionCount !== null) stale.push(i);
    }
    if (stale.length) throw new Error('cells still numbered after clearing: ' + stale);
    await app.commands.execute('notebook:run-all-cells');
}"""

IDLE_AND_DONE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    if (!kernel || kernel.status !== 'idle') return false;
    // A cell still queued or running shows '*' as its prompt.
    return !panel.node.querySelector('.jp-InputPrompt')
        || ![...panel.node.querySelectorAll('.jp-InputPrompt')]
              .some((prompt) => prompt.textContent.includes('*'));
}"""

CELL_REPORT = """() => {
    const model = window.jupyterapp.shell.currentWidget.content.model;
    const cells = [];
    for (let i = 0; i < model.cells.length; i++) {
        const cell = model.cells.get(i);
        if (cell.type !== 'code') continue;
        cells.push({
            index: i,
            source: cell.sharedModel.getSource().slice(0, 80),
            executionCount: cell.executionCount,
            outputs: cell.outputs.toJSON(),
        });
    }
    return cells;
}"""

SHUTDOWN = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    if (panel && panel.sessionContext) await panel.sessionContext.shutdown();
}"""


def open_notebook(page, server, name):
    """Open `name` in JupyterLab (a fresh workspace) and wait for its kernel to be idle."""
    page.goto(f"{server.url}/lab/tree/{quote(name)}?reset&token={server.token}")
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.content"
        " && window.jupyterapp.shell.currentWidget.content.model",
        timeout=60_000,
    )
    page.wait_for_function(KERNEL_READY, timeout=60_000, polling=250)
    # A kernel just started may answer before the front end has drawn the cells.
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=30_000)


def run_all(page, timeout_ms=180_000):
    """Clear every output, run all cells, wait until the kernel is idle; return the cells."""
    page.evaluate(CLEAR_AND_RUN_ALL)
    page.wait_for_function(IDLE_AND_DONE, timeout=timeout_ms, polling=500)
    return page.evaluate(CELL_REPORT)


def problems(cells):
    """Human-readable problems: cells not executed, errors, anything written to stderr."""
    found = []
    for cell in cells:
        where = (
            f"cell {cell['index']} ({cell['source'].splitlines()[0] if cell['source'] else ''!r})"
        )
        if cell["executionCount"] is None:
            found.append(f"{where} was not executed")
        for output in cell["outputs"]:
            if output.get("output_type") == "error":
                found.append(f"{where} raised {output.get('ename')}: {output.get('evalue')}")
            elif output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = output.get("text")
                text = "".join(text) if isinstance(text, list) else text
                found.append(f"{where} wrote to stderr: {text.strip()[:300]}")
    return found


def shutdown_kernel(page):
    page.evaluate(SHUTDOWN)


@contextlib.contextmanager
def notebook_page(context, server, name):
    """A new page with notebook `name` open, and the PageErrors it records from the start;
    the notebook's kernel is shut down on leaving, also when a test fails inside."""
    page = context.new_page()
    errors = PageErrors(page)
    open_notebook(page, server, name)
    try:
        yield page, errors
    finally:
        shutdown_kernel(page)
