# The doors into the project. `make run` serves the demo site; `make check` is the everyday door
# (a few minutes, nothing beyond this machine); `make test` runs every check, as CI does.
# Both build the virtual environment from the pinned requirements on first use.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# PostgreSQL for the second test run; pytest-django creates and drops a `test_` database beside it.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/aipg
# The browser checks (tests/browser) drive Debian's Chromium; the Playwright download is never used.
CHROMIUM := /usr/bin/chromium
# Varnish in front of the app in the real-process tests and the benchmark: Debian's varnish package.
VARNISHD := /usr/sbin/varnishd
SCREENSHOTS := test-artifacts/browser/screenshots
# The two-server test and the benchmark flush this Redis database: give them one nobody else uses.
REDIS_TEST_URL ?= redis://127.0.0.1:6379/5
# The suite runs in two processes (pytest-xdist, as `make check` does): one alone took most of
# CI's hour on a 2-core machine. Each process builds its own test database (in memory on SQLite;
# test_<name>_gw0 and _gw1 on PostgreSQL), so nothing is shared but the machine.
SUITE_PROCESSES := -n 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install install-test install-bench chromium varnish wrk browser-tools gettext messages run check test lint typecheck django-checks test-sqlite test-postgres test-browser test-servers bench audit lock clean

help:
	@echo "make run    install, migrate, load the demo content, print an admin login, serve on :8000 with a task worker"
	@echo "make check  the everyday door, a few minutes: lint (ruff, import-linter, djLint, stylelint), types, Django checks,"
	@echo "            the suite on SQLite in two processes, its test databases kept in var/ between runs"
	@echo "            (no browser, no PostgreSQL, no Redis)"
	@echo "make test   what CI runs: lint, type checks, Django checks, the suite on SQLite and PostgreSQL, browser checks,"
	@echo "            real-process tests (two app servers, workers, Redis and database faults)"
	@echo "make bench  generate a small and a large site on PostgreSQL, load-test them with wrk through gunicorn"
	@echo "            and through Varnish, chart it (within 20 minutes on a quiet 2-core machine)"
	@echo "make audit  Lighthouse on the demo site under production settings"
	@echo "make lock   re-pin requirements*.txt from pyproject.toml"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (set PYTHON=... to use another)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: requirements.txt requirements-bench.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-bench: $(VENV)/.installed-bench

# stylelint (for `make lint`), axe-core and the Nu Html Checker, pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for stylelint and the browser checks: apt-get install -y npm"; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

# CI runs as root, so a missing Chromium is installed here; anywhere else the message says what to do.
chromium:
	@test -x $(CHROMIUM) || { echo "$(CHROMIUM) is missing: installing Debian's chromium package"; \
		apt-get update -qq && apt-get install -y -qq chromium; } || true
	@test -x $(CHROMIUM) || { echo "$(CHROMIUM) is still missing. Install it as root with" \
		"'apt-get install -y chromium', then run the command again."; exit 1; }

# Varnish in front of the app servers (aipg_site/varnish/) is Debian's varnish package: the
# real-process tests and the benchmark start their own varnishd on a private port. CI (as root)
# installs it here; anywhere else the message says what to do.
varnish:
	@test -x $(VARNISHD) || { echo "$(VARNISHD) is missing: installing Debian's varnish package"; \
		apt-get update -qq && apt-get install -y -qq varnish; } || true
	@test -x $(VARNISHD) || { echo "$(VARNISHD) is still missing. Install it as root with" \
		"'apt-get install -y varnish', then run the command again."; exit 1; }

# The site's own strings in Spanish (locale/es/LC_MESSAGES/django.po) are compiled by GNU gettext's
# msgfmt, which CI (as root) installs here from Debian; anywhere else the message says what to do.
gettext:
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: installing Debian's gettext package"; \
		apt-get update -qq && apt-get install -y -qq gettext; } || true
	@command -v msgfmt >/dev/null || { echo "msgfmt (GNU gettext) is still missing. Install it as root with" \
		"'apt-get install -y gettext', then run the command again."; exit 1; }

# The .po files compiled into .mo files (build output, not committed); an up-to-date one is skipped.
messages: install gettext
	$(MANAGE) compilemessages --verbosity 0 --ignore=.venv --ignore=node_modules --ignore=var --ignore=media --ignore=staticfiles

browser-tools: node_modules/.installed chromium
	@command -v java >/dev/null || { echo "The HTML checker needs Java 17 or later:" \
		"apt-get install -y openjdk-17-jre-headless"; exit 1; }

# The task worker runs beside the web server in a process group of its own: Ctrl+C, or the server
# stopping for any reason, stops it too (the trap), and nothing is left running. The search index is
# built again whole (a few seconds), so a database made before a change to what is indexed, or how
# (accents, since aipg_site's migration 0010), searches as a new one does.
run: install messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content
	$(MANAGE) update_index --verbosity 0
	@echo
	@$(MANAGE) create_admin
	@echo
	@echo "Serving http://127.0.0.1:8000/ with a task worker beside it (emails print there); Ctrl+C stops both."
	@setsid $(MANAGE) run_worker & worker=$$!; \
		trap 'kill -TERM -$$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver 127.0.0.1:8000

test: install-test lint typecheck django-checks test-sqlite test-postgres test-browser test-servers

# The everyday door: what needs nothing beyond this machine, the suite spread over two processes,
# on SQLite test databases kept in var/ between runs (only new migrations are applied; delete
# var/test-db.sqlite3_* or pass --create-db to start afresh).
check: install-test messages lint typecheck django-checks
	@echo "== Test suite on SQLite, two processes, reusing the test databases"
	DATABASE_URL= $(BIN)/pytest -m "not browser and not servers" $(SUITE_PROCESSES) -q --reuse-db

# Python (ruff; import-linter's contracts in pyproject.toml), the templates (djLint: its rules, then its formatting, checked) and the CSS (stylelint).
# `djlint templates --reformat` and `node_modules/.bin/stylelint --fix "static/**/*.css"` fix most findings.
lint: install-test node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/djlint templates --lint
	$(BIN)/djlint templates --check
	node_modules/.bin/stylelint "static/**/*.css"

# The Stripe calls, checked against the stripe library's typed parameters (files in pyproject.toml).
typecheck: install-test
	$(BIN)/mypy

django-checks: install-test
	DJANGO_SETTINGS_MODULE=aipg_site.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=aipg_site.settings.test $(MANAGE) makemigrations --check --dry-run

test-sqlite: install-test messages
	@echo "== Test suite on SQLite, two processes"
	DATABASE_URL= $(BIN)/pytest -m "not browser and not servers" $(SUITE_PROCESSES)

test-postgres: install-test messages
	@echo "== Test suite on PostgreSQL ($(PG_TEST_URL)), two processes"
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -m "not browser and not servers" $(SUITE_PROCESSES)

# The browser checks run once, on SQLite: what they look at (markup, CSS, script, requests, the
# browser's view of the policy) does not depend on the database, and every database-dependent
# behaviour is already tested on both engines above. A second pass would double their time for nothing.
# They stay in one process: each process would build the demo site and start Chromium of its own.
test-browser: install-test messages browser-tools
	@echo "== Browser checks: every page type in Chromium (axe-core, Nu Html Checker, 320 px, keyboard)"
	@DATABASE_URL= $(BIN)/pytest -m browser; status=$$?; \
		echo "Screenshots of every page type at 320, 768 and 1280 px: $(CURDIR)/$(SCREENSHOTS)/"; \
		exit $$status

# In one process: the two-server and Varnish tests both flush REDIS_TEST_URL's database.
test-servers: install-test messages varnish
	@echo "== Real processes: two app servers (PostgreSQL, Redis $(REDIS_TEST_URL), S3), task workers, Redis and database faults"
	DATABASE_URL=$(PG_TEST_URL) REDIS_TEST_URL=$(REDIS_TEST_URL) $(BIN)/pytest -m servers

# The bench databases are named after PG_TEST_URL's (aipg_bench_small, ...); Redis is REDIS_TEST_URL.
# It drives wrk (Debian's package: as root a missing one is installed here, anywhere else the
# message says what to do) and puts Varnish in front of gunicorn (`make varnish`).
bench: install-bench messages wrk varnish
	$(BIN)/python -m bench.run --database $(PG_TEST_URL) --redis $(REDIS_TEST_URL)

wrk:
	@command -v wrk >/dev/null || { echo "wrk is missing: installing Debian's wrk package"; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk; } || true
	@command -v wrk >/dev/null || { echo "wrk is still missing. Install it as root with" \
		"'apt-get install -y wrk', then run the command again."; exit 1; }

audit/node_modules/.installed: audit/package.json audit/package-lock.json
	cd audit && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Lighthouse on Debian's Chromium (CHROME_PATH), against the demo site under production settings.
audit: install-test audit/node_modules/.installed chromium
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python audit/run.py

lock: install-test
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra test -o requirements-test.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra bench -o requirements-bench.txt pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .ruff_cache node_modules test-artifacts
