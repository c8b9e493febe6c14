"""Run dbt from Python with the project's settings."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from .duckdb_settings import MEMORY_LIMIT_ENV, memory_limit
from .paths import REPO_ROOT, build_file_path, duckdb_path, profiles_dir

# Deprecations are errors; `severity: warn` tests stay warnings.
WARN_ERROR_OPTIONS = '{"error": ["Deprecations"]}'


def dbt_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", str(REPO_ROOT))
    env.setdefault("GX_ANALYTICS_ENABLED", "false")
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # profiles.yml reads DuckDB's memory limit from here; csc.duckdb_settings owns its default
    env[MEMORY_LIMIT_ENV] = memory_limit()
    return env


def dbt_args(command: str, *extra: str) -> list[str]:
    """dbt's arguments: this project, the profiles folder csc.paths.profiles_dir() names
    ($DBT_PROFILES_DIR, else the repository), deprecations as errors."""
    return [
        *command.split(),
        "--project-dir",
        str(REPO_ROOT),
        "--profiles-dir",
        str(profiles_dir()),
        "--warn-error-options",
        WARN_ERROR_OPTIONS,
        *extra,
    ]


def dbt_run(command: str, *extra: str) -> bool:
    """Invoke dbt in-process; True when every node succeeded."""
    from . import dbt_output

    os.environ.update({k: v for k, v in dbt_env().items() if k not in os.environ})
    duckdb_path().parent.mkdir(parents=True, exist_ok=True)
    try:
        result = dbt_output.invoke(
            dbt_args(command, *extra), Path(os.environ.get("DBT_LOG_PATH", REPO_ROOT / "logs"))
        )  # quiet unless CSC_DBT_VERBOSE
    finally:
        release_duckdb()
    return bool(result.success)


def release_duckdb() -> None:
    """dbt-duckdb keeps its DuckDB instance open for the life of the process; close it so the
    same process (publish, tests) can open the file afterwards, read-only or not."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            try:
                DuckDBConnectionManager._ENV.close()
            except Exception:  # closing is best effort: the handle is dropped either way
                pass
            finally:
                DuckDBConnectionManager._ENV = None


def dbt_build(select: str | None = None, unit_tests: bool = False) -> bool:
    """`dbt build` into the build file, recorded (csc.build_record): a 'started' record first,
    then, when dbt has finished, 'passed' (complete and every node succeeded) or why not. The
    dbt artifacts go to this build's own folder beside the build file (and are copied to the
    shared target/ for tools that look there). True when dbt succeeded.

    dbt unit tests run on hand-made rows, not on the extract: they prove the SQL, which CI
    (`make dbt-test`, `csc build --unit-tests`) does once per change, so a council's build
    leaves them out (unit_tests=False). Every data test still runs on every build."""
    from .dbt_output import log_level

    try:
        # a bad $CSC_DBT_LOG_LEVEL, memory limit, build file name or profiles folder stops
        # here, before anything is recorded
        log_level()
        memory_limit()
        build_db = build_file_path()
        profiles_dir()
    except ValueError as exc:
        print(f"csc build: {exc}", flush=True)
        return False
    try:
        with _build_lock(build_db):
            return _recorded_build(build_db, select, unit_tests)
    except BuildLocked as exc:
        print(f"csc build: {exc}", flush=True)
        return False


def _recorded_build(build_db, select: str | None, unit_tests: bool) -> bool:
    import shutil

    from . import build_record as rec
    from .paths import landing_dir, target_dir

    landing, shared = landing_dir(), target_dir()
    files = rec.landing_manifest(landing)
    try:
        validation_id, problem = rec.verify_validation(landing, shared, files)["validation_id"], None
    except rec.ValidationMismatch as exc:
        validation_id, problem = None, str(exc)
        print(f"csc build: warning: {problem}; this build cannot be published", flush=True)
    seeds = rec.seeds_hash(
        REPO_ROOT / "seeds", REPO_ROOT / "dbt_project.yml", (REPO_ROOT / "macros" / "tests", REPO_ROOT / "tests")
    )
    # Seeds reload only when their files (or the tests' SQL) changed since the last passed
    # build (CI, whose build file is new, always loads them); a --select build loads what it
    # selects. The data tests that read nothing but seeds (92 of 397) are left out with them:
    # they passed on these very tables (indirect selection "cautious" keeps every test that
    # also reads a model).
    reuse_seeds = not select and rec.seeds_loaded(rec.read(build_db), seeds)
    build_id = rec.new_build_id()
    own = rec.artifacts_dir(build_db, build_id)
    record = rec.BuildRecord(
        build_id=build_id,
        status=rec.STARTED,
        reason="dbt build started and has not finished",
        started_at=rec.now(),
        finished_at=None,
        landing=str(Path(landing).resolve()),
        landing_hash=rec.manifest_hash(files),
        landing_files=files,
        validation_id=validation_id,
        validation_problem=problem,
        dbt_version=_dbt_version(),
        selection=select,
        artifacts_dir=str(own),
        artifacts_sha256={},
        seeds_hash=seeds,
    )
    rec.write(build_db, record)
    own.mkdir(parents=True, exist_ok=True)
    if (shared / "partial_parse.msgpack").is_file():  # parse as the last build did
        shutil.copyfile(shared / "partial_parse.msgpack", own / "partial_parse.msgpack")
    extra = ["--select", select] if select else []
    if not unit_tests:
        extra += ["--exclude-resource-type", "unit_test"]
    if reuse_seeds:
        extra += ["--exclude", "resource_type:seed", "--indirect-selection", "cautious"]
        print("csc build: seeds unchanged since the last passed build: not reloaded", flush=True)
    with rec.build_manifest(landing, files):
        ok = dbt_run("build", "--target-path", str(own), *extra)

    record.artifacts_sha256 = {name: rec.sha256_of(own / name) for name in rec.ARTIFACTS if (own / name).is_file()}
    record.status, record.reason = _verdict(ok, select, own, files, rec.landing_manifest(landing))
    record.finished_at = rec.now()
    rec.write(build_db, record)
    shared.mkdir(parents=True, exist_ok=True)
    for name in (*rec.ARTIFACTS, "partial_parse.msgpack"):
        if (own / name).is_file():
            tmp = shared / f".{name}.tmp-{os.getpid()}"
            shutil.copyfile(own / name, tmp)
            os.replace(tmp, shared / name)
    rec.prune_artifacts(build_db, keep=build_id)
    return ok


def _verdict(ok: bool, select: str | None, own: Path, before: list, after: list) -> tuple[str, str | None]:
    from . import build_record as rec

    if not ok:
        return rec.FAILED, "dbt build failed (a model or an error-severity test)"
    if select:
        return rec.PARTIAL, f"a partial build (--select {select})"
    if before != after:
        return rec.FAILED, "the landing files changed while the build ran"
    if not (own / "run_results.json").is_file():
        return rec.FAILED, "dbt wrote no run results"
    return rec.PASSED, None


def _dbt_version() -> str | None:
    from importlib import metadata

    try:
        return metadata.version("dbt-core")
    except metadata.PackageNotFoundError:
        return None


class BuildLocked(Exception):
    pass


@contextlib.contextmanager
def _build_lock(build_db: Path) -> Iterator[None]:
    """One build per build file (the lock file sits beside it)."""
    build_db.parent.mkdir(parents=True, exist_ok=True)
    with open(build_db.with_name(f".{build_db.name}.build-lock"), "w") as handle:
        try:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - Windows: no advisory lock
            pass
        except OSError:
            raise BuildLocked(f"another build of {build_db} is running") from None
        yield
