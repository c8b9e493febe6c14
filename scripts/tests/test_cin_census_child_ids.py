"""The person ids the importer gives a return's children (csc.cin_census.child_ids) and the
LAchildID each stands for, in Python and in SQL (macro cin_census_la_child_id, read by
stg_ssd__person.la_child_id): one form, two readers held to each other."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from csc.cin_census.child_ids import la_child_id_of, person_id

ROOT = Path(__file__).resolve().parents[2]
MACRO = ROOT / "macros" / "staging" / "cin_census_child_id.sql"

HOSTILE = ["A1", "~", "~M", "~M20230000000012~", "~R20230000000012~A1", "~E00000000000000~~x", "a'b", "~ x", ""]


def test_every_child_gets_its_own_id_and_keeps_its_la_child_id():
    seen: set[str] = set()
    ids = []
    for line, given in enumerate([None, "", "A1", "A1", "A1", "~R20230000000012~A1", None], start=10):
        pid = person_id(given, 2023, line, seen)
        if given:
            seen.add(given)
        ids.append(pid)
        assert la_child_id_of(pid) == (given or None)
    assert len(set(ids)) == len(ids)
    assert ids[2] == "A1"  # a first LAchildID not opening "~" is the person id itself


@pytest.mark.parametrize("given", [g for g in HOSTILE if g])
def test_no_synthetic_id_equals_a_real_one(given):
    """A real LAchildID opening "~" is escaped: it cannot be mistaken for a synthetic id."""
    pid = person_id(given, 2023, 12, set())
    assert la_child_id_of(pid) == given
    synthetic = {person_id(None, 2023, 12, set()), person_id(given, 2023, 12, {given})}
    assert pid not in synthetic


def _sql_expression() -> str:
    """The macro's SQL for a column `pid`, with its one cross-db call rendered for DuckDB."""
    body = MACRO.read_text(encoding="utf-8")
    body = body[body.index("%}", body.index("{% macro")) + 2 : body.index("{%- endmacro")]
    body = body.replace("{{ column }}", "pid")
    return re.sub(
        r"\{\{ csc_regexp_full_match\('substring\(' ~ column ~ ', 3, 14\)', '(.*?)'\) \}\}",
        r"regexp_full_match(substring(pid, 3, 14), '\1')",
        body,
    )


def test_sql_reads_what_python_writes():
    expression = _sql_expression()
    assert "{{" not in expression
    seen: set[str] = set()
    pids = [person_id(None, 2023, 5, seen)]
    for line, given in enumerate(HOSTILE, start=20):
        pids.append(person_id(given or None, 2024, line, seen))
        pids.append(person_id(given or None, 2024, line + 1000, seen | {given}))
        pids.append(given)  # an extract's own id, read as itself unless it has the form
    con = duckdb.connect()
    for pid in pids:
        got = con.execute(f"select {expression} from (select ?::varchar as pid)", [pid]).fetchone()[0]
        assert got == la_child_id_of(pid), pid
