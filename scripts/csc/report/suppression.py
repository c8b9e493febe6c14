"""Small-number suppression in the report: dbt decides, the report reads its decision.

Every publication's kpi_values carries, from dbt (models/publication, rule in
int_kpi_cells_suppressed), ``value_suppressed``, ``numerator_suppressed`` and
``denominator_suppressed``: where the external (``csc publish --suppress``) publication shows
``c``, after primary and complementary suppression. ``csc report --suppress`` on an internal
publication shows ``c`` exactly there; an external publication already has NULL values and
``c`` in its ``*_display`` columns, which are read as well.

A file without those columns (published before they existed) gets the primary rule only: a
count from 1 to the threshold, with the percentages built on one.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from .. import privacy

MARKER = privacy.SUPPRESSION_MARKER
RULE = privacy.SUPPRESSION_RULE
FLAG_COLUMNS = ("value_suppressed", "numerator_suppressed", "denominator_suppressed")


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Nothing to install any more (the rule is dbt's); kept for callers."""


def flag_columns_sql(
    alias: str, apply_rule: bool, has_display_columns: bool, columns: Iterable[str] | None = None
) -> str:
    """Three boolean columns for a relation with kpi_values' columns (aliased `alias`):
    ``suppressed`` (the value must not be shown), ``numerator_small``, ``denominator_small``.

    apply_rule: show what an external publication would (``--suppress``); has_display_columns:
    the relation has ``value_display`` etc. (read for 'c'); columns: the relation's columns,
    to know whether dbt's flags are there (assumed when not given and display columns are).
    """
    a = alias
    flagged = set(FLAG_COLUMNS) <= set(columns) if columns is not None else has_display_columns
    small = f"between 1 and {privacy.SUPPRESS_MAX}"
    if flagged:
        rule = [f"coalesce({a}.{c}, false)" for c in FLAG_COLUMNS]
    else:
        rule = [
            f"coalesce({a}.numerator {small} or ({a}.unit = 'percent' and {a}.denominator {small}), false)",
            f"coalesce({a}.numerator {small}, false)",
            f"coalesce({a}.unit = 'percent' and {a}.denominator {small}, false)",
        ]
    published = [f"coalesce({a}.{c}_display = '{MARKER}', false)" for c in ("value", "numerator", "denominator")]
    parts = []
    for i, name in enumerate(("suppressed", "numerator_small", "denominator_small")):
        terms = ([rule[i]] if apply_rule else []) + ([published[i]] if has_display_columns else [])
        parts.append(f"({' or '.join(terms) if terms else 'false'}) as {name}")
    return ", ".join(parts)
