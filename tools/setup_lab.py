"""Set up JupyterLab in this environment for the course: a presentation scale for decks and a
Korean font for Hangul. `make lab` runs it once per .venv (and again when this file changes).

It writes three things into the environment (sys.prefix), nothing into your home folder:

1. share/jupyter/lab/settings/overrides.json: JupyterLab's defaults for this environment.
   - jupyterlab-fonts' global styles (the extension comes with jupyterlab-slideshow):
     in deck mode (`body[data-jp-deck-mode='presenting']`) every size scales with the window
     like a 1280 x 720 slide: text 26 and code 24 "slide pixels", where one slide pixel is
     min(window width / 1280, window height / 720); and the family "Course Hangul", first in
     every font list and covering Hangul only, so Latin text keeps JupyterLab's fonts.
   - code cells wrap long lines, so that no line is cut off on a slide.
   - markdown files open rendered (Markdown Preview), so that `make lab`'s start page,
     notebooks/START.md, shows its links to the notebooks; right-click → Open With → Editor
     edits one.
   You can change all of it in Settings: what you set there wins over these defaults.
2. share/jupyter/dlcourse/static/dlcourse-fonts/: NanumGothic, regular and bold, made from the
   koreanize-matplotlib package's TTF files (the font the figures use, see dlcourse.plots):
   cut to Hangul with fontTools (which matplotlib needs anyway) and saved as WOFF, about 0.8 MB
   each, without the files' empty TSI* tables, for which browsers refuse the font.
3. etc/jupyter/jupyter_server_config.json (ServerApp.extra_static_paths, other settings kept):
   serves that folder at /static/, so the font's URL is /static/dlcourse-fonts/NanumGothic.ttf
   (for a server at the root URL, as `make lab` starts it).

    .venv/bin/python tools/setup_lab.py
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dlcourse.plots import korean_font_path  # noqa: E402

PREFIX = Path(sys.prefix)
OVERRIDES = PREFIX / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
STATIC = PREFIX / "share" / "jupyter" / "dlcourse" / "static"
FONTS = STATIC / "dlcourse-fonts"
# Not jupyter_server_config.d/: the server reads only extension switches from there.
SERVER_CONFIG = PREFIX / "etc" / "jupyter" / "jupyter_server_config.json"

KOREAN_FAMILY = "Course Hangul"  # the same name as the decks' and the site's (fetch_assets.py)
HANGUL = [(0x1100, 0x11FF), (0x3000, 0x303F), (0x3130, 0x318F), (0xA960, 0xA97F)]
HANGUL += [(0xAC00, 0xD7FF), (0xFF00, 0xFFEF)]
HANGUL_RANGE = ", ".join(f"U+{low:X}-{high:X}" for low, high in HANGUL)
# JupyterLab's own font lists (theme-light-extension), with the Korean family in front.
UI_FONTS = (
    f'"{KOREAN_FAMILY}", system-ui, -apple-system, blinkmacsystemfont, "Segoe UI", helvetica, '
    'arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol"'
)
CODE_FONTS = f'"{KOREAN_FAMILY}", menlo, consolas, "DejaVu Sans Mono", monospace'

# One slide pixel: the window is a 1280 x 720 slide, scaled to fit.
SLIDE_PX = "min(calc(100vw / 1280), calc(100vh / 720))"


def slide(px):
    return f"calc({px} * var(--course-slide-px))"


PRESENTING = {
    "--course-slide-px": SLIDE_PX,
    "--jp-content-font-size1": slide(26),
    "--jp-ui-font-size1": slide(24),
    "--jp-code-font-size": slide(24),
    "--jp-code-line-height": "1.3",
    "--jp-content-line-height": "1.35",
    "--jp-code-padding": slide(6),
    "--jp-notebook-padding": slide(4),
    "--jp-content-heading-margin-top": "0.3em",
    "--jp-content-heading-margin-bottom": "0.3em",
    "--jp-widgets-font-size": slide(24),
    "--jp-widgets-inline-height": slide(40),
    "--jp-widgets-inline-label-width": slide(120),
    "--jp-widgets-inline-width": slide(440),
    "--jp-widgets-inline-width-short": slide(210),
    "--jp-widgets-slider-handle-size": slide(22),
    "--jp-widgets-slider-track-thickness": slide(6),
    "--jp-widgets-horizontal-tab-height": slide(44),
    "--jp-widgets-horizontal-tab-width": slide(220),
}


def styles():
    """jupyterlab-fonts' global styles (JSS: selectors map to declarations)."""
    faces = [
        {
            "font-family": KOREAN_FAMILY,
            "src": f"url('/static/dlcourse-fonts/{file}') format('woff')",
            "font-weight": weight,
            "unicode-range": HANGUL_RANGE,
        }
        for file, weight in (("NanumGothic.woff", "400"), ("NanumGothicBold.woff", "700"))
    ]
    return {
        "@font-face": faces,
        ":root": {
            "--jp-ui-font-family": UI_FONTS,
            "--jp-content-font-family": UI_FONTS,
            "--jp-code-font-family": CODE_FONTS,
        },
        # Korean breaks lines between words (at spaces), not inside them; English is unaffected.
        ".jp-RenderedHTMLCommon": {"word-break": "keep-all", "overflow-wrap": "break-word"},
        "body[data-jp-deck-mode='presenting']": PRESENTING,
    }


def overrides():
    return {
        "@deathbeds/jupyterlab-fonts:fonts": {"enabled": True, "styles": styles()},
        "@jupyterlab/notebook-extension:tracker": {
            "codeCellConfig": {"lineNumbers": False, "lineWrap": True}
        },
        "@jupyterlab/docmanager-extension:plugin": {
            "defaultViewers": {"markdown": "Markdown Preview"}
        },
    }


def hangul_woff(source, target):
    """Write the Hangul of the TrueType font `source` as a WOFF file a browser accepts."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    for tag in [tag for tag in font.keys() if tag.startswith("TSI")]:
        del font[tag]  # Visual TrueType's sources: some are empty, which browsers reject
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[code for low, high in HANGUL for code in range(low, high + 1)])
    subsetter.subset(font)
    font.flavor = "woff"
    font.save(target)


def make_fonts():
    regular = korean_font_path()
    if regular is None:
        sys.exit("koreanize-matplotlib is not installed: pip install koreanize-matplotlib")
    FONTS.mkdir(parents=True, exist_ok=True)
    for name in ("NanumGothic", "NanumGothicBold"):
        hangul_woff(regular.with_name(f"{name}.ttf"), FONTS / f"{name}.woff")


def merge_json(path, settings):
    """Write `settings` into the JSON file at `path`, keeping its other top-level keys."""
    current = json.loads(path.read_text()) if path.is_file() else {}
    current.update(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n")


def main():
    make_fonts()
    merge_json(OVERRIDES, overrides())
    server = json.loads(SERVER_CONFIG.read_text()) if SERVER_CONFIG.is_file() else {}
    paths = server.get("ServerApp", {}).get("extra_static_paths", [])
    if str(STATIC) not in paths:
        server.setdefault("ServerApp", {})["extra_static_paths"] = [*paths, str(STATIC)]
    merge_json(SERVER_CONFIG, server)
    for path in (OVERRIDES, FONTS, SERVER_CONFIG):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
