"""Agreement between our TMDL reader (csc.powerbi.check) and an independent one from PyPI
(powerbi-tmdl-tools, run from its own environment: `make powerbi-referee`).

    python scripts/dev/powerbi_referee.py <published>/powerbi <tmdl-to-json executable>

Prints, as numbers, how many tables agree on their column, measure and partition counts, how
many relationships (from, to, active) and measures (name and expression) both readers find.
Exit 1 on any disagreement. powerbi-tmdl-tools reports no errors of its own, so this is an
agreement check, not a validation; the validation is csc.powerbi.check.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from csc.powerbi.check import load_project


def main(folder: str, tmdl_to_json: str) -> int:
    project, problems = load_project(Path(folder))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "model.json"
        subprocess.run(
            [tmdl_to_json, str(next(Path(folder).glob("*.pbip"))), "-o", str(out)], check=True, capture_output=True
        )
        theirs = json.loads(out.read_text(encoding="utf-8"))
    kinds = ("column", "measure", "partition")
    ours_t = {n: tuple(sum(c.keyword == k for c in t.children) for k in kinds) for n, t in project.tables.items()}
    theirs_t = {t["name"]: tuple(len(t.get(k + "s", [])) for k in kinds) for t in theirs["tables"]}
    ours_r = {
        (r.props["fromColumn"], r.props["toColumn"], r.props.get("isActive", "true")) for r in project.relationships
    }
    theirs_r = {
        (r["fromColumn"], r["toColumn"], str(r.get("isActive", "true")).lower()) for r in theirs["relationships"]
    }
    ours_m = {
        (n, m.name, m.expression) for n, t in project.tables.items() for m in t.children if m.keyword == "measure"
    }
    theirs_m = {
        (t["name"], m["name"], m.get("expression", "")) for t in theirs["tables"] for m in t.get("measures", [])
    }
    tables = sum(ours_t[k] == theirs_t.get(k) for k in ours_t)
    print(f"tables: {tables} of {len(ours_t)} agree (theirs: {len(theirs_t)})")
    print(f"relationships: {len(ours_r & theirs_r)} of {len(ours_r)} agree (theirs: {len(theirs_r)})")
    print(f"measures: {len(ours_m & theirs_m)} of {len(ours_m)} agree (theirs: {len(theirs_m)})")
    print(f"our structural check: {len(problems)} problem(s)")
    agree = tables == len(ours_t) == len(theirs_t) and ours_r == theirs_r and ours_m == theirs_m
    return 0 if agree and not problems else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
