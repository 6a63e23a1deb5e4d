# deskql: `make run` serves the API with demo data, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv

# Packages go in with uv (installed from PyPI into the virtualenv first): seconds where pip takes minutes.
# Where uv cannot be had, pip installs them instead.
install_packages = ([ -x $(UV) ] || $(BIN)/pip install --quiet --only-binary :all: uv \
		|| echo "make: uv could not be installed; pip installs the packages instead (slower)") \
	&& if [ -x $(UV) ]; then $(UV) pip install --quiet --python $(BIN)/python $(1); \
	else $(BIN)/pip install --quiet $(1); fi

.PHONY: run test lint typecheck pytest bench schema migrations install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(call install_packages,-e .)
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(call install_packages,-e ".[dev]")
	touch $@ $(VENV)/.installed

# graphql-http's audit of a running server (tests/test_browser_clients.py) runs on Node: its packages go in
# with npm where npm is installed; without it that one test is skipped.
NODE_TESTS := tests/node
$(NODE_TESTS)/node_modules/.package-lock.json: $(NODE_TESTS)/package-lock.json
	if command -v npm >/dev/null; then npm ci --prefix $(NODE_TESTS) --no-audit --no-fund; \
	else echo "make: npm not found: graphql-http's audit will be skipped"; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(NODE_TESTS)/node_modules/.package-lock.json

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
	$(BIN)/deskql export-schema --output schema.graphql --possible-types possible-types.json

migrations: install
	$(BIN)/deskql makemigrations

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
