"""Assemble the published files: marts copied from the build file, comments, Parquet, facts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from .. import build_record as rec
from .. import duckdb_settings, privacy, sqlquote

PUBLISHED_DUCKDB = "csc_marts.duckdb"
MARTS = "marts"
# Zstandard, not DuckDB's default snappy: the 64-hex-digit child_key is most of every fact
# table's bytes and snappy, having no entropy coding, leaves it almost as it is. At level 1
# zstd halves full England's Parquet (2.75 -> 1.47 GB) for about the same CPU. Power Query's
# Parquet.Document, pyarrow, pandas, DuckDB and Spark all read it.
PARQUET_OPTIONS = "format parquet, compression zstd, compression_level 1"


# csc.sqlquote: the one way a name or a path goes into SQL text
sql_str = sqlquote.literal
ident = sqlquote.identifier


def build_facts(build_db: Path) -> dict[str, Any]:
    """Reporting dates per council, and rows loaded per landing file, from the build file."""
    con = duckdb_settings.connect()
    try:
        con.execute(f"attach {sql_str(build_db)} as build (read_only)")
        spans = {}
        if con.execute(
            "select count(*) from information_schema.tables where table_catalog = 'build' "
            "and table_schema = 'intermediate' and table_name = 'int_extract_spans'"
        ).fetchall()[0][0]:
            spans = {
                r[0]: {
                    "extract_start_date": r[1].isoformat() if r[1] else None,
                    "reporting_date": r[2].isoformat() if r[2] else None,
                }
                for r in con.execute(
                    "select la_code, extract_start_date, reporting_date "
                    "from build.intermediate.int_extract_spans order by la_code"
                ).fetchall()
            }
        raw = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_catalog = 'build' "
                "and table_schema = 'raw'"
            ).fetchall()
        }
        loaded: dict[str, int] = {}
        for table in sorted(t for t in raw if t.startswith("ssd_")):
            for la, src, n in con.execute(
                f"select la_code, _source_file, count(*) from build.raw.{ident(table)} group by 1, 2"
            ).fetchall():
                loaded[f"la_code={la}/{Path(src).name}"] = n
    finally:
        con.close()
    return {"spans": spans, "loaded": loaded}


def extract_files(record: rec.BuildRecord, loaded: dict[str, int]) -> list[dict]:
    """The landing files the build read (the audit proved they are unchanged), with rows."""
    return [
        {
            "file": f["path"],
            "la_code": f["path"].split("/")[0].removeprefix("la_code="),
            "table": Path(f["path"]).stem.lower(),
            "bytes": f["size_bytes"],
            "rows": loaded.get(f["path"]),
            "sha256": f["sha256"],
        }
        for f in record.landing_files
    ]


def model_docs(manifest: dict) -> dict[str, dict]:
    """{table: {"description": ..., "columns": {name: description}}} for models in schema marts."""
    docs = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model" or node.get("schema") != MARTS:
            continue
        docs[node.get("alias") or node["name"]] = {
            "description": (node.get("description") or "").strip(),
            "columns": {c: (spec.get("description") or "").strip() for c, spec in (node.get("columns") or {}).items()},
        }
    return docs


def copy_marts(
    build_db: Path,
    out_db: Path,
    selects: dict[str, str],
    docs: dict[str, dict],
    suppress: bool,
    progress: Callable[[str], None],
) -> list[dict]:
    """Create each published table from its select (over the build file, attached as `build`)
    in schema marts of a new DuckDB file, with the dbt descriptions as comments."""
    con = duckdb_settings.connect(out_db)
    published = []
    try:
        con.execute(f"attach {sql_str(build_db)} as build (read_only)")
        con.execute(f"create schema {MARTS}")
        for table, select in selects.items():
            # One transaction per table: each `comment on` would otherwise commit on its own
            # (about 40 ms apiece, a second and a half for the demo's column comments).
            con.execute("begin transaction")
            con.execute(f"create table {MARTS}.{ident(table)} as {select}")
            _comment(con, table, docs.get(table, {}), suppress)
            con.execute("commit")
            rows = con.execute(f"select count(*) from {MARTS}.{ident(table)}").fetchall()[0][0]
            columns = [r[0] for r in con.execute(f"describe {MARTS}.{ident(table)}").fetchall()]
            published.append({"name": table, "rows": rows, "columns": columns})
            progress(f"  {MARTS}.{table}: {rows:,} rows")
        con.execute("detach build")
        con.execute("checkpoint")
    finally:
        con.close()
    return published


def _comment(con: duckdb.DuckDBPyConnection, table: str, doc: dict, suppress: bool) -> None:
    description = doc.get("description", "")
    if suppress and table in ("kpi_values", "kpi_scorecard", "dq_summary"):
        description += "\n\nSmall numbers suppressed for publication: " + privacy.SUPPRESSION_RULE
    if description:
        con.execute(f"comment on table {MARTS}.{ident(table)} is {sqlquote.text_literal(description)}")
    present = {r[0] for r in con.execute(f"describe {MARTS}.{ident(table)}").fetchall()}
    comments = {**privacy.DISPLAY_COLUMN_COMMENTS, **doc.get("columns", {})}
    for column, text in comments.items():
        if column in present and text:
            con.execute(f"comment on column {MARTS}.{ident(table)}.{ident(column)} is {sqlquote.text_literal(text)}")


def export_parquet(db_file: Path, out_dir: Path, tables: list[dict]) -> None:
    out_dir.mkdir()
    con = duckdb_settings.connect(db_file, read_only=True)
    try:
        for t in tables:
            path = out_dir / f"{t['name']}.parquet"
            con.execute(f"copy {MARTS}.{ident(t['name'])} to {sql_str(path)} ({PARQUET_OPTIONS})")
            t["parquet"] = f"parquet/{path.name}"
            t["parquet_sha256"] = rec.sha256_of(path)
    finally:
        con.close()
