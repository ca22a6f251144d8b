# The course's commands. Each creates .venv on first use and reinstalls when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST := $(BIN)/python -m pytest

.PHONY: lab test install bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 13) else "dlcourse needs Python 3.10 to 3.13, found %d.%d" % v)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[course,test]"
	touch $(STAMP)

install: $(STAMP)

## Open the course in JupyterLab (allow_root: these machines run as root).
lab: install
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.allow_root=True

## Run every test: the library's pytest suite and every notebook through nbval.
test: install
	$(PYTEST) -n 2 --dist loadscope tests --nbval --nbval-current-env \
		--nbval-sanitize-with notebooks/nbval_sanitize.cfg notebooks

## Speed benchmark against scikit-learn (and PyTorch/Keras when installed); not part of `test`.
bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build .pytest_cache
