"""Rebuild the reference seeds (seeds/reference/*.csv) from their public sources.

The project builds from the committed CSVs; this module is how they were made, so every figure
can be traced back to a named file. `csc refresh-reference [--dfe-dir DIR]` calls
`refresh_reference`. Without the DfE folder only the bank holidays (from the `holidays`
package) are rewritten; the other seeds are left as committed.

Sources (all Open Government Licence v3.0 unless stated; see seeds/reference/_reference__seeds.yml):
  * holidays package (MIT), England and Wales bank holidays as published on gov.uk;
  * CIN census XML schemas CIN_schema_YYYY.xsd (DfE specification, transcribed by Social Finance);
  * DfE Explore Education Statistics, Children in need 2025 release: b1, c1, c4, d3, d5 and the
    ONS mid-year population estimates used by it;
  * DfE Characteristics of children in need 2017 to 2018, ANNEX population (pre-rebasing vintage);
  * DfE statistical neighbour model, April 2021;
  * DfE Local Authority Interactive Tool (LAIT), two snapshots.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

# Calendar range of the warehouse (dim_date covers the same years).
BANK_HOLIDAY_YEARS = range(2010, 2036)

ENGLAND_CODE = "E92000001"

# Markers the DfE files use instead of a number. Anything else non-numeric is an error.
#   c suppressed, z not applicable, x not available, : not available, u low reliability,
#   - LAIT's "no value" (LAIT does not say which of the above).
STATUS_MARKERS = {"c", "z", "x", ":", "u", "low", "k", "-"}

EES_VINTAGE = "ees_cin_2025_revised"
ANNEX_VINTAGE = "dfe_2018_annex"
REBASED_VINTAGE = "ons_rebased"

EES_FILES = {
    "b1": "b1_children_in_need_2013_to_2025.csv",
    "c1": "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "c4": "c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv",
    "d3": "d3_cpps_subsequent_plan_2013_to_2025.csv",
    "d5": "d5_cpps_at31march_by_duration_2013_to_2025.csv",
}
ONS_POPULATION_FILE = "ons_mid-year_population_estimates_2012_to_2024.csv"
ANNEX_POPULATION_FILE = "dfe_cin_2018_annex_population_0_17.csv"
NEIGHBOURS_FILE = "New_Statistical_Neighbour_Groupings_April_2021.csv"
LAIT_FILE = "lait_csc_measures.csv"

# Local government reorganisations that changed DfE LA numbers. The EES files report the old
# council up to the reporting year ending 31 March before the change and the new ones after.
REORGANISATIONS = {
    # old code: (new codes, date of the change, note)
    "835": (
        ("838", "839"),
        "2019-04-01",
        "Dorset County Council (pre-2019 county). Replaced on 1 April 2019 by the Dorset unitary "
        "(838) and, for Christchurch, by Bournemouth, Christchurch and Poole (839). DfE and LAIT "
        "report 835 up to reporting year 2019 (2018-19); LAIT statistical-neighbour lists use 835 "
        "in place of 838 for those years.",
    ),
    "836": (
        ("839",),
        "2019-04-01",
        "Borough of Poole. Merged into Bournemouth, Christchurch and Poole (839) on 1 April 2019.",
    ),
    "837": (
        ("839",),
        "2019-04-01",
        "Bournemouth. Merged into Bournemouth, Christchurch and Poole (839) on 1 April 2019.",
    ),
    "928": (
        ("940", "941"),
        "2021-04-01",
        "Northamptonshire County Council. Split on 1 April 2021 into North Northamptonshire (940) "
        "and West Northamptonshire (941); last reporting year 2021 (2020-21).",
    ),
    "909": (
        ("942", "943"),
        "2023-04-01",
        "Cumbria County Council. Split on 1 April 2023 into Cumberland (942) and Westmorland and "
        "Furness (943); last reporting year 2023 (2022-23).",
    ),
}
CODE_CHANGES = {
    "815": "North Yorkshire became a unitary council on 1 April 2023: same DfE number, new ONS code "
    "(E10000023 before, E06000065 after).",
    "933": "Somerset became a unitary council on 1 April 2023: same DfE number, new ONS code "
    "(E10000027 before, E06000066 after).",
    "825": "Buckinghamshire became a unitary council on 1 April 2020: same DfE number, new ONS code "
    "(E10000002 before, E06000060 after).",
    "390": "Gateshead's ONS code changed after a boundary correction (E08000020 before, E08000037 after).",
    "929": "Northumberland's ONS code changed after a boundary correction (E06000048 before, E06000057 after).",
}

# LAIT area numbers for England and the regions.
LAIT_REGION_NUMBERS = {
    "970": ("national", ENGLAND_CODE, "England"),
    "980": ("regional", "E12000001", "North East"),
    "981": ("regional", "E12000002", "North West"),
    "982": ("regional", "E12000003", "Yorkshire and The Humber"),
    "983": ("regional", "E12000004", "East Midlands"),
    "984": ("regional", "E12000005", "West Midlands"),
    "985": ("regional", "E12000006", "East of England"),
    "986": ("regional", "E12000007", "London"),
    "987": ("sub_regional", "E13000001", "Inner London"),
    "988": ("sub_regional", "E13000002", "Outer London"),
    "989": ("regional", "E12000008", "South East"),
    "990": ("regional", "E12000009", "South West"),
}
SUB_REGION_PARENT = {"E13000001": ("E12000007", "London"), "E13000002": ("E12000007", "London")}


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _round_half_up(value: float, places: int = 1) -> float:
    """Round as DfE publishes (0.05 goes up), not banker's rounding."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _parse_cell(raw: object) -> tuple[float | None, str]:
    """A DfE cell as (value, status): a number is 'ok'; a marker gives (None, marker)."""
    text = "" if raw is None or (isinstance(raw, float) and pd.isna(raw)) else str(raw).strip()
    if text.lower() in STATUS_MARKERS:
        return None, text.lower()
    if text == "":
        raise ValueError("blank cell where a number or a DfE marker was expected")
    number = float(text)
    # LAIT stores binary floats (68.900000000000006): published figures have at most 4 places.
    return round(number, 4), "ok"


def _code3(raw: object) -> str | None:
    """DfE LA number as three characters ('878'), from '878', '878.0' or 878."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)) or str(raw).strip() == "":
        return None
    return str(int(float(str(raw).strip())))


def _read_csv(path: Path) -> pd.DataFrame:
    # Everything as text: codes keep their leading zeros and markers are not lost.
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _write(frame: pd.DataFrame, out_dir: Path, name: str) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out_dir / name, index=False, lineterminator="\n")
    return len(frame)


def _geo_level(ees_level: str, region_code: str) -> str:
    if ees_level == "National":
        return "national"
    if ees_level == "Regional":
        return "sub_regional" if region_code.startswith("E13") else "regional"
    if ees_level == "Local authority":
        return "la"
    raise ValueError(f"unknown geographic_level {ees_level!r}")


# --------------------------------------------------------------------------------------------
# Bank holidays
# --------------------------------------------------------------------------------------------


def bank_holidays(years: Iterable[int] = BANK_HOLIDAY_YEARS) -> pd.DataFrame:
    """England and Wales bank holidays that fall on a weekday.

    `holidays` lists the fixed date (Christmas Day on a Sunday) AND the substitute day
    ("Christmas Day (observed)" on the Tuesday); only the weekday is a day off, so weekend
    dates are dropped and substitute days kept. One-off holidays (royal weddings, jubilees,
    the 2022 State Funeral, the 2023 coronation) are in the package.
    """
    import holidays

    calendar = holidays.country_holidays("GB", subdiv="ENG", years=list(years))
    rows = [(day, name) for day, name in sorted(calendar.items()) if day.weekday() < 5]
    return pd.DataFrame(rows, columns=["holiday_date", "holiday_name"])


def write_bank_holidays(out_dir: Path) -> int:
    """Write ref_bank_holidays.csv; needs only the `holidays` package."""
    frame = bank_holidays()
    frame["holiday_date"] = frame["holiday_date"].map(dt.date.isoformat)
    return _write(frame, Path(out_dir), "ref_bank_holidays.csv")


# --------------------------------------------------------------------------------------------
# CIN census code lists
# --------------------------------------------------------------------------------------------

XS = "{http://www.w3.org/2001/XMLSchema}"
# XSD simpleType name -> code_list in ref_cin_codes.
CIN_CODE_TYPES = {
    "referralsourcetype": "referral_source",
    "primaryneedcodetype": "primary_need",
    "reasonforclosuretype": "closure_reason",
    "categoryofabusetype": "cp_category",
    "ethnicitytype": "ethnicity",
    "disabilitytype": "disability",
    "assessmentfactorstype": "assessment_factor",
    "sextype": "sex",
    "gendertype": "gender_legacy",
}
# The transcription keeps some codes the DfE specification withdrew, marked in <xs:appinfo>;
# they are not valid in those years.
NOT_OFFICIAL_MARKER = "retained despite official schema change"

# How extract words map onto these codes (SSD category words, legacy gender to Sex) is the
# hand-written seed ref_value_maps (csc.value_maps), not derived from the schemas: not here.


def _clean_description(text: str) -> str:
    text = " ".join(text.split())
    # 5D reads "(LA SERVICES – early help" in the schema: an unmatched bracket, dropped.
    if text.startswith("(") and ")" not in text:
        text = text[1:]
    return text


def parse_cin_xsd(path: Path) -> list[dict]:
    """Code lists of one CIN census schema: (code_list, code, description, official) rows."""
    root = ET.parse(path).getroot()
    rows = []
    for simple_type in root.iter(f"{XS}simpleType"):
        code_list = CIN_CODE_TYPES.get(simple_type.get("name", ""))
        if code_list is None:
            continue
        for enum in simple_type.iter(f"{XS}enumeration"):
            doc = enum.find(f"{XS}annotation/{XS}documentation")
            appinfo = enum.find(f"{XS}annotation/{XS}appinfo")
            appinfo_text = (appinfo.text or "") if appinfo is not None else ""
            rows.append(
                {
                    "code_list": code_list,
                    "code": enum.get("value"),
                    "description": _clean_description(doc.text or "") if doc is not None else "",
                    "official": NOT_OFFICIAL_MARKER not in appinfo_text.lower(),
                }
            )
    return rows


def cin_codes(cin_dir: Path) -> pd.DataFrame:
    """All CIN census code lists with the collection years each code is valid in.

    first_year/last_year are collection years (year ending 31 March); null = open, i.e. the
    code is in the earliest (or latest) schema available, so its validity may extend further.
    """
    schemas = sorted(Path(cin_dir).glob("CIN_schema_*.xsd"))
    if not schemas:
        raise FileNotFoundError(f"no CIN_schema_YYYY.xsd in {cin_dir}")
    by_year = {int(p.stem.rsplit("_", 1)[1]): parse_cin_xsd(p) for p in schemas}
    first_schema, last_schema = min(by_year), max(by_year)

    codes: dict[tuple[str, str], dict] = {}
    for year in sorted(by_year):
        for row in by_year[year]:
            entry = codes.setdefault(
                (row["code_list"], row["code"]), {"years": [], "descriptions": {}, "unofficial_years": []}
            )
            if row["official"]:
                entry["years"].append(year)
                entry["descriptions"][year] = row["description"]
            else:
                entry["unofficial_years"].append(year)

    out = []
    for (code_list, code), entry in codes.items():
        years = entry["years"]
        if years != list(range(min(years), max(years) + 1)):
            raise ValueError(f"{code_list} {code}: not valid in a continuous run of years {years}")
        first = None if min(years) == first_schema else min(years)
        last = None if max(years) == last_schema else max(years)
        descriptions = entry["descriptions"]
        description = descriptions[max(years)]
        notes = []
        changed = sorted({(y, d) for y, d in descriptions.items() if d != description})
        if changed:
            before = changed[-1]
            notes.append(f"Described as '{before[1]}' up to {before[0]}.")
        if entry["unofficial_years"]:
            span = entry["unofficial_years"]
            notes.append(
                f"Withdrawn from the DfE specification after {max(years)}; the Social Finance "
                f"transcription still accepts it in {min(span)}-{max(span)} ('retained despite "
                "official schema change'), so late returns may carry it."
            )
        if code_list == "gender_legacy":
            notes.append(
                "GenderCurrent, replaced by Sex (M/F/U) from 2025; seed ref_value_maps (gender_legacy) maps it to Sex."
            )
        out.append(
            {
                "code_list": code_list,
                "code": code,
                "description": description,
                "first_year": first,
                "last_year": last,
                "is_retired": last is not None,
                "note": " ".join(notes) or None,
            }
        )
    frame = pd.DataFrame(out)
    for column in ("first_year", "last_year"):
        frame[column] = frame[column].astype("Int64")
    # Keep the schema's own order within a list (1A, 1B, ... 10), lists alphabetically: the
    # position in the latest schema that has the code (withdrawn-but-retained entries included).
    order: dict[tuple[str, str], int] = {}
    for year in sorted(by_year, reverse=True):
        for i, row in enumerate(by_year[year]):
            order.setdefault((row["code_list"], row["code"]), i)
    frame["_order"] = [order.get((r.code_list, r.code), 10_000 + i) for i, r in enumerate(frame.itertuples())]
    return frame.sort_values(["code_list", "_order"]).drop(columns="_order").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Local authorities, populations, statistical neighbours
# --------------------------------------------------------------------------------------------


def _ees_frames(dfe_dir: Path) -> dict[str, pd.DataFrame]:
    frames = {key: _read_csv(dfe_dir / name) for key, name in EES_FILES.items()}
    for frame in frames.values():
        frame["reporting_year"] = frame["time_period"].astype(int)
    return frames


def _ons_frame(dfe_dir: Path) -> pd.DataFrame:
    frame = _read_csv(dfe_dir / ONS_POPULATION_FILE)
    frame["mid_year"] = frame["time_period"].astype(int)
    return frame


def _region_of(region_code: str, region_name: str) -> tuple[str, str]:
    """An LA's English region: Inner/Outer London (E13) roll up to London (E12000007)."""
    return SUB_REGION_PARENT.get(region_code, (region_code, region_name))


def local_authorities(dfe_dir: Path) -> pd.DataFrame:
    """Every DfE LA number found in the EES, population, neighbour and LAIT files."""
    ees = _ees_frames(dfe_dir)
    ees_la = pd.concat(
        [f[f["geographic_level"] == "Local authority"].assign(source=k) for k, f in ees.items()],
        ignore_index=True,
    )
    latest_year = int(ees_la["reporting_year"].max())
    first_ees_year = int(ees_la["reporting_year"].min())
    lait = _read_csv(dfe_dir / LAIT_FILE)
    neighbours = _read_csv(dfe_dir / NEIGHBOURS_FILE)
    annex = _read_csv(dfe_dir / ANNEX_POPULATION_FILE)
    ons = _ons_frame(dfe_dir)

    records = []
    for la_code, rows in ees_la.groupby("old_la_code"):
        # Name and codes as of the LA's latest reporting year (c4 is the tie-break: all agree).
        latest = rows.sort_values(["reporting_year", "source"]).iloc[-1]
        first_year = int(rows["reporting_year"].min())
        last_year = int(rows["reporting_year"].max())
        is_current = last_year == latest_year
        region_code, region_name = _region_of(latest["region_code"], latest["region_name"])
        sub_region = latest["region_code"] if latest["region_code"].startswith("E13") else None
        notes = []
        if la_code in REORGANISATIONS:
            notes.append(REORGANISATIONS[la_code][2])
        predecessors = [old for old, (new, _, _) in REORGANISATIONS.items() if la_code in new]
        if predecessors:
            changed_on = REORGANISATIONS[predecessors[0]][1]
            notes.append(f"Created on {changed_on} from {', '.join(predecessors)} (see those rows).")
        if la_code in CODE_CHANGES:
            notes.append(CODE_CHANGES[la_code])
        if first_year > first_ees_year:
            notes.append(f"First reported for the year ending 31 March {first_year}.")
        records.append(
            {
                "la_code": la_code,
                "la_name": latest["la_name"],
                "new_la_code": latest["new_la_code"],
                "region_code": region_code,
                "region_name": region_name,
                "sub_region_code": sub_region,
                "sub_region_name": latest["region_name"] if sub_region else None,
                "is_current": is_current,
                "first_reporting_year": first_year,
                "last_reporting_year": None if is_current else last_year,
                "predecessor_la_codes": ",".join(predecessors) or None,
                "successor_la_codes": ",".join(REORGANISATIONS[la_code][0]) if la_code in REORGANISATIONS else None,
                "note": " ".join(notes) or None,
            }
        )
    frame = pd.DataFrame(records)

    # Two councils with one name (835 and 838 are both "Dorset" in EES): the abolished one
    # takes LAIT's name ("Dorset (Pre LG)") so a report can tell them apart.
    lait_names = {_code3(n): a for n, a in zip(lait["la_number"], lait["area"])}
    clash = frame["la_name"].duplicated(keep=False) & ~frame["is_current"]
    frame.loc[clash, "la_name"] = frame.loc[clash, "la_code"].map(lait_names)

    # Every code any other file uses must be here, or joins would silently drop rows.
    known = set(frame["la_code"])
    other_codes = (
        {c for c in (_code3(v) for v in lait["la_number"]) if c and c not in LAIT_REGION_NUMBERS}
        | {_code3(v) for v in neighbours["LA num"] if _code3(v)}
        | {c for c in annex["code"] if c.isdigit()}
        | set(ons.loc[ons["geographic_level"] == "Local authority", "old_la_code"])
    )
    missing = other_codes - known
    if missing:
        raise ValueError(f"LA codes in LAIT/neighbour/annex files but not in EES: {sorted(missing)}")
    for column in ("first_reporting_year", "last_reporting_year"):
        frame[column] = frame[column].astype("Int64")
    return frame.sort_values("la_code").reset_index(drop=True)


def population_0_17(dfe_dir: Path) -> pd.DataFrame:
    """Children aged 0-17, England/regions/LAs, both vintages, one row per area and mid-year."""
    ons = _ons_frame(dfe_dir)
    rows = []
    for r in ons.itertuples():
        value, status = _parse_cell(r.population_estimate)
        if status != "ok":
            # 835/836/837 are 'x' in the rebased series (it is on post-2019 boundaries).
            continue
        level = _geo_level(r.geographic_level, r.region_code)
        if level == "national":
            area_code, name, region = ENGLAND_CODE, "England", None
        elif level in ("regional", "sub_regional"):
            area_code, name = r.region_code, r.region_name
            region = SUB_REGION_PARENT.get(r.region_code, (None, r.region_name))[1]
        else:
            area_code, name = r.new_la_code, r.la_name
            region = _region_of(r.region_code, r.region_name)[1]
        rows.append(
            {
                "geographic_level": level,
                "area_code": area_code,
                "la_code": r.old_la_code if level == "la" else None,
                "area_name": name,
                "region_name": region,
                "mid_year": r.mid_year,
                "population_0_17": int(value),
                "vintage": REBASED_VINTAGE,
                "source_file": ONS_POPULATION_FILE,
            }
        )

    # The annex is keyed by DfE LA number (LAs) or by name (England, regions); its column Y is
    # the mid-(Y-1) estimate DfE used for the reporting year ending 31 March Y.
    annex = _read_csv(dfe_dir / ANNEX_POPULATION_FILE)
    la_lookup = ons[ons["geographic_level"] == "Local authority"].set_index(["old_la_code", "mid_year"])[
        ["new_la_code", "la_name", "region_code", "region_name"]
    ]
    regions = ons[ons["geographic_level"] == "Regional"].drop_duplicates("region_code")
    region_lookup = dict(zip(regions["region_name"].str.lower(), regions["region_code"]))
    year_columns = [c for c in annex.columns if c.isdigit()]
    for r in annex.to_dict("records"):
        for column in year_columns:
            mid_year = int(column) - 1
            value, status = _parse_cell(r[column])
            if status != "ok":
                continue
            if r["code"].isdigit():
                la = la_lookup.loc[(r["code"], mid_year)]
                rows.append(
                    {
                        "geographic_level": "la",
                        "area_code": la["new_la_code"],
                        "la_code": r["code"],
                        "area_name": la["la_name"],
                        "region_name": _region_of(la["region_code"], la["region_name"])[1],
                        "mid_year": mid_year,
                        "population_0_17": int(value),
                        "vintage": ANNEX_VINTAGE,
                        "source_file": ANNEX_POPULATION_FILE,
                    }
                )
            elif r["code"].upper() == "ENGLAND":
                rows.append(
                    {
                        "geographic_level": "national",
                        "area_code": ENGLAND_CODE,
                        "la_code": None,
                        "area_name": "England",
                        "region_name": None,
                        "mid_year": mid_year,
                        "population_0_17": int(value),
                        "vintage": ANNEX_VINTAGE,
                        "source_file": ANNEX_POPULATION_FILE,
                    }
                )
            else:
                region_code = region_lookup[r["code"].lower()]
                ons_name = ons.loc[ons["region_code"] == region_code, "region_name"].iloc[0]
                rows.append(
                    {
                        "geographic_level": "sub_regional" if region_code.startswith("E13") else "regional",
                        "area_code": region_code,
                        "la_code": None,
                        "area_name": ons_name,
                        "region_name": SUB_REGION_PARENT.get(region_code, (None, ons_name))[1],
                        "mid_year": mid_year,
                        "population_0_17": int(value),
                        "vintage": ANNEX_VINTAGE,
                        "source_file": ANNEX_POPULATION_FILE,
                    }
                )
    frame = pd.DataFrame(rows)
    level_order = {"national": 0, "regional": 1, "sub_regional": 2, "la": 3}
    frame["_level"] = frame["geographic_level"].map(level_order)
    frame = frame.sort_values(["vintage", "_level", "area_code", "la_code", "mid_year"]).drop(columns="_level")
    return frame.reset_index(drop=True)


def statistical_neighbours(dfe_dir: Path) -> pd.DataFrame:
    """Each LA's ten statistical neighbours (April 2021 model), long format, in rank order.

    The file has the 152 councils of April 2021 and, under "Old SNs:", the councils abolished
    by then (835, 836, 837) and Northamptonshire (928); both are kept (list_section says which).
    """
    raw = pd.read_csv(dfe_dir / NEIGHBOURS_FILE, dtype=str, keep_default_na=False, encoding="utf-8-sig", header=None)
    header = list(raw.iloc[0])
    sn_columns = [i for i, h in enumerate(header) if h.startswith("SN") and h[2:].isdigit()]
    names = {}
    section = "april_2021"
    parsed = []
    for _, row in raw.iloc[1:].iterrows():
        if row[1].strip().lower().startswith("old sns"):
            section = "old_councils"
            continue
        la_code = _code3(row[0])
        if not la_code:
            continue
        names[la_code] = row[1].strip()
        for i in sn_columns:
            rank = int(header[i][2:])
            parsed.append(
                {
                    "la_code": la_code,
                    "la_name": row[1].strip(),
                    "neighbour_rank": rank,
                    "neighbour_la_code": _code3(row[i]),
                    "closeness": row[i + 1].strip(),
                    "list_section": section,
                }
            )
    frame = pd.DataFrame(parsed)
    frame["neighbour_la_name"] = frame["neighbour_la_code"].map(names)
    columns = [
        "la_code",
        "la_name",
        "neighbour_rank",
        "neighbour_la_code",
        "neighbour_la_name",
        "closeness",
        "list_section",
    ]
    return frame[columns].sort_values(["la_code", "neighbour_rank"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Published benchmarks
# --------------------------------------------------------------------------------------------

BENCHMARK_COLUMNS = [
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
]
# The population a published rate divides by: LAIT's rates use the rebased ONS series, the
# rates derived here the DfE 2018 annex. The scorecard sets a council's rate only beside
# comparators on the population vintage it used itself.
RATE_MEASURES = {"CIN_RATE_10K", "CPP_RATE_10K", "REFERRALS_RATE_10K", "S47_RATE_10K", "ICPC_RATE_10K"}

# EES column -> measure code, straight copies.
EES_MEASURES = [
    ("c1", "referral_count", "REFERRALS"),
    ("c1", "rereferral_percent", "REREFERRALS_12M_PCT"),
    ("c4", "Section47", "S47_ENQUIRIES"),
    # DfE's ICPC count: conferences inside the council's own S47 record, so never a
    # transfer-in (compared with ICPCS_DFE, not the council's ICPCS, which includes them).
    ("c4", "ICPC", "ICPCS_DFE"),
    ("d3", "CPP_subsequent_percent", "CPP_REPEAT_PCT"),
    ("d3", "CPP_start", "CPP_STARTED"),
    ("d5", "CPP_At31", "CPP_CHILDREN"),
    # b1 gives the 31 March figure only as episodes. A child cannot have two open CIN episodes
    # on one date, so it is also the number of children, and it is the count DfE and LAIT divide
    # by the population for the CIN rate (checked: LAIT 'CIN' = At31_episodes / mid-(Y-1)).
    ("b1", "At31_episodes", "CIN_CHILDREN"),
]

# LAIT measure -> measure code. LAIT's rates divide by the rebased ONS mid-(Y-1) estimate
# (checked: 97-99% of LAs reproduce). Section_47 and ISCP_Conf are rates, not counts.
LAIT_MEASURES = {
    "ReReferral": "REREFERRALS_12M_PCT",
    "PrevRegCPR": "CPP_REPEAT_PCT",
    "CP_conf_15days": "ICPC_15WD_DFE_PCT",
    "Continue_Assess_Comp": "ASSESSMENTS_45WD_PCT",  # the only public source of this measure
    "CIN": "CIN_RATE_10K",
    "CPP_rate": "CPP_RATE_10K",
    "CPP_Total_Rateper10,000": "REFERRALS_RATE_10K",
    "Section_47": "S47_RATE_10K",
    "ISCP_Conf": "ICPC_RATE_10K",
}
# Counts already in the EES files (same values); not repeated from LAIT.
LAIT_SKIPPED = {"CPP_Num", "CPP_Total_NumRef", "DeRegCPR"}


def _ees_area(r) -> tuple[str, str, str]:
    level = _geo_level(r["geographic_level"], r["region_code"])
    if level == "national":
        return level, ENGLAND_CODE, "England"
    if level in ("regional", "sub_regional"):
        return level, r["region_code"], r["region_name"]
    return level, r["old_la_code"], r["la_name"]


def _combined_status(statuses: list[str]) -> str:
    """Status of a figure derived from several cells: the first problem wins."""
    for status in statuses:
        if status != "ok":
            return status
    return "ok"


def _ees_benchmarks(dfe_dir: Path) -> list[dict]:
    ees = _ees_frames(dfe_dir)
    rows = []
    for key, column, measure in EES_MEASURES:
        for r in ees[key].to_dict("records"):
            level, area_code, area_name = _ees_area(r)
            value, status = _parse_cell(r[column])
            rows.append(
                {
                    "measure_code": measure,
                    "reporting_year": r["reporting_year"],
                    "geographic_level": level,
                    "area_code": area_code,
                    "area_name": area_name,
                    "value": value,
                    "value_status": status,
                    "is_derived": False,
                    "source_measure": column,
                    "source_file": EES_FILES[key],
                    "source_vintage": EES_VINTAGE,
                }
            )

    bands = ["Duration_0-10_days", "Duration_11-15_days", "Duration_16-20_days", "Duration_21+_days"]
    for r in ees["c4"].to_dict("records"):
        level, area_code, area_name = _ees_area(r)
        s47, s47_status = _parse_cell(r["Section47"])
        icpc, icpc_status = _parse_cell(r["ICPC"])
        # S47 -> ICPC conversion: ICPCs / section 47 enquiries (both counts in the year).
        status = _combined_status([s47_status, icpc_status])
        value = None
        if status == "ok":
            status, value = ("z", None) if s47 == 0 else ("ok", _round_half_up(icpc / s47 * 100))
        rows.append(
            {
                "measure_code": "S47_TO_ICPC_DFE_PCT",
                "reporting_year": r["reporting_year"],
                "geographic_level": level,
                "area_code": area_code,
                "area_name": area_name,
                "value": value,
                "value_status": status,
                "is_derived": True,
                "source_measure": "ICPC / Section47 * 100",
                "source_file": EES_FILES["c4"],
                "source_vintage": EES_VINTAGE,
            }
        )
        # ICPCs within 15 working days of the strategy discussion: the 0-10 and 11-15 day bands
        # over all ICPCs. ICPC (not the total of the bands) is the denominator: it reproduces
        # LAIT's CP_conf_15days for 95% of LAs, the band total for only 82%.
        early = [_parse_cell(r[b]) for b in bands[:2]]
        status = _combined_status([s for _, s in early] + [icpc_status])
        value = None
        if status == "ok":
            status, value = (
                ("z", None) if icpc == 0 else ("ok", _round_half_up((early[0][0] + early[1][0]) / icpc * 100))
            )
        rows.append(
            {
                "measure_code": "ICPC_15WD_DFE_PCT",
                "reporting_year": r["reporting_year"],
                "geographic_level": level,
                "area_code": area_code,
                "area_name": area_name,
                "value": value,
                "value_status": status,
                "is_derived": True,
                "source_measure": "(Duration_0-10_days + Duration_11-15_days) / ICPC * 100",
                "source_file": EES_FILES["c4"],
                "source_vintage": EES_VINTAGE,
            }
        )
    return rows


def _derived_rates(dfe_dir: Path, population: pd.DataFrame) -> list[dict]:
    """Rates per 10,000 from EES counts and the population DfE used when it first published.

    LAIT's rates use the population vintage current at each snapshot (rebased ONS). The 2016-era
    publications divided by the pre-rebasing estimates (annex vintage), which cover reporting
    years 2013-2018; these rows give those rates (and the years LAIT no longer holds, 2013-2014).
    """
    ees = _ees_frames(dfe_dir)
    annex = population[population["vintage"] == ANNEX_VINTAGE]
    pop = {
        (r.area_code if r.geographic_level != "la" else r.la_code, r.mid_year): r.population_0_17
        for r in annex.itertuples()
    }
    specs = [
        ("b1", "At31_episodes", "CIN_RATE_10K"),
        ("d5", "CPP_At31", "CPP_RATE_10K"),
        ("c1", "referral_count", "REFERRALS_RATE_10K"),
    ]
    rows = []
    for key, column, measure in specs:
        for r in ees[key].to_dict("records"):
            level, area_code, area_name = _ees_area(r)
            denominator = pop.get((area_code, r["reporting_year"] - 1))
            if denominator is None:
                continue
            count, status = _parse_cell(r[column])
            value = _round_half_up(count / denominator * 10_000) if status == "ok" else None
            rows.append(
                {
                    "measure_code": measure,
                    "reporting_year": r["reporting_year"],
                    "geographic_level": level,
                    "area_code": area_code,
                    "area_name": area_name,
                    "value": value,
                    "value_status": status,
                    "is_derived": True,
                    "source_measure": f"{column} / {denominator} (0-17, mid-{r['reporting_year'] - 1}) * 10000",
                    "source_file": f"{EES_FILES[key]}; {ANNEX_POPULATION_FILE}",
                    "source_vintage": f"{EES_VINTAGE}+{ANNEX_VINTAGE}_population",
                    "population_vintage": ANNEX_VINTAGE,
                }
            )
    return rows


def _lait_benchmarks(dfe_dir: Path) -> list[dict]:
    lait = _read_csv(dfe_dir / LAIT_FILE)
    unknown = set(lait["measure"]) - set(LAIT_MEASURES) - LAIT_SKIPPED
    if unknown:
        raise ValueError(f"LAIT measures with no mapping: {sorted(unknown)}")
    rows = []
    for r in lait[lait["measure"].isin(list(LAIT_MEASURES))].to_dict("records"):
        measure = LAIT_MEASURES[r["measure"]]
        number = _code3(r["la_number"])
        if number in LAIT_REGION_NUMBERS:
            level, area_code, area_name = LAIT_REGION_NUMBERS[number]
        else:
            level, area_code, area_name = "la", number, r["area"]
        value, status = _parse_cell(r["value"])
        rows.append(
            {
                "measure_code": measure,
                "reporting_year": int(r["year"]),
                "geographic_level": level,
                "area_code": area_code,
                "area_name": area_name,
                "value": value,
                "value_status": status,
                "is_derived": False,
                "source_measure": r["measure"],
                "source_file": LAIT_FILE,
                "source_vintage": r["snapshot"],
                "population_vintage": REBASED_VINTAGE if measure in RATE_MEASURES else None,
            }
        )
    return rows


def dfe_benchmarks(dfe_dir: Path, population: pd.DataFrame | None = None) -> pd.DataFrame:
    """Published comparators in one long table; each row names its file and vintage."""
    population = population if population is not None else population_0_17(dfe_dir)
    frame = pd.DataFrame(
        _ees_benchmarks(dfe_dir) + _derived_rates(dfe_dir, population) + _lait_benchmarks(dfe_dir),
        columns=BENCHMARK_COLUMNS,
    )
    key = ["measure_code", "reporting_year", "geographic_level", "area_code", "source_vintage"]
    duplicated = frame[frame.duplicated(key, keep=False)]
    if len(duplicated):
        raise ValueError(f"duplicate benchmark keys:\n{duplicated.head()}")
    level_order = {"national": 0, "regional": 1, "sub_regional": 2, "la": 3}
    frame["_level"] = frame["geographic_level"].map(level_order)
    frame = frame.sort_values(["measure_code", "source_vintage", "reporting_year", "_level", "area_code"])
    return frame.drop(columns="_level").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Publication dates of the annual children in need statistics
# --------------------------------------------------------------------------------------------

PUBLICATION_DATE_COLUMNS = ["reporting_year", "release_title", "publication_date", "source", "source_status"]
GOV_UK = "https://www.gov.uk/government/statistics/"
EES = "https://explore-education-statistics.service.gov.uk/find-statistics/children-in-need/"
# (reporting year = year ending 31 March, title, first publication date, where the date is from,
# how it was established). The reference folder holds no release metadata, so each date is
# from the release's own page or front sheet where that was read ("release page"), otherwise
# DfE's release calendar as known to the maintainers ("release calendar, not re-checked"):
# check those against the release page before relying on a benchmark switch in that week.
PUBLICATION_DATES = [
    (
        2013,
        "Characteristics of children in need: 2012 to 2013 (SFR45/2013)",
        "2013-10-31",
        GOV_UK + "characteristics-of-children-in-need-in-england-2012-to-2013",
        "release calendar, not re-checked",
    ),
    (
        2014,
        "Characteristics of children in need: 2013 to 2014 (SFR43/2014)",
        "2014-10-29",
        "SFR 43/2014 front sheet: 'Date 29 October 2014'",
        "release page",
    ),
    (
        2015,
        "Characteristics of children in need: 2014 to 2015 (SFR41/2015)",
        "2015-10-22",
        "SFR 41/2015 front sheet: '22 October 2015'",
        "release page",
    ),
    (
        2016,
        "Characteristics of children in need: 2015 to 2016 (SFR52/2016)",
        "2016-11-03",
        GOV_UK + "characteristics-of-children-in-need-2015-to-2016",
        "release calendar, not re-checked",
    ),
    (
        2017,
        "Characteristics of children in need: 2016 to 2017 (SFR61/2017)",
        "2017-11-02",
        GOV_UK + "characteristics-of-children-in-need-2016-to-2017",
        "release calendar, not re-checked",
    ),
    (
        2018,
        "Characteristics of children in need: 2017 to 2018",
        "2018-10-25",
        GOV_UK + "characteristics-of-children-in-need-2017-to-2018 ('Published 25 October 2018')",
        "release page",
    ),
    (
        2019,
        "Characteristics of children in need: 2018 to 2019",
        "2019-10-31",
        GOV_UK + "characteristics-of-children-in-need-2018-to-2019",
        "release calendar, not re-checked",
    ),
    (
        2020,
        "Characteristics of children in need, reporting year 2020",
        "2020-10-29",
        EES + "2020",
        "release calendar, not re-checked",
    ),
    (2021, "Children in need, reporting year 2021", "2021-10-28", EES + "2021", "release calendar, not re-checked"),
    (2022, "Children in need, reporting year 2022", "2022-10-27", EES + "2022", "release calendar, not re-checked"),
    (2023, "Children in need, reporting year 2023", "2023-10-26", EES + "2023", "release calendar, not re-checked"),
    (2024, "Children in need, reporting year 2024", "2024-10-31", EES + "2024", "release calendar, not re-checked"),
    (2025, "Children in need, reporting year 2025", "2025-10-30", EES + "2025", "release calendar, not re-checked"),
]


def publication_dates() -> pd.DataFrame:
    return pd.DataFrame(PUBLICATION_DATES, columns=PUBLICATION_DATE_COLUMNS)


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def refresh_reference(dfe_dir: Path | None, out_dir: Path, cin_dir: Path | None = None) -> dict[str, int]:
    """Rewrite the reference seeds; returns rows written per file.

    dfe_dir: the DfE folder (../shared/reference/dfe). None (or missing) = bank holidays only.
    cin_dir: the CIN census schemas; default: `cin_census` next to dfe_dir.
    """
    out_dir = Path(out_dir)
    written = {
        "ref_bank_holidays.csv": write_bank_holidays(out_dir),
        "ref_cin_publication_dates.csv": _write(publication_dates(), out_dir, "ref_cin_publication_dates.csv"),
    }
    if dfe_dir is None or not Path(dfe_dir).is_dir():
        return written
    dfe_dir = Path(dfe_dir)
    cin_dir = Path(cin_dir) if cin_dir else dfe_dir.parent / "cin_census"
    if cin_dir.is_dir():
        written["ref_cin_codes.csv"] = _write(cin_codes(cin_dir), out_dir, "ref_cin_codes.csv")
    population = population_0_17(dfe_dir)
    written["ref_la.csv"] = _write(local_authorities(dfe_dir), out_dir, "ref_la.csv")
    written["ref_population_0_17.csv"] = _write(population, out_dir, "ref_population_0_17.csv")
    written["ref_statistical_neighbours.csv"] = _write(
        statistical_neighbours(dfe_dir), out_dir, "ref_statistical_neighbours.csv"
    )
    written["ref_dfe_benchmarks.csv"] = _write(dfe_benchmarks(dfe_dir, population), out_dir, "ref_dfe_benchmarks.csv")
    return written
