# Single entry point. The first two targets are the README Quickstart.
# Each creates .venv and installs the project (editable, with test tools)
# whenever .venv is missing or pyproject.toml has changed since the last install.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.qio-installed
CYCLE  ?= 2025
NAIVE_VENV ?= /tmp/qio-naive-venv
JOBS   ?=

.PHONY: demo test lint format demo-data bench bench-quick bench-explorer explore lab clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

demo: $(STAMP)  ## main job: every report (HTML, PDF, workbooks, image pack) for the demo data -> outputs/
	$(BIN)/qio reports --cycle $(CYCLE) --xlsx --pdf $(if $(JOBS),--jobs $(JOBS))

test: $(STAMP)  ## the whole test suite (unit, property, notebooks, batch, browser)
	$(BIN)/python -m pytest

lint: $(STAMP)  ## ruff lint and format check
	$(BIN)/ruff check qio_analysis tests benchmarks
	$(BIN)/ruff format --check qio_analysis tests benchmarks

format: $(STAMP)  ## apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix qio_analysis tests benchmarks
	$(BIN)/ruff format qio_analysis tests benchmarks

demo-data: $(STAMP)  ## regenerate data/demo deterministically
	$(BIN)/qio demo-data

explore: $(STAMP)  ## serve the interactive explorer with Voila on 127.0.0.1
	$(BIN)/qio explore

lab: $(STAMP)  ## open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks

bench: $(STAMP)  ## batch-report benchmark, 230 reports, every approach (writes benchmarks/results/latest.json)
	$(BIN)/python benchmarks/bench_reports.py --naive-venv $(NAIVE_VENV)

bench-quick: $(STAMP)  ## a 2-3 minute smoke run of the batch-report benchmark
	$(BIN)/python benchmarks/bench_reports.py --quick

bench-explorer: $(STAMP)  ## explorer responsiveness benchmark
	$(BIN)/python benchmarks/bench_explorer.py

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip check
	touch $(STAMP)

clean:  ## remove generated reports and caches (keeps .venv)
	rm -rf outputs/* benchmarks/results .ruff_cache
	touch outputs/.gitkeep
