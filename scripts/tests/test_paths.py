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


def test_dbt_reads_the_repository_profiles_unless_dbt_profiles_dir_is_set(monkeypatch, tmp_path):
    monkeypatch.delenv("DBT_PROFILES_DIR", raising=False)
    assert paths.profiles_dir() == paths.REPO_ROOT
    args = build.dbt_args("build")
    assert args[args.index("--profiles-dir") + 1] == str(paths.REPO_ROOT)

    (tmp_path / "profiles.yml").write_text("csc: {}\n")
    monkeypatch.setenv("DBT_PROFILES_DIR", str(tmp_path))
    assert paths.profiles_dir() == tmp_path
    args = build.dbt_args("build")
    assert args[args.index("--profiles-dir") + 1] == str(tmp_path)


def test_a_relative_dbt_profiles_dir_is_read_from_the_current_folder(monkeypatch, tmp_path):
    """As dbt reads it: `export DBT_PROFILES_DIR=.` in the repository (README), or elsewhere."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "profiles.yml").write_text("csc: {}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DBT_PROFILES_DIR", "mine")
    assert paths.profiles_dir() == tmp_path / "mine"
    monkeypatch.chdir(paths.REPO_ROOT)
    monkeypatch.setenv("DBT_PROFILES_DIR", ".")
    assert paths.profiles_dir() == paths.REPO_ROOT


@pytest.mark.parametrize(
    ("folder", "profiles", "says"),
    [
        ("missing", None, "has no profiles.yml"),
        ("empty", None, "has no profiles.yml"),
        ("other", "other_project:\n  target: dev\n", "its profiles.yml has no profile named csc"),
        ("blank", "", "its profiles.yml has no profile named csc"),
        ("broken", "csc: [unclosed\n", "profiles.yml cannot be read (ParserError)"),
        ("binary", b"\xff\xfe\x00csc", "profiles.yml cannot be read (UnicodeDecodeError)"),
    ],
)
def test_a_profiles_dir_dbt_cannot_use_stops_the_build_in_one_line(
    monkeypatch, tmp_path, capsys, folder, profiles, says
):
    """A DBT_PROFILES_DIR set for other projects (~/.dbt) is named before dbt starts, nothing recorded."""
    if folder != "missing":
        (tmp_path / folder).mkdir()
    if isinstance(profiles, bytes):
        (tmp_path / folder / "profiles.yml").write_bytes(profiles)
    elif profiles is not None:
        (tmp_path / folder / "profiles.yml").write_text(profiles)
    monkeypatch.setenv("DBT_PROFILES_DIR", str(tmp_path / folder))
    monkeypatch.setenv("CSC_DUCKDB_PATH", str(tmp_path / "build" / "csc.duckdb"))
    assert build.dbt_build() is False
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"csc build: DBT_PROFILES_DIR={tmp_path / folder}") and says in out and "\n" not in out
    assert not (tmp_path / "build").exists()


def test_spark_reads_a_relative_profiles_dir_before_moving_to_the_repository(monkeypatch, tmp_path, capsys):
    from csc import spark

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DBT_PROFILES_DIR", "nowhere")
    assert spark.main(["build"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"csc.spark: DBT_PROFILES_DIR=nowhere has no profiles.yml: unset it to use the project's "
        f"({paths.REPO_ROOT / 'profiles.yml'}), or start yours from that file"
    )
