"""The report's CIN census readiness section: DfE errors and queries on the census year's
return, month by month, from the published marts (read as they are: the counts are dbt's).

    readiness_view(db_file, la_code) -> ReadinessView

Sources (schema ``marts`` of the published file): ``dq_census_readiness`` (per rule: the
year's failing records and children, whether the extract lets the rule be evaluated) and
``dq_census_readiness_monthly_totals`` (per month: the errors and queries made in the month
and the running totals; what a month's readiness is, is dbt's). A publication without them (``csc publish --suppress`` publishes aggregate
marts only) gives ``available=False`` and the section says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import duckdb_settings

SCHEMA = "marts"
TABLES = ("dq_census_readiness", "dq_census_readiness_monthly_totals")
TOP_RULES = 10


@dataclass(frozen=True)
class ReadinessMonth:
    month_start: date
    errors: int
    queries: int
    errors_to_date: int
    queries_to_date: int


@dataclass(frozen=True)
class ReadinessRule:
    rule_code: str
    rule_type: str
    message: str
    failing_records: int
    failing_children: int


@dataclass
class ReadinessView:
    available: bool
    census_year: int | None = None
    reference_date: date | None = None
    months: list[ReadinessMonth] = field(default_factory=list)
    rules: list[ReadinessRule] = field(default_factory=list)  # failing rules, most records first
    not_evaluable: list[tuple[str, str]] = field(default_factory=list)  # (rule, missing inputs)
    rules_checked: int = 0

    @property
    def errors(self) -> int:
        return self.months[-1].errors_to_date if self.months else 0

    @property
    def queries(self) -> int:
        return self.months[-1].queries_to_date if self.months else 0

    @property
    def year_label(self) -> str:
        return f"{self.census_year - 1}-{self.census_year % 100:02d}" if self.census_year else ""


def readiness_view(db_file: Path | None, la_code: str) -> ReadinessView:
    """The section's content for one council (module doc)."""
    if db_file is None or not Path(db_file).is_file():
        return ReadinessView(available=False)
    con = duckdb_settings.connect(db_file, read_only=True)
    try:
        have = {
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?", [SCHEMA]
            ).fetchall()
        }
        if not set(TABLES) <= have:
            return ReadinessView(available=False)
        rules = con.execute(
            f"""select census_year, reference_date, rule_code, rule_type, message, can_evaluate,
                       missing_inputs, failing_records, failing_children
                from {SCHEMA}.dq_census_readiness where la_code = ?""",
            [la_code],
        ).fetchall()
        months = con.execute(
            f"""select month_start, errors, queries, errors_to_date, queries_to_date
                from {SCHEMA}.dq_census_readiness_monthly_totals where la_code = ?
                order by month_start""",
            [la_code],
        ).fetchall()
    finally:
        con.close()
    if not rules:
        return ReadinessView(available=False)
    view = ReadinessView(available=True, census_year=int(rules[0][0]), reference_date=rules[0][1])
    view.rules_checked = len(rules)
    view.months = [ReadinessMonth(*row) for row in months]
    failing = [r for r in rules if r[5] and r[7]]
    failing.sort(key=lambda r: (r[3] != "error", -r[7], r[2]))
    view.rules = [ReadinessRule(r[2], r[3], r[4], int(r[7]), int(r[8])) for r in failing[:TOP_RULES]]
    view.not_evaluable = sorted((r[2], r[6] or "") for r in rules if not r[5])
    return view
