# Two commands for a newcomer:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test lint browser-deps clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

## Build the synthetic city in ./data and serve it on http://127.0.0.1:8000
demo: $(BIN)/.installed
	$(BIN)/jiangping demo $(DEMO_ARGS)

## Lint, then run the whole test suite (browser tests use Debian's chromium)
test: $(BIN)/.installed browser-deps
	$(BIN)/ruff check src tests bench scripts conftest.py
	$(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "需要 Debian 的 chromium：sudo apt-get install chromium fonts-noto-cjk"; exit 1; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) data
