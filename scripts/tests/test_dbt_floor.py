"""scripts/dev/dbt_floor.py: dbt alone on a build's node graph, trivial SQL (hand-made artifacts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csc import devtools

dbt_floor = devtools.load("dbt_floor")  # scripts/dev/dbt_floor.py


def _artifacts() -> tuple[dict, dict]:
    def model(name: str, materialized: str, *parents: str) -> dict:
        return {
            "resource_type": "model",
            "name": name,
            "config": {"materialized": materialized},
            "depends_on": {"nodes": [f"model.csc.{p}" for p in parents] + ["seed.csc.ref_codes"]},
        }

    nodes = {
        "model.csc.base_a": model("base_a", "table"),
        "model.csc.stg_a": model("stg_a", "view", "base_a"),
        "model.csc.fct_a": model("fct_a", "table", "stg_a", "base_a"),
        "seed.csc.ref_codes": {"resource_type": "seed", "name": "ref_codes", "depends_on": {"nodes": []}},
        "test.csc.columns_valid_fct_a.1": {"resource_type": "test", "depends_on": {"nodes": ["model.csc.fct_a"]}},
        "test.csc.seed_only.2": {"resource_type": "test", "depends_on": {"nodes": ["seed.csc.ref_codes"]}},
        "test.csc.not_run.3": {"resource_type": "test", "depends_on": {"nodes": ["model.csc.stg_a"]}},
    }
    ran = ["model.csc.base_a", "model.csc.stg_a", "model.csc.fct_a", "test.csc.columns_valid_fct_a.1"]
    ran.append("test.csc.seed_only.2")
    return {"nodes": nodes}, {"results": [{"unique_id": u} for u in ran]}


def test_the_floor_project_has_the_builds_models_edges_and_tests(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("CSC_DBT_THREADS", raising=False)  # the project's default, as profiles.yml reads it
    manifest, run_results = _artifacts()
    counts = dbt_floor.floor_project(manifest, run_results, tmp_path / "p")
    # every model; the tests the build ran on a model (a seed-only test and one not run left out)
    assert counts == {"models": 3, "data_tests": 1, "threads": 2}
    fct = (tmp_path / "p" / "models" / "fct_a.sql").read_text()
    assert "materialized='table'" in fct and "ref('stg_a')" in fct and "ref('base_a')" in fct
    assert "ref_codes" not in fct and fct.rstrip().endswith("select 1 as x")
    assert "materialized='view'" in (tmp_path / "p" / "models" / "stg_a.sql").read_text()
    assert [f.name for f in (tmp_path / "p" / "tests").iterdir()] == ["t0001.sql"]
    assert "ref('fct_a')" in (tmp_path / "p" / "tests" / "t0001.sql").read_text()
    assert {f.name for f in (tmp_path / "p" / "macros").iterdir()} == {"table.sql", "view.sql"}


def test_dbt_builds_the_floor_project_and_reruns_it_in_a_fresh_process(tmp_path: Path):
    manifest, run_results = _artifacts()
    result = dbt_floor.run_artifacts(manifest, run_results, tmp_path / "p")
    assert result["ok"] and result["models"] == 3 and result["data_tests"] == 1
    assert result["rerun"]["wall_s"] > 0 and result["rerun"]["cpu_s"] > 0
    assert (tmp_path / "p" / "floor.duckdb").is_file()


def test_a_folder_holding_anything_else_is_never_emptied(tmp_path: Path):
    manifest, run_results = _artifacts()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(dbt_floor.NotAFloorProject, match="not empty and not a dbt floor project"):
        dbt_floor.floor_project(manifest, run_results, tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "run_results.json").write_text(json.dumps(run_results))
    assert dbt_floor.main([str(tmp_path), str(tmp_path / "mine")]) == 2  # refused in one line, nothing run
    assert sorted(f.name for f in (tmp_path / "mine").iterdir()) == ["notes.txt"]
    (tmp_path / "a_file").write_text("keep me too")
    with pytest.raises(dbt_floor.NotAFloorProject):
        dbt_floor.floor_project(manifest, run_results, tmp_path / "a_file")
    assert (tmp_path / "a_file").read_text() == "keep me too"
    # an earlier floor project, or an empty folder, is made again
    (tmp_path / "empty").mkdir()
    assert dbt_floor.floor_project(manifest, run_results, tmp_path / "empty")["models"] == 3
    assert dbt_floor.floor_project(manifest, run_results, tmp_path / "empty")["models"] == 3
