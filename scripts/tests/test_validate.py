"""csc.validate: the data-quality gate over tiny synthetic landing folders."""

from __future__ import annotations

import csv
import itertools
import json
import os
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import duckdb
import jinja2
import numpy as np
import pyarrow as pa
import pytest
from conftest import MINIMAL_EXTRACT, write_extract, write_table

from csc import contract, paths, reporting_date, rules
from csc.validate import (
    DEFAULT_CODES_FILE,
    FATAL,
    FLAG_REGEX,
    INFO,
    WARNING,
    Finding,
    ValidationResult,
    parse_dates,
    validate_landing,
)


def run(landing: Path, tmp_path: Path, codes_file: Path | None, **kwargs) -> tuple[ValidationResult, str]:
    lines: list[str] = []
    result = validate_landing(landing, out_dir=tmp_path / "out", codes_file=codes_file, echo=lines.append, **kwargs)
    return result, "\n".join(lines)


def findings(
    result: ValidationResult, table: str, severity: str | None = None, check: str | None = None
) -> list[Finding]:
    return [
        f
        for r in result.files
        if r.table == table
        for f in r.findings
        if (severity is None or f.severity == severity) and (check is None or f.check == check)
    ]


def edit(landing: Path, table: str, old: str, new: str, **kwargs) -> Path:
    text = MINIMAL_EXTRACT[table]
    assert old in text
    return write_table(landing, table, text.replace(old, new), **kwargs)


def add_rows(landing: Path, table: str, *rows: str) -> Path:
    return write_table(landing, table, MINIMAL_EXTRACT[table] + "".join(r + "\n" for r in rows))


def only_finding(result: ValidationResult, table: str, check: str, severity: str = WARNING) -> Finding:
    found = findings(result, table, check=check)
    assert len(found) == 1, found
    assert found[0].severity == severity
    return found[0]


# ---------------------------------------------------------------------------------------------
# The whole extract
# ---------------------------------------------------------------------------------------------


def _counting_reads(monkeypatch) -> list[str]:
    """The files (council folder/name) csc.landing.read_file is asked for, in order."""
    from csc import landing as reader

    reads: list[str] = []
    original = reader.read_file

    def counting(info):
        reads.append(_folder_and_name(info.path))
        return original(info)

    monkeypatch.setattr(reader, "read_file", counting)
    return reads


def _folder_and_name(path: str) -> str:
    return f"{Path(path).parent.name}/{Path(path).name}"


def test_each_landing_file_is_read_once(landing, tmp_path, codes_file, monkeypatch):
    """The reporting date needs the event-date files before a council's files are checked;
    validation checks the files it read for that instead of reading them again."""
    reads = _counting_reads(monkeypatch)
    result, _ = run(landing, tmp_path, codes_file)
    assert not result.fatal
    assert sorted(reads) == sorted(_folder_and_name(r.path) for r in result.files if r.path)
    assert len(reads) == len(set(reads)) == 12


def test_each_file_is_read_once_whatever_the_councils_held_at_once(tmp_path, monkeypatch):
    """Event-date files are read a few councils at a time (KEEP_READS_BYTES); with room for
    none, one council at a time, every file is still read once, and the summary is the one
    all councils at once give. Council 879 has no event date of its own: it takes the
    extract's, the latest of the others' (878's), and its files are checked last."""
    from csc import landing as reader
    from csc.validate import Rules
    from csc.validate import run as validate_run

    landing = _faulted_two_councils(tmp_path, seed=20163)
    for table, columns in reporting_date.event_columns().items():  # 879: no plausible event date
        path = landing / "la_code=879" / f"{table}.csv"
        encoding = reader.inspect_file("879", path, contract.load_contract()[table]).encoding  # a planted fault
        with path.open(newline="", encoding=encoding) as f:
            rows = list(csv.DictReader(f))
        with path.open("w", newline="", encoding=encoding) as f:
            out = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            out.writeheader()
            out.writerows({**row, **dict.fromkeys(columns, "2099-01-01")} for row in rows)
    bounds: dict[tuple[str, str], tuple[date, date]] = {}  # (council, column): its date bounds
    original_bounds = Rules.date_bounds

    def date_bounds(self, column, la_code=None):
        bounds[la_code, column.name] = original_bounds(self, column, la_code)
        return bounds[la_code, column.name]

    monkeypatch.setattr(Rules, "date_bounds", date_bounds)
    everything = _summary_without_run_ids(landing, tmp_path / "together", 1_000_000)
    reads = _counting_reads(monkeypatch)
    monkeypatch.setattr(validate_run, "KEEP_READS_BYTES", 1)
    one_by_one = _summary_without_run_ids(landing, tmp_path / "one_by_one", 1_000_000)
    assert one_by_one == everything
    assert len(reads) == len(set(reads)) == len(everything["files"]) == 24
    dates = everything["latest_event_dates"]
    assert dates["879"] is None and dates["878"] is not None
    assert dates == {la: d.isoformat() for la, d in reporting_date.latest_event_dates(landing).items()} | {"879": None}
    assert everything["reporting_date_source"] == "last complete month end covered by the extract"
    # 879's dates judged against the extract's bounds, 878's: its 2099 event dates out of range
    columns = {c.name: c for t in contract.load_contract().values() for c in t.columns}
    ceiling = date.fromisoformat(dates["878"])
    assert {b for (la, c), b in bounds.items() if la == "879" and not columns[c].future_ok} == {
        (reporting_date.EARLIEST_PLAUSIBLE, ceiling)
    }
    out_of_range = [
        f for f in everything["files"] if f["la_code"] == "879" for x in f["failures"] if x["check"] == "date_range"
    ]
    assert out_of_range


def test_a_tables_part_filled_chunks_are_validated_before_the_next_table(landing, tmp_path, codes_file, monkeypatch):
    """Files come table by table; what waits for a chunk is one table's files, never a
    remainder of every table (that held about 6 GB at full England size)."""
    from csc.validate import files

    chunks: list[list[str]] = []
    waiting: list[int] = []
    original_validate, original_add = files.validate_chunk, files.Chunker.add

    def validate(table, pending, rules_, runner):
        chunks.append([f.info.table for f in pending])
        original_validate(table, pending, rules_, runner)

    def add(self, f):
        original_add(self, f)
        waiting.append(len({group[0] for group in self.pending}))

    monkeypatch.setattr(files, "validate_chunk", validate)
    monkeypatch.setattr(files.Chunker, "add", add)
    result, _ = run(landing, tmp_path, codes_file)
    assert not result.fatal
    assert max(waiting) == 1
    order = [tables[0] for tables in chunks]
    assert all(len(set(tables)) == 1 for tables in chunks)
    assert len(order) == len(set(order)) == 12
    # the event-date tables first (they settle the council's reporting date), then the rest
    events = set(reporting_date.event_columns())
    assert order == sorted(events) + sorted(set(order) - events)


def test_great_expectations_keeps_no_chunk_after_it(landing, tmp_path, codes_file, monkeypatch):
    """GX's execution engine caches every metric it computes (pandas Series of a chunk's rows)
    and every batch: GxRunner.release empties both after each chunk, or a full England
    validation holds most of what it ever read (6.7 GB)."""
    from csc.validate import gx

    runners: list[gx.GxRunner] = []
    original = gx.GxRunner.release

    def release(self):
        runners.append(self)
        original(self)
        engine = self.source.get_execution_engine()
        assert engine._metric_cache == {}  # the attribute release clears, under its GX name
        assert not engine.batch_manager.batch_data_cache

    monkeypatch.setattr(gx.GxRunner, "release", release)
    result, _ = run(landing, tmp_path, codes_file)
    assert not result.fatal and runners


def test_great_expectations_fingerprints_no_batch():
    """GxRunner turns off GX's hash of every batch (metadata nothing reads; 0.27 CPU s of a
    council's validation) through a module constant of GX 1.x: renamed, this fails."""
    import pandas as pd

    from csc.validate import gx

    runner = gx.GxRunner()
    batch = runner.batches.get_batch(batch_parameters={"dataframe": pd.DataFrame({"a": ["x", None]})})
    assert "pandas_data_fingerprint" not in batch.batch_markers
    outcome = batch.validate(gx.gxe.ExpectColumnValuesToNotBeNull(column="a"), result_format=gx.FIRST_PASS)
    assert outcome.success is False


def test_great_expectations_is_imported_without_scipy_stats_and_altair():
    """gx_import leaves out the two libraries of GX's KL-divergence expectation (about 1 CPU s
    of a council's validation); the expectation still finds them when it runs, and anything
    importing them afterwards gets the real modules. In a fresh interpreter: one that imported
    Great Expectations another way first would load both."""
    code = """
import sys
import csc.validate.run
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "altair" or m.startswith("scipy.stats"))
assert not loaded, loaded
from great_expectations.expectations.core import expect_column_kl_divergence_to_be_less_than as kl
assert abs(kl.stats.entropy([0.5, 0.5], [0.5, 0.5])) < 1e-12 and kl.alt.Chart
import scipy.stats
assert type(scipy.stats).__name__ == "module" and scipy.stats.entropy is kl.stats.entropy
"""
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "GX_ANALYTICS_ENABLED": "false"})


def _faulted_two_councils(tmp_path: Path, seed: int) -> Path:
    """A small extract of two councils with the generator's planted faults."""
    from csc.generate import generate_extract

    landing = tmp_path / "landing"
    generate_extract(
        out=landing,
        la_codes=["878", "879"],
        scale="la",
        start="2015-04-01",
        end="2016-09-30",
        seed=seed,
        size=0.05,
        faults=True,
        progress=False,
    )
    return landing


def _summary_without_run_ids(landing: Path, out_dir: Path, chunk_rows: int) -> dict:
    """The validation summary without what differs between two runs of the same files."""
    result = validate_landing(landing, out_dir=out_dir, echo=lambda *a: None, chunk_rows=chunk_rows)
    out = json.loads(result.summary_path.read_text(encoding="utf-8"))
    for key in ("validation_id", "started_at", "finished_at", "data_docs"):
        out.pop(key)
    return out


def test_two_passes_find_what_one_summary_pass_finds(tmp_path, monkeypatch):
    """GxRunner.run asks every check only whether it passed, then runs each failed one again
    for its rows. On a faulted extract of two councils, in chunks of several files and file
    by file, the summary is the one a single SUMMARY pass gives (failed checks of several
    files run again in full to split their rows by file), as validation ran before."""
    from csc.validate import gx, run

    class OnePass(gx.GxRunner):
        def run(self, name, frame, expectations, files):
            batch = self.batches.get_batch(batch_parameters={"dataframe": frame})
            suite = gx.gx.ExpectationSuite(name=name, expectations=expectations)
            outcomes = batch.validate(suite, result_format=gx.RESULT_FORMAT).results
            rows_listed = lambda o: "partial_unexpected_index_list" in (o.result or {})  # noqa: E731
            return [
                batch.validate(o.expectation_config.to_domain_obj(), result_format=gx.COMPLETE_FORMAT)
                if files > 1 and not o.success and rows_listed(o)
                else o
                for o in outcomes
            ]

    landing = _faulted_two_councils(tmp_path, seed=20162)

    def summary(name: str, chunk_rows: int) -> dict:
        return _summary_without_run_ids(landing, tmp_path / name, chunk_rows)

    for chunk_rows in (1_000_000, 1):
        two = summary(f"two_{chunk_rows}", chunk_rows)
        assert two["totals"]["warnings"] > 0 and two["totals"]["fatal"] > 0
        with monkeypatch.context() as m:
            m.setattr(run, "GxRunner", OnePass)
            assert summary(f"one_{chunk_rows}", chunk_rows) == two


def test_text_as_categories_changes_no_finding(tmp_path, monkeypatch):
    """The frame GX checks holds text as categoricals (frames.to_frame, for speed): on a
    faulted extract of two councils, validated in chunks of several files and file by file,
    every check, finding, count, example and line is what the plain text frame gives."""
    from csc.validate import frames

    landing = _faulted_two_councils(tmp_path, seed=20161)

    def summary(name: str, chunk_rows: int) -> dict:
        return _summary_without_run_ids(landing, tmp_path / name, chunk_rows)

    for chunk_rows in (1_000_000, 1):
        categories = summary(f"categories_{chunk_rows}", chunk_rows)
        assert categories["totals"]["warnings"] > 0
        with monkeypatch.context() as m:
            m.setattr(frames, "to_frame", lambda data: data.to_pandas())
            assert summary(f"text_{chunk_rows}", chunk_rows) == categories


def test_clean_extract_passes_and_writes_outputs(landing, tmp_path, codes_file):
    result, output = run(landing, tmp_path, codes_file)
    assert not result.fatal
    assert result.total(WARNING) == 0, [f for _, f in result.findings]
    assert result.reporting_date == "2016-09-30"  # latest required event date
    summary = json.loads((tmp_path / "out" / "validation_summary.json").read_text())
    assert summary["fatal"] is False
    assert summary["totals"]["files"] == 12
    assert summary["totals"]["rows"] == sum(t.count("\n") - 1 for t in MINIMAL_EXTRACT.values())
    person = next(f for f in summary["files"] if f["table"] == "ssd_person")
    assert person["la_code"] == "878" and person["rows"] == 3 and person["checks_run"] > 5
    assert person["encoding"] == "utf-8" and person["delimiter"] == ","
    assert (tmp_path / "out" / "data_docs" / "index.html").is_file()
    assert result.data_docs_index == tmp_path / "out" / "data_docs" / "index.html"
    assert "Verdict: PASS" in output
    assert "ssd_cp_reviews" in output


@pytest.mark.skipif(not DEFAULT_CODES_FILE.is_file(), reason="reference code lists not built yet")
def test_clean_extract_passes_with_the_project_code_lists(landing, tmp_path):
    result, _ = run(landing, tmp_path, None)
    assert not result.fatal
    assert result.total(WARNING) == 0, [f for _, f in result.findings]


def test_empty_landing_folder_is_fatal(tmp_path, codes_file):
    (tmp_path / "landing").mkdir()
    result, output = run(tmp_path / "landing", tmp_path, codes_file)
    assert result.fatal and "no landing files" in output


def test_missing_required_table_is_fatal(tmp_path, codes_file):
    landing = write_extract(tmp_path / "landing", skip=("ssd_cin_assessments",))
    result, output = run(landing, tmp_path, codes_file)
    assert result.fatal
    assert "ssd_cin_assessments" in only_finding(result, "ssd_cin_assessments", "required_table", FATAL).message
    assert "FATAL" in output and "ssd_cin_assessments" in output and "Verdict: FAIL" in output


def test_required_tables_are_the_contracts(landing, tmp_path, codes_file):
    run(landing, tmp_path, codes_file)
    summary = json.loads((tmp_path / "out" / "validation_summary.json").read_text())
    assert summary["required_tables"] == list(contract.REQUIRED_TABLES)
    assert {
        "ssd_person",
        "ssd_cin_episodes",
        "ssd_cin_assessments",
        "ssd_s47_enquiry",
        "ssd_initial_cp_conference",
        "ssd_cp_plans",
    } <= set(contract.REQUIRED_TABLES)


def test_missing_optional_table_is_not_recorded(tmp_path, codes_file):
    landing = write_extract(tmp_path / "landing", skip=("ssd_cp_reviews",))
    result, _ = run(landing, tmp_path, codes_file)
    assert not result.fatal
    assert "not recorded" in only_finding(result, "ssd_cp_reviews", "optional_table", INFO).message


def test_missing_required_table_for_a_second_council_is_fatal(landing, tmp_path, codes_file):
    write_extract(landing, la_code="879", skip=("ssd_person",))
    result, _ = run(landing, tmp_path, codes_file)
    assert result.fatal
    fatal = [(r.la_code, f.check) for r in result.files for f in r.findings if f.severity == FATAL]
    assert fatal == [("879", "required_table")]


def test_empty_file_is_fatal(landing, tmp_path, codes_file):
    write_table(landing, "ssd_cp_reviews", "")
    result, output = run(landing, tmp_path, codes_file)
    assert result.fatal
    assert "empty" in only_finding(result, "ssd_cp_reviews", "readable", FATAL).message
    assert "ssd_cp_reviews.csv" in output


def test_header_only_required_table_is_fatal_optional_table_warns(landing, tmp_path, codes_file):
    write_table(landing, "ssd_cp_plans", MINIMAL_EXTRACT["ssd_cp_plans"].splitlines()[0] + "\n")
    write_table(landing, "ssd_cp_reviews", MINIMAL_EXTRACT["ssd_cp_reviews"].splitlines()[0] + "\n")
    result, _ = run(landing, tmp_path, codes_file)
    assert result.fatal
    assert "no rows" in only_finding(result, "ssd_cp_plans", "rows", FATAL).message
    assert "no rows" in only_finding(result, "ssd_cp_reviews", "rows", WARNING).message


def test_missing_required_column_is_fatal_naming_file_and_column(landing, tmp_path, codes_file):
    text = MINIMAL_EXTRACT["ssd_cin_episodes"].replace("cine_referral_date", "cine_referral_dt")
    write_table(landing, "ssd_cin_episodes", text)
    result, output = run(landing, tmp_path, codes_file)
    assert result.fatal
    finding = only_finding(result, "ssd_cin_episodes", "required_column", FATAL)
    assert finding.column == "cine_referral_date"
    line = next(ln for ln in output.splitlines() if ln.startswith("FATAL"))
    assert "ssd_cin_episodes.csv" in line and "cine_referral_date" in line
    assert "cine_referral_dt" in only_finding(result, "ssd_cin_episodes", "unknown_column").message


def test_missing_optional_column_is_not_recorded(landing, tmp_path, codes_file):
    lines = MINIMAL_EXTRACT["ssd_cp_reviews"].splitlines()
    write_table(landing, "ssd_cp_reviews", "\n".join(ln.rsplit(",", 1)[0] for ln in lines) + "\n")
    result, _ = run(landing, tmp_path, codes_file)
    assert not result.fatal
    assert "cppr_cp_review_date" in only_finding(result, "ssd_cp_reviews", "optional_column", INFO).message
    assert findings(result, "ssd_cp_reviews", WARNING) == []


def test_extra_unknown_column_warns(landing, tmp_path, codes_file):
    lines = MINIMAL_EXTRACT["ssd_disability"].splitlines()
    text = "\n".join([lines[0] + ",worker_name"] + [ln + ",Someone" for ln in lines[1:]]) + "\n"
    write_table(landing, "ssd_disability", text)
    result, _ = run(landing, tmp_path, codes_file)
    assert not result.fatal
    assert "worker_name" in only_finding(result, "ssd_disability", "unknown_column").message


# ---------------------------------------------------------------------------------------------
# File shapes the reader must accept
# ---------------------------------------------------------------------------------------------


def test_semicolon_delimited_file_reads_fine(landing, tmp_path, codes_file):
    write_table(landing, "ssd_disability", MINIMAL_EXTRACT["ssd_disability"].replace(",", ";"))
    result, _ = run(landing, tmp_path, codes_file)
    report = next(r for r in result.files if r.table == "ssd_disability")
    assert report.delimiter == ";" and report.rows == 2 and report.findings == []


def test_utf8_with_bom_reads_fine(landing, tmp_path, codes_file):
    write_table(landing, "ssd_person", "\ufeff" + MINIMAL_EXTRACT["ssd_person"])
    result, _ = run(landing, tmp_path, codes_file)
    report = next(r for r in result.files if r.table == "ssd_person")
    assert report.rows == 3 and report.findings == []


def test_windows_1252_text_reads_fine(landing, tmp_path, codes_file):
    edit(landing, "ssd_contacts", "School", "École – café", encoding="cp1252")
    result, _ = run(landing, tmp_path, codes_file)
    report = next(r for r in result.files if r.table == "ssd_contacts")
    assert report.encoding == "cp1252" and report.rows == 3 and report.findings == []


def test_undecodable_file_is_fatal(landing, tmp_path, codes_file):
    path = landing / "la_code=878" / "ssd_disability.csv"
    path.write_bytes(MINIMAL_EXTRACT["ssd_disability"].encode() + b"D3,P3,\x81\x8d\n")
    result, _ = run(landing, tmp_path, codes_file)
    assert result.fatal
    only_finding(result, "ssd_disability", "readable", FATAL)


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


def test_iso_sql_server_and_uk_dates_in_one_file_are_fine(landing, tmp_path, codes_file):
    add_rows(
        landing,
        "ssd_contacts",
        "C4,P1,2016-03-01 10:15:00.123,1A,Individual,",
        "C5,P1,2016-03-02T09:00:00,1A,Individual,",
        "C6,P1,3/4/2016,1A,Individual,",
        "C7,P1,29/02/2016,1A,Individual,",
    )
    result, _ = run(landing, tmp_path, codes_file)
    assert findings(result, "ssd_contacts") == []


BAD_DATES = [  # (value, check): one row each, from line 5 of ssd_contacts
    ("31/02/2016", "real_date"),
    ("2015-02-29", "real_date"),
    ("12/31/2016", "real_date"),  # US month first: read day first, month 31 does not exist
    ("01/02/16", "date_format"),  # two-digit year
    ("2099-01-01", "date_range"),
    ("9999-12-31", "date_range"),
    ("1989-12-31", "date_range"),
]


def test_bad_dates_warn_with_line_numbers(landing, tmp_path, codes_file):
    add_rows(
        landing, "ssd_contacts", *(f"C{i},P1,{value},1A,Individual," for i, (value, _) in enumerate(BAD_DATES, start=4))
    )
    result, output = run(landing, tmp_path, codes_file)
    assert not result.fatal
    expected: dict[str, list[dict]] = {}
    for line, (value, check) in enumerate(BAD_DATES, start=5):
        expected.setdefault(check, []).append({"line": line, "value": value})
        assert f"line {line}: '{value}'" in output
    found = findings(result, "ssd_contacts")
    assert {f.check: f.examples for f in found} == expected
    assert all(f.column == "cont_contact_date" and f.severity == WARNING for f in found)
    assert {f.check: f.count for f in found} == {"real_date": 3, "date_format": 1, "date_range": 3}


def test_future_ok_dates_may_run_a_year_past_the_reporting_date(landing, tmp_path, codes_file):
    add_rows(landing, "ssd_person", "P4,U,0,,,2017-09-30,,,,", "P5,U,0,,,2017-10-01,,,,", "P6,M,1,,2016-10-01,,,,,")
    result, _ = run(landing, tmp_path, codes_file)
    found = findings(result, "ssd_person", check="date_range")
    assert sorted((f.column, [e["line"] for e in f.examples]) for f in found) == [
        ("pers_dob", [7]),
        ("pers_expected_dob", [6]),
    ]


def test_reporting_date_given_is_used(landing, tmp_path, codes_file):
    result, _ = run(landing, tmp_path, codes_file, reporting_date="2016-06-30")
    assert result.reporting_date == "2016-06-30" and result.reporting_date_source == "given"
    late = findings(result, "ssd_cin_episodes", check="date_range")
    assert sorted((f.column, f.examples[0]["line"]) for f in late) == [
        ("cine_close_date", 4),
        ("cine_referral_date", 4),
    ]


DATE_VALUES = [
    "2016-01-05",
    "2016-02-29 10:11:12.123",
    "2016-03-04T10:00",
    "2016-03-04 10:00:00",
    "1/2/2016",
    "29/02/2016 09:30",
    "31/02/2016",
    "2015-02-29",
    "2016-13-01",
    "00/01/2016",
    "12/31/2016",
    "01/02/16",
    "2016-1-5",
    "2016/01/05",
    "20160105",
    "x",
    " 2016-01-05",
]
FLAG_VALUES = ["Y", "n", "Yes", "NO", "1", "0", "true", "FALSE", "t", "F", "maybe", "2", "yes please"]


class _Returned(Exception):
    pass


def staging_macros(*files: str) -> dict:
    """The project's macros, rendered by plain Jinja with just enough of dbt's context: var()
    reads dbt_project.yml, ref('ref_value_maps') is the seed file itself (the agreement tests)."""

    def ref(name: str) -> str:
        return f"read_csv('{paths.SEEDS_DIR / 'reference' / (name + '.csv')}', all_varchar = true)"

    env = jinja2.Environment(extensions=["jinja2.ext.do"])
    text = "\n".join((paths.REPO_ROOT / f).read_text(encoding="utf-8") for f in files)
    # dbt's {{ return(x) }} hands x back; here it renders x, which is what the callers use
    env.globals.update(
        var=lambda name: contract.project_vars()[name],
        ref=ref,
        exceptions=None,
        execute=False,
        modules=SimpleNamespace(re=re),
    )
    env.globals["return"] = lambda value: value
    macros: dict = {}

    class Adapter:
        @staticmethod
        def dispatch(name: str, namespace: str):
            return macros.get("duckdb__" + name) or macros[name]

    env.globals["adapter"] = Adapter
    macros.update(env.from_string(text).module.__dict__)
    return macros


def test_date_rules_match_staging():
    macros = staging_macros("macros/cross_db/try_parse_date.sql")
    sql = str(macros["duckdb__csc_try_parse_date"]("v"))
    staged = duckdb.sql(f"select v, {sql} from unnest($vals) t(v)", params={"vals": DATE_VALUES}).fetchall()
    _, parsed = parse_dates(pa.array(DATE_VALUES))
    ours = [None if np.isnat(d) else d.astype(object) for d in parsed]
    assert list(zip(DATE_VALUES, ours)) == [(v, d) for v, d in staged]
    assert ours[:6] == [
        date(2016, 1, 5),
        date(2016, 2, 29),
        date(2016, 3, 4),
        date(2016, 3, 4),
        date(2016, 2, 1),
        date(2016, 2, 29),
    ]


def _generated_date_texts() -> list[str]:
    """Every accepted format and its near misses: one- and two-digit parts, impossible days
    (31 April, 29 February of a non-leap year), leap days, times, blanks, junk. Not year 0000 (1 BC): numpy's
    day for it is no Python date, so the two cannot be compared (out of range either way)."""
    years = ["0001", "1899", "1900", "1989", "1990", "2000", "2016", "2023", "2024", "9999", "16", "20160"]
    months = ["0", "00", "1", "01", "2", "02", "4", "04", "12", "13", "001"]
    days = ["0", "00", "1", "01", "28", "29", "30", "31", "32", "001"]
    texts = set()
    for y, m, d in itertools.product(years, months, days):
        texts |= {f"{y}-{m}-{d}", f"{d}/{m}/{y}", f"{m}/{d}/{y}", f"{y}/{m}/{d}", f"{y}{m}{d}"}
    times = [
        "",
        " 00:00",
        "T14:05",
        " 14:05:06",
        " 14:05:06.123456789",
        " 14:05:06.1234567890",
        " 1:05",
        ":",
        "Z",
        "\n",
    ]
    for day in [
        "2016-02-29",
        "2023-02-29",
        "1900-02-29",
        "2000-02-29",
        "29/2/2016",
        "29/02/2023",
        "31/04/2023",
        "2023-04-31",
    ]:
        for t in times:
            texts |= {day + t, " " + day + t, day + t + " "}
    texts |= {"", " ", "x", "#", "#2016-01-05", "2016-01-05#", "\\1-\\2-\\3", "infinity", "epoch", "-2016-01-05"}
    return sorted(texts)


def test_date_rules_match_staging_on_generated_texts():
    """The DuckDB parse (one regexp_replace per format) against csc.rules' own, text by text."""
    macros = staging_macros("macros/cross_db/try_parse_date.sql")
    sql = str(macros["duckdb__csc_try_parse_date"]("v"))
    values = _generated_date_texts()
    staged = duckdb.sql(f"select {sql} from unnest($vals) with ordinality t(v, i) order by i", params={"vals": values})
    _, parsed = parse_dates(pa.array(values))
    ours = [None if np.isnat(d) else d.astype(object) for d in parsed]
    assert list(zip(values, ours)) == list(zip(values, (d for (d,) in staged.fetchall())))
    assert sum(d is not None for d in ours) > 300  # the accepted forms are among them


def test_flag_rule_matches_staging():
    macros = staging_macros("macros/staging/ssd_values.sql")
    sql = str(macros["ssd_flag"]("v"))
    staged = duckdb.sql(f"select {sql} from unnest($vals) t(v)", params={"vals": FLAG_VALUES}).fetchall()
    assert [re.fullmatch(FLAG_REGEX, v) is not None for v in FLAG_VALUES] == [ok is not None for (ok,) in staged]
    assert [rules.parse_flag(v) for v in FLAG_VALUES] == [ok for (ok,) in staged]
    assert [ok for (ok,) in staged][8:10] == [True, False]  # t and f, which json.sql once missed


def test_json_rule_matches_staging():
    macros = staging_macros("macros/cross_db/json.sql", "macros/staging/ssd_values.sql")
    values = [
        '{"NFA_FLAG":"Y"}',
        "{}",
        "42",
        '"Y"',
        "[]",
        '["2B","4B"]',
        '["2B",4]',
        "null",
        "true",
        "{bad",
        '{"a": NaN}',
        "[1]",
        '{"2B":"Yes"}',
    ]
    for object_only in (True, False):
        sql = str(macros["ssd_json_is_valid"]("v", object_only))
        staged = duckdb.sql(f"select {sql} from unnest($vals) t(v)", params={"vals": values}).fetchall()
        assert [rules.json_is_valid(v, object_only) for v in values] == [ok for (ok,) in staged], object_only
    assert not rules.json_is_valid("42", object_only=True)


# ---------------------------------------------------------------------------------------------
# Keys, codes, flags, JSON, malformed lines
# ---------------------------------------------------------------------------------------------


def test_duplicate_primary_key_is_fatal_with_both_line_numbers(landing, tmp_path, codes_file):
    add_rows(landing, "ssd_disability", "D1,P3,AUT")
    result, output = run(landing, tmp_path, codes_file)
    assert result.fatal
    finding = only_finding(result, "ssd_disability", "unique_key", FATAL)
    assert finding.column == "disa_table_id" and finding.count == 2
    assert sorted(e["line"] for e in finding.examples) == [2, 4]
    line = next(ln for ln in output.splitlines() if ln.startswith("FATAL"))
    assert "ssd_disability.csv" in line and "'D1' on lines 2, 4" in line


def test_blank_required_value_warns(landing, tmp_path, codes_file):
    add_rows(landing, "ssd_disability", "D3,  ,AUT")
    result, _ = run(landing, tmp_path, codes_file)
    assert not result.fatal
    finding = only_finding(result, "ssd_disability", "required_value")
    assert finding.column == "disa_person_id" and finding.examples == [{"line": 4, "value": None}]


def test_unknown_code_warns(landing, tmp_path, codes_file):
    add_rows(landing, "ssd_cin_episodes", "R4,P1,2016-04-01,N99,1A,Individual,,N,,,N")
    result, _ = run(landing, tmp_path, codes_file)
    finding = only_finding(result, "ssd_cin_episodes", "code")
    assert finding.column == "cine_cin_primary_need_code"
    assert finding.examples == [{"line": 5, "value": "N99"}]


def test_cp_category_words_and_letter_case_are_accepted(landing, tmp_path, codes_file):
    add_rows(
        landing,
        "ssd_cp_plans",
        "PL2,R2,I1,P2,2016-05-01,,physical ABUSE,emo,N,1",
        "PL3,R2,I1,P2,2016-05-02,,Bruising,MULTIPLE,N,",
    )
    result, _ = run(landing, tmp_path, codes_file)
    finding = only_finding(result, "ssd_cp_plans", "code")
    assert finding.column == "cppl_cp_plan_initial_category"
    assert finding.examples == [{"line": 4, "value": "Bruising"}]


def test_missing_code_lists_skip_code_checks_with_a_warning(landing, tmp_path):
    add_rows(landing, "ssd_cin_episodes", "R4,P1,2016-04-01,N99,1A,Individual,,N,,,N")
    add_rows(landing, "ssd_early_help_episodes", "E3,P1,2015-09-01,,x,,Council,,N,,XXX")
    result, output = run(landing, tmp_path, tmp_path / "no_such_codes.csv")
    assert "code lists not found" in output and "code-list checks skipped" in output
    assert findings(result, "ssd_cin_episodes") == []
    # an inline list of the contract is still checked
    assert only_finding(result, "ssd_early_help_episodes", "code").column == "earl_record_purpose"


def test_invalid_flag_warns(landing, tmp_path, codes_file):
    add_rows(landing, "ssd_cin_assessments", "A3,P3,R3,2016-09-30,maybe,,,Yes", "A4,P3,R3,2016-09-30,TRUE,,,0")
    result, _ = run(landing, tmp_path, codes_file)
    finding = only_finding(result, "ssd_cin_assessments", "flag")
    assert finding.column == "cina_assessment_child_seen"
    assert finding.examples == [{"line": 4, "value": "maybe"}]


def test_invalid_json_warns(landing, tmp_path, codes_file):
    add_rows(
        landing,
        "ssd_s47_enquiry",
        'S2,R2,P2,2016-03-06,,N,"{""ICPC_FLAG"":""Y"""',
        'S3,R2,P2,2016-03-07,,N,"[""ICPC_FLAG""]"',
    )
    add_rows(landing, "ssd_assessment_factors", 'F3,A2,"[""1C"",""3A""]"', "F4,A2,1C 3A")
    result, _ = run(landing, tmp_path, codes_file)
    s47 = only_finding(result, "ssd_s47_enquiry", "json")  # outcome columns: objects only
    assert [e["line"] for e in s47.examples] == [3, 4]
    factors = only_finding(result, "ssd_assessment_factors", "json")  # arrays allowed
    assert factors.examples == [{"line": 5, "value": "1C 3A"}]


def test_truncated_last_line_warns_and_keeps_the_row(landing, tmp_path, codes_file):
    write_table(landing, "ssd_cin_plans", MINIMAL_EXTRACT["ssd_cin_plans"] + "CP2,R2,P2,2016-0")
    result, output = run(landing, tmp_path, codes_file)
    assert not result.fatal
    report = next(r for r in result.files if r.table == "ssd_cin_plans")
    assert report.rows == 2
    finding = only_finding(result, "ssd_cin_plans", "well_formed_line")
    assert finding.count == 1 and finding.examples[0]["line"] == 3
    assert "line 3" in output


def test_parquet_file_is_validated(landing, tmp_path, codes_file):
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    csv_path = landing / "la_code=878" / "ssd_disability.csv"
    table = pacsv.read_csv(
        csv_path,
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in ("disa_table_id", "disa_person_id", "disa_disability_code")}
        ),
    )
    pq.write_table(table, csv_path.with_suffix(".parquet"))
    csv_path.unlink()
    result, _ = run(landing, tmp_path, codes_file)
    report = next(r for r in result.files if r.table == "ssd_disability")
    assert report.format == "parquet" and report.rows == 2 and report.findings == []


# ---------------------------------------------------------------------------------------------
# Volume
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_one_million_rows_with_one_bad_row(landing, tmp_path, codes_file):
    rows, bad = 1_000_000, 654_321
    path = landing / "la_code=878" / "ssd_cin_episodes.csv"
    outcome = '"{""SINGLE_ASSESSMENT_FLAG"":""Y"",""NFA_FLAG"":""N""}"'
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(MINIMAL_EXTRACT["ssd_cin_episodes"].splitlines()[0] + "\n")
        block = []
        for i in range(1, rows + 1):
            day = "31/02/2016" if i == bad else f"2016-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
            block.append(f"R{i},P{i % 3 + 1},{day},N{i % 9 + 1},1A,Individual,{outcome},N,RC1,2016-09-30,N\n")
            if len(block) == 100_000:
                f.write("".join(block))
                block = []
        f.write("".join(block))
    started = time.perf_counter()
    result, _output = run(landing, tmp_path, codes_file)
    elapsed = time.perf_counter() - started
    print(f"\n1,000,000-row ssd_cin_episodes validated in {elapsed:.1f} s")
    report = next(r for r in result.files if r.table == "ssd_cin_episodes")
    assert report.rows == rows
    assert not result.fatal
    assert [(f.check, f.count, f.examples) for f in report.findings] == [
        ("real_date", 1, [{"line": bad + 1, "value": "31/02/2016"}])
    ]
    # No time limit here: speed is measured by `csc bench`, never by a timed test (this one
    # failed at 62 s on a loaded CI machine while its result was right).


def test_results_page_escapes_hostile_values_masks_dates_and_loads_nothing_remote(landing, tmp_path, codes_file):
    """Issue 12, finding 5: the validation results page quoted landing values unescaped (stored
    XSS) and loaded scripts, styles and a logo from public CDNs. It is now the static page publish
    uses: values escaped, dates of birth and death masked, no script, no remote reference."""
    from csc.publish.pages import remote_references

    hostile = "<img src=x onerror=alert(1)>"
    person = MINIMAL_EXTRACT["ssd_person"].replace("P1,M,1,WBRI,2010-05-01", f"P1,M,1,{hostile},31/02/2010")
    write_table(landing, "ssd_person", person)
    stale = tmp_path / "out" / "data_docs" / "static" / "old.html"
    stale.parent.mkdir(parents=True)
    stale.write_text('<script src="https://cdn.example/x.js"></script>')
    result, _ = run(landing, tmp_path, codes_file)
    assert result.total(WARNING) > 0  # the hostile code and the impossible date were found
    pages = list((tmp_path / "out" / "data_docs").rglob("*.htm*"))
    assert pages == [tmp_path / "out" / "data_docs" / "index.html"]  # GX Data Docs and stale pages gone
    text = pages[0].read_text(encoding="utf-8")
    assert hostile not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "31/02/2010" not in text
    assert remote_references(text) == []
