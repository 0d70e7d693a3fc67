# The course's commands. Each one first makes sure the virtual environment in .venv is installed;
# that step is skipped when requirements.txt and pyproject.toml have not changed since the last install.
#
#   make lab        set everything up and open the course in JupyterLab
#   make test       set everything up, run the unit tests, then nbval over every notebook
#   make notebooks  (maintainers) re-execute every notebook top to bottom and store its outputs
#   make models     (maintainers) retrain the models lesson 07 loads from models/ and record their scores
#   make benchmark  run the benchmarks and print their figures

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NOTEBOOKS ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

# Instructors: this is the nbval command that validates the notebooks (see README, "Validating").
NBVAL := $(BIN)/python -m pytest --nbval --nbval-current-env --nbval-cell-timeout=900 \
         --nbval-sanitize-with notebooks/nbval_sanitize.cfg -p no:cacheprovider

.PHONY: setup lab test unit-tests nbval notebooks models benchmark clean

setup: $(INSTALLED)

$(INSTALLED): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --requirement requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	touch $(INSTALLED)

# JupyterLab refuses to run as root (containers, some cloud machines) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(INSTALLED)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT) $(LAB_ARGS)

test: $(INSTALLED)
	$(MAKE) --no-print-directory unit-tests nbval

unit-tests: $(INSTALLED)
	$(BIN)/python -m pytest tests -p no:cacheprovider

nbval: $(INSTALLED)
	$(NBVAL) $(NOTEBOOKS)

notebooks: $(INSTALLED)
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)

models: $(INSTALLED)
	$(BIN)/python -m course_utils.pretrained

benchmark: $(INSTALLED)
	$(BIN)/python benchmarks/dates.py

clean:
	rm -rf $(VENV) .pytest_cache
