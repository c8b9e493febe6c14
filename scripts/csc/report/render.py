"""Assemble the quarterly report: figures, sentences and charts per measure, then the HTML and CSV.

Every number the HTML shows is a `Figure`; the CSV is the list of figures, so the two cannot
disagree. Sections follow the council report the layout is modelled on (front door, early help,
children in need, referrals, single assessments, section 47 enquiries, conferences and plans,
repeat plans); measures are placed by the catalogue's report_section and display_order, so a
KPI added to the catalogue appears in its section without a change here.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import charts, sentences
from . import commentary as commentary_mod
from .data import KpiDef, KpiRow, Quarter, ReportData, ReportError, ScoreRow, load
from .readiness import readiness_view
from .sentences import fmt_value
from .suppression import MARKER, RULE

TEMPLATES = Path(__file__).parent / "templates"


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    report_sections: tuple[str, ...]
    intro: tuple[str, ...] = ()
    callout: str | None = None


EARLY_HELP_CAVEAT = (
    "Treat these counts with caution. Early help assessments are recorded for several purposes: "
    "as an assessment of need leading to an early help plan, but also as a record of basic "
    "information, a MASH enquiry or a referral form to other services. Under the partnership's "
    "counting rule only those with an assessment, a team around the family and a plan count "
    "(early help assessments under the multi-agency rule)."
)

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "front_door",
        "Front door: contacts and MASH decisions",
        ("front_door",),
        (
            "Every contact, any information shared with children's social care about a child, is "
            "screened at the front door (the Multi-Agency Safeguarding Hub, MASH) and a decision made: "
            "a referral to children's social work, early help, advice or no further action.",
        ),
    ),
    SectionSpec(
        "early_help",
        "Early help",
        ("early_help",),
        (
            "Early help offers integrated support to children, young people and families at an early "
            "point, to stop needs from escalating.",
        ),
        callout=EARLY_HELP_CAVEAT,
    ),
    SectionSpec(
        "cin",
        "Children in need",
        ("cin",),
        (
            "Children in need are those identified by assessment as needing support, including "
            "children on a child protection plan and looked-after children. Children whose only "
            "service is a short-break budget (usually disabled children) are also shown separately.",
        ),
    ),
    SectionSpec(
        "referrals",
        "Referrals into children's social work",
        ("referrals",),
        (
            "Referrals are contacts accepted by children's social work. A re-referral is a referral "
            "within 12 months of the same child's previous referral.",
        ),
    ),
    SectionSpec(
        "assessments",
        "Single assessments",
        ("assessments",),
        (
            "Most accepted referrals lead to a single assessment of needs and risks. It should reach "
            "a decision on next steps within 45 working days of the referral, and sooner (15 working "
            "days) where a family's needs can be identified and met quickly.",
        ),
    ),
    SectionSpec(
        "s47",
        "Section 47 enquiries",
        ("s47",),
        (
            "Section 47 of the Children Act 1989 requires the council to make enquiries where it has "
            "reasonable cause to suspect that a child is suffering, or is likely to suffer, "
            "significant harm. The decision follows a multi-agency strategy discussion.",
        ),
    ),
    SectionSpec(
        "conferences",
        "Child protection conferences and plans",
        ("conferences", "cp_plans"),
        (
            "An initial child protection conference (ICPC) brings together the family and the "
            "professionals most involved with the child. Where the child is at continuing risk of "
            "significant harm it agrees a multi-agency child protection plan.",
        ),
    ),
    SectionSpec(
        "repeat_plans",
        "Repeat child protection plans",
        ("repeat_plans",),
        (
            "A repeat plan is a child protection plan for a child who has had one before. It asks "
            "whether an earlier plan ended before the child was adequately protected.",
        ),
    ),
)

# Notes printed under particular measures (the report's own caveats, beside the data's).
MEASURE_NOTES = {
    "EH_ASSESSMENTS": EARLY_HELP_CAVEAT,
    "EH_ASSESSMENTS_QUALIFYING": EARLY_HELP_CAVEAT,
}

RAG = {  # symbol, word, meaning: never colour alone
    "GREEN": ("\u2714", "Green", "meets the target"),
    "AMBER": ("\u25c6", "Amber", "misses the target by up to 10%"),
    "RED": ("\u2716", "Red", "misses the target by more than 10%"),
}
UNIT_NOTES = {
    "percent": "Number: counted of the total.",
    "per 10000": "Rate per 10,000 children aged 0-17. Number: children of the population.",
    "count per month": "Monthly average: the count divided by the months in the period.",
}


# --------------------------------------------------------------------------------------------
# Figures: everything shown, one row each in the CSV
# --------------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "la_code",
    "quarter",
    "section",
    "section_title",
    "kpi_code",
    "kpi_name",
    "figure",
    "measure_name",
    "period_type",
    "period_start",
    "period_end",
    "unit",
    "value",
    "numerator",
    "denominator",
    "shown",
    "comparator_name",
    "comparator_value",
    "benchmark_year",
    "target",
    "rag_status",
    "suppressed",
    "caveat",
]


@dataclass
class Figure:
    section: str
    section_title: str
    kpi_code: str
    kpi_name: str
    figure: str  # value, same_period_last_year, last_year_outturn, change_since_year_end,
    # benchmark, target, month
    measure_name: str  # the label in the report
    period_type: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    unit: str | None = None
    value: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    shown: str = ""
    comparator_name: str | None = None
    comparator_value: float | None = None
    benchmark_year: str | None = None
    target: float | None = None
    rag_status: str | None = None
    suppressed: bool = False
    caveat: str | None = None


@dataclass
class TableRow:
    label: str
    shown: str
    counts: str = ""


@dataclass
class MeasureView:
    kpi: KpiDef
    anchor: str
    name: str
    definition: str | None
    no_data: str | None = None
    rows: list[TableRow] = field(default_factory=list)
    benchmarks: list[TableRow] = field(default_factory=list)
    benchmark_year: str | None = None
    target_text: str | None = None
    rag: tuple[str, str, str, str] | None = None  # symbol, word, meaning, css class
    sentence: str = ""
    chart: Markup | None = None
    chart_caption: str = ""
    unit_note: str = ""
    caveats: list[str] = field(default_factory=list)
    data_quality_note: str | None = None  # kpi_values' data-quality sentence for the measure
    notes: list[str] = field(default_factory=list)
    why: str | None = None
    summary: dict = field(default_factory=dict)


@dataclass
class SectionView:
    key: str
    number: int
    title: str
    intro: tuple[str, ...]
    callout: str | None
    measures: list[MeasureView]
    commentary: Markup | None = None


_PER_10000 = re.compile(r"\bper\s+10000\b", re.IGNORECASE)


def people_words(text: str | None) -> str | None:
    """Text as people write it: 'per 10,000' (the catalogue may say 'per 10000')."""
    return _PER_10000.sub("per 10,000", text) if text else text


def month_span(start: date, end: date) -> str:
    """'July to September 2016'; 'April 2016 to March 2017'."""
    if start.year == end.year:
        return f"{start:%B} to {end:%B %Y}" if start.month != end.month else f"{end:%B %Y}"
    return f"{start:%B %Y} to {end:%B %Y}"


def month_span_short(start: date, end: date) -> str:
    """'Jul–Sep 2016'; 'Apr 2016–Mar 2017'."""
    if start.year == end.year:
        return f"{start:%b}–{end:%b %Y}" if start.month != end.month else f"{end:%b %Y}"
    return f"{start:%b %Y}–{end:%b %Y}"


def day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def moment(text: str | None) -> str | None:
    """An ISO timestamp for people: '27 November 2026, 06:20 UTC'."""
    if not text:
        return None
    try:
        t = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return str(text)
    zone = ""
    if t.tzinfo is not None:
        t = t.astimezone(UTC)
        zone = " UTC"
    return f"{t.day} {t:%B %Y}, {t:%H:%M}{zone}"


def day_short(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def shown_value(row: KpiRow | None, unit: str) -> str:
    if row is None:
        return "no data"
    if row.suppressed:
        return MARKER
    if row.value is None:
        return "no data" if row.is_recorded else "not recorded"
    return fmt_value(row.value, unit)


def counts_text(row: KpiRow | None, unit: str) -> str:
    """'419 of 1,658' (percent), '4,924 of 142,591' (rate per 10,000 children), '1,658 in 3 months'."""
    if row is None or (row.numerator is None and not row.numerator_small):
        return ""
    num = MARKER if row.numerator_small else f"{row.numerator:,}"
    den = MARKER if row.denominator_small else (f"{row.denominator:,}" if row.denominator is not None else None)
    if unit == "percent" and den is not None:
        return f"{num} of {den}"
    if unit == "per 10000" and den is not None:
        return f"{num} of {den}"
    if unit == "count per month" and den is not None:
        return f"{num} in {den} month{'s' if den != '1' else ''}"
    return ""


def region_phrase(region: str | None) -> str | None:
    """'the South West', 'London'."""
    if not region:
        return None
    return f"the {region}" if region.split()[0] in ("North", "South", "East", "West") else region


class Builder:
    def __init__(self, data: ReportData):
        self.d = data
        self.q = data.quarter
        self.figures: list[Figure] = []
        self._charted: dict[tuple, str] = {}  # a monthly series already drawn -> the measure's name

    # -- helpers -------------------------------------------------------------------------
    def row(self, code: str, period_type: str, period_end: date) -> KpiRow | None:
        return self.d.value(code, period_type, period_end)

    def add(self, spec: SectionSpec, kpi: KpiDef, **kw) -> Figure:
        f = Figure(
            section=spec.key,
            section_title=spec.title,
            kpi_code=kpi.kpi_code,
            kpi_name=kpi.kpi_name,
            unit=kw.pop("unit", kpi.unit),
            **kw,
        )
        self.figures.append(f)
        return f

    def add_row(self, spec: SectionSpec, kpi: KpiDef, figure: str, label: str, row: KpiRow | None) -> TableRow:
        text = shown_value(row, kpi.unit)
        if row is not None:
            self.add(
                spec,
                kpi,
                figure=figure,
                measure_name=label,
                period_type=row.period_type,
                period_start=row.period_start,
                period_end=row.period_end,
                value=row.value,
                numerator=row.numerator,
                denominator=row.denominator,
                shown=text,
                suppressed=row.suppressed,
                caveat=row.caveat,
            )
        return TableRow(label, text, counts_text(row, kpi.unit))

    # -- one measure -----------------------------------------------------------------------
    def measure(self, spec: SectionSpec, kpi: KpiDef) -> MeasureView:
        q, code, unit = self.q, kpi.kpi_code, kpi.unit
        stock = kpi.measure_type == "stock"
        main_type = "fytd" if unit == "count per month" else "quarter"
        score: ScoreRow | None = (
            self.d.scorecard.get((code, main_type))
            or self.d.scorecard.get((code, "quarter"))
            or self.d.scorecard.get((code, "fytd"))
        )
        polarity = (score.polarity if score and score.polarity else kpi.polarity) or "neutral"
        view = MeasureView(
            kpi=kpi,
            anchor=f"m-{code}",
            name=people_words(kpi.kpi_name),
            definition=people_words(
                " ".join(t for t in (kpi.definition_plain or kpi.definition, kpi.two_figures_note) if t)
            ),
        )
        view.why = people_words(kpi.why_it_matters)
        view.notes = [MEASURE_NOTES[code]] if code in MEASURE_NOTES else []
        view.unit_note = UNIT_NOTES.get(unit, "")

        main = self.row(code, main_type, q.end)
        if main is None or (main.value is None and not main.suppressed):
            reason = (
                main.caveat
                if main is not None and main.caveat
                else (
                    score.caveat
                    if score is not None and score.caveat
                    else "the published figures have no value for this measure and period"
                )
            )
            view.no_data = f"No data for this measure in {q.display}: {reason}"
            view.summary = {"main": "no data", "previous": "", "england": "", "rag": None}
            self.add(
                spec,
                kpi,
                figure="value",
                measure_name=f"{q.display}: no data",
                period_type=main_type,
                period_start=q.start if main_type == "quarter" else q.fy_start,
                period_end=q.end,
                shown="no data",
                caveat=reason,
            )
            return view

        fy_prev = self.row(code, "fy", q.year_end_before)
        quarter_now = self.row(code, "quarter", q.end)
        quarter_then = self.row(code, "quarter", q.previous_year.end)
        fytd_now = self.row(code, "fytd", q.end)
        fytd_then = self.row(code, "fytd", q.previous_year.end)

        # Own figures
        if stock:
            view.rows.append(self.add_row(spec, kpi, "value", f"At {day_short(q.end)}", quarter_now))
            view.rows.append(
                self.add_row(
                    spec,
                    kpi,
                    "same_period_last_year",
                    f"A year earlier: {day_short(q.previous_year.end)}",
                    quarter_then,
                )
            )
            view.rows.append(
                self.add_row(spec, kpi, "last_year_outturn", f"Year end: {day_short(q.year_end_before)}", fy_prev)
            )
        else:
            py = q.previous_year
            view.rows.append(
                self.add_row(spec, kpi, "value", f"Quarter: {month_span_short(q.start, q.end)}", quarter_now)
            )
            view.rows.append(
                self.add_row(spec, kpi, "value", f"Year to date: {month_span_short(q.fy_start, q.end)}", fytd_now)
            )
            view.rows.append(
                self.add_row(
                    spec,
                    kpi,
                    "same_period_last_year",
                    f"A year earlier: {month_span_short(py.start, py.end)}",
                    quarter_then,
                )
            )
            view.rows.append(
                self.add_row(
                    spec,
                    kpi,
                    "same_period_last_year",
                    f"Year to date a year earlier: {month_span_short(py.fy_start, py.end)}",
                    fytd_then,
                )
            )
            view.rows.append(
                self.add_row(spec, kpi, "last_year_outturn", f"Outturn {q.previous_fy_label} (Apr–Mar)", fy_prev)
            )

        # Change since the year end (stock counts)
        extra_sentence = None
        if stock and unit == "count" and quarter_now is not None and fy_prev is not None:
            hidden = quarter_now.suppressed or fy_prev.suppressed
            diff = (
                None
                if hidden or quarter_now.value is None or fy_prev.value is None
                else quarter_now.value - fy_prev.value
            )
            if hidden or diff is not None:
                text = (
                    MARKER
                    if hidden
                    else f"{diff:+,.0f}" + (f" ({diff / fy_prev.value * 100:+.1f}%)" if fy_prev.value else "")
                )
                label = f"Change since {day_short(q.year_end_before)}"
                view.rows.append(TableRow(label, text))
                self.add(
                    spec,
                    kpi,
                    figure="change_since_year_end",
                    measure_name=label,
                    period_type="change",
                    period_start=q.year_end_before,
                    period_end=q.end,
                    value=diff,
                    shown=text,
                    suppressed=hidden,
                )
                extra_sentence = sentences.change_since_sentence(
                    view.name,
                    unit,
                    fy_prev.value,
                    day(q.year_end_before),
                    quarter_now.value,
                    day(q.end),
                    suppressed=hidden,
                )

        # Benchmarks and target
        comparators: list[sentences.Comparator] = []
        refs: list[charts.Reference] = []
        if score is not None:
            year = score.benchmark_year_label
            view.benchmark_year = year
            region = self.d.region_name or "Region"
            neighbours = (
                f"Statistical neighbours (mean of {score.statistical_neighbour_count})"
                if score.statistical_neighbour_count
                else "Statistical neighbours"
            )
            bench = [  # key, table label, phrase in sentences, chart legend, value
                ("england", "England", "England", "England", score.england_value),
                ("region", region, region_phrase(self.d.region_name), region, score.region_value),
                (
                    "neighbours",
                    neighbours,
                    "statistical neighbours",
                    f"Neighbours ({score.statistical_neighbour_count})"
                    if score.statistical_neighbour_count
                    else "Neighbours",
                    score.statistical_neighbour_value,
                ),
            ]
            for key, label, phrase, chart_label, value in bench:
                if value is None:
                    continue
                view.benchmarks.append(TableRow(label, fmt_value(value, unit)))
                self.add(
                    spec,
                    kpi,
                    figure="benchmark",
                    measure_name=f"{label} ({year})",
                    period_type="fy",
                    **_benchmark_period(year),
                    comparator_name=label,
                    comparator_value=value,
                    benchmark_year=year,
                    shown=fmt_value(value, unit),
                )
                if phrase and unit not in ("count", "count per month"):
                    comparators.append(sentences.Comparator(phrase, value, year))
                    refs.append(
                        charts.Reference(
                            key, chart_label, value, short={"england": "Eng", "neighbours": "SN"}.get(key, "")
                        )
                    )
            if score.la_published_value is not None:
                label = f"{self.d.la_name} as published by DfE"
                view.benchmarks.append(TableRow(label, fmt_value(score.la_published_value, unit)))
                self.add(
                    spec,
                    kpi,
                    figure="benchmark",
                    measure_name=f"{label} ({year})",
                    period_type="fy",
                    **_benchmark_period(year),
                    comparator_name=label,
                    comparator_value=score.la_published_value,
                    benchmark_year=year,
                    shown=fmt_value(score.la_published_value, unit),
                )

        target = score.target if score is not None and score.target is not None else kpi.local_target
        rag_status = score.rag_status if score is not None else None
        if main.suppressed and rag_status is not None:
            rag_status = MARKER
        if target is not None:
            goal = {"lower_is_better": " or lower", "higher_is_better": " or higher"}.get(polarity, "")
            view.target_text = f"{fmt_value(target, unit, long=True)}{goal}" + (
                f" ({kpi.target_note})" if kpi.target_note else ""
            )
            if rag_status in RAG:
                symbol, word, meaning = RAG[rag_status]
                view.rag = (symbol, word, meaning, f"rag-{rag_status.lower()}")
            elif rag_status == MARKER:
                view.rag = ("", MARKER, "status suppressed with the figure", "rag-none")
            else:
                view.rag = ("", "No status", "no figure to compare with the target", "rag-none")
            self.add(
                spec,
                kpi,
                figure="target",
                measure_name="Target",
                period_type=main_type,
                period_start=main.period_start,
                period_end=main.period_end,
                comparator_name="Target",
                comparator_value=target,
                target=target,
                rag_status=rag_status,
                shown=f"{fmt_value(target, unit, long=True)}{goal}",
            )
            if unit not in ("count", "count per month"):
                refs.append(charts.Reference("target", "Target", target, short="Target"))

        # The sentence
        if main_type == "fytd":
            m = sentences.Measure(
                name=view.name,
                unit=unit,
                polarity=polarity,
                value=main.value,
                period=f"in {q.fy_label} to date ({month_span(q.fy_start, q.end)})",
                previous_value=fy_prev.value if fy_prev else None,
                previous_period=f"in {q.previous_fy_label}",
                previous_suppressed=bool(fy_prev and fy_prev.suppressed),
                comparators=tuple(comparators),
                target=target,
                suppressed=main.suppressed,
                provisional=main.is_provisional,
            )
        else:
            counts = counts_text(main, unit) if unit == "percent" and not main.suppressed else None
            m = sentences.Measure(
                name=view.name,
                unit=unit,
                polarity=polarity,
                value=main.value,
                period=f"at the end of {q.end:%B %Y}" if stock else f"in {q.display}",
                previous_value=quarter_then.value if quarter_then else None,
                previous_period=(
                    f"at the end of {q.previous_year.end:%B %Y}" if stock else f"in {q.previous_year.display}"
                ),
                previous_suppressed=bool(quarter_then and quarter_then.suppressed),
                comparators=tuple(comparators),
                target=target,
                counts=counts or None,
                suppressed=main.suppressed,
                provisional=main.is_provisional,
            )
        view.sentence = " ".join(s for s in (sentences.measure_sentence(m), extra_sentence) if s)

        # The chart: 24 months ending at the quarter end
        points = []
        for me in q.trend_month_ends():
            r = self.row(code, "month", me)
            points.append(charts.Point(me, None if r is None else r.value, bool(r and r.suppressed)))
            if r is not None:
                self.add(
                    spec,
                    kpi,
                    figure="month",
                    measure_name=f"{me:%B %Y}",
                    period_type="month",
                    period_start=r.period_start,
                    period_end=r.period_end,
                    value=r.value,
                    numerator=r.numerator,
                    denominator=r.denominator,
                    shown=shown_value(r, unit),
                    suppressed=r.suppressed,
                    caveat=r.caveat,
                )
        series = tuple((p.period_end, None if p.value is None else round(p.value, 6), p.suppressed) for p in points)
        if any(p.value is not None or p.suppressed for p in points) and series in self._charted:
            # The same monthly figures as a chart already drawn (referrals per month is referrals
            # month by month): say so instead of drawing it twice.
            view.chart_caption = f"Month by month this is the same as {self._charted[series]}: see its chart."
        elif any(p.value is not None or p.suppressed for p in points):
            self._charted[series] = view.name
            # Flow counts as bars; stocks and percentages or rates as lines. Benchmark lines only
            # for percentages and rates (a council's count has nothing to compare with).
            kind = "bar" if unit in ("count", "count per month") and not stock else "line"
            title = f"{view.name}, monthly, {points[0].period_end:%B %Y} to {points[-1].period_end:%B %Y}"
            view.chart = Markup(
                charts.trend_chart(f"chart-{code}", title, points, unit, refs if kind == "line" else [], kind=kind)
            )
            view.chart_caption = (
                f"Monthly, {points[0].period_end:%b %Y} to {points[-1].period_end:%b %Y}"
                + (
                    f"; lines: benchmarks ({view.benchmark_year})"
                    if kind == "line" and any(r.key != "target" for r in refs)
                    else ""
                )
                + ("; solid line: target" if any(r.key == "target" for r in refs) else "")
            )

        # Caveats from the data (quarter, year to date, benchmarks), each once
        seen = []
        for text in [r.caveat for r in (quarter_now, fytd_now) if r is not None] + [score.caveat if score else None]:
            for part in (text or "").split("; "):
                if part and part not in seen:
                    seen.append(part)
        if main.population_basis:
            seen.append(f"Rate per 10,000 children aged 0-17: {main.population_basis}.")
        view.caveats = seen
        view.data_quality_note = next(
            (r.data_quality_note for r in (quarter_now, fytd_now) if r is not None and r.data_quality_note), None
        )
        view.summary = {
            "main": shown_value(main, unit),
            "previous": shown_value(fy_prev if main_type == "fytd" else quarter_then, unit),
            "england": fmt_value(score.england_value, unit) if score and score.england_value is not None else "",
            "rag": view.rag,
        }
        return view

    # -- all sections ----------------------------------------------------------------------
    def sections(self, commentary: dict[str, str] | None = None) -> list[SectionView]:
        by_section: dict[str, list[KpiDef]] = {}
        for k in self.d.kpis:
            by_section.setdefault(k.report_section, []).append(k)
        specs = list(SECTIONS)
        known = {s for spec in SECTIONS for s in spec.report_sections}
        others = [s for s in by_section if s not in known]
        if others:
            specs.append(SectionSpec("other", "Other measures", tuple(others)))
        views = []
        for spec in specs:
            kpis = sorted(
                (k for s in spec.report_sections for k in by_section.get(s, [])),
                key=lambda k: (k.display_order, k.kpi_code),
            )
            text = (commentary or {}).get(spec.key)
            views.append(
                SectionView(
                    spec.key,
                    len(views) + 1,
                    spec.title,
                    spec.intro,
                    spec.callout,
                    [self.measure(spec, k) for k in kpis],
                    commentary_mod.to_html(text) if text else None,
                )
            )
        return views


def _benchmark_period(year_label: str | None) -> dict:
    """A benchmark year label (2014-15) as the financial year it covers."""
    m = re.match(r"^(\d{4})-\d{2}$", year_label or "")
    if not m:
        return {"period_start": None, "period_end": None}
    y = int(m.group(1))
    return {"period_start": date(y, 4, 1), "period_end": date(y + 1, 3, 31)}


# --------------------------------------------------------------------------------------------
# Data-quality panel
# --------------------------------------------------------------------------------------------


# What each kind of data-quality problem (marts.dq_summary.issue_kind) means, in the panel's words.
DQ_KIND_WORDS = {
    "quarantined": "Quarantined: left out of every figure",
    "dfe_error": "DfE validation rule failed (record kept)",
    "dfe_query": "DfE validation query (record kept)",
    "warning": "Warning (record kept)",
}


def dq_panel(data: ReportData, sections: list[SectionView]) -> dict:
    if data.dq is None or data.dq_totals is None:
        return {"available": False}
    rows = [
        {
            "table": r.table_name,
            "rule": r.rule_code,
            "kind": DQ_KIND_WORDS.get(r.issue_kind, r.issue_kind),
            "words": r.rule_words,
            "issues": r.issue_count,
            "rows": r.rows_affected,
        }
        for r in data.dq
    ]
    totals = data.dq_totals
    flagged = [(m.name, m.anchor, m.data_quality_note) for s in sections for m in s.measures if m.data_quality_note]
    return {
        "available": True,
        "rows": rows,
        "quarantined": totals.quarantined_rows,
        "dfe_errors": totals.dfe_rule_errors,
        "dfe_queries": totals.dfe_rule_queries,
        "other": totals.other_warnings,
        "flagged": flagged,
    }


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def report_file_stem(la_code: str, quarter: Quarter | str) -> str:
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    return f"csc_report_{la_code}_{q.label}"


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def css_string(text: str) -> str:
    """A CSS string literal (for @page content), safe inside <style>."""
    out = []
    for ch in text:
        if ch.isalnum() or ch in " ,.()-_:;'/":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


def key_messages(sections: list[SectionView], limit: int = 5) -> list[tuple[str, str, str]]:
    """(anchor, name, sentence) of the measures to read first: those missing their target, then
    those worsening against last year, then those improving, in report order, at most `limit`."""

    def rank(m: MeasureView) -> int | None:
        if m.no_data:
            return None
        if m.rag and m.rag[1] == "Red":
            return 0
        if m.rag and m.rag[1] == "Amber":
            return 1
        text = m.sentence.lower()
        if "a deterioration" in text:
            return 2
        if "an improvement" in text:
            return 3
        return None

    ranked = [(r, i, m) for i, m in enumerate(m for s in sections for m in s.measures) if (r := rank(m)) is not None]
    ranked.sort(key=lambda t: (t[0], t[1]))
    return [(m.anchor, m.name, m.sentence) for _, _, m in ranked[:limit]]


def render_html(data: ReportData, sections: list[SectionView], summary: Markup | None = None) -> str:
    q = data.quarter
    context = {
        "summary_commentary": summary,
        "key_messages": key_messages(sections),
        "d": data,
        "q": q,
        "sections": sections,
        "dq": dq_panel(data, sections),
        "readiness": readiness_view(data.source_file, data.la_code),
        "quarter_months": month_span(q.start, q.end),
        "reporting_date": day(data.reporting_date),
        "extract_start": day(data.extract_start) if data.extract_start else None,
        "built_at": moment(data.built_at),
        "published_at": moment(data.published_at),
        "rules": sentences.RULES,
        "suppression_rule": RULE,
        "marker": MARKER,
        "rag": RAG,
        "early_help_caveat": EARLY_HELP_CAVEAT,
        "suppressed_any": data.suppress or data.published_suppressed,
        "footer_css": Markup(css_string(f"{data.la_name} ({data.la_code}) \u2014 {q.display}")),
    }
    return _environment().get_template("report.html.j2").render(**context)


def _atomic_write(path: Path, text: str, newline: str | None = None) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8", newline=newline) as f:
        f.write(text)
    os.replace(tmp, path)


def figures_csv(data: ReportData, figures: list[Figure]) -> str:
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    for f in figures:
        row = asdict(f)
        row.update(la_code=data.la_code, quarter=data.quarter.label)
        for k, v in row.items():
            if v is None:
                row[k] = ""
            elif isinstance(v, bool):
                row[k] = "true" if v else "false"
            elif isinstance(v, date):
                row[k] = v.isoformat()
            elif isinstance(v, float):
                row[k] = repr(v)
        w.writerow({k: row[k] for k in CSV_COLUMNS})
    return buf.getvalue()


def build(
    data: ReportData, commentary: dict[str, str] | None = None
) -> tuple[str, str, list[SectionView], list[Figure]]:
    """(html, csv text, sections, figures) for loaded data, with the service's commentary
    ({part key: Markdown}, see csc.report.commentary) where given."""
    b = Builder(data)
    sections = b.sections(commentary)
    text = (commentary or {}).get(commentary_mod.SUMMARY_KEY)
    summary = commentary_mod.to_html(text) if text else None
    return render_html(data, sections, summary), figures_csv(data, b.figures), sections, b.figures


def section_specs(data: ReportData | None = None) -> list[SectionSpec]:
    """The sections the report has (with 'Other measures' when the catalogue has others)."""
    specs = list(SECTIONS)
    if data is not None:
        known = {s for spec in SECTIONS for s in spec.report_sections}
        if any(k.report_section not in known for k in data.kpis):
            specs.append(SectionSpec("other", "Other measures", ()))
    return specs


def write_report(
    published: Path,
    la_code: str,
    quarter: str | None,
    out_dir: Path,
    suppress: bool = False,
    synthetic: bool | None = None,
    landing: Path | None = None,
    commentary: Path | dict[str, str] | None = None,
) -> tuple[Path, Path]:
    """Write ``csc_report_<la>_<quarter>.html`` and ``.csv`` into out_dir; returns (html, csv).

    published: the published folder (``csc_marts.duckdb`` and ``manifest.json``) or any DuckDB
    file with a ``marts`` schema. quarter: a financial quarter like ``2016-17-Q2``; None for the
    latest complete quarter of the council's figures. suppress: small-number suppression as ``csc publish --suppress``.
    synthetic: force the SYNTHETIC DATA banner on or off (default: the manifest's synthetic_data,
    else whether the landing folder holds SYNTHETIC_DEMO_DATA.txt).
    """
    data = load(Path(published), la_code, quarter, suppress=suppress, synthetic=synthetic, landing=landing)
    if isinstance(commentary, (str, Path)):
        commentary = commentary_mod.read(Path(commentary), section_specs(data))
    html, csv_text, _, _ = build(data, commentary)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = report_file_stem(data.la_code, data.quarter)
    html_path, csv_path = out_dir / f"{stem}.html", out_dir / f"{stem}.csv"
    _atomic_write(html_path, html)
    _atomic_write(csv_path, csv_text, newline="")
    return html_path, csv_path


__all__ = ["CSV_COLUMNS", "SECTIONS", "ReportError", "build", "report_file_stem", "write_report"]
