# carebook: `make book` builds the book for the default councils; `make test` runs the tests.
# Both set up everything they need on a fresh Debian machine (as root): Debian packages
# for the PDF and browser tests, a virtual environment and the pinned Python packages.
# `make test-fast` runs the unit tier alone, on the committed slice of the official statistics.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# DfE's validation rules need pandas<2: their own environment, run by carebook as a separate process.
DFE_VENV := .venv-dfe
export CAREBOOK_DFE_PYTHON ?= $(abspath $(DFE_VENV))/bin/python
JOBS ?= 2
DEBIAN_PACKAGES := latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
	tex-gyre texlive-xetex fonts-freefont-otf chromium poppler-utils nodejs

# Official statistics: ../shared/data/public beside the checkout when present, else data/public.
ifneq ($(wildcard ../shared/data/public),)
export CAREBOOK_PUBLIC_DATA ?= $(abspath ../shared/data/public)
endif

.DEFAULT_GOAL := help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: $(VENV)/.installed $(DFE_VENV)/.installed system node_modules/.installed  ## virtual environment, Python packages, Debian packages, axe-core

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(DFE_VENV)/.installed: requirements-dfe.txt
	test -x $(DFE_VENV)/bin/python || $(PYTHON) -m venv $(DFE_VENV)
	$(DFE_VENV)/bin/pip install --quiet --upgrade pip
	$(DFE_VENV)/bin/pip install --quiet -r requirements-dfe.txt
	touch $@

# axe-core (pinned in package.json and package-lock.json) for the accessibility tests.
node_modules/.installed: package.json package-lock.json | system
	npm ci --no-audit --no-fund --silent
	touch $@

system:  ## Debian packages for the PDF (TeX Live, xelatex) and the browser tests (chromium), when missing
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "run 'make system' as root (or install: $$missing)"; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

book: setup  ## run the default councils, build the HTML site and one PDF per council
	@# A council whose notebook fails is reported and the book is still built for the rest.
	status=0; $(BIN)/carebook run --all --jobs $(JOBS) || status=$$?; \
	$(BIN)/carebook build && $(BIN)/carebook pdf --jobs $(JOBS) && exit $$status

# The tiers: tests/unit reads the fixture tests/fixtures/public (no external folder);
# tests/national (marked public_data) reads the full official statistics; the notebooks
# (nbval, each on its default council) and tests/integration (end to end) read them too.
test: setup  ## run every test: unit (on the fixture), national, notebooks, end to end
	$(BIN)/pytest --nbval-lax --nbval-current-env

test-fast: $(VENV)/.installed $(DFE_VENV)/.installed  ## the unit tests alone, on the committed fixture, no external folder (under a minute)
	env -u CAREBOOK_PUBLIC_DATA $(BIN)/pytest tests/unit -q -n $(JOBS)

all-england: setup  ## every English council and analysis, the HTML site and a re-run with nothing changed (timed)
	$(BIN)/python benchmarks/all_england.py --jobs $(JOBS)

benchmark: setup  ## time the models and the batch (figures printed, nothing asserted)
	for script in benchmarks/*_bench.py; do $(BIN)/python $$script; done

clean:  ## remove everything generated (executed notebooks, builds)
	rm -rf _build book/councils book/_generated book/_static/vega-bundle.js

.PHONY: help setup system book test test-fast all-england benchmark clean
