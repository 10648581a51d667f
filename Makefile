# Render Courier — every developer command. `make demo` and `make test` are the two that matter.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
SAM_VENV := .venv-sam
PY := $(VENV)/bin/python
SAM := $(SAM_VENV)/bin/sam
# The Lambda runtime is python3.12: find a real one (pyenv, then PATH; pyenv shims may point elsewhere), never assume
# that `python3` is it. Override with PYTHON312=/path/to/python3.12.
PYTHON312 ?= $(shell for c in "$$(pyenv prefix 3.12 2>/dev/null)/bin/python3.12" $$HOME/.pyenv/versions/3.12*/bin/python3.12 \
	"$$(command -v python3.12)" /usr/bin/python3.12 /usr/local/bin/python3.12; do \
	"$$c" -c 'import sys; assert sys.version_info[:2] == (3, 12); print(sys.executable)' 2>/dev/null && break; done)

.PHONY: help venv sam-venv bench-venv lock chromium demo serve test test-fast lint format typecheck openapi client sam-validate sam-build \
	bench bench-coldstart bench-render bench-latency bench-clips bench-cost clean

help:
	@echo "make demo   - start the local stack, render social-card, deliver it to a customer bucket, print timings"
	@echo "make test   - lint, type-check and run every test (unit, integration, e2e, SAM validate/build)"
	@echo "make serve  - run the local stack (python -m courier_tools.local) until Ctrl-C"
	@echo "make bench  - delivery benchmark against rclone, aws-cli, boto3 (long: minutes); also bench-coldstart,"
	@echo "              bench-render, bench-latency, bench-clips, bench-cost. Figures and commands: docs/PERFORMANCE.md, docs/COST.md"
	@echo "make lock   - regenerate every requirements*.txt lock (full closure, hashes) from its .in after editing a pin"

# Every install is of a full lock with hashes (`pip install --require-hashes`): the *.in files hold the pins people
# edit, `make lock` compiles each into its .txt (docs/decision_log.md). The project itself cannot carry a hash: it is
# installed editable, with --no-deps, after its locked dependencies.
PIP_LOCKED := -m pip install --quiet --require-hashes

$(VENV)/.installed: requirements-pip.txt requirements-dev.txt layers/courier/requirements.txt \
		layers/video/requirements.txt layers/pdf/requirements.txt layers/providers/requirements.txt pyproject.toml
	@test -n "$(PYTHON312)" || { echo "Python 3.12 not found: install it (e.g. pyenv install 3.12) or set PYTHON312=/path/to/python3.12"; exit 1; }
	$(PYTHON312) -m venv $(VENV)
	$(PY) $(PIP_LOCKED) -r requirements-pip.txt
	$(PY) $(PIP_LOCKED) -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(SAM_VENV)/.installed: requirements-pip.txt requirements-sam.txt
	@test -n "$(PYTHON312)" || { echo "Python 3.12 not found"; exit 1; }
	$(PYTHON312) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python $(PIP_LOCKED) -r requirements-pip.txt
	$(SAM_VENV)/bin/python $(PIP_LOCKED) -r requirements-sam.txt
	touch $@

# Benchmark tools (psutil, matplotlib) on top of the app venv; bench/deliver.py makes its own aws-cli venv.
$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.txt
	$(PY) $(PIP_LOCKED) -r requirements-bench.txt
	touch $@

# The lock tool (uv, pinned in requirements-uv.in) in its own venv.
LOCK_VENV := .venv-lock
$(LOCK_VENV)/.installed: requirements-pip.txt requirements-uv.txt
	@test -n "$(PYTHON312)" || { echo "Python 3.12 not found"; exit 1; }
	$(PYTHON312) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python $(PIP_LOCKED) -r requirements-pip.txt
	$(LOCK_VENV)/bin/python $(PIP_LOCKED) -r requirements-uv.txt
	touch $@

# Regenerates every lock from its .in: versions are resolved for the Lambda runtime (CPython 3.12, x86_64, glibc
# 2.28+; AL2023 has 2.34), each with the hashes of all its files on the index. A version already in a .txt is kept
# unless its .in changed it: `make lock LOCK_FLAGS=--upgrade` (or `--upgrade-package NAME`) moves the rest on.
# Order matters: the dev lock is constrained by the layer locks, the bench lock by the dev lock.
UV_COMPILE = $(LOCK_VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.12 \
	--python-platform x86_64-manylinux_2_28 $(LOCK_FLAGS)
# The PDF and providers layers ship only what the courier layer (which every function has) does not.
# (Read when the recipe runs, after the courier lock was written.)
NOT_IN_COURIER = $$(grep -oE '^[a-z0-9][a-z0-9._-]*' layers/courier/requirements.txt | sed 's/^/--no-emit-package /')
lock: $(LOCK_VENV)/.installed
	$(UV_COMPILE) requirements-pip.in -o requirements-pip.txt
	$(UV_COMPILE) requirements-uv.in -o requirements-uv.txt
	$(UV_COMPILE) layers/courier/requirements.in -o layers/courier/requirements.txt
	$(UV_COMPILE) layers/video/requirements.in -o layers/video/requirements.txt
	$(UV_COMPILE) -c layers/courier/requirements.txt $(NOT_IN_COURIER) layers/pdf/requirements.in \
		-o layers/pdf/requirements.txt
	$(UV_COMPILE) -c layers/courier/requirements.txt $(NOT_IN_COURIER) layers/providers/requirements.in \
		-o layers/providers/requirements.txt
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt
	$(UV_COMPILE) requirements-bench.in -o requirements-bench.txt
	$(UV_COMPILE) requirements-sam.in -o requirements-sam.txt

venv: $(VENV)/.installed
sam-venv: $(SAM_VENV)/.installed
bench-venv: $(VENV)/.bench-installed

demo: venv
	$(PY) -m courier_tools.local.demo

serve: venv
	$(PY) -m courier_tools.local

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: venv
	$(VENV)/bin/mypy layers/courier/courier tools/courier_tools functions/render/render_handler.py functions/deliver/deliver_handler.py functions/video/video_handler.py bench

# The console's browser tests drive Debian's chromium (Playwright's own browser download is not reachable here).
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| { echo "tests/browser need Debian's chromium: apt-get install -y chromium"; exit 1; }

# Two workers, the machine's cores (three overload them: the fault suite's timeouts fire). `--dist loadgroup` is
# scheduled by tests/conftest.py: a module that starts a stack or builds runs on one worker, the longest first.
test: venv sam-venv chromium lint typecheck
	SAM_CLI=$(CURDIR)/$(SAM) PATH="$(dir $(PYTHON312)):$$PATH" $(PY) -m pytest -n 2 --dist loadgroup

test-fast: venv
	$(PY) -m pytest -m "not slow"

openapi: venv
	$(PY) -c 'import sys; sys.path.insert(0, "functions/render"); import render_handler; \
		open("docs/openapi.json", "w").write(render_handler.openapi_document() + "\n")'

# The typed Python client, generated offline from the checked-in document (run `make openapi` first when it changed).
client: venv
	rm -rf clients/python/render_courier_client
	$(VENV)/bin/openapi-python-client generate --path docs/openapi.json --meta none \
		--config clients/python/openapi-python-client.yaml --output-path clients/python/render_courier_client
	$(VENV)/bin/ruff check -q --fix --unsafe-fixes clients/python
	$(VENV)/bin/ruff format -q clients/python

sam-validate: sam-venv
	$(SAM) validate --lint

sam-build: sam-venv
	PATH="$(dir $(PYTHON312)):$$PATH" $(SAM) build

# Benchmarks are scripts, not tests: they print a table and write JSON (and plots) under docs/; nothing asserts on
# a timing. Pass options through ARGS, e.g. `make bench ARGS="--sizes 1,64 --runs 1"`.
bench: bench-venv
	$(PY) bench/deliver.py $(ARGS)

bench-coldstart: bench-venv sam-venv
	PATH="$(dir $(PYTHON312)):$$PATH" $(PY) bench/coldstart.py $(ARGS)

bench-render: venv
	$(PY) bench/render.py $(ARGS)

bench-latency: venv
	$(PY) bench/latency.py $(ARGS)

bench-clips: bench-venv
	$(PY) bench/clips.py $(ARGS)

bench-cost: bench-venv
	$(PY) bench/cost.py $(ARGS)

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache .hypothesis
