"""The static course site from `make site` reads offline: index, every notebook, math, links.

As for the decks, every request that is not a file:// URL is refused and recorded.
"""

import pytest

from conftest import BUILD, PageErrors, course_notebooks, first_title, has_math, screenshot

SITE = BUILD / "site"


def test_index_lists_every_notebook_in_order(offline_page):
    index = SITE / "index.html"
    assert index.is_file(), f"{index} is missing: run `make site` first"
    page = offline_page
    errors = PageErrors(page)
    page.goto(index.as_uri())
    links = page.locator("ol.notebooks a")
    expected = [f"{path.stem}.html" for path in course_notebooks()]
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == expected
    screenshot(page, "site-index")
    links.first.click()
    page.wait_for_url(f"**/{expected[0]}")
    assert not errors.errors, errors.errors
    assert not page.attempted, page.attempted


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda path: path.stem)
def test_notebook_page_reads_offline(offline_page, notebook):
    target = SITE / f"{notebook.stem}.html"
    assert target.is_file(), f"{target} is missing: run `make site` first"
    page = offline_page
    errors = PageErrors(page)
    page.goto(target.as_uri())
    heading = page.locator("main h1").first
    assert " ".join(heading.text_content().split()).startswith(
        " ".join(first_title(notebook).split())[:30]
    )
    assert page.locator("nav.course-nav a[href='index.html']").count() == 1
    assert page.locator(".jp-Cell").count() > 0
    if has_math(notebook):
        page.wait_for_function(
            "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0"
            " && document.querySelectorAll('.MathJax_CHTML, .mjx-chtml').length > 0",
            timeout=30_000,
        )
        assert page.locator(".MathJax_Error, .mjx-merror").count() == 0
    screenshot(page, f"site-{notebook.stem}")
    assert not errors.errors, errors.errors
    assert not page.attempted, f"the page tried to reach the network: {page.attempted}"
