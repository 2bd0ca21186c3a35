# Two commands on a fresh machine: `make serve` and `make test`.
# Everything else (venv, pinned packages, system packages) is set up on the way.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve build test bench kit shim system clean

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
test: $(STAMP) system shim
	$(BIN)/python -m pytest -rs $(if $(UPDATE),--update-examples) $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The offline IR kit: dist/td-ir-handbook-<version>/ (site for file://, handbook.pdf, SHA256SUMS) and its .zip.
kit: $(STAMP) system
	$(BIN)/python -m handbook.cli kit

system:
	@$(BIN)/python -m handbook.system

# The pinned iframe-worker tarball from the npm registry, for the kit tests (which never fetch).
# Without npm or the registry the kit tests say so and skip; .ci/run makes that a failure.
shim: $(STAMP)
	-@$(BIN)/python -m handbook.kit.shim

clean:
	rm -rf site dist $(VENV)
