"""`csc publish`: validate, build, audit, assemble, scan, swap (see csc.publish)."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from .. import paths, powerbi, privacy
from . import audit, outputs, pages, swap
from .errors import PublishError

MANIFEST = "manifest.json"
MARTS = outputs.MARTS
PUBLISHED_DUCKDB = outputs.PUBLISHED_DUCKDB
# What --suppress publishes: aggregates and reference dimensions, never row-level data.
AGGREGATE_MARTS = ("kpi_values", "kpi_scorecard", "dim_kpi", "dq_summary", "dim_la", "dim_date", "kpi_report_periods")
VALIDATION_PAGE = "validation/index.html"


@dataclass
class PublishResult:
    ok: bool
    stage: str  # where it stopped: validate, build, audit, privacy, ... or published
    message: str
    published: Path | None = None
    manifest: dict | None = None
    seconds: float = 0.0
    findings: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.ok


_STARTED = [time.perf_counter()]


def progress(message: str) -> None:
    """One line on stderr, with the seconds since the publish started."""
    print(f"csc publish [{time.perf_counter() - _STARTED[0]:6.1f}s] {message}", file=sys.stderr, flush=True)


def target_dir() -> Path:
    return paths.target_dir()


def _validate(landing: Path, target: Path) -> None:
    progress(f"validating the extract in {landing} (Great Expectations)")
    from ..validate import validate_landing

    result = validate_landing(landing, out_dir=target)
    if result.fatal:
        raise PublishError(
            "validate",
            "validation found fatal problems in the extract (see above and "
            f"{target / 'validation_summary.json'}): nothing published",
        )


def _build() -> None:
    from ..build import dbt_build

    progress(f"dbt build into {paths.duckdb_path()}")
    if not dbt_build():
        raise PublishError("build", "dbt build failed (a model or an error-severity test): nothing published")


def _validation_digest(summary: dict) -> dict:
    """Counts only: the full summary quotes raw values as examples, which are not published."""
    return {
        "validation_id": summary.get("validation_id"),
        "fatal": summary.get("fatal"),
        "reporting_date": summary.get("reporting_date"),
        "reporting_date_source": summary.get("reporting_date_source"),
        "totals": summary.get("totals"),
        "of_published_extract": True,  # the audit refuses any other
        "files": [
            {k: f.get(k) for k in ("la_code", "table", "rows", "fatal", "warnings", "checks_run")}
            for f in summary.get("files", [])
        ],
    }


def _versions() -> dict[str, str | None]:
    from importlib import metadata

    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    commit = None
    with contextlib.suppress(Exception):
        commit = (
            subprocess.run(
                ["git", "rev-parse", "HEAD"], cwd=paths.REPO_ROOT, capture_output=True, text=True, timeout=10
            ).stdout.strip()
            or None
        )
    return {
        "dbt_core": version("dbt-core"),
        "dbt_duckdb": version("dbt-duckdb"),
        "duckdb": duckdb.__version__,
        "great_expectations": version("great-expectations"),
        "python": platform.python_version(),
        "csc_warehouse": version("csc-warehouse"),
        "project_commit": commit,
    }


def publish(suppress: bool = False, skip_build: bool = False, published_dir: Path | None = None) -> PublishResult:
    """Validate, build and test, audit, assemble, scan, then swap the new outputs into place.

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
        _check_settings()
        with swap.publish_lock(published):
            swap.remove_stale(published)
            if not skip_build:
                _validate(landing, target)
                _build()
            progress(f"auditing the build in {build_db}")
            checked = audit.verify_build(build_db, landing, target)
            manifest = _assemble(staging, landing, build_db, target, suppress, checked)
            progress(f"swapping the new outputs into {published}")
            swap.swap_into_place(staging, published)
    except PublishError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        progress(f"FAILED ({exc.stage}): {exc}")
        findings = getattr(exc, "findings", [])
        return PublishResult(False, exc.stage, str(exc), seconds=time.perf_counter() - started, findings=findings)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    seconds = time.perf_counter() - started
    progress(f"published {len(manifest['tables'])} tables to {published} in {seconds:.1f} s")
    return PublishResult(
        True, "published", f"published to {published}", published=published, manifest=manifest, seconds=seconds
    )


def _check_settings() -> None:
    """A bad $CSC_DUCKDB_MEMORY_LIMIT stops here, in one line, before anything is written."""
    from .. import duckdb_settings

    try:
        duckdb_settings.memory_limit()
    except duckdb_settings.MemoryLimitError as exc:
        raise PublishError("settings", str(exc)) from None


class _PrivacyFailure(PublishError):
    def __init__(self, findings: list):
        self.findings = findings
        super().__init__(
            "privacy",
            "the privacy scan found personal data; nothing published:\n" + "\n".join(f"  {f}" for f in findings),
        )


# Tables published from dbt's publication schema (with *_display and *_suppressed columns in
# every publication; suppressed in the *_suppressed variants): table -> model.
FROM_PUBLICATION = {
    "kpi_values": "pub_kpi_values",
    "kpi_scorecard": "pub_kpi_scorecard",
    "dq_summary": "pub_dq_summary",
}


def _selects(tables: list[str], suppress: bool) -> dict[str, str]:
    selects = {}
    for table in tables:
        if table in FROM_PUBLICATION:
            model = FROM_PUBLICATION[table] + ("_suppressed" if suppress else "")
            selects[table] = f"select * from build.publication.{outputs.ident(model)}"
        else:
            selects[table] = f"select * from build.{MARTS}.{outputs.ident(table)}"
    return selects


def _assemble(
    staging: Path, landing: Path, build_db: Path, target: Path, suppress: bool, checked: audit.CheckedBuild
) -> dict:
    """Everything of the new publication in `staging`; returns the manifest written there."""
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    facts = outputs.build_facts(build_db)
    extract = outputs.extract_files(checked.record, facts["loaded"])
    tables = checked.marts
    if suppress:
        tables = [t for t in AGGREGATE_MARTS if t in tables]

    progress(
        f"copying {len(tables)} tables of schema {MARTS} into {PUBLISHED_DUCKDB}"
        + (" (small numbers suppressed)" if suppress else "")
    )
    db_file = staging / PUBLISHED_DUCKDB
    published_tables = outputs.copy_marts(
        build_db, db_file, _selects(tables, suppress), outputs.model_docs(checked.manifest), suppress, progress
    )
    progress("writing Parquet files")
    outputs.export_parquet(db_file, staging / "parquet", published_tables)

    progress("privacy scan of every published column")
    parquet_files = sorted((staging / "parquet").glob("*.parquet"))
    findings = privacy.scan_published(db_file, parquet_files, landing=landing, build_db=build_db)
    if findings:
        raise _PrivacyFailure(findings)

    powerbi.write_for_publication(staging, db_file, checked.manifest, progress)  # w14: powerbi/csc.pbip
    progress("writing the pages")
    synthetic = (landing / paths.DEMO_MARKER).exists()
    pages.data_dictionary(db_file, outputs.model_docs(checked.manifest), staging / "docs" / "index.html", synthetic)
    if not suppress:  # quotes raw values that failed a check: internal publications only
        pages.validation_page(checked.validation, staging / VALIDATION_PAGE, synthetic)
    pages.check_html(staging)

    record = checked.record
    key_from_env = bool(os.environ.get("CSC_PSEUDONYM_KEY"))
    manifest = {
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "built_at": record.finished_at,
        "build": {
            "build_id": record.build_id,
            "status": record.status,
            "started_at": record.started_at,
            "finished_at": record.finished_at,
            "landing_hash": record.landing_hash,
            "validation_id": record.validation_id,
            "dbt_version": record.dbt_version,
        },
        "reporting_date": max(
            (s["reporting_date"] for s in facts["spans"].values() if s["reporting_date"]), default=None
        ),
        "reporting_dates": facts["spans"],
        "synthetic_data": synthetic,
        "extract": {"files": extract, "total_rows": sum(f["rows"] or 0 for f in extract)},
        "validation": _validation_digest(checked.validation),
        "dbt": checked.tests,
        "versions": _versions(),
        "tables": published_tables,
        "suppression": {
            "applied": suppress,
            "rule": privacy.SUPPRESSION_RULE if suppress else None,
            "scope": (
                "external publication: aggregate marts only ("
                + ", ".join(AGGREGATE_MARTS)
                + "); row-level facts, dim_child and the validation page are not published"
            )
            if suppress
            else "internal publication: all marts, no suppression",
        },
        "privacy_scan": {
            "passed": True,
            "checked_tables": len(published_tables),
            "checked_parquet_files": len(parquet_files),
        },
        "pseudonymisation": {
            "key_source": "CSC_PSEUDONYM_KEY" if key_from_env else "documented demo key (synthetic data only)"
        },
        "contents": {
            "duckdb": PUBLISHED_DUCKDB,
            "parquet": "parquet/",
            "docs": "docs/index.html",
            "validation": None if suppress else VALIDATION_PAGE,
        },
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
    return manifest
