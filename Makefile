# Itaku. `make run` serves the demo; `make test` runs the whole suite; `make bench` the benchmarks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
# The suite in as many processes as cores (at most 4: each makes its own test database), in the
# groups that tests/conftest.py gives.
PYTEST_PROCESSES ?= --numprocesses=auto --maxprocesses=4 --dist=loadgroup
# The installation's configuration: `make run` writes it once with the development settings
# (ITAKU_DEBUG=1, a generated secret key, the demo's checkpoint keys in var/); every `itaku`
# command reads it, in any shell. Production keeps its own (docs/deploy.md).
ENV_FILE := $(CURDIR)/var/itaku.env
# The demo keeps its checkpoint signing key in var/; production keeps it off the server
# (docs/audit.md).
DEMO_KEY := $(CURDIR)/var/audit-signing.key

.PHONY: run serve test lint check-types check-migrations suite suite-postgres bench messages lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.base-installed

## run: install, migrate, load the demo data, serve on http://127.0.0.1:8000
run: $(VENV)/.base-installed $(ENV_FILE)
	$(BIN)/itaku migrate --noinput --verbosity 0
	test -f $(DEMO_KEY) || $(BIN)/itaku audit keygen $(DEMO_KEY)
	$(BIN)/itaku demo
	$(BIN)/itaku audit checkpoint >/dev/null
	@echo ""
	@echo "Itaku: http://127.0.0.1:8000  (Ctrl-C stops)"
	$(BIN)/itaku runserver 127.0.0.1:8000

# Written once, never overwritten: it holds the installation's secret key.
$(ENV_FILE): | $(BIN)/python
	$(BIN)/python -m itaku.envfile --development $@

## serve: the production server (gunicorn, static files by WhiteNoise) with the settings in force
serve: $(VENV)/.base-installed
	$(BIN)/itaku serve

## test: lint, types, migrations, translations, then the suite on SQLite and PostgreSQL
test: lint check-types check-migrations suite suite-postgres

lint: $(VENV)/.dev-installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

check-types: $(VENV)/.dev-installed
	$(BIN)/mypy itaku tests bench scripts

check-migrations: $(VENV)/.dev-installed
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m django makemigrations --check --dry-run

suite: $(VENV)/.dev-installed
	scripts/system-deps
	$(BIN)/pytest $(PYTEST_PROCESSES)

suite-postgres: $(VENV)/.dev-installed
	@if $(BIN)/python scripts/postgres_ready.py "$(POSTGRES_URL)"; then \
		DATABASE_URL="$(POSTGRES_URL)" $(BIN)/pytest $(PYTEST_PROCESSES); \
	else \
		echo ""; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!! PostgreSQL is not reachable at $(POSTGRES_URL)"; \
		echo "!!! The suite ran on SQLite only. Start PostgreSQL to test production."; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

## bench: response times and query counts as ratios against baselines measured in the same run
bench: $(VENV)/.dev-installed
	scripts/system-deps
	$(BIN)/python -m bench

## messages: extract the strings of every app into its catalog and compile the catalogs
messages: $(VENV)/.dev-installed
	$(BIN)/python scripts/messages.py

## lock: re-pin the dependencies after editing pyproject.toml
lock:
	uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements/base.lock
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements/dev.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache test-artifacts
