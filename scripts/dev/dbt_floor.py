"""dbt's own cost for a build's node graph on this machine: the floor of a build *with* dbt.

    python scripts/dev/dbt_floor.py TARGET_DIR WORK_DIR

TARGET_DIR holds a build's manifest.json and run_results.json (dbt's target/, or the copy
`csc build` keeps beside the build file). WORK_DIR gets a dbt project with the same graph and
trivial SQL:

* every model of the manifest, by name, with its materialization and its edges to the other
  models (`-- depends_on: ref(...)`), as `select 1 as x`;
* one singular test per data test the build ran, on the first model it reads, returning no row;
* the project's own table and view materializations (macros/materializations/), DuckDB, the
  threads of `csc build` ($CSC_DBT_THREADS, 2), and dbt run as `csc build` runs it
  (csc.dbt_output.invoke: quiet console, the log file at csc's level, its progress callback).

Then `dbt build` in this process (a first build: full parse, every table new) and again in a
fresh process, as `csc build` reruns (dbt imported, the partial parse reused): what remains is
dbt's own work per node (compiling, events, artifacts, its materializations'
statements), which no SQL change can remove. `csc bench` runs it beside the whole build
without dbt (direct_build.py): the two floors of a rebuild, with dbt and without SQL.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from csc import build, dbt_output, paths

PROJECT = "csc_dbt_floor"


class NotAFloorProject(ValueError):
    """The work folder holds something else: it is never emptied."""


def floor_project(manifest: dict, run_results: dict, out: Path) -> dict[str, int]:
    """Write the trivial-SQL project of this graph into `out` (emptied first, but only if it is
    empty or an earlier floor project: anything else stops with NotAFloorProject); its node counts and dbt threads."""
    ours = f"name: {PROJECT}\n" in _text(out / "dbt_project.yml")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not ours)):
        raise NotAFloorProject(f"{out} is not empty and not a dbt floor project: give an empty or new folder")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    # first, so a run stopped halfway leaves a folder the next run knows as its own
    (out / "dbt_project.yml").write_text(
        f"name: {PROJECT}\nversion: '1.0.0'\nprofile: {PROJECT}\nconfig-version: 2\n", encoding="utf-8"
    )
    for d in ("models", "tests", "macros"):
        (out / d).mkdir()
    for f in (paths.REPO_ROOT / "macros" / "materializations").glob("*.sql"):
        shutil.copyfile(f, out / "macros" / f.name)
    nodes = manifest.get("nodes", {})
    models = {uid: n for uid, n in nodes.items() if n.get("resource_type") == "model"}
    for n in models.values():
        lines = [f"{{{{ config(materialized='{n['config']['materialized']}') }}}}"]
        lines += [
            f"-- depends_on: {{{{ ref('{models[d]['name']}') }}}}" for d in n["depends_on"]["nodes"] if d in models
        ]
        (out / "models" / f"{n['name']}.sql").write_text("\n".join([*lines, "select 1 as x", ""]), encoding="utf-8")
    ran = {r["unique_id"] for r in run_results.get("results", [])}
    tests = 0
    for uid in sorted(ran):
        parents = [d for d in nodes.get(uid, {}).get("depends_on", {}).get("nodes", []) if d in models]
        if not uid.startswith("test.") or not parents:
            continue  # a test of seeds alone is left out of a rerun too (csc.build)
        tests += 1
        (out / "tests" / f"t{tests:04d}.sql").write_text(
            f"select x from {{{{ ref('{models[parents[0]]['name']}') }}}} where x = 0\n", encoding="utf-8"
        )
    threads = os.environ.get("CSC_DBT_THREADS", "2")  # as the project's profiles.yml reads it
    (out / "profiles.yml").write_text(
        f"{PROJECT}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        f"      path: {json.dumps(str(out / 'floor.duckdb'))}\n      threads: {threads}\n",
        encoding="utf-8",
    )
    return {"models": len(models), "data_tests": tests, "threads": int(threads)}


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _dbt(command: str, project: Path) -> tuple[bool, float, float]:
    """dbt `command` on the floor project as csc build invokes dbt: ok, wall s, CPU s of this process."""
    args = [*command.split(), "--project-dir", str(project), "--profiles-dir", str(project)]
    args += ["--target-path", str(project / "target"), "--warn-error-options", build.WARN_ERROR_OPTIONS]
    before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    with open(os.devnull, "w") as quiet:
        try:
            result = dbt_output.invoke(args, project / "logs", stream=quiet)
        finally:
            build.release_duckdb()  # dbt-duckdb keeps the file open for the life of the process
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return bool(result.success), time.perf_counter() - started, cpu


def _rerun_process(work: Path) -> tuple[bool, float, float]:
    """`dbt build` again in a fresh Python process, as `csc build` reruns (dbt imported, the
    partial parse reused): ok, wall s, CPU s (user + system) of the process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--rerun", str(work)], stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    return os.waitstatus_to_exitcode(status) == 0, time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def run(target: Path, work: Path) -> dict:
    """Make the floor project from a build's artifacts, build it (the first build: a full parse,
    every table new), then rebuild it in a fresh process (a rerun)."""
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    run_results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    return run_artifacts(manifest, run_results, work)


def run_artifacts(manifest: dict, run_results: dict, work: Path) -> dict:
    """run(), from the artifacts themselves."""
    counts = floor_project(manifest, run_results, work)
    first_ok, first_wall, first_cpu = _dbt("build", work)
    ok, wall, cpu = _rerun_process(work)
    return {
        "ok": first_ok and ok,
        **counts,
        "first_build_in_process": {"wall_s": round(first_wall, 2), "cpu_s": round(first_cpu, 2)},
        "rerun": {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, nargs="?", help="the build's dbt target folder (manifest, run_results)")
    parser.add_argument("work", type=Path, nargs="?", help="a folder for the floor project (emptied)")
    parser.add_argument("--rerun", type=Path, metavar="WORK", help=argparse.SUPPRESS)  # run()'s fresh process
    args = parser.parse_args(argv)
    if args.rerun:
        return 0 if _dbt("build", args.rerun)[0] else 1
    if args.target is None or args.work is None:
        parser.error("TARGET_DIR and WORK_DIR are required")
    try:
        result = run(args.target, args.work)
    except NotAFloorProject as exc:
        print(f"dbt_floor: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
