"""The course site from `make site` (Sphinx, myst-nb, sphinx-book-theme) reads offline.

Every request that is not a file:// URL is refused and recorded. The index's sidebar lists the
notebooks in order; every notebook page has its title, previous/next links, a download button
for its .ipynb, its math typeset, its Hangul drawn by the shipped Korean font, its outputs as
committed and no speaker notes; the search finds a word of the course. The Korean edition
(build/site/ko/) passes the same checks with its title in Korean, and every page of both
editions links the same page in the other (the language switch in its header and footer).
"""

import re

import nbformat
import pytest
from check_slides import open_cdp, page_hangul_problems

from conftest import (
    BUILD,
    HANGUL,
    PageErrors,
    course_notebooks,
    first_title,
    has_math,
    korean_notebooks,
    screenshot,
)

SITE = BUILD / "site"
SWITCH = ".bd-header-article a.course-language-switch"
MATH_DONE = """() => window.MathJax && MathJax.startup && MathJax.startup.promise
    .then(() => document.querySelectorAll('mjx-container').length)"""


def notes_of(path):
    """The text of the notebook's speaker-notes cells: words a reader must not see."""
    notebook = nbformat.read(path, as_version=4)
    return [
        " ".join(re.sub(r"[*_`#>\\[\\]()]", " ", cell.source).split())[:60]
        for cell in notebook.cells
        if cell.metadata.get("slideshow", {}).get("slide_type") == "notes"
    ]


def test_index_lists_every_notebook_in_order(offline_page):
    index = SITE / "index.html"
    assert index.is_file(), f"{index} is missing: run `make site` first"
    page = offline_page
    errors = PageErrors(page)
    page.goto(index.as_uri())
    links = page.locator("nav.bd-docs-nav a.reference.internal")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == [f"{path.stem}.html" for path in course_notebooks()]
    screenshot(page, "site-index")
    links.first.click()
    page.wait_for_url(f"**/{hrefs[0]}")
    assert not errors.errors, errors.errors
    assert not page.attempted, page.attempted


def test_search_finds_a_course_word(offline_page):
    page = offline_page
    page.goto((SITE / "search.html").as_uri() + "?q=momentum")
    results = page.locator("#search-results li")
    results.first.wait_for(timeout=30_000)
    assert any("05_optimizers" in (results.nth(i).inner_html()) for i in range(results.count()))
    screenshot(page, "site-search")
    assert not page.attempted, page.attempted


def both_editions():
    return [pytest.param(path, id=path.stem) for path in course_notebooks()] + [
        pytest.param(path, id=f"ko-{path.stem}") for path in korean_notebooks()
    ]


@pytest.mark.parametrize("notebook", both_editions())
def test_notebook_page_reads_offline(offline_page, notebook):
    korean = notebook in korean_notebooks()
    edition = korean_notebooks() if korean else course_notebooks()
    target = (SITE / "ko" if korean else SITE) / f"{notebook.stem}.html"
    assert target.is_file(), f"{target} is missing: run `make site` first"
    page = offline_page
    errors = PageErrors(page)
    page.goto(target.as_uri())
    heading = " ".join(page.locator("article h1").first.text_content().split())
    assert heading.rstrip("#").strip().startswith(" ".join(first_title(notebook).split())[:30])
    assert page.locator(f"a[href$='_sources/{notebook.name}']").count() >= 1, "no download"
    if korean:
        assert HANGUL.search(heading), f"the Korean page's title is not in Korean: {heading!r}"
    position = edition.index(notebook)
    assert page.locator("a.left-prev").count() == 1  # the first page goes back to the index
    assert page.locator("a.right-next").count() == (position + 1 < len(edition))
    if has_math(notebook):
        assert page.evaluate(MATH_DONE) > 0, "no math typeset"
        assert page.locator("mjx-merror").count() == 0
    text = " ".join(page.locator("article").inner_text().split())
    shown_notes = [note for note in notes_of(notebook) if note and note in text]
    assert not shown_notes, f"speaker notes on the page: {shown_notes}"
    assert page.locator(".cell_output").count() > 0  # outputs as committed
    screenshot(page, f"site-{'ko-' * korean}{notebook.stem}")
    # Checked before the font check: the DevTools session that asks for the fonts makes
    # Chromium reload the page's own file, which file:// pages may not (a console error).
    assert not errors.errors, errors.errors
    assert not page.attempted, f"the page tried to reach the network: {page.attempted}"
    missing = page_hangul_problems(page, open_cdp(page))
    assert not missing, f"Hangul not drawn by the shipped font: {missing}"


def test_explorer_page_shows_the_explorer_picture(offline_page):
    page = offline_page
    page.goto((SITE / "05b_optimizer_explorer.html").as_uri())
    image = page.locator(".cell_output img").first
    image.wait_for()
    assert image.evaluate("(img) => img.naturalWidth >= 2 * img.getBoundingClientRect().width")
    assert page.locator("script[type='application/vnd.jupyter.widget-view+json']").count() == 0


def test_the_hangul_check_can_fail(offline_page):
    """Without the shipped font (the theme's own font list), the check above reports Hangul."""
    page = offline_page
    page.goto((SITE / "00_welcome.html").as_uri())
    cdp = open_cdp(page)
    assert not page_hangul_problems(page, cdp)
    page.add_style_tag(content="html { --pst-font-family-base: sans-serif !important; }")
    assert page_hangul_problems(page, cdp)


def switch_target(page_file):
    """The file the language switches of a built page lead to (header and footer agree)."""
    text = page_file.read_text(encoding="utf-8")
    hrefs = set(re.findall(r'<a class="course-language-switch" href="([^"]+)"', text))
    assert len(hrefs) == 1, f"{page_file}: language switches {hrefs}"
    return (page_file.parent / hrefs.pop()).resolve()


def test_every_page_links_the_same_page_in_the_other_edition():
    if not korean_notebooks():
        pytest.skip("no Korean notebooks yet: the site has one edition")
    english = {path.stem for path in course_notebooks()}
    korean = {path.stem for path in korean_notebooks()}
    for folder, other, twins in ((SITE, SITE / "ko", korean), (SITE / "ko", SITE, english)):
        for page_file in sorted(folder.glob("*.html")):
            shared = twins | {"index", "search", "genindex", "reading_guide"}
            expected = page_file.stem if page_file.stem in shared else "index"
            assert switch_target(page_file) == (other / f"{expected}.html").resolve(), page_file


def test_the_language_switch_leads_to_the_twin_page_and_back(offline_page):
    """Clicked in Chromium: the English page's 한국어 opens the Korean page, drawn in Korean with
    the shipped font, whose English leads back; so do the indexes."""
    if not korean_notebooks():
        pytest.skip("no Korean notebooks yet: the site has one edition")
    page = offline_page
    errors = PageErrors(page)
    stem = korean_notebooks()[0].stem
    for start, twin in ((f"{stem}.html", f"ko/{stem}.html"), ("index.html", "ko/index.html")):
        page.goto((SITE / start).as_uri())
        switch = page.locator(SWITCH)
        assert switch.text_content().strip() == "한국어"
        switch.click()
        page.wait_for_url(f"**/site/{twin}")
        assert page.evaluate("() => document.documentElement.lang") == "ko"
        screenshot(page, f"site-switch-{twin.replace('/', '-')}")
        page.locator(SWITCH).click()
        page.wait_for_url(f"**/site/{start}")
        assert page.evaluate("() => document.documentElement.lang") == "en"
    assert not errors.errors, errors.errors
    assert not page.attempted, page.attempted
