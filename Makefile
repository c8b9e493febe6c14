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

.PHONY: install demo test pytest dbt-test pytest-other-pythons powerbi-referee lint clean referee referee-install install-spark test-spark

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "make install: Python 3.11, 3.12 or 3.13 is needed (python3.11 not found; set PYTHON=...)"; exit 1; }
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v <= (3, 13) else "make install: Python 3.11, 3.12 or 3.13 is needed, found " + sys.version.split()[0] + " ($(PYTHON))")'
	@echo "make install: creating $(VENV) with $$($(PYTHON) --version) ($(PYTHON))"
	@$(PYTHON) -m venv $(VENV)
	@echo "make install: upgrading pip in $(VENV)"
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "make install: installing the warehouse and its pinned dependencies (constraints.txt; about a minute)"
	@$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@
	@echo "make install: done: $$($(BIN)/csc --version)"

demo: install
	$(BIN)/csc demo

test: lint pytest dbt-test pytest-other-pythons

# Python (ruff) and SQL (sqlfluff, dbt templater on the in-memory `lint` target) style; see CONTRIBUTING.md.
lint: install
	$(BIN)/ruff check scripts
	$(BIN)/ruff format --check scripts
	$(BIN)/sqlfluff lint models macros tests analyses --processes 2 --nocolor

pytest: install
	$(BIN)/python -m pytest -q

# The warehouse itself on a fresh synthetic extract: seeds, models, unit tests, data tests.
dbt-test: install
	rm -rf $(TEST_DIR) && mkdir -p $(TEST_DIR)
	$(TEST_ENV) $(BIN)/csc generate --out $(TEST_DIR)/landing
	$(TEST_ENV) $(BIN)/csc validate --landing $(TEST_DIR)/landing
	$(TEST_ENV) $(BIN)/csc build --unit-tests
	$(TEST_ENV) $(BIN)/csc publish --skip-build
	$(TEST_ENV) $(BIN)/csc report --la 878 --quarter 2016-17-Q2 --out $(TEST_DIR)/reports

# The fast tests under the other supported Pythons (3.12, 3.13), each in its own .venv-3.X;
# an interpreter that is not installed is skipped with a message.
OTHER_PYTHONS := 3.12 3.13
pytest-other-pythons:
	@for v in $(OTHER_PYTHONS); do \
	  py=; for c in $$(command -v python$$v) $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/$$v.*/bin/python$$v 2>/dev/null); do \
	    $$c -c 'import sys' 2>/dev/null && { py=$$c; break; }; done; \
	  test -n "$$py" || { echo "make test: Python $$v not found: its fast tests skipped"; continue; }; \
	  $(MAKE) --no-print-directory VENV=.venv-$$v PYTHON=$$py install || exit 1; \
	  echo "make test: fast tests under Python $$v"; \
	  .venv-$$v/bin/python -m pytest -q -m "not slow" -p no:cacheprovider || exit 1; \
	done

# An independent TMDL reader (powerbi-tmdl-tools, own environment) against ours, on the
# published Power BI project: agreement as numbers (see scripts/dev/powerbi_referee.py).
REFEREE_VENV := .venv-powerbi-referee
powerbi-referee: install
	@test -d $(REFEREE_VENV) || { echo "make powerbi-referee: creating $(REFEREE_VENV)"; \
	  $(PYTHON) -m venv $(REFEREE_VENV) && $(REFEREE_VENV)/bin/pip install --quiet powerbi-tmdl-tools==1.0.5; }
	$(BIN)/python scripts/dev/powerbi_referee.py $${CSC_PUBLISH_DIR:-warehouse/published}/powerbi $(REFEREE_VENV)/bin/tmdl-to-json

# The outside referee: DfE's CIN validator (csc-validator-be-cin) in its own environment
# (it needs pandas<2 and numpy<2), compared rule by rule with `csc check-cin-census` on a
# small synthetic return of DFE_REFEREE_YEAR, the faulted return of that year (one planted
# failure per implemented rule, scripts/dev/referee/faults.py; the rules on the return as a
# whole in a second small return, faults_return_YEAR.xml) and the project's CIN XML test
# files; an implemented rule that disagrees outside exceptions.csv fails it.
DFE_REFEREE_VENV   := .venv-referee
DFE_REFEREE_PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
DFE_REFEREE_REQS   := scripts/dev/referee/requirements.txt
DFE_REFEREE_STAMP  := $(DFE_REFEREE_VENV)/.installed-$(shell cat $(DFE_REFEREE_REQS) | cksum | cut -d' ' -f1)
DFE_REFEREE_DIR    := $(CURDIR)/target/referee
DFE_REFEREE_YEAR   ?= 2023
DFE_REFEREE_SIZE   ?= 0.1
DFE_REFEREE_ENV    := CSC_LANDING_DIR=$(DFE_REFEREE_DIR)/landing CSC_DUCKDB_PATH=$(DFE_REFEREE_DIR)/csc.duckdb
DFE_REFEREE_FILES  := scripts/tests/fixtures/cin_census/cin_2016_small.xml scripts/tests/fixtures/cin_census/cin_2025_small.xml

referee-install: $(DFE_REFEREE_STAMP)

$(DFE_REFEREE_STAMP): $(DFE_REFEREE_REQS)
	@test -n "$(DFE_REFEREE_PYTHON)" || { echo "Python 3.11 or 3.12 is needed for the referee"; exit 1; }
	$(DFE_REFEREE_PYTHON) -m venv $(DFE_REFEREE_VENV)
	$(DFE_REFEREE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DFE_REFEREE_VENV)/bin/python -m pip install --quiet -r $(DFE_REFEREE_REQS)
	rm -f $(DFE_REFEREE_VENV)/.installed-*
	touch $@

referee: install referee-install
	rm -rf $(DFE_REFEREE_DIR) && mkdir -p $(DFE_REFEREE_DIR)
	$(DFE_REFEREE_ENV) $(BIN)/csc generate --out $(DFE_REFEREE_DIR)/landing --size $(DFE_REFEREE_SIZE) \
		--start $$(($(DFE_REFEREE_YEAR) - 2))-04-01 --end $(DFE_REFEREE_YEAR)-06-30
	$(DFE_REFEREE_ENV) $(BIN)/csc build
	$(DFE_REFEREE_ENV) $(BIN)/csc export-cin-census --la 878 --year $(DFE_REFEREE_YEAR) \
		--out $(DFE_REFEREE_DIR)/CIN_census_878_$(DFE_REFEREE_YEAR).xml
	$(BIN)/python scripts/dev/referee/faults.py $(DFE_REFEREE_DIR)/faults_$(DFE_REFEREE_YEAR).xml \
		--year $(DFE_REFEREE_YEAR) --manifest $(DFE_REFEREE_DIR)/faults_$(DFE_REFEREE_YEAR).csv \
		--whole-return $(DFE_REFEREE_DIR)/faults_return_$(DFE_REFEREE_YEAR).xml
	$(BIN)/python scripts/dev/referee/compare.py --referee-python $(DFE_REFEREE_VENV)/bin/python \
		--json $(DFE_REFEREE_DIR)/agreement.json --require-agreement \
		$(DFE_REFEREE_DIR)/CIN_census_878_$(DFE_REFEREE_YEAR).xml $(DFE_REFEREE_DIR)/faults_$(DFE_REFEREE_YEAR).xml \
		$(DFE_REFEREE_DIR)/faults_return_$(DFE_REFEREE_YEAR).xml \
		$(DFE_REFEREE_FILES)

# The same warehouse on Spark (README: Spark): dbt-spark and pyspark as the `spark` extra of
# this venv (they pin nothing the warehouse pins). test-spark builds a two-council extract
# with DuckDB and with `dbt build --target spark` (the engine pins in tests/cross_db run on
# both), compares every published table (marts, publication): zero differing rows or it
# fails; then child_key on Spark against Python's hmac (scripts/tests/test_spark_keyed_hash.py).
SPARK_STAMP := $(VENV)/.installed-spark-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
SPARK_DIR   := $(CURDIR)/target/spark-ci
SPARK_ENV   := CSC_LANDING_DIR=$(SPARK_DIR)/landing CSC_DUCKDB_PATH=$(SPARK_DIR)/csc.duckdb CSC_SPARK_DIR=$(SPARK_DIR)/spark DBT_LOG_PATH=$(SPARK_DIR)/logs

install-spark: $(SPARK_STAMP)

$(SPARK_STAMP): $(STAMP)
	@java -version >/dev/null 2>&1 || { echo "Spark needs Java 17 or later (java not found)"; exit 1; }
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,spark]'
	rm -f $(VENV)/.installed-spark-*
	touch $@

# A key made for this run, the same for both engines (child_key must agree), then looked for
# in everything both builds wrote: it must be in no compiled SQL, log, artifact or table file.
test-spark: export CSC_PSEUDONYM_KEY := $(shell od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
test-spark: install-spark
	rm -rf $(SPARK_DIR) && mkdir -p $(SPARK_DIR) && date +%s > $(SPARK_DIR)/started
	$(SPARK_ENV) $(BIN)/csc generate --la 878 --la 879 --size 0.05 --out $(SPARK_DIR)/landing
	$(SPARK_ENV) DBT_TARGET_PATH=$(SPARK_DIR)/dbt-duckdb $(BIN)/csc build
	$(SPARK_ENV) DBT_TARGET_PATH=$(SPARK_DIR)/dbt-spark $(BIN)/python -m csc.spark build
	$(BIN)/python scripts/dev/spark_compare.py --duckdb $(SPARK_DIR)/csc.duckdb \
		--spark-warehouse $(SPARK_DIR)/spark/warehouse --out $(SPARK_DIR)/comparison.json
	@! grep -rlF "$$CSC_PSEUDONYM_KEY" $(SPARK_DIR) || { echo "the pseudonymisation key was written to the files above"; exit 1; }
	@echo "test-spark: the key is in no file under $(SPARK_DIR)"
	$(BIN)/python -m pytest -q -p no:cacheprovider scripts/tests/test_spark_keyed_hash.py
	@echo "test-spark: passed in $$(( $$(date +%s) - $$(cat $(SPARK_DIR)/started) )) s"

clean:
	rm -rf target warehouse data/landing $(VENV) $(VENV)-3.* $(REFEREE_VENV) $(DFE_REFEREE_VENV)
