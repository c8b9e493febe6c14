"""csc publish: write-audit-publish, atomic swap, small-number suppression.

The end-to-end tests (marked slow; `make test` runs them) share one warehouse built from a small
SYNTHETIC extract (generate_extract(size=0.1)) in a temporary folder: `published_warehouse`
(session-scoped, also used by test_privacy.py). Every path the pipeline writes (landing, build
file, dbt target and logs, published folder) is moved into that folder with environment
variables, so the tests never touch the repository's warehouse/, target/ or logs/.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import yaml

from csc import build_record, privacy
from csc import publish as pub
from csc.paths import REPO_ROOT
from csc.publish import swap

# --------------------------------------------------------------------------------------------
# Suppression: the rule is dbt's (int_kpi_cells_suppressed, with its unit tests); the
# adversarial solver test checks a real external publication.
# --------------------------------------------------------------------------------------------


def test_threshold_is_dbt_s():
    import yaml

    project = yaml.safe_load((Path(pub.__file__).resolve().parents[3] / "dbt_project.yml").read_text())
    assert privacy.SUPPRESS_MAX == project["vars"]["disclosure_max_small_count"] == 5
    assert f"from 1 to {privacy.SUPPRESS_MAX}" in privacy.SUPPRESSION_RULE


# --------------------------------------------------------------------------------------------
# Audit and swap (unit)
# --------------------------------------------------------------------------------------------


def _run_results(which: str, statuses: list[str]) -> dict:
    return {
        "metadata": {"generated_at": "2026-01-01T00:00:00Z"},
        "args": {"which": which},
        "elapsed_time": 1.0,
        "results": [{"unique_id": f"test.csc.t{i}", "status": s} for i, s in enumerate(statuses)]
        + [{"unique_id": "model.csc.m", "status": "success"}],
    }


def test_audit_build(tmp_path):
    with pytest.raises(pub.PublishError, match="no dbt run results"):
        pub.audit_build(tmp_path)
    (tmp_path / "run_results.json").write_text(json.dumps(_run_results("build", ["pass", "warn"])))
    summary = pub.audit_build(tmp_path)
    assert summary["by_type"] == {"models": {"success": 1}, "tests": {"pass": 1, "warn": 1}}
    assert summary["warned"] == ["test.csc.t1"]
    (tmp_path / "run_results.json").write_text(json.dumps(_run_results("build", ["pass", "fail"])))
    with pytest.raises(pub.PublishError, match="1 failed"):
        pub.audit_build(tmp_path)
    (tmp_path / "run_results.json").write_text(json.dumps(_run_results("test", ["pass"])))
    with pytest.raises(pub.PublishError, match="not `dbt build`"):
        pub.audit_build(tmp_path)


@pytest.mark.parametrize("atomic", [True, False])
def test_swap_keeps_open_readers_on_the_old_file(tmp_path, monkeypatch, atomic):
    if not atomic:
        monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    published = tmp_path / "published"
    published.mkdir()
    (published / "data.txt").write_text("old")
    new = tmp_path / "published.tmp-1"
    new.mkdir()
    (new / "data.txt").write_text("new")
    with open(published / "data.txt") as reader:
        pub.swap_into_place(new, published)
        assert reader.read() == "old"  # the old inode, still readable
    assert (published / "data.txt").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published"]


def test_swap_into_empty_place(tmp_path):
    new = tmp_path / "out.tmp-1"
    new.mkdir()
    (new / "x").write_text("1")
    pub.swap_into_place(new, tmp_path / "out")
    assert (tmp_path / "out" / "x").read_text() == "1" and not new.exists()


# --------------------------------------------------------------------------------------------
# End to end (slow): one synthetic warehouse shared by the tests below and by test_privacy.py
# --------------------------------------------------------------------------------------------


@dataclass
class Warehouse:
    root: Path
    key: str
    env: dict[str, str]
    result: pub.PublishResult

    @property
    def landing(self) -> Path:
        return Path(self.env["CSC_LANDING_DIR"])

    @property
    def published(self) -> Path:
        return Path(self.env["CSC_PUBLISH_DIR"])

    @property
    def build_db(self) -> Path:
        return Path(self.env["CSC_DUCKDB_PATH"])

    @property
    def target(self) -> Path:
        return Path(self.env["DBT_TARGET_PATH"])

    def apply(self, monkeypatch: pytest.MonkeyPatch, **overrides: str) -> None:
        for name, value in {**self.env, **overrides}.items():
            monkeypatch.setenv(name, value)


_BUILT: list[Warehouse] = []  # test_privacy.py imports the fixture: build once for both modules


@pytest.fixture(scope="session")
def published_warehouse(tmp_path_factory) -> Warehouse:
    """Generate (size 0.1), validate, build, test and publish once, with a distinctive key."""
    if not _BUILT:
        _BUILT.append(_build_and_publish(tmp_path_factory))
    return _BUILT[0]


def _build_and_publish(tmp_path_factory) -> Warehouse:
    from csc.generate import generate_extract

    root = tmp_path_factory.mktemp("publish")
    key = "csc-test-key-" + secrets.token_hex(24)
    env = {
        "CSC_LANDING_DIR": str(root / "landing"),
        "CSC_DUCKDB_PATH": str(root / "build" / "csc.duckdb"),
        "CSC_PUBLISH_DIR": str(root / "out" / "published"),
        "DBT_TARGET_PATH": str(root / "target"),
        "DBT_LOG_PATH": str(root / "logs"),
        "CSC_PSEUDONYM_KEY": key,
        "GX_ANALYTICS_ENABLED": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    generate_extract(
        out=root / "landing",
        la_codes=["878"],
        scale="la",
        start="2013-04-01",
        end="2016-09-30",
        seed=20160930,
        size=0.1,
        faults=False,
        progress=False,
    )
    plant_hostile_values(root / "landing")
    with pytest.MonkeyPatch.context() as mp:
        for name, value in env.items():
            mp.setenv(name, value)
        result = pub.publish()
    assert result, f"publish failed at {result.stage}: {result.message}"
    return Warehouse(root=root, key=key, env=env, result=result)


HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_DOB = "31/02/2009"  # not a date: quoted by validation as an example, and must be masked


def plant_hostile_values(landing: Path) -> None:
    """Markup in a coded value and an impossible date of birth, on the first person row: both
    are warnings (the value becomes unknown), so the extract still validates and builds."""
    path = landing / "la_code=878" / "ssd_person.csv"
    lines = path.read_text(encoding="latin-1").splitlines()  # any single-byte or UTF-8 file, losslessly
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("pers_ethnicity")] = '"' + HOSTILE + '"'
    row[header.index("pers_dob")] = HOSTILE_DOB
    lines[1] = ",".join(row)
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_publish_writes_every_output(published_warehouse):
    w = published_warehouse
    out = w.published
    assert (out / "csc_marts.duckdb").is_file()
    assert "kpi_values" in (out / "docs" / "index.html").read_text(encoding="utf-8")
    assert (out / "validation" / "index.html").is_file() and not (out / "data_docs").exists()

    with duckdb.connect(str(out / "csc_marts.duckdb"), read_only=True) as c:
        schemas = {
            r[0]
            for r in c.execute(
                "select distinct schema_name from duckdb_tables() where database_name = 'csc_marts'"
            ).fetchall()
        }
        tables = sorted(
            r[0]
            for r in c.execute("select table_name from duckdb_tables() where database_name = 'csc_marts'").fetchall()
        )
        views = c.execute(
            "select count(*) from duckdb_views() where database_name = 'csc_marts' and not internal"
        ).fetchall()[0][0]
        comment = c.execute("select comment from duckdb_tables() where table_name = 'kpi_values'").fetchall()[0][0]
        column_comment = c.execute(
            "select comment from duckdb_columns() where table_name = 'dim_child' and column_name = 'birth_month'"
        ).fetchall()[0][0]
        types = dict(
            c.execute("select column_name, data_type from duckdb_columns() where table_name = 'kpi_values'").fetchall()
        )
    with duckdb.connect(str(w.build_db), read_only=True) as c:
        built = sorted(
            r[0]
            for r in c.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        )
        spans = c.execute("select la_code, reporting_date from intermediate.int_extract_spans").fetchall()
    assert schemas == {"marts"} and views == 0
    assert tables == built
    assert {"kpi_values", "kpi_scorecard", "dim_child", "dim_la", "dim_date", "fct_referrals"} <= set(tables)
    assert comment and "KPI" in comment and column_comment
    assert types["value"] == "DOUBLE" and types["period_end"] == "DATE" and types["numerator"] == "BIGINT"
    assert sorted(p.stem for p in (out / "parquet").glob("*.parquet")) == tables

    m = json.loads((out / "manifest.json").read_text())
    assert m["synthetic_data"] is True
    assert m["suppression"]["applied"] is False
    assert m["reporting_dates"] == {
        la: {"extract_start_date": m["reporting_dates"][la]["extract_start_date"], "reporting_date": d.isoformat()}
        for la, d in spans
    }
    assert m["reporting_date"] == max(d for _, d in spans).isoformat()
    assert m["built_at"] and m["published_at"].endswith("+00:00")
    files = {f["file"]: f for f in m["extract"]["files"]}
    person = files["la_code=878/ssd_person.csv"]
    assert person["sha256"] == hashlib.sha256((w.landing / "la_code=878" / "ssd_person.csv").read_bytes()).hexdigest()
    assert person["rows"] > 100
    assert m["validation"]["fatal"] is False and m["validation"]["of_published_extract"] is True
    assert m["build"]["status"] == "passed" and m["build"]["validation_id"] == m["validation"]["validation_id"]
    assert m["dbt"]["command"] == "build" and m["dbt"]["failed"] == []
    assert m["dbt"]["by_type"]["tests"].get("pass", 0) > 50
    assert m["versions"]["duckdb"] == duckdb.__version__ and m["versions"]["dbt_core"]
    assert {t["name"]: t["rows"] for t in m["tables"]}["kpi_values"] > 0
    assert [t["name"] for t in m["tables"]] == tables
    # dbt's exposures name their marts one by one: the Power BI dataset's must be exactly what
    # was published, and the report's must be published marts
    exposures = {
        e["name"]: e for e in yaml.safe_load((REPO_ROOT / "models/marts/_exposures.yml").read_text())["exposures"]
    }
    refs = {
        name: {re.fullmatch(r"ref\('(\w+)'\)", d).group(1) for d in e["depends_on"]} for name, e in exposures.items()
    }
    assert refs["power_bi_dataset"] == set(tables)
    assert refs["quarterly_performance_report"] <= set(tables)
    assert m["pseudonymisation"] == {"key_source": "CSC_PSEUDONYM_KEY"}
    assert not list(out.parent.glob("published.*-*")), "no staging folder left behind"


@pytest.mark.slow
def test_published_parquet_is_zstd_and_reads_back_in_pyarrow(published_warehouse):
    """Every Parquet file is Zstandard throughout (outputs.PARQUET_OPTIONS) and an independent
    reader, pyarrow, gets back exactly the rows of the published DuckDB table."""
    import pyarrow.parquet as pq

    out = published_warehouse.published
    files = sorted((out / "parquet").glob("*.parquet"))
    assert files
    with duckdb.connect(str(out / "csc_marts.duckdb"), read_only=True) as c:
        for path in files:
            meta = pq.ParquetFile(path).metadata
            codecs = {
                meta.row_group(g).column(k).compression
                for g in range(meta.num_row_groups)
                for k in range(meta.num_columns)
            }
            assert codecs <= {"ZSTD"}, (path.name, codecs)
            expected = c.execute(f'select * from marts."{path.stem}"').fetchall()
            assert [tuple(r.values()) for r in pq.read_table(path).to_pylist()] == expected, path.name


def _damage_required_column(landing: Path) -> None:
    """The referral date column renamed: a required column missing (fatal)."""
    path = landing / "la_code=878" / "ssd_cin_episodes.csv"
    data = path.read_bytes()
    assert b"cine_referral_date" in data.split(b"\n")[0]
    path.write_bytes(data.replace(b"cine_referral_date", b"cine_referral_when", 1))


def _duplicate_primary_key(landing: Path) -> None:
    path = landing / "la_code=878" / "ssd_person.csv"
    data = path.read_bytes()
    second_line = data.split(b"\n")[1]
    path.write_bytes(data.rstrip(b"\n") + b"\n" + second_line + b"\n")


@pytest.mark.slow
@pytest.mark.parametrize("damage", [_damage_required_column, _duplicate_primary_key])
def test_fatal_validation_leaves_published_outputs_unchanged(published_warehouse, tmp_path, monkeypatch, damage):
    w = published_warehouse
    before = checksums(w.published)
    bad = tmp_path / "landing"
    shutil.copytree(w.landing, bad)
    damage(bad)
    # Its own dbt target: the shared warehouse's target/ stays the good build's.
    w.apply(
        monkeypatch,
        CSC_LANDING_DIR=str(bad),
        DBT_TARGET_PATH=str(tmp_path / "target"),
        CSC_DUCKDB_PATH=str(tmp_path / "never-built.duckdb"),
    )
    result = pub.publish()
    assert not result and result.stage == "validate"
    assert checksums(w.published) == before
    assert not (tmp_path / "never-built.duckdb").exists()
    assert not list(w.published.parent.glob("published.*-*"))


@pytest.mark.slow
def test_failed_build_audit_or_privacy_scan_publishes_nothing(published_warehouse, tmp_path, monkeypatch):
    w = published_warehouse
    before = checksums(w.published)

    # A build whose record says an error-severity test failed (on a copy of the build file).
    failed = tmp_path / "failed.duckdb"
    shutil.copyfile(w.build_db, failed)
    record = build_record.read(failed)
    record.status, record.reason = build_record.FAILED, "dbt build failed (a model or an error-severity test)"
    build_record.write(failed, record)
    w.apply(monkeypatch, CSC_DUCKDB_PATH=str(failed))
    result = pub.publish(skip_build=True)
    assert not result and result.stage == "audit" and "failed" in result.message
    assert checksums(w.published) == before

    # A privacy finding in the assembled outputs.
    w.apply(monkeypatch)
    finding = privacy.PrivacyFinding("duckdb", "marts.dim_child", "pers_dob", "forbidden column name")
    monkeypatch.setattr(privacy, "scan_published", lambda *a, **k: [finding])
    result = pub.publish(skip_build=True)
    assert not result and result.stage == "privacy" and "marts.dim_child.pers_dob" in result.message
    assert checksums(w.published) == before
    assert not list(w.published.parent.glob("published.*-*"))


@pytest.mark.slow
def test_readers_keep_reading_during_a_suppressed_publish(published_warehouse, tmp_path, monkeypatch):
    """An analyst's read-only connection survives a publish that replaces the file; a new
    connection sees the new file. (On a copy of the publication, replaced by the suppressed,
    aggregate-only variant so that old and new differ.)"""
    w = published_warehouse
    w.apply(monkeypatch)
    published = tmp_path / "published"
    shutil.copytree(w.published, published)
    path = published / "csc_marts.duckdb"
    inode = path.stat().st_ino
    reader = duckdb.connect(str(path), read_only=True)
    try:
        before = reader.execute("select count(*), sum(numerator) from marts.kpi_values").fetchall()
        referrals = reader.execute("select count(*) from marts.fct_referrals").fetchall()
        result = pub.publish(suppress=True, skip_build=True, published_dir=published)
        assert result, result.message
        assert path.stat().st_ino != inode
        # Still the old file: same figures, and a table the new publication does not have.
        assert reader.execute("select count(*), sum(numerator) from marts.kpi_values").fetchall() == before
        assert reader.execute("select count(*) from marts.fct_referrals").fetchall() == referrals
    finally:
        reader.close()
    with duckdb.connect(str(path), read_only=True) as fresh:
        assert (
            fresh.execute("select count(*) from duckdb_tables() where table_name = 'fct_referrals'").fetchall()[0][0]
            == 0
        )
        assert fresh.execute("select count(*) from marts.kpi_values where value_display = 'c'").fetchall()[0][0] > 0
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["published"]
    _check_suppressed(w, published)


def _check_suppressed(w: Warehouse, out: Path) -> None:
    """The external publication: aggregates only, no count of 1-5 left anywhere in kpi tables."""
    with duckdb.connect(str(out / "csc_marts.duckdb"), read_only=True) as c:
        tables = {r[0] for r in c.execute("select table_name from duckdb_tables()").fetchall()}
        small = c.execute(
            "select count(*) from marts.kpi_values where numerator between 1 and 5 "
            "or (unit = 'percent' and denominator between 1 and 5)"
        ).fetchall()[0][0]
        dq_small = c.execute(
            "select count(*) from marts.dq_summary where issue_count between 1 and 5 or rows_affected between 1 and 5"
        ).fetchall()[0][0]
        counted_caveats = c.execute(
            "select count(*) from marts.kpi_values where regexp_matches(caveat, '[0-9]+ rows? quarantined')"
        ).fetchall()[0][0]
        marked = c.execute("select count(*) from marts.kpi_values where value_display = 'c'").fetchall()[0][0]
        leaks = c.execute(
            "select count(*) from marts.kpi_values where value_display = 'c' and value is not null"
        ).fetchall()[0][0]
        shown = c.execute(
            "select count(*) from marts.kpi_scorecard where numerator_display not in ('c') "
            "and numerator between 1 and 5"
        ).fetchall()[0][0]
    with duckdb.connect(str(w.build_db), read_only=True) as c:
        expected = c.execute(
            "select count(*) from marts.kpi_values where numerator between 1 and 5 "
            "or (unit = 'percent' and denominator between 1 and 5)"
        ).fetchall()[0][0]
    # The same columns as the internal publication (a Power BI model built on one works on the other).
    for t in ("kpi_values", "kpi_scorecard", "dq_summary"):
        with duckdb.connect(str(out / "csc_marts.duckdb"), read_only=True) as c:
            external = c.execute(f"describe marts.{t}").fetchall()
        with duckdb.connect(str(w.published / "csc_marts.duckdb"), read_only=True) as c:
            internal = c.execute(f"describe marts.{t}").fetchall()
        assert [r[:2] for r in external] == [r[:2] for r in internal], t
        assert {"value_display", "numerator_display"} <= {r[0] for r in internal} or t == "dq_summary"
    assert tables <= set(pub.AGGREGATE_MARTS) and {"kpi_values", "kpi_scorecard", "dim_la", "dim_date"} <= tables
    assert not any(t.startswith("fct_") for t in tables) and "dim_child" not in tables
    assert small == 0 and shown == 0 and leaks == 0 and dq_small == 0 and counted_caveats == 0
    assert marked > expected > 0  # primary and complementary
    assert sorted(p.stem for p in (out / "parquet").glob("*.parquet")) == sorted(tables)
    assert not (out / "data_docs").exists()
    m = json.loads((out / "manifest.json").read_text())
    assert m["suppression"]["applied"] is True and "aggregate marts only" in m["suppression"]["scope"]
