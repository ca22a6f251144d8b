"""Every notebook follows the course's conventions (COURSE.md, "Notebook conventions").

nbval (in `make test`) checks that the committed outputs still come out; these tests check the
shape of each notebook: executed top to bottom, no stored errors, slide metadata on every cell,
goals first, summary and exercises last, claims backed by asserts, exercises that exist, and
cells whose output varies by machine tagged so (README, "How the notebooks are tested").
The run-time report (notebooks over 60 s) and the tags' meaning are in the plugin in the
repository's conftest.py, which acts while nbval runs.
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

# The course's notebooks, in order (COURSE.md); 05b holds the optimizer explorer, 09b the
# training-diagnostics recipe that comes before the capstone.
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
    "09b": "09b_training_diagnostics.ipynb",
    "10": "10_capstone_digits.ipynb",
    "11": "11_graduating_to_keras.ipynb",  # beyond COURSE.md's table: moving on to Keras
}
# "-" (continue the slide) is left out on purpose: jupyterlab-slideshow hides such cells in
# deck mode, so a continuation cell is a "fragment" (shown on the next key press).
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes"}
EXERCISE_CALL = re.compile(r"""check\.exercise\(\s*["'](\d\d[a-z]?)\.(\d+)["']""")
ANSWER_CHECK = re.compile(r"""check\.exercise\(\s*["']\d\d[a-z]?\.\d+["']\s*,\s*answer\s*\)""")
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


# Which outputs nbval compares: the course's cell tags, defined in the root conftest.py.
ROOT_CONFTEST = Path(__file__).resolve().parent.parent / "conftest.py"


def load_course_plugin():
    spec = importlib.util.spec_from_file_location("course_plugin", ROOT_CONFTEST)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PLUGIN = load_course_plugin()
VARIES_BY_MACHINE, DEPENDS_ON_KERAS = PLUGIN.VARIES_BY_MACHINE, PLUGIN.DEPENDS_ON_KERAS
# nbval's own tag, for output that is not stable text at all (progress bars, live widgets).
NBVAL_IGNORE_OUTPUT = "nbval-ignore-output"
KNOWN_TAGS = {VARIES_BY_MACHINE, DEPENDS_ON_KERAS, NBVAL_IGNORE_OUTPUT}
# Calls that train a model; a scaler's fit() only computes means and spreads.
TRAINING_METHODS = {"fit", "train_on_batch"}


def tags_of(cell):
    return cell.metadata.get("tags", [])


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

    def test_only_the_course_tags_change_what_nbval_compares(self, path):
        for index, cell in enumerate(read(path).cells):
            unknown = set(tags_of(cell)) - KNOWN_TAGS
            assert not unknown, (
                f"cell {index} has tags {sorted(unknown)}; the known ones are {sorted(KNOWN_TAGS)}"
                " (README, 'How the notebooks are tested')"
            )
            assert not (tags_of(cell) and cell.cell_type != "code"), f"cell {index} is not code"
            markers = re.findall(r"^\s*#\s*(NBVAL_\w+|PYTEST_VALIDATE\w*)", cell.source, re.M)
            assert not markers, f"cell {index} uses nbval's comment {markers}: use a cell tag"

    def test_cells_that_train_and_print_are_tagged_varies_by_machine(self, path):
        """Training amplifies the last-bit rounding differences between CPUs (and BLAS kernels)
        into the printed decimals, so what a training cell prints is not compared; its asserts
        carry the claim. Cells that only print results of a model trained earlier are caught
        by `make test-kernels` instead."""
        cells = code_cells(read(path))
        untagged = [
            index
            for index in training_cells(cells)
            if shows_text(cells[index])
            and not {VARIES_BY_MACHINE, NBVAL_IGNORE_OUTPUT} & set(tags_of(cells[index]))
        ]
        assert not untagged, (
            f"code cells {untagged} train a model and print results: tag them "
            f"{VARIES_BY_MACHINE!r} and back their claims with asserts"
        )

    def test_outputs_that_vary_by_machine_are_backed_by_asserts(self, path):
        cells = code_cells(read(path))
        for index, cell in enumerate(cells):
            if VARIES_BY_MACHINE in tags_of(cell):
                assert shows_text(cell), (
                    f"code cell {index} is tagged {VARIES_BY_MACHINE!r} but shows no text output "
                    "(figures are not compared anyway): remove the tag"
                )
                assert backed_by_assert(cells, index), (
                    f"code cell {index} is tagged {VARIES_BY_MACHINE!r}, so nbval no longer "
                    "compares its output, yet no assert (in it or in a later cell) reads what "
                    "it computes: add the asserts that pin its claims"
                )

    def test_only_cells_of_a_notebook_that_imports_keras_depend_on_it(self, path):
        cells = code_cells(read(path))
        tagged = [i for i, cell in enumerate(cells) if DEPENDS_ON_KERAS in tags_of(cell)]
        imports_keras = any(re.search(r"^\s*import keras\b", c.source, re.M) for c in cells)
        assert imports_keras or not tagged, (
            f"code cells {tagged} are tagged {DEPENDS_ON_KERAS!r}, but the notebook never "
            "imports keras"
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


def parse(cell):
    return ast.parse(strip_magics(cell.source))


def is_training_call(node, trainers):
    """`x.fit(...)` or `x.train_on_batch(...)` (not a scaler's), or a call of a notebook
    function in `trainers`."""
    if not isinstance(node, ast.Call):
        return False
    function = node.func
    if isinstance(function, ast.Attribute) and function.attr in TRAINING_METHODS:
        return "scaler" not in ast.unparse(function.value).lower()
    return isinstance(function, ast.Name) and function.id in trainers


def calls_training(node, trainers):
    return any(is_training_call(inner, trainers) for inner in ast.walk(node))


def training_cells(cells):
    """Indices of the code cells that train: they call fit() or train_on_batch(), directly or
    through a function defined in the notebook (such as `def train(...)`)."""
    trainers, training = set(), []
    for index, cell in enumerate(cells):
        tree = parse(cell)
        functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
        found_one = True
        while found_one:
            found_one = False
            for function in functions:
                if function.name not in trainers and calls_training(function, trainers):
                    trainers.add(function.name)
                    found_one = True
        statements = [s for s in tree.body if not isinstance(s, (ast.FunctionDef, ast.ClassDef))]
        if any(calls_training(statement, trainers) for statement in statements):
            training.append(index)
    return training


def shows_text(cell):
    """Whether the cell's stored output has text nbval compares: printed lines, a value's repr
    or a table; not only figures (their images are not compared)."""
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            return True
        data = output.get("data", {})
        kinds = {kind for kind in data if not kind.startswith("image/")}
        if kinds - {"text/plain"} or (
            "text/plain" in kinds and "<Figure" not in data["text/plain"]
        ):
            return True
    return False


def assigned_names(tree):
    """Names the cell's own statements assign (not loop or comprehension variables)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def backed_by_assert(cells, index):
    """Whether the cell holds an assert, or a later cell with an assert reads a name it assigns."""
    tree = parse(cells[index])
    if any(isinstance(node, ast.Assert) for node in ast.walk(tree)):
        return True
    names = assigned_names(tree)
    for cell in cells[index + 1 :]:
        later = parse(cell)
        if any(isinstance(node, ast.Assert) for node in ast.walk(later)):
            read = {n.id for n in ast.walk(later) if isinstance(n, ast.Name)}
            if read & names:
                return True
    return False


def test_welcome_glossary_covers_the_course_terms():
    welcome = NOTEBOOKS_DIR / COURSE_NOTEBOOKS["00"]
    if not welcome.exists():
        pytest.skip("notebook 00 not written yet")
    text = "\n".join(cell.source for cell in read(welcome).cells if cell.cell_type == "markdown")
    missing = [term for term in GLOSSARY_TERMS if term not in text]
    assert not missing, f"the glossary in notebook 00 lacks {missing}"


# The policy checks above, on small made-up notebooks: they must be able to fail.


def made_up_cells(*sources_and_outputs):
    """Code cells from (source, printed text or None, tags) triples."""
    cells = []
    for source, printed, tags in sources_and_outputs:
        cell = nbformat.v4.new_code_cell(source, metadata={"tags": tags} if tags else {})
        if printed is not None:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
        cells.append(cell)
    return cells


def test_training_cells_are_found_directly_and_through_notebook_functions():
    cells = made_up_cells(
        ("scaler = StandardScaler().fit(x)", None, []),
        ("def train(model):\n    return model.fit(x, y, epochs=3)", None, []),
        ("def run_all():\n    return [train(m) for m in models]", None, []),
        ("histories = run_all()\nprint(histories)", "...", []),
        ("model.train_on_batch(x, y)", None, []),
        ("print(model.evaluate(x, y))", "0.5", []),
    )
    assert training_cells(cells) == [3, 4]


def test_a_tagged_cell_needs_text_output_and_an_assert_that_reads_its_results():
    cells = made_up_cells(
        ("accuracy = train()\nprint(accuracy)", "0.9", [VARIES_BY_MACHINE]),
        ("for name in names:\n    print(name)", "a", []),
        ("assert accuracy > 0.8", None, []),
        ("loss = train()\nprint(loss)", "0.1", [VARIES_BY_MACHINE]),
        ("assert other > 0", None, []),
    )
    assert backed_by_assert(cells, 0)
    assert not backed_by_assert(cells, 3)
    assert shows_text(cells[0]) and not shows_text(cells[2])
    figure = nbformat.v4.new_output("display_data", data={"text/plain": "<Figure size 1x1>"})
    assert not shows_text(nbformat.v4.new_code_cell("plot()", outputs=[figure]))


# The course plugin (conftest.py at the repository root): its pieces, checked directly.
def test_which_outputs_nbval_compares():
    compared = PLUGIN.output_is_compared
    assert compared([], with_keras=False) and compared(["other"], with_keras=False)
    assert not compared([VARIES_BY_MACHINE], with_keras=True)
    assert not compared([DEPENDS_ON_KERAS], with_keras=False)
    assert compared([DEPENDS_ON_KERAS], with_keras=True)
    assert not compared([DEPENDS_ON_KERAS, VARIES_BY_MACHINE], with_keras=True)


def test_time_plugin_attributes_cells_to_their_notebook():
    notebook_of = PLUGIN.notebook_of

    assert notebook_of("notebooks/01_data_split_and_scaling.ipynb::Cell 3") == (
        "notebooks/01_data_split_and_scaling.ipynb"
    )
    assert notebook_of("tests/test_losses.py::test_mse") is None


def test_time_plugin_flags_only_notebooks_over_the_limit():
    slow_notebooks = PLUGIN.slow_notebooks

    seconds = {"a.ipynb": 12.0, "b.ipynb": 61.5, "c.ipynb": 75.0}
    assert slow_notebooks(seconds, 60) == [("c.ipynb", 75.0), ("b.ipynb", 61.5)]
    assert slow_notebooks(seconds, 80) == []


def test_time_plugin_names_a_slow_notebook_without_failing(pytester):
    """A real pytest run: a 'notebook' whose cells take 0.3 s in all is named as over a 0.2 s
    limit, and the session still passes (wall time depends on the machine's load)."""
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
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*SLOW notebooks/99_slow.ipynb ran for 0.* s, over 0.2 s*"])

    passing = pytester.runpytest("--notebook-time-limit=30", "-p", "no:cacheprovider")
    assert passing.ret == pytest.ExitCode.OK
    passing.stdout.fnmatch_lines(["*notebook run times: all 1 under 30 s*"])


def made_up_notebook(path, cells):
    """Writes a notebook of code cells from (source, committed output, tags) triples."""
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )
    for count, (source, committed, tags) in enumerate(cells, start=1):
        cell = nbformat.v4.new_code_cell(source, execution_count=count, metadata={"tags": tags})
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=committed)]
        notebook.cells.append(cell)
    nbformat.write(notebook, str(path))


def test_nbval_skips_the_comparison_of_tagged_cells_but_still_runs_them(pytester, monkeypatch):
    """A real nbval run of a made-up notebook: committed outputs that do not come out fail only
    in untagged cells; a failing assert fails a tagged cell too; `depends-on-keras` outputs are
    compared only where `keras` imports (here a stand-in module on PYTHONPATH)."""
    pytester.makeconftest(ROOT_CONFTEST.read_text())
    made_up_notebook(
        pytester.path / "made_up.ipynb",
        [
            ("print(0.571)", "0.635\n", [VARIES_BY_MACHINE]),
            ("print(0.571)", "0.635\n", []),
            ("print(0.571)\nassert 0.571 > 0.6", "0.635\n", [VARIES_BY_MACHINE]),
            ("print('no keras here')", "keras says hello\n", [DEPENDS_ON_KERAS]),
            ("print('same')", "same\n", [DEPENDS_ON_KERAS]),
        ],
    )
    args = ["--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "made_up.ipynb"]
    without_keras = pytester.runpytest_subprocess(*args)
    without_keras.assert_outcomes(passed=3, failed=2)
    without_keras.stdout.fnmatch_lines(
        ["*how to fix*", "*tag the cell `varies-by-machine`*", "FAILED made_up.ipynb::Cell 1*"]
    )
    without_keras.stdout.fnmatch_lines(["FAILED made_up.ipynb::Cell 2*"])

    (pytester.path / "keras").mkdir()
    (pytester.path / "keras" / "__init__.py").write_text("")
    monkeypatch.setenv("PYTHONPATH", str(pytester.path))
    with_keras = pytester.runpytest_subprocess(*args)
    with_keras.assert_outcomes(passed=2, failed=3)
    with_keras.stdout.fnmatch_lines(["FAILED made_up.ipynb::Cell 3*"])


def test_the_sanitizer_hides_figure_sizes_and_addresses_only():
    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns((NOTEBOOKS_DIR / "nbval_sanitize.cfg").read_text())

    def sanitized(text):
        for regex, replacement in patterns:
            text = re.sub(regex, replacement, text)
        return text

    assert sanitized("<Figure size 520x360 with 1 Axes>") == "<FIGURE>"
    assert sanitized("<Figure size 1008x244.8 with 4 Axes>") == "<FIGURE>"
    assert sanitized("<Layer object at 0x7f3a2b10>") == "<Layer object at 0xADDRESS>"
    assert sanitized("kernel (30x100), 0.0e+00, 10x20") == "kernel (30x100), 0.0e+00, 10x20"
