"""Course-wide pytest plugin: which notebook outputs nbval compares, and how long each notebook
ran (each should run in well under a minute on a 2-core laptop).

Compared outputs (README, "How the notebooks are tested"). nbval compares every code cell's
output with the committed one, except in cells tagged (cell metadata "tags"):

- `varies-by-machine`: the output shows results of training (or anything else that another
  CPU's or NumPy's floating-point rounding changes). The cell runs and its asserts must hold;
  its printed numbers are not compared, since another OpenBLAS kernel trains to slightly
  different numbers. The claims it shows are carried by asserts.
- `depends-on-keras`: the committed output comes from a run with Keras installed. Compared
  where `keras` is importable (`make test-interop`), run but not compared where it is not.

Run time: nbval turns each notebook into one test item per cell; starting the kernel happens in the
first cell's setup and stopping it in the last cell's teardown. Summing the duration of every
phase (setup, call, teardown) of a notebook's items gives its whole run time, kernel included.

The sums are made where the reports arrive: in the only process without xdist, in the
controller with xdist (workers send it every report; `--dist loadscope` keeps each notebook in
one worker, so its cells never overlap in time). The summary names every notebook over
`--notebook-time-limit` (default 60 s) with its seconds. It reports and does not fail: wall
time depends on the machine and its load, and no test result may (speed is measured, not
tested).
"""

import collections
import importlib.util

import pytest

pytest_plugins = ["pytester"]  # tests/test_notebooks.py runs this plugin in a real session

DEFAULT_LIMIT_SECONDS = 60.0


def pytest_addoption(parser):
    parser.addoption(
        "--notebook-time-limit",
        type=float,
        default=DEFAULT_LIMIT_SECONDS,
        help="Name the notebooks whose nbval run takes longer (seconds, default 60).",
    )


def notebook_of(nodeid):
    """The notebook a test id belongs to ('notebooks/00_welcome.ipynb'), or None."""
    path = nodeid.split("::", 1)[0]
    return path if path.endswith(".ipynb") else None


def slow_notebooks(seconds_by_notebook, limit):
    """[(notebook, seconds)] of the notebooks over `limit`, slowest first."""
    slow = [(name, seconds) for name, seconds in seconds_by_notebook.items() if seconds > limit]
    return sorted(slow, key=lambda item: -item[1])


class NotebookTimer:
    """Adds up the duration of every reported phase of every notebook cell."""

    def __init__(self, limit):
        self.limit = limit
        self.seconds = collections.defaultdict(float)

    def pytest_runtest_logreport(self, report):
        notebook = notebook_of(report.nodeid)
        if notebook is not None:
            self.seconds[notebook] += report.duration

    def pytest_terminal_summary(self, terminalreporter):
        if not self.seconds:
            return
        too_slow = slow_notebooks(self.seconds, self.limit)
        if too_slow:
            terminalreporter.section("notebooks over the time limit", yellow=True, bold=True)
            for notebook, seconds in too_slow:
                terminalreporter.line(
                    f"SLOW {notebook} ran for {seconds:.1f} s, over {self.limit:g} s (on a busy "
                    "machine that may be the load; if not, use less data or fewer epochs)",
                    yellow=True,
                )
        else:
            slowest, seconds = max(self.seconds.items(), key=lambda item: item[1])
            terminalreporter.line(
                f"notebook run times: all {len(self.seconds)} under {self.limit:g} s "
                f"(slowest {slowest}: {seconds:.1f} s)"
            )


VARIES_BY_MACHINE = "varies-by-machine"
DEPENDS_ON_KERAS = "depends-on-keras"
COURSE_TAGS = (VARIES_BY_MACHINE, DEPENDS_ON_KERAS)


def keras_installed():
    return importlib.util.find_spec("keras") is not None


def output_is_compared(tags, with_keras):
    """Whether nbval compares the output of a cell with these tags with the committed one."""
    if VARIES_BY_MACHINE in tags:
        return False
    if DEPENDS_ON_KERAS in tags:
        return with_keras
    return True


def pytest_collection_modifyitems(items):
    with_keras = keras_installed()
    for item in items:
        cell = getattr(item, "cell", None)  # nbval's notebook cell items carry their cell
        if cell is not None and not output_is_compared(cell.metadata.get("tags", []), with_keras):
            item.options["check"] = False  # nbval's own switch: run the cell, compare nothing


OUTPUTS_DIFFER_HINT = (
    "The committed output of this cell did not come out. If it shows results of training, "
    "which another CPU's floating-point rounding changes, tag the cell `varies-by-machine` and "
    "back its claims with asserts (README, 'How the notebooks are tested'); otherwise re-run "
    "the notebook top to bottom and commit it."
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and getattr(item, "cell", None) is not None:
        if "Cell outputs differ" in str(report.longrepr):
            report.sections.append(("how to fix", OUTPUTS_DIFFER_HINT))


def pytest_configure(config):
    is_xdist_worker = hasattr(config, "workerinput")
    if not is_xdist_worker:
        config.pluginmanager.register(
            NotebookTimer(config.getoption("--notebook-time-limit")), "notebook-timer"
        )
