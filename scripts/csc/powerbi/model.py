"""The semantic model as data: tables and columns from the publication, descriptions from the
dbt manifest, relationships by the star-schema rules of `spec`, measures from the KPI catalogue.

`build_model` reads the published DuckDB file (tables, column types, the KPI catalogue, the
councils whose extract the build read: dim_la.has_extract) and checks every one-side key is unique and not null in the data, so the
model Power BI loads never fails on a duplicate key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .. import duckdb_settings, sqlquote
from . import measures, spec

SCHEMA = "marts"


@dataclass
class Column:
    name: str
    data_type: str  # TMDL dataType: string, int64, double, decimal, boolean, dateTime
    description: str = ""
    source_type: str = ""  # the DuckDB type
    expression: str | None = None  # calculated columns (DAX)
    format_string: str | None = None
    folder: str = "Details"
    is_key: bool = False
    is_hidden: bool = False
    sort_by: str | None = None


@dataclass
class Table:
    name: str
    role: str  # dimension, label, fact
    description: str = ""
    columns: list[Column] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # columns Power BI cannot load (nested types)
    derived_key: tuple[str, tuple[str, ...]] | None = None
    is_date_table: bool = False
    measures: list[measures.Measure] = field(default_factory=list)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class Relationship:
    from_table: str  # the many side
    from_column: str
    to_table: str  # the one side
    to_column: str
    is_active: bool = True

    @property
    def name(self) -> str:
        from .tmdl import lineage_tag

        return lineage_tag("relationship", self.from_table, self.from_column, self.to_table, self.to_column)


@dataclass
class Role:
    name: str
    la_code: str
    filters: dict[str, str]  # table -> DAX filter


@dataclass
class Model:
    tables: list[Table]
    relationships: list[Relationship]
    roles: list[Role]
    kpis: list[dict]
    suppressed: bool
    notes: list[str] = field(default_factory=list)
    section_titles: dict[str, str] = field(default_factory=dict)

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None)


class ModelError(Exception):
    """The publication cannot be modelled as a star schema (the message says why)."""


# --------------------------------------------------------------------------------------------


def tmdl_type(duckdb_type: str) -> str | None:
    t = duckdb_type.upper()
    if t in ("VARCHAR", "UUID") or t.startswith("VARCHAR("):
        return "string"
    if t == "BOOLEAN":
        return "boolean"
    if t == "DATE" or t.startswith("TIMESTAMP"):
        return "dateTime"
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "HUGEINT"):
        return "int64"
    if t in ("DOUBLE", "FLOAT", "REAL"):
        return "double"
    if t.startswith("DECIMAL"):
        return "int64" if t.endswith(",0)") else "decimal"
    return None  # lists, structs, maps, blobs: Power BI cannot load them as columns


def model_docs(dbt_manifest: Path | dict | None) -> dict[str, dict]:
    """{table: {"description", "columns": {name: description}}} for marts in the dbt manifest
    (a manifest.json path or the parsed manifest), read as the publish step reads it."""
    from ..publish.outputs import model_docs as publish_model_docs

    if dbt_manifest is None:
        return {}
    if not isinstance(dbt_manifest, dict):
        if not Path(dbt_manifest).is_file():
            return {}
        dbt_manifest = json.loads(Path(dbt_manifest).read_text(encoding="utf-8"))
    return publish_model_docs(dbt_manifest)


_ident = sqlquote.identifier  # csc.sqlquote: the one way a name goes into SQL text


def _read_publication(db_file: Path) -> tuple[dict[str, list[tuple[str, str, str]]], list[dict], list[tuple[str, str]]]:
    con = duckdb_settings.connect(db_file, read_only=True)
    try:
        cols: dict[str, list[tuple[str, str, str]]] = {}
        for table, column, dtype, comment in con.execute(
            "select table_name, column_name, data_type, comment from duckdb_columns() "
            "where schema_name = ? order by table_name, column_index",
            [SCHEMA],
        ).fetchall():
            cols.setdefault(table, []).append((column, dtype, comment or ""))
        kpis: list[dict] = []
        if "dim_kpi" in cols:
            cur = con.execute(f"select * from {SCHEMA}.dim_kpi order by display_order, kpi_code")
            names = [d[0] for d in cur.description]
            kpis = [dict(zip(names, row)) for row in cur.fetchall()]
        if "dim_report_section_label" in cols:
            kpis_sections = dict(con.execute(f"select code, label from {SCHEMA}.dim_report_section_label").fetchall())
            for k in kpis:
                k["_section_title"] = kpis_sections.get(k.get("report_section"))
        # The councils whose extract the build read are dbt's (dim_la.has_extract): one role each.
        councils: list[tuple[str, str]] = []
        if "dim_la" in cols:
            if "has_extract" not in {c for c, _, _ in cols["dim_la"]}:
                raise ModelError(
                    "marts.dim_la has no has_extract column (which councils get a role): "
                    "publish from a build made by this version"
                )
            councils = con.execute(
                f"select la_code, la_name from {SCHEMA}.dim_la where has_extract order by la_code"
            ).fetchall()
    finally:
        con.close()
    return cols, kpis, councils


def _check_unique(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]) -> str | None:
    """None when the columns (one, or the parts of a key made in Power Query) are a key."""
    row = "(" + ", ".join(_ident(c) for c in columns) + ")"
    not_null = " and ".join(f"{_ident(c)} is not null" for c in columns)
    rows, distinct, nulls = con.execute(
        f"select count(*), count(distinct {row}), count(*) filter (where not ({not_null})) "
        f"from {SCHEMA}.{_ident(table)}"
    ).fetchall()[0]
    label = f"{table}.{'+'.join(columns)}"
    if nulls:
        return f"{label} has {nulls} null value(s)"
    if rows != distinct:
        return f"{label} is not unique ({rows - distinct} duplicate(s))"
    return None


def _functional(con: duckdb.DuckDBPyConnection, table: str, column: str, by: str) -> bool:
    """True when each value of `column` has one value of `by` (Power BI's sort-by rule)."""
    n = con.execute(
        f"select count(*) from (select {_ident(column)} from {SCHEMA}.{_ident(table)} "
        f"group by 1 having count(distinct {_ident(by)}) > 1)"
    ).fetchall()[0][0]
    return n == 0


# --------------------------------------------------------------------------------------------


def build_model(db_file: Path, dbt_manifest: Path | dict | None = None) -> Model:
    cols, kpis, councils = _read_publication(db_file)
    docs = model_docs(dbt_manifest)
    suppressed = any(c == "value_display" for c, _, _ in cols.get("kpi_values", []))
    tables: list[Table] = []
    notes: list[str] = []
    for tname in sorted(cols):
        doc = docs.get(tname, {})
        role = spec.table_role(tname)
        key = spec.DIMENSION_KEYS.get(tname) or ("code" if role == "label" else None)
        table = Table(tname, role, description=doc.get("description") or "")
        table.derived_key = spec.DERIVED_KEYS.get(tname)
        keys = {key} if key else set()
        for cname, dtype, comment in cols[tname]:
            ttype = tmdl_type(dtype)
            if ttype is None:
                table.dropped.append(cname)
                notes.append(f"{tname}.{cname} ({dtype}) left out: Power BI cannot load the type")
                continue
            description = doc.get("columns", {}).get(cname) or comment
            fmt = (
                spec.DATE_FORMAT
                if dtype.upper() == "DATE"
                else ("yyyy-mm-dd hh:nn:ss" if ttype == "dateTime" else spec.FORMATS.get(ttype))
            )
            table.columns.append(
                Column(
                    cname,
                    ttype,
                    description,
                    dtype,
                    format_string=fmt,
                    folder=spec.column_folder(cname, ttype, keys),
                    is_key=cname == key,
                )
            )
        if table.derived_key:
            new, parts = table.derived_key
            table.columns.append(
                Column(
                    new,
                    "string",
                    "Key made in Power Query: "
                    + ' & "|" & '.join(parts)
                    + " (unique only with la_code, so joined with it).",
                    "VARCHAR",
                    folder="Keys",
                    is_hidden=True,
                )
            )
        for cname, dax, ttype, fmt in spec.CALCULATED_COLUMNS.get(tname, []):
            table.columns.append(
                Column(
                    cname,
                    ttype,
                    f"Calculated: {dax}",
                    expression=dax,
                    format_string=fmt,
                    folder="Dates" if tname == "dim_date" else "Details",
                )
            )
        table.is_date_table = tname == "dim_date"
        tables.append(table)

    by_name = {t.name: t for t in tables}
    relationships = _relationships(by_name)
    con = duckdb_settings.connect(db_file, read_only=True)
    try:
        for tname, cname in sorted({(r.to_table, r.to_column) for r in relationships}):
            derived = by_name[tname].derived_key
            parts = derived[1] if derived and derived[0] == cname else (cname,)
            problem = _check_unique(con, tname, parts)
            if problem:
                raise ModelError(f"{problem}: it is the one side of a relationship")
        for (tname, cname), by in spec.SORT_BY.items():
            table = by_name.get(tname)
            if table and table.column(cname) and table.column(by):
                if table.column(cname).expression or _functional(con, tname, cname, by):
                    table.column(cname).sort_by = by
                else:
                    notes.append(f"{tname}.{cname} not sorted by {by}: several {by} values per {cname}")
        for t in tables:
            if t.role == "label" and t.column("label") and t.column("sort_order"):
                t.column("label").sort_by = "sort_order"
    finally:
        con.close()
    # Foreign keys on the many side are hidden: people filter by the dimension's columns.
    one_sides = {(r.to_table, r.to_column) for r in relationships}
    for r in relationships:
        col = by_name[r.from_table].column(r.from_column)
        if col is not None and r.to_table != "dim_date" and (r.from_table, r.from_column) not in one_sides:
            col.is_hidden = col.is_hidden or r.to_table in spec.DIMENSION_KEYS
    model = Model(
        tables,
        relationships,
        _roles(by_name, councils),
        kpis,
        suppressed,
        notes,
        {k["report_section"]: k["_section_title"] for k in kpis if k.get("_section_title")},
    )
    measures.add_measures(model)
    return model


def _relationships(by_name: dict[str, Table]) -> list[Relationship]:
    rels: list[Relationship] = []
    bridged = {to for targets in spec.FACT_TO_BRIDGE.values() for to in targets}
    label_columns = {c: label for label, cs in spec.LABELS.items() if label in by_name for c in cs}
    for t in by_name.values():
        names = [c.name for c in t.columns]
        # Councils: every table with la_code but the child dimension (its facts already relate
        # to dim_la: a second path would be ambiguous) and bridges (filtered through their fact).
        if (
            "dim_la" in by_name
            and t.name != "dim_la"
            and "la_code" in names
            and t.name not in ("dim_child",)
            and t.name not in bridged
            and t.role != "label"
        ):
            rels.append(Relationship(t.name, "la_code", "dim_la", "la_code"))
        if "dim_child" in by_name and t.name != "dim_child" and "child_key" in names and t.role == "fact":
            rels.append(Relationship(t.name, "child_key", "dim_child", "child_key"))
        if "dim_kpi" in by_name and t.name != "dim_kpi" and "kpi_code" in names:
            rels.append(Relationship(t.name, "kpi_code", "dim_kpi", "kpi_code"))
        # Dates: one active relationship per table, the others inactive (USERELATIONSHIP).
        if "dim_date" in by_name and t.role in ("fact", "dimension") and t.name != "dim_date" and t.name not in bridged:
            dates = [
                c.name
                for c in t.columns
                if c.source_type.upper() == "DATE"
                and c.expression is None
                and (t.name, c.name) not in spec.UNRELATED_DATES
            ]
            active = (
                spec.ACTIVE_DATE.get(t.name) if spec.ACTIVE_DATE.get(t.name) in dates else (dates[0] if dates else None)
            )
            for d in dates:
                rels.append(Relationship(t.name, d, "dim_date", "date_day", is_active=d == active))
        # Labels: the first code column of a table active, any other inactive.
        seen_label: set[str] = set()
        for c in t.columns:
            label = label_columns.get(c.name)
            if (
                label
                and t.role != "label"
                and c.data_type == "string"
                and t.name in spec.LABEL_TABLES.get(label, (t.name,))
            ):
                rels.append(Relationship(t.name, c.name, label, "code", is_active=label not in seen_label))
                seen_label.add(label)
    for (fact, key), targets in spec.FACT_TO_BRIDGE.items():
        for target in targets:
            if fact in by_name and target in by_name:
                rels.append(Relationship(target, key, fact, key))
    return rels


def _roles(by_name: dict[str, Table], councils: list[tuple[str, str]]) -> list[Role]:
    """One row-level security role per council in the publication: dim_la filters every table
    related to it; dim_child (not related to dim_la, to keep one path) is filtered itself."""
    roles = []
    for la_code, la_name in councils:
        value = la_code.replace('"', '""')
        filters = {t: f'[la_code] = "{value}"' for t in ("dim_la", "dim_child") if t in by_name}
        roles.append(Role(f"Council {la_code} {la_name}", la_code, filters))
    return roles
