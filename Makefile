# Two commands on a fresh machine: `make serve` and `make test`.
# Everything else (venv, pinned packages, system packages) is set up on the way.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve build test bench kit system clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

# UPDATE=1 re-records the expected output of the examples instead of comparing it.
test: $(STAMP) system
	$(BIN)/python -m pytest $(if $(UPDATE),--update-examples) $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py

system:
	@$(BIN)/python -m handbook.system

clean:
	rm -rf site dist $(VENV)
