"""Privacy rules for everything the warehouse publishes.

Two things live here, each defined once:

Small-number suppression (`--suppress`)
    For outputs published outside the council. A count from 1 to 5 (DfE's rule for children's
    social care statistics) is replaced by the marker ``c``, and so is every percentage or rate
    built on one: a KPI value is suppressed when its numerator is 1-5, or when its denominator
    counts events or children (units ``percent`` and ``per 10000``) and is 1-5. Zero is not
    suppressed. The rule is a set of DuckDB macros (`suppression_macros()`); publishing applies
    them in SQL and the unit tests evaluate the same macros.

    Value columns stay numeric so Power BI can still sum and chart them: a suppressed number is
    written as NULL, and a text column beside it (``value_display``, ``numerator_display``,
    ``denominator_display``) holds ``c`` or the number as text (counts as whole numbers,
    percentages and rates to one decimal place), so a report shows ``c`` where DfE would.

The publication scan (`scan_published()`)
    Every column of every published table (the DuckDB file and each Parquet file) is checked
    before anything is published. It fails, naming table and column, on:

    * a forbidden column name: person ids (``person_id``, ``pers_person_id``,
      ``source_person_id``, ``*_person_id``), names of people (``forename``, ``surname``,
      ``first_name``, ``last_name``, ``name``...), dates of birth and death (``date_of_birth``,
      ``dob``, ``pers_dob``, ``date_of_death``, ``death_date``...), ``upn``, ``nhs_number``,
      ``address``, ``postcode``. Allowed by name: ``child_key`` and ``birth_month``.
    * a text value equal to a raw person id of the landing files (``ssd_person``). In record
      identifier columns (``*_id``) a value that is also a record id of another landing table
      is a coincidence of two numbering schemes, not a leak, and is allowed.
    * in tables with ``la_code`` and ``child_key``: a column whose values are, row by row, the
      child's own raw person id (a person id renamed and published).
    * a UK postcode, or an NHS number (10 digits with a valid check digit), in a text column
      other than record identifiers and keys.
    * in a date column named like ``birth``: an exact date of birth from the person file
      (a ``birth_month`` holding first-of-month dates passes; an exact date fails).

The raw person ids and dates of birth are read into memory for the scan and never written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import landing as reader
from .contract import load_contract
from .rules import parse_dates

# --------------------------------------------------------------------------------------------
# Small-number suppression
# --------------------------------------------------------------------------------------------

SUPPRESS_MIN = 1
SUPPRESS_MAX = 5
SUPPRESSION_MARKER = "c"
# Units whose denominator counts events or children (suppressed when small). 'count per month'
# divides by calendar months; 'count' has no denominator.
COUNT_DENOMINATOR_UNITS = ("percent", "per 10000")

SUPPRESSION_RULE = (
    f"Counts from {SUPPRESS_MIN} to {SUPPRESS_MAX} (numerators, and denominators that count "
    f"events or children: units {', '.join(COUNT_DENOMINATOR_UNITS)}) and every value built on "
    f"them are replaced by '{SUPPRESSION_MARKER}': numeric columns are NULL and the *_display "
    "text columns hold 'c'. Zero is not suppressed."
)


def suppression_macros() -> list[str]:
    """The suppression rule as DuckDB temporary macros (the one definition of the rule).

    csc_is_small(n)                          n is a count from 1 to 5
    csc_kpi_suppressed(num, den, unit)       a KPI row's value must not be shown
    csc_display(x, suppressed, decimals)     'c', or x as text (decimals: 0 = whole number)
    """
    units = ", ".join(f"'{u}'" for u in COUNT_DENOMINATOR_UNITS)
    return [
        "create or replace temp macro csc_is_small(n) as "
        f"coalesce(n between {SUPPRESS_MIN} and {SUPPRESS_MAX}, false)",
        "create or replace temp macro csc_kpi_suppressed(numerator, denominator, unit) as "
        f"(csc_is_small(numerator) or (coalesce(unit in ({units}), false) and csc_is_small(denominator)))",
        "create or replace temp macro csc_display(x, suppressed, decimals) as "
        f"case when suppressed then '{SUPPRESSION_MARKER}' when x is null then null "
        "when decimals = 0 then cast(cast(round(x) as bigint) as varchar) "
        "else printf('%.' || cast(decimals as varchar) || 'f', cast(x as double)) end",
    ]


def install_suppression(con: duckdb.DuckDBPyConnection) -> None:
    for statement in suppression_macros():
        con.execute(statement)


def value_decimals_sql(unit_expr: str) -> str:
    """How many decimals value_display shows: counts whole, everything else to one place."""
    return f"(case when {unit_expr} = 'count' then 0 else 1 end)"


def suppressed_kpi_values_sql(source: str) -> str:
    """kpi_values with the rule applied (source: a relation with kpi_values' columns)."""
    return f"""
        with flagged as (
            select *,
                csc_is_small(numerator) as _num_small,
                csc_is_small(denominator) and coalesce(unit in ({_units()}), false) as _den_small,
                csc_kpi_suppressed(numerator, denominator, unit) as _suppressed
            from {source}
        )
        select * exclude (_num_small, _den_small, _suppressed)
            replace (
                case when _num_small then null else numerator end as numerator,
                case when _den_small then null else denominator end as denominator,
                case when _suppressed then null else value end as value
            ),
            csc_display(numerator, _num_small, 0) as numerator_display,
            csc_display(denominator, _den_small, 0) as denominator_display,
            csc_display(value, _suppressed, {value_decimals_sql('unit')}) as value_display
        from flagged
    """


def suppressed_kpi_scorecard_sql(source: str, kpi_values: str) -> str:
    """kpi_scorecard with the rule applied to this period and to the earlier periods it quotes.

    previous_year_value and previous_fy_value are suppressed when the kpi_values row they come
    from is; change_since_last_year when either side is; direction_of_travel and rag_status
    (which would narrow a suppressed value down) become 'c' with their value. Published
    benchmarks (England, region, neighbours, the council's own published figure) are DfE's
    published figures and are kept.
    """
    return f"""
        with prior as (
            select la_code, kpi_code, period_type, period_start, period_end,
                   csc_kpi_suppressed(numerator, denominator, unit) as suppressed
            from {kpi_values}
        ),
        flagged as (
            select s.*,
                csc_is_small(s.numerator) as _num_small,
                csc_is_small(s.denominator) and coalesce(s.unit in ({_units()}), false) as _den_small,
                csc_kpi_suppressed(s.numerator, s.denominator, s.unit) as _suppressed,
                coalesce(py.suppressed, false) as _py_suppressed,
                coalesce(pfy.suppressed, false) as _pfy_suppressed
            from {source} as s
            left join prior as py
                on py.la_code = s.la_code and py.kpi_code = s.kpi_code
                and py.period_type = s.period_type
                and py.period_end = last_day(s.period_end - interval 12 month)
            left join prior as pfy
                on pfy.la_code = s.la_code and pfy.kpi_code = s.kpi_code
                and pfy.period_type = 'fy' and pfy.period_start = s.previous_fy_start
        )
        select * exclude (_num_small, _den_small, _suppressed, _py_suppressed, _pfy_suppressed)
            replace (
                case when _suppressed then null else value end as value,
                case when _num_small then null else numerator end as numerator,
                case when _den_small then null else denominator end as denominator,
                case when _py_suppressed then null else previous_year_value end as previous_year_value,
                case when _pfy_suppressed then null else previous_fy_value end as previous_fy_value,
                case when _suppressed or _py_suppressed then null else change_since_last_year end
                    as change_since_last_year,
                case when (_suppressed or _py_suppressed) and direction_of_travel is not null
                    then '{SUPPRESSION_MARKER}' else direction_of_travel end as direction_of_travel,
                case when _suppressed and rag_status is not null
                    then '{SUPPRESSION_MARKER}' else rag_status end as rag_status
            ),
            csc_display(value, _suppressed, {value_decimals_sql('unit')}) as value_display,
            csc_display(numerator, _num_small, 0) as numerator_display,
            csc_display(denominator, _den_small, 0) as denominator_display,
            csc_display(previous_year_value, _py_suppressed, {value_decimals_sql('unit')})
                as previous_year_value_display
        from flagged
    """


def _units() -> str:
    return ", ".join(f"'{u}'" for u in COUNT_DENOMINATOR_UNITS)


DISPLAY_COLUMN_COMMENTS = {
    "value_display": "value as text for reports: 'c' where suppressed (a count of 1-5 or a "
                     "figure built on one), otherwise the value (counts whole, others to 1 d.p.).",
    "numerator_display": "numerator as text: 'c' where it is 1-5, otherwise the count.",
    "denominator_display": "denominator as text: 'c' where it counts events or children and is 1-5.",
    "previous_year_value_display": "previous_year_value as text: 'c' where that period's value is suppressed.",
}

# --------------------------------------------------------------------------------------------
# The publication scan
# --------------------------------------------------------------------------------------------

ALLOWED_COLUMNS = frozenset({"child_key", "birth_month"})

_NAME_WORDS = ("forenames?", "surnames?", "first_names?", "last_names?", "given_names?",
               "family_names?", "middle_names?", "full_names?", "maiden_names?", "preferred_names?",
               "person_names?", "child_names?", "known_as")
FORBIDDEN_NAME_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(^|_)person_id$", "a person identifier"),
    (r"^pers_id$|^personid$", "a person identifier"),
    (r"^names?$|(^|_)(" + "|".join(_NAME_WORDS) + r")$", "a person's name"),
    (r"(^|_)(date_of_birth|birth_date|birthdate|dob)$", "a date of birth"),
    (r"(^|_)(date_of_death|death_date|dod)$", "a date of death"),
    (r"(^|_)upn$", "a unique pupil number"),
    (r"(^|_)(nhs|nhs_number|nhs_no|nhs_num)$", "an NHS number"),
    (r"(^|_)(address|address_line_?\d*|addr)$|(^|_)address_", "an address"),
    (r"(^|_)(postcode|post_code|postal_code)$", "a postcode"),
)

POSTCODE_FULL = r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$"
POSTCODE_IN_TEXT = r"(^|[^A-Za-z0-9])[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}($|[^A-Za-z0-9])"
NHS_PATTERN = r"^[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}$"

TEXT_TYPES = ("VARCHAR",)
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                 "UINTEGER", "UBIGINT")
# A column aligned with the row's own person id in at least this share of rows is a person id.
ALIGNED_SHARE = 0.5


@dataclass(frozen=True)
class PrivacyFinding:
    location: str  # 'duckdb' or 'parquet'
    table: str
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.table}.{self.column}: {self.reason}"


class PrivacyError(Exception):
    def __init__(self, findings: list[PrivacyFinding]):
        self.findings = findings
        super().__init__("privacy scan failed:\n" + "\n".join(f"  {f}" for f in findings))


def forbidden_name_reason(column: str) -> str | None:
    """Why a column name may not be published, or None."""
    name = column.strip().lower()
    if name in ALLOWED_COLUMNS:
        return None
    for pattern, what in FORBIDDEN_NAME_PATTERNS:
        if re.search(pattern, name):
            return f"forbidden column name ({what})"
    return None


def nhs_number_is_valid(value: str) -> bool:
    """Modulus 11 check digit of a 10-digit NHS number."""
    digits = re.sub(r"[ -]", "", value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _is_identifier(column: str) -> bool:
    name = column.lower()
    return name.endswith("_id") or name.endswith("_key") or name.endswith("_ids")


@dataclass
class ScanReference:
    """What the published data must not contain, read from the landing files (kept in memory)."""
    person_ids: pa.Table       # person_id (text)
    birth_dates: pa.Table      # birth_date (date)
    record_ids: pa.Table       # record_id (text): ids of every other landing table
    person_map: pa.Table | None = None  # la_code, child_key, person_id


def _clean(values: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.utf8_trim_whitespace(values.cast(pa.string()))


def load_reference(landing: Path | None = None, build_db: Path | None = None) -> ScanReference:
    """Raw person ids and dates of birth from the landing files (csc.landing.read_table);
    record ids of the other tables and the child_key -> person id map from the build file
    when one is given (otherwise from the landing files, and no map)."""
    person = reader.read_table("ssd_person", landing)
    ids = pc.unique(_clean(person["pers_person_id"]).combine_chunks())
    ids = ids.filter(pc.and_(pc.is_valid(ids), pc.not_equal(ids, "")))
    con = duckdb.connect()
    try:
        # dates read exactly as staging reads them (csc.rules: var date_formats), every form
        dob_cols = [c for c in ("pers_dob", "pers_expected_dob") if c in person.column_names]
        days = [parse_dates(_clean(person[c]))[1] for c in dob_cols]
        days = np.unique(np.concatenate(days)) if days else np.array([], "datetime64[D]")
        dates = pa.table({"birth_date": pa.array(days[~np.isnat(days)].astype("datetime64[D]"), pa.date32())})
        record_ids, person_map = _record_ids_and_map(con, landing, build_db)
    finally:
        con.close()
    return ScanReference(person_ids=pa.table({"person_id": ids}), birth_dates=dates,
                         record_ids=record_ids, person_map=person_map)


def _record_ids_and_map(con: duckdb.DuckDBPyConnection, landing: Path | None,
                        build_db: Path | None) -> tuple[pa.Table, pa.Table | None]:
    contract = load_contract()
    keyed = {name: t.key_columns for name, t in contract.items() if name != "ssd_person" and t.key_columns}
    if build_db is not None and Path(build_db).exists():
        con.execute(f"attach '{_sql_path(build_db)}' as build (read_only)")
        present = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'build' "
            "and table_schema = 'raw'").fetchall()}
        parts = [f"select trim(cast({col} as varchar)) as record_id from build.raw.{name}"
                 for name, cols in keyed.items() if name in present for col in cols]
        record_ids = con.sql(
            "select distinct record_id from (" + " union all ".join(parts) + ") where record_id is not null"
            if parts else "select null::varchar as record_id where false").to_arrow_table()
        person_map = None
        has_map = con.execute(
            "select count(*) from information_schema.columns where table_catalog = 'build' and "
            "table_schema = 'staging' and table_name = 'stg_ssd__person' and column_name in "
            "('la_code', 'child_key', 'source_person_id')").fetchall()[0][0] == 3
        if has_map and _set_pseudonym_key(con):
            person_map = con.sql(
                "select distinct la_code, child_key, trim(source_person_id) as person_id "
                "from build.staging.stg_ssd__person where source_person_id is not null "
                "and child_key is not null").to_arrow_table()
        con.execute("detach build")
        return record_ids, person_map
    values: list[pa.Array] = []
    for name, cols in keyed.items():
        data = reader.read_table(name, landing)
        values += [_clean(data[c]).combine_chunks() for c in cols if c in data.column_names]
    arr = pa.concat_arrays(values) if values else pa.array([], pa.string())
    arr = pc.unique(arr.filter(pc.is_valid(arr)))
    return pa.table({"record_id": arr}), None


def _set_pseudonym_key(con: duckdb.DuckDBPyConnection) -> bool:
    """staging.stg_ssd__person is a view whose child_key needs the key in the session, as in
    dbt: set it on this in-memory connection only (never written anywhere)."""
    from .dbt_plugin import PseudonymKeyMissing, pseudonym_key

    try:
        con.execute("set variable csc_pseudonym_key = ?", [pseudonym_key()])
    except PseudonymKeyMissing:
        return False
    return True


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(r[0], str(r[1]).upper()) for r in con.execute(f"describe select * from {relation}").fetchall()]


def scan_relation(con: duckdb.DuckDBPyConnection, location: str, table: str, relation: str) -> list[PrivacyFinding]:
    """Check one published relation; `con` has the reference tables registered."""
    findings: list[PrivacyFinding] = []
    columns = _columns(con, relation)
    names = {c.lower() for c, _ in columns}
    aligned_ok = "la_code" in names and "child_key" in names and _has_map(con)

    def add(column: str, reason: str) -> None:
        findings.append(PrivacyFinding(location, table, column, reason))

    for column, dtype in columns:
        reason = forbidden_name_reason(column)
        if reason:
            add(column, reason)
            continue
        if column.lower() in ALLOWED_COLUMNS and column.lower() != "birth_month":
            continue
        q = _quote(column)
        is_text = dtype in TEXT_TYPES
        is_int = dtype in INTEGER_TYPES
        if is_text:
            exempt = "and v not in (select record_id from csc_record_ids)" if _is_identifier(column) else ""
            hits = con.execute(
                f"select count(*) from (select distinct trim({q}) as v from {relation}) "
                f"where v in (select person_id from csc_person_ids) {exempt}").fetchall()[0][0]
            if hits:
                add(column, f"{hits} value(s) equal to raw person ids from the landing files")
                continue
        if (is_text or is_int) and aligned_ok and column.lower() not in ("la_code", "child_key"):
            n, aligned = con.execute(
                f"select count(t.{q}), count(*) filter (where trim(cast(t.{q} as varchar)) = m.person_id) "
                f"from {relation} as t left join csc_person_map as m "
                f"on m.la_code = t.la_code and m.child_key = t.child_key").fetchall()[0]
            if aligned and aligned >= ALIGNED_SHARE * n:
                add(column, f"{aligned} of {n} values are the row's own raw person id")
                continue
        if is_text and not _is_identifier(column):
            postcodes = con.execute(
                f"select count(*) from {relation} where regexp_matches(trim({q}), '{POSTCODE_FULL}') "
                f"or regexp_matches({q}, '{POSTCODE_IN_TEXT}')").fetchall()[0][0]
            if postcodes:
                add(column, f"{postcodes} value(s) look like UK postcodes")
                continue
            candidates = [r[0] for r in con.execute(
                f"select distinct trim({q}) from {relation} where regexp_matches(trim({q}), '{NHS_PATTERN}')"
            ).fetchall()]
            valid = [v for v in candidates if nhs_number_is_valid(v)]
            if valid:
                add(column, f"{len(valid)} value(s) are valid NHS numbers")
                continue
        if dtype == "DATE" and "birth" in column.lower():
            exact = con.execute(
                f"select count(*) from {relation} where {q} in (select birth_date from csc_birth_dates) "
                f"and day({q}) <> 1").fetchall()[0][0]
            if exact:
                add(column, f"{exact} value(s) are exact dates of birth from the person file")
    return findings


def _has_map(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute(
        "select count(*) from duckdb_tables() where table_name = 'csc_person_map'").fetchall()[0][0]
        or con.execute("select count(*) from duckdb_views() where view_name = 'csc_person_map'").fetchall()[0][0])


def _register(con: duckdb.DuckDBPyConnection, ref: ScanReference) -> None:
    con.register("ref_person_ids", ref.person_ids)
    con.register("ref_birth_dates", ref.birth_dates)
    con.register("ref_record_ids", ref.record_ids)
    con.execute("create temp table csc_person_ids as select distinct person_id from ref_person_ids")
    con.execute("create temp table csc_birth_dates as select distinct birth_date from ref_birth_dates")
    con.execute("create temp table csc_record_ids as select distinct record_id from ref_record_ids")
    if ref.person_map is not None:
        con.register("ref_person_map", ref.person_map)
        con.execute("create temp table csc_person_map as select * from ref_person_map")


def scan_published(duckdb_file: Path | None = None, parquet_files: Iterable[Path] = (),
                   reference: ScanReference | None = None, landing: Path | None = None,
                   build_db: Path | None = None) -> list[PrivacyFinding]:
    """Scan every table of the DuckDB file and every Parquet file; [] when nothing is found."""
    ref = reference or load_reference(landing, build_db)
    con = duckdb.connect()
    findings: list[PrivacyFinding] = []
    try:
        _register(con, ref)
        if duckdb_file is not None:
            con.execute(f"attach '{_sql_path(Path(duckdb_file))}' as pub (read_only)")
            tables = con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = 'pub' "
                "union all select schema_name, view_name from duckdb_views() "
                "where database_name = 'pub' and not internal order by 1, 2").fetchall()
            for schema, name in tables:
                relation = f"pub.{_quote(schema)}.{_quote(name)}"
                findings += scan_relation(con, "duckdb", f"{schema}.{name}", relation)
        for path in parquet_files:
            relation = f"read_parquet('{_sql_path(Path(path))}')"
            findings += scan_relation(con, "parquet", Path(path).name, relation)
    finally:
        con.close()
    return findings


def check_published(duckdb_file: Path | None = None, parquet_files: Iterable[Path] = (),
                    **kwargs) -> None:
    """scan_published(), raising PrivacyError naming every table and column found."""
    findings = scan_published(duckdb_file, parquet_files, **kwargs)
    if findings:
        raise PrivacyError(findings)
