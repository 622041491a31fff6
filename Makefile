# Two commands for a newcomer:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test lint system-deps browser-deps clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

## Build the synthetic city in ./data and serve it on http://127.0.0.1:8000
demo: $(BIN)/.installed system-deps
	$(BIN)/jiangping demo $(DEMO_ARGS)

## Lint, then run the whole test suite (browser tests use Debian's chromium)
test: $(BIN)/.installed system-deps browser-deps
	$(BIN)/ruff check src tests bench scripts conftest.py
	$(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

## The bulletin's PDF needs pango (WeasyPrint) and CJK fonts standing in for the official ones
SYSTEM_PACKAGES := fonts-noto-cjk fonts-arphic-ukai libpango-1.0-0 libpangoft2-1.0-0
system-deps:
	@if ! fc-list :lang=zh family | grep -q "Noto Serif CJK" || ! fc-list | grep -q ukai \
	    || ! ldconfig -p | grep -q libpangoft2; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "需要 Debian 的字体和 pango：sudo apt-get install $(SYSTEM_PACKAGES)"; exit 1; \
	  fi; \
	fi

## Browser tests use Debian's chromium; the bulletin's DOCX is checked through LibreOffice
BROWSER_PACKAGES := chromium libreoffice-writer-nogui poppler-utils
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	  else \
	    echo "需要 Debian 的 chromium 等：sudo apt-get install $(BROWSER_PACKAGES)"; exit 1; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) data
