# Annotator: `make run` sets everything up and starts the app; `make test` sets everything up and
# runs the whole check (lint, types, layer contracts, tests). Both work on a fresh Debian machine
# that has only Python, git and make.

SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

# Python as the user's machine offers it: $(PYTHON) if given, else the newest of python3.13,
# python3.12, python3 on PATH that actually runs (pyenv shims may exist without a working
# interpreter behind them).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys, venv; assert sys.version_info >= (3, 11)' >/dev/null 2>&1; then \
	echo $$p; break; fi; done)

# Debian libraries Qt needs to run offscreen and under Xvfb (docs/developer-guide.md).
QT_DEBS := libgl1 libegl1 libx11-6 libxkbcommon0 libglib2.0-0 libfontconfig1 libfreetype6 \
	fonts-dejavu-core fonts-noto-color-emoji libdbus-1-3 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
	libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0 \
	libxcb-shape0 libxcb-xkb1 libxcb-util1 libx11-xcb1

# Debian's PostgreSQL server: the test suite starts one of its own to run the storage and services
# tests on a server too (tests/pg_server.py).
PG_DEBS := postgresql

DEMO ?= demo.annot

.PHONY: run test lint typecheck contracts pytest bench bench-quick system-deps pg-deps venv clean demo \
	package package-check wheel-check

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "No Python 3.11+ found: install python3 or set PYTHON=/path/to/python3"; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed

# Installs the Debian libraries Qt needs, only when running as root and only those missing.
system-deps:
	@$(call install_debs,Qt,$(QT_DEBS))

# Installs Debian's PostgreSQL server for the tests, only when running as root and missing.
pg-deps:
	@$(call install_debs,the test PostgreSQL server,$(PG_DEBS))

# $(call install_debs,WHAT,PACKAGES): apt-get installs those of PACKAGES missing, as root only.
define install_debs
if [ "$$(id -u)" = 0 ] && command -v dpkg-query >/dev/null 2>&1; then \
	missing=""; for p in $(2); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages for $(1):$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi; \
fi
endef

run: venv system-deps
	@test -f $(DEMO) || $(BIN)/annotator demo $(DEMO)
	$(BIN)/annotator gui $(DEMO) --open 1 --open 2

demo: venv
	$(BIN)/annotator demo $(DEMO)

lint: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: venv
	$(BIN)/mypy

contracts: venv
	$(BIN)/lint-imports

# Runs every test, the slow ones (`@pytest.mark.slow`: 100,000 claims, the PDF stress test)
# included; says how long it took (keep it under 10 minutes on two cores). As root (CI) the
# PostgreSQL tests must run: a missing server fails them instead of skipping.
pytest: venv system-deps pg-deps
	@start=$$(date +%s); QT_QPA_PLATFORM=offscreen ANNOTATOR_REQUIRE_PG=$$([ "$$(id -u)" = 0 ] && echo 1) \
	$(PY) -m pytest -q; status=$$?; \
	echo "pytest took $$(( $$(date +%s) - start )) s"; exit $$status

bench-quick: venv system-deps pg-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks --quick

bench: venv system-deps pg-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

test: lint typecheck contracts bench-quick wheel-check pytest

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache

include packaging/Makefile.inc
