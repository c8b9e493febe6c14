# Two commands on a fresh machine with only Python 3.11 and make:
#   make demo   install, generate the SYNTHETIC demo extract, validate, build, test, publish, report
#   make test   everything CI runs
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

export GX_ANALYTICS_ENABLED := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)

# CI and `make test` build a demo extract of their own, away from the demo's files.
TEST_DIR := $(CURDIR)/target/ci
TEST_ENV := CSC_LANDING_DIR=$(TEST_DIR)/landing CSC_DUCKDB_PATH=$(TEST_DIR)/csc.duckdb CSC_PUBLISH_DIR=$(TEST_DIR)/published

.PHONY: install demo test pytest dbt-test clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 not found)"; exit 1; }
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	rm -f $(VENV)/.installed-*
	touch $@

demo: install
	$(BIN)/csc demo

test: pytest dbt-test

pytest: install
	$(BIN)/python -m pytest -q

# The warehouse itself on a fresh synthetic extract: seeds, models, unit tests, data tests.
dbt-test: install
	rm -rf $(TEST_DIR) && mkdir -p $(TEST_DIR)
	$(TEST_ENV) $(BIN)/csc generate --out $(TEST_DIR)/landing
	$(TEST_ENV) $(BIN)/csc validate --landing $(TEST_DIR)/landing
	$(TEST_ENV) $(BIN)/csc build
	$(TEST_ENV) $(BIN)/csc publish --skip-build
	$(TEST_ENV) $(BIN)/csc report --la 878 --quarter 2016-17-Q2 --out $(TEST_DIR)/reports

clean:
	rm -rf target warehouse data/landing $(VENV)
