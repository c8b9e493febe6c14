"""`csc bench`: what validate, build and publish cost, at council and at England scale.

    csc bench --scale la|england [--sizes 0.25,0.5,1]

For each size (the generator's `size` multiplier) the benchmark
  1. generates a SYNTHETIC extract (timed on its own, not part of the pipeline total):
     scale "la" is the default demo council (878), scale "england" all 152 councils;
     both over 1 April 2013 - 30 September 2016;
  2. runs `csc validate`, `dbt build` and `csc publish`, each in a fresh child process, and
     records its wall time, CPU time (user + system) and peak memory (the child's maximum
     resident set size, from wait4), so every step's peak is its own;
  3. counts the rows of every source table (raw.<table>) and every mart, and works out rows
     per second (source rows / seconds).
The growth ratios (each step's wall time at one size over the size before it: full / half
with the default sizes) show how cost grows with data.

At the largest size it also measures a lower bound: the compiled SQL of the heaviest models
(HEAVY_MODELS) run directly in DuckDB, without dbt, in a copy of the build database, against
dbt's own execution time for the same models (target/run_results.json), so the report shows
how much of the time is dbt's own overhead; and the whole build the same way (every model's
and data test's compiled SQL, after reading the landing again: scripts/dev/direct_build.py),
which must make the same tables, as the floor of a rebuild without dbt; and the other floor,
dbt alone on the same graph with trivial SQL (scripts/dev/dbt_floor.py). It also records the
join operators DuckDB plans for the month-end stock models (an interval join, never a cross
product).

Everything runs in a work folder of its own (landing, build file, dbt target, published
folder), so the demo warehouse is never touched. Results: <out_dir>/<scale>.json and a table
on the terminal.
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from csc import devtools, paths
from csc.duckdb_settings import memory_limit

compare_tool = devtools.load("bench_compare", Path(__file__).resolve().parent)

SCALES = ("la", "england")
DEFAULT_SIZES = (0.25, 0.5, 1.0)
START, END, SEED = "2013-04-01", "2016-09-30", 20160930
DEMO_LA = "878"
PIPELINE_STEPS = ("validate", "build", "publish")
STEPS = ("generate", *PIPELINE_STEPS)
# The heaviest models: working days, re-referrals, CP plan history, month-end stock, the KPI grid.
HEAVY_MODELS = ("fct_referrals", "fct_assessments", "fct_cp_plans", "fct_children_in_need_month_end", "kpi_values")
# Month-end stock models whose join DuckDB must plan as an interval join.
INTERVAL_JOIN_MODELS = ("fct_children_in_need_month_end", "fct_cp_plans_month_end")
INTERVAL_OPERATORS = ("IE_JOIN", "PIECEWISE_MERGE_JOIN", "RANGE_JOIN", "ASOF_JOIN")
QUADRATIC_OPERATORS = ("CROSS_PRODUCT", "NESTED_LOOP_JOIN", "BLOCKWISE_NL_JOIN")
PLAN_OPERATOR = re.compile(r"[┌╭]─+\s*([A-Za-z_][A-Za-z_ ]*?)\s*─")
OLD_PLAN_OPERATOR = re.compile(r"│\s*([A-Z][A-Z_]*_JOIN|CROSS_PRODUCT)\s*│")

# The targets (2-core, 24 GB machine): a council's validate + build + publish, all of
# England's, England's peak memory, the growth of every step per doubling of the extract.
TARGETS = {
    "la_pipeline_seconds": 20.0,
    "england_pipeline_seconds": 300.0,
    "england_peak_gb": 4.0,
    "growth_full_over_half": 2.1,
    "dbt_over_direct": 2.0,
}

Echo = Callable[[str], Any]


class BenchError(Exception):
    pass


# --------------------------------------------------------------------------------------------
# One measured child process
# --------------------------------------------------------------------------------------------


@dataclass
class Measured:
    ok: bool
    wall_s: float
    load_avg_1m: float
    cpu_s: float
    peak_rss_mb: float
    exit_code: int
    log: str
    result: dict


def _child_env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "CSC_LANDING_DIR": str(work / "landing"),
            "CSC_DUCKDB_PATH": str(work / "build" / "csc.duckdb"),
            "CSC_PUBLISH_DIR": str(work / "published"),
            "DBT_TARGET_PATH": str(work / "target"),
            "DBT_LOG_PATH": str(work / "logs"),
            "DBT_PROFILES_DIR": str(paths.REPO_ROOT),
            "GX_ANALYTICS_ENABLED": "false",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("CSC_REPORTING_DATE", None)
    env.pop("CSC_EXTRACT_START", None)
    return env


def measure(step: str, spec: dict, work: Path, env: dict[str, str] | None = None) -> Measured:
    """Run one step in a fresh Python process; its wall time, CPU time and peak RSS."""
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{step}.log"
    result_file = logs / f"{step}.result.json"
    result_file.unlink(missing_ok=True)
    spec = {**spec, "result_file": str(result_file)}
    with log.open("w", encoding="utf-8") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), step, json.dumps(spec)],
            cwd=paths.REPO_ROOT,
            env={**_child_env(work), **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    load = os.getloadavg()[0]
    try:
        result = json.loads(result_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        result = {}
    return Measured(
        ok=proc.returncode == 0 and bool(result.get("ok")),
        wall_s=wall,
        load_avg_1m=load,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        exit_code=proc.returncode,
        log=str(log),
        result=result,
    )


# --------------------------------------------------------------------------------------------
# The steps, as run inside the child process (python scripts/dev/bench.py <step> <spec>)
# --------------------------------------------------------------------------------------------


def _step_generate(spec: dict) -> dict:
    from csc.generate import generate_extract

    landing = paths.landing_dir()
    if landing.exists():
        shutil.rmtree(landing)
    totals = generate_extract(
        out=landing,
        la_codes=spec["la_codes"],
        scale=spec["scale"],
        start=START,
        end=END,
        seed=SEED,
        size=spec["size"],
        faults=False,
        progress=False,
    )
    return {"ok": True, "rows": totals}


def _step_validate(spec: dict) -> dict:
    from csc.validate import validate_landing

    result = validate_landing(paths.landing_dir(), out_dir=Path(os.environ["DBT_TARGET_PATH"]))
    return {
        "ok": not result.fatal,
        "fatal": result.fatal,
        "warnings": result.total("warning"),
        "rows": sum(r.rows for r in result.files),
    }


def _step_build(spec: dict) -> dict:
    from csc.build import dbt_build

    paths.duckdb_path().parent.mkdir(parents=True, exist_ok=True)
    return {"ok": dbt_build()}


def _step_publish(spec: dict) -> dict:
    try:
        from csc.publish import publish
    except Exception as exc:  # another engineer's module may not be there yet
        return {"ok": False, "available": False, "message": f"csc.publish not importable: {exc}"}
    try:
        outcome = publish(skip_build=True, published_dir=paths.published_dir())
    except Exception as exc:
        return {"ok": False, "available": False, "message": f"csc.publish failed: {exc!r}"}
    return {"ok": bool(outcome), "available": True, "stage": outcome.stage, "message": outcome.message}


def _step_direct(spec: dict) -> dict:
    """The compiled SQL of the heavy models, straight into a copy of the build database."""
    import duckdb

    from csc.pseudonym import pseudonym_key

    build_db = paths.duckdb_path()
    target = Path(os.environ["DBT_TARGET_PATH"])
    copy_dir = Path(spec["copy_dir"])
    shutil.rmtree(copy_dir, ignore_errors=True)
    copy_dir.mkdir(parents=True)
    copy = devtools.load("direct_build", Path(__file__).resolve().parent).copy_build(build_db, copy_dir)

    con = duckdb.connect(str(copy), config={"memory_limit": spec["memory_limit"], "preserve_insertion_order": False})
    con.execute("set variable csc_pseudonym_key = ?", [pseudonym_key()])
    compiled = compiled_models(target)
    timings, plans = {}, {}
    try:
        for name in spec["models"]:
            relation, sql = compiled[name]
            started = time.perf_counter()
            con.execute(f"create or replace table {relation} as (\n{sql}\n)")
            timings[name] = time.perf_counter() - started
        for name in spec["plan_models"]:
            sql = compiled[name][1]
            plan = "\n".join(str(r[1]) for r in con.execute(f"explain {sql}").fetchall())
            plans[name] = plan_joins(plan)
    finally:
        con.close()
    return {"ok": True, "seconds": timings, "plans": plans}


def _step_dbt_models(spec: dict) -> dict:
    """`dbt run` of some models alone, one at a time (run against the copy of the build)."""
    from csc.build import dbt_run

    target = Path(os.environ["DBT_TARGET_PATH"])
    target.mkdir(parents=True, exist_ok=True)
    parsed = Path(spec["partial_parse"])
    if parsed.is_file():  # parse as a rebuild would, not from scratch
        shutil.copyfile(parsed, target / "partial_parse.msgpack")
    return {"ok": dbt_run("run", "--select", " ".join(spec["models"]), "--threads", "1")}


def plan_joins(plan: str) -> dict:
    """The join operators of an EXPLAIN plan (either DuckDB rendering of operator names)."""
    names = [m.strip().upper().replace(" ", "_") for m in PLAN_OPERATOR.findall(plan)]
    names += OLD_PLAN_OPERATOR.findall(plan)  # the older rendering: │ HASH_JOIN │
    joins = [n for n in names if "JOIN" in n or n == "CROSS_PRODUCT"]
    return {
        "joins": joins,
        "interval_join": [n for n in joins if n in INTERVAL_OPERATORS],
        "quadratic_join": [n for n in joins if n in QUADRATIC_OPERATORS],
    }


def compiled_models(target: Path) -> dict[str, tuple[str, str]]:
    """{model: (relation, the SQL dbt ran)} from the build's run_results.json."""
    run = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    return {
        r["unique_id"].rsplit(".", 1)[-1]: (r["relation_name"], r["compiled_code"])
        for r in run.get("results", [])
        if r["unique_id"].startswith("model.") and r.get("compiled_code") and r.get("relation_name")
    }


def _step_direct_build(spec: dict) -> dict:
    """The whole build's compiled SQL straight into a copy of the build file (direct_build.py)."""
    tool = devtools.load("direct_build", Path(__file__).resolve().parent)
    copy_dir = Path(spec["dir"])
    shutil.rmtree(copy_dir, ignore_errors=True)
    copy_dir.mkdir(parents=True)
    result = tool.run(paths.duckdb_path(), Path(os.environ["DBT_TARGET_PATH"]), paths.landing_dir(), copy_dir)
    return {"ok": not (result["differing_tables"] or result["tests_mismatched"]), **result}


def _step_dbt_floor(spec: dict) -> dict:
    """dbt alone on this build's graph, trivial SQL (dbt_floor.py): a first build, then a rerun."""
    tool = devtools.load("dbt_floor", Path(__file__).resolve().parent)
    return tool.run(Path(os.environ["DBT_TARGET_PATH"]), Path(spec["dir"]))


CHILD_STEPS: dict[str, Callable[[dict], dict]] = {
    "generate": _step_generate,
    "validate": _step_validate,
    "build": _step_build,
    "publish": _step_publish,
    "direct": _step_direct,
    "dbt_models": _step_dbt_models,
    "direct_build": _step_direct_build,
    "dbt_floor": _step_dbt_floor,
}


def _child_main(argv: list[str]) -> int:
    step, spec = argv[0].removeprefix("rerun_"), json.loads(argv[1])
    try:
        result = CHILD_STEPS[step](spec)
    except Exception as exc:  # recorded, and the step reported as failed
        import traceback

        traceback.print_exc()
        result = {"ok": False, "error": repr(exc)}
    Path(spec["result_file"]).write_text(json.dumps(result, default=str), encoding="utf-8")
    return 0 if result.get("ok") else 1


# --------------------------------------------------------------------------------------------
# Reading the build back: row counts and dbt's own timings
# --------------------------------------------------------------------------------------------


def row_counts(build_db: Path) -> dict[str, dict[str, int]]:
    """Rows of every raw.<table> (the landing files as loaded) and every marts.<table>."""
    import duckdb

    counts: dict[str, dict[str, int]] = {"sources": {}, "marts": {}}
    if not build_db.exists():
        return counts
    con = duckdb.connect(str(build_db), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('raw', 'marts') and table_type = 'BASE TABLE' "
            "order by 1, 2"
        ).fetchall()
        for schema, name in tables:
            if schema == "raw" and not name.startswith("ssd_"):
                continue
            n = con.execute(f'select count(*) from "{schema}"."{name}"').fetchall()[0][0]
            counts["sources" if schema == "raw" else "marts"][name] = int(n)
    finally:
        con.close()
    return counts


def dbt_timings(target: Path, top: int = 15) -> dict:
    """Per-node seconds from run_results.json: totals by kind, the slowest models, the heavy ones."""
    try:
        run = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    by_kind: dict[str, float] = {}
    models: dict[str, dict] = {}
    for r in run.get("results", []):
        kind = r["unique_id"].split(".", 1)[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + float(r.get("execution_time") or 0.0)
        if kind == "model":
            phases = {}
            for t in r.get("timing", []):
                if t.get("started_at") and t.get("completed_at"):
                    phases[t["name"]] = round(_seconds_between(t["started_at"], t["completed_at"]), 3)
            models[r["unique_id"].rsplit(".", 1)[-1]] = {
                "seconds": round(float(r.get("execution_time") or 0.0), 3),
                "phases": phases,
                "status": r.get("status"),
            }
    slowest = sorted(models.items(), key=lambda kv: -kv[1]["seconds"])[:top]
    return {
        "elapsed_s": round(float(run.get("elapsed_time") or 0.0), 2),
        "seconds_by_kind": {k: round(v, 2) for k, v in sorted(by_kind.items())},
        "slowest_models": {k: v["seconds"] for k, v in slowest},
        "models": models,
    }


def _seconds_between(a: str, b: str) -> float:
    def parse(s: str) -> datetime:
        return datetime.fromisoformat(s.replace("Z", "+00:00"))

    return (parse(b) - parse(a)).total_seconds()


# --------------------------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------------------------


def _size_label(size: float) -> str:
    return f"{size:g}"


def _step_record(m: Measured, rows: int | None) -> dict:
    record = {
        "ok": m.ok,
        "wall_s": round(m.wall_s, 2),
        "cpu_s": round(m.cpu_s, 2),
        "peak_rss_mb": round(m.peak_rss_mb, 1),
        "exit_code": m.exit_code,
        "log": m.log,
        # the machine's 1-minute load average when the step ended: > cores means the
        # step shared the CPU with something else and its wall time is inflated
        "load_avg_1m": round(m.load_avg_1m, 2),
    }
    if rows:
        record["rows_per_s"] = round(rows / m.wall_s) if m.wall_s > 0 else None
    extra = {k: v for k, v in m.result.items() if k not in ("ok", "rows")}
    if extra:
        record["detail"] = extra
    return record


def _reuse_generate(work: Path) -> dict | None:
    """A previous run's generate record, when its extract is still in place (--reuse)."""
    record_file = work / "generate.json"
    if not (work / "landing" / paths.DEMO_MARKER).exists() or not record_file.exists():
        return None
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return {**record, "reused": True}


def bench_size(
    scale: str, size: float, work: Path, *, reuse: bool, direct: bool, echo: Echo, rerun: bool = False
) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    for d in ("build", "target", "published"):
        shutil.rmtree(work / d, ignore_errors=True)
    la_codes = [DEMO_LA] if scale == "la" else []
    steps: dict[str, dict] = {}

    generate = _reuse_generate(work) if reuse else None
    if generate is None:
        echo(f"  size {size:g}: generating the {scale} extract")
        m = measure("generate", {"scale": scale, "size": size, "la_codes": la_codes}, work)
        if not m.ok:
            raise BenchError(f"generate failed at size {size:g}: see {m.log}")
        generate = _step_record(m, None)
        generate["rows"] = m.result.get("rows", {})
        (work / "generate.json").write_text(json.dumps(generate, indent=2), encoding="utf-8")
    steps["generate"] = generate
    source_rows = sum(generate.get("rows", {}).values())

    for step in PIPELINE_STEPS:
        echo(f"  size {size:g}: {step}")
        m = measure(step, {}, work)
        steps[step] = _step_record(m, source_rows)
        if step == "publish" and not m.result.get("available", True):
            steps[step]["available"] = False
        elif not m.ok:
            raise BenchError(f"{step} failed at size {size:g}: see {m.log}")

    pipeline = _pipeline(steps, source_rows)
    counts = row_counts(work / "build" / "csc.duckdb")
    record = {
        "size": size,
        "source_rows": source_rows,
        "steps": steps,
        "pipeline": pipeline,
        "rows": counts,
        "outputs": compare_tool.fingerprints(work / "build" / "csc.duckdb", _build_key(work)),
        "dbt": dbt_timings(work / "target"),
    }
    if rerun:
        record["rerun"] = _rerun(work, size, source_rows, echo)
    if direct:
        record["dbt_overhead"] = dbt_overhead(work, record["dbt"], echo)
        record["direct_build"] = whole_build_direct(work, echo)
        record["dbt_floor"] = dbt_floor(work, echo)
    return record


def _build_key(work: Path) -> str | None:
    """The pseudonymisation key the steps ran under: $CSC_PSEUDONYM_KEY, or the demo key for
    the generated extract (csc.pseudonym decides, as it did in the steps)."""
    from csc.pseudonym import PseudonymKeyMissing, pseudonym_key

    try:
        return pseudonym_key(work / "landing")
    except PseudonymKeyMissing:
        return None


def _pipeline(steps: dict, source_rows: int) -> dict:
    ran = [steps[s] for s in PIPELINE_STEPS if steps[s].get("available", True)]
    wall = sum(s["wall_s"] for s in ran)
    return {
        "steps": [s for s in PIPELINE_STEPS if steps[s].get("available", True)],
        "wall_s": round(wall, 2),
        "cpu_s": round(sum(s["cpu_s"] for s in ran), 2),
        "peak_rss_mb": max((s["peak_rss_mb"] for s in ran), default=0.0),
        "rows_per_s": round(source_rows / wall) if wall > 0 else None,
    }


def _rerun(work: Path, size: float, source_rows: int, echo: Echo) -> dict:
    """validate + build + publish again over the same build file: a council's rerun after it
    fixed a record (the landing is re-validated; dbt parses partially and the seeds, unchanged,
    are not reloaded). The first run above is the cold case: a new build file."""
    steps: dict[str, dict] = {}
    for step in PIPELINE_STEPS:
        echo(f"  size {size:g}: {step} (rerun)")
        m = measure(f"rerun_{step}", {"step": step}, work)
        steps[step] = _step_record(m, source_rows)
        if step == "publish" and not m.result.get("available", True):
            steps[step]["available"] = False
        elif not m.ok:
            raise BenchError(f"{step} (rerun) failed at size {size:g}: see {m.log}")
    outputs = compare_tool.fingerprints(work / "build" / "csc.duckdb", _build_key(work))
    return {"steps": steps, "pipeline": _pipeline(steps, source_rows), "outputs": outputs}


def dbt_overhead(work: Path, timings: dict, echo: Echo) -> dict:
    """The heavy models: their compiled SQL run straight in DuckDB (a copy of the build database,
    one model at a time) against dbt running the same models. dbt is measured twice: within the
    whole build (two models at a time, as `csc build` runs them) and alone (`dbt run --select
    <heavy models> --threads 1` on the same copy), whose per-model times are the fair comparison."""
    echo("  direct DuckDB run of the heavy models' compiled SQL, then dbt run of the same models")
    copy_dir = work / "direct"
    try:
        spec = {
            "models": list(HEAVY_MODELS),
            "plan_models": list(INTERVAL_JOIN_MODELS),
            "copy_dir": str(copy_dir),
            "memory_limit": memory_limit(),
        }
        m = measure("direct", spec, work)
        if not m.ok:
            raise BenchError(f"direct DuckDB run failed: see {m.log}")
        alone_target = work / "direct_target"
        d = measure(
            "dbt_models",
            {"models": list(HEAVY_MODELS), "partial_parse": str(work / "target" / "partial_parse.msgpack")},
            work,
            env={"CSC_DUCKDB_PATH": str(copy_dir / "csc.duckdb"), "DBT_TARGET_PATH": str(alone_target)},
        )
        if not d.ok:
            raise BenchError(f"dbt run of the heavy models failed: see {d.log}")
        alone = dbt_timings(alone_target)
    finally:
        shutil.rmtree(copy_dir, ignore_errors=True)
        shutil.rmtree(work / "direct_target", ignore_errors=True)
    direct = m.result["seconds"]
    models = {}
    for name in HEAVY_MODELS:
        in_build = timings.get("models", {}).get(name, {}).get("seconds")
        dbt_s = alone.get("models", {}).get(name, {}).get("seconds")
        models[name] = {
            "direct_s": round(direct[name], 3),
            "dbt_s": dbt_s,
            "ratio": round(dbt_s / direct[name], 2) if dbt_s and direct[name] > 0 else None,
            "dbt_in_build_s": in_build,
            "in_build_ratio": round(in_build / direct[name], 2) if in_build and direct[name] > 0 else None,
        }
    direct_total = sum(direct.values())
    dbt_total = sum(v["dbt_s"] or 0.0 for v in models.values())
    in_build_total = sum(v["dbt_in_build_s"] or 0.0 for v in models.values())
    return {
        "models": models,
        "direct_total_s": round(direct_total, 2),
        "dbt_total_s": round(dbt_total, 2),
        "ratio": round(dbt_total / direct_total, 2) if direct_total > 0 else None,
        "dbt_in_build_total_s": round(in_build_total, 2),
        "in_build_ratio": round(in_build_total / direct_total, 2) if direct_total > 0 else None,
        # the whole `dbt run --select` process: start-up, parse, hooks and the five models
        "dbt_process_wall_s": round(d.wall_s, 2),
        "process_ratio": round(d.wall_s / direct_total, 2) if direct_total > 0 else None,
        "interval_join_plans": m.result.get("plans", {}),
        "direct_step": _step_record(m, None),
        "dbt_step": _step_record(d, None),
    }


def _measure_in_scratch(step: str, work: Path, failure: str) -> Measured:
    """measure(step) with a scratch folder of its own (<work>/<step>, spec "dir"), removed after."""
    scratch = work / step
    try:
        m = measure(step, {"dir": str(scratch)}, work)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if not m.ok:
        raise BenchError(f"{failure}: see {m.log}")
    return m


def whole_build_direct(work: Path, echo: Echo) -> dict:
    """The floor of a rebuild on this machine: every model's and data test's compiled SQL run
    straight in DuckDB, without dbt, on a copy of the (last) build file, after the landing is
    read again (scripts/dev/direct_build.py). It must make the same tables and test results."""
    echo("  the whole build's SQL straight in DuckDB, without dbt (the floor of a rebuild)")
    m = _measure_in_scratch("direct_build", work, "the direct run of the whole build failed or differed from dbt's")
    kept = ("total_s", "seconds", "raw_tables", "models", "data_tests", "differing_tables", "tests_mismatched")
    # total_s: reading the landing, the models and the tests; the process also copies the
    # build file and compares every table with dbt's (in its wall and CPU, not in total_s)
    process = _step_record(m, None)
    process.pop("detail", None)  # the result itself, kept above
    return {**{k: m.result[k] for k in kept}, "process": process}


def dbt_floor(work: Path, echo: Echo) -> dict:
    """The other floor: dbt alone on the (last) build's graph, every model and data test of it
    with trivial SQL (scripts/dev/dbt_floor.py), a first build and a rerun. With the whole
    build without dbt (above), it bounds what a build can gain: from the SQL, or from dbt."""
    echo("  dbt alone on the same graph, trivial SQL (the floor of a build with dbt)")
    m = _measure_in_scratch("dbt_floor", work, "dbt alone on the build's graph failed")
    kept = ("models", "data_tests", "threads", "first_build_in_process", "rerun")
    return {k: m.result[k] for k in kept}


def growth_ratios(runs: list[dict]) -> dict:
    """Each step's wall time at each size over the size before it (sizes ascending)."""
    out: dict[str, dict[str, float | None]] = {}
    for smaller, larger in itertools.pairwise(runs):
        label = f"{_size_label(larger['size'])}/{_size_label(smaller['size'])}"
        for step in (*STEPS, "pipeline"):
            a = smaller["pipeline"] if step == "pipeline" else smaller["steps"].get(step, {})
            b = larger["pipeline"] if step == "pipeline" else larger["steps"].get(step, {})
            if a.get("available", True) is False or b.get("available", True) is False:
                ratio = None
            else:
                # a reused extract's record may have no time (generated outside the bench)
                ratio = round(b["wall_s"] / a["wall_s"], 2) if a.get("wall_s") and b.get("wall_s") else None
            out.setdefault(step, {})[label] = ratio
    return out


def _targets(scale: str, runs: list[dict], growth: dict) -> dict:
    full = next((r for r in runs if r["size"] == 1.0), None)
    out: dict[str, Any] = {}
    if full is not None:
        wall, peak_gb = full["pipeline"]["wall_s"], full["pipeline"]["peak_rss_mb"] / 1024
        if scale == "la":
            limit = TARGETS["la_pipeline_seconds"]
            out["pipeline_seconds"] = {"limit": limit, "value": wall, "met": wall < limit}
            if "rerun" in full:
                again = full["rerun"]["pipeline"]["wall_s"]
                out["rerun_pipeline_seconds"] = {"limit": limit, "value": again, "met": again < limit}
        else:
            limit = TARGETS["england_pipeline_seconds"]
            out["pipeline_seconds"] = {"limit": limit, "value": wall, "met": wall < limit}
            out["peak_gb"] = {
                "limit": TARGETS["england_peak_gb"],
                "value": round(peak_gb, 2),
                "met": peak_gb < TARGETS["england_peak_gb"],
            }
        if scale == "england" and full.get("dbt_overhead", {}).get("ratio") is not None:
            # the overhead target is England's: at council size every model is sub-second and
            # dbt's fixed per-model cost dominates (reported in dbt_overhead, not judged)
            ratio = full["dbt_overhead"]["ratio"]
            out["dbt_over_direct"] = {
                "limit": TARGETS["dbt_over_direct"],
                "value": ratio,
                "met": ratio <= TARGETS["dbt_over_direct"],
            }
    half_label = "1/0.5"
    if any(half_label in v for v in growth.values()):
        worst = {s: v[half_label] for s, v in growth.items() if v.get(half_label) is not None}
        out["growth_full_over_half"] = {
            "limit": TARGETS["growth_full_over_half"],
            "value": worst,
            "met": all(r <= TARGETS["growth_full_over_half"] for r in worst.values()),
        }
    return out


def machine() -> dict:
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib import metadata

    import duckdb

    return {
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt_core": metadata.version("dbt-core"),
        "dbt_duckdb": metadata.version("dbt-duckdb"),
        "dbt_threads": os.environ.get("CSC_DBT_THREADS", "2"),
        "duckdb_memory_limit": memory_limit(),
    }


def run_bench(
    scale: str,
    sizes: list[float],
    out_dir: Path,
    *,
    work_dir: Path | None = None,
    reuse: bool = False,
    keep: bool = False,
    direct: bool = True,
    rerun: bool = True,
    previous: Path | None = None,
    echo: Echo = print,
) -> dict:
    """Benchmark one scale at each size; write <out_dir>/<scale>.json and return the result.

    work_dir holds each size's landing, build, target and published folders (default
    <out_dir>/work/<scale>); it is deleted at the end unless keep (or reuse) is set. With
    reuse, an extract a previous run generated there is used again, with its generate timing.
    direct: run the heavy models' compiled SQL without dbt at the largest size.
    rerun: at the largest size, run validate + build + publish a second time on the same build
    file (a council's rerun). previous: an earlier result file to compare with (wall times per
    step and size; the outputs' fingerprints must be identical).
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, not {scale!r}")
    sizes = sorted({float(s) for s in sizes})
    if not sizes or any(s <= 0 for s in sizes):
        raise ValueError("sizes must be positive numbers")
    before = compare_tool.load_previous(previous) if previous else None  # a bad file fails first
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work_root = Path(work_dir) if work_dir else out_dir / "work" / scale
    started = time.perf_counter()
    echo(f"csc bench: scale {scale}, sizes {', '.join(_size_label(s) for s in sizes)} (work in {work_root})")
    runs = []
    try:
        for size in sizes:
            runs.append(
                bench_size(
                    scale,
                    size,
                    work_root / f"size_{_size_label(size)}",
                    reuse=reuse,
                    direct=direct and size == sizes[-1],
                    rerun=rerun and size == sizes[-1],
                    echo=echo,
                )
            )
    finally:
        if not (keep or reuse):
            shutil.rmtree(work_root, ignore_errors=True)
            if work_dir is None and work_root.parent.is_dir() and not any(work_root.parent.iterdir()):
                work_root.parent.rmdir()  # <out_dir>/work, when no other scale's work is in it
    growth = growth_ratios(runs)
    result = {
        "scale": scale,
        "councils": "878 (Devon)" if scale == "la" else "all 152 councils of England",
        "period": {"start": START, "end": END},
        "sizes": sizes,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "runs": runs,
        "growth": growth,
        "targets": _targets(scale, runs, growth),
        "bench_seconds": round(time.perf_counter() - started, 1),
    }
    if before is not None:
        result["comparison"] = compare_tool.compare(result, before, str(previous))
    out_file = out_dir / f"{scale}.json"
    out_file.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    result["json"] = str(out_file)
    for line in report_lines(result):
        echo(line)
    return result


# --------------------------------------------------------------------------------------------
# The terminal table
# --------------------------------------------------------------------------------------------


def _num(value: float | None, spec: str) -> str:
    width = int(re.match(r"\d+", spec).group(0))
    return f"{'-':>{width}}" if value is None else format(value, spec)


def _fmt_rows(n: int | None) -> str:
    return "-" if n is None else f"{n:,}"


def report_lines(result: dict) -> list[str]:
    lines = [
        f"\ncsc bench {result['scale']} ({result['councils']}, {result['period']['start']} "
        f"to {result['period']['end']}); {result['machine']['cores']} cores, "
        f"{result['machine']['memory_gb']} GB"
    ]
    lines.append(f"{'size':>5} {'step':<9} {'wall s':>8} {'cpu s':>8} {'peak MB':>9} {'rows/s':>10}")
    for run in result["runs"]:
        for step in (*STEPS, "pipeline"):
            s = run["pipeline"] if step == "pipeline" else run["steps"][step]
            label = "total" if step == "pipeline" else step
            if s.get("available", True) is False:
                lines.append(f"{run['size']:>5g} {label:<9} {'not available':>38}")
                continue
            note = " (reused)" if s.get("reused") else ""
            lines.append(
                f"{run['size']:>5g} {label:<9} {_num(s.get('wall_s'), '8.1f')} "
                f"{_num(s.get('cpu_s'), '8.1f')} {_num(s.get('peak_rss_mb'), '9,.0f')} "
                f"{_fmt_rows(s.get('rows_per_s')):>10}{note}"
            )
        lines.append(f"{'':>5} source rows {run['source_rows']:,}; total = validate + build + publish")
    if result["growth"]:
        lines.append("growth (wall time, larger size / smaller size):")
        for step, ratios in result["growth"].items():
            shown = ", ".join(f"{k}: {'-' if v is None else f'{v:.2f}'}" for k, v in ratios.items())
            lines.append(f"  {'total' if step == 'pipeline' else step:<9} {shown}")
    full = result["runs"][-1]
    if "dbt_overhead" in full:
        o = full["dbt_overhead"]
        lines.append(
            f"dbt overhead at size {full['size']:g} (seconds; dbt alone = dbt run --select, "
            "one model at a time; in build = within the whole build, two at a time):"
        )
        lines.append(f"  {'model':<32} {'direct':>8} {'dbt alone':>10} {'ratio':>6} {'in build':>9} {'ratio':>6}")
        for name, v in o["models"].items():
            lines.append(
                f"  {name:<32} {v['direct_s']:>8.2f} {_num(v['dbt_s'], '10.2f')} "
                f"{_num(v['ratio'], '6.2f')} {_num(v['dbt_in_build_s'], '9.2f')} "
                f"{_num(v['in_build_ratio'], '6.2f')}"
            )
        lines.append(
            f"  {'all heavy models':<32} {o['direct_total_s']:>8.2f} {o['dbt_total_s']:>10.2f} "
            f"{_num(o['ratio'], '6.2f')} {o['dbt_in_build_total_s']:>9.2f} {_num(o['in_build_ratio'], '6.2f')}"
        )
        lines.append(
            f"  whole `dbt run --select` process {o['dbt_process_wall_s']:.1f} s "
            f"(x{o['process_ratio']} the direct time)"
        )
        for name, plan in o["interval_join_plans"].items():
            lines.append(
                f"  {name}: joins {', '.join(plan['joins']) or '-'}"
                + (f"; QUADRATIC {', '.join(plan['quadratic_join'])}" if plan["quadratic_join"] else "")
            )
    if "direct_build" in full:
        d = full["direct_build"]
        lines.append(
            f"the whole build without dbt at size {full['size']:g} (its compiled SQL straight in DuckDB, "
            f"same tables and test results as dbt's): {d['total_s']:.1f} s (reading the landing "
            f"{d['seconds']['raw']:.1f}, {d['models']} models {d['seconds']['table'] + d['seconds']['view']:.1f}, "
            f"{d['data_tests']} data tests {d['seconds']['test']:.1f})"
        )
    if "dbt_floor" in full:
        f = full["dbt_floor"]
        lines.append(
            f"dbt alone on the same graph ({f['models']} models, {f['data_tests']} data tests, trivial SQL, "
            f"{f['threads']} threads), rerun in a fresh process: {f['rerun']['wall_s']:.1f} s "
            f"({f['rerun']['cpu_s']:.1f} CPU s)"
        )
    if "rerun" in full:
        r = full["rerun"]
        walls = ", ".join(f"{s} {r['steps'][s]['wall_s']:.1f} s" for s in r["pipeline"]["steps"])
        lines.append(
            f"rerun at size {full['size']:g} (same build file: partial parse, seeds not reloaded): "
            f"{walls}; total {r['pipeline']['wall_s']:.1f} s"
        )
        if "dbt_floor" in full:
            least = sum(r["steps"][s]["wall_s"] for s in r["pipeline"]["steps"] if s != "build")
            least += full["dbt_floor"]["rerun"]["wall_s"]
            lines.append(
                f"  the rerun's other steps with dbt alone as its build: {least:.1f} s, the least a rerun "
                "with dbt takes on this machine however cheap the SQL"
            )
    for name, t in result["targets"].items():
        lines.append(f"target {name}: {t['value']} (limit {t['limit']}): {'met' if t['met'] else 'NOT met'}")
    if "comparison" in result:
        lines += compare_tool.comparison_lines(result["comparison"])
    lines.append(f"Results: {result.get('json', '')}")
    return lines


def parse_sizes(text: str) -> list[float]:
    try:
        sizes = [float(s) for s in re.split(r"[,\s]+", text.strip()) if s]
    except ValueError:
        raise ValueError(f"--sizes must be numbers separated by commas, not {text!r}") from None
    if not sizes:
        raise ValueError("--sizes is empty")
    return sizes


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
