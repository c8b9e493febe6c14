"""The quarterly report (csc.report): sentences, charts, the HTML and the CSV.

Fast tests use a hand-made published file (`make_marts`: every KPI of the catalogue, figures
chosen by the test). Tests marked slow build the warehouse once for the module from a
SYNTHETIC extract and report on it.
"""

from __future__ import annotations

import calendar
import csv
import itertools
import json
import math
import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from csc import paths
from csc.report import sentences as s
from csc.report.charts import Point, Reference, trend_chart
from csc.report.data import Quarter, ReportError
from csc.report.render import CSV_COLUMNS, SECTIONS, people_words, write_report

KPI_SEED = paths.SEEDS_DIR / "kpi" / "kpi_definitions.csv"
QUARTER = "2016-17-Q2"


def _month_ends(first: date, n: int) -> list[date]:
    """n month ends from first's month on (the test's own arithmetic, not the code's)."""
    out = []
    for i in range(n):
        y, m = divmod(first.month - 1 + i, 12)
        out.append(date(first.year + y, m + 1, calendar.monthrange(first.year + y, m + 1)[1]))
    return out


# The rows of marts.kpi_report_periods for 878's 2016-17 Q2, by hand: (role, type, start, end).
REPORT_PERIOD_ROWS = [
    ("this_period", "quarter", date(2016, 7, 1), date(2016, 9, 30)),
    ("this_period", "fytd", date(2016, 4, 1), date(2016, 9, 30)),
    ("last_year", "quarter", date(2015, 7, 1), date(2015, 9, 30)),
    ("last_year", "fytd", date(2015, 4, 1), date(2015, 9, 30)),
    ("last_outturn", "fy", date(2015, 4, 1), date(2016, 3, 31)),
    *(("trend", "month", me.replace(day=1), me) for me in _month_ends(date(2014, 10, 1), 24)),
]
Q = Quarter.parse(QUARTER).with_periods(
    [dict(zip(("period_role", "period_type", "period_start", "period_end"), r)) for r in REPORT_PERIOD_ROWS]
)


# ============================================================================================
# Sentences: direction, polarity, comparators
# ============================================================================================


def measure(value=22.4, previous=24.6, polarity="lower_is_better", unit="percent", comparators=(), **kw) -> s.Measure:
    return s.Measure(
        name="Re-referrals within 12 months",
        unit=unit,
        polarity=polarity,
        value=value,
        period="in 2016-17 Q2",
        previous_value=previous,
        previous_period="in 2015-16 Q2",
        comparators=tuple(comparators),
        **kw,
    )


ENGLAND = s.Comparator("England", 24.0, "2014-15")
REGION = s.Comparator("the South West", 24.6, "2014-15")
NEIGHBOURS = s.Comparator("statistical neighbours", 22.5, "2014-15")


@pytest.mark.parametrize(
    "previous, current, polarity, verb, judgement",
    [
        (24.6, 22.4, "lower_is_better", "fell", "an improvement"),
        (22.4, 24.6, "lower_is_better", "rose", "a deterioration"),
        (24.6, 22.4, "higher_is_better", "fell", "a deterioration"),
        (22.4, 24.6, "higher_is_better", "rose", "an improvement"),
        (24.6, 22.4, "neutral", "fell", None),
        (22.4, 24.6, "neutral", "rose", None),
    ],
)
def test_direction_follows_the_numbers_and_polarity(previous, current, polarity, verb, judgement):
    text = s.trend_sentence(measure(current, previous, polarity))
    assert f" {verb} from " in text
    assert (" rose " if verb == "fell" else " fell ") not in text
    for word in ("an improvement", "a deterioration"):
        assert (word in text) == (word == judgement), text


@pytest.mark.parametrize("polarity", ["lower_is_better", "higher_is_better", "neutral"])
def test_equal_as_shown_is_unchanged(polarity):
    text = s.trend_sentence(measure(22.41, 22.44, polarity))  # both 22.4% as shown
    assert "were unchanged at 22.4%" in text
    assert "rose" not in text and "fell" not in text and "improvement" not in text


def test_the_brief_example():
    text = s.measure_sentence(measure(comparators=[ENGLAND, REGION, NEIGHBOURS]))
    assert text == (
        "Re-referrals within 12 months fell from 24.6% in 2015-16 Q2 to 22.4% in 2016-17 Q2, "
        "an improvement. This is better than England (24.0%, 2014-15) and the South West "
        "(24.6%), and in line with statistical neighbours (22.5%)."
    )


def test_flipping_a_number_flips_the_sentence():
    before = s.measure_sentence(measure(22.4, 24.6, comparators=[ENGLAND]))
    after = s.measure_sentence(measure(26.4, 24.6, comparators=[ENGLAND]))
    assert "fell from 24.6%" in before and "an improvement" in before and "better than England" in before
    assert "rose from 24.6%" in after and "a deterioration" in after and "worse than England" in after


@pytest.mark.parametrize(
    "value, comparator, polarity, expected",
    [
        (24.5, 24.0, "lower_is_better", "in line with"),  # 0.5 apart: in line
        (23.5, 24.0, "lower_is_better", "in line with"),
        (24.6, 24.0, "lower_is_better", "worse than"),
        (23.4, 24.0, "lower_is_better", "better than"),
        (24.6, 24.0, "higher_is_better", "better than"),
        (23.4, 24.0, "higher_is_better", "worse than"),
        (24.6, 24.0, "neutral", "higher than"),
        (23.4, 24.0, "neutral", "lower than"),
        (24.6, 24.0, None, "higher than"),
    ],
)
def test_comparator_verdicts(value, comparator, polarity, expected):
    assert s.verdict(value, comparator, "percent", polarity) == expected
    text = s.comparison_sentence(
        measure(value, polarity=polarity, comparators=[s.Comparator("England", comparator, "2014-15")])
    )
    assert text == f"This is {expected} England ({comparator:.1f}%, 2014-15)."


def test_better_or_worse_only_for_measures_with_a_polarity():
    text = s.measure_sentence(measure(30.0, 20.0, "neutral", comparators=[ENGLAND]))
    assert "better" not in text and "worse" not in text and "higher than England" in text


def test_missing_comparators_are_not_mentioned():
    assert s.comparison_sentence(measure(comparators=[])) is None
    assert s.comparison_sentence(measure(comparators=[s.Comparator("England", None, "2014-15")])) is None
    text = s.comparison_sentence(measure(comparators=[s.Comparator("England", None, "2014-15"), REGION]))
    assert "England" not in text and text == "This is better than the South West (24.6%, 2014-15)."


def test_no_previous_figure_no_direction():
    text = s.trend_sentence(measure(previous=None))
    assert "rose" not in text and "fell" not in text and "unchanged" not in text
    assert "stood at 22.4% in 2016-17 Q2" in text


def test_suppressed_figure_has_no_number_direction_or_comparison():
    text = s.measure_sentence(measure(value=None, suppressed=True, comparators=[ENGLAND], target=15.0))
    assert "suppressed (c)" in text
    assert not re.search(r"\d+\.\d", text) and "England" not in text and "target" not in text
    text = s.trend_sentence(measure(previous=None, previous_suppressed=True))
    assert "rose" not in text and "fell" not in text and "is suppressed" in text


def test_target_sentence():
    assert s.target_sentence(measure(24.3, target=15.0)) == "It does not meet the target of 15.0% or lower."
    assert s.target_sentence(measure(14.0, target=15.0)) == "It meets the target of 15.0% or lower."
    assert (
        s.target_sentence(measure(80.0, polarity="higher_is_better", target=75.0))
        == "It meets the target of 75.0% or higher."
    )
    assert s.target_sentence(measure(24.3)) is None


def test_counts_and_rates_are_formatted_in_their_units():
    text = s.trend_sentence(measure(4924, 4844, "neutral", unit="count"))
    assert text == "Re-referrals within 12 months rose from 4,844 in 2015-16 Q2 to 4,924 in 2016-17 Q2."
    text = s.trend_sentence(measure(44.46, 42.85, "neutral", unit="per 10000"))
    assert "from 42.9 per 10,000 in 2015-16 Q2 to 44.5 per 10,000" in text


def test_change_since_the_year_end():
    assert s.change_since_sentence(
        "Children on a child protection plan", "count", 714, "31 March 2016", 482, "30 September 2016"
    ) == (
        "The number of children on a child protection plan fell by 232 (32.5%) from 714 at 31 March 2016 "
        "to 482 at 30 September 2016."
    )
    up = s.change_since_sentence(
        "Children on a child protection plan", "count", 482, "31 March 2016", 714, "30 September 2016"
    )
    assert " rose by 232 (48.1%) from 482 " in up
    same = s.change_since_sentence("Children in need", "count", 500, "31 March 2016", 500, "30 September 2016")
    assert "was unchanged at 500 since 31 March 2016" in same
    assert "c" in s.change_since_sentence("X", "count", 5, "a", 9, "b", suppressed=True)


@pytest.mark.parametrize(
    "name, plural",
    [
        ("Contacts", True),
        ("Re-referrals within 12 months", True),
        ("Children in need", True),
        ("Early help assessments completed", True),
        ("Average caseload", False),
    ],
)
def test_grammar(name, plural):
    assert s.is_plural(name) is plural


# ============================================================================================
# Charts
# ============================================================================================


def test_chart_is_accessible_and_states_its_numbers():
    points = [
        Point(date(2016, 7, 31), 24.5),
        Point(date(2016, 8, 31), None, suppressed=True),
        Point(date(2016, 9, 30), 22.41),
        Point(date(2016, 10, 31), None),
    ]
    svg = trend_chart(
        "chart-X",
        "Re-referrals, monthly",
        points,
        "percent",
        [Reference("england", "England", 24.0), Reference("target", "Target", 15.0)],
    )
    assert svg.startswith('<svg class="chart" id="chart-X" role="img" aria-labelledby="chart-X-title chart-X-desc"')
    assert '<title id="chart-X-title">Re-referrals, monthly</title>' in svg
    desc = re.search(r'<desc id="chart-X-desc">(.*?)</desc>', svg).group(1)
    for text in (
        "Jul 2016 24.5%",
        "Aug 2016 c (suppressed)",
        "Sep 2016 22.4%",
        "Oct 2016 no data",
        "England 24.0%",
        "Target 15.0%",
    ):
        assert text in desc
    assert "http" not in svg
    bars = trend_chart("chart-Y", "Contacts", points[:1], "count", kind="bar")
    assert "<rect" in bars and "<polyline" not in bars


# ============================================================================================
# Periods
# ============================================================================================


def test_quarters():
    """A quarter's dates are dbt's rows (kpi_report_periods), never worked out here: read
    back as they were given; a quarter whose rows were not read has no dates."""
    assert (Q.start, Q.end, Q.fy_start, Q.year_end_before, Q.previous_fy_label) == (
        date(2016, 7, 1),
        date(2016, 9, 30),
        date(2016, 4, 1),
        date(2016, 3, 31),
        "2015-16",
    )
    py = Q.previous_year
    assert (py.display, py.start, py.end, py.fy_start) == (
        "2015-16 Q2",
        date(2015, 7, 1),
        date(2015, 9, 30),
        date(2015, 4, 1),
    )
    assert Q.trend_month_ends()[0] == date(2014, 10, 31) and len(Q.trend_month_ends()) == 24
    assert Q.trend_month_ends()[16] == date(2016, 2, 29)
    q4 = Quarter.parse("2016-17 Q4")
    assert q4.label == "2016-17-Q4"
    with pytest.raises(ReportError, match=r"not read from marts\.kpi_report_periods"):
        _ = q4.end
    with pytest.raises(ReportError, match="last_outturn/fy period for 2016-17 Q2"):
        Q.with_periods(
            [{"period_role": "this_period", "period_type": "quarter", "period_start": Q.start, "period_end": Q.end}]
        )
    # The ways councils write a quarter (issue 14): all the same quarter.
    for text in ("2016-17-Q2", "2016-17 Q2", "2016/17 Q2", "Q2 2016/17", "Q2 2016-17", " q2 2016/17 ", "2016/17-Q2"):
        assert Quarter.parse(text) == Q, text
    for bad in ("2016-18-Q2", "2016-17-Q5", "Q2 2016", "", "2016/18 Q2", "Q5 2016/17", "2016-17"):
        with pytest.raises(ReportError):
            Quarter.parse(bad)


# ============================================================================================
# A hand-made published file
# ============================================================================================


def _catalogue() -> list[dict]:
    with KPI_SEED.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _base(i: int, unit: str) -> tuple[int, int | None]:
    """Numerator and denominator of KPI number i in a generic month."""
    if unit == "percent":
        return 40 + i, 200 + 3 * i
    if unit == "per 10000":
        return 600 + 10 * i, 140_000
    if unit == "count per month":
        return 150 + i, 1
    return 100 + 7 * i, None


def _value(unit: str, num: int | None, den: int | None) -> float | None:
    if num is None:
        return None
    if unit == "percent":
        return 100.0 * num / den
    if unit == "per 10000":
        return 10_000.0 * num / den
    if unit == "count per month":
        return num / den
    return float(num)


def make_marts(path: Path, manifest: dict | None = None) -> Path:
    """A published folder: csc_marts.duckdb with marts.dim_kpi, dim_la, kpi_values (24 months,
    the quarter and year to date now and a year ago, last year's outturn), kpi_scorecard and
    dq_summary, every KPI of the catalogue; figures rise year on year. manifest.json if given."""
    path.mkdir(parents=True, exist_ok=True)
    kpis = _catalogue()
    values, scores = [], []
    for i, k in enumerate(kpis):
        unit, code, stock = k["unit"], k["kpi_code"], k["measure_type"] == "stock"
        num, den = _base(i, unit)

        def row(period_type, start, end, n, d, code=code, unit=unit):
            values.append(
                (
                    code,
                    period_type,
                    start,
                    end,
                    n,
                    d,
                    _value(unit, n, d),
                    unit,
                    None,
                    "ONS mid-2015 estimate" if unit == "per 10000" else None,
                )
            )

        for me in Q.trend_month_ends():
            row("month", me.replace(day=1), me, num + me.month % 4, den)
        months = {"quarter": 3, "fytd": 6, "fy": 12}
        for period_type, start, end, shift in [
            ("quarter", Q.start, Q.end, 10),
            ("fytd", Q.fy_start, Q.end, 10),
            ("quarter", date(2015, 7, 1), date(2015, 9, 30), 0),
            ("fytd", date(2015, 4, 1), date(2015, 9, 30), 0),
            ("fy", date(2015, 4, 1), date(2016, 3, 31), 5),
        ]:
            n = num + shift
            if stock:
                d = den
            elif unit == "count per month":
                n, d = n * months[period_type], months[period_type]
            elif unit == "percent":
                n, d = n * months[period_type], den * months[period_type]
            else:
                n, d = n * months[period_type], den
            row(period_type, start, end, n, d)
        benchmark = unit in ("percent", "per 10000")
        mine = _value(unit, num + 10, den if unit != "count per month" else 1)
        target = float(k["local_target"]) if k["local_target"] else None
        rag = None
        if target is not None:
            good = mine <= target if k["polarity"] == "lower_is_better" else mine >= target
            rag = "GREEN" if good else "RED"
        for period_type in ("quarter", "fytd"):
            scores.append(
                (
                    code,
                    period_type,
                    Q.end,
                    k["polarity"],
                    target,
                    rag,
                    2015 if benchmark else None,
                    "2014-15",
                    mine - 1 if benchmark else None,
                    mine + 2 if benchmark else None,
                    mine - 0.2 if benchmark else None,
                    10 if benchmark else None,
                    mine - 3 if benchmark or unit == "count" else None,
                    None,
                    None,
                )
            )

    db = path / "csc_marts.duckdb"
    if db.exists():
        db.unlink()
    con = duckdb.connect(str(db))
    try:
        con.execute("create schema marts")
        con.execute(
            f"create table marts.dim_kpi as select * replace (cast(display_order as integer) as display_order, "
            f"cast(local_target as double) as local_target) from read_csv('{KPI_SEED}', all_varchar = true)"
        )
        con.execute(
            "create table marts.dim_la (la_code varchar, la_name varchar, region_code varchar, region_name varchar)"
        )
        con.execute("insert into marts.dim_la values ('878', 'Devon', 'E12000009', 'South West')")
        con.execute("""create table marts.kpi_values (la_code varchar, kpi_code varchar, period_type varchar,
            period_start date, period_end date, numerator bigint, denominator bigint, value double, unit varchar,
            caveat varchar, population_basis varchar, value_suppressed boolean, numerator_suppressed boolean,
            denominator_suppressed boolean, is_provisional boolean, is_recorded boolean,
            data_quality_note varchar)""")
        values_df = pd.DataFrame(
            values,
            columns=[
                "kpi_code",
                "period_type",
                "period_start",
                "period_end",
                "numerator",
                "denominator",
                "value",
                "unit",
                "caveat",
                "population_basis",
            ],
        )
        con.register("values_df", values_df)
        # dbt's suppression flags (models/publication): nothing small in the generic figures.
        con.execute(
            "insert into marts.kpi_values select '878', *, false, false, false, false, true, null from values_df"
        )
        con.execute("""create table marts.kpi_scorecard (la_code varchar, kpi_code varchar, period_type varchar,
            period_end date, polarity varchar, target double, rag_status varchar, benchmark_year integer,
            benchmark_year_label varchar, england_value double, region_value double,
            statistical_neighbour_value double, statistical_neighbour_count integer, la_published_value double,
            benchmark_vintage varchar, caveat varchar)""")
        scores_df = pd.DataFrame(scores, columns=[f"c{i}" for i in range(15)])
        con.register("scores_df", scores_df)
        con.execute("insert into marts.kpi_scorecard select '878', * from scores_df")
        # The periods dbt's kpi_report_periods names for the quarter (hand-made here).
        con.execute("""create table marts.kpi_report_periods (la_code varchar, report_quarter varchar,
            period_role varchar, period_type varchar, period_start date, period_end date, is_latest_quarter boolean,
            figures_start date, figures_end date)""")
        con.executemany(
            "insert into marts.kpi_report_periods values ('878', ?, ?, ?, ?, ?, true, '2014-10-01', '2016-09-30')",
            [(Q.label, *p) for p in REPORT_PERIOD_ROWS],
        )
        con.execute("""create table marts.dq_summary as select * from (values
            ('878', 'ssd_cin_episodes', 'MALFORMED_ROW', 'error', 'contract', 'quarantined', 2::bigint, 2::bigint),
            ('878', 'ssd_cin_assessments', '8670Q', 'warn', 'dfe', 'dfe_query', 40::bigint, 40::bigint),
            ('878', 'ssd_cin_episodes', '8840', 'warn', 'dfe', 'dfe_error', 7::bigint, 7::bigint))
            as t(la_code, table_name, rule_code, severity, rule_source, issue_kind, issue_count, rows_affected)""")
        con.execute("""create table marts.dq_summary_totals as select * from (values
            ('878', 2::bigint, 7::bigint, 40::bigint, 0::bigint))
            as t(la_code, quarantined_rows, dfe_rule_errors, dfe_rule_queries, other_warnings)""")
    finally:
        con.close()
    if manifest is not None:
        (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return path


def sql(published: Path, statement: str, params: list | None = None) -> None:
    con = duckdb.connect(str(published / "csc_marts.duckdb"))
    try:
        con.execute(statement, params or [])
    finally:
        con.close()


def report(published: Path, out: Path, **kw) -> tuple[str, list[dict]]:
    kw.setdefault("synthetic", True)
    html_path, csv_path = write_report(published, "878", QUARTER, out, **kw)
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return html_path.read_text(encoding="utf-8"), rows


class Outline(HTMLParser):
    """Headings (level, text), measure articles, and text inside each article."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self._heading: int | None = None
        self._text: list[str] = []
        self.articles: dict[str, str] = {}
        self._article: str | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = int(tag[1]), []
        if tag == "article":
            self._article = dict(attrs).get("id")
            self.articles[self._article] = ""

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join("".join(self._text).split())))
            self._heading = None
        if tag == "article":
            self._article = None

    def handle_data(self, text):
        if self._heading:
            self._text.append(text)
        if self._article:
            self.articles[self._article] += text


def outline(html: str) -> Outline:
    o = Outline()
    o.feed(html)
    return o


def article_text(html: str, code: str) -> str:
    return " ".join(outline(html).articles[f"m-{code}"].split())


def check_self_contained_and_accessible(html: str) -> None:
    lowered = html.lower()
    for forbidden in ("http", "<script", "<link", "@import", "url(", "<img", "<iframe", "src="):
        assert forbidden not in lowered, forbidden
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert svgs and len(svgs) == html.count("<svg")
    for svg in svgs:
        ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        assert 'role="img"' in svg
        assert re.search(rf'<title id="{ids[0]}">[^<]+</title>', svg)
        assert re.search(rf'<desc id="{ids[1]}">[^<]+</desc>', svg)
    levels = [level for level, _ in outline(html).headings]
    assert levels[0] == 1 and levels.count(1) == 1
    for a, b in itertools.pairwise(levels):
        assert b <= a + 1, f"heading h{b} after h{a}"
    assert "@page" in html and "size: A4" in html and "margin: 15mm" in html


@pytest.fixture
def published(tmp_path: Path) -> Path:
    return make_marts(
        tmp_path / "published",
        manifest={
            "synthetic_data": True,
            "reporting_date": "2016-09-30",
            "built_at": "2016-10-05T09:00:00Z",
            "published_at": "2016-10-05T09:05:00+00:00",
            "reporting_dates": {"878": {"extract_start_date": "2013-04-01", "reporting_date": "2016-09-30"}},
        },
    )


def test_report_has_every_section_and_measure_in_order(published, tmp_path):
    html, _rows = report(published, tmp_path / "out")
    check_self_contained_and_accessible(html)
    headings = outline(html).headings
    assert headings[0] == (1, "Devon: children's social work performance report, 2016-17 Q2")
    h2 = [text for level, text in headings if level == 2]
    expected = [f"{n}. {spec.title}" for n, spec in enumerate(SECTIONS, 1)]
    assert [t for t in h2 if re.match(r"\d+\. ", t)] == expected
    # Every KPI under its section's heading, in display order within the section
    section_of = {sec: spec for spec in SECTIONS for sec in spec.report_sections}
    current, seen = None, {}
    for level, text in headings:
        if level == 2:
            current = text
        elif level == 3:
            seen.setdefault(current, []).append(text)
    for n, spec in enumerate(SECTIONS, 1):
        kpis = sorted(
            (k for k in _catalogue() if section_of[k["report_section"]] is spec), key=lambda k: int(k["display_order"])
        )
        assert seen[f"{n}. {spec.title}"] == [people_words(k["kpi_name"]) for k in kpis]
    assert "No data for this measure" not in html
    # One banner: on screen a single sticky one; in print the page header of every page.
    assert html.count('class="banner"') == 1 and "@top-center" in html
    assert "30 September 2016" in html and "1 April 2013" in html


def test_csv_has_one_row_per_figure_with_the_values(published, tmp_path):
    html, rows = report(published, tmp_path / "out")
    assert list(rows[0]) == CSV_COLUMNS
    con = duckdb.connect(str(published / "csc_marts.duckdb"), read_only=True)
    kv = {
        (r[0], r[1], r[2]): r[3:]
        for r in con.execute(
            "select kpi_code, period_type, period_end, value, numerator, denominator from marts.kpi_values"
        ).fetchall()
    }
    con.close()
    own = [r for r in rows if r["figure"] in ("value", "same_period_last_year", "last_year_outturn", "month")]
    assert own
    for r in own:
        value, num, den = kv[(r["kpi_code"], r["period_type"], date.fromisoformat(r["period_end"]))]
        assert math.isclose(float(r["value"]), value)
        assert int(r["numerator"]) == num
        assert (r["denominator"] == "" and den is None) or int(r["denominator"]) == den
    for k in _catalogue():
        types = {r["period_type"] for r in own if r["kpi_code"] == k["kpi_code"] and r["figure"] == "value"}
        assert types == ({"quarter"} if k["measure_type"] == "stock" else {"quarter", "fytd"}), k["kpi_code"]
        assert sum(1 for r in own if r["kpi_code"] == k["kpi_code"] and r["figure"] == "month") == 24
    # Every figure in the CSV is shown in the HTML as the CSV says
    for r in rows:
        if r["shown"] and r["figure"] != "month":
            assert r["shown"].replace("&", "&amp;") in html, r


def test_sentence_in_the_report_flips_with_the_numbers(published, tmp_path):
    html, _ = report(published, tmp_path / "a")
    text = article_text(html, "REREFERRALS_12M_PCT")
    assert "Re-referrals within 12 months rose from" in text and "a deterioration" in text
    # Make this quarter lower than a year ago
    sql(
        published,
        "update marts.kpi_values set numerator = 1, value = 100.0 / denominator "
        "where kpi_code = 'REREFERRALS_12M_PCT' and period_type = 'quarter' and period_end = ?",
        [Q.end],
    )
    html, _ = report(published, tmp_path / "b")
    text = article_text(html, "REREFERRALS_12M_PCT")
    assert "Re-referrals within 12 months fell from" in text and "an improvement" in text


def test_stock_counts_show_the_change_since_the_year_end(published, tmp_path):
    html, rows = report(published, tmp_path / "out")
    text = article_text(html, "CPP_CHILDREN")
    change = [r for r in rows if r["kpi_code"] == "CPP_CHILDREN" and r["figure"] == "change_since_year_end"]
    assert len(change) == 1 and change[0]["period_start"] == "2016-03-31" and change[0]["period_end"] == "2016-09-30"
    con = duckdb.connect(str(published / "csc_marts.duckdb"), read_only=True)
    now, then = (
        con.execute(
            "select value from marts.kpi_values where kpi_code = 'CPP_CHILDREN' and period_type = ? and period_end = ?",
            [t, d],
        ).fetchone()[0]
        for t, d in (("quarter", Q.end), ("fy", date(2016, 3, 31)))
    )
    con.close()
    assert float(change[0]["value"]) == now - then
    assert f"from {then:,.0f} at 31 March 2016 to {now:,.0f} at 30 September 2016" in text


def test_a_measure_without_data_says_so(published, tmp_path):
    sql(
        published,
        "delete from marts.kpi_values where kpi_code = 'ICPC_15WD_PCT' and period_end = ? and period_type = 'quarter'",
        [Q.end],
    )
    sql(
        published,
        "update marts.kpi_values set numerator = null, denominator = null, value = null, "
        "caveat = 'Not recorded: the extract has no early help assessments' "
        "where kpi_code = 'EH_ASSESSMENTS' and period_type = 'quarter' and period_end = ?",
        [Q.end],
    )
    html, rows = report(published, tmp_path / "out")
    assert "No data for this measure in 2016-17 Q2: the published figures have no value" in article_text(
        html, "ICPC_15WD_PCT"
    )
    assert (
        "No data for this measure in 2016-17 Q2: Not recorded: the extract has no early help assessments"
        in article_text(html, "EH_ASSESSMENTS")
    )
    assert [r["shown"] for r in rows if r["kpi_code"] == "EH_ASSESSMENTS"] == ["no data"]
    check_self_contained_and_accessible(html)


def test_suppress_turns_a_count_of_3_into_c(published, tmp_path):
    # Small figures, flagged as dbt's rule (int_kpi_cells_suppressed) flags them.
    sql(
        published,
        "update marts.kpi_values set numerator = 3, value = 3, value_suppressed = true, numerator_suppressed = true "
        "where kpi_code = 'EH_ASSESSMENTS' and period_type = 'quarter' and period_end = ?",
        [Q.end],
    )
    sql(
        published,
        "update marts.kpi_values set numerator = 2, value = 200.0 / denominator, value_suppressed = true, "
        "numerator_suppressed = true where kpi_code = 'CPP_REPEAT_PCT' and period_type = 'month' and period_end = ?",
        [Q.end],
    )
    html, rows = report(published, tmp_path / "plain")
    row = next(
        r
        for r in rows
        if r["kpi_code"] == "EH_ASSESSMENTS" and r["period_type"] == "quarter" and r["figure"] == "value"
    )
    assert (row["shown"], row["value"], row["suppressed"]) == ("3", "3.0", "false")
    assert "not suppressed" in html

    html, rows = report(published, tmp_path / "suppressed", suppress=True)
    row = next(
        r
        for r in rows
        if r["kpi_code"] == "EH_ASSESSMENTS" and r["period_type"] == "quarter" and r["figure"] == "value"
    )
    assert (row["shown"], row["value"], row["numerator"], row["suppressed"]) == ("c", "", "", "true")
    assert '<th scope="row">Quarter: Jul–Sep 2016</th><td class="num">c</td>' in html
    text = article_text(html, "EH_ASSESSMENTS")
    assert "suppressed (c)" in text and not re.search(r"(?<![\d,.])3(?![\d,.%-])", text)
    month = next(
        r
        for r in rows
        if r["kpi_code"] == "CPP_REPEAT_PCT" and r["figure"] == "month" and r["period_end"] == "2016-09-30"
    )
    assert (month["shown"], month["value"]) == ("c", "")
    assert "Sep 2016 c (suppressed)" in html
    assert "Counts from 1 to 5" in html
    # Figures that are not small are untouched
    other = next(r for r in rows if r["kpi_code"] == "CONTACTS" and r["period_type"] == "quarter")
    assert other["shown"] != "c" and other["suppressed"] == "false"


def test_suppress_without_dbt_flags_is_refused_not_guessed(published, tmp_path):
    """The suppression rule is dbt's alone: a file published before the flags existed cannot
    be reported with --suppress (the report never restates the rule); without it, it can."""
    for column in ("value_suppressed", "numerator_suppressed", "denominator_suppressed"):
        sql(published, f"alter table marts.kpi_values drop column {column}")
    with pytest.raises(ReportError, match=r"no suppression flags .*publish it again"):
        report(published, tmp_path / "refused", suppress=True)
    html, _ = report(published, tmp_path / "plain")
    assert "Devon" in html


def test_report_reads_the_periods_dbt_names(published, tmp_path):
    """Which periods the report shows is kpi_report_periods' decision: a trend month it does
    not name is not shown, even though kpi_values has it."""
    _, rows = report(published, tmp_path / "all")
    assert any(r["figure"] == "month" and r["period_end"] == "2014-10-31" for r in rows)
    sql(published, "delete from marts.kpi_report_periods where period_type = 'month' and period_end = '2014-10-31'")
    _, rows = report(published, tmp_path / "fewer")
    assert not any(r["figure"] == "month" and r["period_end"] == "2014-10-31" for r in rows)


def test_a_file_published_with_suppression_shows_c_without_the_flag(published, tmp_path):
    sql(published, "alter table marts.kpi_values add column value_display varchar")
    sql(published, "alter table marts.kpi_values add column numerator_display varchar")
    sql(published, "alter table marts.kpi_values add column denominator_display varchar")
    sql(
        published,
        "update marts.kpi_values set value = null, numerator = null, value_display = 'c', "
        "numerator_display = 'c' where kpi_code = 'ICPCS' and period_type = 'quarter' and period_end = ?",
        [Q.end],
    )
    html, rows = report(published, tmp_path / "out")
    row = next(r for r in rows if r["kpi_code"] == "ICPCS" and r["period_type"] == "quarter" and r["figure"] == "value")
    assert row["shown"] == "c"
    assert "suppressed: counts of 1 to 5" in html


def test_synthetic_banner(published, tmp_path):
    html, _ = report(published, tmp_path / "a", synthetic=None)  # manifest says synthetic
    assert "SYNTHETIC DATA" in html
    (published / "manifest.json").write_text(
        json.dumps({"synthetic_data": False, "built_at": "2016-10-05T09:00:00Z"}), encoding="utf-8"
    )
    html, _ = report(published, tmp_path / "b", synthetic=None)
    assert "SYNTHETIC" not in html
    # a manifest that says nothing of synthetic data or the reporting date
    (published / "manifest.json").write_text(json.dumps({"built_at": "2016-10-05T09:00:00Z"}), encoding="utf-8")
    landing = tmp_path / "landing"
    landing.mkdir()
    html, _ = report(published, tmp_path / "c", synthetic=None, landing=landing)
    assert "SYNTHETIC" not in html
    (landing / paths.DEMO_MARKER).write_text("synthetic", encoding="utf-8")
    html, _ = report(published, tmp_path / "d", synthetic=None, landing=landing)
    assert "SYNTHETIC DATA" in html
    assert "2016-09-30" not in html and "30 September 2016" in html  # reporting date from the figures


def test_without_dq_summary_or_dim_kpi(published, tmp_path):
    sql(published, "drop table marts.dq_summary")
    sql(published, "drop table marts.dim_kpi")
    html, _ = report(published, tmp_path / "out")
    assert "Data-quality summary not available" in html
    assert "seeds/kpi/kpi_definitions.csv" in html  # the catalogue came from the repository's seed
    assert "Re-referrals within 12 months" in html


def test_dq_panel(published, tmp_path):
    html, _ = report(published, tmp_path / "out")
    panel = html[html.index('id="data-quality"') : html.index('id="about"')]
    assert "<strong>2</strong> rows quarantined" in panel
    assert "<strong>7</strong> DfE CIN census validation rule failures" in panel
    assert "<strong>40</strong> DfE queries" in panel


def test_dq_panel_reads_dbts_kinds_and_totals(published, tmp_path):
    """Which problems are quarantines, DfE errors, DfE queries or other warnings, and their
    totals, are dbt's (dq_summary.issue_kind, dq_summary_totals; unit-tested there): the panel
    shows them as they are, never deciding a kind from a rule's code or summing rows itself."""
    sql(published, "update marts.dq_summary set issue_kind = 'dfe_query' where rule_code = '8840'")
    sql(published, "update marts.dq_summary set issue_kind = 'dfe_error' where rule_code = '8670Q'")
    sql(
        published, "update marts.dq_summary_totals set dfe_rule_errors = 11, dfe_rule_queries = 12, other_warnings = 13"
    )
    html, _ = report(published, tmp_path / "out")
    panel = html[html.index('id="data-quality"') : html.index('id="about"')]
    assert "<strong>11</strong> DfE CIN census validation rule failures" in panel
    assert "<strong>12</strong> DfE queries" in panel and "<strong>13</strong> other warnings" in panel
    assert re.search(r"<td>8840</td><td>DfE validation query \(record kept\)</td>", panel)
    assert re.search(r"<td>8670Q</td><td>DfE validation rule failed \(record kept\)</td>", panel)


def test_not_recorded_and_data_quality_caveats_are_kpi_values_columns(published, tmp_path):
    """Whether a figure is "not recorded" (kpi_values.is_recorded) and which measures carry a
    data-quality caveat (kpi_values.data_quality_note) are dbt's columns: the report never
    reads them from the caveat's words."""
    sql(
        published,
        "update marts.kpi_values set numerator = null, denominator = null, value = null, is_recorded = false, "
        "caveat = 'Worded any way' where kpi_code = 'EH_ASSESSMENTS' and period_type = 'month'",
    )
    sql(
        published,
        "update marts.kpi_values set numerator = null, denominator = null, value = null, "
        "caveat = 'Not recorded: words alone decide nothing' where kpi_code = 'CPP_STARTED' and period_type = 'month'",
    )
    sql(
        published,
        "update marts.kpi_values set data_quality_note = '3 rows quarantined, 1 DfE rule failure in the inputs', "
        "caveat = 'A sentence without the words' where kpi_code = 'REFERRALS' and period_end = ?",
        [Q.end],
    )
    sql(
        published,
        "update marts.kpi_values set caveat = '9 rows quarantined, 9 DfE rule failures in the inputs' "
        "where kpi_code = 'CPP_CHILDREN'",
    )
    html, rows = report(published, tmp_path / "out")
    months = [(r["kpi_code"], r["shown"]) for r in rows if r["figure"] == "month"]
    assert {shown for code, shown in months if code == "EH_ASSESSMENTS"} == {"not recorded"}
    assert {shown for code, shown in months if code == "CPP_STARTED"} == {"no data"}
    flagged = html[html.index('id="dq-measures"') :]
    flagged = flagged[: flagged.index("</ul>")]
    assert "3 rows quarantined, 1 DfE rule failure in the inputs" in flagged
    assert flagged.count("<li>") == 1 and "9 rows quarantined" not in flagged


def test_dq_panel_with_no_problems(published, tmp_path):
    """A council whose extract has no data-quality problem: dq_summary has no rows for it,
    dq_summary_totals a row of zeros; the panel says zero of each and lists no rule."""
    sql(published, "delete from marts.dq_summary")
    sql(published, "update marts.dq_summary_totals set quarantined_rows = 0, dfe_rule_errors = 0, dfe_rule_queries = 0")
    html, _ = report(published, tmp_path / "out")
    panel = html[html.index('id="data-quality"') : html.index('id="about"')]
    assert "<strong>0</strong> rows quarantined" in panel and "<strong>0</strong> DfE queries" in panel
    assert "dq-table" not in panel


@pytest.mark.parametrize(
    "change",
    [
        "drop table marts.dq_summary_totals",  # a suppressed publication carries no totals
        "alter table marts.dq_summary drop column issue_kind",  # published before issue_kind existed
        "delete from marts.dq_summary_totals",  # no totals for this council
    ],
)
def test_dq_panel_unavailable_without_dbts_kinds_or_totals(published, tmp_path, change):
    """Without dbt's kinds or totals the panel says it is not available rather than work them
    out from the rows (a suppressed publication's null counts would sum to a wrong total)."""
    sql(published, change)
    html, _ = report(published, tmp_path / "out")
    assert "Data-quality summary not available" in html


def test_rag_is_shown_by_word_and_symbol(published, tmp_path):
    html, rows = report(published, tmp_path / "out")
    text = article_text(html, "CPP_REPEAT_PCT")
    assert "Target: 15.0% or lower" in text
    assert re.search(r"Status: [\u2714\u25c6\u2716] (Green|Amber|Red) \u2014 (meets|misses)", text)
    target = next(r for r in rows if r["kpi_code"] == "CPP_REPEAT_PCT" and r["figure"] == "target")
    assert target["comparator_value"] == "15.0" and target["rag_status"] in ("GREEN", "AMBER", "RED")


def test_bad_requests_fail_clearly(published, tmp_path):
    with pytest.raises(ReportError, match="outside the figures"):
        write_report(published, "878", "2017-18-Q1", tmp_path)
    with pytest.raises(ReportError, match="no figures for LA 999"):
        write_report(published, "999", QUARTER, tmp_path)
    with pytest.raises(ReportError, match="csc publish"):
        write_report(tmp_path / "nowhere", "878", QUARTER, tmp_path)
    assert not list(tmp_path.glob("csc_report_*"))


def test_no_model_carries_a_build_time():
    """When the warehouse was built has one owner, the build record that csc publish copies
    into the manifest (built_at): no model stamps its own (dq_summary.built_at was a second
    one), so a rebuild of the same extract gives the same rows on DuckDB and on Spark."""
    stamped = [
        f"{sql.relative_to(paths.REPO_ROOT)}: {word}"
        for sql in sorted((paths.REPO_ROOT / "models").rglob("*.sql"))
        for word in ("current_timestamp", "now()", "built_at")
        if word in sql.read_text(encoding="utf-8").lower()
    ]
    assert not stamped


def test_the_build_time_is_the_manifests_alone(published, tmp_path):
    """When the figures were built has one owner, the publish manifest's built_at (csc publish
    copies the audited build record's): no mart carries a build time, and without the
    manifest's the report stops with one line rather than guess."""
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    manifest["built_at"] = "2016-10-07T11:30:00+00:00"  # the fixture's says 5 October
    (published / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    html, _ = report(published, tmp_path / "a")
    assert "7 October 2016, 11:30 UTC" in html and "5 October 2016, 09:00" not in html

    del manifest["built_at"]
    (published / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ReportError, match=r"^no built_at in manifest.json beside .*csc_marts.duckdb: .*unknown") as e:
        report(published, tmp_path / "b")
    assert "\n" not in str(e.value)
    (published / "manifest.json").unlink()
    with pytest.raises(ReportError, match=r"^no manifest.json beside .*csc_marts.duckdb: .*csc publish"):
        report(published, tmp_path / "c")
    assert not list(tmp_path.glob("[bc]/csc_report_*"))


def test_without_a_quarter_the_latest_complete_one(published, tmp_path):
    html_path, _ = write_report(published, "878", None, tmp_path, synthetic=False)
    assert html_path.name == "csc_report_878_2016-17-Q2.html"


def test_a_duckdb_file_can_be_given_directly(published, tmp_path):
    html_path, csv_path = write_report(
        published / "csc_marts.duckdb", "878", QUARTER, tmp_path / "out", synthetic=False
    )
    assert html_path.name == "csc_report_878_2016-17-Q2.html" and csv_path.name == "csc_report_878_2016-17-Q2.csv"


def test_command_line(published, tmp_path):
    """The `csc report` command as csc.cli registers it: app.command("report")(command.report)."""
    import typer
    from typer.testing import CliRunner

    from csc.report import command

    app = typer.Typer()
    app.command("report")(command.report)
    app.command("noop")(lambda: None)  # two commands, so `report` is a subcommand as in csc.cli
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "report",
            "--la",
            "878",
            "--quarter",
            QUARTER,
            "--published",
            str(published),
            "--out",
            str(tmp_path / "out"),
            "--suppress",
            "--not-synthetic",
        ],
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "csc_report_878_2016-17-Q2.html").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "csc_report_878_2016-17-Q2.csv").exists()
    assert "SYNTHETIC" not in html and "suppressed: counts of 1 to 5" in html
    result = runner.invoke(app, ["report", "--quarter", "2016-17-Q9", "--published", str(published)])
    assert result.exit_code == 2 and "2016-17-Q9" in result.output
    result = runner.invoke(
        app, ["report", "--duckdb", str(published / "csc_marts.duckdb"), "--out", str(tmp_path / "latest")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "latest" / "csc_report_878_2016-17-Q2.html").exists()


# ============================================================================================
# End to end: a warehouse built from a SYNTHETIC extract
# ============================================================================================

PUBLISHED_TABLES = (
    "kpi_values",
    "kpi_scorecard",
    "dim_kpi",
    "dq_summary",
    "dq_summary_totals",
    "dim_la",
    "fct_children_in_need_month_end",
    "fct_cp_plans_month_end",
    "kpi_report_periods",
    "dim_dq_rule",
)
# As csc publish copies them: these three from dbt's publication schema (csc.publish.command).
FROM_PUBLICATION = {
    "kpi_values": "pub_kpi_values",
    "kpi_scorecard": "pub_kpi_scorecard",
    "dq_summary": "pub_dq_summary",
}


def _source(table: str, suppressed: bool = False) -> str:
    if table in FROM_PUBLICATION:
        return f"build.publication.{FROM_PUBLICATION[table]}{'_suppressed' if suppressed else ''}"
    return f"build.marts.{table}"


# ============================================================================================
# Issue 14: the report a head of service can use
# ============================================================================================


def test_dq_panel_names_dfe_rules_in_words(published, tmp_path):
    """The panel reads dbt's words for each rule (marts.dim_dq_rule; how they are made from
    the messages is dbt's unit test dq_rule_words_are_the_commonest_message_...); it never
    makes its own from dq_issues' messages."""
    sql(
        published,
        """create table marts.dq_issues as select * from (values
        ('878', 'ssd_cin_assessments', '8670Q', 'warn', 'Please check and either amend data or provide a reason: '
         || 'A message the report must not read. (open 122 working days at the reporting date)'))
        t(la_code, table_name, rule_code, severity, message)""",
    )
    html, _ = report(published, tmp_path / "none")
    panel = html[html.index('id="data-quality"') : html.index('id="about"')]
    assert "must not read" not in panel and "Please check" not in panel and "8670Q" in panel
    sql(
        published,
        """create table marts.dim_dq_rule as select * from (values
        ('8670Q', 'dfe', 'Assessment started more than 45 working days before the end of the census year. '
         || 'However, there is no Assessment end date.'))
        t(rule_code, rule_source, rule_description)""",
    )
    html, _ = report(published, tmp_path / "out")
    panel = html[html.index('id="data-quality"') : html.index('id="about"')]
    assert (
        "8670Q: Assessment started more than 45 working days before the end of the census year. "
        "However, there is no Assessment end date.</td>"
    ) in panel
    assert "must not read" not in panel and "Please check" not in panel


def test_per_10000_is_written_per_10_comma_000(published, tmp_path):
    html, _ = report(published, tmp_path / "out")
    visible = re.sub(r"<[^>]+>", " ", html)
    assert "per 10000" not in visible and "per 10,000" in visible


def test_no_duplicate_charts(published, tmp_path):
    """A monthly average is its count month by month: one chart, and a pointer from the other."""
    html, _ = report(published, tmp_path / "out")
    series = {}
    for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.S):
        drawn = re.search(r"<desc[^>]*>Monthly figures[^:]*:([^<]*)", svg).group(1).split(". Reference")[0]
        assert drawn not in series, f"the same chart twice: {series.get(drawn)}"
        series[drawn] = re.search(r"<title[^>]*>([^<]+)", svg).group(1)
    # make_marts gives the monthly average the same monthly figures as the count
    sql(
        published,
        "update marts.kpi_values set numerator = (select max(v.numerator) from marts.kpi_values v "
        "where v.kpi_code = 'REFERRALS' and v.period_type = 'month' and v.period_end = kpi_values.period_end), "
        "denominator = 1 where kpi_code = 'REFERRALS_MONTHLY_AVG' and period_type = 'month'",
    )
    sql(
        published,
        "update marts.kpi_values set value = numerator where kpi_code = 'REFERRALS_MONTHLY_AVG' "
        "and period_type = 'month'",
    )
    html, _ = report(published, tmp_path / "out2")
    assert "chart-REFERRALS_MONTHLY_AVG" not in html and 'chart-REFERRALS"' in html
    assert "this is the same as Referrals: see its chart" in article_text(html, "REFERRALS_MONTHLY_AVG")


def test_percentage_axes_start_at_zero():
    points = [Point(date(2016, m, 28), 30.0 + m % 3) for m in range(1, 13)]
    svg = trend_chart("c", "Percent", points, "percent", [Reference("england", "England", 29.0)])
    ticks = [float(t.replace(",", "")) for t in re.findall(r'class="tick"[^>]*>([\d.,]+)<', svg)]
    assert min(ticks) == 0


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_wcag_aa_contrast_of_every_line_and_text(published, tmp_path):
    """Text 4.5:1 on its background (WCAG 1.4.3), lines and borders 3:1 (1.4.11), for every
    colour the stylesheet and the charts use."""
    from csc.report import charts

    html, _ = report(published, tmp_path / "out")
    style = html[html.index("<style>") : html.index("</style>")]
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", style))
    backgrounds = ["#ffffff", variables["panel"], "#fff3e0", "#fff8e6", "#e3f4ee", "#fdf1d8", "#fbe6da"]
    found = 0
    for rule in re.findall(r"([^{}]+)\{([^{}]*)\}", style):
        body = re.sub(r"var\(--([\w-]+)\)", lambda m: variables.get(m.group(1), m.group(0)), rule[1])
        for prop, colour in re.findall(
            r"(?<![-\w])(color|fill|border(?:-left|-bottom)?(?:-color)?|stroke)\s*:[^;#]*(#[0-9a-fA-F]{3,6})", body
        ):
            need = 4.5 if prop in ("color", "fill") else 3.0
            worst = min(contrast(colour, bg) for bg in backgrounds if not (prop != "color" and bg != "#ffffff"))
            assert worst >= need, f"{rule[0].strip()} {prop} {colour}: {worst:.2f}:1"
            found += 1
    assert found >= 15
    for name, colour in charts.CHART_COLOURS.items():
        need = 3.0 if name == "grid" else 4.5  # the reference lines' labels are text in the line's colour
        assert contrast(colour, charts.CHART_BACKGROUND) >= need, (name, colour)
    for svg_colour in set(re.findall(r'(?:stroke|fill)="(#[0-9a-fA-F]{6})"', html)) - {"#ffffff"}:
        assert contrast(svg_colour, "#ffffff") >= 3.0, svg_colour


def test_chart_text_is_legible_in_print():
    """Chart text prints at 14 units x 125 mm / 460 units: at least 10 pt (WCAG has no minimum;
    10 pt is the smallest body text the report uses in tables)."""
    from csc.report import charts

    html_css = (paths.REPO_ROOT / "scripts/csc/report/templates/report.html.j2").read_text()
    sizes = [float(x) for x in re.findall(r"svg\.chart[^{]*\{[^}]*font-size:\s*([\d.]+)px", html_css)]
    width_mm = float(re.search(r"figure\.chart-figure \{ max-width: ([\d.]+)mm", html_css).group(1))
    assert width_mm == charts.PRINT_WIDTH_MM
    for size in sizes:
        points = size * width_mm / charts.WIDTH / 25.4 * 72
        assert points >= 10, (size, points)


COMMENTARY = """# Commentary: Devon, 2016-17 Q2

## Executive summary

Contacts are steady. The rate of **repeat plans** is above target.

- Audit of short plans: Q3.
- Early help tools: February.

## 1. Front door: contacts and MASH decisions

The MASH plan <script>alert(1)</script> continues.

## 8. Repeat child protection plans

1. Case audit.
2. Report to the board.
"""


def test_commentary_template_round_trip(published, tmp_path):
    from csc.report import commentary

    template = commentary.template(SECTIONS, "Devon", "2016-17 Q2")
    assert commentary.parse(template, SECTIONS) == {}
    assert [line for line in template.splitlines() if line.startswith("## ")] == (
        ["## Executive summary"] + [f"## {n}. {spec.title}" for n, spec in enumerate(SECTIONS, 1)]
    )
    filled = commentary.parse(COMMENTARY, SECTIONS)
    assert set(filled) == {"summary", "front_door", "repeat_plans"}
    # template -> fill -> parse -> template -> parse gives the same commentary
    again = commentary.template(SECTIONS, "Devon", "2016-17 Q2", filled)
    assert commentary.parse(again, SECTIONS) == filled
    assert commentary.template(SECTIONS, "Devon", "2016-17 Q2", commentary.parse(again, SECTIONS)) == again


def test_commentary_is_placed_where_the_council_report_has_it(published, tmp_path):
    path = tmp_path / "commentary.md"
    path.write_text(COMMENTARY, encoding="utf-8")
    html, _ = report(published, tmp_path / "out", commentary=path)
    summary = html[html.index('id="summary"') : html.index('id="at-a-glance"')]
    assert "<strong>repeat plans</strong>" in summary and "<li>Audit of short plans: Q3.</li>" in summary
    front = html[html.index('id="front_door"') : html.index('id="m-CONTACTS"')]
    assert (
        "Commentary and actions" in front and "The MASH plan &lt;script&gt;alert(1)&lt;/script&gt; continues." in front
    )
    repeat = html[html.index('id="repeat_plans"') : html.index('id="m-CPP_REPEAT_PCT"')]
    assert "<ol><li>Case audit.</li><li>Report to the board.</li></ol>" in repeat
    assert html.count("Commentary and actions") == 3
    assert "<script" not in html


@pytest.mark.parametrize(
    "text, message",
    [
        ("## Summary of things\nx\n", "unknown heading '## Summary of things'"),
        ("## Executive summary\na\n## Executive summary\nb\n", "appears twice"),
        ("stray text\n## Executive summary\n", "text before the first"),
    ],
)
def test_commentary_errors_are_one_line(published, tmp_path, text, message):
    path = tmp_path / "c.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError, match=re.escape(message)):
        report(published, tmp_path / "out", commentary=path)


def test_commentary_template_command(published, tmp_path):
    from typer.testing import CliRunner

    from csc.cli import app

    runner = CliRunner()
    out = tmp_path / "c.md"
    result = runner.invoke(
        app, ["report", "--published", str(published), "--quarter", "2016/17 Q2", "--commentary-template", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# Commentary: Devon, 2016-17 Q2\n")
    again = runner.invoke(app, ["report", "--published", str(published), "--commentary-template", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output
    result = runner.invoke(
        app,
        [
            "report",
            "--published",
            str(published),
            "--quarter",
            "Q2 2016/17",
            "--out",
            str(tmp_path / "r"),
            "--commentary",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------------------------
# In a real browser (Debian's chromium; skipped cleanly where it is not installed)
# --------------------------------------------------------------------------------------------


def _chromium() -> str | None:
    import shutil

    return next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)


def _run_chromium(*args: str, timeout: int = 120):
    import subprocess

    browser = _chromium()
    if browser is None:
        pytest.skip("chromium not installed (Debian: apt-get install chromium)")
    return subprocess.run(
        [
            browser,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-dev-shm-usage",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def pdf_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def test_browser_console_is_clean_and_the_check_catches_errors(published, tmp_path):
    html_path, _ = write_report(published, "878", QUARTER, tmp_path, synthetic=True)
    bad = tmp_path / "bad.html"
    bad.write_text('<html><body><script>console.error("boom")</script></body></html>')
    control = _run_chromium("--enable-logging=stderr", "--v=0", "--dump-dom", bad.as_uri())
    assert ":CONSOLE" in control.stderr and "boom" in control.stderr  # the check can see errors
    run = _run_chromium("--enable-logging=stderr", "--v=0", "--dump-dom", html_path.as_uri())
    assert run.returncode == 0
    assert ":CONSOLE" not in run.stderr, run.stderr
    assert "Executive summary" in run.stdout


def test_executive_summary_prints_on_at_most_two_a4_pages(published, tmp_path):
    """Printed by the browser (Chromium's print to PDF, A4 from the stylesheet's @page), with a
    commentary of the length the template invites."""
    path = tmp_path / "commentary.md"
    path.write_text(COMMENTARY, encoding="utf-8")
    html_path, _ = write_report(published, "878", QUARTER, tmp_path, synthetic=True, commentary=path)
    html = html_path.read_text(encoding="utf-8")
    summary = tmp_path / "summary.html"
    summary.write_text(
        html[: html.index('<section class="report-section"')] + "</main></body></html>", encoding="utf-8"
    )
    for page, pdf in ((summary, tmp_path / "summary.pdf"), (html_path, tmp_path / "report.pdf")):
        run = _run_chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri(), timeout=180)
        assert pdf.is_file(), run.stderr
    assert 1 <= pdf_pages(tmp_path / "summary.pdf") <= 2
    assert pdf_pages(tmp_path / "report.pdf") > pdf_pages(tmp_path / "summary.pdf")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    """Generate a small synthetic extract, build the marts the report reads (models only: the
    warehouse's own tests run in `make dbt-test`), and copy schema marts into a published-like
    file with a manifest."""
    from csc.build import dbt_run
    from csc.generate import generate_extract

    root = tmp_path_factory.mktemp("report_e2e")
    landing, build_db, published = root / "landing", root / "csc.duckdb", root / "published"
    generate_extract(
        out=landing,
        la_codes=["878"],
        scale="la",
        start="2013-04-01",
        end="2016-09-30",
        seed=20160930,
        size=0.25,
        faults=False,
        progress=False,
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CSC_LANDING_DIR", str(landing))
        mp.setenv("CSC_DUCKDB_PATH", str(build_db))
        ok = dbt_run(
            "build",
            "--target-path",
            str(root / "target"),
            "--log-path",
            str(root / "logs"),
            "--exclude-resource-type",
            "test",
            "--exclude-resource-type",
            "unit_test",
            "--select",
            " ".join(
                f"+{t}"
                for t in (
                    *PUBLISHED_TABLES,
                    *FROM_PUBLICATION.values(),
                    *(f"{m}_suppressed" for m in FROM_PUBLICATION.values()),
                )
            ),
        )
    assert ok, "dbt build of the marts failed"
    published.mkdir()
    con = duckdb.connect(str(published / "csc_marts.duckdb"))
    try:
        con.execute(f"attach '{build_db}' as build (read_only)")
        con.execute("create schema marts")
        for t in PUBLISHED_TABLES:
            con.execute(f"create table marts.{t} as select * from {_source(t)}")
    finally:
        con.close()
    (published / "manifest.json").write_text(
        json.dumps(
            {
                "synthetic_data": (landing / paths.DEMO_MARKER).exists(),
                "built_at": "2016-10-05T09:00:00+00:00",
                "reporting_date": "2016-09-30",
                "reporting_dates": {"878": {"extract_start_date": "2013-04-01", "reporting_date": "2016-09-30"}},
            }
        )
    )
    return published


@pytest.mark.slow
def test_e2e_every_section_and_measure(warehouse, tmp_path):
    html, _rows = report(warehouse, tmp_path, synthetic=None)
    check_self_contained_and_accessible(html)
    con = duckdb.connect(str(warehouse / "csc_marts.duckdb"), read_only=True)
    kpis = con.execute("select kpi_code, kpi_name from marts.dim_kpi").fetchall()
    con.close()
    o = outline(html)
    h3 = [t for level, t in o.headings if level == 3]
    for code, name in kpis:
        assert people_words(name) in h3 and f"m-{code}" in o.articles, code
    for spec in SECTIONS:
        assert f'id="{spec.key}"' in html
    assert "No data for this measure" not in html
    assert "SYNTHETIC DATA" in html
    assert "Devon" in o.headings[0][1]


@pytest.mark.slow
def test_e2e_csv_equals_kpi_values(warehouse, tmp_path):
    _, rows = report(warehouse, tmp_path)
    con = duckdb.connect(str(warehouse / "csc_marts.duckdb"), read_only=True)
    kv = {
        (r[0], r[1], r[2]): r[3:]
        for r in con.execute(
            "select kpi_code, period_type, period_end, value, numerator, denominator from marts.kpi_values "
            "where la_code = '878'"
        ).fetchall()
    }
    quarter_rows = {
        (r[0], r[1])
        for r in con.execute(
            "select kpi_code, period_type from marts.kpi_values where la_code = '878' and period_end = ? "
            "and period_type in ('quarter', 'fytd')",
            [Q.end],
        ).fetchall()
    }
    sc = {
        (r[0], r[1]): r[2:]
        for r in con.execute(
            "select kpi_code, period_type, england_value, region_value, statistical_neighbour_value "
            "from marts.kpi_scorecard where la_code = '878' and period_end = ?",
            [Q.end],
        ).fetchall()
    }
    stock = {r[0] for r in con.execute("select kpi_code from marts.dim_kpi where measure_type = 'stock'").fetchall()}
    con.close()
    shown = set()
    for r in rows:
        if r["figure"] in ("value", "same_period_last_year", "last_year_outturn", "month"):
            value, num, den = kv[(r["kpi_code"], r["period_type"], date.fromisoformat(r["period_end"]))]
            assert (float(r["value"]) if r["value"] else None) == value, r
            assert (int(r["numerator"]) if r["numerator"] else None) == num, r
            assert (int(r["denominator"]) if r["denominator"] else None) == den, r
            if r["figure"] == "value":
                shown.add((r["kpi_code"], r["period_type"]))
        if r["figure"] == "benchmark" and r["comparator_name"] == "England":
            main = "fytd" if r["unit"] == "count per month" else "quarter"
            assert float(r["comparator_value"]) == sc[(r["kpi_code"], main)][0]
    # Every quarter and year-to-date figure is in the CSV (stocks: the quarter-end position)
    assert shown == {(k, t) for k, t in quarter_rows if not (k in stock and t == "fytd")}


@pytest.mark.slow
def test_e2e_suppress_agrees_with_the_publish_step(warehouse, tmp_path):
    """--suppress on the internal publication shows 'c' exactly where the external publication
    (dbt's pub_*_suppressed tables, as `csc publish --suppress` copies them) has it."""
    suppressed = tmp_path / "published_suppressed"
    suppressed.mkdir()
    con = duckdb.connect(str(suppressed / "csc_marts.duckdb"))
    try:
        con.execute(f"attach '{warehouse.parent / 'csc.duckdb'}' as build (read_only)")
        con.execute("create schema marts")
        for t in PUBLISHED_TABLES:
            con.execute(f"create table marts.{t} as select * from {_source(t, suppressed=True)}")
    finally:
        con.close()
    shutil.copy(warehouse / "manifest.json", suppressed / "manifest.json")
    _html_a, rows_a = report(warehouse, tmp_path / "a", suppress=True)
    _html_b, rows_b = report(suppressed, tmp_path / "b")
    assert [(r["kpi_code"], r["figure"], r["period_type"], r["period_end"], r["shown"]) for r in rows_a] == [
        (r["kpi_code"], r["figure"], r["period_type"], r["period_end"], r["shown"]) for r in rows_b
    ]
    assert any(r["shown"] == "c" for r in rows_a)


@pytest.mark.slow
def test_e2e_suppress(warehouse, tmp_path):
    html, rows = report(warehouse, tmp_path, suppress=True)
    check_self_contained_and_accessible(html)
    small = [r for r in rows if r["suppressed"] == "true"]
    assert all(r["shown"] == "c" and r["value"] == "" for r in small)
    for r in rows:  # nothing from 1 to 5 is left in a count column
        for column in ("numerator", "denominator"):
            if r[column] and (column == "numerator" or r["unit"] in ("percent", "per 10000")):
                assert not 1 <= int(r[column]) <= 5, r


@pytest.mark.slow
def test_e2e_report_periods_are_the_marts_and_agree_with_the_calendar(warehouse):
    """For every quarter dbt offers, the dates the report uses are kpi_report_periods' rows,
    and those rows agree with the calendar worked out here independently (the quarter, the
    year to date from 1 April, the same a year earlier, the last complete financial year and
    24 trend months, across 31 March quarter ends, leap Februaries and financial-year starts).
    With no quarter asked for, the report shows the one dbt marks latest."""
    from csc.report.data import load

    con = duckdb.connect(str(warehouse / "csc_marts.duckdb"), read_only=True)
    names = ("report_quarter", "period_role", "period_type", "period_start", "period_end", "is_latest_quarter")
    rows = [
        dict(zip(names, r))
        for r in con.execute(
            f"select {', '.join(names)} from marts.kpi_report_periods where la_code = '878'"
        ).fetchall()
    ]
    con.close()
    quarters = sorted({r["report_quarter"] for r in rows})
    assert len(quarters) >= 12 and any(q.endswith("-Q4") for q in quarters)
    for label in quarters:
        q = load(warehouse, "878", label).quarter
        mart = {
            (r["period_role"], r["period_type"]): (r["period_start"], r["period_end"])
            for r in rows
            if r["report_quarter"] == label and r["period_role"] != "trend"
        }
        trend = sorted(r["period_end"] for r in rows if r["report_quarter"] == label and r["period_role"] == "trend")
        assert (q.start, q.end) == mart[("this_period", "quarter")], label
        assert (q.fy_start, q.end) == mart[("this_period", "fytd")], label
        assert (q.previous_year.start, q.previous_year.end) == mart[("last_year", "quarter")], label
        assert (q.previous_year.fy_start, q.previous_year.end) == mart[("last_year", "fytd")], label
        assert q.year_end_before == mart[("last_outturn", "fy")][1] and q.trend_month_ends() == trend, label
        # The calendar, by hand.
        fy, n = q.fy_start_year, q.number
        first = date(fy + (n == 4), (4, 7, 10, 1)[n - 1], 1)
        last = _month_ends(first, 3)[-1]
        a_year_before = first.replace(year=first.year - 1)
        assert mart[("this_period", "quarter")] == (first, last), label
        assert mart[("this_period", "fytd")] == (date(fy, 4, 1), last), label
        assert mart[("last_year", "quarter")] == (a_year_before, _month_ends(a_year_before, 3)[-1]), label
        assert mart[("last_year", "fytd")] == (date(fy - 1, 4, 1), _month_ends(a_year_before, 3)[-1]), label
        assert mart[("last_outturn", "fy")] == (date(fy - 1, 4, 1), date(fy, 3, 31)), label
        assert q.previous_fy_label == f"{fy - 1}-{fy % 100:02d}", label
        start_of_trend = _month_ends(first, 3)[-1].replace(day=1)
        y, m = divmod(start_of_trend.year * 12 + start_of_trend.month - 1 - 23, 12)
        assert trend == _month_ends(date(y, m + 1, 1), 24), label
    latest = [r["report_quarter"] for r in rows if r["is_latest_quarter"]]
    assert set(latest) == {"2016-17-Q2"} and load(warehouse, "878", None).quarter.label == "2016-17-Q2"
