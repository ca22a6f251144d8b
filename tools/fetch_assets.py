"""Bring the JavaScript that nbconvert's HTML and slide templates load into build/assets/.

nbconvert's templates point at CDNs (unpkg, cdnjs) for reveal.js, require.js, jQuery, MathJax
and the Jupyter widgets renderer, so an exported deck or page is blank or math-less in a lecture
hall without network. This script downloads pinned versions of those packages from the npm
registry with `npm pack` (npm checks each tarball's integrity), unpacks the files the templates
use into build/assets/<package>/, and records the versions in build/assets/versions.json, so a
second run with the same pins and file lists does nothing. Nothing fetched here is ever
committed (build/ is ignored by git).

    python tools/fetch_assets.py          # fetch if missing or stale, print the folder

`exporter_config(prefix)` gives the nbconvert settings that point an exporter at a copy of
these assets reachable at the relative URL `prefix` (e.g. "_assets").
"""

import fnmatch
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "build" / "assets"
MANIFEST = ASSETS / "versions.json"

# package -> (exact version, files to keep: glob patterns relative to the package root).
# reveal.js 4 is the major nbconvert's reveal template is written for; MathJax 2 is the one its
# templates configure (MathJax.Hub); html-manager 1.x renders ipywidgets 8 state.
PACKAGES = {
    "reveal.js": ("4.6.1", ["dist/*", "plugin/notes/*"]),
    "requirejs": ("2.3.7", ["require.js"]),
    "jquery": ("3.7.1", ["dist/jquery.min.js"]),
    "mathjax": (
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
    "@jupyter-widgets/html-manager": (
        "1.0.15",
        ["dist/embed-amd.js", "dist/*.woff*", "dist/*.ttf", "dist/*.eot", "dist/*.svg"],
    ),
}
# MathJax's unpacked sources, other combined configs and image fonts are most of its 20 MB
# and are never loaded by the TeX-AMS_CHTML-full configuration the templates ask for.
DROP = ["*.map", "unpacked/*"]


def folder_name(package):
    """'@jupyter-widgets/html-manager' -> 'html-manager'."""
    return package.rsplit("/", 1)[-1]


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
    return {
        package: {"version": version, "files": patterns}
        for package, (version, patterns) in PACKAGES.items()
    }


def ensure_assets(quiet=False):
    """Fetch the pinned packages unless build/assets already holds exactly them."""
    if MANIFEST.is_file() and json.loads(MANIFEST.read_text()) == pinned():
        return ASSETS
    if ASSETS.exists():
        shutil.rmtree(ASSETS)
    ASSETS.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as download:
        for package, (version, patterns) in PACKAGES.items():
            tarball = npm_pack(f"{package}@{version}", download)
            count = unpack(tarball, patterns, ASSETS / folder_name(package))
            if not quiet:
                print(f"fetched {package}@{version}: {count} files")
    MANIFEST.write_text(json.dumps(pinned(), indent=2) + "\n")
    return ASSETS


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
