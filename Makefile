# The course's commands. Each one first makes sure the virtual environment in .venv is installed;
# that step is skipped when requirements.txt and pyproject.toml have not changed since the last install.
#
#   make lab        set everything up and open the course in JupyterLab
#   make test       set everything up, run the unit tests, then nbval over every notebook
#   make notebooks  (maintainers) re-execute every notebook top to bottom and store its outputs, then build
#                   the Korean notebooks of the lessons it executed (notebooks/ko/, from translations/ko/*.po)
#   make translations  (maintainers) build the Korean notebooks alone, without executing anything: after a PO
#                   file changed (English Markdown changes need no re-execution either: update, translate, this)
#   make models     (maintainers) retrain the models lessons 02, 04, 05, 07 and 08 load from models/ and record their scores
#   make benchmark  run the benchmarks and print their figures
#   make lint       ruff check and ruff format --check over the package, tests, tools, benchmarks and notebooks
#   make colab-versions  (maintainers) the unit tests under Colab's versions, in a separate .venv-colab
#   make browser-test    (maintainers, CI) lesson 07 run in JupyterLab in headless Chromium (README, "Browser test")

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The course's JupyterLab defaults (no news prompt), where JupyterLab reads them inside the environment.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.d/seq2seq-course.json5
NOTEBOOKS ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

# Instructors: this is the nbval command that validates the notebooks (see README, "Validating").
NBVAL := $(BIN)/python -m pytest --nbval --nbval-current-env --nbval-cell-timeout=900 \
         --nbval-sanitize-with notebooks/nbval_sanitize.cfg -p no:cacheprovider
# make test runs the unit tests and the notebooks on JOBS processes (pytest-xdist; CI has 2 cores). Each notebook
# stays whole on one process (--dist loadfile). JOBS=0: everything in one process, in order.
JOBS ?= 2
PARALLEL := -n $(JOBS) --dist loadfile

.PHONY: setup lab test lint unit-tests nbval notebooks translations models benchmark colab-versions browser-test clean

setup: $(INSTALLED) $(LAB_SETTINGS)

$(INSTALLED): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --requirement requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	touch $(INSTALLED)

$(LAB_SETTINGS): tools/jupyterlab_settings.json5 $(INSTALLED)
	mkdir -p $(dir $@)
	cp tools/jupyterlab_settings.json5 $@

# JupyterLab refuses to run as root (containers, some cloud machines) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(INSTALLED) $(LAB_SETTINGS)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT) $(LAB_ARGS)

test: $(INSTALLED)
	$(MAKE) --no-print-directory lint unit-tests nbval

# What ruff reads is set in pyproject.toml ([tool.ruff]); notebooks' code cells are included.
LINTED := course_utils tests tools benchmarks notebooks

lint: $(INSTALLED)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

unit-tests: $(INSTALLED)
	$(BIN)/python -m pytest tests -p no:cacheprovider $(PARALLEL)

nbval: $(INSTALLED)
	$(NBVAL) $(PARALLEL) $(NOTEBOOKS)

notebooks: $(INSTALLED)
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)
	$(BIN)/python tools/translations.py build $(NOTEBOOKS)

# Korean notebooks: the English notebook with its Markdown from translations/ko/NN_x.po (tools/translations.py).
translations: $(INSTALLED)
	$(BIN)/python tools/translations.py build $(NOTEBOOKS)

models: $(INSTALLED)
	$(BIN)/python -m course_utils.pretrained

benchmark: $(INSTALLED)
	$(BIN)/python benchmarks/dates.py

# Colab's versions (constraints-colab.txt) in their own environment, with Colab's Python (3.13, e.g. from pyenv).
COLAB_VENV := .venv-colab
COLAB_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) $(shell command -v python3.13))

$(COLAB_VENV)/.installed: requirements.txt constraints-colab.txt pyproject.toml
	@test -n "$(COLAB_PYTHON)" || { echo "No Python 3.13 found: install one (e.g. pyenv install 3.13) or set COLAB_PYTHON=/path/to/python3.13"; exit 1; }
	test -x $(COLAB_VENV)/bin/python || $(COLAB_PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/python -m pip install --quiet --requirement requirements.txt --constraint constraints-colab.txt
	$(COLAB_VENV)/bin/python -m pip install --quiet --no-deps .  # its metadata; the tests import this checkout's code
	touch $@

colab-versions: $(COLAB_VENV)/.installed
	PYTHONPATH=$(CURDIR) $(COLAB_VENV)/bin/python tools/check_colab_versions.py constraints-colab.txt
	PYTHONPATH=$(CURDIR) $(COLAB_VENV)/bin/python -m pytest tests -p no:cacheprovider

# Needs Chromium and its driver (Debian: apt-get install chromium chromium-driver); Selenium comes from
# requirements-browser.txt, which learners do not need.
$(VENV)/.browser-installed: requirements-browser.txt $(INSTALLED)
	$(BIN)/python -m pip install --quiet --requirement requirements-browser.txt
	touch $@

browser-test: $(INSTALLED) $(LAB_SETTINGS) $(VENV)/.browser-installed
	$(BIN)/python tools/browser_test.py $(ALLOW_ROOT)

clean:
	rm -rf $(VENV) $(COLAB_VENV) .pytest_cache
