"""The Korean edition stays in step with the English notebooks (tools/translations.py).

The mechanism is tested here on small notebooks: code and outputs are copied, a translation
records the English text it translates, and an edited English cell makes its translation
stale, named by cell.
"""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "translations.py"
spec = importlib.util.spec_from_file_location("translations", TOOL)
translations = importlib.util.module_from_spec(spec)
spec.loader.exec_module(translations)


def notebook():
    """A small English notebook: a title, a code cell with an output, a text cell."""
    nb = nbformat.v4.new_notebook()
    title = nbformat.v4.new_markdown_cell("# Activations\n\nThe sigmoid squashes numbers.")
    code = nbformat.v4.new_code_cell("print(1 + 1)", execution_count=1)
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    text = nbformat.v4.new_markdown_cell("Its slope is at most 0.25.")
    for cell, cell_id, slide in (
        (title, "title", "slide"),
        (code, "code", "fragment"),
        (text, "text", "fragment"),
    ):
        cell.id = cell_id
        cell.metadata["slideshow"] = {"slide_type": slide}
    nb.cells = [title, code, text]
    return nb


def translate(korean, english, texts):
    """Put Korean `texts` ({cell id: text}) into `korean` and stamp them as a translator does."""
    sources = {c.id: c.source for c in english.cells}
    for cell in korean.cells:
        if cell.id in texts:
            cell.source = texts[cell.id]
            cell.metadata["translation"] = {"en_sha": translations.source_sha(sources[cell.id])}
    return korean


KOREAN_TEXTS = {
    "title": "# 활성화 함수\n\n시그모이드는 수를 눌러 담습니다.",
    "text": "기울기는 최대 0.25입니다.",
}


def test_a_new_korean_notebook_copies_the_code_and_marks_every_text_untranslated():
    english = notebook()
    korean = translations.synced(english)
    assert [c.id for c in korean.cells] == ["title", "ko-language", "code", "text"]
    assert 'check.language("ko")' in korean.cells[1].source
    assert korean.cells[2] == english.cells[1]  # the code cell, outputs included
    found = translations.problems(english, korean, "ko/03.ipynb")
    assert found == [
        "ko/03.ipynb cell 0 (id title): not translated yet",
        "ko/03.ipynb cell 2 (id text): not translated yet",
    ]


def test_a_translated_notebook_is_in_step():
    english = notebook()
    korean = translate(translations.synced(english), english, KOREAN_TEXTS)
    assert translations.problems(english, korean, "ko") == []


def test_an_edited_english_cell_makes_its_translation_stale_naming_the_cell():
    english = notebook()
    korean = translate(translations.synced(english), english, KOREAN_TEXTS)
    english.cells[2].source = "Its slope is at most 0.25, at x = 0."
    assert translations.problems(english, korean, "ko/03.ipynb") == [
        "ko/03.ipynb cell 2 (id text): stale, the English cell changed since it was translated"
    ]
    # sync keeps the (stale) Korean text: a translator updates it, then accepts it
    resynced = translations.synced(english, korean)
    assert resynced.cells[3].source == KOREAN_TEXTS["text"]
    assert translations.problems(english, resynced, "ko") != []


def test_edited_english_code_or_outputs_must_be_synced():
    english = notebook()
    korean = translate(translations.synced(english), english, KOREAN_TEXTS)
    english.cells[1].outputs[0]["text"] = "3\n"
    assert translations.problems(english, korean, "ko") == [
        "ko cell 1 (id code): code cell's outputs is out of step with the English: run sync"
    ]
    resynced = translations.synced(english, korean)
    assert translations.problems(english, resynced, "ko") == []
    assert resynced.cells[2].outputs[0]["text"] == "3\n"


def test_sync_adds_new_english_cells_untranslated_and_drops_removed_ones():
    english = notebook()
    korean = translate(translations.synced(english), english, KOREAN_TEXTS)
    added = nbformat.v4.new_markdown_cell("ReLU keeps gradients alive.")
    added.id, added.metadata["slideshow"] = "relu", {"slide_type": "slide"}
    english.cells = [english.cells[0], english.cells[1], added]  # "text" removed, "relu" added
    resynced = translations.synced(english, korean)
    assert [c.id for c in resynced.cells] == ["title", "ko-language", "code", "relu"]
    assert resynced.cells[0].source == KOREAN_TEXTS["title"]
    assert translations.problems(english, resynced, "ko") == [
        "ko cell 2 (id relu): not translated yet"
    ]


def test_slide_metadata_follows_the_english_and_untranslated_text_is_caught():
    english = notebook()
    korean = translate(translations.synced(english), english, KOREAN_TEXTS)
    english.cells[2].metadata["slideshow"] = {"slide_type": "skip"}
    assert "metadata" in translations.problems(english, korean, "ko")[0]
    korean = translations.synced(english, korean)
    assert korean.cells[3].metadata["slideshow"] == {"slide_type": "skip"}
    korean.cells[3].source = english.cells[2].source  # stamped, but still English
    assert translations.problems(english, korean, "ko") == [
        "ko cell 2 (id text): holds no Korean text"
    ]


def test_sync_status_and_accept_on_files(tmp_path, monkeypatch):
    monkeypatch.setattr(translations, "ENGLISH", tmp_path)
    monkeypatch.setattr(translations, "KOREAN", tmp_path / "ko")
    monkeypatch.setattr(translations, "ROOT", tmp_path)
    english_path = tmp_path / "03_activations.ipynb"
    nbformat.write(notebook(), english_path)
    assert translations.status() == [
        "ko/03_activations.ipynb: missing (run sync, then translate it)"
    ]
    assert translations.sync() == [tmp_path / "ko" / "03_activations.ipynb"]
    assert translations.sync() == []  # nothing changes the second time
    korean_path = tmp_path / "ko" / "03_activations.ipynb"
    korean = nbformat.read(korean_path, as_version=4)
    for cell in korean.cells:
        if cell.id in KOREAN_TEXTS:
            cell.source = KOREAN_TEXTS[cell.id]
    nbformat.write(korean, korean_path)
    assert len(translations.status()) == 2  # translated but not yet accepted
    assert translations.accept(korean_path) == ["title", "text"]
    assert translations.status() == []
    with pytest.raises(SystemExit, match="nope"):
        translations.accept(korean_path, ["nope"])


def test_the_exercise_checker_speaks_korean_in_the_korean_notebook():
    english = notebook()
    exercise = nbformat.v4.new_code_cell('check.exercise("03.1", answer)', execution_count=2)
    exercise.id, exercise.metadata["slideshow"] = "exercise", {"slide_type": "fragment"}
    exercise.outputs = [
        nbformat.v4.new_output(
            "stream",
            name="stdout",
            text=("Exercise 03.1: not attempted yet — replace the ... with your answer.\n"),
        )
    ]
    english.cells.append(exercise)
    korean = translate(translations.synced(english), english, KOREAN_TEXTS)
    assert korean.cells[-1].outputs[0]["text"] == (
        "연습 문제 03.1: 아직 풀지 않았습니다 — ... 자리에 답을 쓰세요.\n"
    )
    assert translations.problems(english, korean, "ko") == []
    korean.cells[-1].outputs = english.cells[-1].outputs  # English feedback in Korean notebook
    assert translations.problems(english, korean, "ko") == [
        "ko cell 3 (id exercise): code cell's outputs is out of step with the English: run sync"
    ]


def test_a_checker_cell_that_needs_other_cells_is_refused_by_name():
    exercise = nbformat.v4.new_code_cell('check.exercise("03.1", my_slope)', execution_count=2)
    exercise.id = "exercise"
    with pytest.raises(ValueError, match="NameError: name 'my_slope' is not defined"):
        translations.korean_outputs(exercise)
    exercise.source = 'check.exercise("03.1", 0.5)'  # prints more than the committed output
    with pytest.raises(ValueError, match="cell exercise calls the exercise checker"):
        translations.korean_outputs(exercise)


# --- the course's own notebooks -------------------------------------------------------------


def edition_problems():
    """Everything that keeps the Korean edition from being in step with the English one: a
    missing twin, a missing or stale translation, code or outputs not synced (`status`), and a
    Korean notebook whose English notebook is gone."""
    found = translations.status()
    english_names = {path.name for path in translations.english_notebooks()}
    for path in sorted(translations.KOREAN.glob("*.ipynb")):
        if path.name not in english_names:
            found.append(f"notebooks/ko/{path.name}: has no English notebook (renamed or removed?)")
    return found


def test_every_english_notebook_has_an_in_step_korean_twin():
    """The finished Korean edition: each English notebook has its twin in notebooks/ko, every
    text cell translated from the English text it has now, code and outputs synced."""
    found = edition_problems()
    assert not found, (
        f"the Korean edition is out of step ({len(found)} problem(s)); see TRANSLATE.md:\n"
        + "\n".join(found)
    )


def test_an_edited_english_cell_fails_the_in_step_test_naming_the_cell(tmp_path, monkeypatch):
    """The test above on a real notebook: a Korean twin made with `sync`, its text cells given
    (stand-in) Korean and accepted, is in step; one edited English cell makes it fail, by name."""
    english_path = translations.english_notebooks()[0]
    (tmp_path / "ko").mkdir()
    (tmp_path / english_path.name).write_bytes(english_path.read_bytes())
    monkeypatch.setattr(translations, "ENGLISH", tmp_path)
    monkeypatch.setattr(translations, "KOREAN", tmp_path / "ko")
    monkeypatch.setattr(translations, "ROOT", tmp_path)
    (korean_path,) = translations.sync()
    korean = nbformat.read(korean_path, as_version=4)
    texts = [c for c in korean.cells if c.cell_type != "code"]
    for cell in texts:
        cell.source = f"번역된 글 ({cell.id})"
    nbformat.write(korean, korean_path)
    translations.accept(korean_path)
    assert edition_problems() == []

    english = nbformat.read(tmp_path / english_path.name, as_version=4)
    index, edited = next((i, c) for i, c in enumerate(english.cells) if c.id == texts[-1].id)
    edited.source += "\n\nOne more sentence."
    nbformat.write(english, tmp_path / english_path.name)
    assert edition_problems() == [
        f"ko/{english_path.name} cell {index} (id {edited.id}): stale, the English cell changed "
        "since it was translated"
    ]


def test_the_start_page_links_both_editions_of_every_notebook():
    """notebooks/START.md, where `make lab` opens: each English notebook and its Korean twin, and
    no link that leads nowhere (the Korean twins' existence is the in-step test's)."""
    start = translations.ENGLISH / "START.md"
    links = re.findall(r"\]\(([^)#]+)\)", start.read_text(encoding="utf-8"))
    names = [path.name for path in translations.english_notebooks()]
    notebook_links = [link for link in links if link.endswith(".ipynb")]
    assert notebook_links == [link for name in names for link in (name, f"ko/{name}")]
    for link in links:
        if not link.startswith("ko/"):
            assert (start.parent / link).is_file(), f"START.md links to {link}, which is missing"
