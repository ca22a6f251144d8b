"""`make lab` opens on notebooks/START.md: rendered, with both editions of every notebook.

JupyterLab runs as `make lab` starts it (rooted at the repository, the start page as the file to
open), here in a scratch copy of what the page links: the notebooks of both editions, the
library's README and the course's README. The page must show rendered (tools/setup_lab.py makes
markdown open in Markdown Preview), its links must open the English and the Korean notebook,
and its link ../dlcourse/README.md (the same link the notebooks have) must resolve.
"""

import secrets
import shutil
import sys

import pytest

from conftest import (
    E2E_BUILD,
    ROOT,
    WORKER,
    Server,
    free_port,
    isolated_jupyter_env,
    korean_notebooks,
    screenshot,
)

OPENED = "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
CURRENT_PATH = "() => window.jupyterapp.shell.currentWidget.context.path"


@pytest.fixture(scope="module")
def course_lab():
    """JupyterLab on a scratch copy of the course, started with `make lab`'s arguments."""
    work = E2E_BUILD / f"lab-start-{WORKER}"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    (work / "dlcourse").mkdir()
    shutil.copy2(ROOT / "dlcourse" / "README.md", work / "dlcourse" / "README.md")
    shutil.copy2(ROOT / "README.md", work / "README.md")
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--ServerApp.root_dir=.",
        "--ServerApp.allow_root=True",
        "notebooks/START.md",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    server = Server(
        "lab-start",
        command,
        work,
        port,
        token,
        env=isolated_jupyter_env(E2E_BUILD / f"lab-start-home-{WORKER}"),
        ready_path=f"/api/status?token={token}",
    )
    yield server
    server.stop()


def open_start_page(page, server):
    """The URL `make lab` sends the browser to (the server's file to open), in a fresh workspace."""
    page.goto(f"{server.url}/lab/tree/notebooks/START.md?reset&token={server.token}")
    page.wait_for_selector(".jp-RenderedMarkdown table a", timeout=60_000)
    assert page.evaluate(CURRENT_PATH) == "notebooks/START.md"


def test_the_start_page_opens_rendered_and_links_both_editions(context, course_lab):
    page = context.new_page()
    open_start_page(page, course_lab)
    links = page.locator(".jp-RenderedMarkdown table a")
    english, korean = links.nth(0), links.nth(1)
    assert "Welcome" in english.text_content()
    screenshot(page, "lab-start")
    english.click()
    page.wait_for_function(f"() => ({CURRENT_PATH})() === 'notebooks/00_welcome.ipynb'")
    if korean_notebooks():
        page.locator(".lm-TabBar-tab", has_text="START.md").click()
        korean.click()
        page.wait_for_function(f"() => ({CURRENT_PATH})() === 'notebooks/ko/00_welcome.ipynb'")
    page.close()


def test_the_start_page_and_the_notebooks_reach_the_library_readme(context, course_lab):
    page = context.new_page()
    open_start_page(page, course_lab)
    page.locator(".jp-RenderedMarkdown a", has_text="dlcourse/README.md").first.click()
    page.wait_for_function(f"() => ({CURRENT_PATH})() === 'dlcourse/README.md'")
    page.close()
