"""Compare the simple checks (not_null, unique, accepted_values, unique_combination_of_columns,
expression_is_true) of two dbt manifests.

    python scripts/dev/compare_column_checks.py BEFORE/manifest.json AFTER/manifest.json

Each check is (node, column(s) or expression, check, accepted values or where clause, config), whether it is its own test or part of a
model's `columns_valid` test (macros/tests/columns_valid.sql). Prints the test-node counts of both
and every check that is in one manifest only; exit status 1 when any check was lost or added.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

PLAIN = ("not_null", "unique", "accepted_values")


def column_checks(manifest: dict) -> set[tuple]:
    """Every simple check in the manifest, folded into columns_valid or not."""
    checks = set()
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("test_metadata"):
            continue
        meta = node["test_metadata"]
        kwargs = meta.get("kwargs", {})
        attached = node.get("attached_node") or ""
        config = node["config"]
        settings = (config.get("severity"), config.get("where"), config.get("error_if"), config.get("warn_if"))
        if meta["name"] in PLAIN:
            values = tuple(kwargs.get("values") or ())
            checks.add((attached, kwargs.get("column_name"), meta["name"], values, settings))
        elif meta["name"] == "columns_valid":
            for column in kwargs.get("not_null") or ():
                checks.add((attached, column, "not_null", (), settings))
            for column in kwargs.get("unique") or ():
                checks.add((attached, column, "unique", (), settings))
            for column, values in (kwargs.get("accepted_values") or {}).items():
                checks.add((attached, column, "accepted_values", tuple(values), settings))
            for columns in kwargs.get("unique_combinations") or ():
                checks.add((attached, tuple(columns), "unique_combination_of_columns", (), settings))
            for entry in kwargs.get("expressions") or ():
                entry = {"expression": entry} if isinstance(entry, str) else entry
                where = entry.get("where_clause")
                checks.add((attached, entry["expression"], "expression_is_true", where, settings))
        elif meta["name"] == "unique_combination_of_columns":
            checks.add((attached, tuple(kwargs["combination_of_columns"]), meta["name"], (), settings))
        elif meta["name"] == "expression_is_true":
            checks.add((attached, kwargs["expression"], meta["name"], kwargs.get("where_clause"), settings))
    return checks


def test_nodes(manifest: dict) -> Counter:
    """Test nodes by what they test (model, seed, source)."""
    counts = Counter()
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test":
            attached = node.get("attached_node") or "singular/other"
            counts[attached.split(".")[0]] += 1
    return counts


def main(argv: list[str]) -> int:
    before, after = (json.loads(Path(path).read_text()) for path in argv)
    for label, manifest in (("before", before), ("after", after)):
        counts = test_nodes(manifest)
        models = sum(1 for n in manifest["nodes"].values() if n["resource_type"] == "model")
        print(f"{label}: {sum(counts.values())} test nodes ({dict(counts)}), {models} models")
    old, new = column_checks(before), column_checks(after)
    lost, added = sorted(old - new, key=str), sorted(new - old, key=str)
    for check in lost:
        print("lost:", check)
    for check in added:
        print("added:", check)
    print(f"column checks: {len(old)} before, {len(new)} after, {len(lost)} lost, {len(added)} added")
    return 1 if lost or added else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
