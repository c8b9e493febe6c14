"""`csc bench --previous FILE`: this run against an earlier one, and the outputs that must not move.

Speed work may change how the warehouse computes, never what it computes. So every bench run
records a fingerprint of the three outputs a council checks its figures by (marts.kpi_values,
marts.dq_issues, marts.dq_reconciliation: row count and an order-independent sum of DuckDB row
hashes) at every size, and a comparison with a previous result file says, per size, whether
they are identical and how each step's wall time moved.

DuckDB's row hash is stable within a DuckDB version; fingerprints taken with another version
are reported as not comparable rather than as different. So is dq_issues between runs built
under different pseudonymisation keys (it carries child_key): each run records a short tag of
its key (an HMAC of a fixed text under the key, never the key), not the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

OUTPUT_TABLES = ("kpi_values", "dq_issues", "dq_reconciliation")
COMPARED_STEPS = ("validate", "build", "publish")
_KEY_TAG_TEXT = b"csc bench: the pseudonymisation key these outputs were built under"


def key_tag(key: str) -> str:
    """12 hex digits that tell two keys apart without saying anything usable about either."""
    return hmac.new(key.encode("utf-8"), _KEY_TAG_TEXT, hashlib.sha256).hexdigest()[:12]


def fingerprints(build_db: Path, key: str | None = None) -> dict[str, Any]:
    """{table: {rows, hash}} of the outputs in marts, plus the DuckDB version that hashed them
    and the tag of the pseudonymisation key the build used (when given)."""
    import duckdb

    out: dict[str, Any] = {"duckdb": duckdb.__version__, "key_tag": key_tag(key) if key else None, "tables": {}}
    if not Path(build_db).exists():
        return out
    con = duckdb.connect(str(build_db), read_only=True)
    try:
        for table in OUTPUT_TABLES:
            try:
                rows, total = con.execute(
                    f'select count(*), sum(hash(t)::hugeint) from marts."{table}" as t'
                ).fetchone()
            except duckdb.CatalogException:
                continue  # the table is not there: reported as missing by compare()
            # a table that carries child_key changes with the key: the build's own columns say which
            keyed = bool(
                con.execute(
                    "select count(*) from duckdb_columns() where schema_name = 'marts' "
                    "and table_name = ? and column_name = 'child_key'",
                    [table],
                ).fetchone()[0]
            )
            out["tables"][table] = {"rows": int(rows), "hash": str(total or 0), "keyed": keyed}
    finally:
        con.close()
    return out


def load_previous(path: Path) -> dict:
    """A result file an earlier `csc bench` wrote; a one-line error when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"--previous {path}: no such file") from None
    except (OSError, ValueError):
        raise ValueError(f"--previous {path}: not a readable JSON result file") from None
    if not isinstance(data, dict) or not isinstance(data.get("runs"), list):
        raise ValueError(f"--previous {path}: not a csc bench result file (no runs)")
    return data


def _pipeline_steps(run: dict) -> dict[str, float | None]:
    steps = run.get("steps", {})
    out = {s: (steps.get(s) or {}).get("wall_s") for s in COMPARED_STEPS}
    out["total"] = (run.get("pipeline") or {}).get("wall_s")
    return out


def _outputs_verdict(now: dict | None, before: dict | None) -> dict[str, str]:
    if not now or not before:
        return dict.fromkeys(OUTPUT_TABLES, "no fingerprint in one of the runs")
    if now.get("duckdb") != before.get("duckdb"):
        return {t: f"not comparable (DuckDB {before.get('duckdb')} then {now.get('duckdb')})" for t in OUTPUT_TABLES}
    other_key = bool(now.get("key_tag") and before.get("key_tag") and now["key_tag"] != before["key_tag"])
    verdict = {}
    for table in OUTPUT_TABLES:
        a, b = before.get("tables", {}).get(table), now.get("tables", {}).get(table)
        if other_key and ((a or {}).get("keyed") or (b or {}).get("keyed")):
            verdict[table] = "not comparable (built under another pseudonymisation key: it carries child_key)"
        elif a is None or b is None:
            verdict[table] = "missing in " + ("the previous run" if a is None else "this run")
        elif (a["rows"], a["hash"]) == (b["rows"], b["hash"]):  # files from before "keyed" compare too
            verdict[table] = "identical"
        else:
            verdict[table] = f"DIFFERENT ({a['rows']:,} rows before, {b['rows']:,} now)"
    return verdict


def compare(current: dict, previous: dict, previous_file: str) -> dict:
    """Per size present in both runs: each step's wall time then and now, and the outputs."""
    if current.get("scale") != previous.get("scale"):
        raise ValueError(
            f"--previous {previous_file} is scale {previous.get('scale')!r}, this run {current['scale']!r}"
        )
    before_by_size = {r.get("size"): r for r in previous["runs"]}
    sizes = []
    for run in current["runs"]:
        old = before_by_size.get(run["size"])
        if old is None:
            continue
        now_steps, old_steps = _pipeline_steps(run), _pipeline_steps(old)
        sizes.append(
            {
                "size": run["size"],
                "wall_s": {s: {"before": old_steps[s], "now": now_steps[s]} for s in now_steps},
                "outputs": _outputs_verdict(run.get("outputs"), old.get("outputs")),
            }
        )
    identical = all(v == "identical" for s in sizes for v in s["outputs"].values())
    return {
        "previous_file": str(previous_file),
        "previous_measured_at": previous.get("measured_at"),
        "sizes": sizes,
        "outputs_identical": bool(sizes) and identical,
    }


def comparison_lines(comparison: dict) -> list[str]:
    lines = [f"against {comparison['previous_file']} (measured {comparison.get('previous_measured_at')}):"]
    if not comparison["sizes"]:
        return [*lines, "  no size in common with the previous run"]
    lines.append(f"  {'size':>5} {'step':<9} {'before s':>9} {'now s':>8} {'now/before':>11}")
    for s in comparison["sizes"]:
        for step, w in s["wall_s"].items():
            ratio = f"{w['now'] / w['before']:.2f}" if w["now"] and w["before"] else "-"
            before = "-" if w["before"] is None else f"{w['before']:.1f}"
            now = "-" if w["now"] is None else f"{w['now']:.1f}"
            lines.append(f"  {s['size']:>5g} {step:<9} {before:>9} {now:>8} {ratio:>11}")
        for table, verdict in s["outputs"].items():
            lines.append(f"  {s['size']:>5g} {table}: {verdict}")
    lines.append(
        "  outputs identical at every size: " + ("yes" if comparison["outputs_identical"] else "NO (see above)")
    )
    return lines
