# The two commands of the README: `make up` (set up, sample data, nightly, serve) and
# `make test` (set up, run the whole suite incl. the browser tests). Everything they need is
# installed here: the virtualenv from PyPI, Chromium and CJK fonts from Debian's packages.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: setup up test lint bench browser-deps

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --config-settings editable_mode=compat -e '.[test]'
	touch $@

up: setup
	$(BIN)/kaifang up

browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "installing Chromium and CJK fonts from Debian's packages"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

test: setup browser-deps
	$(BIN)/ruff check .
	$(BIN)/pytest -q -p no:cacheprovider

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: setup
	$(BIN)/pip install -q --config-settings editable_mode=compat -e '.[test,bench]'
	@for name in sample ingest deid classifier feedback serve; do echo "== bench.$$name"; $(BIN)/python -m bench.$$name || exit 1; done
