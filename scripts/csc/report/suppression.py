"""Small-number suppression in the report: dbt decides, the report reads its decision.

Every publication's kpi_values carries, from dbt (models/publication, rule in
int_kpi_cells_suppressed), ``value_suppressed``, ``numerator_suppressed`` and
``denominator_suppressed``: where the external (``csc publish --suppress``) publication shows
``c``, after primary and complementary suppression. ``csc report --suppress`` on an internal
publication shows ``c`` exactly there; an external publication already has NULL values and
``c`` in its ``*_display`` columns, which are read as well.

The rule itself is never restated here: a file published without the flags (before they
existed) cannot be reported with ``--suppress``; it is refused with a one-line reason.
"""

from __future__ import annotations

from pathlib import Path

from .. import privacy

MARKER = privacy.SUPPRESSION_MARKER
RULE = privacy.SUPPRESSION_RULE
FLAG_COLUMNS = ("value_suppressed", "numerator_suppressed", "denominator_suppressed")


class SuppressionFlagsMissing(Exception):
    """--suppress asked of a publication without dbt's suppression flags."""


def flag_columns_sql(
    alias: str,
    apply_rule: bool,
    has_display_columns: bool,
    columns: set[str] | None = None,
    source: Path | str | None = None,
) -> str:
    """Three boolean columns for a relation with kpi_values' columns (aliased `alias`):
    ``suppressed`` (the value must not be shown), ``numerator_small``, ``denominator_small``.

    apply_rule: show what an external publication would (``--suppress``): dbt's flags;
    has_display_columns: the relation has ``value_display`` etc. (read for 'c'); columns: the
    relation's columns, to know whether dbt's flags are there (assumed when not given and
    display columns are); source: the file, for the error message.
    """
    a = alias
    flagged = set(FLAG_COLUMNS) <= set(columns) if columns is not None else has_display_columns
    if apply_rule and not flagged:
        raise SuppressionFlagsMissing(
            f"{source or 'the published file'} has no suppression flags ({', '.join(FLAG_COLUMNS)}): "
            "it was published before they existed; publish it again to report with --suppress"
        )
    published = [f"coalesce({a}.{c}_display = '{MARKER}', false)" for c in ("value", "numerator", "denominator")]
    parts = []
    for i, name in enumerate(("suppressed", "numerator_small", "denominator_small")):
        terms = ([f"coalesce({a}.{FLAG_COLUMNS[i]}, false)"] if apply_rule else []) + (
            [published[i]] if has_display_columns else []
        )
        parts.append(f"({' or '.join(terms) if terms else 'false'}) as {name}")
    return ", ".join(parts)
