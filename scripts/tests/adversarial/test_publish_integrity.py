"""Issue 12, findings 1 and 9: `csc publish --skip-build` never ships a killed, failed, partial,
foreign or unvalidated build, and a killed publish leaves no temporary folder behind.

Each test reproduces an attack that the first version let through (rc 0, a mixed or
incomplete publication) and checks that it is now refused with one line and that the
published folder is byte for byte unchanged. They share the SYNTHETIC warehouse that
test_publish.py builds once (`published_warehouse`), and never damage it: every attack works on
copies (build file, dbt target, landing) in the test's own folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_publish import checksums, published_warehouse  # noqa: F401  (the shared fixture)

from csc import build_record, paths
from csc import publish as pub

pytestmark = pytest.mark.slow
CSC = [str(Path(sys.executable).parent / "csc")]


def _refused(result: pub.PublishResult, stage: str, *words: str) -> None:
    assert not result, "published, but should have been refused"
    assert result.stage == stage, (result.stage, result.message)
    assert "\n" not in result.message, "one clear line"
    for word in words:
        assert word in result.message, (word, result.message)


def _copy_build(w, tmp_path: Path) -> Path:
    copy = tmp_path / "build" / "csc.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(w.build_db, copy)
    return copy


def _kill_when(proc: subprocess.Popen, log: Path, marker: str, timeout: float = 600) -> None:
    """kill -9 the process group once `marker` appears in its output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if marker in log.read_text(errors="replace"):
            break
        time.sleep(0.2)
    assert proc.poll() is None, f"finished before {marker!r} appeared:\n{log.read_text()[-2000:]}"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = open(log, "w")  # noqa: SIM115 (the child process owns it until it exits)
    return subprocess.Popen(
        args,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        stdout=handle,
        stderr=subprocess.STDOUT,
        cwd=paths.REPO_ROOT,
        start_new_session=True,
    )


def test_a_build_killed_midway_is_refused(published_warehouse, tmp_path, monkeypatch):
    """After a good build of extract A, `csc build` of extract B is killed while dbt runs
    models: the file mixes B's and A's tables. Before: rc 0 and a mixed publication."""
    w = published_warehouse
    before = checksums(w.published)
    db = _copy_build(w, tmp_path)
    extract_b = tmp_path / "landing_b"
    shutil.copytree(w.landing, extract_b)
    episodes = extract_b / "la_code=878" / "ssd_cin_episodes.csv"
    lines = episodes.read_bytes().splitlines(keepends=True)
    episodes.write_bytes(b"".join(lines[: len(lines) // 2]))  # B: half the referrals
    env = {
        **w.env,
        "CSC_DUCKDB_PATH": str(db),
        "CSC_LANDING_DIR": str(extract_b),
        "DBT_TARGET_PATH": str(tmp_path / "target_b"),
        # dbt's own per-model lines, so the test can kill the build after a given model
        "CSC_DBT_VERBOSE": "1",
    }
    log = tmp_path / "build.log"
    proc = _spawn([*CSC, "build"], env, log)
    _kill_when(proc, log, "OK created sql table model staging.stg_ssd__cin_episodes")
    assert build_record.read(db).status == build_record.STARTED

    for landing in (extract_b, w.landing):
        w.apply(monkeypatch, CSC_DUCKDB_PATH=str(db), CSC_LANDING_DIR=str(landing))
        _refused(pub.publish(skip_build=True), "audit", "not publishable: started")
    assert checksums(w.published) == before


def test_a_failed_build_in_another_file_is_refused(published_warehouse, tmp_path, monkeypatch):
    """A build that ran out of memory in another CSC_DUCKDB_PATH. Before: rc 0, "published 17
    tables" without kpi_values, kpi_scorecard, dq_issues, and the other build's test results."""
    from csc.build import dbt_build

    w = published_warehouse
    before = checksums(w.published)
    db = tmp_path / "oom" / "csc.duckdb"
    w.apply(monkeypatch, CSC_DUCKDB_PATH=str(db), CSC_DUCKDB_MEMORY_LIMIT="12MB")
    assert not dbt_build(), "the build should have run out of memory"
    assert build_record.read(db).status == build_record.FAILED

    w.apply(monkeypatch, CSC_DUCKDB_PATH=str(db))
    _refused(pub.publish(skip_build=True), "audit", "not publishable: failed")
    assert checksums(w.published) == before


def test_a_build_without_a_record_is_refused(published_warehouse, tmp_path, monkeypatch):
    """A build file made by a bare `dbt build` (or by an older csc), or with a forged record
    whose marts are missing, or whose dbt artifacts were replaced."""
    w = published_warehouse
    db = _copy_build(w, tmp_path)
    good = build_record.read(db)
    w.apply(monkeypatch, CSC_DUCKDB_PATH=str(db))

    import duckdb

    with duckdb.connect(str(db)) as con:
        con.execute("drop table main.csc_build")
        con.execute("drop table marts.kpi_values")
    _refused(pub.publish(skip_build=True), "audit", "no build record")

    build_record.write(db, good)
    _refused(pub.publish(skip_build=True), "audit", "lacks 1 expected mart", "kpi_values")

    forged = tmp_path / "artifacts"
    shutil.copytree(good.artifacts_dir, forged)
    results = json.loads((forged / "run_results.json").read_text())
    results["results"] = [r for r in results["results"] if not r["unique_id"].startswith("model.")]
    (forged / "run_results.json").write_text(json.dumps(results))
    build_record.write(db, build_record.BuildRecord(**{**good.__dict__, "artifacts_dir": str(forged)}))
    _refused(pub.publish(skip_build=True), "audit", "missing or changed")


def test_a_killed_validation_is_refused(published_warehouse, tmp_path, monkeypatch):
    """`csc validate` of an extract with a fatal duplicate key is killed midway; a build of that
    extract follows. Before: the old summary (fatal=false) stayed and the publish went ahead."""
    w = published_warehouse
    before = checksums(w.published)
    landing = tmp_path / "landing"
    shutil.copytree(w.landing, landing)
    person = landing / "la_code=878" / "ssd_person.csv"
    lines = person.read_bytes().splitlines(keepends=True)
    person.write_bytes(b"".join(lines) + lines[2])  # a duplicate person id: fatal
    target = tmp_path / "target"
    shutil.copytree(w.target, target, ignore=shutil.ignore_patterns("gx", "data_docs"))
    summary = target / "validation_summary.json"
    summary.write_text((w.target / "validation_summary.json").read_text().replace(str(w.landing), str(landing)))
    earlier = person.stat().st_mtime - 60  # the summary is the earlier validation's, before the damage
    os.utime(summary, (earlier, earlier))

    log = tmp_path / "validate.log"
    proc = _spawn(
        [*CSC, "validate", "--landing", str(landing)],
        {**w.env, "CSC_LANDING_DIR": str(landing), "DBT_TARGET_PATH": str(target)},
        log,
    )
    # Killed once it has started (it deletes the old summary first), however slow the machine.
    deadline = time.monotonic() + 120
    while summary.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()

    # The build of the damaged extract, as `csc build` would record it had it run now.
    db = _copy_build(w, tmp_path)
    record = build_record.read(db)
    files = build_record.landing_manifest(landing)
    try:
        validation_id = build_record.verify_validation(landing, target, files)["validation_id"]
    except build_record.ValidationMismatch:
        validation_id = record.validation_id  # what the first version would have trusted
    build_record.write(
        db,
        build_record.BuildRecord(
            **{
                **record.__dict__,
                "landing": str(landing),
                "landing_files": files,
                "landing_hash": build_record.manifest_hash(files),
                "validation_id": validation_id,
            }
        ),
    )
    w.apply(monkeypatch, CSC_DUCKDB_PATH=str(db), CSC_LANDING_DIR=str(landing), DBT_TARGET_PATH=str(target))
    _refused(pub.publish(skip_build=True), "validate")

    # Missing and corrupt summaries are refusals too, never warnings.
    (target / "validation_summary.json").write_text('{"fatal": false, "landing": ')
    _refused(pub.publish(skip_build=True), "validate", "cannot be read")
    (target / "validation_summary.json").unlink()
    _refused(pub.publish(skip_build=True), "validate", "no validation summary")
    assert checksums(w.published) == before


def test_a_changed_landing_or_another_extract_is_refused(published_warehouse, tmp_path, monkeypatch):
    """The landing folder edited after the build, or the build published against another folder."""
    w = published_warehouse
    before = checksums(w.published)
    landing = tmp_path / "landing"
    shutil.copytree(w.landing, landing)
    w.apply(monkeypatch, CSC_LANDING_DIR=str(landing))
    _refused(pub.publish(skip_build=True), "audit", "is of the extract in")

    db = _copy_build(w, tmp_path)
    record = build_record.read(db)
    build_record.write(db, build_record.BuildRecord(**{**record.__dict__, "landing": str(landing)}))
    contacts = landing / "la_code=878" / "ssd_contacts.csv"
    contacts.write_bytes(contacts.read_bytes() + b"\n")
    w.apply(monkeypatch, CSC_LANDING_DIR=str(landing), CSC_DUCKDB_PATH=str(db))
    _refused(pub.publish(skip_build=True), "audit", "landing files changed")
    assert checksums(w.published) == before


def test_a_bare_dbt_run_after_the_build_is_refused(published_warehouse, tmp_path, monkeypatch):
    """`dbt run` straight after `csc build` replaces tables the record does not describe."""
    from csc.build import dbt_run

    w = published_warehouse
    db = _copy_build(w, tmp_path)
    w.apply(monkeypatch, CSC_DUCKDB_PATH=str(db), DBT_TARGET_PATH=str(tmp_path / "target"))
    assert dbt_run("run", "--select", "dim_la")
    assert build_record.read(db).status == "superseded"
    w.apply(monkeypatch, CSC_DUCKDB_PATH=str(db))
    _refused(pub.publish(skip_build=True), "audit", "superseded")


def test_a_killed_publish_leaves_no_temporary_folder(published_warehouse, tmp_path):
    """Finding 9: kill -9 during the last steps of a publish (where the first version ran
    `dbt docs generate` in a csc-docs-* folder of the system temp dir): nothing is left in the
    temp dir, and the next publish removes the staging folder."""
    w = published_warehouse
    out = tmp_path / "out" / "published"
    temp = tmp_path / "tmp"
    temp.mkdir()
    log = tmp_path / "publish.log"
    proc = _spawn([*CSC, "publish", "--skip-build", "--out", str(out)], {**w.env, "TMPDIR": str(temp)}, log)
    deadline = time.monotonic() + 600
    while proc.poll() is None and time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if "dbt docs generate" in text or "privacy scan" in text:
            time.sleep(1.0)
            break
        time.sleep(0.2)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not list(temp.glob("csc-docs-*")), "a temporary docs folder was left behind"
    pub.swap.remove_stale(out)
    assert not list(out.parent.glob("published.tmp-*"))
