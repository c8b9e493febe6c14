"""Compare a build's published marts with a baseline's Parquet files, row for row.

    python scripts/dev/compare_baseline.py BASELINE_DIR BUILD.duckdb [table ...]

BASELINE_DIR holds <table>.parquet (e.g. kpi_values.parquet from the build before a change);
each table is compared with marts.<table> of the build file as sets of rows (floats to 1e-9).
Exit status 1 when any differs; the differing rows are printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

DEFAULT_TABLES = ("kpi_values", "kpi_scorecard", "dq_issues", "dq_reconciliation")


def compare(baseline: Path, build: Path, table: str) -> tuple[int, int, int]:
    """(rows in the baseline, rows only in the baseline, rows only in the build)."""
    con = duckdb.connect()
    con.execute(f"attach '{build}' as build (read_only)")
    con.execute(f"create view base as select * from read_parquet('{baseline / (table + '.parquet')}')")
    con.execute(f"create view now as select * from build.marts.{table}")
    columns = [r[0] for r in con.execute("describe base").fetchall()]
    types = dict(con.execute("select column_name, column_type from (describe base)").fetchall())
    picked = ", ".join(f"round({c}, 9) as {c}" if types[c] in ("DOUBLE", "FLOAT") else c for c in columns)
    only_base = con.execute(f"select {picked} from base except all select {picked} from now").fetchall()
    only_now = con.execute(f"select {picked} from now except all select {picked} from base").fetchall()
    total = con.execute("select count(*) from base").fetchone()[0]
    for label, rows in (("only in baseline", only_base), ("only in build", only_now)):
        for row in rows[:10]:
            print(f"  {table} {label}: {row}")
    return total, len(only_base), len(only_now)


def main(argv: list[str]) -> int:
    baseline, build, *tables = argv
    failed = False
    for table in tables or DEFAULT_TABLES:
        total, gone, new = compare(Path(baseline), Path(build), table)
        same = gone == 0 and new == 0
        failed |= not same
        print(
            f"{table}: {total} baseline rows; {gone} only in the baseline, {new} only in the build"
            f" -> {'IDENTICAL' if same else 'DIFFERENT'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
