"""Synthetic SSD extracts for the demo, the tests and load tests: `csc generate`.

`generate_extract()` writes `<out>/la_code=<NNN>/<table>.csv` for every table of the raw contract
(csc.contract: the header is exactly the contract's column names) and `<out>/SYNTHETIC_DEMO_DATA.txt`
saying what the data is and the options it was made with. No real person is in it: ids are
sequence numbers (P0001234, REF0001234, ...), names are "Synthetic" / "Child0001234".

What is simulated, council by council and one child's career at a time
    Referrals fall on working days (no weekends, no England & Wales bank holidays), fewer in
    school holidays (August above all, Christmas and Easter). Each referral comes through a
    contact a day or so before (contacts fall on any day) and opens a CIN episode. About one
    referral in eleven is no further action; the rest get a single assessment, authorised
    mostly within 45 working days (some within 15), and then
      - no further action (about half of all assessments; some stepped down to early help), or
      - a CIN plan, or services without a plan, or
      - a strategy discussion and S47 enquiry (at referral or during the assessment) ending in
        no further action, continued CIN work, or an initial child protection conference, mostly
        10-20 working days after the strategy discussion. Most conferences start a CP plan,
        reviewed at about 3 months and then every 6 months, ending at a review and often
        stepping down to a CIN plan before the episode closes (RC1-RC8).
    When an episode closes the child may be referred again: about a quarter of referrals follow
    another referral of the same child within 12 months, and children who have had a CP plan are
    more likely to return to one (cppl_number_of_previous_cpp counts every earlier plan, those
    before the extract too). A few first referrals are transfer-in conferences (no S47).
    Long-running episodes: disabled children open only for a short-break budget
    (cine_short_break_budget_only, with ssd_disability rows) and children who stay open for years
    (looked after), closing at 18 (RC6) if not before. Other contacts are about children already
    open or about children never referred (advice, no further action, early help); early help
    opens an early help episode with the local extension columns (EHA / REC / ENQ / REF; only
    some EHA records have an assessment date, a team around the family and a plan start).

Time
    Ordinary referrals are simulated from WARM_UP_YEARS before `start` and long-running episodes
    from LONG_RUN_LOOKBACK_YEARS before, so the open caseload is already built up at `start`.
    Written: every contact from `start` to `end` (the warehouse dates the extract from its first
    contact), and every CIN episode open at some point from HISTORY_DAYS before `start` to `end`,
    with its whole history of assessments, enquiries, conferences, plans and reviews: real
    extracts carry open cases that began long ago, and the year of closed referrals before
    `start` lets the first year's re-referrals see the referral before. So referral dates reach
    back before `start`, contact dates never do. Early help episodes are written if open from
    `start` on. Anything that happens after `end` is left blank (still open, not yet authorised,
    not yet held); only target and due dates and expected dates of birth may lie beyond `end`.

Files
    Staging's typing is exercised on purpose: dates as YYYY-MM-DD, SQL Server style
    YYYY-MM-DD HH:MM:SS.fff or UK DD/MM/YYYY, flags as Y/N, Yes/No, 1/0 or true/false in any
    case, each file with a main style (FILE_STYLES) and a few rows in another; CP categories as
    CIN codes or SSD words; assessment factors as a JSON array or the older object form; contacts
    and CIN episodes in Windows-1252 with CRLF line ends and non-ASCII text, ssd_person in UTF-8
    with a byte-order mark, the rest UTF-8; about one row in eight with an optional field blank.
    `faults=True` adds a known list of data-quality faults (FAULTS), listed in the marker file.

Volumes
    scale="la": REFERRALS_PER_CHILD referrals a year per child aged 0-17, about 6,500 a year for
    Devon (878; a council not in the population table is given an average size). scale="england":
    the 152 councils of 2013-2019 share ENGLAND_REFERRALS_PER_YEAR by population aged 0-17
    (seeds/reference/ref_population_0_17.csv, else the table below). `size` multiplies everything.
    Councils are generated and written one at a time, rows streamed to disk: memory stays bounded.

Deterministic: one random.Random per council seeded from (seed, la_code), no clock, no iteration
over sets or unordered data; the same options give byte-identical files.
"""

from __future__ import annotations

import csv
import math
import random
import re
import shutil
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import accumulate
from pathlib import Path

import holidays
from dateutil.easter import easter
from tqdm import tqdm

from . import demo_marker
from .cin_census.upn import synthetic_upn
from .contract import Table, load_contract
from .paths import SEEDS_DIR

SCALES = ("la", "england")
POPULATION_FILE = SEEDS_DIR / "reference" / "ref_population_0_17.csv"

# --------------------------------------------------------------------------------------------
# Volumes and flow (calibrated on the default extract: Devon, 2013-04-01 to 2016-09-30)
# --------------------------------------------------------------------------------------------

REFERRALS_PER_CHILD = 0.0458  # scale="la": referrals a year per child aged 0-17
ENGLAND_REFERRALS_PER_YEAR = 650_000  # scale="england": shared out by population
WARM_UP_YEARS = 3
HISTORY_DAYS = 365  # episodes closed this long before `start` are still written
LONG_RUN_LOOKBACK_YEARS = 18

# Arrivals a year, as shares of the council's referrals a year.
NEW_CHILD_SHARE = 0.58  # children referred for the first time (re-referrals come on top)
SHORT_BREAK_SHARE = 0.041  # disabled children opened for a short-break budget only
LONG_TERM_SHARE = 0.028  # children who stay open for years (looked after)
CONTACT_ONLY_SHARE = 1.3  # children with contacts that never lead to a referral
EXISTING_CONTACTS_PER_YEAR = 0.6  # contacts a year about a child whose episode is open

P_TRANSFER_IN = 0.007  # first referrals that are a transfer-in conference
P_REFERRAL_NFA = 0.09
P_S47 = 0.35  # assessed referrals with a strategy discussion and S47
P_S47_AFTER_PLAN = 0.6  # ... for a child who has had a CP plan
P_STRATEGY_AT_REFERRAL = 0.4  # S47s started straight from the referral
P_ICPC = 0.40  # S47s leading to an initial conference
P_ICPC_AFTER_PLAN = 0.65
P_PLAN_AT_ICPC = 0.88
P_CIN_PLAN_AT_ICPC = 0.08
P_S47_NFA = 0.55  # of S47s not leading to a conference
P_ASSESSMENT_NFA = 0.68  # of assessments without an S47
P_CIN_PLAN = 0.23  # of assessments without an S47
P_EARLY_HELP_STEP_DOWN = 0.25  # of NFA assessments
P_STEP_DOWN_AFTER_PLAN = 0.55
P_PRIOR_PLAN = 0.045  # children arriving with a CP plan in their past
P_REREFERRAL_AFTER_SHORT = 0.45  # episodes closed within SHORT_EPISODE_DAYS of the referral
P_REREFERRAL_AFTER_LONG = 0.33
SHORT_EPISODE_DAYS = 120
REVIEWS_BEFORE_PLAN_ENDS = ((0, 6), (1, 17), (2, 53), (3, 16), (4, 5), (5, 2), (6, 1))
SHORT_BREAK_MEAN_YEARS = 8
LONG_TERM_MEAN_YEARS = 5
P_BLANK_OPTIONAL = 1 / 8  # rows with one optional field left blank
P_OTHER_STYLE = 0.06  # rows written in another accepted date / flag style than the file's

# --------------------------------------------------------------------------------------------
# Code lists and their weights
# --------------------------------------------------------------------------------------------

REFERRAL_SOURCES = (  # (code, weight, CIN census description)
    ("1A", 5.0, "INDIVIDUAL – family member, relative or carer"),
    ("1B", 1.5, "INDIVIDUAL – acquaintance (including neighbours and child minders)"),
    ("1C", 1.5, "INDIVIDUAL – self"),
    ("1D", 0.5, "INDIVIDUAL – other (including strangers)"),
    ("2A", 17.0, "SCHOOLS"),
    ("2B", 1.5, "EDUCATION SERVICES"),
    ("3A", 1.5, "HEALTH SERVICES – general practitioner (GP)"),
    ("3B", 2.5, "HEALTH SERVICES – health visitor"),
    ("3C", 0.5, "HEALTH SERVICES – school nurse"),
    ("3D", 1.5, "HEALTH SERVICES – other primary health services"),
    ("3E", 2.5, "HEALTH SERVICES – A&E (accident and emergency department)"),
    ("3F", 6.0, "HEALTH SERVICES – other (for example hospice)"),
    ("4", 2.0, "HOUSING - local authority housing or housing association"),
    ("5A", 3.0, "LA SERVICES – social care for example adults social care services"),
    (
        "5B",
        6.0,
        "LA SERVICES – other internal (department other than social care in local "
        "authorities, for example, youth offending (excluding housing))",
    ),
    ("5C", 2.0, "LA SERVICES – external, for example, from another local authority’s adults social care services"),
    ("5D", 3.0, "LA SERVICES – early help"),
    ("6", 28.0, "POLICE"),
    (
        "7",
        3.5,
        "OTHER LEGAL AGENCY – including courts, probation, immigration, CAFCASS (Children "
        "and Family Court Advisory and Support Service) or prison",
    ),
    ("8", 3.5, "OTHER – including children’s centres, independent agency providers or voluntary organisations"),
    ("9", 1.5, "ANONYMOUS"),
    ("10", 5.0, "UNKNOWN"),
)
SOURCE_DESCRIPTIONS = {code: desc for code, _, desc in REFERRAL_SOURCES}
EARLY_HELP_SOURCE_FROM = date(2023, 4, 1)  # 5D is a CIN census code from 2023
TRANSFER_IN_SOURCE = "5C"
SHORT_BREAK_SOURCES = (("3F", 30), ("5A", 25), ("2A", 20), ("3A", 10), ("1A", 15))

PRIMARY_NEEDS = (
    ("N1", 50),
    ("N2", 4),
    ("N3", 3.5),
    ("N4", 10),
    ("N5", 16),
    ("N6", 2.5),
    ("N7", 0.5),
    ("N8", 3),
    ("N9", 7),
    ("N0", 3.5),
)
CLOSE_REASONS = (("RC7", 78), ("RC5", 7), ("RC3", 5), ("RC4", 4), ("RC1", 1.5), ("RC6", 1), ("RC2", 0.3))
LONG_TERM_CLOSE_REASONS = (("RC1", 20), ("RC4", 15), ("RC3", 10), ("RC7", 50), ("RC5", 5))
SHORT_BREAK_CLOSE_REASONS = (("RC7", 70), ("RC5", 30))
CP_CATEGORIES = (("NEG", 46), ("EMO", 35), ("PHY", 8), ("SAB", 4), ("MUL", 7))
CP_CATEGORY_WORDS = {
    "NEG": "Neglect",
    "EMO": "Emotional abuse",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "MUL": "Multiple",
}
ASSESSMENT_FACTORS = (
    ("4B", 20),
    ("3A", 18),
    ("3B", 15),
    ("17A", 14),
    ("2B", 11),
    ("1B", 10),
    ("16A", 10),
    ("20", 9),
    ("18A", 7),
    ("4A", 7),
    ("5A", 4),
    ("14A", 4),
    ("10A", 3),
    ("11A", 3),
    ("15A", 3),
    ("19A", 3),
    ("1C", 2),
    ("2C", 2),
    ("3C", 2),
    ("6B", 2),
    ("7A", 1),
    ("13A", 1),
    ("9A", 0.5),
)
DISABILITIES = (
    ("LD", 30),
    ("AUT", 25),
    ("COMM", 15),
    ("BEH", 10),
    ("MOB", 8),
    ("PC", 5),
    ("HAND", 2),
    ("INC", 2),
    ("HEAR", 2),
    ("VIS", 2),
    ("CON", 1),
    ("DDA", 3),
)
ETHNICITY_ENGLAND = (
    ("WBRI", 74),
    ("WIRI", 0.5),
    ("WIRT", 0.3),
    ("WOTH", 4),
    ("WROM", 0.5),
    ("MWBC", 1.8),
    ("MWBA", 0.7),
    ("MWAS", 1.0),
    ("MOTH", 1.8),
    ("AIND", 1.0),
    ("APKN", 2.5),
    ("ABAN", 0.7),
    ("AOTH", 0.8),
    ("BCRB", 0.8),
    ("BAFR", 2.2),
    ("BOTH", 0.6),
    ("CHNE", 0.2),
    ("OOTH", 1.3),
    ("REFU", 0.5),
    ("NOBT", 3.0),
)
ETHNICITY_LONDON = (
    ("WBRI", 30),
    ("WIRI", 0.8),
    ("WIRT", 0.3),
    ("WOTH", 11),
    ("WROM", 0.8),
    ("MWBC", 5),
    ("MWBA", 2),
    ("MWAS", 1.5),
    ("MOTH", 5),
    ("AIND", 3),
    ("APKN", 3),
    ("ABAN", 5),
    ("AOTH", 3),
    ("BCRB", 7),
    ("BAFR", 11),
    ("BOTH", 4),
    ("CHNE", 0.4),
    ("OOTH", 4),
    ("REFU", 1),
    ("NOBT", 3),
)
LONDON_LA_CODES = range(201, 321)
CLOSED_AFTER_ASSESSMENT = ("RC8", "RC9")
# Reasons a school-age child has no UPN (the census's UN2-UN6); younger children have UN1 (not
# yet assigned). UN7 (referral with no further action) is left out: DfE 8772 allows it only
# for NFA referrals.
SCHOOL_AGE_DAYS = 1461  # 4 years: a UPN is allocated on starting school
SCHOOL_AGE_UPN_UNKNOWN = ("UN2", "UN3", "UN4", "UN5", "UN6")
UPN_UNKNOWN = (
    ("UN1", 40),
    ("UN2", 10),
    ("UN3", 15),
    ("UN4", 5),
    ("UN5", 15),
    ("UN6", 3),
    ("UN7", 3),
    ("UN8", 3),
    ("UN9", 3),
    ("UN10", 3),
)
AGE_AT_FIRST_REFERRAL = (
    (-1, 3),
    (0, 10),
    *((a, 5) for a in range(1, 5)),
    *((a, 5.5) for a in range(5, 10)),
    *((a, 6) for a in range(10, 16)),
    (16, 5),
    (17, 3),
)  # -1: unborn
AGE_SHORT_BREAK = tuple((a, 3 if a < 4 else 8) for a in range(1, 16))
AGE_LONG_TERM = tuple((a, 12 if a == 0 else 5) for a in range(16))

EARLY_HELP_PURPOSES = (("EHA", 55), ("REC", 20), ("ENQ", 15), ("REF", 10))
EARLY_HELP_REASONS = (
    ("Parenting support", 25),
    ("Domestic abuse", 15),
    ("School attendance", 15),
    ("Emotional wellbeing", 15),
    ("Behaviour", 12),
    ("Housing", 6),
    ("Financial difficulties", 6),
    ("Young carer", 6),
)
EARLY_HELP_END_REASONS = (
    ("Needs met", 55),
    ("Stepped up to social care", 10),
    ("Family declined – no engagement", 15),
    ("Moved out of area", 8),
    ("Transferred to universal services", 12),
)
EARLY_HELP_ORGANISATIONS = (
    ("Children’s Centre", 25),
    ("Family Intervention Team", 20),
    ("School – pastoral team", 20),
    ("Health Visiting Team", 10),
    ("Youth Service", 10),
    ("Café Crème Family Project (voluntary)", 15),
)

POPULATION_0_17 = {  # children aged 0-17 in mid-2015, rounded: the fallback for POPULATION_FILE
    "201": 1_000,
    "202": 46_200,
    "203": 66_000,
    "204": 61_100,
    "205": 34_400,
    "206": 40_100,
    "207": 28_300,
    "208": 62_400,
    "209": 67_300,
    "210": 62_900,
    "211": 64_800,
    "212": 61_000,
    "213": 42_600,
    "301": 60_300,
    "302": 88_800,
    "303": 56_000,
    "304": 75_000,
    "305": 72_200,
    "306": 93_200,
    "307": 81_200,
    "308": 83_300,
    "309": 60_300,
    "310": 57_200,
    "311": 54_300,
    "312": 70_600,
    "313": 62_300,
    "314": 37_500,
    "315": 46_300,
    "316": 84_000,
    "317": 75_400,
    "318": 44_400,
    "319": 46_100,
    "320": 65_000,
    "330": 284_000,
    "331": 75_100,
    "332": 68_000,
    "333": 78_700,
    "334": 45_600,
    "335": 65_100,
    "336": 58_300,
    "340": 32_500,
    "341": 91_100,
    "342": 36_300,
    "343": 53_200,
    "344": 67_600,
    "350": 66_100,
    "351": 42_600,
    "352": 117_400,
    "353": 58_300,
    "354": 50_800,
    "355": 53_800,
    "356": 61_800,
    "357": 49_000,
    "358": 54_200,
    "359": 67_600,
    "370": 49_600,
    "371": 65_300,
    "372": 56_400,
    "373": 115_900,
    "380": 139_900,
    "381": 45_800,
    "382": 98_700,
    "383": 162_600,
    "384": 69_700,
    "390": 39_800,
    "391": 56_500,
    "392": 40_400,
    "393": 29_200,
    "394": 54_300,
    "420": 400,
    "800": 34_700,
    "801": 92_800,
    "802": 42_600,
    "803": 57_400,
    "805": 19_800,
    "806": 31_900,
    "807": 27_400,
    "808": 42_800,
    "810": 55_500,
    "811": 62_700,
    "812": 34_200,
    "813": 35_300,
    "815": 117_300,
    "816": 36_700,
    "821": 56_000,
    "822": 38_000,
    "823": 59_500,
    "825": 120_700,
    "826": 66_300,
    "830": 153_400,
    "831": 58_700,
    "835": 77_200,
    "836": 29_800,
    "837": 34_800,
    "840": 100_200,
    "841": 22_700,
    "845": 105_900,
    "846": 51_100,
    "850": 282_100,
    "851": 43_800,
    "852": 49_100,
    "855": 135_600,
    "856": 82_000,
    "857": 7_700,
    "860": 168_800,
    "861": 56_100,
    "865": 104_100,
    "866": 49_100,
    "867": 28_100,
    "868": 33_800,
    "869": 35_800,
    "870": 36_400,
    "871": 40_600,
    "872": 37_400,
    "873": 132_700,
    "874": 47_600,
    "876": 28_300,
    "877": 44_500,
    "878": 142_600,
    "879": 51_900,
    "880": 25_300,
    "881": 303_000,
    "882": 38_400,
    "883": 41_000,
    "884": 36_100,
    "885": 115_200,
    "886": 330_300,
    "887": 63_100,
    "888": 245_300,
    "889": 38_300,
    "890": 28_700,
    "891": 163_300,
    "892": 65_900,
    "893": 59_400,
    "894": 39_200,
    "895": 75_000,
    "896": 66_200,
    "908": 105_500,
    "909": 92_900,
    "916": 124_800,
    "919": 264_200,
    "921": 25_300,
    "925": 142_300,
    "926": 167_900,
    "928": 162_600,
    "929": 59_300,
    "931": 141_600,
    "933": 109_300,
    "935": 151_600,
    "936": 256_600,
    "937": 112_700,
    "938": 170_500,
}
ENGLAND_LA_CODES = tuple(sorted(POPULATION_0_17))

# --------------------------------------------------------------------------------------------
# File styles: how each table's file is written (the same for every council)
# --------------------------------------------------------------------------------------------

DATE_STYLES = ("iso", "sql", "uk")
FLAG_WORDS = {"yn": ("Y", "N"), "yesno": ("Yes", "No"), "10": ("1", "0"), "truefalse": ("true", "false")}


@dataclass(frozen=True)
class FileStyle:
    dates: str = "iso"  # iso, sql (SQL Server datetime) or uk (DD/MM/YYYY)
    flags: str = "yn"  # a key of FLAG_WORDS
    encoding: str = "utf-8"  # utf-8, utf-8-sig (byte-order mark) or cp1252
    newline: str = "\n"
    cp_words: bool = False  # CP categories as SSD words rather than CIN codes


FILE_STYLES = {
    "ssd_person": FileStyle(encoding="utf-8-sig"),
    "ssd_contacts": FileStyle(dates="sql", encoding="cp1252", newline="\r\n"),
    "ssd_early_help_episodes": FileStyle(flags="yesno"),
    "ssd_cin_episodes": FileStyle(encoding="cp1252", newline="\r\n"),
    "ssd_cin_assessments": FileStyle(dates="uk", flags="yesno"),
    "ssd_cin_plans": FileStyle(dates="sql"),
    "ssd_s47_enquiry": FileStyle(flags="10"),
    "ssd_initial_cp_conference": FileStyle(flags="truefalse"),
    "ssd_cp_plans": FileStyle(dates="uk", cp_words=True),
    "ssd_cp_reviews": FileStyle(dates="sql"),
}

# Optional columns one of which is blanked in about one row in eight: descriptive fields and
# flags staging can also read from the outcome JSON, never the dates or links a flow depends on.
BLANKABLE = {
    "ssd_person": ("pers_sex", "pers_gender", "pers_ethnicity", "pers_forename", "pers_surname"),
    "ssd_contacts": ("cont_contact_source_code", "cont_contact_source_desc"),
    "ssd_early_help_episodes": ("earl_episode_reason", "earl_episode_organisation"),
    # not the primary need: DfE 8610 requires it for a referral that led to further action
    "ssd_cin_episodes": ("cine_referral_source_desc", "cine_referral_nfa"),
    "ssd_cin_assessments": ("cina_assessment_child_seen", "cina_assessment_outcome_nfa"),
    "ssd_cin_plans": ("cinp_referral_id",),
    "ssd_s47_enquiry": ("s47e_s47_nfa",),
    "ssd_initial_cp_conference": ("icpc_icpc_target_date", "icpc_referral_id", "icpc_icpc_outcome_cp_flag"),
    "ssd_cp_plans": (
        "cppl_cp_plan_latest_category",
        "cppl_cp_plan_ola",
        "cppl_number_of_previous_cpp",
        "cppl_referral_id",
    ),
    "ssd_cp_reviews": ("cppr_cp_review_due",),  # cppr_person_id: staging tests it is present
}


# --------------------------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    la_codes: tuple[str, ...]
    scale: str
    start: date
    end: date
    seed: int
    size: float
    faults: bool


def parse_options(
    la_codes: Iterable[str], scale: str, start: str, end: str, seed: int, size: float, faults: bool
) -> Options:
    """The options checked; ValueError with a message a person can act on."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: use one of {', '.join(SCALES)}")
    codes = tuple(dict.fromkeys(str(c).strip() for c in la_codes))
    for code in codes:
        if not re.fullmatch(r"\d{3}", code):
            raise ValueError(f"LA code {code!r} is not a 3-digit DfE code (e.g. 878)")
    if scale == "la" and not codes:
        raise ValueError("no LA code given")
    first, last = _parse_date("start", start), _parse_date("end", end)
    if first > last:
        raise ValueError(f"start {first} is after end {last}")
    if not (isinstance(size, (int, float)) and math.isfinite(size) and size > 0):
        raise ValueError(f"size must be a number above 0, not {size!r}")
    return Options(
        la_codes=ENGLAND_LA_CODES if scale == "england" else codes,
        scale=scale,
        start=first,
        end=last,
        seed=int(seed),
        size=float(size),
        faults=bool(faults),
    )


def _parse_date(name: str, text: str) -> date:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a YYYY-MM-DD date") from None


def la_populations(year: int) -> dict[str, int]:
    """Children aged 0-17 per council: the reference seed (nearest year) over the built-in table."""
    populations = dict(POPULATION_0_17)
    if not POPULATION_FILE.is_file():
        return populations
    nearest: dict[str, tuple[int, int]] = {}
    with POPULATION_FILE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row.get("geographic_level") != "la":
                continue
            try:
                row_year = int(row.get("year") or row.get("mid_year") or "")
                population = int(float(row["population_0_17"]))
            except (KeyError, ValueError):
                continue
            code, distance = (row.get("la_code") or "").strip(), abs(row_year - year)
            if code and (code not in nearest or distance < nearest[code][0]):
                nearest[code] = (distance, population)
    populations.update({code: population for code, (_, population) in nearest.items()})
    return populations


def referrals_a_year(options: Options) -> dict[str, float]:
    """Each council's referrals a year (before `size`)."""
    middle = date.fromordinal((options.start.toordinal() + options.end.toordinal()) // 2)
    populations = la_populations(middle.year)
    if options.scale == "england":
        total = sum(populations[c] for c in ENGLAND_LA_CODES)
        return {c: ENGLAND_REFERRALS_PER_YEAR * populations[c] / total for c in ENGLAND_LA_CODES}
    average = sum(POPULATION_0_17.values()) / len(POPULATION_0_17)
    return {c: REFERRALS_PER_CHILD * populations.get(c, average) for c in options.la_codes}


# --------------------------------------------------------------------------------------------
# Calendar: working days, school-holiday seasonality, date text
# --------------------------------------------------------------------------------------------


def season_weight(day: date, easter_sunday: date) -> float:
    """Relative referral rate on a day: fewer in school holidays."""
    if day.month == 8:
        return 0.70
    if (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 3):
        return 0.55
    if -9 <= (day - easter_sunday).days <= 8:
        return 0.80
    if day.month == 7 and day.day >= 22:
        return 0.85
    return 1.0


class Calendar:
    """Days as ordinals; working days exclude weekends and England & Wales bank holidays,
    substitute days included (the `holidays` package)."""

    WEEKEND_CONTACT_WEIGHT = 0.35

    def __init__(self, first: date, last: date) -> None:
        years = range(first.year, last.year + 1)
        bank = {d.toordinal() for d in holidays.country_holidays("GB", subdiv="ENG", years=years)}
        easters = {y: easter(y) for y in years}
        self.days = list(range(first.toordinal(), last.toordinal() + 1))
        self.working: list[int] = []
        self.working_season: list[float] = []
        day_weights = []
        for o in self.days:
            d = date.fromordinal(o)
            season = season_weight(d, easters[d.year])
            closed = d.weekday() >= 5 or o in bank
            day_weights.append(season * (self.WEEKEND_CONTACT_WEIGHT if closed else 1.0))
            if not closed:
                self.working.append(o)
                self.working_season.append(season)
        self.working_cum = list(accumulate(self.working_season))
        self.day_cum = list(accumulate(day_weights))

    def on_or_after(self, day: int) -> int:
        return self.working[bisect_left(self.working, day)]

    def on_or_before(self, day: int) -> int:
        return self.working[bisect_right(self.working, day) - 1]

    def add(self, day: int, n: int) -> int:
        """n working days after `day` (counted from the last working day on or before it)."""
        return self.working[bisect_right(self.working, day) - 1 + n]

    def count(self, first: int, last: int) -> int:
        """Working days after `first` up to and including `last`."""
        return bisect_right(self.working, last) - bisect_right(self.working, first)

    def referral_day_from(self, day: int, rnd: Callable[[], float]) -> int:
        """The first working day from `day` that a seasonal thinning accepts."""
        i = bisect_left(self.working, day)
        while rnd() > self.working_season[i]:
            i += 1
        return self.working[i]

    def sample_working_days(self, first: int, last: int, n: int, rnd) -> list[int]:
        return self._sample(self.working, self.working_cum, first, last, n, rnd)

    def sample_days(self, first: int, last: int, n: int, rnd) -> list[int]:
        return self._sample(self.days, self.day_cum, first, last, n, rnd)

    @staticmethod
    def _sample(values: list[int], cum: list[float], first: int, last: int, n: int, rnd) -> list[int]:
        """n days in [first, last] drawn by weight, in date order."""
        i, j = bisect_left(values, first), bisect_right(values, last) - 1
        low = cum[i - 1] if i else 0.0
        span = cum[j] - low
        return sorted(values[bisect_left(cum, low + rnd() * span, i, j)] for _ in range(n))


@cache
def date_text(day: int, style: str) -> str:
    d = date.fromordinal(day)
    if style == "uk":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "sql":
        return f"{d.isoformat()} 00:00:00.000"
    return d.isoformat()


@cache
def outcome_json(flags: tuple[tuple[str, bool], ...]) -> str:
    """SSD outcome flags as JSON, e.g. {"NFA_FLAG":"N","SINGLE_ASSESSMENT_FLAG":"Y"}."""
    return "{" + ",".join(f'"{k}":"{"Y" if v else "N"}"' for k, v in flags) + "}"


class Weighted:
    """A weighted code list, picked from with one uniform draw."""

    __slots__ = ("cum", "total", "values")

    def __init__(self, pairs: Iterable[tuple]) -> None:
        values, weights = zip(*((p[0], p[1]) for p in pairs))
        self.values = values
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def pick(self, rnd: Callable[[], float]):
        return self.values[bisect_right(self.cum, rnd() * self.total)]


# --------------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------------

# A fault turns one row (its values as given, and as formatted) into the rows to write, or
# returns None when the row is not suitable (the next row is tried).
Mutation = Callable[["TableWriter", list, list], "list[list] | None"]


def _set(column: str, value: str) -> Mutation:
    def mutate(writer: TableWriter, values: list, row: list) -> list[list]:
        row[writer.index[column]] = value
        return [row]

    return mutate


def _duplicate(writer: TableWriter, values: list, row: list) -> list[list]:
    return [row, list(row)]


def _drop(writer: TableWriter, values: list, row: list) -> list[list]:
    return []


def _end_before_start(writer: TableWriter, values: list, row: list) -> list[list] | None:
    start, end = writer.index["cppl_cp_plan_start_date"], writer.index["cppl_cp_plan_end_date"]
    if values[end] is None:
        return None
    row[end] = date_text(values[start] - 30, writer.style.dates)
    return [row]


def _year_2099(column: str) -> Mutation:
    def mutate(writer: TableWriter, values: list, row: list) -> list[list] | None:
        day = values[writer.index[column]]
        if day is None:
            return None
        d = date.fromordinal(day)
        row[writer.index[column]] = date(2099, d.month, min(d.day, 28)).isoformat()
        return [row]

    return mutate


@dataclass(frozen=True)
class Fault:
    table: str
    column: str | None
    description: str
    mutate: Mutation


FAULTS = (
    Fault("ssd_cin_episodes", "cine_referral_id", "duplicated primary key (the row is written twice)", _duplicate),
    Fault(
        "ssd_cin_episodes",
        "cine_referral_outcome_json",
        "invalid JSON (closing brace missing)",
        _set("cine_referral_outcome_json", '{"NFA_FLAG":"N","SINGLE_ASSESSMENT_FLAG":"Y"'),
    ),
    Fault(
        "ssd_cin_episodes",
        "cine_referral_source_code",
        'unknown referral source code "ZZ"',
        _set("cine_referral_source_code", "ZZ"),
    ),
    Fault(
        "ssd_cin_assessments",
        "cina_referral_id",
        "assessment of referral REF9999999, which is not in the extract",
        _set("cina_referral_id", "REF9999999"),
    ),
    Fault(
        "ssd_cin_assessments",
        "cina_assessment_child_seen",
        'flag value "maybe"',
        _set("cina_assessment_child_seen", "maybe"),
    ),
    Fault(
        "ssd_contacts",
        "cont_contact_date",
        'impossible date "31/02/2016" in a required date',
        _set("cont_contact_date", "31/02/2016"),
    ),
    Fault(
        "ssd_cin_plans",
        "cinp_cin_plan_start_date",
        'US-style date "12/31/2016" in a required date',
        _set("cinp_cin_plan_start_date", "12/31/2016"),
    ),
    Fault("ssd_cp_plans", "cppl_cp_plan_end_date", "plan ends 30 days before it starts", _end_before_start),
    Fault("ssd_s47_enquiry", "s47e_s47_end_date", "end date typed with the year 2099", _year_2099("s47e_s47_end_date")),
    Fault("ssd_person", "pers_person_id", "person row left out: the child's events have no ssd_person row", _drop),
)
FAULT_FROM_ROW = 10  # faults go into the first suitable rows from this data row on


# --------------------------------------------------------------------------------------------
# Writing: one CSV per table, values formatted in the file's style
# --------------------------------------------------------------------------------------------


class TableWriter:
    """One landing file. `write(**values)` takes contract columns; dates as day ordinals, flags
    as bools, None for blank."""

    def __init__(
        self,
        path: Path,
        table: Table,
        style: FileStyle,
        rng: random.Random,
        faults: list[Fault],
        injected: list[str],
        la_code: str,
    ) -> None:
        self.table, self.style, self.rng = table, style, rng
        self.columns = table.column_names
        self.index = {c: i for i, c in enumerate(self.columns)}
        self.dates = [i for i, c in enumerate(table.columns) if c.type == "date"]
        self.flags = [i for i, c in enumerate(table.columns) if c.type == "flag"]
        self.blankable = [self.index[c] for c in BLANKABLE.get(table.name, ()) if c in self.index]
        self.other_dates = [s for s in DATE_STYLES if s != style.dates]
        self.other_flags = [w for k, w in FLAG_WORDS.items() if k != style.flags]
        self.pending, self.injected, self.la_code = list(faults), injected, la_code
        self.rows = 0
        self.file = path.open("w", encoding=style.encoding, newline="")
        self.csv = csv.writer(self.file, lineterminator=style.newline)
        self.csv.writerow(self.columns)

    def write(self, **values) -> None:
        row = [values.get(c) for c in self.columns]
        rnd = self.rng.random
        other = rnd() < P_OTHER_STYLE
        dates = self.other_dates[int(rnd() * len(self.other_dates))] if other else self.style.dates
        for i in self.dates:
            if row[i] is not None:
                row[i] = date_text(row[i], dates)
        if self.flags:
            self._flags(row, other)
        if self.blankable and rnd() < P_BLANK_OPTIONAL:
            row[self.blankable[int(rnd() * len(self.blankable))]] = None
        rows = [row]
        if self.pending and self.rows + 1 >= FAULT_FROM_ROW:
            rows = self._inject([values.get(c) for c in self.columns], row)
        self.csv.writerows(rows)
        self.rows += len(rows)

    def _flags(self, row: list, other: bool) -> None:
        if other:
            words = self.other_flags[int(self.rng.random() * len(self.other_flags))]
            case = (str.upper, str.lower, str.title)[int(self.rng.random() * 3)]
            yes, no = case(words[0]), case(words[1])
        else:
            yes, no = FLAG_WORDS[self.style.flags]
        for i in self.flags:
            if row[i] is not None:
                row[i] = yes if row[i] else no

    def _inject(self, values: list, row: list) -> list[list]:
        """The next pending fault, if this row suits it; recorded for the marker file."""
        fault = self.pending[0]
        rows = fault.mutate(self, values, row)
        if rows is None:
            return [row]
        self.pending.pop(0)
        key = values[self.index[self.table.key_columns[0]]]
        where = f"line {self.rows + 2}" if rows else "not written"
        self.injected.append(
            f"la_code={self.la_code}/{self.table.name}.csv {where}: {fault.column} of {key}: {fault.description}"
        )
        return rows

    def close(self) -> None:
        for fault in self.pending:
            self.injected.append(
                f"la_code={self.la_code}/{self.table.name}.csv: NOT injected (too "
                f"few suitable rows): {fault.column}: {fault.description}"
            )
        self.file.close()


class Extract:
    """Every contract table's file for one council, open for writing."""

    def __init__(self, folder: Path, rng: random.Random, la_code: str, faults: bool, injected: list[str]) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.writers = {
            name: TableWriter(
                folder / f"{name}.csv",
                table,
                FILE_STYLES.get(name, FileStyle()),
                rng,
                [f for f in FAULTS if f.table == name] if faults else [],
                injected,
                la_code,
            )
            for name, table in load_contract().items()
        }

    def __getitem__(self, table: str) -> TableWriter:
        return self.writers[table]

    def close(self) -> dict[str, int]:
        for writer in self.writers.values():
            writer.close()
        return {name: w.rows for name, w in self.writers.items()}


# --------------------------------------------------------------------------------------------
# The simulated world: what happens to a child, before anything is written
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Child:
    dob: int
    sex: str
    ethnicity: str
    expected_dob: int | None = None
    disabilities: list[str] = field(default_factory=list)
    plans: int = 0  # CP plans so far, those before the extract included
    death: int | None = None
    upn_unknown: str | None = None
    person_id: str | None = None

    @property
    def eighteenth(self) -> int:
        return self.dob + 6574  # 18 years of 365.25 days, rounded down


@dataclass(slots=True)
class Assessment:
    start: int
    auth: int
    child_seen: bool = True
    nfa: bool = False
    cin_plan: bool = False
    strategy: bool = False
    cla: bool = False
    services: bool = False
    early_help: bool = False


@dataclass(slots=True)
class Enquiry:
    start: int
    end: int = 0
    nfa: bool = False
    icpc: bool = False
    continue_cin: bool = False


@dataclass(slots=True)
class Conference:
    date: int
    target: int
    transfer_in: bool = False
    plan: bool = False
    cin_plan: bool = False


@dataclass(slots=True)
class CpPlan:
    start: int
    end: int
    initial: str
    latest: str
    previous: int
    reviews: list[tuple[int, int]]  # (due, held)
    ola: bool = False


@dataclass(slots=True)
class EarlyHelp:
    start: int
    end: int
    purpose: str
    assessment: int | None
    team_around_family: bool | None
    plan_start: int | None
    reason: str
    end_reason: str
    organisation: str


@dataclass(slots=True)
class Episode:
    referral: int
    contact: int
    source: str
    need: str
    close: int = 0
    close_reason: str = ""
    nfa: bool = False
    strategy_at_referral: bool = False
    short_break: bool = False
    assessment: Assessment | None = None
    enquiry: Enquiry | None = None
    conference: Conference | None = None
    plan: CpPlan | None = None
    cin_plans: list[tuple[int, int]] = field(default_factory=list)
    early_help: EarlyHelp | None = None


class Council:
    """One council's simulation, written to its Extract as each child's career is decided."""

    def __init__(
        self, la_code: str, referrals: float, options: Options, calendar: Calendar, rng: random.Random, out: Extract
    ) -> None:
        self.referrals, self.options, self.la_code = referrals, options, la_code
        self.cal, self.out = calendar, out
        self.rnd, self.expo = rng.random, rng.expovariate
        self.start, self.end = options.start.toordinal(), options.end.toordinal()
        self.written_from = self.start - HISTORY_DAYS  # episodes open from here on are written
        self.ids: dict[str, int] = {}
        self.w = {
            k: Weighted(v)
            for k, v in {
                "source": [(c, w) for c, w, _ in REFERRAL_SOURCES if c != "5D"],
                "source_5d": [(c, w) for c, w, _ in REFERRAL_SOURCES],
                "short_break_source": SHORT_BREAK_SOURCES,
                "need": PRIMARY_NEEDS,
                "close": CLOSE_REASONS,
                "long_term_close": LONG_TERM_CLOSE_REASONS,
                "short_break_close": SHORT_BREAK_CLOSE_REASONS,
                "category": CP_CATEGORIES,
                "factor": ASSESSMENT_FACTORS,
                "disability": DISABILITIES,
                "upn": UPN_UNKNOWN,
                "ethnicity": ETHNICITY_LONDON if int(la_code) in LONDON_LA_CODES else ETHNICITY_ENGLAND,
                "age": AGE_AT_FIRST_REFERRAL,
                "age_short_break": AGE_SHORT_BREAK,
                "age_long_term": AGE_LONG_TERM,
                "reviews": REVIEWS_BEFORE_PLAN_ENDS,
                "eh_purpose": EARLY_HELP_PURPOSES,
                "eh_reason": EARLY_HELP_REASONS,
                "eh_end_reason": EARLY_HELP_END_REASONS,
                "eh_organisation": EARLY_HELP_ORGANISATIONS,
            }.items()
        }

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> None:
        self._ordinary_careers()
        self._long_running_careers(SHORT_BREAK_SHARE, short_break=True)
        self._long_running_careers(LONG_TERM_SHARE, short_break=False)
        self._contact_only_careers()

    def _arrivals(self, share: float, first: int, working_days: bool = True) -> list[int]:
        """Days of arrivals at `share` of the council's referrals a year, from `first` to end."""
        expected = share * self.referrals * self.options.size * (self.end - first + 1) / 365.25
        n = int(expected) + (self.rnd() < expected % 1)
        sample = self.cal.sample_working_days if working_days else self.cal.sample_days
        return sample(first, self.end, n, self.rnd)

    def _ordinary_careers(self) -> None:
        first = self.start - round(WARM_UP_YEARS * 365.25)
        for referral in self._arrivals(NEW_CHILD_SHARE, first):
            child = self._child(referral, self.w["age"])
            episodes = [self._episode(child, referral, first=True)]
            while (referral := self._rereferral(child, episodes[-1])) is not None:
                episodes.append(self._episode(child, referral, first=False))
            self._write_career(child, episodes)

    def _long_running_careers(self, share: float, short_break: bool) -> None:
        first = self.start - round(LONG_RUN_LOOKBACK_YEARS * 365.25)
        ages = self.w["age_short_break" if short_break else "age_long_term"]
        mean_days = 365.25 * (SHORT_BREAK_MEAN_YEARS if short_break else LONG_TERM_MEAN_YEARS)
        for referral in self._arrivals(share, first):
            close = referral + 1 + int(self.expo(1 / mean_days))
            if close < self.written_from:
                continue  # closed before the extract: never written, so not simulated further
            child = self._child(referral, ages)
            if short_break:
                child.disabilities = self._disabilities(1 + int(self.rnd() * 3))
            episode = self._long_running_episode(child, referral, close, short_break)
            self._write_career(child, [episode])

    def _contact_only_careers(self) -> None:
        for day in self._arrivals(CONTACT_ONLY_SHARE, self.start, working_days=False):
            child = self._child(day, self.w["age"], born=True)
            while day <= self.end and day < child.eighteenth:
                self._write_other_contact(child, day)
                if self.rnd() > 0.25:
                    break
                day += 7 + int(self.expo(1 / 120))
            self._write_person(child)

    # -- children ---------------------------------------------------------------------------

    def _child(self, day: int, ages: Weighted, born: bool = False) -> Child:
        """A child first known on `day`, of an age drawn from `ages` (-1: unborn, unless `born`)."""
        age = ages.pick(self.rnd)
        r = self.rnd
        if age < 0 and not born:
            dob = day + 14 + int(r() * 160)
            child = Child(
                dob=dob, sex="U", ethnicity=self.w["ethnicity"].pick(r), expected_dob=dob + int(r() * 21) - 10
            )
            if dob <= self.end:
                child.sex = "M" if r() < 0.51 else "F"
        else:
            dob = day - int((max(age, 0) + r() * 0.98) * 365.25)
            sex = "U" if r() < 0.01 else ("M" if r() < 0.51 else "F")
            child = Child(dob=dob, sex=sex, ethnicity=self.w["ethnicity"].pick(r))
        if r() < 0.05:
            child.upn_unknown = self.w["upn"].pick(r)
        if r() < P_PRIOR_PLAN:
            child.plans = 1
        if r() < 0.06:
            child.disabilities = self._disabilities(1 + int(r() * 2))
        elif r() < 0.12:
            child.disabilities = ["NONE"]
        return child

    def _disabilities(self, n: int) -> list[str]:
        codes: list[str] = []
        while len(codes) < n:
            code = self.w["disability"].pick(self.rnd)
            if code not in codes:
                codes.append(code)
        return codes

    # -- an ordinary episode ----------------------------------------------------------------

    def _episode(self, child: Child, referral: int, first: bool) -> Episode:
        r = self.rnd
        ep = Episode(
            referral=referral,
            contact=referral - (0, 0, 0, 0, 0, 0, 1, 1, 2, 3)[int(r() * 10)],
            source=self._source(referral),
            need=self.w["need"].pick(r),
        )
        if first and r() < P_TRANSFER_IN:
            ep.source = TRANSFER_IN_SOURCE
            when = self.cal.add(referral, 2 + int(r() * 12))
            ep.conference = Conference(date=when, target=self.cal.add(referral, 15), transfer_in=True)
            self._conference_outcome(ep, child)
        elif r() < P_REFERRAL_NFA:
            ep.nfa = True
            self._close(ep, child, referral, "RC8")
        else:
            ep.assessment = self._assessment(referral)
            had_plan = child.plans > 0
            if r() < (P_S47_AFTER_PLAN if had_plan else P_S47):
                self._enquiry(ep, child, had_plan)
            else:
                self._assessment_outcome(ep, child)
        return ep

    def _source(self, referral: int) -> str:
        table = "source_5d" if referral >= EARLY_HELP_SOURCE_FROM.toordinal() else "source"
        return self.w[table].pick(self.rnd)

    def _assessment(self, referral: int) -> Assessment:
        start = self.cal.add(referral, self._days_to_assessment())
        return Assessment(start=start, auth=self.cal.add(start, self._assessment_days()), child_seen=self.rnd() < 0.94)

    def _days_to_assessment(self) -> int:
        """Working days from referral to assessment start: mostly the same or the next day."""
        r, u = self.rnd(), self.rnd()
        if r < 0.45:
            return 0
        if r < 0.70:
            return 1
        return 2 + int(u * 4) if r < 0.95 else 6 + int(u * 10)

    def _assessment_days(self) -> int:
        """Working days from start to authorisation: ~25% within 15, ~87% within 45."""
        r, u = self.rnd(), self.rnd()
        if r < 0.25:
            return 2 + int(u * 14)
        if r < 0.70:
            return 16 + int(u * 25)
        if r < 0.87:
            return 41 + int(u * 5)
        return 46 + int(self.expo(1 / 18))

    def _assessment_outcome(self, ep: Episode, child: Child) -> None:
        a, r = ep.assessment, self.rnd()
        if r < P_ASSESSMENT_NFA:
            a.nfa = True
            a.early_help = self.rnd() < P_EARLY_HELP_STEP_DOWN
            if a.early_help:
                ep.early_help = self._early_help(a.auth + 5 + int(self.rnd() * 25))
            self._close(ep, child, self.cal.add(a.auth, int(self.rnd() * 6)), "RC8")
        elif r < P_ASSESSMENT_NFA + P_CIN_PLAN:
            a.cin_plan = True
            end = self._cin_plan(ep, self.cal.add(a.auth, int(self.rnd() * 11)), 90, 540)
            self._close(ep, child, end + int(self.rnd() * 21))
        else:
            a.services = True
            self._close(ep, child, a.auth + 60 + int(self.rnd() * 210))

    def _enquiry(self, ep: Episode, child: Child, had_plan: bool) -> None:
        a, r, cal = ep.assessment, self.rnd, self.cal
        if r() < P_STRATEGY_AT_REFERRAL:
            ep.strategy_at_referral = True
            start = cal.add(ep.referral, int(r() * 2))
        else:
            a.strategy = True
            start = cal.add(a.start, 1 + int(r() * min(15, cal.count(a.start, a.auth))))
        s47 = ep.enquiry = Enquiry(start=start)
        if r() < (P_ICPC_AFTER_PLAN if had_plan else P_ICPC):
            gap = self._icpc_days()
            s47.icpc = True
            s47.end = cal.add(start, max(1, gap - int(r() * 5)))
            ep.conference = Conference(date=cal.add(start, gap), target=cal.add(start, 15))
            self._conference_outcome(ep, child)
        elif r() < P_S47_NFA:
            s47.nfa = a.nfa = True
            s47.end = cal.add(start, 3 + int(r() * 23))
            self._close(ep, child, cal.add(max(s47.end, a.auth), int(r() * 6)), "RC8")
        else:
            s47.continue_cin = a.cin_plan = True
            s47.end = cal.add(start, 3 + int(r() * 23))
            end = self._cin_plan(ep, cal.add(max(s47.end, a.auth), int(r() * 6)), 90, 450)
            self._close(ep, child, end + int(r() * 21))

    def _icpc_days(self) -> int:
        """Working days from strategy discussion to conference: ~77% within 15."""
        r, u = self.rnd(), self.rnd()
        if r < 0.15:
            return 5 + int(u * 5)
        if r < 0.77:
            return 10 + int(u * 6)
        if r < 0.95:
            return 16 + int(u * 5)
        return 21 + int(u * 15)

    def _conference_outcome(self, ep: Episode, child: Child) -> None:
        conf, r = ep.conference, self.rnd()
        if r < P_PLAN_AT_ICPC:
            conf.plan = True
            plan = ep.plan = self._cp_plan(child, conf.date)
            if self.rnd() < P_STEP_DOWN_AFTER_PLAN:
                end = self._cin_plan(ep, plan.end, 90, 300)
                self._close(ep, child, end + int(self.rnd() * 21))
            else:
                self._close(ep, child, plan.end + int(self.rnd() * 11))
        elif r < P_PLAN_AT_ICPC + P_CIN_PLAN_AT_ICPC:
            conf.cin_plan = True
            end = self._cin_plan(ep, conf.date, 90, 365)
            self._close(ep, child, end + int(self.rnd() * 21))
        else:
            self._close(ep, child, self.cal.add(conf.date, int(self.rnd() * 6)), "RC8")

    def _cp_plan(self, child: Child, start: int) -> CpPlan:
        """A plan reviewed ~3 months after it starts, then every ~6 months, ending at a review."""
        r, cal = self.rnd, self.cal
        reviews, last = [], start
        for k in range(self.w["reviews"].pick(r)):
            due = cal.on_or_before(last + (91 if k == 0 else 182))
            held = cal.on_or_after(due + 1 + int(r() * 15)) if r() < 0.08 else cal.on_or_before(due - int(r() * 15))
            reviews.append((due, held))
            last = held
        end = reviews[-1][1] if reviews else cal.add(start, 10 + int(r() * 45))
        initial = self.w["category"].pick(r)
        latest = self.w["category"].pick(r) if r() < 0.12 else initial
        plan = CpPlan(
            start=start, end=end, initial=initial, latest=latest, previous=child.plans, reviews=reviews, ola=r() < 0.02
        )
        child.plans += 1
        return plan

    def _cin_plan(self, ep: Episode, start: int, shortest: int, longest: int) -> int:
        end = self.cal.on_or_after(start + shortest + int(self.rnd() * (longest - shortest)))
        ep.cin_plans.append((start, end))
        return end

    def _close(self, ep: Episode, child: Child, day: int, reason: str | None = None) -> None:
        """Close the episode on `day`, or later if its assessment or enquiry is still going."""
        ep.close = max(
            day, ep.referral, ep.assessment.auth if ep.assessment else 0, ep.enquiry.end if ep.enquiry else 0
        )
        if reason is None:
            reason = self.w["close"].pick(self.rnd)
        if reason in CLOSED_AFTER_ASSESSMENT and (ep.enquiry or ep.conference or ep.plan or ep.cin_plans):
            # DfE 2990: RC8/RC9 (closed after assessment) only for an episode with no S47
            # enquiry, conference or plan; services ceased for another reason otherwise
            reason = "RC7"
        if ep.close >= child.eighteenth:
            reason = "RC6"
        elif reason == "RC2":
            child.death = ep.close
        ep.close_reason = reason

    def _rereferral(self, child: Child, last: Episode) -> int | None:
        """The day of the child's next referral, or None."""
        if last.close > self.end or child.death is not None:
            return None
        short = last.close - last.referral < SHORT_EPISODE_DAYS
        if self.rnd() >= (P_REREFERRAL_AFTER_SHORT if short else P_REREFERRAL_AFTER_LONG):
            return None
        gap = 7 + int(self.expo(1 / (150 if short else 240)))
        day = self.cal.referral_day_from(last.close + gap, self.rnd)
        return day if day <= self.end and day < child.eighteenth else None

    # -- long-running episodes and early help -----------------------------------------------

    def _long_running_episode(self, child: Child, referral: int, close: int, short_break: bool) -> Episode:
        r = self.rnd
        ep = Episode(
            referral=referral,
            contact=referral - int(r() * 3),
            source=self.w["short_break_source"].pick(r) if short_break else self._source(referral),
            need="N2" if short_break else self.w["need"].pick(r),
            short_break=short_break,
        )
        a = ep.assessment = self._assessment(referral)
        a.services, a.cla = short_break, not short_break
        if close >= child.eighteenth:
            ep.close, ep.close_reason = child.eighteenth - 1, "RC6"
        else:
            ep.close = max(close, a.auth + 1)
            ep.close_reason = self.w["short_break_close" if short_break else "long_term_close"].pick(r)
        return ep

    def _early_help(self, day: int) -> EarlyHelp:
        r, cal, w = self.rnd, self.cal, self.w
        start = cal.on_or_after(day)
        end = start + 60 + int(self.expo(1 / 150))
        purpose = w["eh_purpose"].pick(r)
        eha = purpose == "EHA"
        assessment = cal.add(start, 3 + int(r() * 25)) if r() < (0.85 if eha else 0.15) else None
        team = (r() < 0.65) if eha else (None if r() < 0.5 else r() < 0.1)
        plan = None
        if assessment is not None and r() < (0.85 if team else 0.35 if eha else 0.05):
            plan = cal.add(assessment, int(r() * 15))
        end = max(end, plan or assessment or start)
        return EarlyHelp(
            start=start,
            end=end,
            purpose=purpose,
            assessment=assessment,
            team_around_family=team,
            plan_start=plan,
            reason=w["eh_reason"].pick(r),
            end_reason=w["eh_end_reason"].pick(r),
            organisation=w["eh_organisation"].pick(r),
        )

    # -- writing ----------------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        n = self.ids[prefix] = self.ids.get(prefix, 0) + 1
        return f"{prefix}{n:07d}"

    def _upto(self, day: int | None) -> int | None:
        """The day if it has happened by the end of the extract, else None (blank)."""
        return day if day is not None and day <= self.end else None

    def _write_career(self, child: Child, episodes: list[Episode]) -> None:
        written = [ep for ep in episodes if ep.close >= self.written_from]
        if not written:
            return
        for ep in written:
            self._write_episode(child, ep)
        self._write_person(child)

    def _person_id(self, child: Child) -> str:
        if child.person_id is None:
            child.person_id = self._id("P")
        return child.person_id

    def _write_person(self, child: Child) -> None:
        pid = self._person_id(child)
        born = self._upto(child.dob)
        sex = child.sex if born else "U"
        gender = {"M": "1", "F": "2"}.get(sex, "0" if born is None or self.rnd() < 0.7 else "9")
        self.out["ssd_person"].write(
            pers_person_id=pid,
            pers_sex=sex,
            pers_gender=gender,
            pers_ethnicity=child.ethnicity,
            pers_dob=born,
            pers_expected_dob=child.expected_dob,
            pers_death_date=self._upto(child.death),
            **self._upn(child, pid),
            pers_forename="Synthetic",
            pers_surname=f"Child{pid[1:]}",
        )
        for code in child.disabilities:
            self.out["ssd_disability"].write(
                disa_table_id=self._id("DIS"), disa_person_id=pid, disa_disability_code=code
            )

    def _upn(self, child: Child, pid: str) -> dict:
        """A valid SYNTHETIC UPN for a child of school age by the end of the extract (made from
        the person id: no random draw, so the rest of the extract does not move), unless the
        child has a school-age reason for none (UN2-UN6); UN1 for a younger child."""
        if child.dob > self.end - SCHOOL_AGE_DAYS:
            return {"pers_upn": None, "pers_upn_unknown": "UN1"}
        if child.upn_unknown in SCHOOL_AGE_UPN_UNKNOWN:
            return {"pers_upn": None, "pers_upn_unknown": child.upn_unknown}
        allocated = date.fromordinal(child.dob + SCHOOL_AGE_DAYS).year
        return {"pers_upn": synthetic_upn(self.la_code, int(pid[1:]), allocated), "pers_upn_unknown": None}

    def _write_contact(self, child: Child, day: int, source: str, **flags: bool) -> None:
        outcome = (
            ("NEW_REFERRAL_FLAG", flags.get("new", False)),
            ("EXISTING_REFERRAL_FLAG", flags.get("existing", False)),
            ("CP_ENQUIRY_FLAG", flags.get("cp", False)),
            ("NFA_FLAG", flags.get("nfa", False)),
            ("ADVICE_FLAG", flags.get("advice", False)),
            ("EARLY_HELP_FLAG", flags.get("early_help", False)),
        )
        self.out["ssd_contacts"].write(
            cont_contact_id=self._id("CON"),
            cont_person_id=self._person_id(child),
            cont_contact_date=day,
            cont_contact_source_code=source,
            cont_contact_source_desc=SOURCE_DESCRIPTIONS[source],
            cont_contact_outcome_json=outcome_json(outcome),
        )

    def _write_other_contact(self, child: Child, day: int) -> None:
        """A contact about a child never referred: advice, no further action or early help."""
        r = self.rnd()
        source = self.w["source"].pick(self.rnd)
        if r < 0.25:
            self._write_contact(child, day, source, early_help=True)
            if self.rnd() < 0.8:
                self._write_early_help(child, self._early_help(day + 3 + int(self.rnd() * 28)))
        else:
            self._write_contact(child, day, source, advice=r < 0.55, nfa=r >= 0.55)

    def _write_episode(self, child: Child, ep: Episode) -> None:
        pid, end = self._person_id(child), self.end
        ref_id = self._id("REF")
        if ep.contact >= self.start:
            self._write_contact(child, ep.contact, ep.source, new=True)
        self._write_existing_contacts(child, ep)
        a = ep.assessment
        self.out["ssd_cin_episodes"].write(
            cine_referral_id=ref_id,
            cine_person_id=pid,
            cine_referral_date=ep.referral,
            cine_cin_primary_need_code=ep.need,
            cine_referral_source_code=ep.source,
            cine_referral_source_desc=SOURCE_DESCRIPTIONS[ep.source],
            cine_referral_outcome_json=outcome_json(
                (
                    ("SINGLE_ASSESSMENT_FLAG", a is not None),
                    ("NFA_FLAG", ep.nfa),
                    ("STRATEGY_DISCUSSION_FLAG", ep.strategy_at_referral),
                    ("CLA_REQUEST_FLAG", False),
                    ("NON_AGENCY_ADOPTION_FLAG", False),
                    ("UNDER_18_CUSTODY_FLAG", False),
                    ("PROVISION_OF_SERVICES_FLAG", ep.short_break),
                )
            ),
            cine_referral_nfa=ep.nfa,
            cine_close_reason=ep.close_reason if ep.close <= end else None,
            cine_close_date=self._upto(ep.close),
            cine_short_break_budget_only=ep.short_break,
        )
        if a is not None and a.start <= end:
            self._write_assessment(pid, ref_id, a)
        if ep.enquiry is not None and ep.enquiry.start <= end:
            s47_id = self._write_enquiry(pid, ref_id, ep.enquiry)
        else:
            s47_id = None
        if ep.conference is not None:
            self._write_conference(pid, ref_id, s47_id, ep)
        for start, stop in ep.cin_plans:
            if start <= end:
                self.out["ssd_cin_plans"].write(
                    cinp_cin_plan_id=self._id("CINP"),
                    cinp_referral_id=ref_id,
                    cinp_person_id=pid,
                    cinp_cin_plan_start_date=start,
                    cinp_cin_plan_end_date=self._upto(stop),
                )
        if ep.early_help is not None and ep.early_help.end >= self.start:
            self._write_early_help(child, ep.early_help)

    def _write_existing_contacts(self, child: Child, ep: Episode) -> None:
        """Contacts about the child while the episode is open (within the extract)."""
        if ep.nfa:
            return
        first, last = max(ep.referral + 1, self.start), min(ep.close, self.end)
        expected = EXISTING_CONTACTS_PER_YEAR * (last - first) / 365.25
        if expected <= 0:
            return
        n = int(expected) + (self.rnd() < expected % 1)
        for day in sorted(first + int(self.rnd() * (last - first + 1)) for _ in range(n)):
            cp = ep.plan is not None and ep.plan.start <= day <= ep.plan.end
            self._write_contact(child, day, self.w["source"].pick(self.rnd), existing=True, cp=cp and self.rnd() < 0.3)

    def _write_assessment(self, pid: str, ref_id: str, a: Assessment) -> None:
        done = a.auth <= self.end
        assessment_id = self._id("ASMT")
        self.out["ssd_cin_assessments"].write(
            cina_assessment_id=assessment_id,
            cina_person_id=pid,
            cina_referral_id=ref_id,
            cina_assessment_start_date=a.start,
            cina_assessment_child_seen=a.child_seen,
            cina_assessment_auth_date=a.auth if done else None,
            cina_assessment_outcome_json=outcome_json(
                (
                    ("NFA_FLAG", a.nfa),
                    ("CIN_PLAN_FLAG", a.cin_plan),
                    ("STRATEGY_DISCUSSION_FLAG", a.strategy),
                    ("CLA_REQUEST_FLAG", a.cla),
                    ("PROVISION_OF_SERVICES_FLAG", a.services),
                    ("EARLY_HELP_FLAG", a.early_help),
                )
            )
            if done
            else None,
            cina_assessment_outcome_nfa=a.nfa if done else None,
        )
        if done and self.rnd() < 0.92:
            self.out["ssd_assessment_factors"].write(
                cinf_table_id=self._id("AF"),
                cinf_assessment_id=assessment_id,
                cinf_assessment_factors_json=self._factors_json(a.nfa),
            )

    def _factors_json(self, nfa: bool) -> str:
        """["2B","4B"], or in the older object form {"2B":"Yes","4B":"No"}."""
        r = self.rnd
        if nfa and r() < 0.15:
            codes = ["21"]
        else:
            codes = []
            for _ in range(1 + int(r() * 4)):
                code = self.w["factor"].pick(r)
                if code not in codes:
                    codes.append(code)
        if r() < 0.15:
            extra = [c for c in ("1B", "2B", "4B") if c not in codes][: int(r() * 3)]
            return "{" + ",".join([f'"{c}":"Yes"' for c in codes] + [f'"{c}":"No"' for c in extra]) + "}"
        return "[" + ",".join(f'"{c}"' for c in codes) + "]"

    def _write_enquiry(self, pid: str, ref_id: str, s47: Enquiry) -> str:
        done = s47.end <= self.end
        s47_id = self._id("S47")
        self.out["ssd_s47_enquiry"].write(
            s47e_s47_enquiry_id=s47_id,
            s47e_referral_id=ref_id,
            s47e_person_id=pid,
            s47e_s47_start_date=s47.start,
            s47e_s47_end_date=s47.end if done else None,
            s47e_s47_nfa=s47.nfa if done else None,
            s47e_s47_outcome_json=outcome_json(
                (
                    ("NFA_FLAG", s47.nfa),
                    ("ICPC_FLAG", s47.icpc),
                    ("CP_PLAN_FLAG", False),
                    ("CONTINUE_CIN_FLAG", s47.continue_cin),
                    ("CLA_REQUEST_FLAG", False),
                    ("OTHER_OUTCOMES_EXIST_FLAG", False),
                )
            )
            if done
            else None,
        )
        return s47_id

    def _write_conference(self, pid: str, ref_id: str, s47_id: str | None, ep: Episode) -> None:
        """The conference once it is decided (S47 ended, or transfer-in referred), its plan."""
        conf, end = ep.conference, self.end
        decided = ep.referral if conf.transfer_in else ep.enquiry.end
        if decided > end:
            return
        held = conf.date <= end
        plan = ep.plan if held and conf.plan else None
        icpc_id = self._id("ICPC")
        plan_id = self._id("CPP") if plan is not None else None
        self.out["ssd_initial_cp_conference"].write(
            icpc_icpc_id=icpc_id,
            icpc_s47_enquiry_id=s47_id,
            icpc_person_id=pid,
            icpc_cp_plan_id=plan_id,
            icpc_referral_id=ref_id,
            icpc_icpc_transfer_in=conf.transfer_in,
            icpc_icpc_target_date=conf.target,
            icpc_icpc_date=conf.date if held else None,
            icpc_icpc_outcome_cp_flag=conf.plan if held else None,
            icpc_icpc_outcome_json=outcome_json(
                (
                    ("NFA_FLAG", not (conf.plan or conf.cin_plan)),
                    ("SECOND_ICPC_FLAG", False),
                    ("CP_PLAN_FLAG", conf.plan),
                    ("CIN_PLAN_FLAG", conf.cin_plan),
                    ("CLA_REQUEST_FLAG", False),
                )
            )
            if held
            else None,
        )
        if plan is not None:
            self._write_plan(pid, ref_id, icpc_id, plan_id, plan)

    def _write_plan(self, pid: str, ref_id: str, icpc_id: str, plan_id: str, plan: CpPlan) -> None:
        words = self.out["ssd_cp_plans"].style.cp_words and self.rnd() < 0.85
        initial, latest = (
            (CP_CATEGORY_WORDS[plan.initial], CP_CATEGORY_WORDS[plan.latest]) if words else (plan.initial, plan.latest)
        )
        self.out["ssd_cp_plans"].write(
            cppl_cp_plan_id=plan_id,
            cppl_referral_id=ref_id,
            cppl_icpc_id=icpc_id,
            cppl_person_id=pid,
            cppl_cp_plan_start_date=plan.start,
            cppl_cp_plan_end_date=self._upto(plan.end),
            cppl_cp_plan_initial_category=initial,
            cppl_cp_plan_latest_category=latest,
            cppl_cp_plan_ola=plan.ola,
            cppl_number_of_previous_cpp=plan.previous,
        )
        self._write_reviews(pid, plan_id, plan)

    def _write_reviews(self, pid: str, plan_id: str, plan: CpPlan) -> None:
        """Reviews held by the end of the extract, then the next one due if the plan is open."""
        reviews: list[tuple[int, int | None]] = list(plan.reviews)
        if not reviews and plan.end > self.end:  # open, first review not yet held
            reviews.append((self.cal.on_or_before(plan.start + 91), None))
        for due, held in reviews:
            held = self._upto(held)
            self.out["ssd_cp_reviews"].write(
                cppr_cp_review_id=self._id("CPR"),
                cppr_cp_plan_id=plan_id,
                cppr_person_id=pid,
                cppr_cp_review_due=due,
                cppr_cp_review_date=held,
            )
            if held is None:
                return

    def _write_early_help(self, child: Child, eh: EarlyHelp) -> None:
        if eh.start > self.end:
            return
        ended = eh.end <= self.end
        self.out["ssd_early_help_episodes"].write(
            earl_episode_id=self._id("EH"),
            earl_person_id=self._person_id(child),
            earl_episode_start_date=eh.start,
            earl_episode_end_date=eh.end if ended else None,
            earl_episode_reason=eh.reason,
            earl_episode_end_reason=eh.end_reason if ended else None,
            earl_episode_organisation=eh.organisation,
            earl_assessment_date=self._upto(eh.assessment),
            earl_team_around_family=eh.team_around_family,
            earl_plan_start_date=self._upto(eh.plan_start),
            earl_record_purpose=eh.purpose,
        )


# --------------------------------------------------------------------------------------------
# The extract
# --------------------------------------------------------------------------------------------


def generate_extract(
    out: Path,
    la_codes: list[str],
    scale: str,
    start: str,
    end: str,
    seed: int,
    size: float,
    faults: bool,
    progress: bool,
) -> dict[str, int]:
    """Write a SYNTHETIC extract in the landing layout; rows written per contract table."""
    options = parse_options(la_codes, scale, start, end, seed, size, faults)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    calendar = Calendar(
        date(options.start.year - LONG_RUN_LOOKBACK_YEARS - 1, 1, 1), date(options.end.year + 8, 12, 31)
    )
    totals = dict.fromkeys(load_contract(), 0)
    injected: list[str] = []
    volumes = referrals_a_year(options)
    bar = tqdm(
        options.la_codes, desc="csc generate", unit="LA", file=sys.stderr, disable=not progress, dynamic_ncols=True
    )
    for code in bar:
        bar.set_postfix_str(f"la_code={code}")
        rng = random.Random(f"{options.seed}:{code}")
        extract = Extract(out / f"la_code={code}", rng, code, options.faults, injected)
        try:
            Council(code, volumes[code], options, calendar, rng, extract).run()
        finally:
            counts = extract.close()
        for table, rows in counts.items():
            totals[table] += rows
    demo_marker.write(out, marker_text(options, totals, injected), [out / f"la_code={c}" for c in options.la_codes])
    return totals


def marker_text(options: Options, totals: dict[str, int], injected: list[str]) -> str:
    councils = "all 152 councils of England (2013-2019)" if options.scale == "england" else ", ".join(options.la_codes)
    lines = [
        "SYNTHETIC DEMO DATA - NO REAL PERSON IS IN THESE FILES",
        "",
        "The la_code=<NNN> folders listed below were generated by `csc generate`",
        "(csc.generate.generate_extract): a seeded simulation of children's social care case flow.",
        'Every id, date, code and name ("Synthetic" / "Child0001234") is invented.',
        "The same options give byte-identical files.",
        "",
        "Options:",
        f"  councils: {councils}",
        f"  scale:    {options.scale}",
        f"  start:    {options.start.isoformat()}",
        f"  end:      {options.end.isoformat()}",
        f"  seed:     {options.seed}",
        f"  size:     {options.size:g}",
        f"  faults:   {'yes' if options.faults else 'no'}",
        "",
        "Rows written:",
        *(f"  {table}: {rows:,}" for table, rows in totals.items()),
        "",
    ]
    if options.faults:
        lines += [
            "Known data-quality faults injected (everything else is valid):",
            *(f"  {line}" for line in injected),
            "",
        ]
    else:
        lines += ["No faults injected: every value is valid against the raw contract.", ""]
    return "\n".join(lines)
