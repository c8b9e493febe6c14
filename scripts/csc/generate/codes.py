"""Code lists and their weights: what a simulated child's records hold, and `Weighted`, the
one-draw picker over them."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import date
from itertools import accumulate

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
