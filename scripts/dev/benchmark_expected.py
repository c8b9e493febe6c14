"""Expected published benchmark values, read straight from DfE's raw files.

An independent referee for the benchmark seed: for every benchmarked measure, a spread of
reporting years and areas (England, two regions, several councils including one reorganised
and one with suppressed figures), the value DfE published for that year on the basis the
scorecard compares with, worked out here from the raw files with its own code (not through
``csc.reference``), each with the source cells it came from.

    python scripts/dev/benchmark_expected.py /work/shared/reference/dfe   # rewrites the seed

The dbt test ``tests/kpi/assert_benchmarks_match_published.sql`` checks that the value the
scorecard would pick for each row (``int_kpi_benchmark_values``) equals it, and
``scripts/tests/test_benchmark_expected.py`` regenerates it from the raw files when
CSC_REFERENCE_DIR is set and compares it with the committed copy.
"""

from __future__ import annotations

import csv
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "seeds" / "kpi" / "benchmark_expected_values.csv"
COLUMNS = [
    "measure_code",
    "reporting_year",
    "geographic_level",
    "area_code",
    "population_vintage",
    "expected_value",
    "source",
]

YEARS = [2013, 2015, 2016, 2018, 2021, 2025]
# Devon, its neighbours Somerset, old (835, to 2019) and new (838, from 2020) Dorset, Birmingham,
# Wandsworth, City of London (small: suppressed cells), Norfolk.
COUNCILS = ["878", "933", "835", "838", "330", "212", "201", "926"]
REGIONS = {"E12000009": "South West", "E12000007": "London"}
ENGLAND = "E92000001"

# measure -> (file, column or formula); counts and percentages straight from EES.
EES_STRAIGHT = {
    "REFERRALS": ("c1", "referral_count"),
    "REREFERRALS_12M_PCT": ("c1", "rereferral_percent"),
    "S47_ENQUIRIES": ("c4", "Section47"),
    "ICPCS_DFE": ("c4", "ICPC"),
    "CPP_REPEAT_PCT": ("d3", "CPP_subsequent_percent"),
    "CPP_STARTED": ("d3", "CPP_start"),
    "CPP_CHILDREN": ("d5", "CPP_At31"),
    "CIN_CHILDREN": ("b1", "At31_episodes"),
}
FILES = {
    "b1": "b1_children_in_need_2013_to_2025.csv",
    "c1": "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "c4": "c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv",
    "d3": "d3_cpps_subsequent_plan_2013_to_2025.csv",
    "d5": "d5_cpps_at31march_by_duration_2013_to_2025.csv",
}
LAIT = "lait_csc_measures.csv"
ANNEX = "dfe_cin_2018_annex_population_0_17.csv"
LAIT_ONLY = {"ASSESSMENTS_45WD_PCT": "Continue_Assess_Comp"}
LAIT_RATES = {"CPP_RATE_10K": "CPP_rate", "CIN_RATE_10K": "CIN"}
ANNEX_RATES = {"CPP_RATE_10K": ("d5", "CPP_At31"), "CIN_RATE_10K": ("b1", "At31_episodes")}


def one_place(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def number(cell: str | None) -> Decimal | None:
    try:
        return Decimal(cell.strip())
    except (AttributeError, ArithmeticError, ValueError):
        return None


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def ees_index(rows: list[dict]) -> dict[tuple[int, str], dict]:
    """(year, area code) -> row, for England, the chosen regions and councils."""
    out = {}
    for r in rows:
        level = r["geographic_level"]
        if level == "National":
            area = ENGLAND
        elif level == "Regional":
            area = r["region_code"]
        elif level == "Local authority":
            area = r["old_la_code"]
        else:
            continue
        out[(int(r["time_period"]), area)] = r
    return out


def level_of(area: str) -> str:
    return "national" if area == ENGLAND else "regional" if area in REGIONS else "la"


def expected_rows(dfe: Path) -> list[dict]:
    ees = {key: ees_index(read(dfe / name)) for key, name in FILES.items()}
    areas = [ENGLAND, *REGIONS, *COUNCILS]
    rows: list[dict] = []

    def add(measure, year, area, vintage, value, source):
        if value is not None:
            rows.append(
                {
                    "measure_code": measure,
                    "reporting_year": year,
                    "geographic_level": level_of(area),
                    "area_code": area,
                    "population_vintage": vintage,
                    "expected_value": str(value),
                    "source": source,
                }
            )

    for year in YEARS:
        for area in areas:
            for measure, (key, column) in EES_STRAIGHT.items():
                r = ees[key].get((year, area))
                if r:
                    add(measure, year, area, "", number(r[column]), f"{FILES[key]} {column}")
            r = ees["c4"].get((year, area))
            if r:
                s47, icpc = number(r["Section47"]), number(r["ICPC"])
                early = [number(r["Duration_0-10_days"]), number(r["Duration_11-15_days"])]
                if s47 and icpc is not None:
                    add(
                        "S47_TO_ICPC_DFE_PCT",
                        year,
                        area,
                        "",
                        one_place(icpc * 100 / s47),
                        f"c4 ICPC {icpc} / Section47 {s47} x 100",
                    )
                if icpc and None not in early:
                    add(
                        "ICPC_15WD_DFE_PCT",
                        year,
                        area,
                        "",
                        one_place((early[0] + early[1]) * 100 / icpc),
                        f"c4 (Duration_0-10_days {early[0]} + Duration_11-15_days {early[1]}) / ICPC {icpc} x 100",
                    )

    # DfE's own 2016-era rates: counts over the population DfE used then (annex column Y is
    # the mid-(Y-1) estimate used for reporting year Y). Annex regions are named, not coded.
    annex = {}
    for r in read(dfe / ANNEX):
        code = ENGLAND if r["code"] == "ENGLAND" else next((c for c, n in REGIONS.items() if n == r["code"]), r["code"])
        annex[code] = r
    for measure, (key, column) in ANNEX_RATES.items():
        for year in YEARS:
            for area in areas:
                pop = number(annex.get(area, {}).get(str(year)))
                r = ees[key].get((year, area))
                count = number(r[column]) if r else None
                if pop and count is not None:
                    add(
                        measure,
                        year,
                        area,
                        "dfe_2018_annex",
                        one_place(count * 10000 / pop),
                        f"{FILES[key]} {column} {count} / {ANNEX} column {year} {pop} x 10000",
                    )

    # LAIT: the older snapshot first (the scorecard's preference), the other when it lacks a year.
    lait = read(dfe / LAIT)
    by_key: dict[tuple, Decimal] = {}
    for snapshot in ("lait_2026_04", "lait_2024_11"):  # later loop wins: 2024_11 preferred
        for r in lait:
            if r["snapshot"] != snapshot:
                continue
            area = (
                ENGLAND
                if r["area"] == "England"
                else next((c for c, n in REGIONS.items() if n == r["area"]), r["la_number"].split(".")[0])
            )
            value = number(r["value"])
            if value is not None:
                by_key[(r["measure"], int(r["year"]), area)] = (value, snapshot)
    for measure, lait_measure in {**LAIT_ONLY, **LAIT_RATES}.items():
        vintage = "ons_rebased" if measure in LAIT_RATES else ""
        for year in YEARS:
            for area in areas:
                hit = by_key.get((lait_measure, year, area))
                if hit:
                    add(measure, year, area, vintage, hit[0], f"{LAIT} {lait_measure} ({hit[1]})")
    return sorted(
        rows,
        key=lambda r: (
            r["measure_code"],
            r["population_vintage"],
            r["reporting_year"],
            r["geographic_level"],
            r["area_code"],
        ),
    )


def write(rows: list[dict], out: Path = OUT) -> None:
    with out.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: benchmark_expected.py DFE_DIR")
    result = expected_rows(Path(sys.argv[1]))
    write(result)
    print(f"{len(result)} expected values written to {OUT}")
