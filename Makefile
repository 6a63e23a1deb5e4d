# deskql: `make run` serves the API with demo data, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck pytest bench schema migrations install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/deskql migrate
	$(BIN)/deskql demo
	$(BIN)/deskql serve

test: install-dev lint typecheck pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev
	$(BIN)/pytest

bench: install-dev
	$(BIN)/python -m bench

schema: install
	$(BIN)/deskql export-schema --output schema.graphql

migrations: install
	$(BIN)/deskql makemigrations

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
