"""csc.duckdb_settings: one owner for DuckDB's memory limit, in the warehouse's own
connections (publish, the privacy scan, Power BI) and, through profiles.yml, in dbt's."""

from __future__ import annotations

import ast
import re

import duckdb
import pytest

from csc import build, duckdb_settings
from csc.paths import REPO_ROOT
from csc.publish import command as publish_command
from csc.publish.errors import PublishError


def _setting(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_setting('memory_limit')").fetchone()[0]


def _as_duckdb_shows(limit: str) -> str:
    con = duckdb.connect()
    try:
        con.execute(f"set memory_limit = '{limit}'")
        return _setting(con)
    finally:
        con.close()


def test_the_default_and_the_variable(monkeypatch):
    monkeypatch.delenv(duckdb_settings.MEMORY_LIMIT_ENV, raising=False)
    assert duckdb_settings.memory_limit() == duckdb_settings.DEFAULT_MEMORY_LIMIT
    monkeypatch.setenv(duckdb_settings.MEMORY_LIMIT_ENV, " 2500MB ")
    assert duckdb_settings.memory_limit() == "2500MB"
    monkeypatch.setenv(duckdb_settings.MEMORY_LIMIT_ENV, "")
    assert duckdb_settings.memory_limit() == duckdb_settings.DEFAULT_MEMORY_LIMIT


@pytest.mark.parametrize("bad", ["lots", "4", "-1GB", "4 GB; drop table x", "GB"])
def test_a_bad_limit_is_one_line(monkeypatch, bad):
    monkeypatch.setenv(duckdb_settings.MEMORY_LIMIT_ENV, bad)
    with pytest.raises(duckdb_settings.MemoryLimitError) as exc:
        duckdb_settings.memory_limit()
    assert "\n" not in str(exc.value) and duckdb_settings.MEMORY_LIMIT_ENV in str(exc.value)


def test_connections_carry_the_limit(monkeypatch, tmp_path):
    monkeypatch.setenv(duckdb_settings.MEMORY_LIMIT_ENV, "1GB")
    for con in (duckdb_settings.connect(), duckdb_settings.connect(tmp_path / "x.duckdb")):
        try:
            assert _setting(con) == _as_duckdb_shows("1GB")
        finally:
            con.close()
    ro = duckdb_settings.connect(tmp_path / "x.duckdb", read_only=True)
    try:
        assert _setting(ro) == _as_duckdb_shows("1GB")
    finally:
        ro.close()


def test_profiles_fallback_is_the_owner_default():
    """dbt run by hand (no csc) falls back to profiles.yml's default: it must be the same."""
    text = (REPO_ROOT / "profiles.yml").read_text()
    fallbacks = re.findall(r"env_var\('CSC_DUCKDB_MEMORY_LIMIT',\s*'([^']+)'\)", text)
    assert fallbacks == [duckdb_settings.DEFAULT_MEMORY_LIMIT]


def test_csc_build_hands_dbt_the_limit(monkeypatch):
    monkeypatch.delenv(duckdb_settings.MEMORY_LIMIT_ENV, raising=False)
    assert build.dbt_env()[duckdb_settings.MEMORY_LIMIT_ENV] == duckdb_settings.DEFAULT_MEMORY_LIMIT
    monkeypatch.setenv(duckdb_settings.MEMORY_LIMIT_ENV, "3GB")
    assert build.dbt_env()[duckdb_settings.MEMORY_LIMIT_ENV] == "3GB"


def test_a_bad_limit_stops_build_and_publish_before_anything_is_written(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(duckdb_settings.MEMORY_LIMIT_ENV, "plenty")
    monkeypatch.setenv("CSC_DUCKDB_PATH", str(tmp_path / "build" / "csc.duckdb"))
    assert build.dbt_build() is False
    assert "CSC_DUCKDB_MEMORY_LIMIT='plenty'" in capsys.readouterr().out
    assert not (tmp_path / "build").exists()
    with pytest.raises(PublishError) as exc:
        publish_command._check_settings()
    assert exc.value.stage == "settings"


# The CIN census importer runs its merge under its own, smaller budget
# (CSC_CIN_IMPORT_MEMORY_LIMIT, set on the connection it opens); no other module opens DuckDB itself.
OWN_CONNECTIONS = {"duckdb_settings.py", "cin_census/importer.py"}


def test_the_package_connects_through_the_owner():
    package = REPO_ROOT / "scripts" / "csc"
    found = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "connect"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "duckdb"
                and rel not in OWN_CONNECTIONS
            ):
                found.append(f"{rel}:{node.lineno}")
    assert found == [], f"use csc.duckdb_settings.connect: {found}"
