# ShopBridge — the two commands a newcomer needs: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
export SHOPBRIDGE_DATA_DIR ?= $(CURDIR)/var
PYTEST_ARGS ?=
TEST_DATA_DIR ?= $(CURDIR)/var/test

.PHONY: install demo test test-suite lint format sandbox run bench clean

$(STAMP): pyproject.toml
	@bash scripts/ensure-venv "$(PY)" "$(VENV)"
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/shopbridge demo

test: install
	@bash scripts/ensure-chromium || true
	$(BIN)/ruff check src tests bench tools
	$(MAKE) --no-print-directory test-suite

# The suite alone (CI runs it a second time against PostgreSQL + Redis).
test-suite: install
	SHOPBRIDGE_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

format: install
	$(BIN)/ruff format src tests bench tools
	$(BIN)/ruff check --fix src tests bench tools

sandbox: install
	$(BIN)/shopbridge-sandbox --manifest var/sandbox-manifest.json

run: install
	$(BIN)/shopbridge run

clean:
	rm -rf var .pytest_cache .ruff_cache
