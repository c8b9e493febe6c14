"""dbt node time of the DfE rule models and their tests against the rest of a build.

    python scripts/dev/rule_node_times.py TARGET_DIR [--top 10] [--json]

TARGET_DIR holds the build's run_results.json and manifest.json (dbt's target/, or the copy
`csc build` keeps beside the build file). Node time is dbt's execution_time per node (summed,
so with two threads it can exceed the wall time). Groups:

* rules: the DfE rule models (int_dq_dfe_*: the families, their union int_dq_dfe_rules and
  the census-year helpers they share) and every data test or unit test on one of them;
* rest: every other node (seeds, staging, facts, marts, their tests), including
  int_dq_census_period and int_dq_record_locations, which dq_issues and the census-readiness
  marts read too, so a build without the rules still needs them.

The ratio (rules + rest) / rest is what issue #11's Speed section bounds (at most 1.15).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

RULE_PREFIX = "int_dq_dfe_"


def _is_rule_model(unique_id: str) -> bool:
    return unique_id.startswith("model.") and unique_id.rsplit(".", 1)[-1].startswith(RULE_PREFIX)


def node_group(unique_id: str, depends_on: list[str]) -> str:
    """'rules' for a rule model or a test of one (any parent a rule model), else 'rest'."""
    if _is_rule_model(unique_id):
        return "rules"
    kind = unique_id.split(".", 1)[0]
    if kind in ("test", "unit_test") and any(_is_rule_model(d) for d in depends_on):
        return "rules"
    return "rest"


def summarise(run_results: dict, manifest: dict, top: int = 10) -> dict:
    """Seconds and node counts by group and kind, the ratio, and the slowest nodes of each group."""
    nodes = {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}
    totals: dict[str, dict[str, float]] = {"rules": {}, "rest": {}}
    counts: dict[str, dict[str, int]] = {"rules": {}, "rest": {}}
    slowest: dict[str, list[tuple[float, str]]] = {"rules": [], "rest": []}
    for r in run_results.get("results", []):
        uid = r["unique_id"]
        seconds = float(r.get("execution_time") or 0.0)
        depends = nodes.get(uid, {}).get("depends_on", {}).get("nodes", [])
        group = node_group(uid, depends)
        kind = "model" if uid.startswith("model.") else uid.split(".", 1)[0]
        totals[group][kind] = totals[group].get(kind, 0.0) + seconds
        counts[group][kind] = counts[group].get(kind, 0) + 1
        slowest[group].append((seconds, uid.rsplit(".", 1)[-1] if kind == "model" else uid.split(".")[-2]))
    sums = {g: sum(v.values()) for g, v in totals.items()}
    return {
        "seconds": {g: round(s, 2) for g, s in sums.items()},
        "seconds_by_kind": {g: {k: round(s, 2) for k, s in sorted(v.items())} for g, v in totals.items()},
        "nodes_by_kind": {g: dict(sorted(v.items())) for g, v in counts.items()},
        "ratio_with_rules": round((sums["rules"] + sums["rest"]) / sums["rest"], 3) if sums["rest"] else None,
        "rules_over_rest": round(sums["rules"] / sums["rest"], 3) if sums["rest"] else None,
        "slowest": {g: [[name, round(s, 2)] for s, name in sorted(v, reverse=True)[:top]] for g, v in slowest.items()},
        "elapsed_s": round(float(run_results.get("elapsed_time") or 0.0), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="folder with run_results.json and manifest.json")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    try:
        run_results = json.loads((args.target / "run_results.json").read_text(encoding="utf-8"))
        manifest = json.loads((args.target / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"rule_node_times: cannot read the build's artifacts in {args.target}: {exc}", file=sys.stderr)
        return 2
    summary = summarise(run_results, manifest, args.top)
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"dbt elapsed {summary['elapsed_s']} s (wall); node time by group (s):")
    for group in ("rules", "rest"):
        kinds = ", ".join(
            f"{k} {s} s ({summary['nodes_by_kind'][group][k]})" for k, s in summary["seconds_by_kind"][group].items()
        )
        print(f"  {group:5} {summary['seconds'][group]:8.2f}  {kinds}")
    print(f"  (rules + rest) / rest = {summary['ratio_with_rules']}; rules / rest = {summary['rules_over_rest']}")
    for group in ("rules", "rest"):
        print(f"slowest {group}: " + ", ".join(f"{n} {s}" for n, s in summary["slowest"][group]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
