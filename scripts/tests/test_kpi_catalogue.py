"""The KPI catalogue (seeds/kpi) read by people: plain-English columns, DfE-basis pairs, caveats,
publication dates, and the benchmark referee's expected values."""

from __future__ import annotations

import csv
import importlib.util
import os
import re
from pathlib import Path

import pytest

from csc import paths

KPI = paths.SEEDS_DIR / "kpi"
REPO = paths.SEEDS_DIR.parent
SHARED_REFERENCE = Path(os.environ.get("CSC_REFERENCE_DIR", "/nonexistent"))


def rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


CATALOGUE = rows(KPI / "kpi_definitions.csv")
BY_CODE = {r["kpi_code"]: r for r in CATALOGUE}
CODES = set(BY_CODE)

# What a head of service should never meet in a plain-English column.
SQL_WORDS = re.compile(r"\b(null|select|coalesce|flag|kpi|id|icpc|s47|nfa|cina|cppl|cine|json)\b", re.IGNORECASE)


@pytest.mark.parametrize("column", ["definition_plain", "why_it_matters"])
@pytest.mark.parametrize("code", sorted(CODES))
def test_plain_english_columns_have_no_codes_columns_or_sql(code: str, column: str) -> None:
    text = BY_CODE[code][column]
    assert text.strip(), f"{code}.{column} is empty"
    assert "_" not in text, f"{code}.{column} names a column or code: {text}"
    assert not re.search(r"[=<>]", text), f"{code}.{column} reads like SQL: {text}"
    assert not SQL_WORDS.search(text), f"{code}.{column}: {SQL_WORDS.search(text).group(0)!r} in {text}"
    assert not any(c in text for c in CODES), f"{code}.{column} quotes a KPI code"
    assert text.endswith("."), f"{code}.{column} is not a sentence"


def test_dfe_basis_pairs_are_complete_and_explained() -> None:
    pairs = {r["kpi_code"]: r["dfe_basis_kpi_code"] for r in CATALOGUE if r["dfe_basis_kpi_code"]}
    assert pairs == {
        "S47_TO_ICPC_PCT": "S47_TO_ICPC_DFE_PCT",
        "ICPC_15WD_PCT": "ICPC_15WD_DFE_PCT",
        "ICPCS": "ICPCS_DFE",
    }
    for council, dfe in pairs.items():
        c, d = BY_CODE[council], BY_CODE[dfe]
        assert (c["comparison_basis"], d["comparison_basis"]) == ("council", "dfe")
        # The benchmark sits only beside the DfE-basis figure.
        assert not c["benchmark_measure_code"] and d["benchmark_measure_code"] == dfe
        # One plain sentence, the same on both rows, saying why two figures exist.
        note = c["two_figures_note"]
        assert note and note == d["two_figures_note"] and note.count(". ") == 0 and note.endswith(".")
        assert "_" not in note
    # Every benchmarked measure is on DfE's basis.
    for r in CATALOGUE:
        if r["benchmark_measure_code"]:
            assert r["comparison_basis"] == "dfe", r["kpi_code"]


def test_catalogue_codes_match_the_sql_that_emits_them() -> None:
    """A static check (the dbt tests check the built tables): every code the KPI SQL writes as a
    literal is in the catalogue and every catalogue code is written by exactly one of the two
    KPI models, flows or stocks, as its measure_type says."""
    emitted = {}
    for model, kind in (("int_kpi_monthly_flows", "flow"), ("int_kpi_month_end_stocks", "stock")):
        sql = (REPO / "models" / "intermediate" / "kpi" / f"{model}.sql").read_text()
        for code in re.findall(r"'([A-Z][A-Z0-9_]+)'", sql):
            emitted.setdefault(code, set()).add(kind)
    assert set(emitted) == CODES
    for code, kinds in emitted.items():
        assert kinds == {BY_CODE[code]["measure_type"]}, code


def test_caveat_texts_live_in_the_seed_not_the_sql() -> None:
    codes = {r["caveat_code"] for r in rows(KPI / "kpi_caveats.csv")}
    sql = (REPO / "models" / "marts" / "kpi" / "kpi_values.sql").read_text()
    sql += (REPO / "models" / "intermediate" / "kpi" / "int_kpi_benchmarks.sql").read_text()
    used = set(re.findall(r"caveat_code = '(\w+)'", sql)) | set(re.findall(r"caveat_texts\.(\w+)", sql))
    used |= set(re.findall(r"for code in \[([^\]]+)\]", sql, re.S)[0].replace("'", "").replace(",", " ").split())
    assert used <= codes
    assert "Provisional:" not in sql and "No benchmark" not in sql


def test_provisional_measures_wait_on_a_later_event() -> None:
    provisional = {r["kpi_code"] for r in CATALOGUE if r["provisional_window_days"]}
    assert provisional == {"REFERRALS_TO_ASSESSMENT_PCT", "S47_TO_ICPC_PCT", "EH_ASSESSMENTS_QUALIFYING"}
    for code in provisional:
        assert BY_CODE[code]["provisional_waits_for"]


def test_publication_dates_cover_every_benchmark_year_with_a_source() -> None:
    dates = rows(paths.SEEDS_DIR / "reference" / "ref_cin_publication_dates.csv")
    years = [int(r["reporting_year"]) for r in dates]
    assert years == list(range(2013, 2026))
    for r in dates:
        assert r["source"] and r["source_status"] in {"release page", "release calendar, not re-checked"}
        # Published in the autumn after the year ending 31 March.
        assert r["publication_date"][:4] == r["reporting_year"] and r["publication_date"][5:7] in {"10", "11"}
    by_year = {int(r["reporting_year"]): r["publication_date"] for r in dates}
    assert by_year[2015] == "2015-10-22"  # the example: not 1 November


def _load_referee():
    path = REPO / "scripts" / "dev" / "benchmark_expected.py"
    spec = importlib.util.spec_from_file_location("benchmark_expected", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_expected_benchmarks_cover_every_benchmarked_measure() -> None:
    expected = rows(KPI / "benchmark_expected_values.csv")
    measures = {r["measure_code"] for r in expected}
    benchmarked = {r["benchmark_measure_code"] for r in CATALOGUE if r["benchmark_measure_code"]}
    assert benchmarked <= measures
    for measure in benchmarked:
        mine = [r for r in expected if r["measure_code"] == measure]
        assert len({r["reporting_year"] for r in mine}) >= 3, measure
        assert {r["geographic_level"] for r in mine} >= {"national", "la"}, measure
        assert all(r["source"] for r in mine)


@pytest.mark.skipif(not (SHARED_REFERENCE / "dfe").is_dir(), reason="set CSC_REFERENCE_DIR to run")
def test_expected_benchmarks_are_reproduced_from_the_raw_files() -> None:
    referee = _load_referee()
    fresh = referee.expected_rows(SHARED_REFERENCE / "dfe")
    committed = rows(KPI / "benchmark_expected_values.csv")
    assert [{k: str(v) for k, v in r.items()} for r in fresh] == committed


def test_report_never_calls_a_provisional_dip_a_deterioration() -> None:
    from csc.report import sentences

    base = {
        "name": "Early help assessments under the multi-agency rule",
        "unit": "count",
        "polarity": "higher_is_better",
        "value": 143.0,
        "period": "in 2016-17 Q2",
        "previous_value": 199.0,
        "previous_period": "in 2015-16 Q2",
    }
    assert "a deterioration" in sentences.trend_sentence(sentences.Measure(**base))
    text = sentences.trend_sentence(sentences.Measure(**base, provisional=True))
    assert "deteriorat" not in text and "provisional" in text
