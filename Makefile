# Two commands set up everything on a fresh machine:
#   make demo   install into .venv, import the bundled catalog, show a short tour
#   make test   ruff (lint + format check), mypy --strict, pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: demo test lint typecheck pytest install dev data docs clean

$(BIN)/tilflytting: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/tilflytting
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/tilflytting

dev: $(VENV)/.dev

demo: install
	$(BIN)/tilflytting import
	@echo
	$(BIN)/tilflytting list --limit 12
	@echo
	$(BIN)/tilflytting show holtalen

test: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

# Regenerate the bundled catalog (data/catalog/) from the published pages.
data: dev
	@test -d $(SHARED)/corpus || { echo "no $(SHARED)/corpus here: the bundled catalog stays as it is"; exit 0; }
	$(BIN)/python scripts/make_catalog.py $(SHARED)/corpus data/catalog

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
