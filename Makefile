# The course's commands. Each one first makes sure the virtual environment in .venv is installed;
# that step is skipped when requirements.txt and pyproject.toml have not changed since the last install.
#
#   make lab        set everything up and open the course in JupyterLab
#   make test       set everything up, run the unit tests, the benchmark checks, nbval over every notebook, then build
#                   the website (make site, warnings as errors) and the bundle, and run a lesson from it (make dist-test)
#   make notebooks  (maintainers) re-execute every notebook top to bottom and store its outputs, then build
#                   the Korean notebooks of the lessons it executed (notebooks/ko/, from translations/ko/*.po)
#   make translations  (maintainers) build the Korean notebooks alone, without executing anything: after a PO
#                   file changed (English Markdown changes need no re-execution either: update, translate, this)
#   make models     (maintainers) retrain the models lessons 02, 04–06, 08 and 09 load from models/ and record their scores
#   make benchmark  run the benchmarks and print their figures
#   make unit-tests, make benchmark-checks   one part of make test: the unit tests / each benchmark's --smoke slice and
#                   the re-trained slices of the recorded benchmarks (tests marked benchmark)
#   make lint       ruff check and ruff format --check over the package, tests, tools, benchmarks and notebooks
#   make colab      (maintainers, CI) the Colab replica: Colab's Python and package versions in .venv-colab, the course
#                   installed as a lesson's set-up cell installs it in Colab, then the unit tests and nbval there
#   make colab-unit-tests, make colab-nbval   one part of make colab (NOTEBOOKS=... selects lessons for nbval)
#   make browser-test    (maintainers, CI) lesson 08 run in JupyterLab in headless Chromium (README, "Browser test")
#   make colab-browser-test  (maintainers, CI) the same in the Colab replica's classic notebook (ipywidgets 7)
#   make site       the course website of both editions in build/site/ from the stored notebooks, never executed
#                   (README, "The course website"); make test builds it too, warnings as errors
#   make site-browser-test  (maintainers, CI) the built site served locally and read in headless Chromium
#   make dist       the instructors' bundle dist/seq2seq-attention-keras-<version>.zip and its .sha256
#   make dist-test  the bundle unpacked in a temporary folder, one lesson executed from it offline

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The course's JupyterLab defaults (no news prompt), where JupyterLab reads them inside the environment.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.d/seq2seq-course.json5
NOTEBOOKS ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

# Instructors: this is the nbval command that validates the notebooks (see README, "Validating"). make colab runs
# nbval with the same options, from Colab's working directory, where the sanitiser lies in the clone.
NBVAL_SANITIZER = notebooks/nbval_sanitize.cfg
NBVAL_OPTIONS = --nbval --nbval-current-env --nbval-cell-timeout=900 --nbval-sanitize-with $(NBVAL_SANITIZER) \
                -p no:cacheprovider
NBVAL = $(BIN)/python -m pytest $(NBVAL_OPTIONS)
# make test runs the unit tests and the notebooks on JOBS processes (pytest-xdist; CI has 2 cores). Each notebook
# stays whole on one process (--dist loadfile). JOBS=0: everything in one process, in order.
JOBS ?= 2
PARALLEL := -n $(JOBS) --dist loadfile

.PHONY: setup lab test lint unit-tests benchmark-checks nbval notebooks translations models benchmark \
        colab colab-runtime colab-unit-tests colab-nbval browser-test colab-browser-test clean \
        site site-browser-test dist dist-test

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
	$(MAKE) --no-print-directory lint unit-tests benchmark-checks nbval site dist-test

# What ruff reads is set in pyproject.toml ([tool.ruff]); notebooks' code cells are included.
LINTED := course_utils tests tools benchmarks notebooks

lint: $(INSTALLED)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

# The unit tests leave out the benchmark checks (tests marked `benchmark`: each script's --smoke slice, and slices of
# a recorded benchmark re-trained and compared with the record), which benchmark-checks runs; make test runs both.
unit-tests: $(INSTALLED)
	$(BIN)/python -m pytest tests -m "not benchmark" -p no:cacheprovider $(PARALLEL) --durations=15  # and the 15 slowest

benchmark-checks: $(INSTALLED)
	$(BIN)/python -m pytest tests -m benchmark -p no:cacheprovider $(PARALLEL) --durations=15

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

# The Colab replica (README, "The Colab replica"). Colab's Python and the version of every package Colab has are the
# pins of constraints-colab.txt (made by tools/colab_pins.py from Colab's published runtime, tools/colab/).
COLAB_VENV := .venv-colab
COLAB_BIN = $(CURDIR)/$(COLAB_VENV)/bin
COLAB_PYTHON_VERSION = $(shell sed -n 's/^\# colab-python: //p' constraints-colab.txt)
COLAB_PYTHON ?= $(firstword \
    $(wildcard $(HOME)/.pyenv/versions/$(COLAB_PYTHON_VERSION)*/bin/python$(COLAB_PYTHON_VERSION)) \
    $(shell command -v python$(COLAB_PYTHON_VERSION)))
# Stands for Colab's working directory (/content): the set-up cell's clone and the lessons. Outside this checkout, so
# that the lessons find data/ as in Colab (through the clone folder beside them) and import the installed course_utils.
COLAB_CONTENT = $(or $(TMPDIR),/tmp)/colab-content-$(shell printf %s '$(CURDIR)' | cksum | cut -d' ' -f1)
CLONE_FOLDER = $(shell sed -n 's/^CLONE_FOLDER = "\([^"]*\)".*/\1/p' course_utils/repository.py)

# Colab's packages the course uses (tools/colab/preinstalled.txt), each dependency at Colab's version when Colab has
# it, and the test tools Colab lacks (nbval, pytest-xdist): the pins hold them all, which the check verifies.
$(COLAB_VENV)/.installed: constraints-colab.txt tools/colab/preinstalled.txt
	@test -n "$(COLAB_PYTHON)" || { echo "No Python $(COLAB_PYTHON_VERSION) (Colab's, see constraints-colab.txt)" \
		"found: install one (e.g. pyenv install $(COLAB_PYTHON_VERSION)) or set" \
		"COLAB_PYTHON=/path/to/python$(COLAB_PYTHON_VERSION)"; exit 1; }
	rm -rf $(COLAB_VENV)
	$(COLAB_PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_BIN)/python -m pip install --quiet --constraint constraints-colab.txt \
		--requirement tools/colab/preinstalled.txt nbval pytest-xdist
	$(COLAB_BIN)/python -m pip uninstall --quiet --yes jedi  # IPython's dependency; Colab runs IPython 7.34 without it
	$(COLAB_BIN)/python -m ipykernel install --sys-prefix  # a kernelspec that starts this Python (a notebook server's)
	$(COLAB_BIN)/python tools/check_colab_versions.py
	touch $@

# colab: a new "runtime" (colab-runtime: an empty working directory where the set-up cell's Colab steps clone this
# checkout's HEAD and pip install the clone, tools/colab/run_setup_cell.py; the versions checked again; the lessons
# copied beside the clone, where Colab's kernel runs), then the clone's unit tests against the installed package
# (those that do not apply to Colab's runtime or run a benchmark skipped by tools/colab/replica_skips.py, with reasons) and
# nbval over NOTEBOOKS there. Each part alone: make colab-unit-tests, make colab-nbval NOTEBOOKS=...
colab: colab-unit-tests colab-nbval

# debugpy's note about Python 3.13's frozen modules, printed by every kernel start, is noise here.
colab colab-runtime colab-unit-tests colab-nbval colab-browser-test $(COLAB_VENV)/.installed: export PYDEVD_DISABLE_FILE_VALIDATION = 1
colab-nbval: NBVAL_SANITIZER = $(CLONE_FOLDER)/notebooks/nbval_sanitize.cfg

colab-runtime: $(COLAB_VENV)/.installed
	@test -n "$(CLONE_FOLDER)" || { echo "No CLONE_FOLDER = \"...\" line in course_utils/repository.py"; exit 1; }
	rm -rf $(COLAB_CONTENT)
	$(COLAB_BIN)/python tools/colab/run_setup_cell.py $(COLAB_CONTENT)
	$(COLAB_BIN)/python tools/check_colab_versions.py
	cd $(COLAB_CONTENT)/$(CLONE_FOLDER)/notebooks && cp $(notdir $(NOTEBOOKS)) $(COLAB_CONTENT)/

colab-unit-tests: colab-runtime
	cd $(COLAB_CONTENT) && PYTHONPATH=$(CURDIR)/tools/colab $(COLAB_BIN)/python -m pytest $(CLONE_FOLDER)/tests \
		-p no:cacheprovider -p replica_skips $(PARALLEL)

# -c: the course's pytest settings (pyproject.toml, the clone's), which make nbval has too.
colab-nbval: colab-runtime
	cd $(COLAB_CONTENT) && $(COLAB_BIN)/python -m pytest -c $(CLONE_FOLDER)/pyproject.toml --rootdir . $(NBVAL_OPTIONS) \
		$(PARALLEL) $(notdir $(NOTEBOOKS))

# Needs Chromium and its driver (Debian: apt-get install chromium chromium-driver); Selenium comes from
# requirements-browser.txt, which learners do not need.
$(VENV)/.browser-installed: requirements-browser.txt $(INSTALLED)
	$(BIN)/python -m pip install --quiet --requirement requirements-browser.txt
	touch $@

browser-test: $(INSTALLED) $(LAB_SETTINGS) $(VENV)/.browser-installed
	$(BIN)/python tools/browser_test.py $(ALLOW_ROOT)

# Lesson 08's explorer in the replica's classic notebook (ipywidgets 7.7.1, as on Colab): typed into, its heatmap seen.
colab-browser-test: colab-runtime $(VENV)/.browser-installed
	$(BIN)/python tools/browser_test.py --classic-notebook --python $(COLAB_BIN)/python $(ALLOW_ROOT)

# The course website (tools/site.py, site/conf.py): Sphinx, MyST-NB and the book theme from requirements-site.txt
# (learners do not need them), MathJax from the npm package mathjax (npm, Debian's package of that name), both
# copied into the site so that it reads offline. Builds with warnings as errors; a broken link, a missing page or
# picture, or anything loaded from another host fails it.
MATHJAX_VERSION := 3.2.2
MATHJAX := $(VENV)/mathjax-$(MATHJAX_VERSION)

$(VENV)/.site-installed: requirements-site.txt $(INSTALLED)
	$(BIN)/python -m pip install --quiet --requirement requirements-site.txt
	touch $@

$(MATHJAX)/.installed:
	@command -v npm >/dev/null || { echo "make site needs npm (Debian: apt-get install npm) for MathJax"; exit 1; }
	rm -rf $(MATHJAX) && mkdir -p $(MATHJAX)
	cd $(MATHJAX) && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null && tar xzf mathjax-$(MATHJAX_VERSION).tgz
	touch $@

# Rebuilt when a notebook, a README, the glossary or the site's own files change (make test, then make dist-test).
SITE_STAMP := build/site/.built
SITE_INPUTS := $(wildcard notebooks/*.ipynb notebooks/ko/*.ipynb site/*.py site/_static/*) README.md README.ko.md \
               GLOSSARY.md tools/site.py course_utils/__init__.py course_utils/repository.py

site: $(SITE_STAMP)

$(SITE_STAMP): $(VENV)/.site-installed $(MATHJAX)/.installed $(SITE_INPUTS)
	$(BIN)/python tools/site.py --mathjax $(MATHJAX)/package/es5
	touch $@

site-browser-test: $(SITE_STAMP) $(VENV)/.browser-installed
	$(BIN)/python tools/site_browser_test.py $(ALLOW_ROOT)

# The instructors' bundle, named by course_utils.__version__ (tools/dist.py), and its SHA-256 checksum file.
VERSION = $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' course_utils/__init__.py)
BUNDLE = dist/$(CLONE_FOLDER)-$(VERSION).zip

dist: $(SITE_STAMP)
	$(BIN)/python tools/dist.py

# tests/test_dist.py (skipped by make unit-tests, which has no bundle): the bundle unpacked in a temporary folder,
# its checksum and contents checked, and lesson 01 run from it with nbval, offline (about 30 s).
dist-test: dist
	DIST_BUNDLE=$(BUNDLE) $(BIN)/python -m pytest tests/test_dist.py -p no:cacheprovider

clean:
	rm -rf $(VENV) $(COLAB_VENV) $(COLAB_CONTENT) .pytest_cache build
