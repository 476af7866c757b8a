# Single entry point. The first two targets are the README's two commands.
# Each creates .venv and installs the project (editable, with test tools)
# whenever .venv is missing or pyproject.toml has changed since the last install.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.qio-installed
CYCLE  ?= 2025
NAIVE_VENV ?= /tmp/qio-naive-venv
JOBS   ?=

.PHONY: demo test test-fast lint format demo-data bench bench-quick bench-explorer explore lab clean help system-packages

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# PDFs and the image pack need a Chromium-family browser (asked exactly as qio reports asks;
# `qio demo` does the same without make).
BROWSER_FOUND = $(BIN)/python -c "from qio_analysis.batch.renderings import check_formats; check_formats(pdf=True, xlsx=False)" 2>/dev/null
REPORTS = $(BIN)/qio reports --cycle $(CYCLE) --xlsx $(if $(JOBS),--jobs $(JOBS))

demo: $(STAMP) system-packages  ## main job: every report (HTML, workbooks, PDF, image pack) for the demo data -> outputs/
	@if $(BROWSER_FOUND); then \
		$(REPORTS) --pdf --images; \
	else \
		$(REPORTS) && echo "make demo skipped the PDFs and the headline image pack, which need a Chromium-family browser (none was found); to add them, run: sudo scripts/install-system-packages && make demo"; \
	fi

# The layers are chosen by marker (docs/testing.md). Tests run on every core, a file's
# tests together on one worker, in order, so that a notebook's cells share its kernel
# and a module's costly fixture is made once. Workers take the costliest files first
# (tests/costs.py), not xdist's most-tests-first order.
XDIST = -n $(or $(TEST_WORKERS),auto) --dist loadfile --no-loadscope-reorder

test: $(STAMP) system-packages  ## the whole test suite (unit, property, notebooks, batch, browser), on every core
	$(BIN)/python -m pytest $(XDIST)

test-fast: $(STAMP)  ## the fast layer: every test not marked slow or browser, plus doctests (about 2 min)
	$(BIN)/python -m pytest $(XDIST) -m "not slow and not browser" qio_analysis tests

system-packages:  ## install Debian's chromium and poppler-utils when missing (as root, with apt-get)
	@scripts/install-system-packages

lint: $(STAMP)  ## ruff lint and format check, mypy type check (settings in pyproject.toml)
	$(BIN)/ruff check qio_analysis tests benchmarks
	$(BIN)/ruff format --check qio_analysis tests benchmarks
	$(BIN)/mypy

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
