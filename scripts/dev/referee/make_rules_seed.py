"""Write seeds/dfe/dfe_cin_rules.csv from DfE's CIN validator: every rule of every collection year.

Runs in the referee's environment (`.venv-referee/bin/python scripts/dev/referee/make_rules_seed.py`).
One row per collection year (2023 = 2022-23 ... 2027 = 2026-27) and rule: code, error or
query, the module DfE files it under and DfE's own message. The seed is the one owner of the
rules' messages and types; the rule models join to it. Source recorded in the seed's YAML:
csc-validator-be-cin (the version printed below), rulesets cin2022_23 .. cin2026_27.
"""

from __future__ import annotations

import csv
import importlib
import importlib.metadata
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[3] / "seeds" / "dfe" / "dfe_cin_rules.csv"
YEARS = range(2023, 2028)


def main() -> int:
    rows = []
    for year in YEARS:
        ruleset = f"cin{year - 1}_{year % 100:02d}"
        registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
        for _, rule in registry.items():
            module = rule.module.name if rule.module is not None else ""
            message = " ".join(str(rule.message or "").split())
            rows.append((year, str(rule.code), rule.rule_type.value.lower(), module, message))
    rows.sort(key=lambda r: (r[0], int("".join(c for c in r[1] if c.isdigit())), r[1]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["collection_year", "rule_code", "rule_type", "module", "message"])
        w.writerows(rows)
    version = importlib.metadata.version("csc-validator-be-cin")
    print(f"{OUT}: {len(rows)} rows from csc-validator-be-cin {version}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
