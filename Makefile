# weibao — developer commands. `make run` and `make test` work on a fresh machine with
# Python >= 3.11 and make; everything else is for contributors and CI.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export WEIBAO_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test test-pg test-browser lint typecheck check-migrations messages vendor bench clean

$(STAMP): pyproject.toml requirements/lock.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "weibao needs Python >= 3.11"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/lock.txt -e '.[dev]'
	touch $(STAMP)

## Start weibao with demo data on SQLite at http://127.0.0.1:8000 (web server + worker).
run: $(STAMP)
	$(BIN)/weibao migrate --no-input -v 0
	$(BIN)/weibao demo
	@echo ""
	@echo "weibao is starting at http://127.0.0.1:8000/  (Ctrl-C stops it)"
	WEIBAO_DEBUG=1 $(BIN)/weibao serve --dev --bind 127.0.0.1:8000

## Run the test suite (SQLite; DATABASE_URL=postgres://... runs it on PostgreSQL).
test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 -m "not browser"

test-pg: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/weibao} $(BIN)/python -m pytest -q -n 2 -m "not browser"

test-browser: $(STAMP)
	$(BIN)/python -m pytest -q -m browser -p no:xdist

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

check-migrations: $(STAMP)
	$(BIN)/weibao makemigrations --check --dry-run

messages: $(STAMP)
	cd src/weibao && ../../$(BIN)/weibao makemessages -l zh_Hans -l en --no-obsolete --no-location
	$(BIN)/python scripts/compile_messages.py

vendor:
	scripts/vendor-static.sh

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements/lock.txt -e '.[bench]'
	$(BIN)/python bench/bench_worktime.py

clean:
	rm -rf $(VENV) var
