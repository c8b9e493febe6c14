"""DAX measures: one per KPI of the catalogue, plus RAG and direction of travel for conditional
formatting.

kpi_values holds one row per council, KPI, period type and period: values are already
aggregated, and a month, a quarter, the year to date and the year overlap, so adding across
period types double counts. Every KPI measure therefore returns BLANK unless exactly one
period type is in the filter context (a slicer on dim_period_type_label or
kpi_values[period_type]); stock measures (a position at a date) also need exactly one period
end. Within one period type, flows add over periods and councils, and percentages and rates
are pooled: DIVIDE(SUM(numerator), SUM(denominator)), never an average of percentages.

How each unit is pooled (numerator and denominator are kpi_values' columns):

    count            SUM(numerator)
    percent          DIVIDE(SUM(numerator), SUM(denominator))                 formatted 0.0%
    per 10000        DIVIDE(SUM(numerator), SUM(denominator)) * 10000         (denominator: children 0-17)
    count per month  DIVIDE(SUM(numerator), SUM(denominator)) * councils      (denominator: months)

For one council and one period each equals kpi_values.value (percentages as a ratio: 33.2%
is 0.332); the tests check that identity on the published data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import spec
from .tmdl import dax_string, dax_table

# Scale from the pooled ratio to kpi_values.value, by unit (the tests check it on the data).
VALUE_SCALE = {"count": 1.0, "percent": 100.0, "per 10000": 10000.0, "count per month": 1.0}
SUPPRESSED_MARKER = "c"


@dataclass
class Measure:
    name: str
    expression: str
    format_string: str | None = None
    folder: str = ""
    description: str = ""
    kpi_code: str | None = None


def kpi_aggregate(unit: str, kv: str = "'kpi_values'") -> str:
    ratio = f"DIVIDE ( SUM ( {kv}[numerator] ), SUM ( {kv}[denominator] ) )"
    if unit == "count":
        return f"SUM ( {kv}[numerator] )"
    if unit == "percent":
        return ratio
    if unit == "per 10000":
        return f"{ratio} * 10000"
    if unit == "count per month":
        return f"{ratio} * DISTINCTCOUNT ( {kv}[la_code] )"
    raise ValueError(f"unit {unit!r} has no pooled form (add it to csc.powerbi.measures)")


def kpi_measure(kpi: dict, suppressed: bool, section_titles: dict[str, str]) -> Measure:
    kv = dax_table("kpi_values")
    code = dax_string(kpi["kpi_code"])
    guard = f"HASONEVALUE ( {kv}[period_type] )"
    if (kpi.get("measure_type") or "") == "stock":
        guard += f" && HASONEVALUE ( {kv}[period_end] )"
    body = kpi_aggregate(kpi["unit"], kv)
    lines = [
        f"-- {kpi['kpi_code']}: period types never add; {kpi['unit']} pooled as documented in csc.powerbi.measures",
        "IF (",
        f"    {guard},",
        "    CALCULATE (",
        f"        {_suppression_guard(body, kv) if suppressed else body},",
        f"        KEEPFILTERS ( {kv}[kpi_code] = {code} )",
        "    )",
        ")",
    ]
    description = _first(kpi, "definition_plain", "definition")
    why = _first(kpi, "why_it_matters")
    if why:
        description += f" Why it matters: {why}"
    return Measure(
        kpi["kpi_name"],
        "\n".join(lines),
        spec.UNIT_FORMATS.get(kpi["unit"], "#,0.0"),
        section_titles.get(kpi.get("report_section") or "", kpi.get("report_section") or "KPIs"),
        description,
        kpi["kpi_code"],
    )


def _suppression_guard(body: str, kv: str) -> str:
    """In a suppressed publication a suppressed row's numbers are NULL: anything pooled over it
    would silently leave it out, so the measure is BLANK there (the _display columns say c)."""
    marker = dax_string(SUPPRESSED_MARKER)
    return f"IF ( ISEMPTY ( FILTER ( {kv}, {kv}[value_display] = {marker} ) ), {body} )"


def _first(row: dict, *names: str) -> str:
    for n in names:
        if row.get(n):
            return str(row[n]).strip()
    return ""


def scorecard_measures() -> list[Measure]:
    sc = dax_table("kpi_scorecard")
    one_row = f"COUNTROWS ( {sc} ) = 1"
    rag_colour = ", ".join(f'"{k}", "{v}"' for k, v in spec.RAG_COLOURS.items())
    dir_colour = ", ".join(f'"{k}", "{v}"' for k, v in spec.DIRECTION_COLOURS.items())
    folder = "Status"
    return [
        Measure(
            "RAG status",
            f"IF ( {one_row}, SELECTEDVALUE ( {sc}[rag_status] ) )",
            None,
            folder,
            "GREEN, AMBER or RED against the local target, for one council, KPI and period (blank otherwise).",
        ),
        Measure(
            "RAG label",
            "\n".join(
                [
                    "SWITCH (",
                    "    [RAG status],",
                    '    "GREEN", UNICHAR ( 10004 ) & " Green",',
                    '    "AMBER", UNICHAR ( 9670 ) & " Amber",',
                    '    "RED", UNICHAR ( 10006 ) & " Red"',
                    ")",
                ]
            ),
            None,
            folder,
            "The status as a symbol and a word, so colour is never the only signal (as the quarterly report).",
        ),
        Measure(
            "RAG colour",
            f"SWITCH ( [RAG status], {rag_colour} )",
            None,
            folder,
            "Hex colour of the status for conditional formatting (field value); each has at least 4.5:1 contrast on white.",
        ),
        Measure(
            "RAG sort",
            'SWITCH ( [RAG status], "RED", 1, "AMBER", 2, "GREEN", 3 )',
            "0",
            folder,
            "1 red, 2 amber, 3 green: for icon sets and sorting.",
        ),
        Measure(
            "Direction of travel",
            f"IF ( {one_row}, SELECTEDVALUE ( {sc}[direction_of_travel] ) )",
            None,
            folder,
            "improving / worsening (by the KPI's polarity), up / down (neutral KPIs), no change; against the same period last year.",
        ),
        Measure(
            "Direction arrow",
            "\n".join(
                [
                    f"VAR _change = IF ( {one_row}, SELECTEDVALUE ( {sc}[change_since_last_year] ) )",
                    "RETURN",
                    "    SWITCH (",
                    "        TRUE (),",
                    "        ISBLANK ( _change ), BLANK (),",
                    "        _change > 0, UNICHAR ( 9650 ),",
                    "        _change < 0, UNICHAR ( 9660 ),",
                    "        UNICHAR ( 9654 )",
                    "    )",
                ]
            ),
            None,
            folder,
            "An arrow for the change since the same period last year (up, down, level).",
        ),
        Measure(
            "Direction score",
            'SWITCH ( [Direction of travel], "improving", 1, "worsening", -1, 0 )',
            "0",
            folder,
            "1 improving, -1 worsening, 0 otherwise: for icon sets.",
        ),
        Measure(
            "Direction colour",
            f"SWITCH ( [Direction of travel], {dir_colour} )",
            None,
            folder,
            "Hex colour of the direction of travel for conditional formatting (field value).",
        ),
    ]


def generic_measures(suppressed: bool) -> list[Measure]:
    kv = dax_table("kpi_values")
    guard = f"HASONEVALUE ( {kv}[kpi_code] ) && HASONEVALUE ( {kv}[period_type] )"
    cases = ",\n".join(
        f'        "{unit}", {kpi_aggregate(unit, kv)}{" * 100" if unit == "percent" else ""}' for unit in VALUE_SCALE
    )
    value = "\n".join(
        ["IF (", f"    {guard},", "    SWITCH (", f"        SELECTEDVALUE ( {kv}[unit] ),", cases, "    )", ")"]
    )
    out = [
        Measure(
            "KPI value",
            value,
            "#,0.0",
            "KPIs",
            "The value of the one KPI and period type in context, on kpi_values.value's scale "
            "(percentages 0-100): for a matrix with dim_kpi on rows. Blank across KPIs or period types.",
        )
    ]
    if suppressed:
        out.append(
            Measure(
                "KPI value shown",
                f"IF ( COUNTROWS ( {kv} ) = 1, SELECTEDVALUE ( {kv}[value_display] ) )",
                None,
                "KPIs",
                "The value as published (text): c where suppressed.",
            )
        )
    return out


def add_measures(model) -> None:
    """Attach the measures to kpi_values and kpi_scorecard (when published)."""
    titles = model.section_titles
    kv = model.table("kpi_values")
    if kv is not None:
        names: set[str] = set()
        for kpi in model.kpis:
            m = kpi_measure(kpi, model.suppressed, titles)
            if m.name in names or m.name in {"KPI value", "KPI value shown"}:
                m.name = f"{m.name} ({kpi['kpi_code']})"
            names.add(m.name)
            kv.measures.append(m)
        kv.measures.extend(generic_measures(model.suppressed))
    sc = model.table("kpi_scorecard")
    if sc is not None:
        have = {c.name for c in sc.columns}
        for m in scorecard_measures():
            needs = set(re.findall(r"'kpi_scorecard'\[(\w+)\]", m.expression))
            uses = set(re.findall(r"(?<!')\[([^\]]+)\]", re.sub(r"'kpi_scorecard'\[\w+\]", "", m.expression)))
            if needs <= have and uses <= {x.name for x in sc.measures}:
                sc.measures.append(m)
            else:
                model.notes.append(f"measure {m.name!r} left out: kpi_scorecard lacks {sorted(needs - have)}")
