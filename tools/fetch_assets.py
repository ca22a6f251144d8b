"""Bring the scripts and fonts that the decks and the site load into build/assets/.

nbconvert's and Sphinx's templates point at CDNs (unpkg, cdnjs, jsdelivr) for reveal.js,
require.js, jQuery, MathJax and the Jupyter widgets renderer, so an exported deck or page is
blank or math-less in a lecture hall without network, and no machine is sure to have a Korean
font. This script downloads pinned versions of those packages and of a Korean web font from the
npm registry with `npm pack` (npm checks each tarball's integrity), unpacks the files used into
build/assets/<folder>/, and records the versions in build/assets/versions.json, so a
second run with the same pins and file lists does nothing. Nothing fetched here is ever
committed (build/ is ignored by git).

    python tools/fetch_assets.py          # fetch if missing or stale, print the folder

`exporter_config(prefix)` gives the nbconvert settings that point an exporter at a copy of
these assets reachable at the relative URL `prefix` (e.g. "_assets").
"""

import fnmatch
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "build" / "assets"
MANIFEST = ASSETS / "versions.json"

# folder in build/assets -> (npm package, exact version, files to keep: globs in the package).
# reveal.js 4 is the major nbconvert's reveal template is written for; MathJax 2 is the one its
# templates configure (MathJax.Hub), MathJax 3 the one Sphinx configures for the site;
# html-manager 1.x renders ipywidgets 8 state; Nanum Gothic is the Korean font of the decks and
# the site (the same typeface as the figures' NanumGothic, see dlcourse.plots), split by
# @fontsource into unicode-range slices so that a page loads only the slices its Hangul needs.
PACKAGES = {
    "reveal.js": ("reveal.js", "4.6.1", ["dist/*", "plugin/notes/*"]),
    "requirejs": ("requirejs", "2.3.7", ["require.js"]),
    "jquery": ("jquery", "3.7.1", ["dist/jquery.min.js"]),
    "mathjax": (
        "mathjax",
        "2.7.9",
        [
            "MathJax.js",
            "config/TeX-AMS_CHTML-full.js",
            "config/Safe.js",
            "config/local/*",
            "extensions/*",
            "jax/element/*",
            "jax/input/TeX/*",
            "jax/output/CommonHTML/*",
            "fonts/HTML-CSS/TeX/woff/*",
            "localization/en/*",
        ],
    ),
    "mathjax3": (
        "mathjax",
        "3.2.2",
        ["es5/tex-mml-chtml.js", "es5/output/chtml/fonts/woff-v2/*", "LICENSE"],
    ),
    "html-manager": (
        "@jupyter-widgets/html-manager",
        "1.0.15",
        ["dist/embed-amd.js", "dist/*.woff*", "dist/*.ttf", "dist/*.eot", "dist/*.svg"],
    ),
    "nanum-gothic": (
        "@fontsource/nanum-gothic",
        "5.3.0",
        ["400.css", "700.css", "files/*-400-normal.woff2", "files/*-700-normal.woff2", "LICENSE"],
    ),
}
# The Korean font, declared for Hangul only: fetch_assets writes KOREAN_FONT_CSS from
# @fontsource's CSS with every unicode-range cut down to HANGUL, under the family name
# KOREAN_FONT_FAMILY. Pages put that family FIRST in their font lists: Latin text never matches
# it (out of range), and Hangul always does. (Placed after other families, Chromium on Linux
# draws Hangul as empty boxes when an earlier family resolves to a system font without it.)
KOREAN_FONT_SOURCE = ["nanum-gothic/400.css", "nanum-gothic/700.css"]
KOREAN_FONT_CSS = "nanum-gothic/hangul.css"
KOREAN_FONT_FAMILY = "Course Hangul"
# Hangul Jamo, CJK symbols and punctuation, compatibility Jamo, Jamo extended A, syllables,
# Jamo extended B, half- and full-width forms.
HANGUL = [
    (0x1100, 0x11FF),
    (0x3000, 0x303F),
    (0x3130, 0x318F),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7AF),
    (0xD7B0, 0xD7FF),
    (0xFF00, 0xFFEF),
]
# MathJax's unpacked sources, other combined configs and image fonts are most of its 20 MB
# and are never loaded by the TeX-AMS_CHTML-full configuration the templates ask for.
DROP = ["*.map", "unpacked/*"]


def wanted(relative, patterns):
    if any(fnmatch.fnmatch(relative, pattern) for pattern in DROP):
        return False
    return any(fnmatch.fnmatch(relative, pattern) for pattern in patterns)


def npm_pack(spec, destination):
    """Download one package tarball with npm; return its path."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(
            "npm is needed to fetch reveal.js, MathJax, ... from the npm registry "
            "(Debian: apt-get install npm)"
        )
    result = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(destination), "--silent"],
        check=True,
        capture_output=True,
        text=True,
    )
    name = result.stdout.strip().splitlines()[-1]
    return Path(destination) / name


def unpack(tarball, patterns, target):
    count = 0
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            relative = member.name.split("/", 1)[1]  # npm tarballs hold everything in package/
            if not wanted(relative, patterns):
                continue
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, open(path, "wb") as sink:
                shutil.copyfileobj(source, sink)
            count += 1
    if not count:
        raise RuntimeError(f"{tarball.name}: none of {patterns} found")
    return count


def pinned():
    """What build/assets must hold: each package's version and the files kept from it."""
    packages = {
        folder: {"package": package, "version": version, "files": patterns}
        for folder, (package, version, patterns) in PACKAGES.items()
    }
    korean = {"family": KOREAN_FONT_FAMILY, "ranges": [list(pair) for pair in HANGUL]}
    return {**packages, KOREAN_FONT_CSS: korean}


def ensure_assets(quiet=False):
    """Fetch the pinned packages unless build/assets already holds exactly them."""
    if MANIFEST.is_file() and json.loads(MANIFEST.read_text()) == pinned():
        return ASSETS
    if ASSETS.exists():
        shutil.rmtree(ASSETS)
    ASSETS.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as download:
        for folder, (package, version, patterns) in PACKAGES.items():
            tarball = npm_pack(f"{package}@{version}", download)
            count = unpack(tarball, patterns, ASSETS / folder)
            if not quiet:
                print(f"fetched {package}@{version}: {count} files")
    write_korean_css(ASSETS)
    MANIFEST.write_text(json.dumps(pinned(), indent=2) + "\n")
    return ASSETS


def parse_unicode_range(text):
    """'U+39,U+ac04-ac1c' -> [(0x39, 0x39), (0xAC04, 0xAC1C)]."""
    ranges = []
    for part in text.split(","):
        part = part.strip().upper().removeprefix("U+")
        low, _, high = part.partition("-")
        ranges.append((int(low, 16), int(high or low, 16)))
    return ranges


def hangul_only(ranges):
    """The parts of `ranges` inside HANGUL, as a CSS unicode-range (empty if none)."""
    kept = [
        (max(low, start), min(high, end))
        for low, high in ranges
        for start, end in HANGUL
        if max(low, start) <= min(high, end)
    ]
    return ",".join(f"U+{low:X}" if low == high else f"U+{low:X}-{high:X}" for low, high in kept)


def hangul_css(css):
    """@fontsource's @font-face rules for Hangul only, under the family KOREAN_FONT_FAMILY."""
    faces = []
    for rule in re.findall(r"@font-face\s*{[^}]*}", css):
        match = re.search(r"unicode-range:\s*([^;]+);", rule)
        kept = hangul_only(parse_unicode_range(match.group(1))) if match else ""
        if not kept:
            continue
        rule = re.sub(r"font-family:[^;]+;", f"font-family: '{KOREAN_FONT_FAMILY}';", rule)
        faces.append(rule.replace(match.group(0), f"unicode-range: {kept};"))
    return "\n".join(faces) + "\n"


def write_korean_css(assets):
    css = "".join((assets / source).read_text() for source in KOREAN_FONT_SOURCE)
    (assets / KOREAN_FONT_CSS).write_text(hangul_css(css))


def copy_assets(destination):
    """Copy the fetched assets into `destination` (a self-contained output folder)."""
    source = ensure_assets()
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(source, destination)
    return destination


def exporter_config(prefix):
    """nbconvert settings that load every script from `prefix`, a URL relative to the page."""
    widgets = f"{prefix}/html-manager/dist/embed-amd.js"
    common = {
        "require_js_url": f"{prefix}/requirejs/require.js",
        "jquery_url": f"{prefix}/jquery/dist/jquery.min.js",
        "mathjax_url": f"{prefix}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
        "widget_renderer_url": widgets,
    }
    return {
        "HTMLExporter": dict(common),
        "SlidesExporter": dict(common, reveal_url_prefix=f"{prefix}/reveal.js"),
    }


if __name__ == "__main__":
    print(ensure_assets())
