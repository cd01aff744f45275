# Two commands do all set-up on a fresh machine with Python 3.11+:
#   make run    create .venv, install, migrate the SQLite default, load the demo city, serve on :8000
#   make test   create .venv if needed, install test tools, run the whole suite
#   make translations   extract the interface text, update every catalogue, compile them (README)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
WORKERS ?= 2
export FLASK_APP := wsgi

TRANSLATIONS := app/translations

.PHONY: run test lint audit migrate demo serve clean check-python translations

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.x")'

$(BIN)/activate: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.test-deps: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.run-deps

migrate: $(VENV)/.run-deps
	$(BIN)/flask db upgrade

demo: migrate
	$(BIN)/flask demo

run: demo
	@echo ""
	@echo "  Serving on http://$(HOST):$(PORT)/   (Ctrl+C stops)"
	@echo ""
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - wsgi:app

test: $(VENV)/.test-deps
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check app tests bench
	$(BIN)/bandit -c pyproject.toml -r app wsgi.py gunicorn.conf.py -q

# Known vulnerabilities in the pinned runtime dependencies; warns (does not fail) when offline.
audit: $(VENV)/.test-deps
	$(BIN)/python .ci/audit_deps.py requirements.txt

# Extract every _()/_l()/ngettext message into the template, merge it into each language's
# messages.po (new messages arrive empty, or marked fuzzy with a guess), and compile the .mo files.
# Then translate the empty and fuzzy entries, run it again, and commit the .pot, .po and .mo files.
translations: $(VENV)/.run-deps
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-wrap --project=pb -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-wrap --ignore-obsolete
	$(BIN)/pybabel compile -d $(TRANSLATIONS) --statistics

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
