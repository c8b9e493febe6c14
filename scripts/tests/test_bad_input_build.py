"""Bad input end to end through `dbt build`: the build finishes, every fault is in
marts.dq_issues with its file, line and column, and no row is lost without a record of it.

(The same faults at the door, through `csc validate`, are in test_validate.py.)
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import MINIMAL_EXTRACT, write_extract, write_table

from csc.build import dbt_run

# (table, text to find, replacement, expected rule, expected column, line)
FAULTS = [
    ("ssd_cin_episodes", "R1,P1,2016-01-05", "R1,P1,31/02/2016", "INVALID_DATE", "cine_referral_date", 2),
    (
        "ssd_cin_assessments",
        "A1,P1,R1,2016-01-06",
        "A1,P1,R1,12/31/2016",
        "INVALID_DATE",
        "cina_assessment_start_date",
        2,
    ),
    ("ssd_contacts", "C1,P1,2016-01-04", "C1,P1,04/01/16", "INVALID_DATE", "cont_contact_date", 2),
    (
        "ssd_s47_enquiry",
        "2016-03-05,2016-03-20",
        "2016-03-05,2099-03-20",
        "DATE_AFTER_REPORTING_DATE",
        "s47e_s47_end_date",
        2,
    ),
    ("ssd_cin_plans", "2016-02-02,2016-06-30", "2016-02-02,2016-01-30", "END_BEFORE_START", None, 2),
    ("ssd_cin_episodes", ",N1,1A,Individual,", ",N1,ZZ,Individual,", "UNKNOWN_CODE", "cine_referral_source_code", 2),
    ("ssd_cin_assessments", "Y,2016-04-01", "maybe,2016-04-01", "INVALID_FLAG", "cina_assessment_child_seen", 3),
    (
        "ssd_contacts",
        '"{""NEW_REFERRAL_FLAG"":""Y""}"',
        '"{NEW_REFERRAL_FLAG:Y"',
        "INVALID_JSON",
        "cont_contact_outcome_json",
        3,
    ),
]


def _faulty_landing(root: Path) -> Path:
    landing = write_extract(root)
    texts = dict(MINIMAL_EXTRACT)
    for table, find, replace, *_ in FAULTS:
        assert find in texts[table], (table, find)
        texts[table] = texts[table].replace(find, replace, 1)
    # an orphan assessment, a duplicated referral key, a child missing from the person file,
    # a truncated last line, an extra unknown column, semicolons and Windows-1252
    texts["ssd_cin_assessments"] += "A9,P2,R99,2016-05-02,Y,2016-05-20,,N\n"
    texts["ssd_cin_episodes"] += "R2,P2,2016-03-01,N2,5A,School,,N,,,N\nR4,P9,2016-05-03,N1,1A,Café,,N,,,N\nR5,P1\n"
    texts["ssd_person"] = (
        texts["ssd_person"]
        .replace("pers_upn_unknown,", "pers_upn_unknown,shoe_size,")
        .replace("\nP1,M,1,WBRI,2010-05-01,,,,", "\nP1,M,1,WBRI,2010-05-01,,,,42,")
        .replace("\nP2,F,2,WBRI,2012-03-04,,,UN1,", "\nP2,F,2,WBRI,2012-03-04,,,UN1,40,")
        .replace("\nP3,U,0,,,2016-11-01,,,", "\nP3,U,0,,,2016-11-01,,,,")
    )
    for table, text in texts.items():
        if table == "ssd_cin_plans":
            text = text.replace(",", ";")
        write_table(landing, table, text, encoding="cp1252" if table == "ssd_cin_episodes" else "utf-8")
    (landing / "SYNTHETIC_DEMO_DATA.txt").write_text("synthetic test data\n")
    return landing


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_input")
    landing = _faulty_landing(root / "landing")
    db = root / "csc.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("CSC_LANDING_DIR", str(landing))
    mp.setenv("CSC_DUCKDB_PATH", str(db))
    mp.setenv("CSC_REPORTING_DATE", "2016-09-30")
    mp.setenv("CSC_PSEUDONYM_KEY", "test-key-bad-input")  # hand-made files: not `csc generate` output
    ok = dbt_run("build")
    mp.undo()
    con = duckdb.connect(str(db), read_only=True)
    yield ok, con
    con.close()


def _issues(con, **where) -> list[tuple]:
    clause = " and ".join(f"{k} = ?" for k in where)
    return con.execute(
        f"select table_name, line_number, column_name, rule_code, severity, message "
        f"from marts.dq_issues where {clause}",
        list(where.values()),
    ).fetchall()


@pytest.mark.slow
def test_build_finishes_on_a_faulty_extract(built):
    ok, _ = built
    assert ok, "dbt build failed on an extract with row-level faults: they must be quarantined, not fatal"


@pytest.mark.slow
@pytest.mark.parametrize("table,find,replace,rule,column,line", FAULTS)
def test_each_fault_is_reported_with_its_location(built, table, find, replace, rule, column, line):
    _, con = built
    found = _issues(con, table_name=table, rule_code=rule)
    assert found, f"{rule} not reported for {table}"
    assert any(r[1] == line and (column is None or r[2] == column) for r in found), found
    assert all(r[5] for r in found), "every issue has a message"


@pytest.mark.slow
def test_unusable_rows_are_quarantined_not_lost(built):
    _, con = built
    assert _issues(con, table_name="ssd_cin_assessments", rule_code="ORPHAN")
    assert [r[1] for r in _issues(con, table_name="ssd_cin_episodes", rule_code="DUPLICATE_KEY")] == [5]
    assert [r[1] for r in _issues(con, table_name="ssd_cin_episodes", rule_code="MALFORMED_ROW")] == [7]
    assert _issues(con, table_name="ssd_cin_episodes", rule_code="PERSON_MISSING")
    unbalanced = con.execute("select * from marts.dq_reconciliation where not balances").fetchall()
    assert unbalanced == []
    raw, staged, quarantined = con.execute(
        "select raw_rows, staged_rows, quarantined_rows from marts.dq_reconciliation "
        "where table_name = 'ssd_cin_episodes'"
    ).fetchone()
    assert (raw, staged + quarantined) == (6, 6) and quarantined >= 3


@pytest.mark.slow
def test_extra_columns_are_reported_and_ignored(built):
    _, con = built
    extra = con.execute(
        "select extra_columns from staging.stg_landing__landing_files where table_name = 'ssd_person'"
    ).fetchone()[0]
    assert extra == "shoe_size"


@pytest.mark.slow
def test_kpis_say_what_lies_behind_them(built):
    _, con = built
    caveat = con.execute(
        "select caveat from marts.kpi_values where kpi_code = 'REFERRALS' and period_type = 'month' limit 1"
    ).fetchone()[0]
    assert caveat and "quarantined" in caveat
