"""Sphinx configuration of the course site (`make site`): the notebooks as a book, offline.

Sphinx reads build/site-src/, which pages.py fills on each build with an index page and a copy
of every notebook (see pages.py for why copies); myst-nb renders the notebooks with their
committed outputs (nothing is executed), sphinx-book-theme gives the sidebar table of contents,
search, previous/next and a download button for each notebook.

Everything a page loads comes with the site: MathJax and the Korean web font are fetched from
the npm registry by tools/fetch_assets.py and copied into _static/, the theme ships its own
icons, and no notebook carries widget state (which would load the widget renderer). A page
opened from disk with all network refused shows its math and its Hangul (e2e/test_site.py).

A second edition (the Korean notebooks in notebooks/ko/) builds with the same file:
COURSE_LANGUAGE=ko selects the notebooks and Sphinx's language; every page's header and footer
link the same page in the other edition when both are built (templates/language-switch.html).
"""

import os
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOOLS))
sys.path.insert(0, str(TOOLS / "site"))

import fetch_assets  # noqa: E402
import pages  # noqa: E402

LANGUAGE = os.environ.get("COURSE_LANGUAGE", "en")
EDITION = pages.EDITIONS[LANGUAGE]

project = EDITION["title"]
author = "dlcourse"
copyright = "dlcourse authors"
language = LANGUAGE
extensions = ["myst_nb"]
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

pages.stage(EDITION)  # the index and the notebooks, into the folder Sphinx reads

# --- notebooks: committed outputs, as they are ------------------------------------------------
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
# The explorer's output is a widget with a picture beside it; without a kernel (and without
# saved widget state) the widget would be an empty box, so the picture is shown.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}  # no widget renderer from a CDN (no notebook needs one, see above)
suppress_warnings = ["mystnb.unknown_mime_type"]

# --- offline assets ---------------------------------------------------------------------------
ASSETS = fetch_assets.ensure_assets(quiet=True)
templates_path = ["templates"]
html_static_path = [str(ASSETS / "mathjax3"), str(ASSETS / "nanum-gothic"), "static"]
# Relative to _static/ (the folders above are copied into it, contents merged).
mathjax_path = "es5/tex-mml-chtml.js"
html_css_files = [Path(fetch_assets.KOREAN_FONT_CSS).name, "course.css"]

# --- the book ---------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = EDITION["title"]
html_copy_source = True  # the .ipynb behind the download button
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "article_header_end": ["language-switch.html", "article-header-buttons.html"],
    "footer_content_items": ["author.html", "copyright.html", "language-switch.html"],
}
html_context = {"default_mode": "light", "language_switch": pages.language_switch(LANGUAGE)}
