# Two commands set up everything on a fresh machine with Python 3 and make:
#   make demo   creates .venv, installs smotekit, runs the notebook's experiment
#   make test   creates .venv, installs smotekit with the test extras, runs linters and the suite
# Documentation and release (see CONTRIBUTING.md):
#   make docs         the HTML site in docs/_build/html; a warning or a broken internal link fails it
#   make docs-check   the built site in headless Chromium (installed with apt-get when missing)
#   make dist-check   sdist + wheel, twine check, the wheel alone in a new venv runs the CLI
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
DOCS_BUILD := docs/_build
# what the linters read besides src/ (the docs' configuration and the gallery scripts too)
LINTED := src tests benchmarks docs/conf.py docs/check_links.py docs/sphinxext examples
SUDO   := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: demo test lint bench docs docs-check dist-check browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[report]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[test]"
	touch $@ $(VENV)/.demo-installed

$(VENV)/.docs-installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[docs]"
	touch $@

$(VENV)/.release-installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[release]"
	touch $@

demo: $(VENV)/.demo-installed
	$(BIN)/smotekit tutorial --out smotekit-tutorial

lint: $(VENV)/.test-installed
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

test: $(VENV)/.test-installed lint
	$(BIN)/python -m pytest

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/bench_smote.py
	$(BIN)/python benchmarks/bench_combine.py

# A clean build every time: Sphinx repeats a page's warnings only when it reads the page again,
# and sphinx-gallery reruns an example only when the script changes, not the library.
docs: $(VENV)/.docs-installed
	rm -rf $(DOCS_BUILD) docs/api docs/auto_examples
	$(BIN)/sphinx-build -b html -n -W --keep-going -q docs $(DOCS_BUILD)/html
	$(BIN)/python docs/check_links.py $(DOCS_BUILD)/html
	@echo "docs: open $(DOCS_BUILD)/html/index.html"

browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install \
	        -y -qq --no-install-recommends chromium chromium-driver >/dev/null; }

docs-check: docs browser
	SMOTEKIT_DOCS_CHECK=1 $(BIN)/python -m pytest tests/test_docs_site.py -q -p no:cacheprovider
	@echo "docs-check: screenshots in $(DOCS_BUILD)/screenshots"

dist-check: $(VENV)/.release-installed
	.ci/dist-check $(BIN)/python

clean:
	rm -rf $(VENV) smotekit-tutorial .pytest_cache .mypy_cache .ruff_cache \
	    $(DOCS_BUILD) docs/api docs/auto_examples docs/getting_started/tutorial.ipynb build dist
