"""Read what the report needs from the published marts (and nothing else at run time).

Sources, all in ``<published>/csc_marts.duckdb`` (schema ``marts``), opened read-only:

    kpi_report_periods  which quarters a council's report can be written for, which is the
                   latest, and the periods each shows with their dates (dbt decides: the
                   quarter and year to date at the quarter end, the same periods a year
                   earlier, last financial year's outturn, the months of the trend charts)
    kpi_values     the council's figures for those periods
    kpi_scorecard  polarity, target, RAG and the published benchmarks (England, region,
                   statistical neighbours, the council's own published figure) with their year
    dim_kpi        the KPI catalogue: names, report section, display order, unit, polarity,
                   definition, target and its note
    dim_la         the council's name and region
    dq_summary     data-quality counts per rule, each with its issue_kind (quarantined, DfE
                   error, DfE query, other warning: dbt decides)
    dq_summary_totals  the panel's totals per council (with dq_summary optional: the panel
                   says so when either is missing, as in a suppressed publication)
    dim_dq_rule    what each data-quality rule checks, in words (optional: codes alone)

and ``<published>/manifest.json`` (required: it alone says when the figures were built; also
the reporting date, extract span, publish time, whether the data are synthetic). Every query
selects named columns of these rows for one council (and quarter); grouping, choosing and
date arithmetic are dbt's.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from .. import duckdb_settings, paths
from . import suppression

PUBLISHED_DUCKDB = "csc_marts.duckdb"  # the same names as csc.publish writes
MANIFEST = "manifest.json"
SCHEMA = "marts"
REQUIRED_TABLES = ("kpi_values", "kpi_scorecard", "dim_la", "kpi_report_periods")
# read when the publication has them (the section or the words say so when it has not)
OPTIONAL_TABLES = ("dim_kpi", "dq_summary", "dq_summary_totals", "dim_dq_rule")
# Fallback for a published file made before marts.dim_kpi existed: the catalogue seed in the
# repository (the same rows dim_kpi publishes). Used only when the published file has no dim_kpi.
KPI_SEED = paths.SEEDS_DIR / "kpi" / "kpi_definitions.csv"


class ReportError(Exception):
    """The report cannot be made from these inputs (the message says why)."""


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------

# (period_role, period_type) of marts.kpi_report_periods -> (first day, last day)
Span = tuple[date, date]


@dataclass(frozen=True)
class Quarter:
    """A financial quarter the report is written for: Q1 April-June ... Q4 January-March.

    Its name comes from what the user typed (or dbt's report_quarter); every date the report
    prints or reads figures for comes from dbt's rows for it (marts.kpi_report_periods, read
    by `with_periods`): the quarter, the year to date, the same two a year earlier, last
    year's outturn and the trend months. Nothing here works a date out."""

    fy_start_year: int  # 2016 for 2016-17
    number: int  # 1-4
    spans: dict[tuple[str, str], Span] = field(default_factory=dict, compare=False, repr=False)
    trend: tuple[Span, ...] = field(default=(), compare=False, repr=False)

    # The ways councils write a financial quarter: 2016-17-Q2 (the warehouse's own label),
    # 2016-17 Q2, 2016/17 Q2, Q2 2016/17, Q2 2016-17 (any case, any spacing).
    _YEAR = r"(\d{4})\s*[-/]\s*(\d{2})"
    _PATTERNS = (
        re.compile(rf"^\s*{_YEAR}\s*[- ]?\s*Q([1-4])\s*$", re.IGNORECASE),
        re.compile(rf"^\s*Q([1-4])\s*[- ]?\s*{_YEAR}\s*$", re.IGNORECASE),
    )

    @classmethod
    def parse(cls, text: str) -> Quarter:
        m = cls._PATTERNS[0].match(text or "")
        if m:
            start, end_yy, q = int(m.group(1)), int(m.group(2)), int(m.group(3))
        elif m := cls._PATTERNS[1].match(text or ""):
            q, start, end_yy = int(m.group(1)), int(m.group(2)), int(m.group(3))
        else:
            raise ReportError(
                f"quarter {text!r}: expected a financial quarter like 2016-17-Q2, 2016/17 Q2 or Q2 2016/17"
            )
        if end_yy != (start + 1) % 100:
            raise ReportError(
                f"quarter {text!r}: {start}-{end_yy:02d} is not a financial year "
                f"(expected {start}-{(start + 1) % 100:02d})"
            )
        return cls(start, q)

    def with_periods(self, rows: list[dict]) -> Quarter:
        """This quarter with its dates: rows of marts.kpi_report_periods for it (period_role,
        period_type, period_start, period_end)."""
        spans = {
            (r["period_role"], r["period_type"]): (r["period_start"], r["period_end"])
            for r in rows
            if r["period_role"] != "trend"
        }
        trend = tuple(sorted((r["period_start"], r["period_end"]) for r in rows if r["period_role"] == "trend"))
        missing = [k for k in REPORT_PERIODS if k not in spans]
        if missing:
            raise ReportError(
                f"marts.kpi_report_periods has no {', '.join('/'.join(k) for k in missing)} period for {self.display}"
            )
        return Quarter(self.fy_start_year, self.number, spans, trend)

    def _span(self, role: str, period_type: str) -> Span:
        try:
            return self.spans[(role, period_type)]
        except KeyError:
            raise ReportError(f"{self.display}: its periods were not read from marts.kpi_report_periods") from None

    @property
    def fy_label(self) -> str:
        return f"{self.fy_start_year}-{(self.fy_start_year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        """For file names and the CSV: 2016-17-Q2."""
        return f"{self.fy_label}-Q{self.number}"

    @property
    def display(self) -> str:
        """For people: 2016-17 Q2."""
        return f"{self.fy_label} Q{self.number}"

    @property
    def start(self) -> date:
        return self._span("this_period", "quarter")[0]

    @property
    def end(self) -> date:
        return self._span("this_period", "quarter")[1]

    @property
    def fy_start(self) -> date:
        """The first day of the year to date at the quarter end."""
        return self._span("this_period", "fytd")[0]

    @property
    def previous_year(self) -> Quarter:
        """The same quarter a year earlier, with its quarter and year to date as its own."""
        return Quarter(
            self.fy_start_year - 1,
            self.number,
            {
                ("this_period", "quarter"): self._span("last_year", "quarter"),
                ("this_period", "fytd"): self._span("last_year", "fytd"),
            },
        )

    @property
    def year_end_before(self) -> date:
        """The last day of last year's outturn (the 31 March before the quarter; also the
        'since the year end' position of stock measures)."""
        return self._span("last_outturn", "fy")[1]

    @property
    def previous_fy_label(self) -> str:
        """Last year's outturn as a financial year: 2015-16."""
        first, last = self._span("last_outturn", "fy")
        return f"{first.year}-{last.year % 100:02d}"

    def trend_month_ends(self) -> list[date]:
        return [end for _, end in self.trend]


# The periods every report quarter has in marts.kpi_report_periods besides its trend months.
REPORT_PERIODS = (
    ("this_period", "quarter"),
    ("this_period", "fytd"),
    ("last_year", "quarter"),
    ("last_year", "fytd"),
    ("last_outturn", "fy"),
)


# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiDef:
    kpi_code: str
    kpi_name: str
    report_section: str
    display_order: int
    unit: str
    measure_type: str | None = None
    polarity: str | None = None
    definition: str | None = None
    dfe_published_measure: str | None = None
    local_target: float | None = None
    target_note: str | None = None
    definition_plain: str | None = None  # plain English (the catalogue's, when it has one)
    why_it_matters: str | None = None
    two_figures_note: str | None = None  # why a council-basis and a DfE-basis figure both exist


@dataclass(frozen=True)
class KpiRow:
    kpi_code: str
    period_type: str
    period_start: date
    period_end: date
    value: float | None
    numerator: int | None
    denominator: int | None
    unit: str | None
    caveat: str | None = None
    population_basis: str | None = None
    suppressed: bool = False
    numerator_small: bool = False
    denominator_small: bool = False
    is_provisional: bool = False  # still waiting on a later event: a fall is not a deterioration
    is_recorded: bool = True  # False: a required input is not in the extract (kpi_values decides)
    data_quality_note: str | None = None  # the caveat's data-quality sentence (kpi_values')


@dataclass(frozen=True)
class ScoreRow:
    kpi_code: str
    period_type: str
    polarity: str | None
    target: float | None
    rag_status: str | None
    benchmark_year_label: str | None
    england_value: float | None
    region_value: float | None
    statistical_neighbour_value: float | None
    statistical_neighbour_count: int | None
    la_published_value: float | None
    benchmark_vintage: str | None
    caveat: str | None


@dataclass(frozen=True)
class DqRow:
    table_name: str
    rule_code: str
    severity: str
    issue_kind: str  # quarantined, dfe_error, dfe_query or warning (marts.dq_summary decides)
    issue_count: int
    rows_affected: int
    rule_words: str | None = None  # what the rule checks, in words (when the marts say)


@dataclass(frozen=True)
class DqTotals:
    """The council's row of marts.dq_summary_totals."""

    quarantined_rows: int
    dfe_rule_errors: int
    dfe_rule_queries: int
    other_warnings: int


@dataclass
class ReportData:
    la_code: str
    la_name: str
    region_name: str | None
    quarter: Quarter
    kpis: list[KpiDef]
    values: dict[tuple[str, str, date], KpiRow]
    scorecard: dict[tuple[str, str], ScoreRow]
    dq: list[DqRow] | None
    dq_totals: DqTotals | None
    reporting_date: date
    extract_start: date | None
    built_at: str  # the publish manifest's (build_time)
    published_at: str | None
    synthetic: bool
    synthetic_source: str
    catalogue_source: str
    source_file: Path
    manifest: dict | None = None
    suppress: bool = False
    published_suppressed: bool = False
    months_available: tuple[date, date] | None = None
    notes: list[str] = field(default_factory=list)

    def value(self, kpi_code: str, period_type: str, period_end: date) -> KpiRow | None:
        return self.values.get((kpi_code, period_type, period_end))


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def resolve_source(published: Path) -> tuple[Path, Path | None]:
    """(DuckDB file, folder holding manifest.json or None). `published` is the published folder
    or any DuckDB file with a ``marts`` schema."""
    published = Path(published)
    if published.is_dir():
        db = published / PUBLISHED_DUCKDB
        if not db.exists():
            raise ReportError(
                f"no {PUBLISHED_DUCKDB} in {published}: run `csc publish` first "
                "(or pass a DuckDB file with a marts schema)"
            )
        return db, published
    if published.is_file():
        folder = published.parent if published.name == PUBLISHED_DUCKDB else None
        return published, folder
    raise ReportError(f"{published} does not exist: run `csc publish` first")


def read_manifest(folder: Path | None) -> dict | None:
    if folder is None or not (folder / MANIFEST).exists():
        return None
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"{folder / MANIFEST} cannot be read: {exc}") from None


def _parse_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [SCHEMA]
        ).fetchall()
    }


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [SCHEMA, table],
        ).fetchall()
    }


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _read(con: duckdb.DuckDBPyConnection, sql: str, params: list, db_file: Path) -> list[dict]:
    """Rows of the marts the report reads; a file published before a column existed fails
    with a one-line reason, never a guess at the missing column."""
    try:
        return _records(con, sql, params)
    except duckdb.BinderException as exc:
        first = str(exc).splitlines()[0]
        raise ReportError(
            f"{db_file} lacks what the report reads ({first}): it was published by an older version; publish it again"
        ) from None


def _float(x: Any) -> float | None:
    return None if x is None else float(x)


def _int(x: Any) -> int | None:
    return None if x is None else int(x)


def _text(x: Any) -> str | None:
    if x is None:
        return None
    s = str(x).strip()
    return s or None


def read_catalogue(con: duckdb.DuckDBPyConnection, tables: set[str]) -> tuple[list[KpiDef], str]:
    """The KPI catalogue from marts.dim_kpi; the repository's seed when the file predates it."""
    if "dim_kpi" in tables:
        rows = _records(con, f"select * from {SCHEMA}.dim_kpi")
        source = f"{SCHEMA}.dim_kpi"
    else:
        # The published file has no KPI catalogue (made before marts.dim_kpi was published):
        # read the seed it is built from, in this repository.
        with KPI_SEED.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        source = f"seed {KPI_SEED.relative_to(paths.REPO_ROOT)} (the published file has no {SCHEMA}.dim_kpi)"
    kpis = []
    for r in rows:
        target = _text(r.get("local_target"))
        kpis.append(
            KpiDef(
                kpi_code=str(r["kpi_code"]),
                kpi_name=_text(r.get("kpi_name")) or str(r["kpi_code"]),
                report_section=_text(r.get("report_section")) or "other",
                display_order=int(r.get("display_order") or 10_000),
                unit=_text(r.get("unit")) or "count",
                measure_type=_text(r.get("measure_type")),
                polarity=_text(r.get("polarity")),
                definition=_text(r.get("definition")),
                dfe_published_measure=_text(r.get("dfe_published_measure")),
                local_target=float(target) if target is not None else None,
                target_note=_text(r.get("target_note")),
                definition_plain=_text(r.get("definition_plain")),
                why_it_matters=_text(r.get("why_it_matters")),
                two_figures_note=_text(r.get("two_figures_note")),
            )
        )
    kpis.sort(key=lambda k: (k.display_order, k.kpi_code))
    return kpis, source


def load(
    published: Path,
    la_code: str,
    quarter: Quarter | str | None,
    suppress: bool = False,
    synthetic: bool | None = None,
    landing: Path | None = None,
) -> ReportData:
    """Everything the report shows for one council and quarter (None: the latest complete
    quarter of the council's figures)."""
    q = quarter if isinstance(quarter, Quarter) or quarter is None else Quarter.parse(quarter)
    la_code = str(la_code).strip()
    db_file, folder = resolve_source(published)
    manifest = read_manifest(folder)
    built_at = build_time(manifest, db_file)

    con = duckdb_settings.connect(db_file, read_only=True)
    try:
        tables = _tables(con)
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            raise ReportError(
                f"{db_file} has no {', '.join(f'{SCHEMA}.{t}' for t in missing)}: is it a published marts file?"
            )
        kpis, catalogue_source = read_catalogue(con, tables)

        la = con.execute(f"select la_name, region_name from {SCHEMA}.dim_la where la_code = ?", [la_code]).fetchone()
        # Which quarters can be reported, each period's dates, the latest quarter and the span
        # of the council's figures: dbt's rows (marts.kpi_report_periods), read as they are.
        period_rows = _read(
            con,
            f"""select report_quarter, period_role, period_type, period_start, period_end, is_latest_quarter,
                       figures_start, figures_end
                from {SCHEMA}.kpi_report_periods where la_code = ?""",
            [la_code],
            db_file,
        )
        if not period_rows:
            raise ReportError(f"{db_file} has no figures for LA {la_code}")
        first_month, last_month = period_rows[0]["figures_start"], period_rows[0]["figures_end"]
        if q is None:
            q = Quarter.parse(next(r["report_quarter"] for r in period_rows if r["is_latest_quarter"]))
        quarter_rows = [r for r in period_rows if r["report_quarter"] == q.label]
        if not quarter_rows:
            raise ReportError(
                f"{q.display} is outside the figures for LA {la_code}, which run from "
                f"{first_month:%B %Y} to {last_month:%B %Y}"
            )
        q = q.with_periods(quarter_rows)

        value_columns = _columns(con, "kpi_values")
        if not {"is_recorded", "data_quality_note"} <= value_columns:
            raise ReportError(
                f"{db_file}'s kpi_values has no is_recorded and data_quality_note: "
                "it was published before they existed; publish it again"
            )
        published_suppressed = "value_display" in value_columns
        try:
            flags = suppression.flag_columns_sql("v", suppress, published_suppressed, value_columns, db_file)
        except suppression.SuppressionFlagsMissing as exc:
            raise ReportError(str(exc)) from None
        # Which periods: marts.kpi_report_periods' rows for this council and quarter.
        rows = _read(
            con,
            f"""
            select v.kpi_code, v.period_type, v.period_start, v.period_end, v.value, v.numerator,
                   v.denominator, v.unit, v.caveat, v.population_basis, {flags}, v.is_provisional,
                   v.is_recorded, v.data_quality_note
            from {SCHEMA}.kpi_values as v
            inner join {SCHEMA}.kpi_report_periods as p
                on p.la_code = v.la_code and p.period_type = v.period_type and p.period_end = v.period_end
            where p.la_code = ? and p.report_quarter = ?
        """,
            [la_code, q.label],
            db_file,
        )
        values = {}
        for r in rows:
            row = KpiRow(
                kpi_code=r["kpi_code"],
                period_type=r["period_type"],
                period_start=r["period_start"],
                period_end=r["period_end"],
                value=_float(r["value"]),
                numerator=_int(r["numerator"]),
                denominator=_int(r["denominator"]),
                unit=r["unit"],
                caveat=_text(r["caveat"]),
                population_basis=_text(r["population_basis"]),
                suppressed=bool(r["suppressed"]),
                numerator_small=bool(r["numerator_small"]),
                denominator_small=bool(r["denominator_small"]),
                is_provisional=bool(r["is_provisional"]),
                is_recorded=bool(r["is_recorded"]),
                data_quality_note=_text(r["data_quality_note"]),
            )
            if row.suppressed:  # never carry a suppressed number further than this
                row = _blank(row)
            values[(row.kpi_code, row.period_type, row.period_end)] = row

        scorecard = {}
        for r in _read(
            con,
            f"""
            select s.kpi_code, s.period_type, s.polarity, s.target, s.rag_status, s.benchmark_year_label,
                   s.england_value, s.region_value, s.statistical_neighbour_value,
                   s.statistical_neighbour_count, s.la_published_value, s.benchmark_vintage, s.caveat
            from {SCHEMA}.kpi_scorecard as s
            inner join {SCHEMA}.kpi_report_periods as p
                on p.la_code = s.la_code and p.period_type = s.period_type and p.period_end = s.period_end
            where p.la_code = ? and p.report_quarter = ? and p.period_role = 'this_period'
        """,
            [la_code, q.label],
            db_file,
        ):
            scorecard[(r["kpi_code"], r["period_type"])] = ScoreRow(
                kpi_code=r["kpi_code"],
                period_type=r["period_type"],
                polarity=_text(r["polarity"]),
                target=_float(r["target"]),
                rag_status=_text(r["rag_status"]),
                benchmark_year_label=_text(r["benchmark_year_label"]),
                england_value=_float(r["england_value"]),
                region_value=_float(r["region_value"]),
                statistical_neighbour_value=_float(r["statistical_neighbour_value"]),
                statistical_neighbour_count=_int(r["statistical_neighbour_count"]),
                la_published_value=_float(r["la_published_value"]),
                benchmark_vintage=_text(r["benchmark_vintage"]),
                caveat=_text(r["caveat"]),
            )

        dq, dq_totals = read_dq(con, tables, la_code)
    finally:
        con.close()

    spans = (manifest or {}).get("reporting_dates") or {}
    la_span = spans.get(la_code) or {}
    reporting_date = (
        _parse_date(la_span.get("reporting_date")) or _parse_date((manifest or {}).get("reporting_date")) or last_month
    )
    extract_start = _parse_date(la_span.get("extract_start_date")) or first_month

    synthetic_flag, synthetic_source = decide_synthetic(synthetic, manifest, landing)
    return ReportData(
        la_code=la_code,
        la_name=(la[0] if la and la[0] else f"LA {la_code}"),
        region_name=la[1] if la else None,
        quarter=q,
        kpis=kpis,
        values=values,
        scorecard=scorecard,
        dq=dq,
        dq_totals=dq_totals,
        reporting_date=reporting_date,
        extract_start=extract_start,
        built_at=built_at,
        published_at=(manifest or {}).get("published_at"),
        synthetic=synthetic_flag,
        synthetic_source=synthetic_source,
        catalogue_source=catalogue_source,
        source_file=db_file,
        manifest=manifest,
        suppress=suppress,
        published_suppressed=published_suppressed,
        months_available=(first_month, last_month),
    )


def build_time(manifest: dict | None, db_file: Path) -> str:
    """When the figures were built: the publish manifest's ``built_at`` (csc publish copies it
    from the audited build record: the one owner). Without it, a clear error, never a guess
    from the marts' own timestamps."""
    built_at = (manifest or {}).get("built_at")
    if not built_at:
        missing = f"no {MANIFEST}" if manifest is None else f"no built_at in {MANIFEST}"
        raise ReportError(
            f"{missing} beside {db_file}: when its figures were built is unknown "
            "(report from the folder `csc publish` wrote)"
        )
    return str(built_at)


def read_dq(
    con: duckdb.DuckDBPyConnection, tables: set[str], la_code: str
) -> tuple[list[DqRow] | None, DqTotals | None]:
    """The council's rows of marts.dq_summary and its totals (marts.dq_summary_totals), or
    (None, None) when the publication lacks either (a suppressed publication carries no totals;
    one made before issue_kind existed has no kinds): the panel then says it is unavailable
    rather than deciding kinds or sums itself."""
    if not {"dq_summary", "dq_summary_totals"} <= tables or "issue_kind" not in _columns(con, "dq_summary"):
        return None, None
    dq_rows = _records(
        con,
        f"""
        select table_name, rule_code, severity, issue_kind, issue_count, rows_affected
        from {SCHEMA}.dq_summary where la_code = ?
        order by severity, table_name, rule_code""",
        [la_code],
    )
    totals = _records(
        con,
        f"""
        select quarantined_rows, dfe_rule_errors, dfe_rule_queries, other_warnings
        from {SCHEMA}.dq_summary_totals where la_code = ?""",
        [la_code],
    )
    if not totals:
        return None, None
    words = rule_words(con, tables)
    rows = [
        DqRow(
            r["table_name"],
            r["rule_code"],
            r["severity"],
            r["issue_kind"],
            int(r["issue_count"] or 0),
            int(r["rows_affected"] or 0),
            words.get(r["rule_code"]),
        )
        for r in dq_rows
    ]
    t = totals[0]
    return rows, DqTotals(
        int(t["quarantined_rows"]), int(t["dfe_rule_errors"]), int(t["dfe_rule_queries"]), int(t["other_warnings"])
    )


def rule_words(con: duckdb.DuckDBPyConnection, tables: set[str]) -> dict[str, str]:
    """{rule_code: what the rule checks, in words}: marts.dim_dq_rule's rows (dbt decides the
    words). A file published before dim_dq_rule existed: no words, the code alone."""
    if "dim_dq_rule" not in tables:
        return {}
    return {
        str(code): words
        for code, words in con.execute(
            f"select rule_code, rule_description from {SCHEMA}.dim_dq_rule where rule_description is not null"
        ).fetchall()
    }


def _blank(row: KpiRow) -> KpiRow:
    """A suppressed row: its value is gone, and so is any count that is itself small."""
    return KpiRow(
        row.kpi_code,
        row.period_type,
        row.period_start,
        row.period_end,
        None,
        None if row.numerator_small else row.numerator,
        None if row.denominator_small else row.denominator,
        row.unit,
        row.caveat,
        row.population_basis,
        True,
        row.numerator_small,
        row.denominator_small,
        is_recorded=row.is_recorded,
        data_quality_note=row.data_quality_note,
    )


def decide_synthetic(synthetic: bool | None, manifest: dict | None, landing: Path | None) -> tuple[bool, str]:
    """Whether to print the SYNTHETIC DATA banner, and why.

    1. the caller says so (``synthetic`` True or False);
    2. else the published manifest's ``synthetic_data`` field;
    3. else the landing folder (``landing`` or $CSC_LANDING_DIR) holds SYNTHETIC_DEMO_DATA.txt.
    """
    if synthetic is not None:
        return bool(synthetic), "set by the caller"
    if manifest is not None and "synthetic_data" in manifest:
        return bool(manifest["synthetic_data"]), f"{MANIFEST} synthetic_data"
    folder = Path(landing) if landing is not None else paths.landing_dir()
    if (folder / paths.DEMO_MARKER).exists():
        return True, f"{paths.DEMO_MARKER} in the landing folder"
    return False, f"no {MANIFEST} and no {paths.DEMO_MARKER} in the landing folder"
