"""Issue 12, finding 3: no suppressed count of an external publication (`csc publish
--suppress`) can be recovered by adding or subtracting published figures.

The attack of the first version: 114 of 253 suppressed numerators came back by subtraction
(years to date at two month ends, a quarter minus its other months). Here a solver takes every
published count of a real external publication and, for each KPI, count (numerator or a
percentage's denominator), council and financial year, writes the additivity relations (a
month, quarter, year to date or year is the sum of its months) and asks, for every suppressed
count:

* linear algebra (exact, over the rationals): is the count's row in the span of the published
  rows? If so, some combination of published figures with any coefficients gives it back;
* linear programming with the months non-negative: are its smallest and largest possible
  values different? (Interval sums have a totally unimodular matrix, so a range of width 1 or
  more holds at least two whole-number solutions.)

It also checks the relations between tables and KPIs: a value, change, direction or RAG shown
only where its counts are; the same counts under two KPIs (REFERRALS and the denominator of
REFERRALS_NFA_PCT) suppressed alike; parts of a KPI (CIN_CHILDREN = CIN_SHORT_BREAK_ONLY +
CIN_EXCL_SHORT_BREAK) never one alone; and stocks (the same month-end count under month,
quarter, year to date) suppressed alike. The same solver run on primary suppression alone
(the first version's rule) recovers counts: the test shows it would have caught the leak.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_publish import published_warehouse  # noqa: F401  (the shared fixture)

from csc import privacy
from csc import publish as pub

pytestmark = pytest.mark.slow
SMALL = privacy.SUPPRESS_MAX


@dataclass(frozen=True)
class Cell:
    la_code: str
    kpi_code: str
    part: str  # numerator or denominator
    period_type: str
    start: date
    end: date


def months_of(cell: Cell) -> list[date]:
    """The month starts a cell adds up."""
    out, d = [], cell.start
    while d <= cell.end:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def fy_of(d: date) -> int:
    return d.year if d.month >= 4 else d.year - 1


def rank(rows: list[list[Fraction]]) -> int:
    """Rank over the rationals (Gaussian elimination, exact)."""
    m = [r[:] for r in rows]
    r = 0
    for c in range(len(m[0]) if m else 0):
        pivot = next((i for i in range(r, len(m)) if m[i][c] != 0), None)
        if pivot is None:
            continue
        m[r], m[pivot] = m[pivot], m[r]
        for i in range(len(m)):
            if i != r and m[i][c] != 0:
                f = m[i][c] / m[r][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[r])]
        r += 1
    return r


def recoverable(published: dict[Cell, int], suppressed: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """(suppressed counts determined exactly by the published ones; those pinned to one value
    under non-negative months) for the cells of one series and financial year."""
    from scipy.optimize import linprog

    months = sorted({m for c in [*published, *suppressed] for m in months_of(c)})
    index = {m: i for i, m in enumerate(months)}

    def row(cell: Cell) -> list[Fraction]:
        v = [Fraction(0)] * len(months)
        for m in months_of(cell):
            v[index[m]] = Fraction(1)
        return v

    a = [row(c) for c in published]
    base = rank(a) if a else 0
    exact = [c for c in suppressed if rank([*a, row(c)]) == base] if a else []
    pinned = []
    if a:
        a_eq = [[float(x) for x in r] for r in a]
        b_eq = [float(published[c]) for c in published]
        for c in suppressed:
            obj = [float(x) for x in row(c)]
            low = linprog(obj, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            high = linprog([-x for x in obj], A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            assert low.status == 0, "the published figures are inconsistent"
            if high.status == 0 and -high.fun - low.fun < 1 - 1e-9:
                pinned.append(c)
    return exact, pinned


def _cells(con: duckdb.DuckDBPyConnection, table: str) -> dict[Cell, int | None]:
    out = {}
    for la, kpi, ptype, start, end, num, den, unit in con.execute(
        f"select la_code, kpi_code, period_type, period_start, period_end, numerator, denominator, unit from {table}"
    ).fetchall():
        out[Cell(la, kpi, "numerator", ptype, start, end)] = num
        if unit == "percent":
            out[Cell(la, kpi, "denominator", ptype, start, end)] = den
    return out


def attack(truth: dict[Cell, int | None], shown: dict[Cell, int | None], flows: set[str]) -> dict:
    """Run the solver over every flow series and financial year."""
    groups: dict[tuple, list[Cell]] = defaultdict(list)
    for cell, n in truth.items():
        if n is not None and cell.kpi_code in flows:
            groups[(cell.la_code, cell.kpi_code, cell.part, fy_of(cell.start))].append(cell)
    suppressed_total, exact, pinned = 0, [], []
    for cells in groups.values():
        published = {c: shown[c] for c in cells if shown.get(c) is not None}
        hidden = [c for c in cells if shown.get(c) is None]
        assert all(published[c] == truth[c] for c in published)
        suppressed_total += len(hidden)
        e, p = recoverable(published, hidden)
        exact += e
        pinned += p
    return {"series": len(groups), "suppressed": suppressed_total, "exact": exact, "pinned": pinned}


@pytest.fixture(scope="module")
def external(published_warehouse, tmp_path_factory):
    w = published_warehouse
    out = tmp_path_factory.mktemp("external") / "published"
    with pytest.MonkeyPatch.context() as mp:
        w.apply(mp)
        result = pub.publish(suppress=True, skip_build=True, published_dir=out)
    assert result, result.message
    return w, out


def test_no_suppressed_count_is_recovered_by_any_combination(external):
    w, out = external
    with duckdb.connect(str(w.build_db), read_only=True) as con:
        truth = _cells(con, "marts.kpi_values")
        flows = {
            r[0]
            for r in con.execute(
                "select kpi_code from reference.kpi_definitions where measure_type = 'flow'"
            ).fetchall()
        }
    with duckdb.connect(str(out / "csc_marts.duckdb"), read_only=True) as con:
        shown = _cells(con, "marts.kpi_values")

    now = attack(truth, shown, flows)
    assert now["suppressed"] > 50, "the extract should have small numbers to protect"
    assert now["exact"] == [], f"{len(now['exact'])} suppressed counts recovered exactly, e.g. {now['exact'][:3]}"
    assert now["pinned"] == [], f"{len(now['pinned'])} suppressed counts pinned, e.g. {now['pinned'][:3]}"

    # The same attack on the first version's rule (primary suppression only) recovers counts.
    primary = {c: (None if n is not None and 1 <= n <= SMALL else n) for c, n in truth.items()}
    before = attack(truth, primary, flows)
    assert before["exact"], "the solver should find the leaks of primary suppression alone"
    print(
        f"\nsolver: {now['series']} series; now {len(now['exact'])} of {now['suppressed']} suppressed "
        f"counts recovered; primary suppression alone: {len(before['exact'])} of {before['suppressed']}"
    )


def test_values_and_comparisons_only_where_their_counts_are_shown(external):
    _, out = external
    with duckdb.connect(str(out / "csc_marts.duckdb"), read_only=True) as con:
        bad_values = con.execute("""
            select count(*) from marts.kpi_values where value is not null and (numerator is null
                or (unit = 'percent' and denominator is null))""").fetchall()[0][0]
        lookup = "select la_code, kpi_code, period_type, period_start, period_end, value from marts.kpi_values"
        bad_previous = con.execute(f"""
            select count(*) from marts.kpi_scorecard as s
            left join ({lookup}) as v on v.la_code = s.la_code and v.kpi_code = s.kpi_code
                and v.period_type = s.period_type and v.period_end = last_day(s.period_end - interval 12 month)
            where s.previous_year_value is not null and v.value is null""").fetchall()[0][0]
        bad_outturn = con.execute(f"""
            select count(*) from marts.kpi_scorecard as s
            left join ({lookup}) as v on v.la_code = s.la_code and v.kpi_code = s.kpi_code
                and v.period_type = 'fy' and v.period_start = s.previous_fy_start
            where s.previous_fy_value is not null and v.value is null""").fetchall()[0][0]
        bad_change = con.execute("""
            select count(*) from marts.kpi_scorecard where (change_since_last_year is not null
                or direction_of_travel not in ('c')) and (value is null or previous_year_value is null)
                and value_display = 'c'""").fetchall()[0][0]
        bad_rag = con.execute(
            "select count(*) from marts.kpi_scorecard where value is null "
            "and value_display = 'c' and rag_status not in ('c')"
        ).fetchall()[0][0]
        same_cells = con.execute("""
            select count(*) from marts.kpi_scorecard as s inner join marts.kpi_values as v
                using (la_code, kpi_code, period_type, period_start, period_end)
            where s.value_display is distinct from v.value_display""").fetchall()[0][0]
    assert (bad_values, bad_previous, bad_outturn, bad_change, bad_rag, same_cells) == (0, 0, 0, 0, 0, 0)


def test_the_same_counts_under_two_kpis_and_parts_are_suppressed_alike(external):
    w, out = external
    with duckdb.connect(str(w.build_db), read_only=True) as con:
        truth = _cells(con, "marts.kpi_values")
    with duckdb.connect(str(out / "csc_marts.duckdb"), read_only=True) as con:
        shown = _cells(con, "marts.kpi_values")

    series: dict[tuple, dict] = defaultdict(dict)
    for c, n in truth.items():
        series[(c.la_code, c.kpi_code, c.part)][(c.period_type, c.end)] = n
    same: dict[tuple, list] = defaultdict(list)
    for (la, kpi, part), values in series.items():
        if any(values.values()):
            same[(la, tuple(sorted(values.items())))].append((kpi, part))
    twins = 0
    for (la, values), members in same.items():
        if len(members) < 2:
            continue
        twins += len(members) - 1
        for ptype, end in dict(values):
            hidden = {
                shown[
                    next(
                        c
                        for c in truth
                        if (c.la_code, c.kpi_code, c.part, c.period_type, c.end) == (la, kpi, part, ptype, end)
                    )
                ]
                is None
                for kpi, part in members
            }
            assert len(hidden) == 1, (la, members, ptype, end)
    assert twins >= 3, "REFERRALS and the denominators of the referral percentages are the same counts"

    def get(kpi: str, ptype: str, end: date) -> int | None:
        return next(
            (
                n
                for c, n in shown.items()
                if (c.kpi_code, c.part, c.period_type, c.end) == (kpi, "numerator", ptype, end)
            ),
            None,
        )

    checked = 0
    for c in truth:
        if (
            c.kpi_code == "CIN_CHILDREN"
            and c.part == "numerator"
            and get("CIN_CHILDREN", c.period_type, c.end) is not None
        ):
            parts = [get(k, c.period_type, c.end) for k in ("CIN_SHORT_BREAK_ONLY", "CIN_EXCL_SHORT_BREAK")]
            assert sum(p is None for p in parts) != 1, (c, parts)
            checked += 1
    assert checked > 0
