"""The reveal.js decks from `make slides` work from disk with the network blocked.

Every request that is not a file:// URL is refused and recorded; a deck passes when reveal.js
starts, its title slide shows the notebook's title, the keyboard moves to the next slide, MathJax
typesets the deck's math (MathJax output elements present, no TeX errors), no script fails, and
nothing tried to reach the network.
"""

import pytest

from conftest import BUILD, PageErrors, course_notebooks, first_title, has_math, screenshot

SLIDES = BUILD / "slides"


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda path: path.stem)
def test_deck_opens_offline_with_title_and_math(offline_page, notebook):
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
