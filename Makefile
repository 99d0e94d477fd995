# Varde: the one entry point. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
VENV_STAMP := .venv/.synced
ASYNCAPI_PARSER := tests/contracts/asyncapi_parser
ASYNCAPI_PARSER_STAMP := $(TOOLS)/asyncapi-parser/node_modules/.package-lock.json
# Debian's hunspell-no, pinned and checked, converted into the embedded PostgreSQL (norwegian_dictionaries.py)
DICTIONARIES_STAMP := .venv/.norwegian-dictionaries
PACKAGES := varde_common varde_directory varde_documents varde_deviations varde_risk varde_notifications \
	varde_reporting varde_web varde_gateway varde_devstack
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: help run test fuzz lint bench asyncapi dockerfiles vendor-web clean

help: ## list the targets
	@echo "Varde — internkontroll og kvalitetssystem for kommuner"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-11s %s\n", $$1, $$2}'

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Varde needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Bytecode is compiled here, once: every process of `make run` would otherwise compile what it imports anew on
# every start when PYTHONDONTWRITEBYTECODE is set (about 3 s of CPU each, a dozen processes).
$(VENV_STAMP): $(UV) uv.lock pyproject.toml $(wildcard services/*/pyproject.toml) gateway/pyproject.toml devstack/pyproject.toml
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

$(DICTIONARIES_STAMP): $(VENV_STAMP) services/common/varde_common/norwegian_dictionaries.py
	.venv/bin/python -m varde_common.norwegian_dictionaries --cache $(TOOLS)/cache
	@touch $@

run: $(VENV_STAMP) $(DICTIONARIES_STAMP) ## install, start PostgreSQL, Kafka, every service and the gateway, load demo kommuner (Ctrl-C stops)
	.venv/bin/python -m varde_devstack

# The official AsyncAPI parser for tests/contracts/test_asyncapi.py, pinned by its package-lock.json; only tests need Node.
$(ASYNCAPI_PARSER_STAMP): $(ASYNCAPI_PARSER)/package.json $(ASYNCAPI_PARSER)/package-lock.json
	mkdir -p $(TOOLS)/asyncapi-parser && cp $^ $(TOOLS)/asyncapi-parser/
	npm ci --prefix $(TOOLS)/asyncapi-parser --ignore-scripts --no-audit --no-fund
	@touch $@

# The browser tests drive Debian's Chromium through Playwright (no browser build is downloaded); installed when
# missing, with apt-get (as root, or through sudo).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "The browser tests need Chromium at $(CHROMIUM): install it"; exit 1; }
	$(SUDO) apt-get install -y --no-install-recommends chromium || \
		{ $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium; }

test: $(VENV_STAMP) $(DICTIONARIES_STAMP) $(ASYNCAPI_PARSER_STAMP) $(CHROMIUM) ## install what is needed and run the whole suite, real PostgreSQL and broker included
	$(UV) run --frozen --no-sync pytest

# `make test` sends 5 generated requests per operation and mode; this run 50, then linked sequences of calls.
FUZZ_EXAMPLES ?= 50
FUZZ_SCENARIOS ?= 100
fuzz: $(VENV_STAMP) $(DICTIONARIES_STAMP) ## deeper Schemathesis run against the gateway's OpenAPI document, on a stack of its own
	VARDE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) VARDE_FUZZ_SCENARIOS=$(FUZZ_SCENARIOS) \
		$(UV) run --frozen --no-sync pytest -s -p no:cacheprovider tests/system/test_fuzz.py tests/system/fuzz_deep.py

# Every Dockerfile of the repository (one per deployable package, written by `make dockerfiles`).
DOCKERFILES := $(shell git ls-files --cached --others --exclude-standard -- '*Dockerfile' 2>/dev/null)

lint: $(VENV_STAMP) ## ruff, format check, mypy on every package, import contracts, layout rules, hadolint
	$(UV) run --frozen --no-sync ruff check .
	$(UV) run --frozen --no-sync ruff format --check .
	$(UV) run --frozen --no-sync mypy $(foreach package,$(PACKAGES),-p $(package))
	$(UV) run --frozen --no-sync lint-imports
	$(UV) run --frozen --no-sync python -m tests.contracts.layout_rules
	$(UV) run --frozen --no-sync hadolint $(DOCKERFILES)

bench: $(VENV_STAMP) $(DICTIONARIES_STAMP) $(CHROMIUM) ## measure the gateway, the report-to-notification latency and the stack; prints JSON
	@$(UV) run --frozen --no-sync python -m bench

asyncapi: $(VENV_STAMP) ## regenerate every service's asyncapi.yaml from the code
	for service in directory documents deviations risk notifications reporting; do \
		$(UV) run --frozen --no-sync python -m varde_$$service asyncapi > services/$$service/asyncapi.yaml; done

dockerfiles: $(VENV_STAMP) ## write every service's and the gateway's Dockerfile from the one template (tests/contracts/images.py)
	$(UV) run --frozen --no-sync python -m tests.contracts.images

# Designsystemet and Inter are committed built files (services/web/varde_web/static/vendor, lock.json beside the
# script): make run needs no Node. Updating: change a version at the top of the script, run this, commit.
vendor-web: ## fetch the pinned Designsystemet and Inter files of the web client again (needs npm and its registry)
	@command -v npm >/dev/null || { echo "make vendor-web needs npm (Node.js); make run does not"; exit 1; }
	$(PYTHON) services/web/vendor/update_designsystemet.py

clean: ## remove the local environment and data (var/)
	rm -rf .venv $(TOOLS) var
