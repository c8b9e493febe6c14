"""Finding 4 of issue 12: child_key is an HMAC, and the demo key only for untouched demo data.

* macros/cross_db/keyed_hash.sql, compiled by dbt and run in DuckDB, against Python's hmac
  module (the outside referee): ids with unicode, blanks, separators, quotes and long ids; keys
  shorter than, exactly, and longer than SHA-256's 64-byte block (and multi-byte ones).
* The key is never in the compiled SQL.
* The documented demo key only when every council folder of the landing is one `csc generate`
  wrote, file for file (csc.demo_marker); otherwise `csc validate`, `csc build` and a plain
  `dbt build` stop with one line before anything runs.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from csc import dbt_plugin, demo_marker
from csc.cli import app
from csc.paths import DEMO_MARKER, DEMO_PSEUDONYM_KEY

IDS = [
    "",
    "0",
    "P1",
    "  P1  ",
    "P1\x1f878",
    "Child0001234",
    "O'Brien",
    'a"b',
    "a;b--",
    "é",
    "Zoë Ångström",
    "日本語の識別子",
    "🙂🙃",
    "x" * 55,
    "y" * 64,
    "z" * 200,
    "\t tab",
    "line\nbreak",
    "NULL",
    "\\x00",
]
KEYS = [
    "k",
    "csc-demo-key-synthetic-data-only",
    "a" * 63,
    "b" * 64,
    "c" * 65,
    "é" * 33,  # 66 bytes in UTF-8, 33 characters: hashed first
    "🔑" * 16,  # exactly 64 bytes
    "long key " * 40,
]


def _referee(key: str, la_code: str, person_id: str) -> str:
    return hmac.new(key.encode(), f"{la_code}\x1f{person_id.strip(' ')}".encode(), hashlib.sha256).hexdigest()


@pytest.fixture(scope="module")
def child_key_sql(tmp_path_factory):
    """The child_key macro as dbt compiles it (through the csc_landing plugin)."""
    from dbt.cli.main import dbtRunner

    from csc.build import dbt_args, dbt_env, release_duckdb

    root = tmp_path_factory.mktemp("keyed_hash")
    (root / "landing").mkdir()  # an empty landing folder: nothing to read, nothing refused
    secret = "compile-time-key-that-must-not-appear"
    env = {
        "CSC_PSEUDONYM_KEY": secret,
        "CSC_LANDING_DIR": str(root / "landing"),
        "CSC_DUCKDB_PATH": str(root / "csc.duckdb"),
    }
    with pytest.MonkeyPatch.context() as mp:
        for k, v in {**dbt_env(), **env}.items():
            mp.setenv(k, v)
        try:
            result = dbtRunner().invoke(
                dbt_args(
                    "compile",
                    "--inline",
                    "select {{ child_key('la_code', 'person_id') }} as child_key from ids",
                    "--target-path",
                    str(root / "target"),
                    "--log-path",
                    str(root / "logs"),
                    "--quiet",
                )
            )
        finally:
            release_duckdb()
    assert result.success, result.exception
    sql = result.result.results[0].node.compiled_code
    assert secret not in sql and secret.encode().hex() not in sql.lower()
    for folder in (root / "target", root / "logs"):
        for path in folder.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path
    return sql


def test_child_key_is_hmac_sha256_as_python_computes_it(child_key_sql):
    checked = 0
    con = duckdb.connect()
    con.execute("create table ids (la_code varchar, person_id varchar)")
    con.executemany("insert into ids values (?, ?)", [(la, pid) for la in ("878", "879") for pid in IDS])
    for key in KEYS:
        con.execute("set variable csc_pseudonym_key = ?", [key])
        got = con.execute(_per_row(child_key_sql)).fetchall()
        for la_code, person_id, child_key in got:
            assert child_key == _referee(key, la_code, person_id), (key, person_id)
            checked += 1
    assert checked == len(KEYS) * len(IDS) * 2 == 320


def _per_row(compiled: str) -> str:
    """The compiled `select <expr> as child_key from ids`, with the ids alongside."""
    assert compiled.strip().startswith("select") and compiled.rstrip().endswith("from ids")
    return "select la_code, person_id, " + compiled.strip()[len("select") :]


def test_a_null_person_gives_a_null_key_and_a_missing_key_an_error(child_key_sql):
    con = duckdb.connect()
    con.execute("create table ids as select '878' as la_code, null::varchar as person_id")
    con.execute("set variable csc_pseudonym_key = 'k'")
    assert con.execute(child_key_sql).fetchall() == [(None,)]
    con.execute("insert into ids values ('878', 'P1')")
    for unset in ("reset variable csc_pseudonym_key", "set variable csc_pseudonym_key = ''"):
        con.execute(unset)
        with pytest.raises(duckdb.Error, match="csc_pseudonym_key is not set"):
            con.execute(child_key_sql).fetchall()


def test_the_demo_key_does_not_reverse_by_enumeration_of_the_old_scheme(child_key_sql):
    """The issue reversed every demo key as sha256(key || la || id); the HMAC is not that."""
    con = duckdb.connect()
    con.execute("create table ids as select '878' as la_code, 'P1' as person_id")
    con.execute("set variable csc_pseudonym_key = ?", [DEMO_PSEUDONYM_KEY])
    (got,) = con.execute(child_key_sql).fetchone()
    old = hashlib.sha256(f"{DEMO_PSEUDONYM_KEY}\x1f878\x1fP1".encode()).hexdigest()
    assert got != old and not old.startswith(got) and len(got) == 64


# --------------------------------------------------------------------------------------------
# The demo key: only for the generator's own, untouched folders
# --------------------------------------------------------------------------------------------


def _demo_landing(root: Path, councils=("878",)) -> Path:
    landing = root / "landing"
    folders = []
    for la in councils:
        folder = landing / f"la_code={la}"
        folder.mkdir(parents=True)
        (folder / "ssd_person.csv").write_text("pers_person_id\nP1\n", encoding="utf-8")
        (folder / "ssd_cin_episodes.csv").write_text("cine_referral_id\nR1\n", encoding="utf-8")
        folders.append(folder)
    demo_marker.write(landing, "SYNTHETIC DEMO DATA", folders)
    return landing


def _no_key(monkeypatch, landing: Path) -> None:
    monkeypatch.delenv("CSC_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("CSC_LANDING_DIR", str(landing))


def _tamper_foreign_folder(landing: Path) -> None:
    (landing / "la_code=879").mkdir()
    (landing / "la_code=879" / "ssd_person.csv").write_text("pers_person_id\nREAL1\n")


def _tamper_edit(landing: Path) -> None:
    with (landing / "la_code=878" / "ssd_person.csv").open("a") as f:
        f.write("REAL2\n")


def _tamper_add_file(landing: Path) -> None:
    (landing / "la_code=878" / "ssd_contacts.csv").write_text("cont_contact_id\nC1\n")


def _tamper_remove_file(landing: Path) -> None:
    (landing / "la_code=878" / "ssd_cin_episodes.csv").unlink()


def _tamper_symlink(landing: Path) -> None:
    target = landing.parent / "real_person.csv"
    target.write_bytes((landing / "la_code=878" / "ssd_person.csv").read_bytes())
    (landing / "la_code=878" / "ssd_person.csv").unlink()
    (landing / "la_code=878" / "ssd_person.csv").symlink_to(target)


def _tamper_hand_marker(landing: Path) -> None:
    (landing / DEMO_MARKER).write_text("SYNTHETIC DEMO DATA - trust me\n")


def _tamper_no_marker(landing: Path) -> None:
    (landing / DEMO_MARKER).unlink()


def _tamper_malformed_folder(landing: Path) -> None:
    (landing / "LA_CODE=879").mkdir()


def _tamper_marker_lists_a_folder_that_is_gone(landing: Path) -> None:
    import shutil

    shutil.rmtree(landing / "la_code=879")


TAMPERING = {
    "a real council's folder beside the demo's": _tamper_foreign_folder,
    "a generated file edited": _tamper_edit,
    "a file added to a generated folder": _tamper_add_file,
    "a generated file removed": _tamper_remove_file,
    "a generated file replaced by a symlink": _tamper_symlink,
    "a marker written by hand": _tamper_hand_marker,
    "no marker": _tamper_no_marker,
    "a malformed council folder": _tamper_malformed_folder,
}


def test_untouched_generated_landing_uses_the_demo_key(tmp_path, monkeypatch):
    landing = _demo_landing(tmp_path, ("878", "879"))
    _no_key(monkeypatch, landing)
    assert dbt_plugin.pseudonym_key() == DEMO_PSEUDONYM_KEY
    assert dbt_plugin.pseudonym_key(landing) == DEMO_PSEUDONYM_KEY


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_no_demo_key_unless_every_folder_is_the_generators(tamper, tmp_path, monkeypatch):
    landing = _demo_landing(tmp_path)
    _no_key(monkeypatch, landing)
    assert dbt_plugin.pseudonym_key() == DEMO_PSEUDONYM_KEY  # cached: tampering must still show
    tamper(landing)
    with pytest.raises(dbt_plugin.PseudonymKeyMissing, match="CSC_PSEUDONYM_KEY"):
        dbt_plugin.pseudonym_key()


def test_a_recorded_folder_that_is_gone_is_not_the_generators(tmp_path, monkeypatch):
    landing = _demo_landing(tmp_path, ("878", "879"))
    _no_key(monkeypatch, landing)
    _tamper_marker_lists_a_folder_that_is_gone(landing)
    with pytest.raises(dbt_plugin.PseudonymKeyMissing, match="la_code=879"):
        dbt_plugin.pseudonym_key()


def test_a_landing_folder_that_does_not_exist_gets_no_demo_key(tmp_path, monkeypatch):
    _no_key(monkeypatch, tmp_path / "nowhere")
    with pytest.raises(dbt_plugin.PseudonymKeyMissing, match="does not exist"):
        dbt_plugin.pseudonym_key()


def test_the_generator_records_its_folders_and_hashes(tmp_path, monkeypatch):
    from csc.generate import generate_extract

    landing = tmp_path / "landing"
    generate_extract(
        out=landing,
        la_codes=["878", "879"],
        scale="la",
        start="2016-01-01",
        end="2016-03-31",
        seed=1,
        size=0.01,
        faults=True,
        progress=False,
    )
    files = demo_marker.recorded(landing / DEMO_MARKER)
    assert set(files) == {"la_code=878", "la_code=879"}
    for folder, recorded in files.items():
        assert set(recorded) == {p.name for p in (landing / folder).iterdir()}
        for name, digest in recorded.items():
            assert demo_marker.file_sha256(landing / folder / name) == digest
    _no_key(monkeypatch, landing)
    assert dbt_plugin.pseudonym_key() == DEMO_PSEUDONYM_KEY


@pytest.mark.parametrize("command", [["validate"], ["build"], ["publish"]])
def test_commands_stop_in_one_line_before_anything_runs(command, tmp_path, monkeypatch):
    landing = _demo_landing(tmp_path)
    _tamper_foreign_folder(landing)
    _no_key(monkeypatch, landing)
    monkeypatch.setenv("CSC_DUCKDB_PATH", str(tmp_path / "csc.duckdb"))
    monkeypatch.setenv("CSC_PUBLISH_DIR", str(tmp_path / "published"))
    if command == ["validate"]:
        command = ["validate", "--landing", str(landing)]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "CSC_PSEUDONYM_KEY" in lines[0] and "la_code=879" in lines[0], lines
    assert "Traceback" not in result.output
    assert not (tmp_path / "csc.duckdb").exists() and not (tmp_path / "published").exists()
    assert not any(landing.rglob("*.json"))


def test_a_plain_dbt_build_stops_before_any_model(tmp_path, monkeypatch, capsys):
    from csc.build import dbt_run

    landing = _demo_landing(tmp_path)
    _tamper_foreign_folder(landing)
    _no_key(monkeypatch, landing)
    db = tmp_path / "csc.duckdb"
    monkeypatch.setenv("CSC_DUCKDB_PATH", str(db))
    assert not dbt_run("build", "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"))
    captured = capsys.readouterr()
    out = captured.out + captured.err  # quiet dbt (csc.dbt_output) writes to stderr
    assert "no pseudonymisation key" in out and "Traceback" not in out, out[-3000:]
    assert "OK created" not in out and "PASS" not in out.replace("PASS=0", "")
    if db.exists():
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("select count(*) from information_schema.tables").fetchone()[0] == 0
    assert os.environ.get("CSC_PSEUDONYM_KEY") is None
