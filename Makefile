# Two commands on a fresh machine: `make serve` and `make test`.
# Everything else (venv, pinned packages, system packages, pinned npm packages) is set up on the way.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve build test bench kit npm system clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m compileall -q handbook macros.py  # as pip does for what it installs: a cold start reads bytecode
	$(BIN)/python -m handbook.prebuilt  # botocore's models and the start's patterns, prebuilt (handbook/prebuilt.py)
	touch $(STAMP)

serve: npm
	HANDBOOK_SITE_URL=$${HANDBOOK_SITE_URL:-http://127.0.0.1:8000/} $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: npm
	$(BIN)/mkdocs build --strict --site-dir site

# UPDATE=1 re-records the expected output of the examples instead of comparing it.
test: npm system
	$(BIN)/python -m pytest -rs $(if $(UPDATE),--update-examples) $(PYTEST_ARGS)

bench: npm
	$(BIN)/python bench/run.py

# The offline IR kit: dist/td-ir-handbook-<version>/ (site for file://, handbook.pdf, SHA256SUMS) and its .zip.
kit: npm system
	$(BIN)/python -m handbook.cli kit

# chromium (browser tests, the kit's PDF) and npm; as root on Debian installed, elsewhere named.
system: $(STAMP)
	@$(BIN)/python -m handbook.system

# The pinned npm packages every build uses (handbook/npm.yml: the site's fonts, the kit's
# search shim, Pyodide), fetched once into build/npm/ and checked against their pinned integrity;
# then the in-page runtime's package bundle, built once into build/runtime/ (handbook/runtime/).
npm: $(STAMP)
	@$(BIN)/python -m handbook.system npm
	@$(BIN)/python -m handbook.npm
	@$(BIN)/python -m handbook.runtime.bundle

clean:
	rm -rf site dist $(VENV)
