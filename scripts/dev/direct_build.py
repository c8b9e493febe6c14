"""The floor of a rebuild without dbt: the same SQL, sent straight to DuckDB (issue #15).

    python scripts/dev/direct_build.py BUILD.duckdb TARGET_DIR [--landing DIR] [--keep DIR]

A council's rerun spends more than half of `csc build` in dbt's own Python (compiling, events,
start-up), so the question for the maintainers is what a production run that skipped dbt would
take. This answers it without changing the product: on a copy of a finished build file it
reloads every raw.<table> from the landing through csc.dbt_plugin.source_table (what dbt-duckdb's
plugin does), then runs the compiled SQL of every model and data test that dbt ran, as recorded
in TARGET_DIR/run_results.json, in the order dbt finished them (a node finishes after its
parents, so that order respects every dependency). Seeds are left as loaded (a rerun does not
reload unchanged seeds either); unit tests are not in a production build's run_results.

It prints the seconds per kind (raw load, models, data tests), and checks that the direct run
made the same build: each data test returns the failure count dbt recorded, and every table
of the copy has the rows (count and sum of row hashes) of the same table in BUILD.duckdb.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from csc import duckdb_settings, sqlquote
from csc.dbt_plugin import source_table
from csc.pseudonym import pseudonym_key


def plan(target: Path) -> tuple[list[str], list[dict]]:
    """(raw tables the build loaded, the models and data tests in the order dbt finished them)."""
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    run = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    raw = sorted(
        s["identifier"]
        for s in manifest["sources"].values()
        if s["schema"] == "raw" and s["source_name"] in ("ssd", "landing")
    )
    steps = []
    for r in run["results"]:
        uid = r["unique_id"]
        kind = uid.split(".", 1)[0]
        if kind not in ("model", "test") or r["status"] in ("skipped",) or not r.get("compiled_code"):
            continue
        node = manifest["nodes"][uid]
        materialized = node["config"]["materialized"]
        if kind == "model" and materialized not in ("table", "view"):
            continue  # ephemeral models are inlined in their children's SQL
        sql = r["compiled_code"]
        if kind == "model" and (node["config"].get("contract") or {}).get("enforced"):
            # as dbt does for a contract: the declared columns, in their order, of their types
            columns = ", ".join(
                f"cast({sqlquote.identifier(name)} as {col['data_type']}) as {sqlquote.identifier(name)}"
                for name, col in node["columns"].items()
            )
            sql = f"select {columns} from (\n{sql}\n) as model_subq"
        steps.append(
            {
                "id": uid,
                "kind": kind if kind == "test" else materialized,
                "relation": r.get("relation_name"),
                "sql": sql,
                "failures": r.get("failures"),
            }
        )
    return raw, steps


def copy_build(build_db: Path, folder: Path) -> Path:
    """A copy of the build file in `folder`, with its write-ahead log if one is left, under the
    same file name: the catalog name the compiled SQL uses."""
    copy = folder / build_db.name
    shutil.copyfile(build_db, copy)
    wal = build_db.with_name(build_db.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
    return copy


def run(build_db: Path, target: Path, landing: Path, work: Path) -> dict:
    raw, steps = plan(target)
    copy = copy_build(build_db, work)
    seconds = {"raw": 0.0, "table": 0.0, "view": 0.0, "test": 0.0}
    mismatched = []
    started = time.perf_counter()
    con = duckdb_settings.connect(copy)
    try:
        con.execute("set variable csc_pseudonym_key = ?", [pseudonym_key(landing)])
        for table in raw:
            t = time.perf_counter()
            stream = source_table(table, landing, stream=True)  # noqa: F841 (DuckDB reads it by name)
            con.execute(f"create or replace table raw.{sqlquote.identifier(table)} as select * from stream")
            seconds["raw"] += time.perf_counter() - t
        for step in steps:
            t = time.perf_counter()
            if step["kind"] == "test":
                failures = con.execute(f"select count(*) from (\n{step['sql']}\n) as dbt_test").fetchone()[0]
                if step["failures"] is not None and failures != step["failures"]:
                    mismatched.append((step["id"], step["failures"], failures))
            else:
                con.execute(f"create or replace {step['kind']} {step['relation']} as (\n{step['sql']}\n)")
            seconds[step["kind"]] += time.perf_counter() - t
    finally:
        con.close()
    total = time.perf_counter() - started
    differing = differing_tables(build_db, copy, [s["relation"] for s in steps if s["kind"] == "table"])
    return {
        "differing_tables": differing,
        "total_s": round(total, 2),
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "raw_tables": len(raw),
        "models": sum(s["kind"] != "test" for s in steps),
        "data_tests": sum(s["kind"] == "test" for s in steps),
        "tests_mismatched": mismatched,
    }


def differing_tables(original: Path, copy: Path, relations: list[str]) -> list[str]:
    """The tables whose rows differ between the dbt build and the direct run (order aside)."""
    con = duckdb_settings.connect()
    differing = []
    try:
        con.execute(f"attach {sqlquote.literal(original)} as dbt_build (read_only)")
        con.execute(f"attach {sqlquote.literal(copy)} as direct_run (read_only)")
        for relation in relations:
            rest = relation.split(".", 1)[1]  # "csc"."schema"."table": the catalog differs
            fingerprints = []
            for db in ("dbt_build", "direct_run"):
                rel = f"{db}.{rest}"
                columns = [r[0] for r in con.execute(f"describe {rel}").fetchall()]
                hashed = ", ".join(sqlquote.identifier(c) for c in columns)
                fingerprints.append(con.execute(f"select count(*), sum(hash({hashed})::hugeint) from {rel}").fetchone())
            if fingerprints[0] != fingerprints[1]:
                differing.append(relation)
    finally:
        con.close()
    return differing


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_db", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--landing", type=Path, default=Path(os.environ.get("CSC_LANDING_DIR", "landing")))
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the copy")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run(args.build_db, args.target, args.landing, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="csc-direct-") as work:
            result = run(args.build_db, args.target, args.landing, Path(work))
    print(json.dumps(result, indent=2))
    return 1 if result["tests_mismatched"] or result["differing_tables"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
