"""Run DfE's CIN census validator (csc-validator-be-cin) on one return; print JSON.

Runs inside the referee's own environment (`make referee` creates `.venv-referee`: the
validator needs numpy<2 and pandas<2, which the warehouse's environment does not have), so
it imports nothing from the warehouse. Usage:

    .venv-referee/bin/python scripts/dev/referee/run_dfe_validator.py FILE.xml --ruleset cin2022_23

Output (stdout): {"ruleset", "rules": {code: {"type", "message"}}, "pairs": [[child, code]...],
"return_level": [code, ...], "crashed": {code: error}} where pairs are the distinct
(LAchildID, rule) the validator flags, return_level the rules it reports without a child
(header or whole-return rules) and crashed the rules that raised on this return (the
validator prints "Error with rule 8565: ValueError, ..." and reports nothing for the rule).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import re
import sys
import warnings
import xml.etree.ElementTree as ET


def run(path: str, ruleset: str) -> dict:
    from cin_validator import cin_validator

    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    rules = {str(r.code): {"type": r.rule_type.value.lower(), "message": r.message} for _, r in registry.items()}
    root = ET.parse(path).getroot()
    data = cin_validator.process_data(cin_validator.convert_data(root))
    validator = cin_validator.CinValidator(data, registry)
    issues = validator.full_issue_df
    pairs = sorted(
        {
            (str(c), str(r))
            for c, r in zip(issues["child_id"], issues["rule_code"])
            if c is not None and str(c) not in ("", "nan", "<NA>")
        }
    )
    return_level = sorted(
        {str(r) for r in validator.multichild_issues["rule_code"]}
        | {
            str(r)
            for c, r in zip(issues["child_id"], issues["rule_code"])
            if c is None or str(c) in ("", "nan", "<NA>")
        }
    )
    return {"ruleset": ruleset, "rules": rules, "pairs": pairs, "return_level": return_level}


def crashes(printed: str) -> dict[str, str]:
    """rule -> the error, from the validator's "Error with rule X: Type, message" lines."""
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^Error with rule (\S+): (.*)$", printed, re.M)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("xml")
    ap.add_argument("--ruleset", required=True, help="e.g. cin2022_23")
    args = ap.parse_args(argv)
    # the validator prints its own rule crashes ("Error with rule 8565: ...") to stdout:
    # keep stdout for the JSON, and the crashes apart
    printed = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(printed):
        warnings.simplefilter("ignore")
        out = run(args.xml, args.ruleset)
    sys.stderr.write(printed.getvalue())
    out["crashed"] = crashes(printed.getvalue())
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
