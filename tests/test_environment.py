"""The two ways to install the course stay in step, and CI runs the documented test command.

pip users install from pyproject.toml, conda users from environment.yml: a dependency added to
one and forgotten in the other would break the course for half the learners, so the two lists
must name the same packages with the same version bounds.
"""

import re
import shlex
from pathlib import Path

import pytest
from packaging.version import Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: tomli, the same parser, which pytest installs there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
CONDA_ONLY = {"python", "pip"}  # the interpreter and installer, which pip does not list
TEST_COMMAND = (
    "-n 2 --dist loadscope tests --nbval --nbval-current-env "
    "--nbval-sanitize-with notebooks/nbval_sanitize.cfg notebooks --ignore=notebooks/ko"
)
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")


def parse_requirement(text):
    """'numpy >= 1.24' -> ('numpy', '>=1.24'): normalized name, bounds without spaces, sorted."""
    match = REQUIREMENT.match(text)
    assert match, f"cannot read the requirement {text!r}"
    name, bounds = match.groups()
    name = re.sub(r"[-_.]+", "-", name).lower()
    bounds = ",".join(sorted(part.replace(" ", "") for part in bounds.split(",") if part.strip()))
    return name, bounds


def pyproject_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project.get("optional-dependencies", {})
    texts = project["dependencies"]
    for extra in ("course", "test", "site"):
        texts = texts + extras.get(extra, [])
    return dict(parse_requirement(text) for text in texts)


def conda_dependency_lines(text):
    """The entries of environment.yml's `dependencies:` list, with those of its nested `pip:`
    list (packages conda does not have, installed from PyPI)."""
    entries, inside = [], False
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped:
            continue
        if not line.startswith((" ", "-")):
            inside = stripped == "dependencies:"
            continue
        if inside and re.match(r"^\s*-\s", stripped):
            entries.append(stripped.split("-", 1)[1].strip())
    return entries


def conda_requirements():
    text = (ROOT / "environment.yml").read_text()
    requirements = dict(
        parse_requirement(entry)
        for entry in conda_dependency_lines(text)
        if not entry.endswith(":")
    )
    return {name: bounds for name, bounds in requirements.items() if name not in CONDA_ONLY}


def test_requirement_parsing_normalizes_names_and_bounds():
    assert parse_requirement("scikit_learn >= 1.3, <2") == ("scikit-learn", "<2,>=1.3")
    assert parse_requirement("nbval") == ("nbval", "")


def test_conda_parsing_reads_only_the_dependency_list():
    text = "name: x\nchannels:\n  - conda-forge\ndependencies:\n  - numpy>=1.24\n  - pip\n"
    assert conda_dependency_lines(text) == ["numpy>=1.24", "pip"]
    text += "  - pip:\n      - koreanize-matplotlib>=0.1.1\n"
    assert conda_dependency_lines(text)[-2:] == ["pip:", "koreanize-matplotlib>=0.1.1"]


def test_environment_yml_lists_exactly_the_pyproject_dependencies():
    pip, conda = pyproject_requirements(), conda_requirements()
    only_pip = {name: pip[name] for name in pip.keys() - conda.keys()}
    only_conda = {name: conda[name] for name in conda.keys() - pip.keys()}
    different = {
        name: (pip[name], conda[name])
        for name in pip.keys() & conda.keys()
        if pip[name] != conda[name]
    }
    assert not only_pip, f"in pyproject.toml but not environment.yml: {only_pip}"
    assert not only_conda, f"in environment.yml but not pyproject.toml: {only_conda}"
    assert not different, f"version bounds differ (pyproject, environment.yml): {different}"


def test_environment_yml_python_matches_requires_python():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    lines = conda_dependency_lines((ROOT / "environment.yml").read_text())
    python = [line for line in lines if parse_requirement(line)[0] == "python"]
    assert python, "environment.yml pins no python version"
    assert requires.replace(" ", "") in python[0].replace(" ", ""), (
        f"environment.yml has {python[0]!r}, pyproject.toml requires-python {requires!r}"
    )


def oldest_constraints():
    """tools/oldest-constraints.txt as {name: pinned version}."""
    text = (ROOT / "tools" / "oldest-constraints.txt").read_text()
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    pins = dict(parse_requirement(line) for line in lines if line)
    assert all(pin.startswith("==") for pin in pins.values()), f"not all pinned with ==: {pins}"
    return {name: pin.removeprefix("==") for name, pin in pins.items()}


def test_oldest_constraints_pin_exactly_the_lower_bounds_of_pyproject():
    """make test-oldest must test what pyproject.toml promises: every dependency, the `test`
    extra and the kernel nbval needs, each at its lower bound."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    kernel = [text for text in extras["course"] if parse_requirement(text)[0] == "ipykernel"]
    bounds = dict(
        parse_requirement(text) for text in project["dependencies"] + extras["test"] + kernel
    )
    assert all(bound.startswith(">=") and "," not in bound for bound in bounds.values()), bounds
    pins = oldest_constraints()
    assert pins.keys() == bounds.keys(), (
        f"only in pyproject.toml: {sorted(bounds.keys() - pins.keys())}; "
        f"only in tools/oldest-constraints.txt: {sorted(pins.keys() - bounds.keys())}"
    )
    different = {
        name: (bounds[name], pins[name])
        for name in bounds
        if Version(bounds[name].removeprefix(">=")) != Version(pins[name])
    }
    assert not different, f"lower bound differs from the oldest pin (pyproject, pin): {different}"


def test_make_test_oldest_installs_with_the_constraints_and_runs_the_tests_and_notebooks():
    install = " ".join(makefile_recipe(r"\$\(OLDEST_STAMP\)"))
    assert "-c tools/oldest-constraints.txt" in install
    commands = [expand_variables(" ".join(line.split())) for line in makefile_recipe("test-oldest")]
    pytest_line = next(line for line in commands if "-m pytest" in line)
    assert ".venv-oldest/bin/python" in pytest_line
    assert " tests " in pytest_line and pytest_line.endswith(" notebooks")
    assert "--nbval --nbval-current-env" in pytest_line


def makefile_recipe(target):
    """The shell lines of a Makefile target, with backslash continuations joined."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    match = re.search(rf"^{target}:[^\n]*\n((?:\t[^\n]*\n?)+)", text, re.MULTILINE)
    assert match, f"the Makefile has no '{target}' target"
    return [line.strip() for line in match.group(1).splitlines()]


def expand_variables(command):
    """Replace $(NAME) by its value from the Makefile's `NAME := value` lines, repeatedly."""
    text = (ROOT / "Makefile").read_text()
    values = dict(re.findall(r"^([A-Z_]+)\s*[:?]?=\s*(.*?)\s*$", text, re.MULTILINE))
    while (match := re.search(r"\$\(([A-Z_]+)\)", command)) and match.group(1) in values:
        command = command.replace(match.group(0), values[match.group(1)])
    return command


def test_make_test_runs_the_library_tests_and_every_notebook_through_nbval():
    commands = [expand_variables(" ".join(line.split())) for line in makefile_recipe("test")]
    pytest_lines = [line for line in commands if "-m pytest" in line]
    assert len(pytest_lines) == 1, f"expected one pytest command in `make test`: {commands}"
    arguments = pytest_lines[0].split("-m pytest", 1)[1].strip()
    assert shlex.split(arguments) == shlex.split(TEST_COMMAND)


def test_make_test_runs_ruff_lint_and_format_checks_first():
    commands = [expand_variables(" ".join(line.split())) for line in makefile_recipe("test")]
    ruff = [shlex.split(line)[1:] for line in commands if line.split()[0].endswith("/ruff")]
    assert ruff == [["check", "."], ["format", "--check", "."]], commands
    assert commands.index(next(c for c in commands if "-m pytest" in c)) == 2


def test_ci_runs_make_test():
    script = (ROOT / ".ci" / "run").read_text()
    commands = [line.split("#", 1)[0].strip() for line in script.splitlines()]
    called = [command.split()[-2:] for command in commands if command]  # `step make test` too
    assert ["make", "test"] in called, ".ci/run must call `make test`, the documented command"
    assert script.startswith("#!"), ".ci/run needs a shebang"
    assert "set -e" in script or "set -euo pipefail" in script, (
        ".ci/run must stop (and fail) at the first failing command"
    )


@pytest.mark.parametrize("path", ["notebooks/nbval_sanitize.cfg"])
def test_sanitize_file_exists(path):
    assert (ROOT / path).is_file()
