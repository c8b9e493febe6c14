"""Write-audit-publish: what analysts and Power BI read is only ever a checked, complete build.

    csc publish [--suppress] [--skip-build]

1. Write   validate the landing folder (csc.validate, Great Expectations; fatal problems stop
           here), then `dbt build` into the working DuckDB file (CSC_DUCKDB_PATH). A failed model
           or error-severity test stops here; warn-severity tests are reported, not fatal.
           --skip-build uses the build already made (csc demo does this) after checking
           target/run_results.json is a successful `dbt build` and the validation summary has
           no fatal problem.
2. Audit   every published table is assembled in a new folder beside the published one
           (`<published>.tmp-<pid>`) and scanned by csc.privacy (forbidden column names, raw
           person ids, postcodes, NHS numbers, exact dates of birth). Any finding stops here.
3. Publish the new folder replaces the published one in one step (Linux: renameat2
           RENAME_EXCHANGE, an atomic swap; elsewhere two renames microseconds apart), then the
           old folder is deleted. A failed validation, build, test or scan writes nothing to
           `<published>`: the previous outputs stay byte for byte as they were.

The published folder (default warehouse/published, CSC_PUBLISH_DIR):

    csc_marts.duckdb        schema `marts` only (facts, dimensions, KPI and data-quality tables),
                            with the dbt descriptions as DuckDB table and column comments
    parquet/<table>.parquet one file per published table (Power BI: Get Data > Parquet/Folder)
    manifest.json           build and reporting dates, extract files with row counts and
                            sha256, validation and dbt test summaries, versions, tables with row
                            counts, suppression, synthetic_data (never the pseudonymisation key)
    docs/index.html         the dbt docs site as one static file
    data_docs/              Great Expectations Data Docs of the published extract (internal
                            publications only: they can quote raw values that failed a check)

Readers never see a half-written file: the build never writes to the published folder, and a
reader holding the old csc_marts.duckdb open (Power BI, `duckdb -readonly`) keeps reading the
old file's inode after the swap until it reconnects (POSIX semantics; on Windows close readers
before publishing, as Windows will not rename a folder holding an open file).

--suppress publishes for outside the council: only the aggregate marts (kpi_values,
kpi_scorecard, dq_summary, dim_la, dim_date; no row-level facts, no dim_child, no Data Docs),
with small-number suppression (csc.privacy: counts 1-5 and figures built on them become 'c').
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import duckdb

from . import paths, privacy
from . import landing as reader

PUBLISHED_DUCKDB = "csc_marts.duckdb"
MANIFEST = "manifest.json"
MARTS = "marts"
# What --suppress publishes: aggregates and reference dimensions, never row-level data.
AGGREGATE_MARTS = ("kpi_values", "kpi_scorecard", "dim_kpi", "dq_summary", "dim_la", "dim_date")
FAILED_STATUSES = ("error", "fail", "runtime error", "skipped")


class PublishError(Exception):
    def __init__(self, stage: str, message: str):
        self.stage = stage
        super().__init__(message)


@dataclass
class PublishResult:
    ok: bool
    stage: str                     # where it stopped: validate, build, audit, privacy, ... or published
    message: str
    published: Path | None = None
    manifest: dict | None = None
    seconds: float = 0.0
    findings: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.ok


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------

_STARTED = [time.perf_counter()]


def progress(message: str) -> None:
    """One line on stderr, with the seconds since the publish started."""
    print(f"csc publish [{time.perf_counter() - _STARTED[0]:6.1f}s] {message}", file=sys.stderr, flush=True)


def target_dir() -> Path:
    """dbt's target folder: DBT_TARGET_PATH when set (relative to the project), else target/."""
    override = os.environ.get("DBT_TARGET_PATH")
    if override:
        p = Path(override)
        return p if p.is_absolute() else paths.REPO_ROOT / p
    return paths.target_dir()


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _sql_str(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _publish_lock(published: Path) -> Iterator[None]:
    """One publish at a time per published folder (the lock file sits beside the folder)."""
    published.parent.mkdir(parents=True, exist_ok=True)
    lock_path = published.parent / f".{published.name}.lock"
    with open(lock_path, "w") as handle:
        try:
            import fcntl
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - Windows: no advisory lock
            pass
        except OSError:
            raise PublishError("lock", f"another publish to {published} is running") from None
        yield


def _remove_stale(published: Path) -> None:
    """Folders left by a publish that was killed half-way (its process is gone)."""
    for stale in published.parent.glob(f"{published.name}.*-*"):
        kind, _, pid = stale.name[len(published.name) + 1:].partition("-")
        if kind in ("tmp", "old") and pid.isdigit() and stale.is_dir() and not _pid_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Write: validate and build
# --------------------------------------------------------------------------------------------

def _validate(landing: Path, target: Path) -> dict:
    progress(f"validating the extract in {landing} (Great Expectations)")
    from .validate import validate_landing

    result = validate_landing(landing, out_dir=target)
    if result.fatal:
        raise PublishError("validate", "validation found fatal problems in the extract (see above and "
                           f"{target / 'validation_summary.json'}): nothing published")
    return _read_json(target / "validation_summary.json") or {}


def _build() -> None:
    from .build import dbt_build

    progress(f"dbt build into {paths.duckdb_path()}")
    if not dbt_build():  # dbt_build releases dbt-duckdb's handle on the build file
        raise PublishError("build", "dbt build failed (a model or an error-severity test): nothing published")


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def dbt_test_summary(run_results: dict) -> dict:
    """Counts by status for models, seeds and tests of one dbt run (target/run_results.json)."""
    kinds: dict[str, dict[str, int]] = {}
    warned, failed = [], []
    for r in run_results.get("results", []):
        kind = r["unique_id"].split(".", 1)[0]
        kind = "tests" if kind in ("test", "unit_test") else kind + "s"
        kinds.setdefault(kind, {})
        kinds[kind][r["status"]] = kinds[kind].get(r["status"], 0) + 1
        if r["status"] == "warn":
            warned.append(r["unique_id"])
        elif r["status"] in FAILED_STATUSES:
            failed.append(r["unique_id"])
    meta = run_results.get("metadata", {})
    args = run_results.get("args", {})
    return {
        "command": args.get("which"),
        "select": args.get("select") or None,
        "generated_at": meta.get("generated_at"),
        "elapsed_seconds": round(run_results.get("elapsed_time", 0.0), 1),
        "by_type": {k: dict(sorted(v.items())) for k, v in sorted(kinds.items())},
        "warned": sorted(warned),
        "failed": sorted(failed),
    }


def audit_build(target: Path) -> dict:
    """The last dbt run must be a `dbt build` with nothing failed; its summary."""
    run_results = _read_json(target / "run_results.json")
    if run_results is None:
        raise PublishError("audit", f"no dbt run results in {target}: run `csc build` first "
                           "(or publish without --skip-build)")
    summary = dbt_test_summary(run_results)
    if summary["command"] != "build":
        raise PublishError("audit", f"the last dbt command in {target} was `dbt {summary['command']}`, "
                           "not `dbt build`: build again before publishing")
    if summary["failed"]:
        raise PublishError("audit", f"the last dbt build had {len(summary['failed'])} failed node(s), "
                           f"e.g. {summary['failed'][0]}: nothing published")
    return summary


def _validation_digest(summary: dict | None, landing: Path) -> dict | None:
    """Counts only: the full summary quotes raw values as examples, which are not published."""
    if not summary:
        return None
    same = False
    with contextlib.suppress(OSError, TypeError):
        same = Path(summary.get("landing", "")).resolve() == landing.resolve()
    return {
        "fatal": summary.get("fatal"),
        "reporting_date": summary.get("reporting_date"),
        "reporting_date_source": summary.get("reporting_date_source"),
        "totals": summary.get("totals"),
        "of_published_extract": same,
        "files": [{k: f.get(k) for k in ("la_code", "table", "rows", "fatal", "warnings", "checks_run")}
                  for f in summary.get("files", [])],
    }


# --------------------------------------------------------------------------------------------
# Read the build file
# --------------------------------------------------------------------------------------------

def _build_facts(build_db: Path, landing: Path) -> dict[str, Any]:
    """Tables of schema marts, reporting dates, and rows loaded per landing file."""
    con = duckdb.connect()
    try:
        con.execute(f"attach {_sql_str(build_db)} as build (read_only)")
        marts = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'build' "
            "and table_schema = ? order by table_name", [MARTS]).fetchall()]
        spans = {}
        if con.execute("select count(*) from information_schema.tables where table_catalog = 'build' "
                       "and table_schema = 'intermediate' and table_name = 'int_extract_spans'").fetchall()[0][0]:
            spans = {r[0]: {"extract_start_date": r[1].isoformat() if r[1] else None,
                            "reporting_date": r[2].isoformat() if r[2] else None}
                     for r in con.execute("select la_code, extract_start_date, reporting_date "
                                          "from build.intermediate.int_extract_spans order by la_code").fetchall()}
        raw = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'build' "
            "and table_schema = 'raw'").fetchall()}
        loaded: dict[tuple[str, str], int] = {}
        for table in sorted(t for t in raw if t.startswith("ssd_")):
            for la, src, n in con.execute(
                    f"select la_code, _source_file, count(*) from build.raw.{_ident(table)} group by 1, 2").fetchall():
                loaded[(la, src)] = n
        inventory = []
        if "landing_files" in raw:
            inventory = con.execute("select la_code, path, size_bytes from build.raw.landing_files "
                                    "where path <> ''").fetchall()
    finally:
        con.close()
    return {"marts": marts, "spans": spans, "loaded": loaded, "inventory": inventory}


def _extract_files(landing: Path, facts: dict) -> list[dict]:
    """Every landing file with its rows as loaded by the build and its sha256 now; the build
    must have seen the same files (same names and sizes), or the manifest would describe an
    extract that was not the one built."""
    now = {(la, p.name): p for files in reader.discover(landing).values() for la, p in files}
    built = {(la, Path(path).name): size for la, path, size in facts["inventory"]}
    if facts["inventory"]:
        changed = sorted({f"la_code={la}/{name}" for (la, name) in set(now) ^ set(built)} | {
            f"la_code={la}/{name}" for (la, name), p in now.items()
            if (la, name) in built and p.stat().st_size != built[(la, name)]})
        if changed:
            raise PublishError("audit", "the landing folder changed after the build ("
                               + ", ".join(changed[:5]) + "): build again before publishing")
    return [{"file": f"la_code={la}/{name}", "la_code": la, "table": p.stem.lower(),
             "bytes": p.stat().st_size, "rows": facts["loaded"].get((la, name)),
             "sha256": sha256_of(p)} for (la, name), p in sorted(now.items())]


def _model_docs(target: Path) -> dict[str, dict]:
    """{table: {"description": ..., "columns": {name: description}}} for models in schema marts."""
    manifest = _read_json(target / "manifest.json") or {}
    docs = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model" or node.get("schema") != MARTS:
            continue
        docs[node.get("alias") or node["name"]] = {
            "description": (node.get("description") or "").strip(),
            "columns": {c: (spec.get("description") or "").strip()
                        for c, spec in (node.get("columns") or {}).items()},
        }
    return docs


# --------------------------------------------------------------------------------------------
# Assemble the new publication
# --------------------------------------------------------------------------------------------

def _copy_marts(build_db: Path, out_db: Path, tables: list[str], docs: dict[str, dict],
                suppress: bool) -> list[dict]:
    """Copy schema marts into a new DuckDB file (suppressed when asked), with comments."""
    con = duckdb.connect(str(out_db))
    published = []
    try:
        con.execute(f"attach {_sql_str(build_db)} as build (read_only)")
        con.execute(f"create schema {MARTS}")
        if suppress:
            privacy.install_suppression(con)
        for table in tables:
            source = f"build.{MARTS}.{_ident(table)}"
            select = f"select * from {source}"
            if suppress and table == "kpi_values":
                select = privacy.suppressed_kpi_values_sql(source)
            elif suppress and table == "kpi_scorecard":
                select = privacy.suppressed_kpi_scorecard_sql(source, f"build.{MARTS}.kpi_values")
            con.execute(f"create table {MARTS}.{_ident(table)} as {select}")
            _comment(con, table, docs.get(table, {}), suppress)
            rows = con.execute(f"select count(*) from {MARTS}.{_ident(table)}").fetchall()[0][0]
            columns = [r[0] for r in con.execute(f"describe {MARTS}.{_ident(table)}").fetchall()]
            published.append({"name": table, "rows": rows, "columns": columns})
            progress(f"  {MARTS}.{table}: {rows:,} rows")
        con.execute("detach build")
        con.execute("checkpoint")
    finally:
        con.close()
    return published


def _comment(con: duckdb.DuckDBPyConnection, table: str, doc: dict, suppress: bool) -> None:
    description = doc.get("description", "")
    if suppress and table in ("kpi_values", "kpi_scorecard"):
        description += ("\n\nSmall numbers suppressed for publication: " + privacy.SUPPRESSION_RULE)
    if description:
        con.execute(f"comment on table {MARTS}.{_ident(table)} is {_sql_str(description)}")
    present = {r[0] for r in con.execute(f"describe {MARTS}.{_ident(table)}").fetchall()}
    comments = dict(doc.get("columns", {}))
    if suppress:
        comments.update(privacy.DISPLAY_COLUMN_COMMENTS)
    for column, text in comments.items():
        if column in present and text:
            con.execute(f"comment on column {MARTS}.{_ident(table)}.{_ident(column)} is {_sql_str(text)}")


def _export_parquet(db_file: Path, out_dir: Path, tables: list[dict]) -> None:
    out_dir.mkdir()
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        for t in tables:
            path = out_dir / f"{t['name']}.parquet"
            con.execute(f"copy {MARTS}.{_ident(t['name'])} to {_sql_str(path)} (format parquet)")
            t["parquet"] = f"parquet/{path.name}"
            t["parquet_sha256"] = sha256_of(path)
    finally:
        con.close()


def _docs_site(out_file: Path, target: Path) -> None:
    """`dbt docs generate --static` into a throw-away target folder; keep static_index.html.

    Not in target/ itself: that would replace the build's run_results.json, which a later
    `csc publish --skip-build` audits. The build's partial-parse file is copied in to save a
    full parse (dbt re-parses anyway if the project or its variables changed). The site
    documents every model; the catalog (column types) and compiled SQL are those of the
    published marts (`--select marts`: 3 s instead of 13 s on the demo)."""
    from .build import dbt_run

    progress("dbt docs generate --static")
    with tempfile.TemporaryDirectory(prefix="csc-docs-") as tmp:
        if (target / "partial_parse.msgpack").is_file():
            shutil.copyfile(target / "partial_parse.msgpack", Path(tmp) / "partial_parse.msgpack")
        ok = dbt_run("docs generate", "--static", "--target-path", tmp, "--select", MARTS)
        site = Path(tmp) / "static_index.html"
        if not ok or not site.exists():
            raise PublishError("docs", "dbt docs generate failed (see the dbt output above)")
        out_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site, out_file)


def _versions() -> dict[str, str | None]:
    from importlib import metadata

    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    commit = None
    with contextlib.suppress(Exception):
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.REPO_ROOT, capture_output=True,
                                text=True, timeout=10).stdout.strip() or None
    return {"dbt_core": version("dbt-core"), "dbt_duckdb": version("dbt-duckdb"),
            "duckdb": duckdb.__version__, "great_expectations": version("great-expectations"),
            "python": platform.python_version(), "csc_warehouse": version("csc-warehouse"),
            "project_commit": commit}


# --------------------------------------------------------------------------------------------
# Publish: the swap
# --------------------------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(a))


def swap_into_place(new: Path, published: Path) -> None:
    """Make `new` the published folder. Readers see the old folder or the new one, never a mix."""
    if not published.exists():
        os.rename(new, published)
        return
    if _exchange(new, published):
        shutil.rmtree(new)  # `new` now holds the previous publication
        return
    old = published.with_name(f"{published.name}.old-{os.getpid()}")
    os.rename(published, old)
    os.rename(new, published)  # the only window with no published folder: between these two
    shutil.rmtree(old)


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------

def publish(suppress: bool = False, skip_build: bool = False, published_dir: Path | None = None) -> PublishResult:
    """Validate, build and test, assemble, scan, then swap the new outputs into place.

    Returns a PublishResult (truthy when published). Nothing is written to the published folder
    unless every step passed.
    """
    started = _STARTED[0] = time.perf_counter()
    landing = paths.landing_dir()
    build_db = paths.duckdb_path()
    published = Path(published_dir or paths.published_dir())
    target = target_dir()
    staging = published.with_name(f"{published.name}.tmp-{os.getpid()}")
    try:
        with _publish_lock(published):
            _remove_stale(published)
            if skip_build:
                validation = _read_json(target / "validation_summary.json")
                if validation and validation.get("fatal"):
                    raise PublishError("validate", "the last validation found fatal problems: nothing published")
                if validation is None:
                    progress(f"warning: no validation summary in {target} (run csc validate first)")
            else:
                validation = _validate(landing, target)
                _build()
            tests = audit_build(target)
            if not build_db.exists():
                raise PublishError("audit", f"no build file at {build_db}: run `csc build` first")
            manifest = _assemble(staging, landing, build_db, target, suppress, tests, validation)
            progress(f"swapping the new outputs into {published}")
            swap_into_place(staging, published)
    except PublishError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        progress(f"FAILED ({exc.stage}): {exc}")
        findings = getattr(exc, "findings", [])
        return PublishResult(False, exc.stage, str(exc), seconds=time.perf_counter() - started,
                             findings=findings)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    seconds = time.perf_counter() - started
    progress(f"published {len(manifest['tables'])} tables to {published} in {seconds:.1f} s")
    return PublishResult(True, "published", f"published to {published}", published=published,
                         manifest=manifest, seconds=seconds)


class _PrivacyFailure(PublishError):
    def __init__(self, findings: list):
        self.findings = findings
        super().__init__("privacy", "the privacy scan found personal data; nothing published:\n"
                         + "\n".join(f"  {f}" for f in findings))


def _assemble(staging: Path, landing: Path, build_db: Path, target: Path, suppress: bool,
              tests: dict, validation: dict | None) -> dict:
    """Everything of the new publication in `staging`; returns the manifest written there."""
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    facts = _build_facts(build_db, landing)
    extract = _extract_files(landing, facts)
    tables = facts["marts"]
    if suppress:
        tables = [t for t in AGGREGATE_MARTS if t in tables]
    if not tables:
        raise PublishError("audit", f"no tables in schema {MARTS} of {build_db}")

    progress(f"copying {len(tables)} tables of schema {MARTS} into {PUBLISHED_DUCKDB}"
             + (" (small numbers suppressed)" if suppress else ""))
    db_file = staging / PUBLISHED_DUCKDB
    published_tables = _copy_marts(build_db, db_file, tables, _model_docs(target), suppress)
    progress("writing Parquet files")
    _export_parquet(db_file, staging / "parquet", published_tables)

    progress("privacy scan of every published column")
    parquet_files = sorted((staging / "parquet").glob("*.parquet"))
    findings = privacy.scan_published(db_file, parquet_files, landing=landing, build_db=build_db)
    if findings:
        raise _PrivacyFailure(findings)

    _docs_site(staging / "docs" / "index.html", target)
    data_docs = target / "data_docs"
    copied_data_docs = False
    if data_docs.is_dir() and not suppress:
        progress("copying Great Expectations Data Docs")
        shutil.copytree(data_docs, staging / "data_docs")
        copied_data_docs = True

    key_from_env = bool(os.environ.get("CSC_PSEUDONYM_KEY"))
    manifest = {
        "published_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "built_at": tests.get("generated_at"),
        "reporting_date": max((s["reporting_date"] for s in facts["spans"].values()
                               if s["reporting_date"]), default=None),
        "reporting_dates": facts["spans"],
        "synthetic_data": (landing / paths.DEMO_MARKER).exists(),
        "extract": {"files": extract, "total_rows": sum(f["rows"] or 0 for f in extract)},
        "validation": _validation_digest(validation, landing),
        "dbt": tests,
        "versions": _versions(),
        "tables": published_tables,
        "suppression": {
            "applied": suppress,
            "rule": privacy.SUPPRESSION_RULE if suppress else None,
            "scope": ("external publication: aggregate marts only (" + ", ".join(AGGREGATE_MARTS)
                      + "); row-level facts, dim_child and Data Docs are not published")
            if suppress else "internal publication: all marts, no suppression",
        },
        "privacy_scan": {"passed": True, "checked_tables": len(published_tables),
                         "checked_parquet_files": len(parquet_files)},
        "pseudonymisation": {"key_source": "CSC_PSEUDONYM_KEY" if key_from_env
                             else "documented demo key (synthetic data only)"},
        "contents": {"duckdb": PUBLISHED_DUCKDB, "parquet": "parquet/", "docs": "docs/index.html",
                     "data_docs": "data_docs/" if copied_data_docs else None},
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
    return manifest
