"""Real-browser tests: Debian's Chromium driven by Playwright, against servers the tests start.

Playwright cannot download its own browser here, so the tests launch the system Chromium by its
path (`CHROMIUM`, default /usr/bin/chromium). JupyterLab and Voilà are started on free loopback
ports with a random token (and `allow_root`, as these machines run as root), each in a scratch
copy of what it serves, so running notebooks never rewrites the committed ones; both are stopped
at the end of the session. Screenshots go to build/e2e/screenshots/ for a person to look at;
the tests fail on errors (exceptions in the page, error or stderr outputs, missing elements),
never on pixel differences.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))  # the slide checker and the browser launcher

import browser as course_browser  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
E2E_BUILD = BUILD / "e2e"
SCREENSHOTS = E2E_BUILD / "screenshots"
CHROMIUM = course_browser.CHROMIUM
EXPLORER_MODULE = ROOT / "dlcourse" / "explorer.py"
# Under pytest-xdist every worker starts its own servers, in folders and logs of its own.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
# Errors thrown inside JupyterLab's own bundle that are races of its layout code, not failures of
# what is tested (seen when a notebook is closed or re-laid out while a resize is pending).
LAB_INTERNAL_ERRORS = ("Cannot read properties of null (reading 'observe')",)


def course_notebooks():
    return sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))


def korean_notebooks():
    """The Korean edition's notebooks that exist (notebooks/ko/, translated one at a time)."""
    return sorted((NOTEBOOKS / "ko").glob("[0-9]*.ipynb"))


HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Whether the page's Hangul web font ("Course Hangul", tools/fetch_assets.py) has been loaded:
# it loads only when the page shows a letter it covers.
HANGUL_FONT_LOADED = """() => document.fonts.ready.then(() => [...document.fonts].some(
    (face) => face.family.replace(/["']/g, "") === "Course Hangul" && face.status === "loaded"))"""


def explorer_notebook():
    """The notebook that shows the optimizer explorer: 05b if it exists, else 05 if it uses it."""
    for name in ("05b_optimizer_explorer.ipynb", "05_optimizers.ipynb"):
        path = NOTEBOOKS / name
        if path.is_file() and "explorer" in path.read_text(encoding="utf-8"):
            return path
    return None


INLINE_MATH = re.compile(r"\$[^$\n]+\$|\$\$.+?\$\$", re.DOTALL)


def has_math(path):
    """Whether the notebook's shown markdown holds TeX math ($...$ or $$...$$)."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    return any(
        INLINE_MATH.search(cell.source)
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        and cell.get("metadata", {}).get("slideshow", {}).get("slide_type") != "skip"
    )


def first_title(path):
    """The text of the notebook's first level-1 heading."""
    import nbformat

    for cell in nbformat.read(path, as_version=4).cells:
        match = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
        if cell.cell_type == "markdown" and match:
            return re.sub(r"[*_`]", "", match.group(1)).strip()
    return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A server process in its own process group, stopped (group and all) by `stop()`."""

    def __init__(self, name, command, cwd, port, token, env=None, ready_path="/"):
        self.name, self.port, self.token = name, port, token
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = E2E_BUILD / f"{name}-{WORKER}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready(ready_path)

    def wait_ready(self, path, timeout=90):
        deadline = time.monotonic() + timeout
        url = f"{self.url}{path or ''}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}; see {self.log_path}"
                )
            try:
                if path is None:  # listening is enough (a GET would start a kernel)
                    socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
                    return
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer {url} in {timeout} s; see {self.log_path}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def scratch_copy(name, sources):
    """A fresh folder under build/e2e/ holding copies of `sources` (files)."""
    folder = E2E_BUILD / f"{name}-{WORKER}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for source in sources:
        shutil.copy2(source, folder / source.name)
    return folder


def isolated_jupyter_env(home):
    """Environment with Jupyter's user settings, workspaces and runtime files under `home`."""
    env = dict(os.environ)
    for variable, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
    ]:
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        env[variable] = str(path)
    settings = home / "lab-settings" / "@jupyterlab"
    # No "get notified about Jupyter news?" toast over the screenshots, no update checks.
    (settings / "apputils-extension").mkdir(parents=True, exist_ok=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}'
    )
    # Every cell in the DOM (no virtual scrolling), so that the tests can see and drag the
    # explorer wherever the notebook is scrolled; deck mode does the same while presenting.
    (settings / "notebook-extension").mkdir(parents=True, exist_ok=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none"}'
    )
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return env


# A server log's tracebacks that are races of the Jupyter server shutting a kernel down (the
# previous test's), not failures of what is tested.
SERVER_SHUTDOWN_RACES = ("zmq gc socket requested during shutdown",)


def server_tracebacks(log):
    """The tracebacks in a server log, as text blocks, without the known shutdown races."""
    blocks = re.split(r"(?=Traceback \(most recent call last\))", log)[1:]
    return [
        block[:3000]
        for block in blocks
        if not any(race in block[:3000] for race in SERVER_SHUTDOWN_RACES)
    ]


def uncaught_errors(errors):
    """The uncaught exceptions of a page, without JupyterLab's known internal races."""
    return [
        error
        for error in errors.errors
        if error.startswith("uncaught") and not any(known in error for known in LAB_INTERNAL_ERRORS)
    ]


@pytest.fixture(scope="session", autouse=True)
def build_folders():
    (SCREENSHOTS / "ko").mkdir(parents=True, exist_ok=True)  # the Korean decks' screenshots


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    problem = course_browser.missing_browser()
    if problem:
        pytest.fail(problem)
    with sync_playwright() as playwright:
        # launch() gives every run a new, empty profile (a fresh user-data-dir) of its own.
        browser = course_browser.launch(playwright)
        yield browser
        browser.close()


class PageErrors:
    """Uncaught exceptions and console errors seen by a page."""

    def __init__(self, page, ignore=()):
        self.errors, self.ignore = [], ignore
        page.on("pageerror", self._uncaught)
        page.on("console", self._console)
        page.on("requestfailed", self._failed)

    def _failed(self, request):
        if not any(part in request.url for part in self.ignore):
            self.errors.append(f"request failed: {request.url} ({request.failure})")

    def _uncaught(self, error):
        stack = (error.stack or "").strip().splitlines()[1:3]
        self.errors.append(
            f"uncaught: {error.message} {' | '.join(line.strip() for line in stack)}"
        )

    def _console(self, message):
        if message.type == "error" and not any(part in message.text for part in self.ignore):
            self.errors.append(f"console: {message.text}")


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture
def offline_page(context):
    """A page whose every request other than file:// is refused and remembered (`attempted`)."""
    attempted = []

    def route(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", route)
    context.set_offline(True)
    page = context.new_page()
    page.attempted = attempted
    return page


@pytest.fixture(scope="session")
def lab_server():
    """JupyterLab serving a scratch copy of the notebooks, with the app exposed to the tests."""
    work = scratch_copy("lab-notebooks", course_notebooks())
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.allow_root=True",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={work}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--ServerApp.open_browser=False",
    ]
    server = Server(
        "jupyterlab",
        command,
        work,
        port,
        token,
        env=isolated_jupyter_env(E2E_BUILD / f"lab-home-{WORKER}"),
        ready_path=f"/api/status?token={token}",
    )
    server.work = work
    yield server
    server.stop()


@pytest.fixture(scope="session")
def voila_server():
    """Voilà serving the standalone explorer app (apps/explorer.ipynb)."""
    app = ROOT / "apps" / "explorer.ipynb"
    # voila.json (culling idle kernels) is read from the folder Voilà runs in, as `make explorer`.
    work = scratch_copy("voila-app", [app, ROOT / "apps" / "voila.json"])
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "voila",
        str(work / app.name),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--show_tracebacks=True",
    ]
    server = Server(
        "voila",
        command,
        work,
        port,
        "",
        env=isolated_jupyter_env(E2E_BUILD / f"voila-home-{WORKER}"),
        ready_path=None,
    )
    yield server
    server.stop()


def screenshot(page, name):
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
