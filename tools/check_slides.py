"""Does every slide of a notebook fit the projector? Build its deck, step through every slide and
fragment in Chromium at 1280 x 720, and print each problem with the cell it comes from.

    python tools/check_slides.py notebooks/03_activations_and_init.ipynb [more.ipynb ...]
    python tools/check_slides.py --all            # every notebook (both editions), a line each

A problem is:
- content below or right of the 1280 x 720 frame at some step (a fragment that appears below
  the frame changes nothing on the screen);
- a code or output line cut off on the right;
- text under 24 px (in the 1280 x 720 frame);
- a figure shown smaller than it was drawn (its text shrinks with it);
- Hangul not drawn by the shipped Korean font (on a machine without one: empty boxes);
- speaker notes visible on a slide;
- a notebook whose last cell is `skip` or `notes`: jupyterlab-slideshow, started on it (as after
  Run All), shows a blank screen.
Exit status 1 if there is any. Needs Chromium and Playwright (pip install -e ".[e2e]").
The same checks run in the browser tests (e2e/test_slide_fit.py), also on the live deck.
"""

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import browser
import build_slides
import fetch_assets
from course_notebooks import KOREAN_NOTEBOOKS, ROOT, is_korean, notebook_paths, read

FRAME = (1280, 720)
MIN_TEXT_PX = 24
# A figure may be shown somewhat smaller than drawn (its column is narrower); below this share
# of its size, its 14 pt text falls under about 15 px.
SHRINK_LIMIT = 0.8
# The shipped Korean font as Chromium names it: the family inside the font file.
KOREAN_FAMILIES = {"NanumGothic", "Nanum Gothic", fetch_assets.KOREAN_FONT_FAMILY}
PROBE = (Path(__file__).resolve().parent / "slide_probe.js").read_text()


@dataclass
class Finding:
    slide: str  # "7" or "7, fragment 2/3", as the deck numbers them
    cell: object  # the notebook cell's index, or None
    kind: str
    text: str


@dataclass
class DeckReport:
    notebook: Path
    slides: int = 0
    steps: int = 0
    smallest: float = None
    findings: list = field(default_factory=list)
    path: list = field(default_factory=list)  # live decks: the active cell at each step

    @property
    def failing_slides(self):
        return sorted({finding.slide.split(",")[0] for finding in self.findings}, key=_number)

    def summary(self):
        smallest = f"{self.smallest:g} px" if self.smallest is not None else "none"
        name = f"ko/{self.notebook.name}" if is_korean(self.notebook) else self.notebook.name
        return (
            f"{name}: {self.slides} slides, {self.steps} steps, "
            f"{len(self.failing_slides)} failing; smallest text {smallest}"
        )

    def lines(self):
        return [
            f"  slide {finding.slide}, cell {finding.cell}: {finding.kind}: {finding.text}"
            for finding in self.findings
        ]


def _number(label):
    return int(label) if label.isdigit() else 10**6


def cell_indices(notebook):
    return {cell.get("id"): index for index, cell in enumerate(notebook.cells)}


def structure_findings(notebook):
    """Problems visible in the notebook itself, before any browser."""
    last = notebook.cells[-1] if notebook.cells else None
    kind = last and last.metadata.get("slideshow", {}).get("slide_type")
    if kind in ("skip", "notes"):
        return [
            Finding(
                "end",
                len(notebook.cells) - 1,
                "last cell not on the slides",
                f"it is '{kind}': a live deck started there (as after Run All) shows a blank "
                "screen; end the notebook with a cell that is shown",
            )
        ]
    return []


def hangul_fonts(cdp):
    """For each element the probe marked as holding Hangul: (cell id, number of Hangul letters,
    {font family: glyphs it drew}), as Chromium reports the fonts it used for the text."""
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    marked = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-course-hangul]"})
    found = []
    for node in marked["nodeIds"]:
        attributes = cdp.send("DOM.getAttributes", {"nodeId": node})["attributes"]
        attributes = dict(zip(attributes[::2], attributes[1::2]))
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        glyphs = {}
        for font in fonts:
            glyphs[font["familyName"]] = glyphs.get(font["familyName"], 0) + font["glyphCount"]
        count = int(attributes.get("data-course-hangul-count", "0"))
        found.append((attributes.get("data-course-hangul"), count, glyphs))
    return found


MARK_HANGUL = """() => {
    const letters = /[\\u1100-\\u11ff\\u3130-\\u318f\\ua960-\\ua97f\\uac00-\\ud7ff]/g;
    document.querySelectorAll("[data-course-hangul]").forEach((element) => {
        delete element.dataset.courseHangul;
        delete element.dataset.courseHangulCount;
    });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let marked = 0;
    while (walker.nextNode()) {
        const node = walker.currentNode, parent = node.parentElement;
        const count = (node.textContent.match(letters) || []).length;
        if (!count || !parent.getClientRects().length) continue;
        if (!parent.dataset.courseHangul) marked += 1;
        parent.dataset.courseHangul = parent.tagName.toLowerCase();
        parent.dataset.courseHangulCount = `${(+parent.dataset.courseHangulCount || 0) + count}`;
    }
    return marked;
}"""


def page_hangul_problems(page, cdp):
    """For a whole page (the site's): each shown element whose Hangul was not all drawn by the
    shipped Korean font, as (element tag, letters, glyphs per font)."""
    page.evaluate("() => document.fonts.ready.then(() => true)")
    if not page.evaluate(MARK_HANGUL):
        return []
    page.evaluate("() => document.fonts.ready.then(() => true)")
    return [
        (tag, letters, glyphs)
        for tag, letters, glyphs in hangul_fonts(cdp)
        if korean_glyphs(glyphs) < letters
    ]


def korean_glyphs(glyphs):
    return sum(count for family, count in glyphs.items() if family in KOREAN_FAMILIES)


def measure_step(page, cdp, mode):
    """Run the probe at the current step; add the font check of its Hangul. Returns the probe's
    result with findings of kind 'Hangul without the Korean font' appended."""
    page.evaluate("() => document.fonts.ready.then(() => true)")
    result = page.evaluate(PROBE, {"mode": mode, "minPx": MIN_TEXT_PX, "shrinkLimit": SHRINK_LIMIT})
    if result["hangul"]:
        page.evaluate("() => document.fonts.ready.then(() => true)")  # slices just requested
        for cell, letters, glyphs in hangul_fonts(cdp):
            if korean_glyphs(glyphs) < letters:
                drawn = ", ".join(f"{family} {count}" for family, count in sorted(glyphs.items()))
                result["findings"].append(
                    {
                        "kind": "Hangul without the Korean font",
                        "cell": cell,
                        "px": 0,
                        "text": f"{letters} Hangul letters; glyphs drawn by {drawn or 'nothing'}",
                    }
                )
    return result


def open_cdp(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    return cdp


STATE = """() => {
    const slide = Reveal.getCurrentSlide();
    const fragments = slide.querySelectorAll('.fragment').length;
    const shown = slide.querySelectorAll('.fragment.visible').length;
    return {number: Reveal.getSlidePastCount() + 1, total: Reveal.getTotalSlides(),
            fragments, shown, indices: JSON.stringify(Reveal.getIndices())};
}"""
MATH_DONE = """() => !window.MathJax || !MathJax.Hub || MathJax.Hub.queue.pending === 0"""
# Fragments fade in: measured during the fade, they would still count as hidden.
NO_TRANSITIONS = "* { transition: none !important; animation: none !important; }"
# Every picture decoded, so that its height is known before anything is measured.
IMAGES_DECODED = """() => Promise.all([...document.images].map(
    (image) => image.decode().catch(() => null))).then(() => true)"""
NOTES_SHOWN = """() => [...document.querySelectorAll('.reveal aside.notes')].filter((aside) => {
    const rect = aside.getBoundingClientRect();
    return getComputedStyle(aside).display !== 'none' && rect.width > 0 && rect.height > 0;
}).length"""


def check_deck(page, notebook_path, deck_path, screenshots=None):
    """Step through the deck at `deck_path` in `page`; return a DeckReport. With `screenshots`
    (a folder), save the first slide, the middle one and the last one there."""
    notebook = read(notebook_path)
    index_of = cell_indices(notebook)
    report = DeckReport(notebook_path)
    report.findings.extend(structure_findings(notebook))
    page.set_viewport_size({"width": FRAME[0], "height": FRAME[1]})
    page.goto(deck_path.as_uri())
    page.wait_for_selector(".reveal.ready", timeout=30_000)
    page.wait_for_function(MATH_DONE, timeout=60_000)
    page.evaluate(IMAGES_DECODED)
    page.add_style_tag(content=NO_TRANSITIONS)
    cdp = open_cdp(page)
    page.evaluate("() => Reveal.slide(0, 0, -1)")
    seen = {}
    shots = {}
    while True:
        state = page.evaluate(STATE)
        page.wait_for_function(MATH_DONE, timeout=60_000)
        report.slides = state["total"]
        report.steps += 1
        result = measure_step(page, cdp, "reveal")
        if result["smallest"] is not None:
            report.smallest = min(report.smallest or result["smallest"], result["smallest"])
        label = str(state["number"])
        if state["fragments"]:
            label += f", fragment {state['shown']}/{state['fragments']}"
        for item in result["findings"]:
            key = (item["kind"], item["cell"], item["text"] if "cut" in item["kind"] else "")
            if key not in seen:
                seen[key] = True
                cell = index_of.get(item["cell"], item["cell"])
                report.findings.append(Finding(label, cell, item["kind"], item["text"]))
        if page.evaluate(NOTES_SHOWN):
            report.findings.append(Finding(label, None, "speaker notes shown", "on the slide"))
        if state["shown"] == state["fragments"]:
            shots[state["number"]] = state["indices"]
            if screenshots is not None and _wanted_shot(state["number"], state["total"]):
                path = Path(screenshots) / f"deck-{notebook_path.stem}-slide{state['number']}.png"
                page.screenshot(path=str(path))
        page.evaluate("() => Reveal.next()")
        if page.evaluate(STATE)["indices"] == state["indices"]:
            break
    return report


# --- the live deck: jupyterlab-slideshow in JupyterLab ----------------------------------------

LAB_STATE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const notebook = panel.content;
    notebook.widgets.forEach((cell, index) => { cell.node.dataset.courseCell = `${index}`; });
    return {active: notebook.activeCellIndex,
            presenting: document.body.dataset.jpDeckMode === 'presenting',
            shown: [...document.querySelectorAll(
                '.jp-Deck .jp-Cell.jp-deck-mod-onscreen.jp-deck-mod-visible')].length};
}"""
LAB_COMMAND = "(command) => window.jupyterapp.commands.execute(command)"
# What the space bar does in the deck: the next fragment or sub-slide, else the next slide.
LAB_NEXT = """() => window.jupyterapp.commands.execute(
    'deck:go', {direction: 'down', alternate: 'forward'})"""


def check_live_deck(page, notebook_path, screenshots=None, settle_ms=400):
    """Step through jupyterlab-slideshow's deck of the notebook open (and run) in `page`, from
    the cell that is active now (after Run All: the last one), then from the first; return a
    DeckReport. The window is the frame: set it to 1280 x 720 before."""
    report = DeckReport(notebook_path)
    cdp = open_cdp(page)
    page.add_style_tag(content=NO_TRANSITIONS)
    page.evaluate(LAB_COMMAND, "deck:start")
    page.wait_for_selector("body[data-jp-deck-mode='presenting']", state="attached")
    page.wait_for_timeout(settle_ms)
    state = page.evaluate(LAB_STATE)
    if not state["shown"]:
        report.findings.append(
            Finding(
                "start",
                state["active"],
                "blank screen",
                "started on the active cell (as after Run All), the deck shows nothing",
            )
        )
    page.evaluate(LAB_COMMAND, "deck:stop")
    page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")
    page.evaluate(LAB_COMMAND, "deck:start")
    page.wait_for_timeout(settle_ms)
    seen = set()
    while True:
        state = page.evaluate(LAB_STATE)
        report.steps += 1
        result = measure_step(page, cdp, "lab")
        if result["smallest"] is not None:
            report.smallest = min(report.smallest or result["smallest"], result["smallest"])
        label = f"at cell {state['active']}"
        report.path.append(state["active"])
        for item in result["findings"]:
            cell = int(item["cell"]) if str(item["cell"]).isdigit() else item["cell"]
            key = (item["kind"], cell)
            if key not in seen:
                seen.add(key)
                report.findings.append(Finding(label, cell, item["kind"], item["text"]))
        if screenshots is not None and report.steps in (1, 3, 8):
            path = Path(screenshots) / f"live-{notebook_path.stem}-step{report.steps}.png"
            page.screenshot(path=str(path))
        page.evaluate(LAB_NEXT)
        page.wait_for_timeout(settle_ms)
        if page.evaluate(LAB_STATE)["active"] == state["active"]:
            break
    report.slides = report.steps
    page.evaluate(LAB_COMMAND, "deck:stop")
    return report


def _wanted_shot(number, total):
    return number in {1, max(1, (total + 1) // 2), total}


CHECK_OUT = ROOT / "build" / "check-slides"  # not build/slides: `make slides` owns that


def build(paths, out=CHECK_OUT):
    """Build the decks of `paths` into `out` (quietly; Korean ones into out/ko/); return their
    files."""
    return build_slides.build(paths, out=out, quiet=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--all", action="store_true", help="every notebook of both editions")
    parser.add_argument("--screenshots", type=Path, help="save three slides per deck here")
    args = parser.parse_args(argv)
    if args.all:
        paths = notebook_paths() + notebook_paths(KOREAN_NOTEBOOKS)
    else:
        paths = [path.resolve() for path in args.notebooks]
    if not paths:
        parser.error("name a notebook, or --all")
    problem = browser.missing_browser()
    if problem:
        sys.exit(problem)
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    decks = build(paths)
    reports = []
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        context = chromium.new_context(viewport={"width": FRAME[0], "height": FRAME[1]})
        refused = browser.refuse_network(context)
        for path, deck in zip(paths, decks):
            page = context.new_page()
            report = check_deck(page, path, deck, screenshots=args.screenshots)
            page.close()
            reports.append(report)
            print(report.summary())
            if not args.all or len(paths) == 1:
                print("\n".join(report.lines()))
        chromium.close()
    if refused:
        print(f"the decks asked for resources off the machine: {sorted(set(refused))}")
    failing = [report for report in reports if report.findings]
    if args.all:
        print(f"{len(failing)} of {len(reports)} decks have problems")
    return 1 if failing or refused else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "tools"))
    sys.exit(main())
