"""The reveal.js decks from `make slides` work from disk with the network blocked.

Every request that is not a file:// URL is refused and recorded; a deck passes when reveal.js
starts, its title slide shows the notebook's title, the keyboard moves to the next slide, MathJax
typesets the deck's math (MathJax output elements present, no TeX errors), no script fails, and
nothing tried to reach the network. The Korean edition's decks (build/slides/ko/) pass the same
checks, and their Hangul is drawn by the shipped font; each edition's index links the other.
"""

import pytest
from check_slides import measure_step, open_cdp

from conftest import (
    BUILD,
    HANGUL,
    HANGUL_FONT_LOADED,
    PageErrors,
    course_notebooks,
    first_title,
    has_math,
    korean_notebooks,
    screenshot,
)

SLIDES = BUILD / "slides"


def deck_of(notebook):
    """The deck `make slides` builds from `notebook`: build/slides/[ko/]NAME.slides.html."""
    folder = SLIDES / "ko" if notebook in korean_notebooks() else SLIDES
    return folder / f"{notebook.stem}.slides.html"


def both_editions():
    return [pytest.param(path, id=path.stem) for path in course_notebooks()] + [
        pytest.param(path, id=f"ko-{path.stem}") for path in korean_notebooks()
    ]


@pytest.mark.parametrize("notebook", both_editions())
def test_deck_opens_offline_with_title_and_math(offline_page, notebook):
    deck = deck_of(notebook)
    assert deck.is_file(), f"{deck} is missing: run `make slides` first"
    page = offline_page
    errors = PageErrors(page)
    page.goto(deck.as_uri())
    page.wait_for_selector(".reveal.ready", timeout=20_000)

    title = first_title(notebook)
    present = page.locator(".reveal .slides section.present").last
    heading = present.locator("h1").first
    assert heading.is_visible()
    shown = " ".join(heading.text_content().split()).lower()  # the theme upper-cases headings
    assert shown.startswith(" ".join(title.split()).lower()[:30]), (shown, title)
    korean = notebook in korean_notebooks()
    screenshot(page, f"deck-{'ko-' * korean}{notebook.stem}-title")

    # → steps through the title slide's fragments first, then to the second slide
    # (the decks' template exposes reveal.js as window.Reveal).
    for _ in range(20):
        page.keyboard.press("ArrowRight")
        if page.evaluate("() => Reveal.getIndices().h") >= 1:
            break
    assert page.evaluate("() => Reveal.getIndices().h") == 1, "→ did not reach slide 2"

    if has_math(notebook):
        page.wait_for_function(
            "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0"
            " && document.querySelectorAll('.MathJax_CHTML, .mjx-chtml').length > 0",
            timeout=30_000,
        )
        assert page.locator(".MathJax_Error, .mjx-merror, merror").count() == 0
        # Show the first slide with math, for the person reading the screenshots.
        page.evaluate("""() => {
            const math = document.querySelector('.MathJax_CHTML, .mjx-chtml');
            const slides = [...document.querySelectorAll('.reveal .slides > section')];
            const top = slides.find((section) => section.contains(math));
            const stack = [...top.querySelectorAll(':scope > section')];
            const sub = Math.max(0, stack.findIndex((section) => section.contains(math)));
            location.hash = `#/${slides.indexOf(top)}/${sub}`;
        }""")
        # reveal.js moves on hashchange; a busy machine can take more than a moment.
        page.wait_for_selector(
            "section.present .MathJax_CHTML, section.present .mjx-chtml",
            state="attached",
            timeout=10_000,
        )
        screenshot(page, f"deck-{'ko-' * korean}{notebook.stem}-math")

    assert not errors.errors, errors.errors
    assert not page.attempted, f"the deck tried to reach the network: {page.attempted}"


@pytest.mark.parametrize("notebook", korean_notebooks(), ids=lambda path: f"ko-{path.stem}")
def test_korean_deck_draws_its_hangul_with_the_course_font(offline_page, notebook):
    """The title slide of a Korean deck is in Korean, and Chromium draws every Hangul letter on
    it with the shipped NanumGothic (on a machine without a Korean font: not empty boxes)."""
    page = offline_page
    errors = PageErrors(page)
    page.goto(deck_of(notebook).as_uri())
    page.wait_for_selector(".reveal.ready", timeout=20_000)
    assert page.evaluate("() => document.documentElement.lang") == "ko"
    title = page.locator(".reveal .slides section.present h1").first.text_content()
    assert HANGUL.search(title), f"the title slide is not in Korean: {title!r}"
    assert page.evaluate(HANGUL_FONT_LOADED), "the Hangul web font did not load"
    assert not errors.errors, errors.errors  # before the DevTools session (see test_site.py)
    assert not page.attempted, page.attempted
    result = measure_step(page, open_cdp(page), "reveal")  # the title slide, as check_slides
    assert result["hangul"] > 0
    missing = [item for item in result["findings"] if item["kind"].startswith("Hangul")]
    assert not missing, missing


def test_the_indexes_link_both_editions(offline_page):
    """build/slides/index.html lists the English decks, each with its Korean twin; its link to
    the Korean index leads to the Korean decks, which link back."""
    page = offline_page
    page.goto((SLIDES / "index.html").as_uri())
    decks = page.locator("ol.notebooks > li > a:first-child")
    assert [decks.nth(i).get_attribute("href") for i in range(decks.count())] == [
        f"{path.stem}.slides.html" for path in course_notebooks()
    ]
    twins = page.locator("ol.notebooks a.extra")
    assert [twins.nth(i).get_attribute("href") for i in range(twins.count())] == [
        f"ko/{path.stem}.slides.html" for path in korean_notebooks()
    ]
    if not korean_notebooks():
        return
    page.locator("a.edition").click()
    page.wait_for_url("**/ko/index.html")
    assert page.evaluate("() => document.documentElement.lang") == "ko"
    decks = page.locator("ol.notebooks > li > a:first-child")
    assert decks.count() == len(korean_notebooks())
    assert page.evaluate(HANGUL_FONT_LOADED), "the Hangul web font did not load on the index"
    screenshot(page, "deck-index-ko")
    decks.first.click()
    page.wait_for_selector(".reveal.ready", timeout=20_000)
    assert page.url.endswith(f"/ko/{korean_notebooks()[0].stem}.slides.html")
    page.go_back()
    page.locator("a.edition").click()
    page.wait_for_url("**/slides/index.html")
    assert not page.attempted, page.attempted


def test_some_deck_has_math():
    """At least one notebook's deck carries math, so the MathJax check above really runs."""
    notebooks = course_notebooks()
    if not notebooks:
        pytest.skip("no notebooks yet")
    assert any(has_math(path) for path in notebooks)
