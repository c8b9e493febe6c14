"""The door and staging classify the same rows identically, for every kind of rule.

One tiny landing folder: the minimal valid extract (conftest) with a hand-made row per edge
appended (every accepted date format, impossible and unaccepted dates, dates before
1990 and after the date ceiling (and a year after it where a date may lie ahead), every flag word in three letter cases, named and inline code lists, value-map
words, integers, JSON objects against `42` and malformed text, blank required values, a
malformed line, a key repeated in one council and the same keys in a second council, a
required column missing from a file). Each edge row says which problems it has.

It goes through `csc validate` (the Great Expectations suites generated from the contract)
and through `dbt build` of the base models and the data-quality models (marts.dq_issues'
parts). Both must find exactly the problems written beside the rows, on the same lines, with
the severity the contract's one severity model (source meta `problems`) gives each side; and
where staging reads a value (a date, a flag word, in a column or inside the outcome JSON) it
reads what csc.rules reads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import MINIMAL_EXTRACT

from csc import contract, rules
from csc.contract import door_severity, warehouse_severity
from csc.dbt_plugin import pseudonym_key

REPORTING_DATE = date(2016, 9, 30)

# What the door calls each check (expectation meta `check`), as a problem of the severity model.
DOOR_PROBLEM = {
    "required_value": "REQUIRED_MISSING",
    "date_format": "INVALID_DATE",
    "real_date": "INVALID_DATE",
    "date_range": "DATE_OUT_OF_RANGE",
    "flag": "INVALID_FLAG",
    "integer": "INVALID_INTEGER",
    "code": "UNKNOWN_CODE",
    "json": "INVALID_JSON",
    "well_formed_line": "MALFORMED_ROW",
    "unique_key": "DUPLICATE_KEY",
    "required_column": "REQUIRED_COLUMN_MISSING",
}
# What marts.dq_issues calls a problem, where its rule code is not the problem's own name.
WAREHOUSE_PROBLEM = {
    "DATE_AFTER_REPORTING_DATE": "DATE_OUT_OF_RANGE",
    "DATE_BEFORE_EARLIEST_PLAUSIBLE": "DATE_OUT_OF_RANGE",
}
# Problems of the severity model only one side can see, and why.
ONE_SIDED = {
    "UNREADABLE_FILE": "a file that cannot be read: the dbt plugin stops the build (test_input_*)",
    "REQUIRED_TABLE_MISSING": "a whole table absent: door only (staging has no rows to classify)",
    "REQUIRED_TABLE_EMPTY": "header only: door only (no rows)",
    "OPTIONAL_TABLE_EMPTY": "header only: door only (no rows)",
    "ORPHAN": "needs the parent table's usable rows: warehouse only",
}
SEVERITY_WORD = {"quarantine": "error", "unknown": "warn", "kept": "warn"}


# --------------------------------------------------------------------------------------------
# The sample: one row per edge
# --------------------------------------------------------------------------------------------


@dataclass
class Edge:
    table: str
    values: dict[str, str]
    problems: set[tuple[str | None, str]] = field(default_factory=set)  # {(column, problem)}
    raw_line: str | None = None  # a line written as it is (a malformed one)
    la_code: str = "878"


# A valid row of each table the edges go in; an edge overrides some values.
TEMPLATES = {
    "ssd_person": {"pers_person_id": "PX{n}", "pers_sex": "M"},
    "ssd_contacts": {"cont_contact_id": "CX{n}", "cont_person_id": "P1", "cont_contact_date": "2016-05-05"},
    "ssd_cin_episodes": {"cine_referral_id": "RX{n}", "cine_person_id": "P1", "cine_referral_date": "2016-05-05"},
    "ssd_early_help_episodes": {
        "earl_episode_id": "EX{n}",
        "earl_person_id": "P1",
        "earl_episode_start_date": "2016-05-05",
    },
    "ssd_cp_plans": {"cppl_cp_plan_id": "PLX{n}", "cppl_person_id": "P2", "cppl_cp_plan_start_date": "2016-05-05"},
    "ssd_assessment_factors": {"cinf_table_id": "FX{n}", "cinf_assessment_id": "A1"},
}

ACCEPTED_DATES = [
    "2016-02-29",
    "2016-03-01 10:00",
    "2016-03-01 10:00:00",
    "2016-03-01 10:00:00.123",
    "2016-03-01T10:00:00.1234",
    "29/02/2016",
    "1/3/2016",
    "01/03/2016 09:30",
    "1/3/2016 09:30:15",
    f"{REPORTING_DATE:%Y-%m-%d}",  # the reporting date itself is in range
]
NOT_DATES = ["12/31/2016", "2016-1-5", "20160105", "01/02/16", "2016/03/01", "1 March 2016", "2016-03-01 9:30"]
IMPOSSIBLE_DATES = ["2015-02-29", "31/04/2016", "31/02/2016", "2016-13-01", "00/01/2016", "2016-00-10"]


def _uk(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


EARLIEST = date.fromisoformat(contract.project_vars()["earliest_plausible_date"])
DAY_BEFORE = EARLIEST - timedelta(days=1)
OUT_OF_RANGE_DATES = ["2016-10-01", "2099-01-01", "01/10/2016", f"{DAY_BEFORE}", _uk(DAY_BEFORE), "1900-01-01"]
IN_RANGE_EDGES = [f"{EARLIEST}", _uk(EARLIEST)]
NOT_FLAGS = ["maybe", "2", "yes please", "tr", "-1", "Y N", "yess"]
NOT_INTEGERS = ["3.5", "1e3", "0x10", "two", "1 000", "+"]
INTEGERS = ["0", "+3", "-1", " 12 ", "007"]


def _edges() -> list[Edge]:
    edges: list[Edge] = []
    add = edges.append
    # Dates, in a required column (a bad date quarantines the row) and an optional one.
    for text in ACCEPTED_DATES:
        add(Edge("ssd_contacts", {"cont_contact_date": text}))
        add(Edge("ssd_cin_episodes", {"cine_close_date": text}))
    for text in NOT_DATES + IMPOSSIBLE_DATES:
        add(Edge("ssd_contacts", {"cont_contact_date": text}, {("cont_contact_date", "INVALID_DATE")}))
        add(Edge("ssd_cin_episodes", {"cine_close_date": text}, {("cine_close_date", "INVALID_DATE")}))
    for text in IN_RANGE_EDGES:
        add(Edge("ssd_contacts", {"cont_contact_date": text}))
        add(Edge("ssd_cin_episodes", {"cine_close_date": text}))
    # A future_ok column may lie up to a year after the reporting date, no further.
    for text in ["2017-09-30", "30/09/2017", "2016-10-01"]:
        add(Edge("ssd_person", {"pers_expected_dob": text}))
    for text in ["2017-10-01", "1989-06-30"]:
        add(Edge("ssd_person", {"pers_expected_dob": text}, {("pers_expected_dob", "DATE_OUT_OF_RANGE")}))
    add(Edge("ssd_person", {"pers_dob": "1989-06-30"}, {("pers_dob", "DATE_OUT_OF_RANGE")}))
    for text in OUT_OF_RANGE_DATES:
        add(Edge("ssd_contacts", {"cont_contact_date": text}, {("cont_contact_date", "DATE_OUT_OF_RANGE")}))
        add(Edge("ssd_cin_episodes", {"cine_close_date": text}, {("cine_close_date", "DATE_OUT_OF_RANGE")}))
    # Flags: every word of the value map in three letter cases, then words that are not flags.
    for word in rules.flag_words():
        for text in {word, word.upper(), word.capitalize()}:
            add(Edge("ssd_cin_episodes", {"cine_referral_nfa": text}))
            add(Edge("ssd_contacts", {"cont_contact_outcome_json": f'{{"NFA_FLAG": "{text}"}}'}))
    for text in NOT_FLAGS:
        add(Edge("ssd_cin_episodes", {"cine_referral_nfa": text}, {("cine_referral_nfa", "INVALID_FLAG")}))
        add(
            Edge(
                "ssd_early_help_episodes",
                {"earl_team_around_family": text},
                {("earl_team_around_family", "INVALID_FLAG")},
            )
        )
    # Code lists: named (CIN census codes and value-map words), inline (contract meta codes).
    for text in ["N1", "n1", " N9 "]:
        add(Edge("ssd_cin_episodes", {"cine_cin_primary_need_code": text}))
    for text in ["N11", "N10", "1A"]:
        add(
            Edge(
                "ssd_cin_episodes",
                {"cine_cin_primary_need_code": text},
                {("cine_cin_primary_need_code", "UNKNOWN_CODE")},
            )
        )
    for text in ["NEG", "neg", "Neglect", "physical ABUSE", "MUL"]:
        add(Edge("ssd_cp_plans", {"cppl_cp_plan_latest_category": text}))
    for text in ["Abuse", "NEGLECTED", "PHY,NEG"]:
        add(
            Edge(
                "ssd_cp_plans",
                {"cppl_cp_plan_latest_category": text},
                {("cppl_cp_plan_latest_category", "UNKNOWN_CODE")},
            )
        )
    for text in ["EHA", "eha", "REF"]:
        add(Edge("ssd_early_help_episodes", {"earl_record_purpose": text}))
    for text in ["XYZ", "EH"]:
        add(Edge("ssd_early_help_episodes", {"earl_record_purpose": text}, {("earl_record_purpose", "UNKNOWN_CODE")}))
    for sex, gender in [("m", ""), ("", "9"), ("U", "0")]:
        add(Edge("ssd_person", {"pers_sex": sex, "pers_gender": gender}))
    add(Edge("ssd_person", {"pers_sex": "X"}, {("pers_sex", "UNKNOWN_CODE")}))
    add(Edge("ssd_person", {"pers_sex": "", "pers_gender": "5"}, {("pers_gender", "UNKNOWN_CODE")}))
    # Integers.
    for text in INTEGERS:
        add(Edge("ssd_cp_plans", {"cppl_number_of_previous_cpp": text}))
    for text in NOT_INTEGERS:
        add(
            Edge(
                "ssd_cp_plans",
                {"cppl_number_of_previous_cpp": text},
                {("cppl_number_of_previous_cpp", "INVALID_INTEGER")},
            )
        )
    # JSON: an outcome column holds an object; the factors column an object or array of strings.
    for text in ['{"NFA_FLAG": "Y"}', "{}", '{"NFA_FLAG": 1}']:
        add(Edge("ssd_contacts", {"cont_contact_outcome_json": text}))
    for text in ["42", '"Y"', "[]", '["NFA_FLAG"]', "null", "{bad", "true"]:
        add(Edge("ssd_contacts", {"cont_contact_outcome_json": text}, {("cont_contact_outcome_json", "INVALID_JSON")}))
    for text in ['["2B", "4B"]', "[]", '{"1C": "Yes"}']:
        add(Edge("ssd_assessment_factors", {"cinf_assessment_factors_json": text}))
    for text in ['["2B", 4]', "42", "{bad", '"2B"']:
        add(
            Edge(
                "ssd_assessment_factors",
                {"cinf_assessment_factors_json": text},
                {("cinf_assessment_factors_json", "INVALID_JSON")},
            )
        )
    # Required values blank (and whitespace only).
    add(Edge("ssd_contacts", {"cont_person_id": ""}, {("cont_person_id", "REQUIRED_MISSING")}))
    add(Edge("ssd_contacts", {"cont_person_id": "   "}, {("cont_person_id", "REQUIRED_MISSING")}))
    add(Edge("ssd_contacts", {"cont_contact_date": ""}, {("cont_contact_date", "REQUIRED_MISSING")}))
    # A line with one field too many.
    add(Edge("ssd_contacts", {}, {(None, "MALFORMED_ROW")}, raw_line="CXM,P1,2016-05-05,1A,x,,surplus"))
    # A key twice in one council: both copies at the door (the file is refused), the later
    # copy in the warehouse (the first is kept); written as expected by _duplicates below.
    add(Edge("ssd_person", {"pers_person_id": "P1"}))
    add(Edge("ssd_cp_plans", {"cppl_cp_plan_id": "PL1"}))
    return edges


def _write_landing(landing: Path) -> dict[tuple[str, str, int], Edge]:
    """Council 878: the minimal extract plus the edges. Council 879: the minimal extract (the
    same keys as 878: not duplicates, keys are unique per council) with a required column
    missing from one file. Returns {(la_code, table, line): edge}."""
    by_line: dict[tuple[str, str, int], Edge] = {}
    edges = _edges()
    for la_code in ("878", "879"):
        folder = landing / f"la_code={la_code}"
        folder.mkdir(parents=True)
        for table, text in MINIMAL_EXTRACT.items():
            header = text.splitlines()[0].split(",")
            if la_code == "879" and table == "ssd_disability":
                text = "disa_table_id,disa_disability_code\nD1,MOB\nD2,NONE\n"
            lines = text.splitlines()
            out = io.StringIO()
            out.write("\n".join(lines) + "\n")
            line = len(lines)
            for n, edge in enumerate(e for e in edges if e.table == table and e.la_code == la_code):
                line += 1
                if edge.raw_line is not None:
                    out.write(edge.raw_line + "\n")
                else:
                    row = {k: v.format(n=n) for k, v in TEMPLATES[table].items()} | edge.values
                    csv.writer(out, lineterminator="\n").writerow([row.get(c, "") for c in header])
                by_line[(la_code, table, line)] = edge
            (folder / f"{table}.csv").write_text(out.getvalue(), encoding="utf-8")
    return by_line


# --------------------------------------------------------------------------------------------
# Both sides, as (la_code, table, line, column, problem) -> severity
# --------------------------------------------------------------------------------------------

Found = dict[tuple[str, str, int, str | None, str], str]


def _door(landing: Path, out_dir: Path, monkeypatch, reporting_date: str | None = REPORTING_DATE.isoformat()) -> Found:
    from csc.validate import gx, validate_landing

    monkeypatch.setattr(gx, "MAX_EXAMPLES", 1000)  # every unexpected row named, not five
    result = validate_landing(landing, reporting_date=reporting_date, out_dir=out_dir, echo=lambda _: None)
    found: Found = {}
    for report, finding in result.findings:
        if report is None or finding.check not in DOOR_PROBLEM:
            continue
        problem = DOOR_PROBLEM[finding.check]
        assert finding.count == len(finding.examples) or problem == "REQUIRED_COLUMN_MISSING", finding
        for example in finding.examples:
            found[(report.la_code, report.table, example["line"], finding.column, problem)] = finding.severity
    return found


DQ_PARTS = ("int_dq_contract_issues", "int_dq_code_issues", "int_dq_future_dates")


def _warehouse(db: Path, parts: tuple[str, ...] = DQ_PARTS) -> Found:
    con = duckdb.connect(str(db), read_only=True)
    con.execute("set variable csc_pseudonym_key = ?", [pseudonym_key()])
    rows = con.sql(
        " union all ".join(
            f"select la_code, table_name, line_number, column_name, rule_code, severity from intermediate.{part}"
            for part in parts
        )
    ).fetchall()
    con.close()
    return {(la, t, line, col, WAREHOUSE_PROBLEM.get(rule, rule)): sev for la, t, line, col, rule, sev in rows}


def _expected(by_line: dict[tuple[str, str, int], Edge]) -> set[tuple]:
    return {(la, t, line, col, p) for (la, t, line), edge in by_line.items() for col, p in edge.problems}


def _duplicates(by_line, found: Found, keep_first: bool) -> set[tuple]:
    """The DUPLICATE_KEY rows expected: the repeated keys' lines in 878 (person P1 on line 2,
    plan PL1 on line 2 and again among the edges); the warehouse keeps the first copy."""
    out = set()
    for (la, table, line), edge in by_line.items():
        key_column = contract.load_contract()[table].key_columns[0]
        if edge.values.get(key_column) in ("P1", "PL1"):
            out.add((la, table, line, key_column, "DUPLICATE_KEY"))
            if not keep_first:
                out.add((la, table, 2, key_column, "DUPLICATE_KEY"))
    return out


@pytest.fixture(scope="module")
def both_sides(tmp_path_factory) -> Iterator[tuple[dict, Found, Found, Path]]:
    from csc.build import dbt_run

    monkeypatch = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("parity")
    landing, db = root / "landing", root / "csc.duckdb"
    by_line = _write_landing(landing)
    for name, value in {
        "CSC_LANDING_DIR": str(landing),
        "CSC_DUCKDB_PATH": str(db),
        "CSC_REPORTING_DATE": REPORTING_DATE.isoformat(),
        "CSC_PSEUDONYM_KEY": "test-key-parity",
        "DBT_TARGET_PATH": str(root / "target"),
        "DBT_LOG_PATH": str(root / "logs"),
    }.items():
        monkeypatch.setenv(name, value)
    try:
        door = _door(landing, root / "door", monkeypatch)
        models = (
            "+int_dq_contract_issues +int_dq_code_issues +int_dq_future_dates +stg_ssd__contacts +stg_ssd__cin_episodes"
        )
        assert dbt_run("build", "--select", models, "--exclude-resource-type", "test"), "dbt build failed"
        yield by_line, door, _warehouse(db), db
    finally:
        monkeypatch.undo()


# --------------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------------


def test_every_problem_of_the_severity_model_is_compared_or_said_to_be_one_sided():
    compared = set(DOOR_PROBLEM.values())
    assert set(contract.problems()) == compared | set(ONE_SIDED), "a new problem: add an edge row for it here"
    assert not compared & set(ONE_SIDED)


@pytest.mark.slow
def test_the_door_finds_exactly_the_problems_written_beside_the_rows(both_sides):
    by_line, door, _, _ = both_sides
    expected = _expected(by_line) | _duplicates(by_line, door, keep_first=False)
    expected.add(("879", "ssd_disability", 1, "disa_person_id", "REQUIRED_COLUMN_MISSING"))
    assert sorted(set(door) - expected) == [] and sorted(expected - set(door)) == []


@pytest.mark.slow
def test_staging_finds_exactly_the_problems_written_beside_the_rows(both_sides):
    by_line, _, warehouse, _ = both_sides
    expected = _expected(by_line) | _duplicates(by_line, warehouse, keep_first=True)
    # the column missing from 879's file: every row of it quarantined (the door refuses the file)
    expected |= {("879", "ssd_disability", line, "disa_person_id", "REQUIRED_MISSING") for line in (2, 3)}
    assert sorted(set(warehouse) - expected) == [] and sorted(expected - set(warehouse)) == []


@pytest.mark.slow
def test_both_sides_give_each_problem_the_severity_of_the_one_model(both_sides):
    _, door, warehouse, _ = both_sides
    tables = contract.load_contract()
    for (_, _, _, _, problem), severity in door.items():
        assert severity == door_severity(problem), problem
    for (_, table, _, column, problem), severity in warehouse.items():
        required = column is not None and tables[table].column(column).required
        assert severity == SEVERITY_WORD[warehouse_severity(problem, required)], (table, column, problem)


@pytest.mark.slow
def test_a_refused_file_is_never_used_and_a_quarantined_row_is_never_staged(both_sides):
    _, door, _, db = both_sides
    con = duckdb.connect(str(db), read_only=True)
    usable = con.execute(
        "select count(*) from staging.base_ssd__disability where la_code = '879' and _is_usable"
    ).fetchone()[0]
    assert any(p == "REQUIRED_COLUMN_MISSING" and door_severity(p) == "fatal" for *_, p in door)
    assert usable == 0
    con.close()


@pytest.mark.slow
def test_staging_reads_dates_and_flag_words_as_csc_rules_reads_them(both_sides):
    """Where the door accepts a value, staging reads it as csc.rules does: dates in every
    accepted format, flag words in a column and inside an outcome JSON object."""
    by_line, _, _, db = both_sides
    con = duckdb.connect(str(db), read_only=True)
    con.execute("set variable csc_pseudonym_key = ?", [pseudonym_key()])
    contacts = {
        line: (staged_date, nfa)
        for line, staged_date, nfa in con.sql(
            "select b._line_number, s.contact_date, s.outcome_nfa from staging.stg_ssd__contacts as s "
            "inner join staging.base_ssd__contacts as b on b.la_code = s.la_code and b.cont_contact_id = s.contact_id "
            "where s.la_code = '878'"
        ).fetchall()
    }
    referrals = {
        line: (close_date, nfa)
        for line, close_date, nfa in con.sql(
            "select b._line_number, s.close_date, s.is_referral_nfa from staging.stg_ssd__cin_episodes as s "
            "inner join staging.base_ssd__cin_episodes as b on b.la_code = s.la_code "
            "and b.cine_referral_id = s.referral_id where s.la_code = '878'"
        ).fetchall()
    }
    con.close()
    checked = 0
    for (la, table, line), edge in by_line.items():
        if la != "878" or edge.problems or edge.raw_line:
            continue
        if table == "ssd_contacts":
            text = edge.values.get("cont_contact_date", TEMPLATES[table]["cont_contact_date"])
            assert contacts[line][0] == rules.parse_date(text), text
            outcome = edge.values.get("cont_contact_outcome_json", "")
            if '"NFA_FLAG": "' in outcome:
                word = outcome.split('"NFA_FLAG": "')[1].rstrip('"}')
                assert contacts[line][1] is rules.parse_flag(word), outcome
                checked += 1
        elif table == "ssd_cin_episodes":
            if "cine_close_date" in edge.values:
                assert referrals[line][0] == rules.parse_date(edge.values["cine_close_date"])
            if "cine_referral_nfa" in edge.values:
                assert referrals[line][1] is rules.parse_flag(edge.values["cine_referral_nfa"])
                checked += 1
    assert checked >= 2 * len(rules.flag_words())  # every word, in a column and in JSON


@pytest.mark.slow
def test_each_council_is_judged_against_its_own_date_ceiling(tmp_path, monkeypatch):
    """No reporting date given: each council's ceiling is its own (csc.reporting_date). 879's
    latest event is 30 September 2016, 880's 14 October 2016: a close date of 1 October 2016
    is after the extract in 879 only, at the door and in the warehouse alike."""
    from csc.build import dbt_run

    landing, db = tmp_path / "landing", tmp_path / "csc.duckdb"
    extra = {
        "879": {"ssd_cin_episodes": "R9,P1,2016-05-05,N1,1A,x,,N,RC1,2016-10-01,N\n"},
        "880": {
            "ssd_cin_episodes": "R9,P1,2016-05-05,N1,1A,x,,N,RC1,2016-10-01,N\n",
            "ssd_contacts": "C9,P1,2016-10-14,1A,x,\n",
        },
    }
    for la_code, rows in extra.items():
        folder = landing / f"la_code={la_code}"
        folder.mkdir(parents=True)
        for table, text in MINIMAL_EXTRACT.items():
            (folder / f"{table}.csv").write_text(text + rows.get(table, ""), encoding="utf-8")
    monkeypatch.delenv("CSC_REPORTING_DATE", raising=False)
    for name, value in {
        "CSC_LANDING_DIR": str(landing),
        "CSC_DUCKDB_PATH": str(db),
        "CSC_PSEUDONYM_KEY": "test-key-parity",
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }.items():
        monkeypatch.setenv(name, value)
    door = {k for k in _door(landing, tmp_path / "door", monkeypatch, None) if k[-1] == "DATE_OUT_OF_RANGE"}
    assert dbt_run("build", "--select", "+int_dq_future_dates", "--exclude-resource-type", "test")
    warehouse = {k for k in _warehouse(db, ("int_dq_future_dates",)) if k[-1] == "DATE_OUT_OF_RANGE"}
    line = len(MINIMAL_EXTRACT["ssd_cin_episodes"].splitlines()) + 1
    assert door == warehouse == {("879", "ssd_cin_episodes", line, "cine_close_date", "DATE_OUT_OF_RANGE")}
