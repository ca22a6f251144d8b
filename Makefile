# The course's commands. Each creates .venv on first use and reinstalls when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST := $(BIN)/python -m pytest

.PHONY: lab test test-kernels test-seeds install bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 13) else "dlcourse needs Python 3.10 to 3.13, found %d.%d" % v)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[course,test]"
	touch $(STAMP)

install: $(STAMP)

## Open the course in JupyterLab (allow_root: these machines run as root), set up for the course
## once per .venv: a presentation scale for decks and a Korean font (tools/setup_lab.py).
## Rooted at this folder (the notebooks link to ../dlcourse/README.md), it opens on
## notebooks/START.md: every notebook in English (notebooks/) and in Korean (notebooks/ko/).
LAB_STAMP := $(VENV)/.lab-setup-stamp

$(LAB_STAMP): $(STAMP) tools/setup_lab.py
	$(BIN)/python tools/setup_lab.py
	touch $(LAB_STAMP)

lab: $(LAB_STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. --ServerApp.allow_root=True notebooks/START.md

# nbval runs every notebook and compares each cell's output with the committed one, except in
# cells tagged varies-by-machine or depends-on-keras (README, "How the notebooks are tested").
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg

## Run every test: ruff (lint and format; rules in pyproject.toml), the library's pytest suite
## and every notebook through nbval. The Korean notebooks (notebooks/ko/) are not run again:
## their code cells and outputs are the English ones, which tests/test_translations.py checks
## cell by cell (it also replays their exercise checks in Korean).
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PYTEST) -n 2 --dist loadscope tests $(NBVAL) notebooks --ignore=notebooks/ko

# Other CPUs, simulated on x86-64: OpenBLAS's kernels for older CPUs (no AVX, AVX, AVX2) sum
# matrix products in other orders than this machine's; and one BLAS thread instead of all.
# One setting per word; a comma joins variables set together.
KERNEL_SETTINGS ?= OPENBLAS_CORETYPE=Prescott OPENBLAS_CORETYPE=Sandybridge \
	OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=1
# The library's tests too (their tolerances do not depend on the kernel); CI passes
# KERNEL_TESTS= to run the notebooks alone, whose compared outputs are what a kernel can change.
KERNEL_TESTS ?= tests

## `make test` again under other OpenBLAS kernels and on one BLAS thread.
test-kernels: install
	@failed=""; for setting in $(KERNEL_SETTINGS); do \
		echo "== make test's tests with $$setting"; \
		env $$(echo $$setting | tr , ' ') $(PYTEST) -n 2 --dist loadscope -p no:cacheprovider \
			$(KERNEL_TESTS) $(NBVAL) notebooks --ignore=notebooks/ko \
			|| failed="$$failed $$setting"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test-kernels FAILED with:$$failed"; exit 1; fi

SEED_SHIFTS ?= 1 2 3

## The notebooks with every seed moved (DLCOURSE_SEED_SHIFT): errors and asserts only.
test-seeds: install
	@failed=""; for shift in $(SEED_SHIFTS); do \
		echo "== the notebooks with DLCOURSE_SEED_SHIFT=$$shift (errors and asserts only)"; \
		DLCOURSE_SEED_SHIFT=$$shift $(PYTEST) -n 2 --dist loadscope -p no:cacheprovider \
			--nbval-lax --nbval-current-env notebooks --ignore=notebooks/ko \
			|| failed="$$failed $$shift"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test-seeds FAILED with seed shifts:$$failed"; exit 1; fi

## Speed benchmark against scikit-learn (and PyTorch/Keras when installed); not part of `test`.
bench: install
	$(BIN)/python benchmarks/run.py

# ---- lecture mode, static site, standalone explorer, real-browser tests ----
E2E_STAMP     := $(VENV)/.installed-e2e-stamp
SITE_STAMP    := $(VENV)/.installed-site-stamp
EXPLORER_PORT ?= 8866
CHROMIUM      ?= /usr/bin/chromium

.PHONY: slides site explorer e2e check-slides

$(SITE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[course,test,site]"
	touch $(SITE_STAMP)

$(E2E_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[course,test,e2e]"
	touch $(E2E_STAMP)

## reveal.js decks of every notebook in build/slides/, usable offline (assets from npm into build/).
slides: install
	$(BIN)/python tools/build_slides.py

## Does every slide fit 1280x720? All decks, one line each (one notebook: see the README).
check-slides: $(E2E_STAMP)
	CHROMIUM=$(CHROMIUM) $(BIN)/python tools/check_slides.py --all

## The course as a book in build/site/ (Sphinx + myst-nb + sphinx-book-theme), offline; a Korean
## edition in build/site/ko/ when notebooks/ko/ exists.
site: $(SITE_STAMP)
	mkdir -p build/site-src/en
	$(BIN)/sphinx-build -q -b html -c tools/site build/site-src/en build/site
	if [ -d notebooks/ko ]; then mkdir -p build/site-src/ko && COURSE_LANGUAGE=ko \
		$(BIN)/sphinx-build -q -b html -c tools/site build/site-src/ko build/site/ko; fi

## The optimizer explorer alone, as a Voila web app on http://127.0.0.1:$(EXPLORER_PORT)/ (loopback
## only). Run from apps/ so that Voila reads apps/voila.json (idle kernels are culled).
explorer: install
	cd apps && ../$(BIN)/voila explorer.ipynb --no-browser --Voila.ip=127.0.0.1 --port=$(EXPLORER_PORT)

## Real-browser tests: Playwright driving Debian's Chromium against JupyterLab, Voila and the built decks and site.
e2e: $(E2E_STAMP) $(LAB_STAMP) slides site
	CHROMIUM=$(CHROMIUM) $(PYTEST) e2e -n 2 --dist load --durations=8

# ---- the oldest versions pyproject.toml allows, in their own venv ----
# tools/oldest-constraints.txt pins every lower bound of pyproject.toml (a test keeps them equal);
# pip picks the newest versions of everything else that fit. Python is $(PYTHON), as for .venv.
OLDEST_VENV  := .venv-oldest
OLDEST_STAMP := $(OLDEST_VENV)/.installed-stamp

.PHONY: test-oldest

$(OLDEST_STAMP): pyproject.toml tools/oldest-constraints.txt
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 11) else "NumPy 1.24 and scikit-learn 1.3 have wheels for Python 3.10 and 3.11 only, found %d.%d: make test-oldest PYTHON=python3.11" % v)'
	test -x $(OLDEST_VENV)/bin/python || $(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST_VENV)/bin/python -m pip install --quiet -c tools/oldest-constraints.txt \
		-e ".[test]" ipykernel
	touch $(OLDEST_STAMP)

## `make test` with the oldest allowed versions: ruff, the library's tests and the notebooks.
test-oldest: $(OLDEST_STAMP)
	$(OLDEST_VENV)/bin/ruff check .
	$(OLDEST_VENV)/bin/ruff format --check .
	$(OLDEST_VENV)/bin/python -m pytest -n 2 --dist loadscope -p no:cacheprovider tests \
		$(NBVAL) notebooks

# ---- optional: dlcourse.interop against real Keras 3, in its own venv ----
# A separate venv keeps torch and Keras out of .venv: there the notebooks must run (and their
# committed outputs match) without Keras, as they do for learners who never install it.
# torch==2.13.0 is the CPU build these machines hold on disk (plain `torch` means a CUDA build).
INTEROP_VENV  := .venv-interop
INTEROP_STAMP := $(INTEROP_VENV)/.installed-stamp

.PHONY: test-interop

# nbval, ipykernel and scikit-learn run notebook 11 there, with Keras.
$(INTEROP_STAMP): pyproject.toml Makefile
	test -x $(INTEROP_VENV)/bin/python || $(PYTHON) -m venv $(INTEROP_VENV)
	$(INTEROP_VENV)/bin/python -m pip install --quiet torch==2.13.0 keras pytest threadpoolctl \
		nbval ipykernel scikit-learn
	$(INTEROP_VENV)/bin/python -m pip install --quiet --no-deps -e .
	touch $(INTEROP_STAMP)

## Export to and import from real Keras 3 (PyTorch CPU backend): both directions, several models;
## and notebook 11 with Keras, its `depends-on-keras` outputs compared.
test-interop: $(INTEROP_STAMP)
	KERAS_BACKEND=torch $(INTEROP_VENV)/bin/python -m pytest -p no:cacheprovider \
		-W "ignore::DeprecationWarning" tests/interop tests/test_interop.py \
		$(NBVAL) notebooks/11_graduating_to_keras.ipynb

clean:
	rm -rf $(VENV) $(INTEROP_VENV) $(OLDEST_VENV) build .pytest_cache
