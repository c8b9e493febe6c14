"""Small-number suppression for the report, using the publish step's rule (csc.privacy).

The rule has one definition: the DuckDB macros of `csc.privacy.suppression_macros()` (counts
1-5, and percentages and rates whose numerator is 1-5 or whose denominator counts events or
children and is 1-5, are shown as ``c``; zero is not suppressed). The report installs those
macros on its read-only connection and asks them about every KPI row it reads, so a figure is
suppressed in the report exactly when `csc publish --suppress` would suppress it.

A published file that was itself published with ``--suppress`` already has NULL values and
``*_display`` columns holding ``c``: `flag_columns_sql` reads those flags instead, so the report
shows ``c`` there whether or not ``--suppress`` is given.
"""

from __future__ import annotations

import duckdb

from .. import privacy

MARKER = privacy.SUPPRESSION_MARKER
RULE = privacy.SUPPRESSION_RULE


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Create the rule's temporary macros on `con` (works on a read-only connection)."""
    privacy.install_suppression(con)


def flag_columns_sql(alias: str, apply_rule: bool, has_display_columns: bool) -> str:
    """Three boolean columns for a relation with kpi_values' columns (aliased `alias`):
    ``suppressed`` (the value must not be shown), ``numerator_small``, ``denominator_small``.

    apply_rule: evaluate the rule (``--suppress``); has_display_columns: the relation was
    published suppressed and carries ``value_display`` etc. When neither, all three are false.
    """
    a = alias
    units = ", ".join(f"'{u}'" for u in privacy.COUNT_DENOMINATOR_UNITS)
    rule = [
        f"csc_kpi_suppressed({a}.numerator, {a}.denominator, {a}.unit)",
        f"csc_is_small({a}.numerator)",
        f"(csc_is_small({a}.denominator) and coalesce({a}.unit in ({units}), false))",
    ]
    published = [
        f"coalesce({a}.value_display = '{MARKER}', false)",
        f"coalesce({a}.numerator_display = '{MARKER}', false)",
        f"coalesce({a}.denominator_display = '{MARKER}', false)",
    ]
    parts = []
    for i, name in enumerate(("suppressed", "numerator_small", "denominator_small")):
        terms = ([rule[i]] if apply_rule else []) + ([published[i]] if has_display_columns else [])
        parts.append(f"({' or '.join(terms) if terms else 'false'}) as {name}")
    return ", ".join(parts)
