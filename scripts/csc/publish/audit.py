"""Audit: is the build file a complete, passed build of exactly the validated landing files?

`verify_build()` is the one gate before anything is assembled (with or without --skip-build).
It reads the build file's own record (csc.build_record) and the dbt artifacts kept for that
build id, never a shared target/ folder, and refuses, with one line, unless:

* the build file has a record and its status is ``passed`` (a killed build leaves
  ``started``; a failed or partial one says so; a bare dbt run afterwards ``superseded``);
* the build's own run_results.json and manifest.json are there with the recorded sha256, the
  run was a complete `dbt build` and no node failed, and every model the manifest has was run;
* the landing folder now holds exactly the files the build read (path, size, sha256);
* the validation summary describes those files, passed, and is the one the build recorded
  (validation id); a missing or corrupt summary is a refusal;
* every model of schema marts in the build's manifest exists in the build file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .. import build_record as rec
from .. import duckdb_settings, sqlquote
from .errors import PublishError

MARTS = "marts"
PUBLICATION = "publication"  # what publish copies for kpi_values, kpi_scorecard, dq_summary
FAILED_STATUSES = ("error", "fail", "runtime error", "skipped")


@dataclass
class CheckedBuild:
    record: rec.BuildRecord
    tests: dict  # dbt_test_summary() of the build's run
    validation: dict  # the validation summary that describes the landing files
    manifest: dict  # the build's dbt manifest (model descriptions)
    marts: list[str]  # models of schema marts, all present in the build file


def read_json(path: Path) -> dict | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def dbt_test_summary(run_results: dict) -> dict:
    """Counts by status for models, seeds and tests of one dbt run (run_results.json)."""
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


def audit_run(run_results: dict | None, where: Path) -> dict:
    """The run must be a complete `dbt build` with nothing failed; its summary."""
    if run_results is None:
        raise PublishError("audit", f"no dbt run results in {where}: build again")
    summary = dbt_test_summary(run_results)
    if summary["command"] != "build":
        raise PublishError(
            "audit",
            f"the dbt run in {where} was `dbt {summary['command']}`, not `dbt build`: build again before publishing",
        )
    if summary["select"]:
        raise PublishError("audit", f"the dbt build in {where} was partial (--select): build again")
    if summary["failed"]:
        raise PublishError(
            "audit",
            f"the dbt build had {len(summary['failed'])} failed node(s), "
            f"e.g. {summary['failed'][0]}: nothing published",
        )
    return summary


# Kept for callers of the format-1 API (a target folder holding run_results.json).
def audit_build(target: Path) -> dict:
    return audit_run(read_json(Path(target) / "run_results.json"), Path(target))


def mart_models(manifest: dict, schema: str = MARTS) -> list[str]:
    """Every model the build's manifest puts in `schema` (what the build must hold)."""
    return sorted(
        node.get("alias") or node["name"]
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") == "model"
        and node.get("schema") == schema
        and (node.get("config") or {}).get("materialized") != "ephemeral"
        and (node.get("config") or {}).get("enabled", True)
    )


def tables_in(build_db: Path, schema: str) -> set[str]:
    con = duckdb_settings.connect()
    try:
        con.execute(f"attach {sqlquote.literal(build_db)} as build (read_only)")
        return {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_catalog = 'build' and table_schema = ?",
                [schema],
            ).fetchall()
        }
    finally:
        con.close()


def verify_build(build_db: Path, landing: Path, target: Path) -> CheckedBuild:
    """The gate described in the module docstring; PublishError with one line when refused."""
    record = rec.read(build_db)
    if record is None:
        raise PublishError(
            "audit",
            f"{build_db} holds no build record: build it with `csc build` (a bare `dbt build` is not publishable)",
        )
    name = f"build {record.build_id}"
    if record.status != rec.PASSED:
        raise PublishError(
            "audit",
            f"{name} in {build_db} is not publishable: {record.status}"
            + (f" ({record.reason})" if record.reason else "")
            + ": build again",
        )

    own = Path(record.artifacts_dir or "")
    for artifact in rec.ARTIFACTS:
        path = own / artifact
        if not path.is_file() or rec.sha256_of(path) != record.artifacts_sha256.get(artifact):
            raise PublishError("audit", f"{name}'s dbt artifact {path} is missing or changed: build again")
    tests = audit_run(read_json(own / "run_results.json"), own)
    manifest = read_json(own / "manifest.json") or {}
    ran = {r["unique_id"] for r in (read_json(own / "run_results.json") or {}).get("results", [])}
    not_run = sorted(
        uid
        for uid, node in manifest.get("nodes", {}).items()
        if node.get("resource_type") == "model"
        and uid not in ran
        and (node.get("config") or {}).get("enabled", True)
        and (node.get("config") or {}).get("materialized") != "ephemeral"
    )
    if not_run:
        raise PublishError("audit", f"{name} did not run {len(not_run)} model(s), e.g. {not_run[0]}: build again")

    try:
        same_landing = Path(record.landing).resolve() == Path(landing).resolve()
    except OSError:
        same_landing = False
    if not same_landing:
        raise PublishError("audit", f"{name} is of the extract in {record.landing}, not {landing}: build again")
    files = rec.landing_manifest(landing)
    if rec.manifest_hash(files) != record.landing_hash:
        raise PublishError(
            "audit", f"the landing files changed after {name} (added, removed or edited): validate and build again"
        )

    if record.validation_id is None:
        raise PublishError(
            "validate",
            f"{name} was made without a validation of its extract "
            f"({record.validation_problem}): validate and build again",
        )
    try:
        validation = rec.verify_validation(landing, target, files)
    except rec.ValidationMismatch as exc:
        raise PublishError("validate", f"{exc}: nothing published") from None
    if validation.get("validation_id") != record.validation_id:
        raise PublishError(
            "validate",
            f"the validation summary in {target} (id "
            f"{validation.get('validation_id')}) is not the one {name} was made after "
            f"({record.validation_id}): validate and build again",
        )

    marts = mart_models(manifest)
    missing = sorted(set(marts) - tables_in(build_db, MARTS))
    missing += sorted(set(mart_models(manifest, PUBLICATION)) - tables_in(build_db, PUBLICATION))
    if not marts or missing:
        raise PublishError(
            "audit",
            f"{name} lacks {len(missing) or 'all'} expected mart(s)"
            + (f", e.g. {missing[0]}" if missing else "")
            + ": build again",
        )
    return CheckedBuild(record=record, tests=tests, validation=validation, manifest=manifest, marts=marts)
