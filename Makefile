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

## Run every test: ruff (lint and format; rules in pyproject.toml), the library's pytest suite
## and every notebook through nbval.
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PYTEST) -n 2 --dist loadscope tests --nbval --nbval-current-env \
		--nbval-sanitize-with notebooks/nbval_sanitize.cfg notebooks

## Speed benchmark against scikit-learn (and PyTorch/Keras when installed); not part of `test`.
bench: install
	$(BIN)/python benchmarks/run.py

# ---- lecture mode, static site, standalone explorer, real-browser tests ----
E2E_STAMP     := $(VENV)/.installed-e2e-stamp
EXPLORER_PORT ?= 8866
CHROMIUM      ?= /usr/bin/chromium

.PHONY: slides site explorer e2e

$(E2E_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[course,test,e2e]"
	touch $(E2E_STAMP)

## reveal.js decks of every notebook in build/slides/, usable offline (assets from npm into build/).
slides: install
	$(BIN)/python tools/build_slides.py

## The whole course as static HTML in build/site/ (index + every notebook with outputs), offline.
site: install
	$(BIN)/python tools/build_site.py

## The optimizer explorer alone, as a Voila web app on http://127.0.0.1:$(EXPLORER_PORT)/ (loopback only).
explorer: install
	$(BIN)/voila apps/explorer.ipynb --no-browser --Voila.ip=127.0.0.1 --port=$(EXPLORER_PORT)

## Real-browser tests: Playwright driving Debian's Chromium against JupyterLab, Voila and the built decks and site.
e2e: $(E2E_STAMP) slides site
	CHROMIUM=$(CHROMIUM) $(PYTEST) e2e -n 2 --dist load --durations=8

# ---- optional: dlcourse.interop against real Keras 3, in its own venv ----
# A separate venv keeps torch and Keras out of .venv: there the notebooks must run (and their
# committed outputs match) without Keras, as they do for learners who never install it.
# torch==2.13.0 is the CPU build these machines hold on disk (plain `torch` means a CUDA build).
INTEROP_VENV  := .venv-interop
INTEROP_STAMP := $(INTEROP_VENV)/.installed-stamp

.PHONY: test-interop

$(INTEROP_STAMP): pyproject.toml
	test -x $(INTEROP_VENV)/bin/python || $(PYTHON) -m venv $(INTEROP_VENV)
	$(INTEROP_VENV)/bin/python -m pip install --quiet torch==2.13.0 keras pytest threadpoolctl
	$(INTEROP_VENV)/bin/python -m pip install --quiet --no-deps -e .
	touch $(INTEROP_STAMP)

## Export to and import from real Keras 3 (PyTorch CPU backend): both directions, several models.
test-interop: $(INTEROP_STAMP)
	KERAS_BACKEND=torch $(INTEROP_VENV)/bin/python -m pytest -p no:cacheprovider \
		-W "ignore::DeprecationWarning" tests/interop tests/test_interop.py

clean:
	rm -rf $(VENV) $(INTEROP_VENV) build .pytest_cache
