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

.PHONY: run test lint typecheck pytest bench schema migrations install install-dev web clean

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

# The reference ticket page (served at /) and deskql's own GraphiQL (GET /graphql), built with npm from
# web/package-lock.json into web/dist. Without npm they are skipped in one line: the API is served, GraphiQL
# loads its scripts from a CDN, and the browser tests are skipped.
WEB := web
NPM ?= npm
WEB_SOURCES := schema.graphql $(addprefix $(WEB)/,package-lock.json codegen.ts vite.config.ts tsconfig.json \
	index.html) $(wildcard $(WEB)/src/*.ts $(WEB)/src/*.css $(WEB)/graphiql/*)

$(WEB)/node_modules/.installed: $(WEB)/package-lock.json
	@echo "make: installing web/'s packages (npm ci)"
	$(NPM) ci --prefix $(WEB) --no-audit --no-fund --loglevel=error
	touch $@

$(WEB)/dist/index.html: $(WEB)/node_modules/.installed $(WEB_SOURCES)
	@echo "make: building web/dist (the ticket page and GraphiQL's assets)"
	$(NPM) run --silent --prefix $(WEB) build

web:
	@if command -v $(NPM) >/dev/null; then $(MAKE) -s --no-print-directory $(WEB)/dist/index.html; \
	else echo "make: npm not found: the ticket page and GraphiQL's own assets are not built (GraphiQL loads from a CDN)"; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(NODE_TESTS)/node_modules/.package-lock.json

run: install
	@$(MAKE) --no-print-directory web \
		|| echo "make: the web build failed (above): the ticket page and GraphiQL's assets may be missing or stale"
	$(BIN)/deskql migrate
	$(BIN)/deskql demo
	$(BIN)/deskql serve

test: install-dev lint typecheck pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev web
	$(BIN)/pytest

bench: install-dev
	$(BIN)/python -m bench

schema: install
	$(BIN)/deskql export-schema --output schema.graphql --possible-types possible-types.json

migrations: install
	$(BIN)/deskql makemigrations

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache $(WEB)/node_modules $(WEB)/dist $(WEB)/src/generated
