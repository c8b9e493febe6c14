"""Every engine-specific macro has exactly the implementations CI builds: DuckDB (make test)
and Spark (make test-spark). An implementation for any other engine (default__, postgres__, ...)
would be code no build ever runs, so it is refused here."""

from __future__ import annotations

import re
from pathlib import Path

MACROS = Path(__file__).resolve().parents[2] / "macros"
ENGINES_BUILT_IN_CI = {"duckdb", "spark"}
DISPATCH = re.compile(r"adapter\.dispatch\(\s*'(\w+)'\s*,\s*'csc'\s*\)")
IMPLEMENTATION = re.compile(r"\{%-?\s*macro\s+([a-z0-9]+)__(\w+)\s*\(")
# Overrides of dbt's own dispatched macros (namespace dbt), for the Spark build only.
DBT_OVERRIDES = {"listagg", "cast", "create_csv_table", "load_csv_rows", "datediff"}
# Helpers named for their engine, called only from that engine's implementation.
HELPERS = {("duckdb", "csc_json_valid_or_null")}


def _macro_text() -> str:
    return "\n".join(p.read_text() for p in sorted(MACROS.rglob("*.sql")))


def test_every_implementation_is_for_an_engine_ci_builds():
    implementations = IMPLEMENTATION.findall(_macro_text())
    assert implementations
    others = sorted({f"{e}__{n}" for e, n in implementations if e not in ENGINES_BUILT_IN_CI})
    assert others == [], f"implementations no CI build runs: {others}"


def test_every_dispatched_macro_has_a_duckdb_and_a_spark_implementation():
    text = _macro_text()
    implemented = set(IMPLEMENTATION.findall(text))
    dispatched = set(DISPATCH.findall(text))
    assert dispatched
    missing = sorted(f"{e}__{n}" for n in dispatched for e in ENGINES_BUILT_IN_CI if (e, n) not in implemented)
    assert missing == [], f"dispatched macros without an implementation: {missing}"
    stray = sorted(
        f"{e}__{n}" for e, n in implemented if n not in dispatched and n not in DBT_OVERRIDES and (e, n) not in HELPERS
    )
    assert stray == [], f"engine implementations of macros nothing dispatches: {stray}"
