"""The browser the checks use: Debian's Chromium, driven by Playwright (whose own browser download
does not work here), launched for a closed network and a root user.

Used by tools/check_slides.py and by the browser tests in e2e/.
"""

import os
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# No sandbox (root), no GPU (no screen), and none of Chromium's own background connections,
# which a closed network refuses.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def missing_browser():
    """A sentence saying what to install, or None when Chromium and Playwright are there."""
    if not Path(CHROMIUM).is_file():
        return f"no Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM=/path)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return 'Playwright is missing: pip install -e ".[e2e]" (or make e2e)'
    return None


def launch(playwright):
    """A new headless Chromium with an empty profile."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)


def refuse_network(context):
    """Refuse every request of `context` that is not a file:// URL; return the refused URLs."""
    refused = []

    def route(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", route)
    context.set_offline(True)
    return refused
