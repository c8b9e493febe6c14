"""Compare the marts of a Spark build with the DuckDB build of the same extract.

    python scripts/dev/spark_compare.py --duckdb target/spark-ci/csc.duckdb \
        --spark-warehouse target/spark-ci/spark/warehouse [--table kpi_values ...]

By default every table of the schemas csc publish copies (marts, publication) that the DuckDB
build holds; --table names some (schema marts unless given: publication.pub_kpi_values).
Each table is read whole from both engines (DuckDB: the build file, read-only; Spark: the
table's Parquet files in the local warehouse folder). Rows are matched on every non-numeric
column plus the integer columns, numeric values compared to 1e-9 relative (nulls equal only
to nulls). A row differs when it has no partner on the other side or a value differs. The
exit status is non-zero unless every table has zero differing rows.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

SCHEMAS = ("marts", "publication")
RTOL = 1e-9


def _normalise(df: pd.DataFrame) -> pd.DataFrame:
    """One representation per value whatever the engine wrote: dates as ISO text, decimals
    and integers as numbers, missing as None."""
    out = {}
    for name in df.columns:
        s = df[name]
        if pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime("%Y-%m-%d").where(s.notna(), None).astype(object)
        elif s.dtype == object and s.map(lambda v: hasattr(v, "as_tuple")).any():  # decimal
            s = s.map(lambda v: None if v is None else float(v))
        elif s.dtype == object and s.map(lambda v: hasattr(v, "isoformat")).any():
            s = s.map(lambda v: None if v is None else v.isoformat())
        out[name.lower()] = s
    return pd.DataFrame(out)


def _float_columns(a: pd.DataFrame, b: pd.DataFrame) -> list[str]:
    """Columns holding fractional numbers on either side (compared with a tolerance)."""

    def is_float(s: pd.Series) -> bool:
        if pd.api.types.is_float_dtype(s):
            return True
        return s.dtype == object and any(isinstance(v, float) and not np.isnan(v) for v in s)

    return [c for c in a.columns if is_float(a[c]) or is_float(b[c])]


def _key(df: pd.DataFrame, columns: list[str]) -> pd.Series:
    def text(v):
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return "\x00null"
        if isinstance(v, (bool, np.bool_)):
            return str(bool(v)).lower()
        if isinstance(v, (int, np.integer)) or (isinstance(v, float) and float(v).is_integer()):
            return str(int(v))
        return str(v)

    if not columns:
        return pd.Series([""] * len(df), index=df.index)
    return df[columns].apply(lambda row: "\x1f".join(text(v) for v in row), axis=1)


def differing_rows(left: pd.DataFrame, right: pd.DataFrame, rtol: float = RTOL) -> dict:
    """Rows of either side with no equal partner on the other (a multiset comparison)."""
    left, right = _normalise(left), _normalise(right)
    if set(left.columns) != set(right.columns):
        return {
            "differing_rows": len(left) + len(right),
            "left_rows": len(left),
            "right_rows": len(right),
            "columns_only_left": sorted(set(left.columns) - set(right.columns)),
            "columns_only_right": sorted(set(right.columns) - set(left.columns)),
        }
    right = right[list(left.columns)]
    floats = _float_columns(left, right)
    keys = [c for c in left.columns if c not in floats]
    sides = []
    for df in (left, right):
        df = df.copy()
        for c in floats:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
        df["_key"] = _key(df, keys)
        df = df.sort_values(["_key", *floats], na_position="last", kind="stable")
        df["_n"] = df.groupby("_key").cumcount()
        sides.append(df[["_key", "_n", *floats]])
    merged = sides[0].merge(sides[1], on=["_key", "_n"], how="outer", suffixes=("_l", "_r"), indicator=True)
    unmatched = merged["_merge"] != "both"
    value_differs = pd.Series(False, index=merged.index)
    examples = []
    for c in floats:
        lv, rv = merged[f"{c}_l"].to_numpy(float), merged[f"{c}_r"].to_numpy(float)
        both_nan = np.isnan(lv) & np.isnan(rv)
        close = np.isclose(lv, rv, rtol=rtol, atol=0.0) | both_nan
        differs = ~close & (merged["_merge"] == "both").to_numpy()
        value_differs |= differs
        for i in np.flatnonzero(differs)[:3]:
            examples.append(
                {"column": c, "row": merged["_key"].iat[i].replace("\x1f", " | "), "left": lv[i], "right": rv[i]}
            )
    only = merged[unmatched]
    for _, row in only.head(5).iterrows():
        examples.append(
            {"only_in": "left" if row["_merge"] == "left_only" else "right", "row": row["_key"].replace("\x1f", " | ")}
        )
    return {
        "differing_rows": int(unmatched.sum() + value_differs.sum()),
        "left_rows": len(left),
        "right_rows": len(right),
        "examples": examples,
    }


def _qualified(table: str) -> tuple[str, str]:
    schema, _, name = table.rpartition(".")
    return schema or "marts", name


def published_tables(path: Path) -> list[str]:
    """Every table (not view) of the published schemas in the DuckDB build, schema-qualified."""
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_schema in (select unnest(?)) and table_type = 'BASE TABLE' order by 1, 2",
            [list(SCHEMAS)],
        ).fetchall()
    return [f"{schema}.{name}" for schema, name in rows]


def read_duckdb(path: Path, table: str) -> pd.DataFrame:
    schema, name = _qualified(table)
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f'select * from "{schema}"."{name}"').df()


def read_spark(warehouse: Path, table: str) -> pd.DataFrame:
    schema, name = _qualified(table)
    folder = warehouse / f"{schema}.db" / name
    if not folder.is_dir():
        raise SystemExit(f"spark_compare: {table} is not in the Spark warehouse ({folder} not found)")
    with duckdb.connect() as con:
        return con.execute("select * from read_parquet(?)", [str(folder / "*.parquet")]).df()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", type=Path, required=True, help="the DuckDB build file")
    parser.add_argument(
        "--spark-warehouse", type=Path, required=True, help="the local Spark warehouse folder (spark.sql.warehouse.dir)"
    )
    parser.add_argument("--table", action="append", help="a published table (default: every one)")
    parser.add_argument("--out", type=Path, help="write the result as JSON here")
    args = parser.parse_args(argv)
    results = {}
    for table in args.table or published_tables(args.duckdb):
        results[table] = differing_rows(read_duckdb(args.duckdb, table), read_spark(args.spark_warehouse, table))
        r = results[table]
        print(
            f"{table}: {r['differing_rows']} differing rows "
            f"(duckdb {r['left_rows']} rows, spark {r['right_rows']} rows)"
        )
        for example in r.get("examples", [])[:8]:
            print(f"    {example}")
    total = sum(r["differing_rows"] for r in results.values())
    print(f"spark_compare: {total} differing rows in {len(results)} tables")
    if args.out:
        args.out.write_text(json.dumps(results, indent=2, default=str))
    return 0 if all(r["differing_rows"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
