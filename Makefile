# Two commands set everything up: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test lint serve messages schemas bench clean chromium

site: $(VENV)/.runtime
	$(BIN)/python build.py build

test: $(VENV)/.dev chromium
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

serve: $(VENV)/.runtime
	$(BIN)/python build.py serve

# Extract interface strings from templates and code, then update every catalogue.
messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -o locales/messages.pot .
	$(BIN)/pybabel --quiet update -i locales/messages.pot -d locales --no-fuzzy-matching --ignore-obsolete

# Write the JSON Schemas of config.yaml, the registries and front matter (from waqai/definitions.py).
schemas: $(VENV)/.runtime
	$(BIN)/python -m waqai.schemas

bench: $(VENV)/.dev chromium
	$(BIN)/python bench/run.py

# The browser tests use WAQAI_CHROMIUM when set, else Debian's chromium:
# installed here when missing (as root, or with sudo that asks no password);
# otherwise one line says what to run.
chromium:
	@[ -n "$$WAQAI_CHROMIUM" ] || command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium' (or set WAQAI_CHROMIUM), then make test again" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) site .cache .pytest_cache .mypy_cache .ruff_cache
