"""csc.rules, csc.contract and csc.reporting_date: each value rule written once, and every
other place that needs it reading it (not restating it)."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from csc import contract, paths, reporting_date, rules
from csc.contract import ContractError, check_table_list, load_contract

ROOT = paths.REPO_ROOT


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- the value maps and the code lists agree ------------------------------------------------


def test_every_cin_code_of_a_mapped_list_is_read_and_every_map_target_is_a_cin_code():
    codes: dict[str, set[str]] = {}
    for row in _rows(paths.SEEDS_DIR / "reference" / "ref_cin_codes.csv"):
        codes.setdefault(row["code_list"], set()).add(row["code"])
    target = {"cp_category": "cp_category", "sex": "sex", "gender_legacy": "sex"}
    for name, mapping in rules.value_maps().items():
        if name == "flag":
            assert set(mapping.values()) == {"true", "false"}
            continue
        assert set(mapping.values()) <= codes[target[name]], name
        assert {c.lower() for c in codes[name]} <= set(mapping), f"{name}: a CIN code staging cannot read"
        assert all(v == v.strip().lower() for v in mapping), f"{name}: values are compared trimmed, lower case"


def test_flags_read_t_and_f_and_nothing_else_is_a_flag():
    assert rules.parse_flag(" T ") is True and rules.parse_flag("f") is False
    assert rules.parse_flag("YES") is True and rules.parse_flag("0") is False
    assert [rules.parse_flag(v) for v in ("", None, "maybe", "2", "yes please")] == [None] * 5
    assert re.fullmatch(rules.flag_regex(), "TrUe") and not re.fullmatch(rules.flag_regex(), "tr")


def test_categories_and_sex_are_read_from_the_seed():
    assert rules.cp_category(" physical ABUSE ") == "PHY" and rules.cp_category("neg") == "NEG"
    assert rules.cp_category("Abuse") is None
    assert rules.sex("f", "1") == "F" and rules.sex(None, "9") == "U" and rules.sex("X", "2") == "F"
    assert rules.sex_to_gender() == {"M": "1", "F": "2", "U": "0"}


def test_the_census_schema_and_the_generator_use_the_seed():
    from csc.cin_census import schema
    from csc.generate import FLAG_WORDS

    assert schema.code_lists(2016)["cp_category"] == rules.codes_of("cp_category")
    assert schema.code_lists(2025)["sex"] == rules.codes_of("sex")
    assert set(schema.code_lists(2024)["gender"]) == set(rules.value_map("gender_legacy"))
    assert rules.value_map("gender_legacy") == schema.GENDER_TO_SEX
    # every word the generator writes is a word staging reads, with the meaning intended
    for yes, no in FLAG_WORDS.values():
        assert rules.parse_flag(yes) is True and rules.parse_flag(no) is False
    from csc.generate.codes import CP_CATEGORY_WORDS

    for code, word in CP_CATEGORY_WORDS.items():
        assert rules.cp_category(word) == code, word


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2016-02-29", date(2016, 2, 29)),
        ("29/02/2016", date(2016, 2, 29)),
        ("1/3/2016 09:30", date(2016, 3, 1)),
        ("2016-03-01T10:00:00.1234", date(2016, 3, 1)),
        ("2015-02-29", None),
        ("31/04/2016", None),
        ("12/31/2016", None),
        ("01/02/16", None),
        ("2016-1-5", None),
        ("20160105", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_at_their_edges(text, expected):
    assert rules.parse_date(text) == expected


def test_date_regex_accepts_exactly_what_parses():
    values = ["2016-02-29", "31/02/2016", "12/31/2016", "2016-1-5", "1/2/2016 10:00", "x"]
    matched, _ = rules.parse_dates(pa.array(values))
    assert [bool(re.fullmatch(rules.date_regex(), v)) for v in values] == list(matched)


# --- the JSON rule ----------------------------------------------------------------------------


def test_json_outcome_must_be_an_object():
    assert rules.json_is_valid('{"NFA_FLAG": "Y"}', object_only=True)
    for text in ("42", '"Y"', "[]", '["NFA_FLAG"]', "null", "{bad"):
        assert not rules.json_is_valid(text, object_only=True), text
    assert rules.json_is_valid('["2B", "4B"]', object_only=False)
    assert not rules.json_is_valid('["2B", 4]', object_only=False)
    assert not rules.json_is_valid("42", object_only=False)


# --- one owner: grep finds each rule written in one place -------------------------------------

RESTATEMENTS = {
    "a list of flag words": re.compile(
        r"""(['"])(y|yes|true|n|no|false)\1\s*,\s*(['"])(yes|1|true|no|0|false|t|f)\3"""
    ),
    "a date format": re.compile(r"%d/%m/%Y|\\d\{1,2\}/\\d\{1,2\}/\\d\{4\}|'%Y-%m-%d'"),
    "a category-of-abuse word": re.compile(
        r"""(['"])(physical abuse|Physical abuse|emotional abuse|Emotional abuse)\1\s*[:,)\]]"""
    ),
    "a legacy gender map": re.compile(r"""(['"])1\1\s*(:|then)\s*(['"])M\3"""),
    "the earliest plausible date": re.compile(r"1990-01-01|date\(1990,"),
}
# The owners, and the generator, which chooses which words to WRITE (tested above against the seed).
OWNERS = {"seeds/reference/ref_value_maps.csv", "dbt_project.yml", "scripts/csc/generate/"}


def _project_files() -> list[Path]:
    files = []
    for folder, pattern in (
        ("scripts/csc", "*.py"),
        ("macros", "*.sql"),
        ("models", "*.sql"),
        ("tests", "*.sql"),
        ("scripts/tests", "*.py"),
    ):
        files += sorted((ROOT / folder).rglob(pattern))
    # The generator (scripts/csc/generate/) and its tests are the owners named above.
    return [
        f
        for f in files
        if f.name != "test_rules.py" and not any("generate" in part for part in f.relative_to(ROOT).parts)
    ]


def test_each_value_rule_is_written_in_one_place():
    found = []
    for path in _project_files():
        text = path.read_text(encoding="utf-8")
        for what, pattern in RESTATEMENTS.items():
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}: {m.group(0)}")
    known = [
        f
        for f in found
        if "test_cin_census.py" in f  # w11's stand-in staging, going with the exporter's SQL
        or "dbt_output.py" in f
    ]  # an environment switch (CSC_DBT_VERBOSE), not an extract value
    assert [f for f in found if f not in known] == []


# --- the contract: one reader, the static table list held to it ---------------------------


def test_table_list_var_matches_the_contract():
    tables = load_contract()
    listed = contract.project_vars()["ssd_tables"]
    assert list(listed) == list(tables)
    assert listed["ssd_assessment_factors"] == ["ssd_cin_assessments"]


def test_a_table_missing_from_the_list_or_a_parent_left_out_is_refused():
    tables = load_contract()
    listed = dict(contract.project_vars()["ssd_tables"])
    with pytest.raises(ContractError, match="ssd_tables"):
        check_table_list(tables, {k: v for k, v in listed.items() if k != "ssd_cp_reviews"})
    with pytest.raises(ContractError, match="ssd_tables"):
        check_table_list(tables, {**listed, "ssd_cp_reviews": []})


def test_meta_is_read_from_either_place_dbt_allows(tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text(
        """
version: 2
sources:
  - name: ssd
    tables:
      - name: t1
        config: {meta: {required: true}}
        columns:
          - {name: a, meta: {type: date, required: true}}
          - {name: b, config: {meta: {type: flag}}}
      - name: t2
        meta: {required: true}
""",
        encoding="utf-8",
    )
    tables = load_contract(path)
    assert tables["t1"].required and tables["t2"].required
    assert tables["t1"].column("a").type == "date" and tables["t1"].column("b").type == "flag"


def test_no_hand_written_depends_on():
    hits = [
        str(p.relative_to(ROOT))
        for folder in ("models", "macros", "tests", "analyses")
        for p in (ROOT / folder).rglob("*.sql")
        if "depends_on" in p.read_text(encoding="utf-8")
    ]
    assert hits == []


# --- the reporting date -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "latest, expected",
    [
        (date(2016, 9, 30), date(2016, 9, 30)),  # a month end is kept
        (date(2016, 9, 29), date(2016, 8, 31)),  # mid-month: the month before
        (date(2016, 2, 29), date(2016, 2, 29)),  # leap-year month end
        (date(2016, 3, 1), date(2016, 2, 29)),
        (date(2015, 2, 28), date(2015, 2, 28)),
        (date(2017, 1, 15), date(2016, 12, 31)),  # across a year end
        (date(2016, 12, 31), date(2016, 12, 31)),
    ],
)
def test_reporting_date_is_the_last_complete_month_end(latest, expected):
    assert reporting_date.month_end_on_or_before(latest) == expected


def _landing(root: Path, la_code: str, contacts: list[str]) -> None:
    folder = root / f"la_code={la_code}"
    folder.mkdir(parents=True)
    (folder / "ssd_contacts.csv").write_text(
        "cont_contact_id,cont_person_id,cont_contact_date\n"
        + "".join(f"C{i},P{i},{d}\n" for i, d in enumerate(contacts)),
        encoding="utf-8",
    )


def test_reporting_dates_per_council_ignore_typos_and_honour_a_given_date(tmp_path, monkeypatch):
    monkeypatch.delenv("CSC_REPORTING_DATE", raising=False)
    _landing(tmp_path, "878", ["2016-09-17", "01/06/2016", "2099-01-01", "not a date"])
    _landing(tmp_path, "879", ["2016-10-31"])
    dates = {d.la_code: d for d in reporting_date.reporting_dates(tmp_path, today=date(2020, 1, 1))}
    assert dates["878"].latest_event_date == date(2016, 9, 17)
    assert dates["878"].reporting_date == date(2016, 8, 31)  # never the mid-month event date
    assert dates["879"].reporting_date == date(2016, 10, 31)
    given = reporting_date.reporting_dates(tmp_path, given="2016-06-30")
    assert {d.reporting_date for d in given} == {date(2016, 6, 30)}
    monkeypatch.setenv("CSC_REPORTING_DATE", "2016-03-31")
    assert {d.source for d in reporting_date.reporting_dates(tmp_path)} == {"given"}
    with pytest.raises(ValueError, match="not a YYYY-MM-DD"):
        reporting_date.given_reporting_date("30/09/2016")


# --- SQL quoting: csc.sqlquote is the one owner ---------------------------------------------

SQL_QUOTING = re.compile(r"""replace\(\s*(?:"'",\s*"''"|'"',\s*'""'|chr\(39\))""")
# TMDL and DAX (the Power BI project) quote with the same characters but are not SQL.
NOT_SQL = {"scripts/csc/powerbi/tmdl.py", "scripts/csc/powerbi/model.py"}


def test_sql_text_is_quoted_only_by_csc_sqlquote():
    found = [
        f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}"
        for path in sorted((ROOT / "scripts" / "csc").rglob("*.py"))
        if path.name != "sqlquote.py"
        for text in [path.read_text(encoding="utf-8")]
        for m in SQL_QUOTING.finditer(text)
        if str(path.relative_to(ROOT)) not in NOT_SQL or "def _ident" in text
    ]
    assert found == []
    from csc import privacy, sqlquote
    from csc.publish import outputs

    assert outputs.ident is sqlquote.identifier and outputs.sql_str is sqlquote.literal
    assert privacy._quote is sqlquote.identifier
    assert sqlquote.text_literal("it's\ntwo lines") == "'it''s\ntwo lines'"
    with pytest.raises(sqlquote.UnsafeName):
        sqlquote.text_literal("a\x00b")
