# The two commands: `make serve` (set up and serve the workbook) and `make test` (set up and run every test).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8866
HOST ?= 127.0.0.1
PYTEST_ARGS ?=
# make workshop: one preheated kernel per seat, so participants arriving together do not wait for kernels.
# Used kernels are replaced REFILL_DELAY seconds later, not at once: 30 refills starting while 30
# pages are being served would take the CPU from those pages (docs/performance.md, burst).
SEATS ?= 30
REFILL_DELAY ?= 60
WORKSHOP_HOST ?= 0.0.0.0
# At most MAX_KERNELS kernels at once, preheated ones included (a kernel is ~55 MB): beyond it a visitor
# gets "the room is full, try again in a minute" (503). Default: every seat in use plus a full pool.
MAX_KERNELS ?= $(shell echo $$(( 2 * $(SEATS) )))
# Host names participants may type besides the server's IP address (e.g. WORKSHOP_HOSTS="workshop.lan
# laptop.local"); any other name in the Host header is refused (DNS rebinding). Addresses always work.
WORKSHOP_HOSTS ?=
WORKSHOP_OPTIONS = --preheat_kernel=True --pool_size=$(SEATS) --VoilaKernelManager.fill_delay=$(REFILL_DELAY) \
	--CappedKernelManager.max_kernels=$(MAX_KERNELS) --WorkbookVoila.any_address=True \
	$(foreach name,$(WORKSHOP_HOSTS),--WorkbookVoila.host_names=$(name))
# Seconds without activity before the kernel of a closed page, or of one that never connected, is shut
# down (checked every 30 s). Unset: voila.json's 90. Open pages keep theirs; preheated kernels waiting
# for a participant are never culled (docs/workshop.md).
KERNEL_IDLE_TIMEOUT ?=
CULL_OPTION = $(if $(KERNEL_IDLE_TIMEOUT),--MappingKernelManager.cull_idle_timeout=$(KERNEL_IDLE_TIMEOUT))
# make trainer: the dashboard, on its own server that only this machine can reach, behind a token
# printed once at start (see docs/workshop.md).
TRAINER_PORT ?= 8867
# Every server is Voilà plus server/: a Host/Origin guard on every request, the kernel cap, no 500s.
VOILA = $(BIN)/python -m server
# Voilà looks for our template (translated loading screen, no CDN requests) here.
export JUPYTER_PATH := $(CURDIR)/share/jupyter

.PHONY: install install-test browser spreadsheet calendar serve workshop trainer test test-fast lint bench clean

install: $(VENV)/.installed-run ## Only set up .venv with the run-time dependencies

$(VENV)/.installed-run: requirements/run.txt requirements/constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -r requirements/run.txt
	$(BIN)/python -m pip install --quiet --no-deps -e . --config-settings editable_mode=compat
	touch $@

install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed-run requirements/test.txt
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -r requirements/test.txt
	touch $@

# Headless Chromium for the browser tests: Debian's package (Playwright cannot download browsers here),
# plus CJK fonts so screenshots of the Chinese pages are readable, and poppler-utils (pdftotext,
# pdftoppm) to read back the printable record that Chromium printed to PDF.
browser:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "CJK" || ! command -v pdftoppm >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null; \
	fi
	@chromium --version 2>/dev/null | head -1

# LibreOffice Calc (Debian's package) for the test that opens case sheets as a spreadsheet user
# would: converted headless to .xlsx, every digit-only id must read back exactly as typed.
spreadsheet:
	@if ! command -v soffice >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null; \
	fi
	@soffice --version 2>/dev/null | head -1

# calcurse (Debian's package), a terminal calendar: the test that imports the .ics reminders
# into a real calendar program, headless.
calendar:
	@if ! command -v calcurse >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends calcurse >/dev/null; \
	fi
	@calcurse --version 2>/dev/null | head -1

# HOST=0.0.0.0: phones reach it at this machine's address (any address is accepted as Host; names: localhost).
serve: install
	mkdir -p -m 700 data/cases
	$(VOILA) notebooks/workbook.ipynb --no-browser --port=$(PORT) --Voila.ip=$(HOST) --WorkbookVoila.any_address=True $(CULL_OPTION)

# A workshop: the same workbook, reachable from participants' phones on the local network, at most
# MAX_KERNELS kernels, answering only to its addresses and WORKSHOP_HOSTS.
workshop: install
	mkdir -p -m 700 data/cases
	$(VOILA) notebooks/workbook.ipynb --no-browser --port=$(PORT) --Voila.ip=$(WORKSHOP_HOST) $(WORKSHOP_OPTIONS) $(CULL_OPTION)

# The trainer's dashboard: 127.0.0.1 only, Host localhost/loopback only, and a token: open the
# http://127.0.0.1:8867/?token=… address it prints (JUPYTER_TOKEN=… make trainer sets your own).
trainer: install
	mkdir -p -m 700 data/cases
	$(VOILA) notebooks/trainer.ipynb --no-browser --port=$(TRAINER_PORT) --Voila.ip=127.0.0.1 --token

# configurable-http-proxy for the JupyterHub test and deploy/jupyterhub: npm, pinned by the lock file
# in deploy/jupyterhub/proxy/, into the git-ignored .node/ (reinstalled only when the lock file changes).
.PHONY: hub-proxy
hub-proxy: .node/.installed
.node/.installed: deploy/jupyterhub/proxy/package.json deploy/jupyterhub/proxy/package-lock.json
	mkdir -p .node && cp deploy/jupyterhub/proxy/package.json deploy/jupyterhub/proxy/package-lock.json .node/
	npm ci --prefix .node --no-audit --no-fund --loglevel=error
	touch $@

# axe-core for the accessibility audit (tests/browser/test_accessibility.py): npm, pinned by the lock
# file in tests/browser/axe/, into the git-ignored .node/axe/ (reinstalled only when the lock file changes).
.PHONY: axe
axe: .node/axe/.installed
.node/axe/.installed: tests/browser/axe/package.json tests/browser/axe/package-lock.json
	mkdir -p .node/axe && cp tests/browser/axe/package.json tests/browser/axe/package-lock.json .node/axe/
	npm ci --prefix .node/axe --no-audit --no-fund --loglevel=error
	touch $@

# The in-browser edition: a static site in dist/lite/ (docs/in-browser.md). Downloads (npm, PyPI) are
# cached in the git-ignored .lite-cache/; tests/browser/test_lite.py builds it too when its inputs change.
.PHONY: lite
lite: install
	$(BIN)/python lite/build.py

test: install-test browser spreadsheet calendar hub-proxy axe
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The tests to run while changing code: the core, the widgets and the installed package, with pip's
# packages only (no Chromium, npm or apt); the scale tests (slow) and those that run a Debian
# program (system) are left to make test, which runs everything.
test-fast: install-test
	$(BIN)/python -m pytest -m "not slow and not system" tests/core tests/widgets $(PYTEST_ARGS)
	$(BIN)/python -m pytest tests/packaging $(PYTEST_ARGS)

# ruff, configured in pyproject.toml: lint, and check the formatting (`ruff format .` applies it).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install-test browser
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.trainer_first_look

# Only the participants' pages (issue 17): widget models per screen, steps in Chromium, n at once against the reference.
.PHONY: bench-pages
bench-pages: install-test browser
	$(BIN)/python -m bench.run --only models,steps,pages

clean:
	rm -rf $(VENV) artifacts .pytest_cache
