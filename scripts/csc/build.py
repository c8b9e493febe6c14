"""Run dbt from Python with the project's settings."""

from __future__ import annotations

import os

from .paths import REPO_ROOT, duckdb_path

# Deprecations are errors; `severity: warn` tests stay warnings.
WARN_ERROR_OPTIONS = '{"error": ["Deprecations"]}'


def dbt_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", str(REPO_ROOT))
    env.setdefault("GX_ANALYTICS_ENABLED", "false")
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return env


def dbt_args(command: str, *extra: str) -> list[str]:
    return [*command.split(), "--project-dir", str(REPO_ROOT), "--profiles-dir", str(REPO_ROOT),
            "--warn-error-options", WARN_ERROR_OPTIONS, *extra]


def dbt_run(command: str, *extra: str) -> bool:
    """Invoke dbt in-process; True when every node succeeded."""
    from dbt.cli.main import dbtRunner

    os.environ.update({k: v for k, v in dbt_env().items() if k not in os.environ})
    duckdb_path().parent.mkdir(parents=True, exist_ok=True)
    try:
        result = dbtRunner().invoke(dbt_args(command, *extra))
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


def dbt_build(select: str | None = None) -> bool:
    extra = ["--select", select] if select else []
    return dbt_run("build", *extra)
