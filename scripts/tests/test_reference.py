"""The reference seeds: bank holidays, code lists, populations, neighbours and benchmarks.

Most checks read the committed CSVs, so they run on a fresh clone. Those that rebuild the
seeds from the DfE files skip when ../shared/reference (next to the repo) is not there.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest

from csc import paths
from csc.reference import (
    bank_holidays,
    cin_codes,
    refresh_reference,
    write_bank_holidays,
)

SEEDS = Path(paths.REPO_ROOT) / "seeds" / "reference"
# Tests that rebuild the seeds from DfE's source files run only when CSC_REFERENCE_DIR names the
# folder holding them (dfe/, cin_census/): the project itself never reads outside the repo.
SHARED_REFERENCE = Path(os.environ.get("CSC_REFERENCE_DIR", "/nonexistent"))
DFE_DIR = SHARED_REFERENCE / "dfe"

needs_shared_reference = pytest.mark.skipif(
    not DFE_DIR.is_dir(), reason="set CSC_REFERENCE_DIR to the DfE reference folder to run"
)

EXPECTED_COLUMNS = {
    "ref_bank_holidays.csv": ["holiday_date", "holiday_name"],
    "ref_cin_codes.csv": ["code_list", "code", "description", "first_year", "last_year", "is_retired", "note"],
    "ref_value_maps.csv": ["value_map", "value", "maps_to", "description"],
    "ref_population_0_17.csv": [
        "geographic_level",
        "area_code",
        "la_code",
        "area_name",
        "region_name",
        "mid_year",
        "population_0_17",
        "vintage",
        "source_file",
    ],
    "ref_statistical_neighbours.csv": [
        "la_code",
        "la_name",
        "neighbour_rank",
        "neighbour_la_code",
        "neighbour_la_name",
        "closeness",
        "list_section",
    ],
    "ref_la.csv": [
        "la_code",
        "la_name",
        "new_la_code",
        "region_code",
        "region_name",
        "sub_region_code",
        "sub_region_name",
        "is_current",
        "first_reporting_year",
        "last_reporting_year",
        "predecessor_la_codes",
        "successor_la_codes",
        "note",
    ],
    "ref_dfe_benchmarks.csv": [
        "measure_code",
        "reporting_year",
        "geographic_level",
        "area_code",
        "area_name",
        "value",
        "value_status",
        "is_derived",
        "source_measure",
        "source_file",
        "source_vintage",
        "population_vintage",
    ],
    "ref_cin_publication_dates.csv": ["reporting_year", "release_title", "publication_date", "source", "source_status"],
}

DEVON_NEIGHBOURS = ["933", "893", "838", "884", "908", "916", "935", "865", "885", "926"]


def read_seed(name: str, folder: Path = SEEDS) -> pd.DataFrame:
    # As text, the way dbt is told to load codes: '878' and '10' stay strings.
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


# --- bank holidays ---------------------------------------------------------------------------


def check_bank_holidays(frame: pd.DataFrame) -> None:
    dates = set(frame["holiday_date"])
    # Substitute days are in, the weekend date they replace is not.
    for day in ["2015-12-28", "2016-12-26", "2016-12-27", "2017-01-02"]:
        assert day in dates, day
    assert "2016-12-25" not in dates
    assert "2015-12-26" not in dates
    # One-off holidays.
    for day in ["2011-04-29", "2012-06-04", "2012-06-05", "2022-06-03", "2022-09-19", "2023-05-08"]:
        assert day in dates, day
    parsed = [dt.date.fromisoformat(d) for d in frame["holiday_date"]]
    assert all(d.weekday() < 5 for d in parsed), "a weekend date is listed"
    assert min(parsed).year == 2010 and max(parsed).year == 2035
    assert len(dates) == len(frame), "duplicate dates"
    assert (frame["holiday_name"] != "").all()


def test_committed_bank_holidays() -> None:
    check_bank_holidays(read_seed("ref_bank_holidays.csv"))


def test_write_bank_holidays_matches_committed_seed(tmp_path: Path) -> None:
    rows = write_bank_holidays(tmp_path)
    written = read_seed("ref_bank_holidays.csv", tmp_path)
    assert rows == len(written)
    check_bank_holidays(written)
    # The committed seed is exactly what the script writes (same pinned holidays package).
    assert (tmp_path / "ref_bank_holidays.csv").read_bytes() == (SEEDS / "ref_bank_holidays.csv").read_bytes()


def test_bank_holidays_every_year_has_christmas_and_boxing_day_off() -> None:
    frame = bank_holidays()
    for year in range(2010, 2036):
        days = frame[frame["holiday_date"].map(lambda d, year=year: d.year == year and d.month == 12)]
        # Two weekday days off at Christmas every year, whatever days 25/26 December fall on.
        assert len(days) == 2, (year, list(days["holiday_date"]))


def test_refresh_without_dfe_folder_writes_only_bank_holidays(tmp_path: Path) -> None:
    assert refresh_reference(None, tmp_path) == {"ref_bank_holidays.csv": 213, "ref_cin_publication_dates.csv": 13}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ref_bank_holidays.csv", "ref_cin_publication_dates.csv"]


# --- shape of every seed ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED_COLUMNS))
def test_seed_has_expected_columns(name: str) -> None:
    frame = read_seed(name)
    assert list(frame.columns) == EXPECTED_COLUMNS[name]
    assert len(frame) > 0


def test_seed_yaml_describes_every_seed_and_column() -> None:
    import yaml

    spec = yaml.safe_load((SEEDS / "_reference__seeds.yml").read_text())
    seeds = {s["name"]: s for s in spec["seeds"]}
    assert set(seeds) == {n.removesuffix(".csv") for n in EXPECTED_COLUMNS}
    for file_name, columns in EXPECTED_COLUMNS.items():
        seed = seeds[file_name.removesuffix(".csv")]
        assert seed["description"].strip()
        assert [c["name"] for c in seed["columns"]] == columns
        assert all(c.get("description") for c in seed["columns"])
        assert set(seed["config"]["column_types"]) == set(columns)
        source = seed["config"]["meta"]["source"]
        for entry in source if isinstance(source, list) else [source]:
            assert {"file", "publisher", "licence", "retrieved"} <= set(entry)


# --- code lists -------------------------------------------------------------------------------


def test_cin_code_lists() -> None:
    codes = read_seed("ref_cin_codes.csv")
    by_list = {name: rows.set_index("code") for name, rows in codes.groupby("code_list")}

    assert list(by_list["primary_need"].index) == [f"N{i}" for i in [1, 2, 3, 4, 5, 6, 7, 8, 9, 0]]
    assert set(by_list["closure_reason"].index) == {f"RC{i}" for i in range(1, 10)}
    assert by_list["closure_reason"].loc["RC9", "first_year"] == "2023"
    assert {"1A", "4", "5D", "10"} <= set(by_list["referral_source"].index)
    assert by_list["referral_source"].loc["5D", "first_year"] == "2023"
    assert set(by_list["cp_category"].index) == {"NEG", "PHY", "SAB", "EMO", "MUL"}
    assert set(by_list["sex"].index) == {"M", "F", "U"}
    assert set(by_list["gender_legacy"].index) == {"0", "1", "2", "9"}

    factors = by_list["assessment_factor"]
    for retired in ["18A", "19A"]:
        assert factors.loc[retired, "last_year"] == "2020"
        assert factors.loc[retired, "is_retired"] == "True"
    for new in ["18B", "18C", "19B", "19C"]:
        assert factors.loc[new, "first_year"] == "2021"
        assert factors.loc[new, "is_retired"] == "False"
    assert factors.loc["24A", "first_year"] == "2022"
    # how extract words map onto these codes is seed ref_value_maps (test_rules.py)


# --- populations, neighbours, LAs -------------------------------------------------------------


def test_devon_population_both_vintages() -> None:
    population = read_seed("ref_population_0_17.csv")
    devon_2015 = population[(population["la_code"] == "878") & (population["mid_year"] == "2015")]
    by_vintage = dict(zip(devon_2015["vintage"], devon_2015["population_0_17"].astype(int)))
    assert by_vintage == {"dfe_2018_annex": 142_591, "ons_rebased": 141_359}
    # The council report's rate: 482 children on CP plans / 142,591 x 10,000 = 33.8.
    assert round(482 / by_vintage["dfe_2018_annex"] * 10_000, 1) == 33.8


def test_devon_statistical_neighbours() -> None:
    neighbours = read_seed("ref_statistical_neighbours.csv")
    devon = neighbours[neighbours["la_code"] == "878"].sort_values("neighbour_rank", key=lambda s: s.astype(int))
    assert list(devon["neighbour_la_code"]) == DEVON_NEIGHBOURS
    assert list(devon["neighbour_rank"]) == [str(i) for i in range(1, 11)]


def test_every_la_code_used_by_another_seed_is_in_ref_la() -> None:
    las = set(read_seed("ref_la.csv")["la_code"])
    assert {"835", "836", "837", "838", "839", "928", "940", "941", "909", "942", "943", "878"} <= las
    assert all(len(code) == 3 for code in las)
    neighbours = read_seed("ref_statistical_neighbours.csv")
    benchmarks = read_seed("ref_dfe_benchmarks.csv")
    population = read_seed("ref_population_0_17.csv")
    assert set(neighbours["la_code"]) | set(neighbours["neighbour_la_code"]) <= las
    assert set(benchmarks.loc[benchmarks["geographic_level"] == "la", "area_code"]) <= las
    assert set(population.loc[population["geographic_level"] == "la", "la_code"]) <= las


# --- benchmarks -------------------------------------------------------------------------------


def benchmark(measure: str, year: int, area: str, vintage: str) -> float | None:
    rows = read_benchmarks()
    hit = rows[
        (rows["measure_code"] == measure)
        & (rows["reporting_year"] == str(year))
        & (rows["area_code"] == area)
        & (rows["source_vintage"] == vintage)
    ]
    assert len(hit) == 1, (measure, year, area, vintage, len(hit))
    return float(hit["value"].iloc[0]) if hit["value"].iloc[0] else None


_BENCHMARKS: pd.DataFrame | None = None


def read_benchmarks() -> pd.DataFrame:
    global _BENCHMARKS
    if _BENCHMARKS is None:
        _BENCHMARKS = read_seed("ref_dfe_benchmarks.csv")
    return _BENCHMARKS


ENGLAND, SOUTH_WEST, DEVON = "E92000001", "E12000009", "878"
EES, LAIT_2024 = "ees_cin_2025_revised", "lait_2024_11"


@pytest.mark.parametrize(
    ("measure", "year", "area", "vintage", "expected"),
    [
        # Council report comparators (2014-15 unless said).
        ("REREFERRALS_12M_PCT", 2015, SOUTH_WEST, EES, 24.6),
        ("REREFERRALS_12M_PCT", 2015, ENGLAND, EES, 24.2),  # 24.0 when first published: not in any file
        ("REREFERRALS_12M_PCT", 2015, ENGLAND, LAIT_2024, 24.2),
        ("ASSESSMENTS_45WD_PCT", 2015, ENGLAND, LAIT_2024, 81.5),
        ("ASSESSMENTS_45WD_PCT", 2015, SOUTH_WEST, LAIT_2024, 79.3),
        ("ASSESSMENTS_45WD_PCT", 2015, DEVON, LAIT_2024, 68.0),
        ("ASSESSMENTS_45WD_PCT", 2016, DEVON, LAIT_2024, 90.6),
        ("S47_TO_ICPC_DFE_PCT", 2015, DEVON, EES, 50.5),
        ("S47_TO_ICPC_DFE_PCT", 2015, SOUTH_WEST, EES, 48.7),
        ("CPP_REPEAT_PCT", 2015, ENGLAND, EES, 16.6),
        ("CPP_REPEAT_PCT", 2015, SOUTH_WEST, EES, 19.4),
        ("CPP_REPEAT_PCT", 2016, DEVON, EES, 22.4),
        ("CPP_CHILDREN", 2016, DEVON, EES, 714),
        ("S47_ENQUIRIES", 2016, DEVON, EES, 2061),
        ("CIN_RATE_10K", 2015, DEVON, LAIT_2024, 405.4),
        # Derived: Devon's 714 plans at 31 March 2016 / 142,591 (mid-2015, annex) x 10,000.
        ("CPP_RATE_10K", 2016, DEVON, "ees_cin_2025_revised+dfe_2018_annex_population", 50.1),
        ("ICPC_15WD_DFE_PCT", 2015, DEVON, EES, 68.9),
        ("ICPC_15WD_DFE_PCT", 2015, DEVON, LAIT_2024, 68.9),
    ],
)
def test_published_benchmarks(measure: str, year: int, area: str, vintage: str, expected: float) -> None:
    assert benchmark(measure, year, area, vintage) == pytest.approx(expected)


def test_suppressed_benchmarks_have_no_value() -> None:
    rows = read_benchmarks()
    ok = rows["value_status"] == "ok"
    assert (rows.loc[ok, "value"] != "").all()
    assert (rows.loc[~ok, "value"] == "").all()
    assert set(rows.loc[~ok, "value_status"]) <= {"c", "z", "x", ":", "u", "-", "low", "k"}


def test_devon_neighbour_mean_cin_rate_2015_reproduces_report() -> None:
    """'approximately 75 children in need per 10,000 more than our neighbours' (2014-15, LAIT)."""
    rows = read_benchmarks()
    cin = rows[
        (rows["measure_code"] == "CIN_RATE_10K")
        & (rows["reporting_year"] == "2015")
        & (rows["source_vintage"] == LAIT_2024)
        & (rows["value_status"] == "ok")
    ]
    values = dict(zip(cin["area_code"], cin["value"].astype(float)))
    # Before the 2019 reorganisation, Dorset in the neighbour list is the old county 835.
    neighbours = ["835" if code == "838" else code for code in DEVON_NEIGHBOURS]
    present = [values[c] for c in neighbours if c in values]
    gap = values[DEVON] - sum(present) / len(present)
    assert 74 <= gap <= 76


# --- rebuilding from the source files ---------------------------------------------------------


@needs_shared_reference
def test_refresh_reference_reproduces_committed_seeds(tmp_path: Path) -> None:
    written = refresh_reference(DFE_DIR, tmp_path)
    assert set(written) == set(EXPECTED_COLUMNS)
    for name in EXPECTED_COLUMNS:
        assert (tmp_path / name).read_bytes() == (SEEDS / name).read_bytes(), f"{name} is stale: rerun refresh"


@needs_shared_reference
def test_cin_codes_parsed_from_xsd() -> None:
    codes = cin_codes(SHARED_REFERENCE / "cin_census")
    factors = codes[codes["code_list"] == "assessment_factor"].set_index("code")
    # The transcription keeps 18A/19A in 2021+ schemas ("retained despite official schema
    # change"); they must still count as retired after 2020.
    assert factors.loc["18A", "last_year"] == 2020
    assert bool(factors.loc["18A", "is_retired"])
    assert pd.isna(factors.loc["24A", "last_year"])
