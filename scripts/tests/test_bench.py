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
    }
    wall = {"generate": 1.0, "validate": 2.0, "build": 4.0, "publish": 1.5}.get(step, 1.0) * (1 + 10 * size)
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
    assert not (tmp_path / "bench" / "work").exists()  # the work folder is cleaned up
    assert result["bench_seconds"] > 0
