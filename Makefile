# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The exact versions (and sha256 of every file) everything installs: requirements.lock is the
# runtime (deploy/Dockerfile), requirements-dev.lock is the runtime plus every extra (make test,
# CI). Both are generated from pyproject.toml by `make lock`; never edit them by hand.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
# --all-extras: an extra another branch adds is locked for development without editing this file.
# Without --upgrade, pins still allowed by pyproject.toml are kept, so a re-lock changes only
# what pyproject.toml changed.
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host

.PHONY: run test lint bench install lock clean

# Dependencies exactly as locked, then the project itself without resolving anything again.
$(STAMP): pyproject.toml $(DEV_LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --require-hashes -r $(DEV_LOCK)
	@$(BIN)/python -m pip install -q --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@$(BIN)/briefbot serve

test: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Regenerate both locks from pyproject.toml (after adding, removing or re-bounding a dependency,
# and once after merging branches that did); tests/test_locks.py fails until this is run.
lock: $(STAMP)
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile $(LOCK_FLAGS) \
		--output-file $(LOCK) pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile $(LOCK_FLAGS) --all-extras \
		--output-file $(DEV_LOCK) pyproject.toml

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
