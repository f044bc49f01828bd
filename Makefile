# Everything a fresh Debian machine with Python 3.11 needs, then the job.
#   make demo   set up, then run the demo on the bundled example audit
#   make test   set up, then run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# System packages: Graphviz's dot draws the ecosystem diagrams (tests run the real binary);
# WeasyPrint lays out the PDF report with Pango and the Liberation fonts of the default theme;
# headless Chromium shows the HTML report in the tests (screenshots, filters);
# pdftoppm (poppler-utils) turns report pages into pictures for review and the README;
# tmux is the real terminal the interview tests type into.

.PHONY: demo test setup system-deps clean

demo: setup
	$(BIN)/auditor demo -o demo-output

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: system-deps $(VENV)/.installed

system-deps:
	@missing=""; \
	command -v dot >/dev/null 2>&1 || missing="$$missing graphviz"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v tmux >/dev/null 2>&1 || missing="$$missing tmux"; \
	/sbin/ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	fc-list 2>/dev/null | grep -q "Liberation Sans" || missing="$$missing fonts-liberation"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

clean:
	rm -rf $(VENV) demo-output build dist .pytest_cache
