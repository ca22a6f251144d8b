"""Build a reveal.js deck for every course notebook into build/slides/, usable with no network.

Each notebook's `slideshow` cell metadata (slide, subslide, fragment, skip, notes) makes it a
deck. nbconvert's slide template loads reveal.js, require.js, jQuery and MathJax from CDNs; here
they come from build/slides/_assets/ (fetched from the npm registry by fetch_assets.py), so the
decks open straight from disk (file://) in a lecture hall without network, math included.

The Korean edition (notebooks/ko/) goes to build/slides/ko/, with an index of its own; its decks
load the same build/slides/_assets/. Each index links the other edition's decks.

    python tools/build_slides.py                  # every notebook, both editions
    python tools/build_slides.py notebooks/05_optimizers.ipynb notebooks/ko/05_optimizers.ipynb
"""

import sys
import time
from pathlib import Path

import fetch_assets
from course_notebooks import (
    ASSET_PREFIX,
    KOREAN_NOTEBOOKS,
    ROOT,
    index_page,
    is_korean,
    notebook_paths,
    offline_exporter,
    read,
    title_of,
)
from nbconvert import SlidesExporter

OUT = ROOT / "build" / "slides"
KOREAN = "ko"  # the Korean decks' folder inside the output folder

INTRO = {
    "en": (
        "Lecture decks, one per notebook. Keys: &rarr;/&larr; next/previous slide, "
        "&darr;/&uarr; sub-slides, <kbd>s</kbd> speaker notes, <kbd>f</kbd> full screen, "
        "<kbd>Esc</kbd> overview."
    ),
    "ko": (
        "노트북마다 하나씩 있는 강의 슬라이드입니다. 키: &rarr;/&larr; 다음/이전 슬라이드, "
        "&darr;/&uarr; 하위 슬라이드, <kbd>s</kbd> 발표자 노트, <kbd>f</kbd> 전체 화면, "
        "<kbd>Esc</kbd> 전체 보기."
    ),
}
HEADING = {"en": "dlcourse — lecture decks", "ko": "dlcourse — 강의 슬라이드"}


def exporter(language="en", assets=ASSET_PREFIX):
    return offline_exporter(
        SlidesExporter,
        "dlcourse_reveal",
        prefix=assets,
        language_code=language,  # <html lang="ko"> for the Korean decks
        reveal_theme="white",
        reveal_transition="none",  # projectors and screen sharing show slides, not motion
        reveal_width="1280",  # a 16:9 projector frame; text sizes in deck.css are for it
        reveal_height="720",
        reveal_number="c/t",
        exclude_input_prompt=True,  # no "In [3]:" beside the code: the width goes to the code
        exclude_output_prompt=True,
    )


def font_links(assets=ASSET_PREFIX):
    """The Korean web font's stylesheets, as URLs relative to a deck."""
    return [f"{assets}/{fetch_assets.KOREAN_FONT_CSS}"]


def build_edition(paths, out, language, quiet=False):
    """Write the decks of `paths` into `out`, whose assets are in ../_assets for the Korean
    edition; return the deck files."""
    out.mkdir(parents=True, exist_ok=True)
    assets = ASSET_PREFIX if language == "en" else f"../{ASSET_PREFIX}"
    slides = exporter(language, assets)
    decks = []
    for path in paths:
        start = time.perf_counter()
        resources = {"metadata": {"name": path.stem}, "course_fonts": font_links(assets)}
        body, _ = slides.from_notebook_node(read(path), resources=resources)
        target = out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        decks.append(target)
        if not quiet:
            print(f"{target}  ({time.perf_counter() - start:.1f} s)")
    return decks


def write_index(paths, out, language, other):
    """The edition's index page in `out`: its decks, each with a link to its twin in the other
    edition's folder `other` (a path relative to `out`) when that deck exists."""
    assets = ASSET_PREFIX if language == "en" else f"../{ASSET_PREFIX}"
    other_name = "한국어" if language == "en" else "English"
    rows, twins = [], 0
    for path in paths:
        twin = f"{other}/{path.stem}.slides.html"
        extra = ""
        if (out / twin).is_file():
            extra, twins = f' <a class="extra" href="{twin}">{other_name}</a>', twins + 1
        rows.append((f"{path.stem}.slides.html", title_of(read(path), path.stem), extra))
    intro = INTRO[language]
    if twins:  # the other edition is built too, and so is its index
        intro += f' <a class="edition" href="{other}/index.html">{other_name}</a>'
    page = index_page(HEADING[language], intro, rows, language, font_links(assets))
    (out / "index.html").write_text(page, encoding="utf-8")


def build(paths, out=OUT, quiet=False):
    """Write the decks of `paths` into the folder `out` (Korean notebooks into out/ko/), with an
    index page for each edition built; return the deck files, in the order of `paths`."""
    fetch_assets.copy_assets(out / ASSET_PREFIX)
    korean = [path for path in paths if is_korean(path)]
    english = [path for path in paths if not is_korean(path)]
    decks = {}
    if korean:
        decks.update(zip(korean, build_edition(korean, out / KOREAN, "ko", quiet)))
    if english:
        decks.update(zip(english, build_edition(english, out, "en", quiet)))
    if korean:
        write_index(korean, out / KOREAN, "ko", "..")
    if english:
        write_index(english, out, "en", KOREAN)
    return [decks[path] for path in paths]


if __name__ == "__main__":
    chosen = [Path(arg).resolve() for arg in sys.argv[1:]]
    chosen = chosen or notebook_paths() + notebook_paths(KOREAN_NOTEBOOKS)
    if not chosen:
        sys.exit("no notebooks found in notebooks/")
    build(chosen)
    print(f"decks in {OUT}")
