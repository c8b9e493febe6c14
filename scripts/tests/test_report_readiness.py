"""The report's CIN census readiness section (csc.report.readiness): it reads the published
readiness marts as they are and says so when a publication lacks them."""

from __future__ import annotations

import re
from html import unescape

from test_report import published, report, sql  # noqa: F401  (published is a fixture)

from csc.report.readiness import readiness_view


def _add_readiness(published_dir) -> None:
    sql(
        published_dir,
        """create table marts.dq_census_readiness as select * from (values
            ('878', 2017, date '2017-03-31', '8610', 'error', 'Primary need code is missing', true, null, 3, 2),
            ('878', 2017, date '2017-03-31', '8825Q', 'query', 'Please check: RC8 without assessment', true, null, 5, 5),
            ('878', 2017, date '2017-03-31', '1103', 'error', 'Assessment before referral', true, null, 0, 0),
            ('878', 2017, date '2017-03-31', '8770Q', 'query', 'UPN missing', false, 'ssd_person.pers_upn', null, null),
            ('879', 2017, date '2017-03-31', '8610', 'error', 'Primary need code is missing', true, null, 99, 99)
        ) as t(la_code, census_year, reference_date, rule_code, rule_type, message, can_evaluate,
               missing_inputs, failing_records, failing_children)""",
    )
    sql(
        published_dir,
        """create table marts.dq_census_readiness_monthly_totals as select * from (values
            ('878', 2017, date '2016-04-01', 1, 4, 1, 4),
            ('878', 2017, date '2016-05-01', 2, 1, 3, 5),
            ('879', 2017, date '2016-04-01', 99, 99, 99, 99)
        ) as t(la_code, census_year, month_start, errors, queries, errors_to_date, queries_to_date)""",
    )


def _section(html: str) -> str:
    part = html[html.index('id="census-readiness"') : html.index('id="about"')]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", part)).split())


def test_the_section_says_when_the_publication_has_no_readiness_marts(published, tmp_path):
    html, _ = report(published, tmp_path / "out")
    assert "CIN census readiness not available" in _section(html)


def test_the_section_shows_the_marts_numbers_by_month_and_rule(published, tmp_path):
    _add_readiness(published)
    html, _ = report(published, tmp_path / "out")
    text = _section(html)
    assert "the 2016-17 return" in text
    assert "year to 31 March 2017" in text
    assert "3 errors" in text and "5 queries" in text  # the running totals of the last month
    assert "April 2016 1 4 1 4" in text
    assert "May 2016 2 1 3 5" in text
    # failing rules, errors first, with DfE's message; a clean rule is not listed; 879's rows not read
    assert "8610 error Primary need code is missing 3 2" in text
    assert "8825Q query Please check: RC8 without assessment 5 5" in text
    assert text.index("8610 error") < text.index("8825Q query")
    assert "1103" not in text and "99" not in text
    # a rule the extract cannot evaluate is named once, with what it lacks
    assert text.count("8770Q") == 1 and "8770Q (ssd_person.pers_upn)" in text


def test_readiness_view_matches_the_mart(published):
    _add_readiness(published)
    view = readiness_view(published / "csc_marts.duckdb", "878")
    assert view.available and view.census_year == 2017 and view.year_label == "2016-17"
    assert [(m.errors, m.queries, m.errors_to_date, m.queries_to_date) for m in view.months] == [
        (1, 4, 1, 4),
        (2, 1, 3, 5),
    ]
    assert (view.errors, view.queries) == (3, 5)
    assert [r.rule_code for r in view.rules] == ["8610", "8825Q"]
    assert view.not_evaluable == [("8770Q", "ssd_person.pers_upn")]
    assert readiness_view(published / "csc_marts.duckdb", "999").available is False
    assert readiness_view(published / "missing.duckdb", "878").available is False
