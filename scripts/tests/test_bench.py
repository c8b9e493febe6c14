"""csc bench (scripts/dev/bench.py): the benchmark harness (fast, with stand-in steps) and one real run at a tiny size."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from csc import devtools

bench = devtools.load("bench")  # scripts/dev/bench.py


def _fake_measure(step: str, spec: dict, work: Path, env: dict | None = None) -> bench.Measured:
    """Stand-in steps: wall time grows with the size in the work folder's name."""
    size = float(work.name.removeprefix("size_"))
    results = {
        "generate": {"ok": True, "rows": {"ssd_person": int(1000 * size), "ssd_contacts": int(3000 * size)}},
        "validate": {"ok": True, "fatal": False},
        "build": {"ok": True},
        "publish": {"ok": True, "available": True},
        "direct": {
            "ok": True,
            "seconds": dict.fromkeys(bench.HEAVY_MODELS, 0.5),
            "plans": {m: bench.plan_joins("╭─ Hash Join ─╮") for m in bench.INTERVAL_JOIN_MODELS},
        },
        "dbt_models": {"ok": True},
        "direct_build": {
            "ok": True,
            "total_s": 2.0,
            "seconds": {"raw": 0.5, "table": 1.2, "view": 0.1, "test": 0.2},
            "raw_tables": 14,
            "models": 160,
            "data_tests": 130,
            "differing_tables": [],
            "tests_mismatched": [],
        },
        "dbt_floor": {
            "ok": True,
            "models": 160,
            "data_tests": 120,
            "threads": 2,
            "first_build_in_process": {"wall_s": 3.0, "cpu_s": 2.9},
            "rerun": {"wall_s": 2.5, "cpu_s": 2.4},
        },
    }
    rerun = step.startswith("rerun_")  # a rerun costs half the first run
    step = step.removeprefix("rerun_")
    wall = {"generate": 1.0, "validate": 2.0, "build": 4.0, "publish": 1.5}.get(step, 1.0) * (1 + 10 * size)
    wall = wall / 2 if rerun else wall
    return bench.Measured(
        ok=True,
        wall_s=wall,
        load_avg_1m=0.5,
        cpu_s=wall * 0.9,
        peak_rss_mb=100 + 1000 * size,
        exit_code=0,
        log=str(work / f"{step}.log"),
        result=results[step],
    )


def test_bench_harness_records_every_step_ratio_and_target(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "measure", _fake_measure)
    monkeypatch.setattr(bench, "row_counts", lambda db: {"sources": {"ssd_person": 10}, "marts": {"kpi_values": 5}})
    monkeypatch.setattr(
        bench,
        "dbt_timings",
        lambda target, top=15: {"models": {m: {"seconds": 0.75, "phases": {}} for m in bench.HEAVY_MODELS}},
    )
    lines: list[str] = []
    result = bench.run_bench("england", [1, 0.5, 0.25], tmp_path, echo=lines.append)

    saved = json.loads((tmp_path / "england.json").read_text())
    assert saved["sizes"] == [0.25, 0.5, 1.0]
    for run in saved["runs"]:
        assert set(run["steps"]) == set(bench.STEPS)
        for step in bench.PIPELINE_STEPS:
            s = run["steps"][step]
            assert s["ok"] and s["wall_s"] > 0 and s["cpu_s"] > 0 and s["peak_rss_mb"] > 0 and s["rows_per_s"] > 0
        assert run["pipeline"]["wall_s"] == pytest.approx(
            sum(run["steps"][s]["wall_s"] for s in bench.PIPELINE_STEPS), abs=0.05
        )
        assert run["rows"]["marts"] == {"kpi_values": 5}
    assert "dbt_overhead" in saved["runs"][-1] and "dbt_overhead" not in saved["runs"][0]
    whole = saved["runs"][-1]["direct_build"]
    assert whole["total_s"] == 2.0 and whole["differing_tables"] == [] and whole["process"]["ok"]
    assert "direct_build" not in saved["runs"][0] and "dbt_floor" not in saved["runs"][0]
    floor = saved["runs"][-1]["dbt_floor"]
    assert floor["rerun"] == {"wall_s": 2.5, "cpu_s": 2.4} and floor["models"] == 160
    overhead = saved["runs"][-1]["dbt_overhead"]
    assert overhead["ratio"] == pytest.approx(1.5)
    assert overhead["interval_join_plans"]["fct_children_in_need_month_end"]["joins"] == ["HASH_JOIN"]
    growth = saved["growth"]
    assert set(growth) == {*bench.STEPS, "pipeline"}
    assert growth["build"]["1/0.5"] == pytest.approx(11 / 6, abs=0.01)
    assert saved["targets"]["growth_full_over_half"]["met"] is True
    assert saved["targets"]["dbt_over_direct"]["met"] is True
    assert "pipeline_seconds" in saved["targets"] and saved["targets"]["peak_gb"]["met"] is True
    text = "\n".join(lines)
    assert "growth" in text and "dbt overhead" in text and "fct_referrals" in text
    assert "the whole build without dbt at size 1" in text and "dbt's): 2.0 s" in text
    assert "dbt alone on the same graph (160 models, 120 data tests" in text and ": 2.5 s (2.4 CPU s)" in text
    # the rerun's validate (11 s) and publish (8.25 s) around dbt alone (2.5 s)
    assert "the rerun's other steps with dbt alone as its build: 21.8 s" in text
    assert result["json"] == str(tmp_path / "england.json")


def test_publish_not_available_is_reported_not_fatal(tmp_path, monkeypatch):
    def measure(step, spec, work, env=None):
        m = _fake_measure(step, spec, work, env)
        if step == "publish":
            m.ok, m.result = False, {"ok": False, "available": False, "message": "csc.publish not importable"}
        return m

    monkeypatch.setattr(bench, "measure", measure)
    monkeypatch.setattr(bench, "row_counts", lambda db: {"sources": {}, "marts": {}})
    result = bench.run_bench("la", [0.5, 1], tmp_path, direct=False, echo=lambda *_: None)
    run = result["runs"][-1]
    assert run["steps"]["publish"]["available"] is False
    assert run["pipeline"]["steps"] == ["validate", "build"]
    assert result["growth"]["publish"]["1/0.5"] is None


def _fingerprints(kpi_hash: str = "1", duckdb_version: str = "2.0.1", key_tag: str | None = "k1") -> dict:
    tables = {"kpi_values": {"rows": 5, "hash": kpi_hash, "keyed": False}}
    tables["dq_issues"] = {"rows": 2, "hash": "2", "keyed": True}
    tables["dq_reconciliation"] = {"rows": 3, "hash": "3", "keyed": False}
    return {"duckdb": duckdb_version, "key_tag": key_tag, "tables": tables}


def test_the_rerun_is_measured_at_the_largest_size_and_judged(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "measure", _fake_measure)
    monkeypatch.setattr(bench, "row_counts", lambda db: {"sources": {}, "marts": {}})
    result = bench.run_bench("la", [0.5, 1], tmp_path, direct=False, echo=lambda *_: None)
    first, full = result["runs"]
    assert "rerun" not in first and set(full["rerun"]["steps"]) == set(bench.PIPELINE_STEPS)
    assert full["rerun"]["pipeline"]["wall_s"] == pytest.approx(full["pipeline"]["wall_s"] / 2, abs=0.05)
    assert result["targets"]["rerun_pipeline_seconds"]["limit"] == bench.TARGETS["la_pipeline_seconds"] == 20.0
    assert bench.TARGETS["england_pipeline_seconds"] == 300.0 and bench.TARGETS["england_peak_gb"] == 4.0
    assert bench.TARGETS["growth_full_over_half"] == 2.1


def test_a_previous_result_file_is_compared_step_by_step_and_output_by_output(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "measure", _fake_measure)
    monkeypatch.setattr(bench, "row_counts", lambda db: {"sources": {}, "marts": {}})
    monkeypatch.setattr(bench.compare_tool, "fingerprints", lambda db, key=None: _fingerprints())
    before = bench.run_bench("la", [0.5, 1], tmp_path / "a", direct=False, echo=lambda *_: None)
    lines: list[str] = []
    now = bench.run_bench("la", [1], tmp_path / "b", direct=False, previous=Path(before["json"]), echo=lines.append)
    comparison = now["comparison"]
    assert [s["size"] for s in comparison["sizes"]] == [1.0]  # only the sizes both runs have
    assert comparison["outputs_identical"] is True
    assert comparison["sizes"][0]["wall_s"]["build"]["before"] == before["runs"][1]["steps"]["build"]["wall_s"]
    assert "outputs identical at every size: yes" in "\n".join(lines)

    changed = {**now["runs"][0], "outputs": _fingerprints(kpi_hash="9")}
    verdict = bench.compare_tool.compare({**now, "runs": [changed]}, before, "x.json")
    assert verdict["outputs_identical"] is False
    assert verdict["sizes"][0]["outputs"]["kpi_values"].startswith("DIFFERENT")
    other_duckdb = {**now["runs"][0], "outputs": _fingerprints(duckdb_version="9.9")}
    verdict = bench.compare_tool.compare({**now, "runs": [other_duckdb]}, before, "x.json")
    assert verdict["sizes"][0]["outputs"]["kpi_values"].startswith("not comparable")

    # another pseudonymisation key: dq_issues (child_key) cannot be compared, the rest can
    other_key = {**now["runs"][0], "outputs": _fingerprints(key_tag="k2")}
    verdict = bench.compare_tool.compare({**now, "runs": [other_key]}, before, "x.json")["sizes"][0]["outputs"]
    assert verdict["dq_issues"].startswith("not comparable") and verdict["kpi_values"] == "identical"
    untagged = {**now["runs"][0], "outputs": _fingerprints(key_tag=None)}  # a result file from before tags
    verdict = bench.compare_tool.compare({**now, "runs": [untagged]}, before, "x.json")["sizes"][0]["outputs"]
    assert verdict["dq_issues"] == "identical"
    old_format = _fingerprints(key_tag=None)  # a result file from before tags and "keyed"
    old_format["tables"] = {t: {"rows": v["rows"], "hash": v["hash"]} for t, v in old_format["tables"].items()}
    verdict = bench.compare_tool.compare({**now, "runs": [{**now["runs"][0], "outputs": old_format}]}, before, "x.json")
    assert set(verdict["sizes"][0]["outputs"].values()) == {"identical"}


def test_the_key_tag_tells_keys_apart_and_does_not_hold_the_key(tmp_path):
    tag = bench.compare_tool.key_tag("synthetic-dev-key")
    assert tag == bench.compare_tool.key_tag("synthetic-dev-key") != bench.compare_tool.key_tag("synthetic-dev-kez")
    assert len(tag) == 12 and "synthetic" not in tag
    assert bench.compare_tool.fingerprints(tmp_path / "none.duckdb", "synthetic-dev-key")["key_tag"] == tag
    assert bench.compare_tool.fingerprints(tmp_path / "none.duckdb")["key_tag"] is None


@pytest.mark.parametrize("content", [None, "not json", '{"scale": "la"}'])
def test_a_bad_previous_file_is_refused_in_one_line_before_anything_runs(tmp_path, monkeypatch, content):
    monkeypatch.setattr(bench, "measure", lambda *a, **k: pytest.fail("ran a step"))
    previous = tmp_path / "old.json"
    if content is not None:
        previous.write_text(content)
    with pytest.raises(ValueError, match=r"^--previous .*old\.json: [^\n]+$"):
        bench.run_bench("la", [1], tmp_path / "out", previous=previous, echo=lambda *_: None)


def test_fingerprints_ignore_row_order_and_see_any_changed_value(tmp_path):
    import duckdb

    db = tmp_path / "b.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema marts")
    con.execute("create table marts.kpi_values as select range as n, cast(0.1 * range as double) as v from range(100)")
    con.execute("create table marts.dq_issues as select 'k' || range as child_key from range(3)")
    con.close()
    first = bench.compare_tool.fingerprints(db)
    # which outputs carry child_key (and so change with the key) is read from the build's columns
    assert first["tables"]["kpi_values"]["keyed"] is False and first["tables"]["dq_issues"]["keyed"] is True
    con = duckdb.connect(str(db))
    con.execute("create or replace table marts.kpi_values as select * from marts.kpi_values order by n desc")
    con.close()
    assert bench.compare_tool.fingerprints(db) == first  # same rows, another order
    con = duckdb.connect(str(db))
    con.execute("update marts.kpi_values set v = v + 1e-12 where n = 7")
    con.close()
    assert bench.compare_tool.fingerprints(db)["tables"]["kpi_values"] != first["tables"]["kpi_values"]
    assert set(first["tables"]) == {"kpi_values", "dq_issues"}  # dq_reconciliation absent, not invented


def test_plan_joins_reads_both_explain_renderings():
    old = "┌─────────────┐\n│   IE_JOIN   │\n└─────────────┘\n┌───────────────┐\n│ CROSS_PRODUCT │"
    assert bench.plan_joins(old)["joins"] == ["IE_JOIN", "CROSS_PRODUCT"]
    new = "╭─ Hash Join ──╮\n│ ... │\n╭─ IE Join ──╮\n╭─ Cross Product ─╮"
    found = bench.plan_joins(new)
    assert found["joins"] == ["HASH_JOIN", "IE_JOIN", "CROSS_PRODUCT"]
    assert found["interval_join"] == ["IE_JOIN"] and found["quadratic_join"] == ["CROSS_PRODUCT"]


def test_sizes_and_scale_are_checked(tmp_path):
    assert bench.parse_sizes("0.25, 0.5,1") == [0.25, 0.5, 1.0]
    with pytest.raises(ValueError):
        bench.parse_sizes("half")
    with pytest.raises(ValueError):
        bench.run_bench("wales", [1], tmp_path)
    with pytest.raises(ValueError):
        bench.run_bench("la", [0], tmp_path)


def test_the_tool_lives_apart_from_the_runtime_package():
    import csc

    assert Path(bench.__file__).parent == devtools.DEV_DIR
    assert not (Path(csc.__file__).parent / "bench.py").exists()
    assert not (Path(csc.__file__).parent / "cin_census" / "bench.py").exists()


def test_csc_bench_without_the_development_tools_says_so_in_one_line(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from csc.cli import app

    monkeypatch.setattr(devtools, "DEV_DIR", tmp_path)
    monkeypatch.delitem(sys.modules, "csc_dev_bench")
    result = CliRunner().invoke(app, ["bench", "--sizes", "0.02"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "bench.py not found" in lines[0] and "source checkout" in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_real_bench_at_a_tiny_size(tmp_path):
    """The whole benchmark for real (generate, validate, build, publish, the direct comparison)
    on the demo council at 2% and 4% of its size: every step ran, was measured and has a ratio."""
    result = bench.run_bench("la", [0.02, 0.04], tmp_path / "bench", echo=lambda *_: None)
    saved = json.loads((tmp_path / "bench" / "la.json").read_text())
    assert saved["scale"] == "la" and len(saved["runs"]) == 2
    for run in saved["runs"]:
        for step in bench.STEPS:
            s = run["steps"][step]
            assert s["wall_s"] > 0 and s["peak_rss_mb"] > 0, step
            assert s["ok"] or s.get("available") is False, step
        assert run["rows"]["sources"]["ssd_cin_episodes"] > 0
        assert run["rows"]["marts"]["kpi_values"] > 0
        assert run["dbt"]["models"]["fct_referrals"]["seconds"] > 0
    for step in (*bench.STEPS, "pipeline"):
        assert "0.04/0.02" in saved["growth"][step]
    overhead = saved["runs"][-1]["dbt_overhead"]
    assert set(overhead["models"]) == set(bench.HEAVY_MODELS)
    assert all(v["direct_s"] >= 0 and v["dbt_s"] is not None for v in overhead["models"].values())
    # the whole build's SQL without dbt made dbt's tables and test results (else the bench fails)
    whole = saved["runs"][-1]["direct_build"]
    assert whole["models"] > 100 and whole["data_tests"] > 50 and whole["raw_tables"] >= 12
    assert whole["differing_tables"] == [] and whole["tests_mismatched"] == [] and whole["total_s"] > 0
    # dbt alone on the same graph: every model, every data test the rerun ran on a model
    floor = saved["runs"][-1]["dbt_floor"]
    assert floor["models"] == whole["models"] and 50 < floor["data_tests"] <= whole["data_tests"]
    assert floor["rerun"]["wall_s"] > 0 and floor["rerun"]["cpu_s"] > 0
    assert not (tmp_path / "bench" / "work").exists()  # the work folder is cleaned up
    full = saved["runs"][-1]
    assert set(full["outputs"]["tables"]) == {"kpi_values", "dq_issues", "dq_reconciliation"}
    # the rerun (partial parse, seeds not reloaded, seed-only tests left out) computes the same
    assert full["rerun"]["outputs"] == full["outputs"]
    assert all(full["rerun"]["steps"][s]["ok"] for s in bench.PIPELINE_STEPS)
    assert result["bench_seconds"] > 0


def test_a_reused_extract_without_a_time_has_no_growth_ratio():
    """An extract generated outside the bench (--reuse, its record without times) leaves its
    generate ratio empty instead of stopping the report after every size has run."""

    def run(size, generate_wall):
        steps = {s: {"wall_s": 2.0 * size} for s in bench.PIPELINE_STEPS}
        return {
            "size": size,
            "pipeline": {"wall_s": 6.0 * size},
            "steps": {"generate": {"wall_s": generate_wall}, **steps},
        }

    growth = bench.growth_ratios([run(0.5, 10.0), run(1.0, None)])
    assert growth["generate"]["1/0.5"] is None
    assert growth["build"]["1/0.5"] == 2.0 and growth["pipeline"]["1/0.5"] == 2.0
