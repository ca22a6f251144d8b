"""The course's notebooks in order, and what the static builds need to know about each."""

import html
import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KOREAN_NOTEBOOKS = NOTEBOOKS / "ko"  # the Korean edition: the same file names (translations.py)
TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSET_PREFIX = "_assets"  # where a build keeps its scripts, next to its pages


def offline_exporter(exporter_class, template_name, prefix=ASSET_PREFIX, **options):
    """An nbconvert exporter with the course's template `template_name` that loads every script
    from `prefix`, a folder relative to the pages (see fetch_assets.py), so its output needs no
    network."""
    import fetch_assets
    from traitlets.config import Config

    config = Config(fetch_assets.exporter_config(prefix))
    config[exporter_class.__name__].update(
        extra_template_basedirs=[str(TEMPLATES)], template_name=template_name, **options
    )
    return exporter_class(config=config)


def notebook_paths(folder=NOTEBOOKS):
    """Every course notebook in `folder` (the English edition unless told), in file-name order
    (00, 01, ..., 05, 05b, 06, ..., 10)."""
    return sorted(Path(folder).glob("[0-9]*.ipynb"))


def is_korean(path):
    """Whether the notebook at `path` belongs to the Korean edition (notebooks/ko/)."""
    return Path(path).resolve().parent == KOREAN_NOTEBOOKS.resolve()


def title_of(notebook, fallback):
    """The text of the notebook's first level-1 heading, without markdown emphasis."""
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        match = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
        if match:
            return re.sub(r"[*_`]", "", match.group(1)).strip()
    return fallback


def read(path):
    return nbformat.read(path, as_version=4)


def index_page(heading, intro, rows, language="en", stylesheets=()):
    """A plain, offline HTML page in `language` listing (href, title, extra-html) rows; its
    Hangul in the family "Course Hangul" of `stylesheets` (fetch_assets.py), when given."""
    items = "\n".join(
        f'    <li><a href="{html.escape(href)}">{html.escape(title)}</a>{extra}</li>'
        for href, title, extra in rows
    )
    links = "".join(f'<link rel="stylesheet" href="{html.escape(href)}">\n' for href in stylesheets)
    return f"""<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(heading)}</title>
{links}<style>
  body {{ font-family: "Course Hangul", system-ui, sans-serif; max-width: 50em; margin: 2em auto;
         padding: 0 1em; line-height: 1.5; color: #222; }}
  li {{ margin: 0.4em 0; }}
  .extra {{ color: #555; margin-left: 0.5em; }}
</style>
</head>
<body>
<h1>{html.escape(heading)}</h1>
<p>{intro}</p>
<ol class="notebooks">
{items}
</ol>
</body>
</html>
"""
