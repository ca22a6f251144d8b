"""The reveal.js decks from `make slides` work from disk with the network blocked.

Every request that is not a file:// URL is refused and recorded; a deck passes when reveal.js
starts, its title slide shows the notebook's title, the keyboard moves to the next slide, MathJax
typesets the deck's math (MathJax output elements present, no TeX errors), no script fails, and
nothing tried to reach the network.
"""
import re

import nbformat
import pytest

from conftest import BUILD, course_notebooks, screenshot

SLIDES = BUILD / "slides"
INLINE_MATH = re.compile(r"\$[^$\n]+\$|\$\$.+?\$\$", re.DOTALL)


def has_math(path):
    notebook = nbformat.read(path, as_version=4)
    return any(INLINE_MATH.search(cell.source) for cell in notebook.cells
               if cell.cell_type == "markdown"
               and cell.get("metadata", {}).get("slideshow", {}).get("slide_type") != "skip")


def first_title(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        match = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
        if cell.cell_type == "markdown" and match:
            return re.sub(r"[*_`]", "", match.group(1)).strip()
    return None


@pytest.fixture
def offline_page(context):
    """A page whose every non-file request is aborted and remembered."""
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


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda path: path.stem)
def test_deck_opens_offline_with_title_and_math(offline_page, notebook):
    from conftest import PageErrors

    deck = SLIDES / f"{notebook.stem}.slides.html"
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
    screenshot(page, f"deck-{notebook.stem}-title")

    # reveal.js is loaded through require.js, so it is no global: follow it by the URL hash.
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => /^#\\/1\\b/.test(location.hash)")

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
        page.wait_for_timeout(300)
        assert page.locator("section.present .MathJax_CHTML, section.present .mjx-chtml").count()
        screenshot(page, f"deck-{notebook.stem}-math")

    assert not errors.errors, errors.errors
    assert not page.attempted, f"the deck tried to reach the network: {page.attempted}"


def test_some_deck_has_math():
    """At least one notebook's deck carries math, so the MathJax check above really runs."""
    notebooks = course_notebooks()
    if not notebooks:
        pytest.skip("no notebooks yet")
    assert any(has_math(path) for path in notebooks)
