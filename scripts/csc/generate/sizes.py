"""Council sizes: children aged 0-17 per council (the reference seed, else the built-in
table) and each council's referrals a year at the chosen scale."""

from __future__ import annotations

import csv
from datetime import date
from typing import TYPE_CHECKING

from ..paths import SEEDS_DIR
from .parameters import ENGLAND_REFERRALS_PER_YEAR, REFERRALS_PER_CHILD

if TYPE_CHECKING:
    from .options import Options


POPULATION_FILE = SEEDS_DIR / "reference" / "ref_population_0_17.csv"

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
