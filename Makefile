# ictp: the user's interface. Every target sets up .venv first when it is missing or stale.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ICTP   := $(BIN)/ictp

.DEFAULT_GOAL := help
.PHONY: help setup demo run ingest validate build export report status test bench bench-quick lint lock clean

help: ## show this list
	@echo "ictp: ICT indicators pipeline. Targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ictp needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing ictp and its pinned dependencies into $(VENV) (constraints.txt)..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

setup: $(STAMP) ## create .venv and install ictp (done by every target when needed)

demo: $(STAMP) ## the whole pipeline offline on synthetic demo data (no network)
	$(ICTP) demo

run: $(STAMP) ## ingest from the live sources, validate, build, export, report
	$(ICTP) run

ingest: $(STAMP) ## download the catalog's series into the raw store
	$(ICTP) ingest

validate: $(STAMP) ## tidy the raw pages, validate them, store Parquet
	$(ICTP) validate

build: $(STAMP) ## run sql/ into a new data/processed/ict.duckdb
	$(ICTP) build

export: $(STAMP) ## write CSV extracts and datapackage.json
	$(ICTP) export

report: $(STAMP) ## write the HTML report with charts (data/processed/reports/index.html)
	$(ICTP) report

status: $(STAMP) ## what the last runs did, and how fresh each series is
	$(ICTP) status

test: $(STAMP) ## the test suite (two processes, a test file each at a time)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

bench: $(STAMP) ## benchmark every stage (writes data/processed/bench/)
	$(BIN)/python -m bench

bench-quick: $(STAMP) ## the benchmark at 1M observations only
	$(BIN)/python -m bench --quick

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check pipeline tests $(wildcard bench)
	$(BIN)/ruff format --check pipeline tests $(wildcard bench)

lock: ## re-resolve the dependency ranges in pyproject.toml and pin them in constraints.txt
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	.venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt
	rm -rf .venv-lock

clean: ## remove .venv, the demo data and data/processed (rebuildable); keeps data/raw
	rm -rf $(VENV) data/demo
	find data/processed -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
