"""Course-wide pytest plugin: every notebook must run in under a minute on a 2-core laptop.

nbval turns each notebook into one test item per cell; starting the kernel happens in the
first cell's setup and stopping it in the last cell's teardown. Summing the duration of every
phase (setup, call, teardown) of a notebook's items gives its whole run time, kernel included.

The sums are made where the reports arrive: in the only process without xdist, in the
controller with xdist (workers send it every report; `--dist loadscope` keeps each notebook in
one worker, so its cells never overlap in time). A notebook over the limit fails the session
with a line naming it and its seconds. The limit is `--notebook-time-limit` (default 60).
"""

import collections

import pytest

pytest_plugins = ["pytester"]  # tests/test_notebooks.py runs this plugin in a real session

DEFAULT_LIMIT_SECONDS = 60.0


def pytest_addoption(parser):
    parser.addoption(
        "--notebook-time-limit",
        type=float,
        default=DEFAULT_LIMIT_SECONDS,
        help="Fail the session when a notebook's nbval run takes longer (seconds, default 60).",
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
        self.too_slow = []

    def pytest_runtest_logreport(self, report):
        notebook = notebook_of(report.nodeid)
        if notebook is not None:
            self.seconds[notebook] += report.duration

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        self.too_slow = slow_notebooks(self.seconds, self.limit)
        if self.too_slow and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter):
        if not self.seconds:
            return
        if self.too_slow:
            terminalreporter.section("notebooks over the time limit", red=True, bold=True)
            for notebook, seconds in self.too_slow:
                terminalreporter.line(
                    f"FAILED {notebook} ran for {seconds:.1f} s, over the limit of "
                    f"{self.limit:g} s: use less data or fewer epochs.",
                    red=True,
                )
        else:
            slowest, seconds = max(self.seconds.items(), key=lambda item: item[1])
            terminalreporter.line(
                f"notebook run times: all {len(self.seconds)} under {self.limit:g} s "
                f"(slowest {slowest}: {seconds:.1f} s)"
            )


def pytest_configure(config):
    is_xdist_worker = hasattr(config, "workerinput")
    if not is_xdist_worker:
        config.pluginmanager.register(
            NotebookTimer(config.getoption("--notebook-time-limit")), "notebook-timer"
        )
