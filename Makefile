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
WORKSHOP_OPTIONS = --preheat_kernel=True --pool_size=$(SEATS) --VoilaKernelManager.fill_delay=$(REFILL_DELAY)
# make trainer: the dashboard, on its own server that only this machine can reach (see docs/workshop.md).
TRAINER_PORT ?= 8867
# Voilà looks for our template (translated loading screen, no CDN requests) here.
export JUPYTER_PATH := $(CURDIR)/share/jupyter

.PHONY: install install-test browser serve workshop trainer test bench clean

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
# plus CJK fonts so screenshots of the Chinese pages are readable.
browser:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "CJK"; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi
	@chromium --version 2>/dev/null | head -1

serve: install
	mkdir -p -m 700 data/cases
	$(BIN)/voila notebooks/workbook.ipynb --no-browser --port=$(PORT) --Voila.ip=$(HOST)

# A workshop: the same workbook, reachable from participants' phones on the local network.
workshop: install
	mkdir -p -m 700 data/cases
	$(BIN)/voila notebooks/workbook.ipynb --no-browser --port=$(PORT) --Voila.ip=$(WORKSHOP_HOST) $(WORKSHOP_OPTIONS)

trainer: install
	mkdir -p -m 700 data/cases
	$(BIN)/voila notebooks/trainer.ipynb --no-browser --port=$(TRAINER_PORT) --Voila.ip=127.0.0.1

# configurable-http-proxy for the JupyterHub test and deploy/jupyterhub: npm, pinned by the lock file
# in deploy/jupyterhub/proxy/, into the git-ignored .node/ (reinstalled only when the lock file changes).
.PHONY: hub-proxy
hub-proxy: .node/.installed
.node/.installed: deploy/jupyterhub/proxy/package.json deploy/jupyterhub/proxy/package-lock.json
	mkdir -p .node && cp deploy/jupyterhub/proxy/package.json deploy/jupyterhub/proxy/package-lock.json .node/
	npm ci --prefix .node --no-audit --no-fund --loglevel=error
	touch $@

# The in-browser edition: a static site in dist/lite/ (docs/in-browser.md). Downloads (npm, PyPI) are
# cached in the git-ignored .lite-cache/; tests/browser/test_lite.py builds it too when its inputs change.
.PHONY: lite
lite: install
	$(BIN)/python lite/build.py

test: install-test browser hub-proxy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-test browser
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) artifacts .pytest_cache
