"""The build record: which build a DuckDB build file holds, and whether it finished and passed.

Every `csc build` (and the build step of `csc publish`) writes one row to ``main.csc_build`` in
the build file:

1. before dbt starts: status ``started``, a fresh build id, the landing folder's manifest hash
   (every landing file's path, size and sha256), the validation id of the summary that
   describes exactly those files (or null), and the dbt version;
2. after dbt finished: in one transaction, the row is replaced by the final one: status
   ``passed`` (a complete `dbt build`, every node succeeded, the landing unchanged throughout)
   or ``failed``/``partial`` with the reason, plus the sha256 of the build's own dbt artifacts.

A build killed midway leaves ``started``; a bare `dbt run`/`dbt build` afterwards marks a
finished record ``superseded`` (the on-run-start hook `csc_build_superseded`), because the
file then holds tables the record does not describe. Only ``passed`` is publishable.

Each build's dbt artifacts (run_results.json, manifest.json) are kept beside the build file,
in ``<build file>.builds/<build id>/``, never in a target/ folder the next build overwrites.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from . import duckdb_settings, sqlquote

TABLE = "main.csc_build"
ARTIFACTS = ("run_results.json", "manifest.json")
PASSED, STARTED, FAILED, PARTIAL = "passed", "started", "failed", "partial"

COLUMNS = {
    "build_id": "varchar",
    "status": "varchar",
    "reason": "varchar",
    "started_at": "varchar",
    "finished_at": "varchar",
    "landing": "varchar",
    "landing_hash": "varchar",
    "landing_files": "varchar",  # JSON: [{"path", "size_bytes", "sha256"}]
    "validation_id": "varchar",
    "validation_problem": "varchar",  # why there is no validation id
    "dbt_version": "varchar",
    "selection": "varchar",
    "artifacts_dir": "varchar",
    "artifacts_sha256": "varchar",  # JSON: {file: sha256}
    "seeds_hash": "varchar",  # the seed files this build's seed tables hold (seeds_hash())
}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def landing_manifest(landing: Path) -> list[dict]:
    """Every file the landing reader reads, sorted: {"path": "la_code=NNN/x.csv", size, sha256}."""
    from . import landing as reader

    files = [(f"la_code={la}/{p.name}", p) for found in reader.discover(landing).values() for la, p in found]
    return [{"path": rel, "size_bytes": p.stat().st_size, "sha256": sha256_of(p)} for rel, p in sorted(files)]


# The manifest `csc build` made of its landing folder just before it ran dbt in this process,
# by resolved folder. The plugin's reporting dates (csc.reporting_date) check the validation
# summary against it instead of hashing the whole extract a second time inside dbt (the
# build hashes the files again when dbt has finished and fails if any changed meanwhile).
_BUILD_MANIFESTS: dict[str, list[dict]] = {}


@contextlib.contextmanager
def build_manifest(landing: Path, files: list[dict]) -> Iterator[None]:
    """Within: manifest_of_running_build(landing) is `files`."""
    key = str(Path(landing).resolve())
    _BUILD_MANIFESTS[key] = files
    try:
        yield
    finally:
        _BUILD_MANIFESTS.pop(key, None)


def manifest_of_running_build(landing: Path) -> list[dict] | None:
    """The manifest the build running in this process made of `landing`, or None."""
    return _BUILD_MANIFESTS.get(str(Path(landing).resolve()))


def manifest_hash(files: list[dict]) -> str:
    text = json.dumps([[f["path"], f["size_bytes"], f["sha256"]] for f in files], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def artifacts_dir(build_db: Path, build_id: str) -> Path:
    return build_db.with_name(build_db.name + ".builds") / build_id


@dataclass
class BuildRecord:
    build_id: str
    status: str
    reason: str | None
    started_at: str
    finished_at: str | None
    landing: str
    landing_hash: str
    landing_files: list[dict]
    validation_id: str | None
    validation_problem: str | None
    dbt_version: str | None
    selection: str | None
    artifacts_dir: str | None
    artifacts_sha256: dict[str, str]
    seeds_hash: str | None = None

    def row(self) -> list:
        values = {
            **self.__dict__,
            "landing_files": json.dumps(self.landing_files),
            "artifacts_sha256": json.dumps(self.artifacts_sha256),
        }
        return [values[c] for c in COLUMNS]


_sql = sqlquote.literal  # csc.sqlquote: the one way a path goes into SQL text


def write(build_db: Path, record: BuildRecord) -> None:
    """Replace the build file's record with `record`, in one transaction."""
    build_db.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb_settings.connect(build_db)
    try:
        con.execute("begin transaction")
        if _columns_present(con, None) not in ([], list(COLUMNS)):
            con.execute(f"drop table {TABLE}")  # a record of an older layout: replaced whole
        con.execute(f"create table if not exists {TABLE} (" + ", ".join(f"{c} {t}" for c, t in COLUMNS.items()) + ")")
        con.execute(f"delete from {TABLE}")
        con.execute(f"insert into {TABLE} values ({', '.join('?' for _ in COLUMNS)})", record.row())
        con.execute("commit")
        con.execute("checkpoint")
    finally:
        con.close()


def read(build_db: Path) -> BuildRecord | None:
    """The build file's record, or None when the file or the record does not exist."""
    if not Path(build_db).is_file():
        return None
    con = duckdb_settings.connect()
    try:
        con.execute(f"attach {_sql(str(build_db))} as build (read_only)")
        present = con.execute(
            "select count(*) from duckdb_tables() where database_name = 'build' "
            "and schema_name = 'main' and table_name = 'csc_build'"
        ).fetchall()[0][0]
        if not present:
            return None
        present_columns = _columns_present(con, "build")
        known = [c for c in COLUMNS if c in present_columns]  # an older record lacks the newer ones
        rows = con.execute(f"select {', '.join(known)} from build.{TABLE}").fetchall()
    finally:
        con.close()
    if len(rows) != 1:
        return None
    values = dict.fromkeys(COLUMNS) | dict(zip(known, rows[0]))
    values["landing_files"] = json.loads(values["landing_files"] or "[]")
    values["artifacts_sha256"] = json.loads(values["artifacts_sha256"] or "{}")
    return BuildRecord(**values)


def _columns_present(con: duckdb.DuckDBPyConnection, database: str | None) -> list[str]:
    """The record table's columns in order ([] when it does not exist)."""
    where = f"database_name = {_sql(database)}" if database else "database_name = current_database()"
    return [
        r[0]
        for r in con.execute(
            f"select column_name from duckdb_columns() where {where} and schema_name = 'main' "
            "and table_name = 'csc_build' order by column_index"
        ).fetchall()
    ]


def seeds_hash(seed_dir: Path, project_file: Path, test_dirs: tuple[Path, ...] = ()) -> str:
    """sha256 over every seed file (path and bytes), dbt_project.yml (seed column types) and
    the files under `test_dirs` (generic and singular test SQL): equal hashes mean the seed
    tables a passed build loaded are still what the files say, and the data tests that read
    only seeds would pass again, so neither has to run."""
    h = hashlib.sha256()
    files = [*Path(seed_dir).rglob("*"), *(p for d in test_dirs for p in Path(d).rglob("*")), Path(project_file)]
    for path in sorted(p for p in files if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(Path(project_file).parent)).encode() + b"\0" + sha256_of(path).encode() + b"\n")
    return h.hexdigest()


def seeds_loaded(previous: BuildRecord | None, current_hash: str) -> bool:
    """True when the build file's seed tables can be reused: its last build passed (so nothing
    ran since: a bare dbt run would have marked it superseded, a killed build 'started') and
    loaded the same seed files."""
    return previous is not None and previous.status == PASSED and previous.seeds_hash == current_hash


def new_build_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:12]


def keep_artifacts(target: Path, dest: Path) -> dict[str, str]:
    """Copy the build's dbt artifacts into its own folder; {file: sha256} of the copies."""
    dest.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for name in ARTIFACTS:
        src = target / name
        if src.is_file():
            tmp = dest / f".{name}.tmp"
            shutil.copyfile(src, tmp)
            os.replace(tmp, dest / name)
            hashes[name] = sha256_of(dest / name)
    return hashes


def prune_artifacts(build_db: Path, keep: str) -> None:
    """Artifacts of earlier builds of this file: they describe tables that are gone."""
    folder = build_db.with_name(build_db.name + ".builds")
    if folder.is_dir():
        for old in folder.iterdir():
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Which validation describes the landing files
# --------------------------------------------------------------------------------------------

SUMMARY = "validation_summary.json"


class ValidationMismatch(Exception):
    """The validation summary is missing, unreadable, failed, or describes other files."""


def verify_validation(landing: Path, target: Path, files: list[dict] | None = None) -> dict:
    """The validation summary in `target` that passed and describes exactly the landing files
    now; raises ValidationMismatch with a one-line reason otherwise.

    csc.validate.summary.verify_summary (format 2: validation_id, per-file sha256) is the one
    owner of the rule when it is there; until then the same checks are made here, and a
    summary without per-file hashes (format 1) must at least name the same folder, the same
    files and be newer than every one of them."""
    try:
        from .validate.summary import SummaryError, verify_summary  # type: ignore[import-not-found]
    except ImportError:
        return _verify_here(landing, target, files)
    try:
        return verify_summary(landing, target, files)
    except SummaryError as exc:
        raise ValidationMismatch(str(exc)) from None


def _verify_here(landing: Path, target: Path, files: list[dict] | None) -> dict:
    path = target / SUMMARY
    try:
        raw = path.read_bytes()
        summary = json.loads(raw)
    except FileNotFoundError:
        raise ValidationMismatch(f"no validation summary at {path}: run `csc validate`") from None
    except (OSError, ValueError):
        raise ValidationMismatch(
            f"the validation summary {path} is unreadable or corrupt: run `csc validate` again"
        ) from None
    if not isinstance(summary, dict):
        raise ValidationMismatch(f"the validation summary {path} is not a summary: run `csc validate` again")
    try:
        same = Path(summary.get("landing", "")).resolve() == Path(landing).resolve()
    except (OSError, TypeError):
        same = False
    if not same:
        raise ValidationMismatch(
            f"the validation summary in {target} is of {summary.get('landing')}, not {landing}: run `csc validate`"
        )
    if summary.get("fatal") is not False:
        raise ValidationMismatch("the last validation of the extract found fatal problems")
    files = landing_manifest(landing) if files is None else files
    if summary.get("format_version") == 2:
        listed = [[f.get("path"), f.get("sha256")] for f in summary.get("landing_files", [])]
        if sorted(listed) != [[f["path"], f["sha256"]] for f in files]:
            raise ValidationMismatch("the landing files changed after the validation: run `csc validate` again")
        return summary
    # Format 1 (no hashes): the same files, and validated after their last change.
    listed = sorted(
        f"la_code={f.get('la_code')}/{Path(f['path']).name}" for f in summary.get("files", []) if f.get("path")
    )
    newest = max((os.stat(Path(landing) / f["path"]).st_mtime for f in files), default=0.0)
    if listed != [f["path"] for f in files] or path.stat().st_mtime < newest:
        raise ValidationMismatch("the landing files changed after the validation: run `csc validate` again")
    return {**summary, "validation_id": "sha256:" + hashlib.sha256(raw).hexdigest()}
