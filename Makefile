# Two commands on a fresh machine with only Python 3.11+ and make: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test lint typecheck pytest docs docs-serve demo bench mutation clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	touch $(STAMP)

test: lint typecheck docs pytest

lint: $(STAMP)
	$(BIN)/ruff check hetzner_async tests examples tools
	$(BIN)/ruff format --check hetzner_async tests examples tools

typecheck: $(STAMP)
	$(BIN)/mypy --strict hetzner_async

pytest: $(STAMP)
	$(BIN)/python -m pytest

# The documentation site (mkdocs.yml, docs/) into site/; --strict: a broken link or reference fails.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# Serve the site on http://127.0.0.1:8000 and rebuild it on every change.
docs-serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

demo: $(STAMP)
	$(BIN)/python examples/provision_fleet.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks

# Mutation testing of the protocol core (mutmut, minutes; not part of `make test`).
# `make mutation MODULES="_retry _validate"` runs a subset; FAIL_UNDER=0 only reports.
# The modules mutmut may mutate are listed in pyproject.toml under [tool.mutmut].
MUTATION_CORE := _retry _wire _validate _validate_storage _validate_net _validate_lb \
	_validate_cert _validate_dns _metrics _governor _line _budget _refill _poller _forecast \
	_convert _tolerant
MODULES ?= $(MUTATION_CORE)
FAIL_UNDER ?= 90
DEV_STAMP := $(VENV)/.installed-dev

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(DEV_STAMP)

mutation: $(DEV_STAMP)
	rm -rf mutants/tests  # mutmut copies tests/ over the old copy: drop files deleted since
	$(BIN)/mutmut run $(foreach m,$(MODULES),'hetzner_async.$(m).*')
	$(BIN)/python tools/mutation_report.py --fail-under $(FAIL_UNDER) $(MODULES)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache site mutants
