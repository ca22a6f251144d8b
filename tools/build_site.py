"""Build a static HTML version of the whole course into build/site/, readable with no network.

An index page lists the notebooks in order; each notebook becomes one page rendered with its
committed outputs (figures are embedded), linked to the previous and next one. The scripts that
nbconvert's page template takes from CDNs (require.js, MathJax, the widgets renderer) come from
build/site/_assets/ instead (fetched from the npm registry by fetch_assets.py), so the folder can
be opened from disk, copied to a USB stick or served by any static web server.

    python tools/build_site.py
"""

import html
import sys
import time

import fetch_assets
from course_notebooks import (
    ASSET_PREFIX,
    ROOT,
    index_page,
    notebook_paths,
    offline_exporter,
    read,
    title_of,
)
from nbconvert import HTMLExporter

OUT = ROOT / "build" / "site"


def exporter():
    return offline_exporter(HTMLExporter, "dlcourse_lab", embed_images=True)


def build(paths):
    OUT.mkdir(parents=True, exist_ok=True)
    fetch_assets.copy_assets(OUT / ASSET_PREFIX)
    pages = exporter()
    notebooks = [(path, read(path)) for path in paths]
    entries = [
        {"href": f"{path.stem}.html", "title": title_of(notebook, path.stem)}
        for path, notebook in notebooks
    ]
    for number, (path, notebook) in enumerate(notebooks):
        start = time.perf_counter()
        nav = {
            "previous": entries[number - 1] if number > 0 else None,
            "next": entries[number + 1] if number + 1 < len(entries) else None,
        }
        resources = {
            "metadata": {"name": entries[number]["title"], "path": str(path.parent)},
            "course_nav": nav,
        }
        body, _ = pages.from_notebook_node(notebook, resources=resources)
        target = OUT / entries[number]["href"]
        target.write_text(body, encoding="utf-8")
        print(f"{target.relative_to(ROOT)}  ({time.perf_counter() - start:.1f} s)")
    intro = (
        "The course's notebooks with their outputs, for reading without Jupyter. To run the "
        "code, change it and use the widgets, open the notebooks in JupyterLab "
        "(<code>make lab</code>)."
    )
    rows = [
        (entry["href"], entry["title"], f'<span class="extra">({html.escape(path.name)})</span>')
        for entry, (path, _) in zip(entries, notebooks)
    ]
    (OUT / "index.html").write_text(
        index_page("dlcourse — the course", intro, rows), encoding="utf-8"
    )
    return OUT


if __name__ == "__main__":
    chosen = notebook_paths()
    if not chosen:
        sys.exit("no notebooks found in notebooks/")
    print(f"site in {build(chosen)}")
