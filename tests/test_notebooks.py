"""Every notebook follows the course's conventions (COURSE.md, "Notebook conventions").

nbval (in `make test`) checks that the committed outputs still come out; these tests check the
shape of each notebook: executed top to bottom, no stored errors, slide metadata on every cell,
goals first, summary and exercises last, claims backed by asserts, exercises that exist.
The run-time limit (60 s per notebook) is enforced by the plugin in the repository's
conftest.py while nbval runs, because that is where a notebook's time is actually spent.
"""

import ast
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

from dlcourse import check

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))

# The course's notebooks, in order (COURSE.md); 05b may hold the optimizer explorer.
COURSE_NOTEBOOKS = {
    "00": "00_welcome.ipynb",
    "01": "01_data_split_and_scaling.ipynb",
    "02": "02_first_network.ipynb",
    "03": "03_activations_and_init.ipynb",
    "04": "04_loss_functions.ipynb",
    "05": "05_optimizers.ipynb",
    "05b": "05b_optimizer_explorer.ipynb",
    "06": "06_overfitting.ipynb",
    "07": "07_batch_normalization.ipynb",
    "08": "08_callbacks.ipynb",
    "09": "09_save_and_load.ipynb",
    "10": "10_capstone_digits.ipynb",
    "11": "11_graduating_to_keras.ipynb",  # beyond COURSE.md's table: moving on to Keras
}
# "-" (continue the slide) is left out on purpose: jupyterlab-slideshow hides such cells in
# deck mode, so a continuation cell is a "fragment" (shown on the next key press).
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes"}
EXERCISE_CALL = re.compile(r"""check\.exercise\(\s*["'](\d\d[a-z]?)\.(\d+)["']""")
ANSWER_CHECK = re.compile(r"""check\.exercise\(\s*["']\d\d\.\d+["']\s*,\s*answer\s*\)""")
GLOSSARY_TERMS = [
    "과적합",
    "활성화 함수",
    "손실 함수",
    "오차 함수",
    "최적화",
    "배치 크기",
    "에포크",
    "역전파",
    "기울기 소실",
    "가중치 초기화",
    "배치 정규화",
    "드롭아웃",
    "규제",
    "조기 종료",
    "검증 데이터",
    "표준화",
    "정규화",
    "원-핫 인코딩",
    "학습률",
    "경사 하강법",
]


def notebook_ids(paths):
    return [path.name for path in paths]


def read(path):
    return nbformat.read(path, as_version=4)


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def number_of(path):
    """'01' for 01_data_split_and_scaling.ipynb, '05b' for 05b_optimizer_explorer.ipynb."""
    return path.name.split("_", 1)[0]


def exercises_used(notebook):
    """The exercise ids ('01.2') that the notebook's code cells check."""
    return {
        f"{major}.{minor}"
        for cell in code_cells(notebook)
        for major, minor in EXERCISE_CALL.findall(cell.source)
    }


def test_notebooks_exist():
    assert NOTEBOOKS, f"no notebooks found in {NOTEBOOKS_DIR}"


def test_notebooks_are_named_and_numbered_as_in_the_course():
    names = [path.name for path in NOTEBOOKS]
    unknown = [name for name in names if name not in COURSE_NOTEBOOKS.values()]
    assert not unknown, (
        f"{unknown} are not course notebooks; the names are: {sorted(COURSE_NOTEBOOKS.values())}"
    )
    numbers = sorted({int(number_of(path)[:2]) for path in NOTEBOOKS}) or [0]
    missing = sorted(set(range(numbers[-1] + 1)) - set(numbers))
    assert not missing, (
        f"notebooks are numbered 00 up without gaps; missing {[f'{n:02d}' for n in missing]}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=notebook_ids(NOTEBOOKS))
class TestNotebook:
    def test_is_valid_nbformat_4(self, path):
        notebook = read(path)
        nbformat.validate(notebook)
        assert notebook.nbformat == 4

    def test_kernel_is_python3(self, path):
        kernelspec = read(path).metadata.get("kernelspec", {})
        assert kernelspec.get("name") == "python3", f"kernelspec is {kernelspec}"

    def test_executed_top_to_bottom(self, path):
        cells = code_cells(read(path))
        counts = [cell.execution_count for cell in cells if cell.source.strip()]
        unexecuted = [i for i, count in enumerate(counts) if count is None]
        assert not unexecuted, f"code cells {unexecuted} were never executed: run all, then save"
        assert counts == list(range(1, len(counts) + 1)), (
            f"execution counts {counts} are not 1, 2, ..., n: restart the kernel and run all"
        )

    def test_has_no_stored_errors(self, path):
        for index, cell in enumerate(read(path).cells):
            for output in cell.get("outputs", []):
                assert output.output_type != "error", (
                    f"cell {index} stored an error: {output.get('ename')}: {output.get('evalue')}"
                )
                if output.output_type == "stream":
                    assert output.name != "stderr" or "Traceback" not in output.text, (
                        f"cell {index} printed a traceback"
                    )

    def test_every_cell_has_slideshow_metadata(self, path):
        for index, cell in enumerate(read(path).cells):
            slide_type = cell.metadata.get("slideshow", {}).get("slide_type")
            assert slide_type in SLIDE_TYPES, (
                f"cell {index} has slide_type {slide_type!r}; use one of {sorted(SLIDE_TYPES)}"
            )

    def test_opens_with_goals_and_prerequisites(self, path):
        first = read(path).cells[0]
        assert first.cell_type == "markdown"
        assert first.metadata["slideshow"]["slide_type"] == "slide"
        assert "Goals" in first.source, "the first cell lists the notebook's Goals"
        assert "You need" in first.source, "the first cell says what 'You need' before it"

    def test_ends_with_summary_then_exercises(self, path):
        cells = read(path).cells
        headings = [
            (index, cell.source)
            for index, cell in enumerate(cells)
            if cell.cell_type == "markdown" and cell.source.lstrip().startswith("#")
        ]
        summary = [index for index, source in headings if "Summary" in source.splitlines()[0]]
        exercises = [index for index, source in headings if "Exercises" in source.splitlines()[0]]
        assert summary, "no markdown heading 'Summary'"
        assert exercises, "no markdown heading 'Exercises'"
        assert summary[-1] < exercises[-1], "the Summary comes before the Exercises"
        later_headings = [index for index, _ in headings if index > exercises[-1]]
        assert not later_headings, "the Exercises are the last section"
        assert exercises_used_after(cells, exercises[-1]), "the Exercises section checks answers"

    def test_backs_claims_with_asserts(self, path):
        asserts = [
            node
            for cell in code_cells(read(path))
            for node in ast.walk(ast.parse(strip_magics(cell.source)))
            if isinstance(node, ast.Assert)
        ]
        assert asserts, "no assert: every claim about a result needs one"

    def test_exercises_are_registered_and_all_used(self, path):
        used = exercises_used(read(path))
        registered = {
            exercise.id
            for exercise in check.all_exercises()
            if exercise.id.split(".")[0] == number_of(path)
        }
        known = {exercise.id for exercise in check.all_exercises()}
        assert used <= known, f"the notebook checks unregistered exercises {sorted(used - known)}"
        assert registered <= used, (
            f"exercises {sorted(registered - used)} are registered in "
            f"dlcourse/check/nb{number_of(path)}.py but the notebook never checks them"
        )

    def test_each_exercise_starts_untouched(self, path):
        """An exercise cell left as `answer = ...` prints 'not attempted yet', not a solution."""
        cells = code_cells(read(path))
        for before, cell in zip(cells, cells[1:]):
            if ANSWER_CHECK.search(cell.source):
                assert re.search(r"^answer\s*=\s*\.\.\.", before.source, re.MULTILINE), (
                    f"the cell before {cell.source!r} should hold the placeholder `answer = ...`"
                )


def exercises_used_after(cells, start):
    return any(
        EXERCISE_CALL.search(cell.source) for cell in cells[start:] if cell.cell_type == "code"
    )


def strip_magics(source):
    """IPython lines (%matplotlib, !pip) are not Python; blank them before parsing."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )


def test_welcome_glossary_covers_the_course_terms():
    welcome = NOTEBOOKS_DIR / COURSE_NOTEBOOKS["00"]
    if not welcome.exists():
        pytest.skip("notebook 00 not written yet")
    text = "\n".join(cell.source for cell in read(welcome).cells if cell.cell_type == "markdown")
    missing = [term for term in GLOSSARY_TERMS if term not in text]
    assert not missing, f"the glossary in notebook 00 lacks {missing}"


# The run-time plugin (conftest.py at the repository root): its pieces, checked directly.
ROOT_CONFTEST = Path(__file__).resolve().parent.parent / "conftest.py"


def load_time_plugin():
    spec = importlib.util.spec_from_file_location("course_time_plugin", ROOT_CONFTEST)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_time_plugin_attributes_cells_to_their_notebook():
    notebook_of = load_time_plugin().notebook_of

    assert notebook_of("notebooks/01_data_split_and_scaling.ipynb::Cell 3") == (
        "notebooks/01_data_split_and_scaling.ipynb"
    )
    assert notebook_of("tests/test_losses.py::test_mse") is None


def test_time_plugin_flags_only_notebooks_over_the_limit():
    slow_notebooks = load_time_plugin().slow_notebooks

    seconds = {"a.ipynb": 12.0, "b.ipynb": 61.5, "c.ipynb": 75.0}
    assert slow_notebooks(seconds, 60) == [("c.ipynb", 75.0), ("b.ipynb", 61.5)]
    assert slow_notebooks(seconds, 80) == []


def test_time_plugin_fails_a_session_with_a_slow_notebook(pytester):
    """A real pytest run: a 'notebook' whose cells take 0.3 s in all fails a 0.2 s limit."""
    pytester.makepyfile(
        test_slow="""
        import time

        def test_cell():
            time.sleep(0.3)
        """
    )
    # Report the python test under a notebook-like id, as nbval items are.
    pytester.makeconftest(
        ROOT_CONFTEST.read_text() + "\n\n@pytest.hookimpl(tryfirst=True)\n"
        "def pytest_runtest_logreport(report):\n"
        "    report.nodeid = 'notebooks/99_slow.ipynb::Cell 0'\n"
    )
    result = pytester.runpytest("--notebook-time-limit=0.2", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*FAILED notebooks/99_slow.ipynb ran for 0.* s, over the limit*"])

    passing = pytester.runpytest("--notebook-time-limit=30", "-p", "no:cacheprovider")
    assert passing.ret == pytest.ExitCode.OK
    passing.stdout.fnmatch_lines(["*notebook run times: all 1 under 30 s*"])
