# Two commands set everything up: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test lint serve messages bench clean

site: $(VENV)/.runtime
	$(BIN)/python build.py build

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

serve: $(VENV)/.runtime
	$(BIN)/python build.py serve

# Extract interface strings from templates and code, then update every catalogue.
messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -o locales/messages.pot .
	$(BIN)/pybabel update --quiet -i locales/messages.pot -d locales --no-fuzzy-matching --ignore-obsolete

bench: $(VENV)/.runtime
	$(BIN)/python bench/run.py

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) site .cache .pytest_cache .mypy_cache .ruff_cache
