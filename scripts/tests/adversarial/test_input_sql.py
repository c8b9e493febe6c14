"""Finding 6 of issue 12: no SQL is built from data.

The issue: a crafted header name in a landing CSV went unescaped into the census importer's
`read_csv(...)` (`_read_csv_sql`), and a `copy ... to` a file outside the project ran. Here
hostile header names (and a hostile file name) go through every reader of landing files: the
landing reader and the dbt plugin's source (csc.landing), `csc validate`, the privacy scan's
reference (csc.privacy.load_reference) and the census importer. Each must read safely or stop
with a clear error, and no payload may write a file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import MINIMAL_EXTRACT, write_extract, write_table

from csc import landing, sqlquote
from csc.cin_census import CinCensusError, import_cin_census
from csc.cin_census.xmlio import write_cin_census_xml


def _payloads(target: Path) -> list[str]:
    t = str(target)
    return [
        f"a\"); copy (select 1) to '{t}/p1.csv'; --",
        # the attack on the importer, checked to write p2.csv with the old _read_csv_sql
        f"a': 'VARCHAR'}}) as o, (select 1 as year) as p; copy (select 42) to '{t}/p2.csv'; "
        "select 1 from read_csv('/dev/null', columns={'b",
        f"x'); copy (select 1) to '{t}/p3.csv'; --",
        f"\"; attach '{t}/p4.duckdb' as evil; --",
        "Robert'); drop table raw.ssd_person; --",
        "{{ run_query(\"copy (select 1) to '" + t + "/p5.csv'\") }}",
        '"',
        "'",
        "''",
        "\\",
        "a\nb",
        "tab\there",
        "ĉolumn",
        "日本語",
        "🙂",
        "",
        " ",
        "null",
        "pers_person_id\u0000",
        "PERS_PERSON_IDx",
    ]


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _hostile_person(payloads: list[str]) -> str:
    base = list(csv.reader(io.StringIO(MINIMAL_EXTRACT["ssd_person"])))
    header = base[0] + payloads
    rows = [r + [f"v{i}" for i in range(len(payloads))] for r in base[1:]]
    return _csv_text(header, rows)


@pytest.fixture
def trap(tmp_path) -> Path:
    target = tmp_path / "outside"
    target.mkdir()
    return target


def _nothing_written(target: Path) -> None:
    assert list(target.iterdir()) == [], list(target.iterdir())


@pytest.fixture
def hostile_landing(tmp_path, trap) -> Path:
    root = write_extract(tmp_path / "landing")
    payloads = [p for p in _payloads(trap) if "\u0000" not in p]
    write_table(root, "ssd_person", _hostile_person(payloads))
    # and a hostile file name (not a contract table: reported, never read into SQL)
    name = f"x'); copy (select 1) to '{trap}/p6.csv'; --.csv".replace("/", "_")
    (root / "la_code=878" / name).write_text("a\n1\n")
    return root


def test_the_landing_reader_and_dbt_source_read_hostile_headers_safely(hostile_landing, trap):
    t = landing.read_table("ssd_person", hostile_landing)
    assert t.num_rows == 3 and t.column_names[:2] == ["la_code", "pers_person_id"]
    inv = landing.inventory(hostile_landing)
    person = next(i for i in inv if i.table == "ssd_person")
    assert len(person.extra_columns) >= 15
    assert landing.inventory_table(hostile_landing).num_rows == len(inv)
    _nothing_written(trap)


def test_a_contract_column_twice_in_the_header_is_refused(tmp_path):
    root = write_extract(tmp_path / "landing")
    write_table(root, "ssd_person", _hostile_person(["PERS_PERSON_ID "]))
    info = next(i for i in landing.inventory(root) if i.table == "ssd_person")
    assert "pers_person_id appears more than once" in info.problem
    assert landing.read_table("ssd_person", root).num_rows == 0  # not read; validate says fatal


def test_validate_reports_hostile_headers_as_unknown_columns(hostile_landing, trap, tmp_path, codes_file):
    from csc.validate import validate_landing

    lines: list[str] = []
    result = validate_landing(hostile_landing, out_dir=tmp_path / "out", codes_file=codes_file, echo=lines.append)
    unknown = [f for r in result.files for f in r.findings if f.check == "unknown_column"]
    assert unknown and "copy (select 1)" in unknown[0].message
    assert not [f for r in result.files if r.table == "ssd_person" for f in r.findings if f.severity == "fatal"]
    _nothing_written(trap)


def test_the_privacy_reference_reads_hostile_headers_safely(hostile_landing, trap):
    from csc import privacy

    ref = privacy.load_reference(hostile_landing)
    assert ref.person_ids.num_rows == 3
    _nothing_written(trap)


def test_the_census_importer_refuses_a_hostile_header_in_its_own_file(tmp_path, trap):
    """The issue's attack: the importer merges with the files it wrote before, reading their
    header into `read_csv(..., columns={...})`. A header changed by hand is refused."""
    xml = tmp_path / "return.xml"
    child = {
        "id": "C1",
        "dob": "2010-01-01",
        "sex": "M",
        "ethnicity": "WBRI",
        "episodes": [{"referral_date": "2015-06-01", "source": "1A", "need": "N1", "nfa": False}],
    }
    write_cin_census_xml(xml, [child], year=2016)
    root = tmp_path / "landing"
    import_cin_census(xml, root, echo=lambda _: None)
    person = root / "la_code=878" / "ssd_person.csv"
    original = person.read_text()
    for payload in _payloads(trap):
        rows = list(csv.reader(io.StringIO(original)))
        person.write_text(_csv_text(rows[0] + [payload], [[*r, "v"] for r in rows[1:]]))
        if sqlquote.SAFE_NAME.fullmatch(payload.strip().lower()):
            import_cin_census(xml, root, echo=lambda _: None)  # a plain name: merged as usual
            continue
        with pytest.raises(CinCensusError, match="not written by import-cin-census"):
            import_cin_census(xml, root, echo=lambda _: None)
        _nothing_written(trap)
    _nothing_written(trap)


@pytest.mark.parametrize("text", ['a"b', "it's", "a'); --", "x\\y", "日本", "🙂"])
def test_the_quoting_functions_round_trip_through_duckdb(text, tmp_path):
    import duckdb

    con = duckdb.connect()
    assert con.execute(f"select {sqlquote.literal(text)}").fetchone()[0] == text
    con.execute(f"create table t ({sqlquote.identifier(text)} varchar)")
    assert [r[0] for r in con.execute("describe t").fetchall()] == [text]
    path = tmp_path / f"dir {text.replace('/', '_')}" / "f.csv"
    path.parent.mkdir()
    con.execute(f"copy (select 1 as a) to {sqlquote.literal(path)}")
    assert path.exists()


@pytest.mark.parametrize("bad", ["a\u0000b", "a\nb", "a\rb", "x\x1b[31m"])
def test_control_characters_are_refused(bad):
    for f in (sqlquote.literal, sqlquote.identifier, sqlquote.safe_name):
        with pytest.raises(sqlquote.UnsafeName):
            f(bad)


@pytest.mark.parametrize("name", ["Pers_id", "a-b", "a b", 'a"', "", "é"])
def test_safe_name_accepts_only_plain_names(name):
    with pytest.raises(sqlquote.UnsafeName):
        sqlquote.safe_name(name)
    assert sqlquote.safe_name("pers_person_id_2") == "pers_person_id_2"
