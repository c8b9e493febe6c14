"""csc.build_record: the record's layout changes without losing a build file, and the seed
tables are reused only when a passed build loaded the same seed files."""

from __future__ import annotations

import duckdb

from csc import build_record as rec


def _record(**changes) -> rec.BuildRecord:
    values = {
        "build_id": "b1",
        "status": rec.PASSED,
        "reason": None,
        "started_at": "2026-11-30T00:00:00Z",
        "finished_at": "2026-11-30T00:01:00Z",
        "landing": "/landing",
        "landing_hash": "h",
        "landing_files": [],
        "validation_id": "v1",
        "validation_problem": None,
        "dbt_version": "1.11",
        "selection": None,
        "artifacts_dir": None,
        "artifacts_sha256": {},
        "seeds_hash": "s1",
    }
    return rec.BuildRecord(**(values | changes))


def test_seeds_hash_follows_every_seed_file_and_the_project_file(tmp_path):
    seeds, project = tmp_path / "seeds", tmp_path / "dbt_project.yml"
    (seeds / "kpi").mkdir(parents=True)
    (seeds / "kpi" / "a.csv").write_text("code\nX\n")
    project.write_text("name: csc\n")
    first = rec.seeds_hash(seeds, project)
    assert rec.seeds_hash(seeds, project) == first
    (seeds / "kpi" / "a.csv").write_text("code\nY\n")
    changed_value = rec.seeds_hash(seeds, project)
    (seeds / "b.yml").write_text("seeds: []\n")
    added_file = rec.seeds_hash(seeds, project)
    project.write_text("name: csc\nseeds: {+column_types: {}}\n")
    assert len({first, changed_value, added_file, rec.seeds_hash(seeds, project)}) == 4


def test_seeds_hash_follows_the_test_sql_that_reads_seeds(tmp_path):
    """Data tests that read only seeds are skipped with the seeds: a changed generic or
    singular test must make them run again."""
    seeds, project, generic, singular = (tmp_path / n for n in ("seeds", "dbt_project.yml", "generic", "tests"))
    for folder in (seeds, generic, singular):
        folder.mkdir()
    project.write_text("name: csc\n")
    (generic / "t.sql").write_text("{% test t(model) %} select 1 where false {% endtest %}\n")
    first = rec.seeds_hash(seeds, project, (generic, singular))
    (generic / "t.sql").write_text("{% test t(model) %} select 1 {% endtest %}\n")
    changed_generic = rec.seeds_hash(seeds, project, (generic, singular))
    (singular / "assert_x.sql").write_text("select 1 where false\n")
    added_singular = rec.seeds_hash(seeds, project, (generic, singular))
    assert len({first, changed_generic, added_singular}) == 3
    assert rec.seeds_hash(seeds, project) != first  # the test folders are part of the hash


def test_seeds_are_reused_only_after_a_passed_build_of_the_same_seeds():
    assert rec.seeds_loaded(_record(), "s1")
    assert not rec.seeds_loaded(_record(), "s2")
    assert not rec.seeds_loaded(None, "s1")  # a new build file
    for status in (rec.STARTED, rec.FAILED, rec.PARTIAL, "superseded"):
        assert not rec.seeds_loaded(_record(status=status), "s1"), status
    assert not rec.seeds_loaded(_record(seeds_hash=None), "s1")  # a record from before seed reuse


def test_a_record_of_the_older_layout_is_read_and_replaced(tmp_path):
    db = tmp_path / "csc.duckdb"
    older = [c for c in rec.COLUMNS if c != "seeds_hash"]
    with duckdb.connect(str(db)) as con:
        con.execute(f"create table {rec.TABLE} ({', '.join(f'{c} varchar' for c in older)})")
        row = dict(zip(rec.COLUMNS, _record().row(), strict=True))
        con.execute(f"insert into {rec.TABLE} values ({', '.join('?' for _ in older)})", [row[c] for c in older])
    read = rec.read(db)
    assert read is not None and read.build_id == "b1" and read.seeds_hash is None
    assert not rec.seeds_loaded(read, "s1")
    rec.write(db, _record(build_id="b2"))
    again = rec.read(db)
    assert again is not None and again.build_id == "b2" and again.seeds_hash == "s1"
