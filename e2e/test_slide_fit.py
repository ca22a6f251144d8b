"""Every slide fits the projector: the checks of tools/check_slides.py, in a real browser.

Static decks (`make slides`): every slide and fragment of every notebook's deck at 1280 x 720,
with all network refused. Live deck (jupyterlab-slideshow in JupyterLab): the same checks at
every step of two notebooks' decks, after Run All, plus "starting the deck shows the current
slide". A deck fails when content leaves the frame, a code line is cut, text is under 24 px, a
figure is shrunk or Hangul is not drawn by the shipped Korean font. Screenshots of three slides
per deck land in build/e2e/screenshots/.

Notebooks in SLIDES_PENDING were written before the decks had to fit (issue 19); their slides
are revised one notebook at a time, with `python tools/check_slides.py notebooks/NAME.ipynb`.
Their tests are expected to fail (xfail, strict): when a notebook's deck passes, remove it from
the list, so that it stays passing. The Korean decks (build/slides/ko/) must fit too: Korean
lines wrap differently, so each is checked on its own; the twin of a pending notebook may fail
(xfail, not strict: its English deck is being revised).
"""

import nbformat
import pytest
from check_slides import check_deck, check_live_deck
from lab import notebook_page, problems, run_all

from conftest import BUILD, SCREENSHOTS, course_notebooks, korean_notebooks

SLIDES = BUILD / "slides"
SLIDES_PENDING = set()
# The live deck is checked for these two: the explorer's notebook (live widgets on a slide)
# and the welcome notebook (its Korean glossary).
LIVE_DECKS = ["05b_optimizer_explorer", "00_welcome"]


def pending(stem):
    reason = "slides not yet revised to fit 1280 x 720 (issue 19); see SLIDES_PENDING"
    return [pytest.mark.xfail(reason=reason, strict=True)] if stem in SLIDES_PENDING else []


def korean_pending(stem):
    reason = "the English deck is not yet revised to fit (SLIDES_PENDING)"
    return [pytest.mark.xfail(reason=reason, strict=False)] if stem in SLIDES_PENDING else []


def describe(report):
    return "\n".join([report.summary(), *report.lines()])


@pytest.mark.parametrize(
    "notebook",
    [pytest.param(path, marks=pending(path.stem), id=path.stem) for path in course_notebooks()],
)
def test_static_deck_fits_the_frame(offline_page, notebook):
    deck = SLIDES / f"{notebook.stem}.slides.html"
    assert deck.is_file(), f"{deck} is missing: run `make slides` first"
    report = check_deck(offline_page, notebook, deck, screenshots=SCREENSHOTS)
    print(report.summary())
    assert not offline_page.attempted, offline_page.attempted
    assert not report.findings, describe(report)


@pytest.mark.parametrize(
    "notebook",
    [
        pytest.param(path, marks=korean_pending(path.stem), id=f"ko-{path.stem}")
        for path in korean_notebooks()
    ],
)
def test_korean_deck_fits_the_frame(offline_page, notebook):
    deck = SLIDES / "ko" / f"{notebook.stem}.slides.html"
    assert deck.is_file(), f"{deck} is missing: run `make slides` first"
    report = check_deck(offline_page, notebook, deck, screenshots=SCREENSHOTS / "ko")
    print(report.summary())
    assert not offline_page.attempted, offline_page.attempted
    assert not report.findings, describe(report)


@pytest.mark.parametrize(
    "stem", [pytest.param(stem, marks=pending(stem), id=stem) for stem in LIVE_DECKS]
)
def test_live_deck_fits_the_window(context, lab_server, stem):
    with notebook_page(context, lab_server, f"{stem}.ipynb") as (page, _errors):
        page.set_viewport_size({"width": 1280, "height": 720})
        cells = run_all(page)
        assert not problems(cells), problems(cells)
        report = check_live_deck(page, BUILD.parent / "notebooks" / f"{stem}.ipynb", SCREENSHOTS)
    print(report.summary(), "cells shown in turn:", report.path)
    assert not report.findings, describe(report)


def test_the_checker_finds_what_does_not_fit(offline_page, tmp_path):
    """The checks can fail: a deck with a cut-off slide, small text and Hangul in a font that
    has none is reported, each problem at its cell."""
    from check_slides import build

    notebook = nbformat.v4.new_notebook()
    cells = [
        ("# A bad deck\n\nGoals, You need", "slide"),
        ("\n\n".join(f"line {n}" for n in range(40)), "slide"),
        ('<span style="font-size: 12px">tiny text</span>', "slide"),
        ('<span style="font-family: serif">한국어</span> and <b>학습률</b>', "slide"),
    ]
    for source, kind in cells:
        cell = nbformat.v4.new_markdown_cell(source)
        cell.metadata["slideshow"] = {"slide_type": kind}
        notebook.cells.append(cell)
    path = tmp_path / "99_bad_deck.ipynb"
    nbformat.write(notebook, path)
    (deck,) = build([path], out=tmp_path / "decks")
    report = check_deck(offline_page, path, deck)
    found = {(finding.cell, finding.kind) for finding in report.findings}
    assert (1, "below the frame") in found
    assert (2, "text under 24 px") in found
    assert (3, "Hangul without the Korean font") in found
    assert report.failing_slides == ["2", "3", "4"], describe(report)
    assert len(report.findings) == 3, describe(report)
