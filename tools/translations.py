"""Keep the Korean edition (notebooks/ko/) in step with the English notebooks.

A Korean notebook holds the same cells as its English twin, in the same order and with the same
cell ids. Its code cells (source, outputs, metadata) are copies of the English ones, rewritten
by `sync`, so the Korean edition is never executed on its own. The one exception is what the
exercise checker prints: a cell that calls `check.exercise` or `check.solution` is replayed on
its own (with `answer = ...`, the untouched placeholder) to get the same feedback in Korean.
Its markdown cells hold the Korean text, and each records which version of the English cell it
translates:

    cell.metadata["translation"] = {"en_sha": "<12 hex digits of sha256(English source)>"}

A translation is *missing* while the cell still holds the English text `sync` copied in (its
`en_sha` is null) and *stale* once the English cell has changed since it was translated (the
English source no longer has that hash). Cells that exist only in Korean (the cell that turns
on Korean exercise feedback) carry `{"ko_only": true}` and stay in front of the cell they
preceded.

    python tools/translations.py sync [NB...]    # copy code, outputs, metadata; add and drop cells
    python tools/translations.py status [NB...]  # every missing or stale translation, by cell
    python tools/translations.py accept NB [ID...]   # NB's cells now match the English

After editing an English notebook: run `sync`, look at `status`, update the Korean text of each
cell it lists (the English text it now translates is shown), then `accept` those cells.
tests/test_translations.py fails on anything `status` would list.
"""

import argparse
import contextlib
import copy
import hashlib
import io
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "notebooks"
KOREAN = ENGLISH / "ko"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")

CHECK_CALL = re.compile(r"\bcheck\.(exercise|solution)\(")
LANGUAGE_CELL = 'from dlcourse import check\n\ncheck.language("ko")  # 연습 문제 피드백을 한국어로'


def english_notebooks():
    return sorted(ENGLISH.glob("[0-9]*.ipynb"))


def korean_path(english_path):
    return KOREAN / Path(english_path).name


def source_sha(source):
    """The version stamp of an English cell: the first 12 hex digits of its text's sha256."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]


def translation_of(cell):
    return cell.metadata.get("translation", {})


def is_ko_only(cell):
    return bool(translation_of(cell).get("ko_only"))


def language_cell():
    """The Korean-only cell that turns on Korean feedback from `check.exercise`."""
    cell = nbformat.v4.new_code_cell(LANGUAGE_CELL)
    cell.id = "ko-language"
    cell.metadata = {"slideshow": {"slide_type": "skip"}, "translation": {"ko_only": True}}
    return cell


def replayed(source, language):
    """What a cell calling the exercise checker prints in `language`, run on its own."""
    from dlcourse import check

    previous = check.current_language()
    check.language(language)
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(source, "<cell>", "exec"), {"answer": ..., "check": check})
    finally:
        check.language(previous)
    return printed.getvalue()


def korean_outputs(cell):
    """The outputs of English code `cell` as the Korean notebook shows them: the same, except
    that the exercise checker's feedback is in Korean."""
    if not CHECK_CALL.search(cell.source):
        return copy.deepcopy(cell.outputs)
    printed = [o for o in cell.outputs if o.output_type == "stream" and o.name == "stdout"]
    english = "".join(o.text for o in printed)
    try:
        same = replayed(cell.source, "en") == english
    except Exception as error:
        same, english = False, f"{type(error).__name__}: {error}"
    if not same:
        raise ValueError(
            f"cell {cell.id} calls the exercise checker but does not print the same on its own "
            f"({english.strip()!r}): keep such cells to `check.exercise(id, answer)` or "
            "`check.solution(id)`"
        )
    outputs = [o for o in copy.deepcopy(cell.outputs) if o not in printed]
    if printed:
        korean = nbformat.v4.new_output("stream", name="stdout", text=replayed(cell.source, "ko"))
        outputs.insert(cell.outputs.index(printed[0]), korean)
    return outputs


def synced(english, korean=None):
    """The Korean notebook for `english`, keeping the Korean text and ko-only cells of `korean`.

    Code cells are copied whole; a text cell keeps its Korean source and stamp, and takes the
    English cell's other metadata (slide type, tags). An English cell with no Korean twin yet is
    copied in English with a null stamp: `status` reports it as missing.
    """
    korean_cells = {c.id: c for c in (korean.cells if korean else []) if not is_ko_only(c)}
    ko_only_before = {}  # English cell id -> the ko-only cells that stood in front of it
    pending = []
    for cell in korean.cells if korean else []:
        if is_ko_only(cell):
            pending.append(cell)
        elif pending:
            ko_only_before[cell.id], pending = pending, []
    if korean is None:
        first_code = next((c.id for c in english.cells if c.cell_type == "code"), None)
        ko_only_before[first_code] = [language_cell()]

    result = copy.deepcopy(english)
    result.cells = []
    for cell in english.cells:
        result.cells.extend(ko_only_before.pop(cell.id, []))
        twin = korean_cells.get(cell.id)
        if cell.cell_type == "code":
            new = copy.deepcopy(cell)
            new.outputs = korean_outputs(cell)
        elif twin is None or twin.cell_type != cell.cell_type:
            new = copy.deepcopy(cell)
            new.metadata["translation"] = {"en_sha": None}
        else:
            new = copy.deepcopy(cell)
            new.source = twin.source
            new.metadata["translation"] = dict(translation_of(twin))
        result.cells.append(new)
    result.cells.extend(cell for cells in ko_only_before.values() for cell in cells)
    result.cells.extend(pending)
    return result


def problems(english, korean, name):
    """Every way `korean` is out of step with `english`, one line per cell, naming it."""
    found = []
    cells = [c for c in korean.cells if not is_ko_only(c)]
    english_ids = [c.id for c in english.cells]
    korean_ids = [c.id for c in cells]
    if english_ids != korean_ids:
        missing = [i for i in english_ids if i not in korean_ids]
        extra = [i for i in korean_ids if i not in english_ids]
        found.append(
            f"{name}: cells differ from the English notebook (missing {missing}, extra {extra}, "
            "or in another order): run `python tools/translations.py sync`"
        )
        return found
    for index, (en, ko) in enumerate(zip(english.cells, cells)):
        where = f"{name} cell {index} (id {en.id})"
        if en.cell_type != ko.cell_type:
            found.append(f"{where}: is {ko.cell_type} in Korean but {en.cell_type} in English")
            continue
        if en.cell_type == "code":
            expected = {**en, "outputs": korean_outputs(en)}
            for field in ("source", "outputs", "execution_count", "metadata"):
                if expected.get(field) != ko.get(field):
                    found.append(
                        f"{where}: code cell's {field} is out of step with the English: run sync"
                    )
            continue
        metadata = {k: v for k, v in ko.metadata.items() if k != "translation"}
        if metadata != en.metadata:
            found.append(f"{where}: metadata (slide type, tags) differs from the English: run sync")
        stamp = translation_of(ko).get("en_sha")
        if stamp is None:
            found.append(f"{where}: not translated yet")
        elif stamp != source_sha(en.source):
            found.append(f"{where}: stale, the English cell changed since it was translated")
        elif ENGLISH_WORD.search(en.source) and not HANGUL.search(ko.source):
            found.append(f"{where}: holds no Korean text")
    for index, cell in enumerate(korean.cells):
        if is_ko_only(cell) and cell.cell_type == "code" and cell.get("outputs"):
            found.append(f"{name} cell {index} (id {cell.id}): a ko-only cell must have no outputs")
    if korean.metadata != english.metadata:
        found.append(f"{name}: notebook metadata differs from the English: run sync")
    return found


def read(path):
    return nbformat.read(path, as_version=4)


def write(notebook, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


def sync(paths=None):
    """Rewrite every Korean notebook from its English twin; return the paths written."""
    written = []
    for english_path in paths or english_notebooks():
        target = korean_path(english_path)
        korean = read(target) if target.exists() else None
        new = synced(read(english_path), korean)
        if korean is None or new != korean:
            write(new, target)
            written.append(target)
    return written


def status(paths=None):
    """Every problem of every Korean notebook (a missing notebook is one problem)."""
    found = []
    for english_path in paths or english_notebooks():
        target = korean_path(english_path)
        if not target.exists():
            found.append(f"{target.relative_to(ROOT)}: missing (run sync, then translate it)")
            continue
        found += problems(read(english_path), read(target), str(target.relative_to(ROOT)))
    return found


def accept(korean_file, cell_ids=None):
    """Stamp the named text cells (all text cells without ids given) as translating the
    current English text. Returns the ids stamped."""
    target = Path(korean_file)
    english = {c.id: c for c in read(ENGLISH / target.name).cells}
    korean = read(target)
    stamped = []
    for cell in korean.cells:
        if is_ko_only(cell) or cell.cell_type == "code" or cell.id not in english:
            continue
        if cell_ids and cell.id not in cell_ids:
            continue
        cell.metadata.setdefault("translation", {})["en_sha"] = source_sha(english[cell.id].source)
        stamped.append(cell.id)
    unknown = sorted(set(cell_ids or ()) - set(stamped))
    if unknown:
        raise SystemExit(f"{target}: no text cells with id(s) {unknown}")
    write(korean, target)
    return stamped


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, purpose in [
        ("sync", "copy code, outputs and metadata from the English notebooks"),
        ("status", "list missing and stale translations"),
    ]:
        command = commands.add_parser(name, help=purpose)
        command.add_argument("notebooks", nargs="*", help="English notebooks (default: all)")
    accepting = commands.add_parser("accept", help="record that cells now match the English")
    accepting.add_argument("notebook", help="a Korean notebook, e.g. notebooks/ko/03_....ipynb")
    accepting.add_argument("cell_ids", nargs="*", help="cell ids (default: every text cell)")
    args = parser.parse_args(argv)
    chosen = [Path(p) for p in getattr(args, "notebooks", [])] or None
    if args.command == "sync":
        for path in sync(chosen):
            print(f"wrote {path.relative_to(ROOT)}")
    elif args.command == "status":
        found = status(chosen)
        english = {c.id: c for p in chosen or english_notebooks() for c in read(p).cells}
        for line in found:
            print(line)
            match = re.search(r"\(id ([^)]+)\): (?:stale|not translated)", line)
            if match and match.group(1) in english:
                print("    English now: " + english[match.group(1)].source.replace("\n", "\n    "))
        print(f"{len(found)} problem(s)" if found else "the Korean edition is in step")
        return 1 if found else 0
    else:
        stamped = accept(args.notebook, args.cell_ids)
        print(f"stamped {len(stamped)} cell(s) in {args.notebook}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
