"""Privacy rules for everything the warehouse publishes.

Two things live here, each defined once:

Small-number suppression (`--suppress`)
    The rule is dbt's (models/intermediate/disclosure/int_kpi_cells_suppressed.sql and
    models/publication/): primary suppression of counts 1-5, complementary suppression across
    each financial year's months, quarters, years to date and year. Publishing copies the
    pub_*_suppressed tables. Here: the threshold as dbt has it, the sentence describing the
    rule, and comments for the *_display and *_suppressed columns every publication carries.

The publication scan (`scan_published()`)
    Every column of every published table (the DuckDB file and each Parquet file) is checked
    before anything is published. It fails, naming table and column, on:

    * a forbidden column name: person ids (``person_id``, ``pers_person_id``,
      ``source_person_id``, ``*_person_id``), names of people (``forename``, ``surname``,
      ``first_name``, ``last_name``, ``name``...), dates of birth and death (``date_of_birth``,
      ``dob``, ``pers_dob``, ``date_of_death``, ``death_date``...), ``upn``, ``nhs_number``,
      ``address``, ``postcode``. Allowed by name: ``child_key`` and ``birth_month``.
    * a text value equal to a raw person id of the landing files (``ssd_person``), in any text
      column, ``child_key`` and ``la_code`` included. In record identifier columns (``*_id``,
      ``*_key``) a value that is also a record id of another landing table is a coincidence of
      two numbering schemes, not a leak, and is allowed; never in ``child_key``, which holds
      no table's record ids (a raw person id there is always a leak). Every cell is looked up,
      whatever its form.
    * in tables with ``la_code`` and ``child_key``: a column other than these two whose values
      are, row by row, the child's own raw person id (a person id renamed and published; the
      child_key -> person id map is read from the build's staging.stg_ssd__person table).
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

from . import duckdb_settings, sqlquote
from . import landing as reader
from .contract import load_contract
from .rules import parse_dates

# --------------------------------------------------------------------------------------------
# Small-number suppression: the rule lives in dbt (models/publication, int_kpi_cells_suppressed);
# here only its threshold as dbt has it, the sentence that describes it and column comments.
# --------------------------------------------------------------------------------------------

SUPPRESSION_MARKER = "c"


def small_count_max() -> int:
    """var('disclosure_max_small_count') of dbt_project.yml: counts 1 to this are suppressed."""
    import yaml

    from .paths import REPO_ROOT

    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    return int(project["vars"]["disclosure_max_small_count"])


SUPPRESS_MIN, SUPPRESS_MAX = 1, small_count_max()

SUPPRESSION_RULE = (
    f"Counts from {SUPPRESS_MIN} to {SUPPRESS_MAX} (numerators, and the denominators of percentages) are "
    f"replaced by '{SUPPRESSION_MARKER}' (primary suppression), and so are other counts of the same "
    "KPI and financial year wherever the shown months, quarters, years to date and years would "
    "otherwise give a suppressed count back by addition or subtraction (complementary suppression); "
    "values, changes, directions and RAG ratings built on a suppressed count are suppressed too. "
    f"Numeric columns are NULL there and the *_display text columns hold '{SUPPRESSION_MARKER}'. Zero is not suppressed."
)

DISPLAY_COLUMN_COMMENTS = {
    "value_display": "value as text for reports: 'c' where suppressed in an external publication, "
    "otherwise the value (counts whole, others to 1 d.p.).",
    "numerator_display": "numerator as text: 'c' where suppressed in an external publication, otherwise the count.",
    "denominator_display": "denominator as text: 'c' where a percentage's denominator is suppressed.",
    "previous_year_value_display": "previous_year_value as text: 'c' where that period's value is suppressed.",
    "previous_fy_value_display": "previous_fy_value as text: 'c' where that year's value is suppressed.",
    "issue_count_display": "issue_count as text: 'c' where suppressed (1 to 5) in an external publication.",
    "rows_affected_display": "rows_affected as text: 'c' where suppressed (1 to 5) in an external publication.",
    "value_suppressed": "true where the external (--suppress) publication shows the value as 'c'.",
    "numerator_suppressed": "true where the external publication shows the numerator as 'c'.",
    "denominator_suppressed": "true where the external publication shows the denominator as 'c'.",
    "previous_year_value_suppressed": "true where the external publication shows previous_year_value as 'c'.",
    "previous_fy_value_suppressed": "true where the external publication shows previous_fy_value as 'c'.",
    "issue_count_suppressed": "true where the external publication shows issue_count as 'c'.",
    "rows_affected_suppressed": "true where the external publication shows rows_affected as 'c'.",
}

# --------------------------------------------------------------------------------------------
# The publication scan
# --------------------------------------------------------------------------------------------

ALLOWED_COLUMNS = frozenset({"child_key", "birth_month"})

_NAME_WORDS = (
    "forenames?",
    "surnames?",
    "first_names?",
    "last_names?",
    "given_names?",
    "family_names?",
    "middle_names?",
    "full_names?",
    "maiden_names?",
    "preferred_names?",
    "person_names?",
    "child_names?",
    "known_as",
)
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
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
# A column aligned with the row's own person id in at least this share of rows is a person id.
ALIGNED_SHARE = 0.5
# The pseudonymous key of every fact table: checked for raw person ids, never exempt as a record id.
CHILD_KEY = "child_key"


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
    return name.endswith(("_id", "_key", "_ids"))


@dataclass
class ScanReference:
    """What the published data must not contain, read from the landing files (kept in memory;
    the child_key -> person id map of a build is read from the build file by the scan itself)."""

    person_ids: pa.Table  # person_id (text)
    birth_dates: pa.Table  # birth_date (date)
    record_ids: pa.Table  # record_id (text): ids of the other landing tables that are raw person ids too
    person_map: pa.Table | None = None  # la_code, child_key, person_id
    # or the build file whose staging person model holds that map (millions of rows at England size)
    person_map_build: Path | None = None


def _clean(values: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.utf8_trim_whitespace(values.cast(pa.string()))


def load_reference(landing: Path | None = None, build_db: Path | None = None) -> ScanReference:
    """Raw person ids and dates of birth, the record ids of the other tables that are raw person
    ids too (the only values the record-id exemption can apply to) and the child_key -> person
    id map. With a build file, from its raw tables: the plugin loaded them with the
    landing reader (csc.landing.read_table) from the very files publish has checked it was
    built from (csc.publish.audit), so they hold the same text, and reading them is one query
    instead of parsing the person files again. Otherwise from the landing files, and no map."""
    con = duckdb_settings.connect()
    try:
        raw = _attach_build(con, build_db)
        person = (
            con.sql(f"select {', '.join(PERSON_COLUMNS)} from build.raw.ssd_person").to_arrow_table()
            if raw is not None and "ssd_person" in raw
            else reader.read_table("ssd_person", landing).select(list(PERSON_COLUMNS))
        )
        ids = pc.unique(_clean(person["pers_person_id"]).combine_chunks())
        ids = ids.filter(pc.and_(pc.is_valid(ids), pc.not_equal(ids, "")))
        # dates read exactly as staging reads them (csc.rules: var date_formats), every form
        days = [parse_dates(_clean(person[c]))[1] for c in PERSON_COLUMNS[1:]]
        days = np.unique(np.concatenate(days))
        dates = pa.table({"birth_date": pa.array(days[~np.isnat(days)].astype("datetime64[D]"), pa.date32())})
        record_ids, has_map = _record_ids_and_map(con, landing, raw, ids)
    finally:
        con.close()
    return ScanReference(
        person_ids=pa.table({"person_id": ids}),
        birth_dates=dates,
        record_ids=record_ids,
        person_map_build=Path(build_db) if has_map else None,
    )


PERSON_COLUMNS = ("pers_person_id", "pers_dob", "pers_expected_dob")  # the id, then the dates of birth


def _attach_build(con: duckdb.DuckDBPyConnection, build_db: Path | None) -> set[str] | None:
    """The build file attached read-only as `build` when there is one: the tables of its raw
    schema (None when there is no build file)."""
    if build_db is None or not Path(build_db).exists():
        return None
    con.execute(f"attach {sqlquote.literal(build_db)} as build (read_only)")
    return {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'build' and table_schema = 'raw'"
        ).fetchall()
    }


def _record_ids_and_map(
    con: duckdb.DuckDBPyConnection, landing: Path | None, present: set[str] | None, person_ids: pa.Array
) -> tuple[pa.Table, bool]:
    """The record ids of every keyed table but the person file that are also raw person ids
    and whether the child_key -> person id map can be read: the build has staging's person
    model as a table with la_code, child_key and source_person_id. The scan reads child_key as
    dbt stored it, so it needs no pseudonymisation key (a view would compute child_key from the
    key in the session; the scan sets none, and there is no map then). `present`: the raw
    tables of the attached build file (None: read the landing files, no map).

    Only a value that is a raw person id can be exempted as a record id, so only those record
    ids are kept: a handful where two numbering schemes meet, not the millions of ids of every
    table (at England size a distinct over all of them, held in the scan's memory, made the
    scan grow faster than the extract)."""
    contract = load_contract()
    keyed = {name: t.key_columns for name, t in contract.items() if name != "ssd_person" and t.key_columns}
    if present is not None:
        parts = [
            f"select trim(cast({col} as varchar)) as record_id from build.raw.{name}"
            for name, cols in keyed.items()
            if name in present
            for col in cols
        ]
        con.register("ref_person_ids", pa.table({"person_id": person_ids}))
        record_ids = con.sql(
            "select distinct record_id from (" + " union all ".join(parts) + ") "
            "where record_id in (select person_id from ref_person_ids)"
            if parts
            else "select null::varchar as record_id where false"
        ).to_arrow_table()
        con.unregister("ref_person_ids")
        has_map = (
            con.execute(
                "select count(*) from information_schema.columns as c inner join information_schema.tables as t "
                "using (table_catalog, table_schema, table_name) where c.table_catalog = 'build' and "
                "c.table_schema = 'staging' and c.table_name = 'stg_ssd__person' and t.table_type = 'BASE TABLE' "
                "and c.column_name in ('la_code', 'child_key', 'source_person_id')"
            ).fetchall()[0][0]
            == 3
        )
        return record_ids, has_map
    values: list[pa.Array] = []
    for name, cols in keyed.items():
        data = reader.read_table(name, landing)
        values += [_clean(data[c]).combine_chunks() for c in cols if c in data.column_names]
    arr = pa.concat_arrays(values) if values else pa.array([], pa.string())
    arr = pc.unique(arr.filter(pc.is_in(arr, value_set=person_ids)))
    return pa.table({"record_id": arr}), False


_quote = sqlquote.identifier  # csc.sqlquote: the one way a name goes into SQL text


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(r[0], str(r[1]).upper()) for r in con.execute(f"describe select * from {relation}").fetchall()]


def scan_relation(con: duckdb.DuckDBPyConnection, location: str, table: str, relation: str) -> list[PrivacyFinding]:
    """Check one published relation; `con` has the reference tables registered.

    Each column gets the first reason that applies, in this order: a forbidden name; raw
    person ids among its values (record ids of other tables exempt for *_id / *_key columns
    but child_key); most values the row's own raw person id (not for la_code and child_key,
    which the map is joined on); UK postcodes; valid NHS numbers; exact dates of birth. The
    relation is read in a few passes whatever its width (the values of the record identifiers
    and keys, of the other text columns, the person-id alignment's counts and its candidate
    rows, dates of birth), not one per column and check: at England scale the scan is a
    visible part of the publish."""
    columns = _columns(con, relation)
    names = {c.lower() for c, _ in columns}
    aligned_ok = "la_code" in names and "child_key" in names and _has_map(con)
    reasons: dict[str, str] = {}
    to_check = []
    for column, dtype in columns:
        reason = forbidden_name_reason(column)
        if reason:
            reasons[column] = reason
        else:
            to_check.append((column, dtype))
    text = [c for c, t in to_check if t in TEXT_TYPES]
    values = _text_value_checks(con, relation, text)
    aligned = (
        _aligned_with_own_person_id(
            con,
            relation,
            [
                c
                for c, t in to_check
                if (t in TEXT_TYPES or t in INTEGER_TYPES) and c.lower() not in ("la_code", CHILD_KEY)
            ],
        )
        if aligned_ok
        else {}
    )
    births = _exact_birth_dates(con, relation, [c for c, t in to_check if t == "DATE" and "birth" in c.lower()])
    for column, _ in to_check:
        hits, postcodes, nhs = values.get(column, (0, 0, []))
        n, same = aligned.get(column, (0, 0))
        valid_nhs = [v for v in nhs if nhs_number_is_valid(v)]
        checks = [
            (hits, f"{hits} value(s) equal to raw person ids from the landing files"),
            (same and same >= ALIGNED_SHARE * n, f"{same} of {n} values are the row's own raw person id"),
            (not _is_identifier(column) and postcodes, f"{postcodes} value(s) look like UK postcodes"),
            (not _is_identifier(column) and valid_nhs, f"{len(valid_nhs)} value(s) are valid NHS numbers"),
            (births.get(column), f"{births.get(column)} value(s) are exact dates of birth from the person file"),
        ]
        reason = next((text for found, text in checks if found), None)
        if reason:
            reasons[column] = reason
    return [PrivacyFinding(location, table, column, reasons[column]) for column, _ in columns if column in reasons]


def _text_value_checks(
    con: duckdb.DuckDBPyConnection, relation: str, text_columns: list[str]
) -> dict[str, tuple[int, int, list[str]]]:
    """{column: (distinct raw person ids, rows that look like postcodes, distinct NHS-number
    candidates)} over every text column (unpivot drops nulls): one pass over the record
    identifiers and keys, one over the other text columns.

    Identifiers and keys are checked for raw person ids only (postcodes and NHS numbers are
    not looked for there), so only their cells that are raw person ids are made distinct: their
    values are most of a fact table's distinct texts (child_key, one per child), and grouping
    them all was most of the scan at England size. child_key (never exempt) gets a pass of its
    own (_raw_person_ids_in_child_key). Other text columns repeat a few values: each distinct
    text goes through the regexes once, not every cell."""
    child_keys = [c for c in text_columns if c.lower() == CHILD_KEY]
    keys = [c for c in text_columns if _is_identifier(c) and c not in child_keys]
    plain = [c for c in text_columns if not _is_identifier(c)]
    found: dict[str, tuple[int, int, list[str]]] = {}
    for column in child_keys:
        hits = _raw_person_ids_in_child_key(con, relation, column)
        if hits:
            found[column] = (hits, 0, [])
    if keys:
        for column, hits in con.execute(
            f"""
            with cells as (
                unpivot (select {", ".join(_quote(c) for c in keys)} from {relation})
                on {", ".join(_quote(c) for c in keys)} into name column_name value raw_value
            ),
            trimmed as (
                select column_name, {_trimmed("raw_value")} as v from cells
            ),
            person_ids_found as (
                select distinct column_name, v from trimmed
                where v in (select person_id from csc_person_ids)
            )
            -- a raw person id that is also another table's record id is a coincidence here
            select person_ids_found.column_name, count(*) filter (where recs.record_id is null)
            from person_ids_found
            left join csc_record_ids as recs on recs.record_id = person_ids_found.v
            group by person_ids_found.column_name
            """
        ).fetchall():
            found[column] = (hits, 0, [])
    if plain:
        for column, hits, postcodes, nhs in con.execute(
            f"""
            with cells as (
                unpivot (select {", ".join(_quote(c) for c in plain)} from {relation})
                on {", ".join(_quote(c) for c in plain)} into name column_name value raw_value
            ),
            raw_values as (
                select column_name, raw_value, count(*) as n from cells group by all
            ),
            per_value as (
                select column_name, trim(raw_value) as v, sum(n) as n,
                       coalesce(sum(n) filter (where regexp_matches(raw_value, '{POSTCODE_IN_TEXT}')), 0)
                           as n_in_text
                from raw_values group by all
            )
            select
                per_value.column_name,
                count(ids.person_id),
                coalesce(sum(case when regexp_matches(per_value.v, '{POSTCODE_FULL}') then per_value.n
                                  else per_value.n_in_text end), 0),
                coalesce(list(per_value.v) filter (where regexp_matches(per_value.v, '{NHS_PATTERN}')), [])
            from per_value
            left join csc_person_ids as ids on ids.person_id = per_value.v
            group by per_value.column_name
            """
        ).fetchall():
            found[column] = (hits, int(postcodes), list(nhs))
    return found


def _raw_person_ids_in_child_key(con: duckdb.DuckDBPyConnection, relation: str, column: str) -> int:
    """Distinct raw person ids in a child_key column (trimmed, as in every other column), with
    no record-id exemption: no table's record ids are child keys, so a raw person id there is
    always a leak (a model that wrote the id instead of the keyed hash, or a hostile extract).

    Every cell is looked up (trimmed: _trimmed). child_key is most of every fact table's
    cells; leaving out the cells of the form of the project's keys (64 lower-case hex digits)
    by a regex per cell measured no cheaper than looking them up (0.25 England)."""
    return con.execute(
        f"""
        with cells as (
            select {_trimmed(_quote(column))} as v from {relation}
        )
        select count(distinct v) from cells where v in (select person_id from csc_person_ids)
        """
    ).fetchone()[0]


def _trimmed(text: str) -> str:
    """trim(text) as SQL, trimming only a text that may need it: one that begins and ends with
    a character from '0' to 'z' has no space (nor any other character trim removes) at either
    end, so it is its own trim. Every key and most record ids are such texts, and trimming them
    all (a copy of each 64-character child_key) was most of the cost of the person-id lookups
    (0.25 England)."""
    return f"(case when {text}[1] between '0' and 'z' and {text}[-1] between '0' and 'z' then {text} else trim({text}) end)"


def _aligned_with_own_person_id(
    con: duckdb.DuckDBPyConnection, relation: str, columns: list[str]
) -> dict[str, tuple[int, int]]:
    """{column: (values, values equal to the row's own raw person id)}.

    A value can be its row's own person id only if it is one of the map's person ids, so only
    the rows holding such a value in one of the columns are joined to the map (none, in a
    publication without a leak): joining every row of every fact table to the map of every
    child was the largest part of the scan at England size. The map has one row per child
    (child_key is the keyed hash of la_code and the person id)."""
    if not columns:
        return {}
    values = _as_text(columns)
    in_map = " or ".join(f"{v} in (select person_id from csc_map_person_ids)" for v in values)
    *counts, candidates = con.execute(
        f"select {', '.join(f'count(t.{_quote(c)})' for c in columns)}, count(*) filter (where {in_map}) "
        f"from {relation} as t"
    ).fetchall()[0]
    if not candidates:
        return {c: (counts[i], 0) for i, c in enumerate(columns)}
    measures = ", ".join(f"count(*) filter (where {v} = m.person_id)" for v in values)
    same = con.execute(
        f"""
        with candidates as (
            select t.la_code, t.child_key, {", ".join(f"t.{_quote(c)}" for c in columns)} from {relation} as t
            where {in_map}
        )
        select {measures} from candidates as t
        inner join csc_person_map as m on m.la_code = t.la_code and m.child_key = t.child_key
        """
    ).fetchall()[0]
    return {c: (counts[i], same[i]) for i, c in enumerate(columns)}


def _as_text(columns: list[str]) -> list[str]:
    return [f"trim(cast(t.{_quote(c)} as varchar))" for c in columns]


def _exact_birth_dates(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str]) -> dict[str, int]:
    """{column: rows holding an exact date of birth of the person file} (a 1st of the month is
    how birth months are published, so it is not counted)."""
    if not columns:
        return {}
    measures = ", ".join(
        f"count(*) filter (where {_quote(c)} in (select birth_date from csc_birth_dates) and day({_quote(c)}) <> 1)"
        for c in columns
    )
    row = con.execute(f"select {measures} from {relation}").fetchall()[0]
    return dict(zip(columns, row, strict=True))


def _has_map(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute("select count(*) from duckdb_tables() where table_name = 'csc_map_person_ids'").fetchall()[0][0]
    )


def _register(con: duckdb.DuckDBPyConnection, ref: ScanReference) -> None:
    con.register("ref_person_ids", ref.person_ids)
    con.register("ref_birth_dates", ref.birth_dates)
    con.register("ref_record_ids", ref.record_ids)
    con.execute("create temp table csc_person_ids as select distinct person_id from ref_person_ids")
    con.execute("create temp table csc_birth_dates as select distinct birth_date from ref_birth_dates")
    con.execute("create temp table csc_record_ids as select distinct record_id from ref_record_ids")
    if ref.person_map is not None:
        con.register("csc_person_map", ref.person_map)
        con.execute("create temp table csc_map_person_ids as select distinct person_id from csc_person_map")
    elif ref.person_map_build is not None:
        # read where it is, not copied into the scan's memory: joined only to the rows holding
        # one of its person ids (none, without a leak)
        con.execute(f"attach {sqlquote.literal(ref.person_map_build)} as csc_build (read_only)")
        people = "from csc_build.staging.stg_ssd__person where source_person_id is not null and child_key is not null"
        con.execute(
            f"create temp view csc_person_map as select distinct la_code, child_key, "
            f"trim(source_person_id) as person_id {people}"
        )
        con.execute(
            f"create temp table csc_map_person_ids as select distinct trim(source_person_id) as person_id {people}"
        )


def scan_published(
    duckdb_file: Path | None = None,
    parquet_files: Iterable[Path] = (),
    reference: ScanReference | None = None,
    landing: Path | None = None,
    build_db: Path | None = None,
) -> list[PrivacyFinding]:
    """Scan every table of the DuckDB file and every Parquet file; [] when nothing is found.

    A Parquet file that holds exactly a table already scanned (same name, column names and
    types, row count and sum of DuckDB row hashes: one read of each) carries that table's
    findings instead of being scanned again; any other Parquet file is scanned in full."""
    ref = reference or load_reference(landing, build_db)
    con = duckdb_settings.connect()
    findings: list[PrivacyFinding] = []
    scanned: dict[str, tuple[tuple, list[PrivacyFinding]]] = {}
    try:
        _register(con, ref)
        if duckdb_file is not None:
            con.execute(f"attach {sqlquote.literal(duckdb_file)} as pub (read_only)")
            tables = con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = 'pub' "
                "union all select schema_name, view_name from duckdb_views() "
                "where database_name = 'pub' and not internal order by 1, 2"
            ).fetchall()
            for schema, name in tables:
                relation = f"pub.{_quote(schema)}.{_quote(name)}"
                found = scan_relation(con, "duckdb", f"{schema}.{name}", relation)
                findings += found
                if schema == "marts":
                    scanned[name] = (_content(con, relation), found)
        for path in parquet_files:
            relation = f"read_parquet({sqlquote.literal(path)})"
            same = scanned.get(Path(path).stem)
            if same is not None and _content(con, relation) == same[0]:
                findings += [PrivacyFinding("parquet", Path(path).name, f.column, f.reason) for f in same[1]]
            else:
                findings += scan_relation(con, "parquet", Path(path).name, relation)
    finally:
        con.close()
    return findings


def _content(con: duckdb.DuckDBPyConnection, relation: str) -> tuple:
    """(columns with types, rows, sum of row hashes): equal for two relations with the same rows."""
    rows, hashes = con.execute(f"select count(*), sum(hash(t)::hugeint) from {relation} as t").fetchone()
    return (tuple(_columns(con, relation)), rows, hashes)


def check_published(duckdb_file: Path | None = None, parquet_files: Iterable[Path] = (), **kwargs) -> None:
    """scan_published(), raising PrivacyError naming every table and column found."""
    findings = scan_published(duckdb_file, parquet_files, **kwargs)
    if findings:
        raise PrivacyError(findings)
