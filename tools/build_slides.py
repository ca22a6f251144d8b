"""Build a reveal.js deck for every course notebook into build/slides/, usable with no network.

Each notebook's `slideshow` cell metadata (slide, subslide, fragment, skip, notes) makes it a
deck. nbconvert's slide template loads reveal.js, require.js, jQuery and MathJax from CDNs; here
they come from build/slides/_assets/ (fetched from the npm registry by fetch_assets.py), so the
decks open straight from disk (file://) in a lecture hall without network, math included.

    python tools/build_slides.py                  # every notebook
    python tools/build_slides.py notebooks/05_optimizers.ipynb ...
"""

import sys
import time
from pathlib import Path

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
from nbconvert import SlidesExporter

OUT = ROOT / "build" / "slides"


def exporter():
    return offline_exporter(
        SlidesExporter,
        "dlcourse_reveal",
        reveal_theme="white",
        reveal_transition="none",  # projectors and screen sharing show slides, not motion
        reveal_width="1280",  # a 16:9 projector frame; text sizes in deck.css are for it
        reveal_height="720",
        reveal_number="c/t",
        exclude_input_prompt=True,  # no "In [3]:" beside the code: the width goes to the code
        exclude_output_prompt=True,
    )


def font_links():
    """The Korean web font's stylesheets, as URLs relative to a deck."""
    return [f"{ASSET_PREFIX}/{fetch_assets.KOREAN_FONT_CSS}"]


def build(paths, out=OUT, quiet=False):
    """Write the decks of `paths` and an index of them into the folder `out`; return it."""
    out.mkdir(parents=True, exist_ok=True)
    fetch_assets.copy_assets(out / ASSET_PREFIX)
    slides = exporter()
    rows = []
    for path in paths:
        start = time.perf_counter()
        notebook = read(path)
        resources = {"metadata": {"name": path.stem}, "course_fonts": font_links()}
        body, _ = slides.from_notebook_node(notebook, resources=resources)
        target = out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        rows.append((target.name, title_of(notebook, path.stem), ""))
        if not quiet:
            print(f"{target}  ({time.perf_counter() - start:.1f} s)")
    intro = (
        "Lecture decks, one per notebook. Keys: &rarr;/&larr; next/previous slide, "
        "&darr;/&uarr; sub-slides, <kbd>s</kbd> speaker notes, <kbd>f</kbd> full screen, "
        "<kbd>Esc</kbd> overview."
    )
    (out / "index.html").write_text(
        index_page("dlcourse — lecture decks", intro, rows), encoding="utf-8"
    )
    return out


if __name__ == "__main__":
    chosen = [Path(arg).resolve() for arg in sys.argv[1:]] or notebook_paths()
    if not chosen:
        sys.exit("no notebooks found in notebooks/")
    print(f"decks in {build(chosen)}")
