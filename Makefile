# Two commands set up everything on a fresh machine:
#   make demo   install into .venv, import the bundled catalog, show a short tour
#   make test   ruff (lint + format check), mypy --strict, the layers contract, pytest
#               (on every core; `.venv/bin/pytest -m "not slow"` is the quick loop)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: demo test install dev data vocabulary docs readme screenshots translations fuzz bench bench-startup clean

$(BIN)/tilflytting: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[rapport]"
	touch $@

$(VENV)/.dev: $(BIN)/tilflytting
	$(BIN)/python -m pip install --quiet -e ".[dev,rapport]"
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
	$(BIN)/lint-imports --no-logo --no-cache
	$(BIN)/pytest -n auto

# Benchmarks (3-5 minutes; about 2 GB of temporary files): figures and ratios, see docs/performance.md.
bench: install
	$(BIN)/python -m pip install --quiet sqlite-utils
	$(BIN)/python -m benchmarks.bench --sizes 1000,10000,100000 --runs 11

# The start-up lines of `make bench` alone (a minute): the floor and each table command's ratio.
bench-startup: install
	$(BIN)/python -m benchmarks.bench --startup --runs 31

# Regenerate docs/cli.md from the commands themselves (a test fails when stale).
docs: install
	TILFLYTTING_LANG=en $(BIN)/python scripts/cli_docs.py > docs/cli.md

# Write the real output of each command README.md shows under it (a test fails when stale).
readme: dev
	$(BIN)/python scripts/readme_output.py

# Screenshots of the static site for README (docs/site-*.png), taken in headless
# Chromium (Debian's chromium and chromium-driver, as the browser tests use).
screenshots: dev
	$(BIN)/python scripts/screenshots.py

# After adding or changing a message in the code: extract the messages, merge
# them into the bokmål catalog (then translate the new ones in the .po), and
# compile the .mo the program reads. A test fails while any message lacks a
# translation or the .mo differs from the .po.
LOCALE := tilflytting/locale
translations: dev
	$(BIN)/pybabel extract --no-location --sort-output --no-wrap --project=tilflytting \
		-o $(LOCALE)/tilflytting.pot tilflytting
	$(BIN)/pybabel update --no-wrap --no-fuzzy-matching --ignore-obsolete -i $(LOCALE)/tilflytting.pot \
		-d $(LOCALE) -D tilflytting -l nb
	$(BIN)/pybabel compile --statistics -d $(LOCALE) -D tilflytting -l nb

# After editing data/vocabulary.yaml: write the JSON copy the tool reads.
vocabulary: dev
	$(BIN)/python scripts/vocabulary_json.py

# Regenerate the bundled catalog (data/catalog/) from the published pages.
data: dev
	@test -d $(SHARED)/corpus || { echo "no $(SHARED)/corpus here: the bundled catalog stays as it is"; exit 0; }
	$(BIN)/python scripts/make_catalog.py $(SHARED)/corpus data/catalog

# A long run of the property tests (about 20,000 examples each).
fuzz: dev
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q tests/test_fuzz.py tests/test_fuzz_hostile.py tests/test_terminal.py \
		tests/test_parse_properties.py \
		tests/test_search.py tests/test_page_variants.py tests/test_page_speed.py \
		-k "fuzz or any_text or generated or mutated or random or repeated" \
		--hypothesis-show-statistics --durations=0

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
