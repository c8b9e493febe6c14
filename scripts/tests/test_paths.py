"""csc.paths: where the warehouse's files are, and the build file names dbt cannot build into."""

from __future__ import annotations

import duckdb
import pytest

from csc import build, paths


@pytest.mark.parametrize("stem", [*paths.RESERVED_BUILD_FILE_STEMS, "Main", "TEMP"])
def test_duckdb_opens_a_reserved_name_under_another_name(tmp_path, stem):
    """The referee for the list: DuckDB itself renames these (dbt-duckdb would not follow)."""
    with duckdb.connect(str(tmp_path / f"{stem}.duckdb")) as con:
        assert con.execute("select current_database()").fetchone()[0] != stem


@pytest.mark.parametrize("stem", ["csc", "memory", "main_build", "csc-878"])
def test_other_names_keep_their_name(tmp_path, stem):
    with duckdb.connect(str(tmp_path / f"{stem}.duckdb")) as con:
        assert con.execute("select current_database()").fetchone()[0] == stem


def test_a_reserved_build_file_name_stops_the_build_in_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CSC_DUCKDB_PATH", str(tmp_path / "build" / "main.duckdb"))
    assert build.dbt_build() is False
    out = capsys.readouterr().out.strip()
    assert out.startswith("csc build: the build file main.duckdb cannot be used") and "\n" not in out
    assert not (tmp_path / "build").exists()


def test_an_ordinary_build_file_name_passes(monkeypatch, tmp_path):
    monkeypatch.setenv("CSC_DUCKDB_PATH", str(tmp_path / "csc.duckdb"))
    assert paths.build_file_path() == tmp_path / "csc.duckdb"
