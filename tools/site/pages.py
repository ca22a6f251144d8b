"""The pages of the course site: an index and the notebooks, staged where Sphinx reads them.

Sphinx needs every page inside one source folder and an index page with the table of contents,
and the repository keeps its notebooks in notebooks/ with no such page. So each build writes
build/site-src/<language>/: an index.md (the course's notebooks in order, for the sidebar) and a
copy of each notebook in which the speaker-notes cells (slide type "notes") carry myst-nb's
"remove-cell" tag, so they stay out of the pages while everything else is as committed. The
download button offers that copy: the notebook with one tag more.
"""

import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"

# Each edition: where its notebooks are, where its pages go, its title and intro, and the other
# edition, which every page links in its header and footer (templates/language-switch.html).
EDITIONS = {
    "en": {
        "notebooks": ROOT / "notebooks",
        "source": BUILD / "site-src" / "en",
        "out": BUILD / "site",
        "title": "dlcourse — how neural networks are trained",
        "intro": (
            "The course's notebooks with their outputs, for reading without Jupyter. To run "
            "the code, change it and move the widgets' sliders, open the notebooks in "
            "JupyterLab (`make lab`); each notebook has a download button at the top."
        ),
        "other": "ko",
        "label": "English",
    },
    "ko": {
        "notebooks": ROOT / "notebooks" / "ko",
        "source": BUILD / "site-src" / "ko",
        "out": BUILD / "site" / "ko",
        "title": "dlcourse — 신경망은 어떻게 학습하는가",
        "intro": (
            "강의 노트북과 실행 결과입니다. 코드를 실행하려면 JupyterLab에서 여세요 (`make lab`)."
        ),
        "other": "en",
        "label": "한국어",
    },
}
# The pages of every edition that are not notebooks; reading_guide is dlcourse/README.md (how
# the library trains a network, in reading order), which notebook 02 links.
SITE_PAGES = ["index", "search", "genindex", "reading_guide"]
READING_GUIDE = ROOT / "dlcourse" / "README.md"
GUIDE_LINK = r"\((?:\.\./)+dlcourse/README\.md\)"  # (../dlcourse/README.md), (../../...)


def notebook_paths(folder):
    """The course notebooks of `folder`, in file-name order (00, 01, ..., 05, 05b, ...)."""
    return sorted(Path(folder).glob("[0-9]*.ipynb"))


def title_of(notebook, fallback):
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        match = re.search(r"^#\s+(.+)$", source, re.MULTILINE)
        if cell["cell_type"] == "markdown" and match:
            return re.sub(r"[*_`]", "", match.group(1)).strip()
    return fallback


def language_switch(language):
    """What templates/language-switch.html needs to link each page of the edition `language` to
    the same page of the other edition (its index when that page is missing): the other
    edition's language and name, its folder relative to this edition's pages, its pages. None
    when the other edition has no notebooks (it is not built)."""
    other = EDITIONS[language]["other"]
    pages = [path.stem for path in notebook_paths(EDITIONS[other]["notebooks"])]
    if not pages:
        return None
    prefix = "ko/" if other == "ko" else "../"
    return {
        "language": other,
        "label": EDITIONS[other]["label"],
        "prefix": prefix,
        "pages": SITE_PAGES + pages,
    }


def with_site_links(notebook):
    """Links from a notebook to the library's reading guide point to its page on the site."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            cell["source"] = re.sub(GUIDE_LINK, "(reading_guide.md)", text)
    return notebook


def without_notes(notebook):
    """The notebook with its speaker notes tagged for removal from the page."""
    for cell in notebook["cells"]:
        if cell.get("metadata", {}).get("slideshow", {}).get("slide_type") == "notes":
            tags = cell["metadata"].setdefault("tags", [])
            if "remove-cell" not in tags:
                tags.append("remove-cell")
    return notebook


def index_page(edition, entries):
    toctree = "\n".join(stem for stem, _ in entries)
    listing = "\n".join(
        f"{number}. [{title}]({stem}.ipynb)" for number, (stem, title) in enumerate(entries, 1)
    )
    return (
        f"# {edition['title']}\n\n{edition['intro']}\n\n{listing}\n\n"
        f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{toctree}\n```\n"
    )


def stage(edition):
    """Fill the edition's source folder with index.md and the notebooks; return the folder."""
    source = edition["source"]
    if source.exists():
        shutil.rmtree(source)
    source.mkdir(parents=True)
    entries = []
    for path in notebook_paths(edition["notebooks"]):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        (source / path.name).write_text(
            json.dumps(with_site_links(without_notes(notebook)), ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        entries.append((path.stem, title_of(notebook, path.stem)))
    (source / "index.md").write_text(index_page(edition, entries), encoding="utf-8")
    # Linked from notebook 02, not a chapter: "orphan" keeps it out of the table of contents.
    guide = "---\norphan: true\n---\n\n" + READING_GUIDE.read_text(encoding="utf-8")
    (source / "reading_guide.md").write_text(guide, encoding="utf-8")
    return source
