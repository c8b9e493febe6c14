"""csc.privacy: the publication scan, and the pseudonymisation key never written anywhere.

Unit tests build small DuckDB and Parquet files of their own; the slow ones reuse the synthetic
warehouse that test_publish.py builds and publishes once (`published_warehouse`, session-scoped).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from conftest import MINIMAL_EXTRACT, write_table
from test_publish import published_warehouse  # noqa: F401  (the shared session fixture)

from csc import privacy

# --------------------------------------------------------------------------------------------
# Column names
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "person_id",
        "pers_person_id",
        "source_person_id",
        "cine_person_id",
        "PERS_PERSON_ID",
        "forename",
        "pers_forename",
        "surname",
        "pers_surname",
        "first_name",
        "last_name",
        "name",
        "child_name",
        "full_name",
        "date_of_birth",
        "dob",
        "pers_dob",
        "expected_date_of_birth",
        "pers_expected_dob",
        "date_of_death",
        "death_date",
        "pers_death_date",
        "upn",
        "pers_upn",
        "former_upn",
        "pers_former_upn",
        "nhs_number",
        "nhs_no",
        "address",
        "address_line_1",
        "home_address",
        "postcode",
        "post_code",
    ],
)
def test_forbidden_column_names(name):
    assert privacy.forbidden_name_reason(name)


@pytest.mark.parametrize(
    "name",
    [
        "child_key",
        "birth_month",
        "la_code",
        "la_name",
        "region_name",
        "day_name",
        "bank_holiday_name",
        "kpi_name",
        "referral_id",
        "cp_plan_id",
        "is_unborn",
        "is_deceased",
        "upn_unknown_reason",
        "date_day",
        "month_end",
        "referral_source_desc",
        "organisation",
    ],
)
def test_allowed_column_names(name):
    assert privacy.forbidden_name_reason(name) is None


def test_nhs_number_check_digit():
    assert privacy.nhs_number_is_valid("943 476 5919")  # the NHS's published test number
    assert privacy.nhs_number_is_valid("9434765919")
    assert not privacy.nhs_number_is_valid("9434765918")
    assert not privacy.nhs_number_is_valid("943476591")


# --------------------------------------------------------------------------------------------
# The scan, on files made here
# --------------------------------------------------------------------------------------------


@pytest.fixture
def reference() -> privacy.ScanReference:
    """Raw person ids P1..P3 and 1001, DOBs, other tables' record ids (R1 is also... see below)."""
    return privacy.ScanReference(
        person_ids=pa.table({"person_id": ["P1", "P2", "P3", "1001", "R7"]}),
        birth_dates=pa.table({"birth_date": [date(2010, 5, 17), date(2012, 3, 1)]}),
        record_ids=pa.table({"record_id": ["R1", "R2", "R7"]}),
        person_map=pa.table(
            {"la_code": ["878", "878", "878"], "child_key": ["k1", "k2", "k3"], "person_id": ["P1", "P2", "1001"]}
        ),
    )


CLEAN = """
    create schema marts;
    create table marts.dim_child as select * from (values
        ('878', 'k1', date '2010-05-01', 'M'), ('878', 'k2', date '2012-03-01', 'F'))
        as t(la_code, child_key, birth_month, sex);
    create table marts.fct_referrals as select * from (values
        ('878', 'R1', 'k1', 'School', 17), ('878', 'R7', 'k2', 'Police', 4))
        as t(la_code, referral_id, child_key, referral_source_desc, days_open);
    create table marts.kpi_values as select * from (values
        ('878', 'REFERRALS', 'Incomplete: extract starts 2016-01-04', 40))
        as t(la_code, kpi_code, caveat, numerator);
"""


def _db(tmp_path: Path, *statements: str) -> Path:
    path = tmp_path / "published.duckdb"
    with duckdb.connect(str(path)) as c:
        c.execute(CLEAN)
        for s in statements:
            c.execute(s)
    return path


def _where(findings) -> set[tuple[str, str]]:
    return {(f.table, f.column) for f in findings}


def test_clean_tables_pass(tmp_path, reference):
    # birth_month 2012-03-01 equals a date of birth, but a first-of-month is what birth_month is;
    # referral R7 is also a raw person id, but it is a referral's id too: a coincidence.
    assert privacy.scan_published(_db(tmp_path), reference=reference) == []


def test_injected_forbidden_column_is_named(tmp_path, reference):
    db = _db(tmp_path, "alter table marts.fct_referrals add column pers_person_id varchar")
    findings = privacy.scan_published(db, reference=reference)
    assert _where(findings) == {("marts.fct_referrals", "pers_person_id")}
    assert "forbidden column name" in findings[0].reason
    with pytest.raises(privacy.PrivacyError, match=r"marts\.fct_referrals\.pers_person_id"):
        privacy.check_published(db, reference=reference)


def test_raw_person_id_values_under_another_name(tmp_path, reference):
    db = _db(
        tmp_path,
        "create table marts.extra as select 'P2' as client_ref, 'R1' as referral_id",
        "create table marts.extra_ids as select 'P3' as contact_id",
    )
    assert _where(privacy.scan_published(db, reference=reference)) == {
        ("marts.extra", "client_ref"),
        ("marts.extra_ids", "contact_id"),
    }


def test_person_id_aligned_with_its_own_child(tmp_path, reference):
    # An integer column that is, row by row, the child's own raw person id (1001 for k3).
    db = _db(
        tmp_path,
        """create table marts.fct_x as select * from (values
        ('878', 'k3', 1001), ('878', 'k1', 5)) as t(la_code, child_key, legacy_number)""",
    )
    findings = privacy.scan_published(db, reference=reference)
    assert _where(findings) == {("marts.fct_x", "legacy_number")}
    assert "own raw person id" in findings[0].reason


def test_alignment_reads_the_maps_own_person_ids(tmp_path, reference):
    """Only rows holding one of the map's person ids are joined to the map, and the share is of
    every value: a record id that is the row's own person id (R7 for k4: exempt as a raw person
    id in an *_id column) and a map id the raw person ids lack (Z9 for k5) are found; one value in
    three (a row whose child is not in the map counts among the values) is not."""
    ref = privacy.ScanReference(
        person_ids=reference.person_ids,
        birth_dates=reference.birth_dates,
        record_ids=reference.record_ids,
        person_map=pa.table(
            {
                "la_code": ["878"] * 5,
                "child_key": ["k1", "k2", "k3", "k4", "k5"],
                "person_id": ["P1", "P2", "1001", "R7", "Z9"],
            }
        ),
    )
    db = _db(
        tmp_path,
        """create table marts.fct_y as select * from (values
        ('878', 'k5', 'Z9', 'Z9'), ('878', 'k9', 'Z9', null), ('878', 'k4', 'q', 'q'))
        as t(la_code, child_key, ref_a, ref_b)""",
        "create table marts.fct_z as select * from (values ('878', 'k4', 'R7'), ('878', 'k1', 'R2')) "
        "as t(la_code, child_key, case_id)",
    )
    findings = {(f.table, f.column): f.reason for f in privacy.scan_published(db, reference=ref)}
    assert findings == {
        ("marts.fct_y", "ref_b"): "1 of 2 values are the row's own raw person id",
        ("marts.fct_z", "case_id"): "1 of 2 values are the row's own raw person id",
    }


def test_postcodes_nhs_numbers_and_exact_birth_dates(tmp_path, reference):
    db = _db(
        tmp_path,
        "create table marts.a as select 'Visit at EX2 4QD today' as note, 'EX24QD' as place",
        "create table marts.b as select '943 476 5919' as reference_number",
        "create table marts.c as select date '2010-05-17' as birth_day, date '2010-05-01' as birth_month",
    )
    findings = privacy.scan_published(db, reference=reference)
    assert _where(findings) == {
        ("marts.a", "note"),
        ("marts.a", "place"),
        ("marts.b", "reference_number"),
        ("marts.c", "birth_day"),
    }


def test_hostile_column_names_and_wide_tables_are_scanned_in_one_pass(tmp_path, reference):
    # Column names with quotes, spaces and SQL in them are read as names, never as SQL; every
    # column of a wide table gets its own verdict (the scan reads a table in a few passes, not one a column).
    odd, injection = 'it\'s "odd"', "a'); drop table x; --"
    wide = ", ".join(f"'ok{i}' as c{i}" for i in range(40))
    statement = (
        'create table marts.hostile as select \'P1\' as "it\'s ""odd""", '
        "'x' as \"a'); drop table x; --\", 'EX2 4QD' as \"post code\", 'R2' as \"o'brien_id\", "
        f"{wide}, 'P3' as c40"
    )
    findings = privacy.scan_published(_db(tmp_path, statement), reference=reference)
    assert [(f.table, f.column) for f in findings] == [  # in column order
        ("marts.hostile", odd),
        ("marts.hostile", "post code"),
        ("marts.hostile", "c40"),
    ]
    assert injection not in {f.column for f in findings}


def test_parquet_files_are_scanned(tmp_path, reference):
    path = tmp_path / "dim_child.parquet"
    with duckdb.connect() as c:
        c.execute(f"copy (select 'k1' as child_key, date '2010-05-17' as dob) to '{path}' (format parquet)")
    findings = privacy.scan_published(None, [path], reference=reference)
    assert [(f.location, f.table, f.column) for f in findings] == [("parquet", "dim_child.parquet", "dob")]


def test_a_parquet_copy_of_a_scanned_table_carries_its_findings_and_any_other_is_scanned(tmp_path, reference):
    """Publish writes each Parquet file from the table it scanned: an exact copy (same columns,
    types, rows and row hashes) takes the table's findings; a copy that differs in one cell, in a
    type or in its rows is scanned in full, so a leak added to the Parquet alone is still found."""
    db = _db(tmp_path, "create table marts.kpi as select 'k1' as who, date '2010-05-17' as dob, 3 as n")
    out = tmp_path / "pq"
    out.mkdir()
    with duckdb.connect() as c:
        c.execute(f"attach '{db}' as pub (read_only)")
        c.execute(f"copy pub.marts.kpi to '{out / 'kpi.parquet'}' (format parquet)")
        leaks = "select 'k1' as who, date '2010-05-17' as dob, 3 as n union all select 'P1', null, 4"
        c.execute(f"copy ({leaks}) to '{out / 'kpi_extra_row.parquet'}' (format parquet)")
        c.execute(
            f"copy (select 'P1' as who, date '2010-05-17' as dob, 3 as n) to '{out / 'x.parquet'}' (format parquet)"
        )
    (out / "x.parquet").rename(out / "kpi_changed.parquet")
    copies = [out / "kpi.parquet", out / "kpi_extra_row.parquet", out / "kpi_changed.parquet"]
    found = {(f.location, f.table, f.column) for f in privacy.scan_published(db, copies, reference=reference)}
    assert ("duckdb", "marts.kpi", "dob") in found and ("parquet", "kpi.parquet", "dob") in found
    # not copies of marts.kpi (other file names): scanned in full, the raw person id found
    assert ("parquet", "kpi_extra_row.parquet", "who") in found
    assert ("parquet", "kpi_changed.parquet", "who") in found


def test_a_parquet_file_named_like_a_table_but_different_is_scanned_in_full(tmp_path, reference):
    db = _db(tmp_path, "create table marts.kpi as select 'k1' as who, 3 as n")
    path = tmp_path / "kpi.parquet"
    with duckdb.connect() as c:
        c.execute(f"copy (select 'P1' as who, 3 as n) to '{path}' (format parquet)")
    found = {(f.location, f.table, f.column) for f in privacy.scan_published(db, [path], reference=reference)}
    assert found == {("parquet", "kpi.parquet", "who")}


_KPI = "select * from (values ('k1', 3, date '2010-05-17'), ('k2', 4, null)) as t(who, n, dob)"


@pytest.mark.parametrize(
    ("variant", "scanned"),
    [
        ("select * from pub.marts.kpi", False),  # an exact copy: the table's findings carry over
        ("select * from pub.marts.kpi order by who desc", False),  # row order is not content
        ("select * replace (case who when 'k1' then 'k9' else who end as who) from pub.marts.kpi", True),  # a value
        ("select who, n::bigint as n, dob from pub.marts.kpi", True),  # a type (same hashes)
        ("select who, n as m, dob from pub.marts.kpi", True),  # a column name
        ("select who, dob, n from pub.marts.kpi", True),  # the column order
        ("select * from pub.marts.kpi union all select * from pub.marts.kpi limit 3", True),  # a row more
        ("select * from pub.marts.kpi limit 1", True),  # a row less
        ("select who, 7 - n as n, dob from pub.marts.kpi", True),  # same values per column, other rows
    ],
)
def test_a_parquet_file_that_differs_from_its_table_in_anything_is_scanned_in_full(
    tmp_path, reference, monkeypatch, variant, scanned
):
    db = _db(tmp_path, f"create table marts.kpi as {_KPI}")
    path = tmp_path / "kpi.parquet"
    with duckdb.connect() as c:
        c.execute(f"attach '{db}' as pub (read_only)")
        c.execute(f"copy ({variant}) to '{path}' (format parquet)")
    calls = []
    scan = privacy.scan_relation
    monkeypatch.setattr(
        privacy, "scan_relation", lambda con, location, *a: calls.append(location) or scan(con, location, *a)
    )
    findings = privacy.scan_published(db, [path], reference=reference)
    assert calls.count("parquet") == (1 if scanned else 0)  # scanned in full, or the table's findings
    assert ("parquet", "kpi.parquet", "dob") in {(f.location, f.table, f.column) for f in findings}


def test_reference_read_from_the_landing_files(landing, tmp_path):
    """Person ids and dates of birth come from the landing files (conftest's minimal extract)."""
    ref = privacy.load_reference(landing)
    assert set(ref.person_ids["person_id"].to_pylist()) == {"P1", "P2", "P3"}
    assert set(ref.birth_dates["birth_date"].to_pylist()) >= {date(2010, 5, 1), date(2012, 3, 4), date(2016, 11, 1)}
    assert ref.record_ids.num_rows == 0  # no record id of the extract is also a person id
    db = _db(tmp_path, "create table marts.leak as select 'P3' as who, date '2012-03-04' as birth_date_exact")
    assert _where(privacy.scan_published(db, landing=landing)) == {
        ("marts.leak", "who"),
        ("marts.leak", "birth_date_exact"),
    }


def _build_from_landing(landing: Path, path: Path) -> Path:
    """A build file holding only the raw schema, loaded by the landing reader as the plugin does."""
    from csc import landing as reader
    from csc.contract import load_contract

    with duckdb.connect(str(path)) as c:
        c.execute("create schema raw")
        for name in load_contract():
            c.register("landing_table", reader.read_table(name, landing))
            c.execute(f"create table raw.{name} as select * from landing_table")
    return path


def test_a_raw_person_id_that_is_also_a_record_id_is_exempt_in_record_id_columns_only(landing, tmp_path):
    """The record-id exemption reads only the record ids that are raw person ids: a disability
    row whose own id is 'P3' (a person's id too) exempts 'P3' in *_id and *_key columns, from the
    landing files and from a build's raw tables alike; elsewhere 'P3' is still a leak, and 'P2'
    (a person id and no record's id) is a leak in an *_id column too."""
    disability = MINIMAL_EXTRACT["ssd_disability"] + "P3,P1,MOB\n"
    write_table(landing, "ssd_disability", disability)
    build = _build_from_landing(landing, tmp_path / "build.duckdb")
    db = _db(
        tmp_path,
        "create table marts.both as select 'P3' as contact_id, 'P3' as other_key, 'P3' as who, 'P2' as case_id, "
        "'D1' as disability_id",
    )
    expected = {("marts.both", "who"), ("marts.both", "case_id")}
    for ref in (privacy.load_reference(landing), privacy.load_reference(None, build)):
        assert ref.record_ids["record_id"].to_pylist() == ["P3"]
        assert _where(privacy.scan_published(db, reference=ref)) == expected
    assert _where(privacy.scan_published(db, build_db=build)) == expected


def test_the_map_is_read_from_the_build_file_by_the_scan(landing, tmp_path, monkeypatch):
    """With a build file the child_key -> person id map stays in it (staging's person model,
    read by the scan only where a row holds one of its person ids): a record id column that is,
    row by row, the child's own person id (P1, P2: record ids too, so exempt as raw person ids)
    is found through it. The model is a table, so the scan needs no pseudonymisation key (none
    is set here, and the landing is not demo output); a person model that is a view (whose
    child_key would need the key in the session) gives no map."""
    write_table(landing, "ssd_disability", MINIMAL_EXTRACT["ssd_disability"] + "P1,P1,MOB\nP2,P2,MOB\n")
    build = _build_from_landing(landing, tmp_path / "build.duckdb")
    with duckdb.connect(str(build)) as c:
        c.execute("create schema staging")
        c.execute(
            "create table staging.stg_ssd__person as select * from (values ('878', 'k1', 'P1'), "
            "('878', 'k2', ' P2 '), ('878', 'k3', 'P3')) as t(la_code, child_key, source_person_id)"
        )
    db = _db(
        tmp_path,
        "create table marts.fct_x as select * from (values ('878', 'k1', 'P1', 'R1'), ('878', 'k2', 'P2', 'R1'), "
        "('878', 'k3', 'x', 'R1')) as t(la_code, child_key, case_id, referral_id)",
    )
    monkeypatch.delenv("CSC_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("CSC_LANDING_DIR", str(tmp_path / "nowhere"))
    ref = privacy.load_reference(None, build)
    assert ref.person_map is None and ref.person_map_build == build
    assert {(f.table, f.column): f.reason for f in privacy.scan_published(db, reference=ref)} == {
        ("marts.fct_x", "case_id"): "2 of 3 values are the row's own raw person id"
    }
    with duckdb.connect(str(build)) as c:
        c.execute("alter table staging.stg_ssd__person rename to person_rows")
        c.execute("create view staging.stg_ssd__person as select * from staging.person_rows")
    ref = privacy.load_reference(None, build)
    assert ref.person_map_build is None
    assert privacy.scan_published(db, reference=ref) == []


# --------------------------------------------------------------------------------------------
# child_key: checked for raw person ids like every other text column
# --------------------------------------------------------------------------------------------


def _hmac_like(text: str) -> str:
    """A child_key of the project's form: 64 lower-case hex digits."""
    return hashlib.sha256(text.encode()).hexdigest()


def _keys_db(tmp_path: Path, *child_keys: str) -> Path:
    """marts.fct_cases: a child_key among HMAC-like keys for each value given, and a record id."""
    rows = [(_hmac_like(f"child {i}"), f"C{i}") for i in range(20)]
    rows += [(k, f"X{i}") for i, k in enumerate(child_keys)]
    values = ", ".join(f"('878', {privacy.sqlquote.literal(k)}, {privacy.sqlquote.literal(r)})" for k, r in rows)
    return _db(
        tmp_path, f"create table marts.fct_cases as select * from (values {values}) as t(la_code, child_key, case_id)"
    )


def test_a_raw_person_id_among_the_child_keys_is_found_and_refused(tmp_path, reference):
    db = _keys_db(tmp_path, "P2")
    findings = privacy.scan_published(db, reference=reference)
    assert [(f.table, f.column, f.reason) for f in findings] == [
        ("marts.fct_cases", "child_key", "1 value(s) equal to raw person ids from the landing files")
    ]
    with pytest.raises(privacy.PrivacyError, match=r"marts\.fct_cases\.child_key"):
        privacy.check_published(db, reference=reference)
    # the same in a Parquet file (not a copy of a scanned table), and under another case
    path = tmp_path / "cases.parquet"
    with duckdb.connect() as c:
        c.execute(f"attach '{db}' as pub (read_only)")
        c.execute(
            f"copy (select la_code, child_key as CHILD_KEY from pub.marts.fct_cases) to '{path}' (format parquet)"
        )
    assert [(f.location, f.table, f.column) for f in privacy.scan_published(None, [path], reference=reference)] == [
        ("parquet", "cases.parquet", "CHILD_KEY")
    ]


@pytest.mark.parametrize(
    "person_id",
    [
        _hmac_like("P9").upper(),  # hex, but upper case: not the form of the project's keys
        _hmac_like("P9")[:63],  # 63 digits
        " " + _hmac_like("P9"),  # that form after trimming
        _hmac_like("P9") + "\u00a0",  # spaces other than ' ' are trimmed too (DuckDB's trim)
        "\u3000P9",
        "P9 ",
        _hmac_like("P9"),  # exactly that form: a raw person id all the same
    ],
)
def test_a_raw_person_id_that_looks_like_a_key_is_found_in_child_key(tmp_path, reference, person_id):
    ref = privacy.ScanReference(
        person_ids=pa.table({"person_id": [*reference.person_ids["person_id"].to_pylist(), person_id.strip()]}),
        birth_dates=reference.birth_dates,
        record_ids=reference.record_ids,
        person_map=reference.person_map,
    )
    db = _keys_db(tmp_path, person_id, person_id)  # two rows, one distinct value
    assert [(f.table, f.column, f.reason) for f in privacy.scan_published(db, reference=ref)] == [
        ("marts.fct_cases", "child_key", "1 value(s) equal to raw person ids from the landing files")
    ]
    # and a publication without it still passes, whichever path the scan takes
    (tmp_path / "clean").mkdir()
    assert privacy.scan_published(_keys_db(tmp_path / "clean"), reference=ref) == []


def test_texts_are_trimmed_exactly_as_by_trim():
    """The lookups trim only a text that may need it (privacy._trimmed): the same result as
    DuckDB's trim for every kind of end (spaces of every kind, tabs, accents, empty, null)."""
    texts = [" P2", "P2 ", "P2\u00a0", "\u3000P2", "P2\u2000", "\tP2\t", "a\u0301", "", "\u00a0", "é", "0" * 64, "Z "]
    with duckdb.connect() as c:
        c.execute("create table t (v varchar)")
        c.executemany("insert into t values (?)", [[t] for t in [*texts, None]])
        rows = c.execute(f"select count(*) filter (where {privacy._trimmed('v')} is not distinct from trim(v)) from t")
        assert rows.fetchone()[0] == len(texts) + 1


def test_the_record_id_exemption_applies_to_id_columns_but_never_to_child_key(tmp_path, reference):
    """R7 is a raw person id and another table's record id: in referral_id and other_key a
    coincidence, in child_key a leak."""
    db = _db(
        tmp_path,
        "create table marts.fct_r as select * from (values ('878', 'R7', 'R7', 'R7'), ('878', 'R1', 'R1', "
        f"'{_hmac_like('x')}')) as t(la_code, referral_id, other_key, child_key)",
    )
    assert [(f.table, f.column) for f in privacy.scan_published(db, reference=reference)] == [
        ("marts.fct_r", "child_key")
    ]


# --------------------------------------------------------------------------------------------
# On the real publication (slow)
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_real_publication_passes_the_scan(published_warehouse):
    w = published_warehouse
    parquet = sorted((w.published / "parquet").glob("*.parquet"))
    assert parquet
    assert (
        privacy.scan_published(w.published / "csc_marts.duckdb", parquet, landing=w.landing, build_db=w.build_db) == []
    )


@contextlib.contextmanager
def _copy_with_build(w, db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the real published file at `db`, with the build attached read-only as `build`."""
    db.write_bytes((w.published / "csc_marts.duckdb").read_bytes())
    with duckdb.connect(str(db)) as c:
        c.execute(f"attach '{w.build_db}' as build (read_only)")
        yield c


@pytest.mark.slow
def test_scan_catches_a_person_id_put_back_into_the_real_output(published_warehouse, tmp_path):
    """Copy the published file, add the raw person id back under an innocent name: caught."""
    w = published_warehouse
    db = tmp_path / "copy.duckdb"
    with _copy_with_build(w, db) as c:
        c.execute(
            "create table marts.fct_referrals_plus as select r.*, p.source_person_id as client_ref "
            "from marts.fct_referrals r join build.staging.stg_ssd__person p using (la_code, child_key)"
        )
    findings = privacy.scan_published(db, landing=w.landing, build_db=w.build_db)
    assert _where(findings) == {("marts.fct_referrals_plus", "client_ref")}


@pytest.mark.slow
def test_scan_catches_one_raw_person_id_in_a_real_child_key(published_warehouse, tmp_path):
    """One referral's child_key replaced by the child's raw person id (a model that wrote the id
    instead of the keyed hash for one row): caught, though the rest of the column is keys."""
    w = published_warehouse
    db = tmp_path / "copy.duckdb"
    with _copy_with_build(w, db) as c:
        c.execute(
            "update marts.fct_referrals as r set child_key = p.source_person_id from build.staging.stg_ssd__person as p "
            "where p.la_code = r.la_code and p.child_key = r.child_key "
            "and r.referral_id = (select min(referral_id) from marts.fct_referrals)"
        )
        assert c.execute("select count(*) from marts.fct_referrals where length(child_key) <> 64").fetchone()[0] == 1
    findings = privacy.scan_published(db, landing=w.landing, build_db=w.build_db)
    assert [(f.table, f.column, f.reason) for f in findings] == [
        ("marts.fct_referrals", "child_key", "1 value(s) equal to raw person ids from the landing files")
    ]


@pytest.mark.slow
def test_pseudonymisation_key_is_written_nowhere(published_warehouse):
    """The build and publish ran with a distinctive CSC_PSEUDONYM_KEY: search every byte of every
    file in dbt's target and log folders, the build file's folder and the published folder."""
    w = published_warehouse
    key = w.key.encode()
    folders = [w.target, w.root / "logs", w.build_db.parent, w.published]
    searched = 0
    for folder in folders:
        assert folder.is_dir(), folder
        for path in folder.rglob("*"):
            if path.is_file():
                searched += 1
                data = path.read_bytes()
                assert key not in data, f"the pseudonymisation key is in {path}"
                assert key.hex().encode() not in data, f"the key (hex) is in {path}"
    assert searched > 50
    # And the build really used that key (macros/cross_db/keyed_hash.sql): dim_child's keys are
    # the keyed hashes of the raw person ids under it.
    with duckdb.connect(str(w.build_db), read_only=True) as c:
        la_code, person_id = c.execute(
            "select la_code, trim(pers_person_id) from raw.ssd_person order by 2 limit 1"
        ).fetchall()[0]
        expected = hmac.new(w.key.encode(), f"{la_code}\x1f{person_id}".encode(), hashlib.sha256).hexdigest()
        assert c.execute("select count(*) from marts.dim_child where child_key = ?", [expected]).fetchall()[0][0] == 1
