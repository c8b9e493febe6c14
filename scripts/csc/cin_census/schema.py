"""The Children in Need census XML structure, year by year, as Python data.

Transcribed by hand from the census XSDs CIN_schema_2017.xsd ... CIN_schema_2026.xsd
(the Social Finance transcription of the DfE schemas, MIT licence; YYYY = the year ending
31 March YYYY), read from /work/shared/reference/cin_census/ when this module was written.
The project never reads those files at run time: everything the importer, exporter and
checker need is below. scripts/tests/test_cin_census.py compares this module with the XSDs
when they are present (and skips that comparison when they are not).

What changes by year (all else is identical from 2017 to 2026):
  2021  assessment factors 18B/18C and 19B/19C added (18A/19A are kept by the transcription:
        "retained despite official schema change due to client request")
  2022  CINPlanDates (CINPlanStartDate, CINPlanEndDate) inside CINdetails; factor 24A
  2023  referral source 5D; closure reason RC9
  2025  ChildIdentifiers/Sex (M/F/U) replaces GenderCurrent (1/2/0/9)
  2026  N1 renamed (description only; the code list is unchanged)

Years outside the transcribed range:
  2014-2016  (the 2013-14 to 2015-16 collections) are read and written with the 2017 structure:
             no earlier XSD was transcribed, and the single-assessment layout used here dates
             from 2013-14. This is an assumption, stated in the import summary.
  2027       (2026-27) uses the 2026 structure, as the issue asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from .. import rules

FIRST_YEAR = 2014
LAST_YEAR = 2027
TRANSCRIBED_YEARS = tuple(range(2017, 2027))


class UnsupportedYear(ValueError):
    pass


def schema_year(year: int) -> int:
    """The XSD whose structure a collection year uses."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UnsupportedYear(
            f"no CIN census schema for Year {year}: supported years are {FIRST_YEAR}-{LAST_YEAR} "
            f"(the year ending 31 March)"
        )
    return min(max(year, 2017), 2026)


def reference_date(year: int) -> date:
    return date(year, 3, 31)


def year_start(year: int) -> date:
    return date(year - 1, 4, 1)


# --------------------------------------------------------------------------------------------
# Code lists (xs:enumeration values), with the schema year each code first/last appears in.
# --------------------------------------------------------------------------------------------

_ETHNICITY = (
    "WBRI",
    "WIRI",
    "WIRT",
    "WOTH",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "AOTH",
    "BCRB",
    "BAFR",
    "BOTH",
    "CHNE",
    "OOTH",
    "REFU",
    "NOBT",
)
_DISABILITY = ("NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA")
_REFERRAL_SOURCE = (
    "1A",
    "1B",
    "1C",
    "1D",
    "2A",
    "2B",
    "3A",
    "3B",
    "3C",
    "3D",
    "3E",
    "3F",
    "4",
    "5A",
    "5B",
    "5C",
    ("5D", 2023),
    "6",
    "7",
    "8",
    "9",
    "10",
)
_CP_CATEGORY = rules.codes_of("cp_category")  # seed ref_value_maps, as staging reads them
_PRIMARY_NEED = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9", "N0")
_CLOSURE_REASON = ("RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8", ("RC9", 2023))
_ASSESSMENT_FACTOR = (
    "1A",
    "1B",
    "1C",
    "2A",
    "2B",
    "2C",
    "3A",
    "3B",
    "3C",
    "4A",
    "4B",
    "4C",
    "5A",
    "5B",
    "5C",
    "6A",
    "6B",
    "6C",
    "7A",
    "8B",
    "8C",
    "8D",
    "8E",
    "8F",
    "9A",
    "10A",
    "11A",
    "12A",
    "13A",
    "14A",
    "15A",
    "16A",
    "17A",
    "18A",
    ("18B", 2021),
    ("18C", 2021),
    "19A",
    ("19B", 2021),
    ("19C", 2021),
    "20",
    "21",
    "22A",
    "23A",
    ("24A", 2022),
)
_UPN_UNKNOWN = ("UN1", "UN2", "UN3", "UN4", "UN5", "UN6", "UN7")
_GENDER = tuple(rules.value_map("gender_legacy"))  # GenderCurrent, 2017-2024 (seed ref_value_maps)
_SEX = rules.codes_of("sex")  # Sex, from 2025

CODE_LIST_SOURCES: dict[str, tuple] = {
    "ethnicity": _ETHNICITY,
    "disability": _DISABILITY,
    "referral_source": _REFERRAL_SOURCE,
    "cp_category": _CP_CATEGORY,
    "primary_need": _PRIMARY_NEED,
    "closure_reason": _CLOSURE_REASON,
    "assessment_factor": _ASSESSMENT_FACTOR,
    "upn_unknown": _UPN_UNKNOWN,
    "gender": _GENDER,
    "sex": _SEX,
    "collection": ("CIN",),
    "source_level": ("L",),
    "yesno": ("0", "1"),
}


@cache
def code_lists(year: int) -> dict[str, tuple[str, ...]]:
    """Every code list as used in the given collection year (schema order kept)."""
    sy = schema_year(year)
    out: dict[str, tuple[str, ...]] = {}
    for name, entries in CODE_LIST_SOURCES.items():
        codes = []
        for entry in entries:
            code, first = entry if isinstance(entry, tuple) else (entry, 0)
            if sy >= first:
                codes.append(code)
        out[name] = tuple(codes)
    return out


# Codes an older return cannot hold, with the code it reported instead (used by the exporter:
# 18B/18C are "physical abuse" split by who harmed the child, 18A is physical abuse).
OLDER_EQUIVALENT = {
    "assessment_factor": {"18B": "18A", "18C": "18A", "19B": "19A", "19C": "19A"},
}

# GenderCurrent <-> Sex: seed ref_value_maps (gender_legacy), the map staging reads.
GENDER_TO_SEX = dict(rules.value_map("gender_legacy"))
SEX_TO_GENDER = rules.sex_to_gender()


# --------------------------------------------------------------------------------------------
# Element structure
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One element of the schema: simple (type set) or complex (children, an xs:sequence)."""

    name: str
    type: str | None = None  # date, gYear, dateTime, string, yesno, count, code, pattern
    min: int = 1
    max: int | None = 1  # None = unbounded
    codes: str | None = None  # code list name when type == "code"
    pattern: str | None = None  # regex when type == "pattern"
    children: tuple[Spec, ...] = ()
    required_text: bool = False  # stricter than the XSD: must not be blank (LAchildID)

    def child(self, name: str) -> Spec:
        for c in self.children:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def child_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.children)


def _s(name, type_="string", min_=1, max_=1, codes=None, pattern=None, required_text=False):
    return Spec(name, type=type_, min=min_, max=max_, codes=codes, pattern=pattern, required_text=required_text)


def _c(name, children, min_=1, max_=1):
    return Spec(name, min=min_, max=max_, children=tuple(children))


def _code(name, codes, min_=1, max_=1):
    return _s(name, "code", min_, max_, codes=codes)


UPN_PATTERN = r"[A-Za-z]\d{11}(\d|[A-Za-z])"


@cache
def message_spec(year: int) -> Spec:
    """The whole Message element for a collection year (CIN_schema_<schema_year(year)>.xsd)."""
    header = _c(
        "Header",
        [
            _c(
                "CollectionDetails",
                [
                    _code("Collection", "collection", 0),
                    _s("Year", "gYear", 0),
                    _s("ReferenceDate", "date", 0),
                ],
                0,
            ),
            _c(
                "Source",
                [
                    _code("SourceLevel", "source_level", 0),
                    _s("LEA", "pattern", pattern=r"\d{3}"),
                    _s("SoftwareCode", "string", 0),
                    _s("Release", "string", 0),
                    _s("SerialNo", "pattern", 0, pattern=r"\d{3}\d*"),
                    _s("DateTime", "dateTime", 0),
                ],
                0,
                None,
            ),
        ],
        0,
    )
    return _c("Message", [header, _c("Children", [child_spec(year)])])


@cache
def child_spec(year: int) -> Spec:
    sy = schema_year(year)
    sex = _code("Sex", "sex") if sy >= 2025 else _code("GenderCurrent", "gender")
    identifiers = _c(
        "ChildIdentifiers",
        [
            _s("LAchildID", "string", required_text=True),
            _s("UPN", "pattern", 0, pattern=UPN_PATTERN),
            _s("FormerUPN", "pattern", 0, pattern=UPN_PATTERN),
            _code("UPNunknown", "upn_unknown", 0),
            _s("PersonBirthDate", "date", 0),
            _s("ExpectedPersonBirthDate", "date", 0),
            sex,
            _s("PersonDeathDate", "date", 0),
        ],
    )
    characteristics = _c(
        "ChildCharacteristics",
        [
            _code("Ethnicity", "ethnicity"),
            _c("Disabilities", [_code("Disability", "disability", 1, None)], 0),
        ],
    )
    assessments = _c(
        "Assessments",
        [
            _s("AssessmentActualStartDate", "date"),
            _s("AssessmentInternalReviewDate", "date", 0),
            _s("AssessmentAuthorisationDate", "date", 0),
            _c("FactorsIdentifiedAtAssessment", [_code("AssessmentFactors", "assessment_factor", 1, None)], 0),
        ],
        0,
        None,
    )
    cin_plan_dates = _c(
        "CINPlanDates",
        [
            _s("CINPlanStartDate", "date"),
            _s("CINPlanEndDate", "date", 0),
        ],
        0,
        None,
    )
    section47 = _c(
        "Section47",
        [
            _s("S47ActualStartDate", "date"),
            _s("InitialCPCtarget", "date", 0),
            _s("DateOfInitialCPC", "date", 0),
            _s("ICPCnotRequired", "yesno"),
        ],
        0,
        None,
    )
    cp_plans = _c(
        "ChildProtectionPlans",
        [
            _s("CPPstartDate", "date"),
            _s("CPPendDate", "date", 0),
            _code("InitialCategoryOfAbuse", "cp_category"),
            _code("LatestCategoryOfAbuse", "cp_category"),
            _s("NumberOfPreviousCPP", "count"),
            _c("Reviews", [_s("CPPreviewDate", "date", 1, None)], 0),
        ],
        0,
        None,
    )
    details = [
        _s("CINreferralDate", "date"),
        _code("ReferralSource", "referral_source"),
        _code("PrimaryNeedCode", "primary_need", 0),
        _s("CINclosureDate", "date", 0),
        _code("ReasonForClosure", "closure_reason", 0),
        _s("DateOfInitialCPC", "date", 0),
        assessments,
    ]
    if sy >= 2022:
        details.append(cin_plan_dates)
    details += [section47, _s("ReferralNFA", "yesno"), cp_plans]
    return _c("Child", [identifiers, characteristics, _c("CINdetails", details, 1, None)], 1, None)


# --------------------------------------------------------------------------------------------
# A small element tree (with source line numbers) and the structural validator
# --------------------------------------------------------------------------------------------


class Node:
    """An XML element: tag, text (simple content), children, and the line it started on."""

    __slots__ = ("children", "line", "tag", "text")

    def __init__(
        self, tag: str, text: str | None = None, children: list[Node] | None = None, line: int | None = None
    ) -> None:
        self.tag = tag
        self.text = text
        self.children = children if children is not None else []
        self.line = line

    def find(self, tag: str) -> Node | None:
        for c in self.children:
            if c.tag == tag:
                return c
        return None

    def findall(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def value(self, tag: str) -> str | None:
        """Stripped text of the first child with this tag; None if absent or blank."""
        c = self.find(tag)
        if c is None or c.text is None:
            return None
        v = c.text.strip()
        return v or None

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Node({self.tag!r}, {self.text!r}, {len(self.children)} children, line={self.line})"


@dataclass
class Problem:
    """One way a document breaks the structure. kind: missing, too_many, value, code (an unknown
    code, malformed value or missing element a DfE rule reports), unexpected, order."""

    kind: str
    path: str
    message: str
    line: int | None = None

    # Problems the importer can read past (it reads by element name, and keeps an unknown code
    # that a DfE rule reports: RULE_CHECKED_VALUES); the exporter cannot.
    TOLERABLE = ("unexpected", "order", "code")

    @property
    def tolerable(self) -> bool:
        return self.kind in self.TOLERABLE

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.path}: {self.message}"


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$")
_GYEAR = re.compile(r"^\d{4}(Z|[+-]\d{2}:\d{2})?$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_COUNT = re.compile(r"^\+?\d+$")
_YESNO_LENIENT = {"1": True, "0": False, "true": True, "false": False}


def parse_date(text: str | None) -> date | None:
    """An xs:date (YYYY-MM-DD, optional time zone) as a date; None if it does not parse."""
    if text is None:
        return None
    m = _DATE.match(text.strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_yesno(text: str | None, lenient: bool = True) -> bool | None:
    """0/1 (the schema's yesnotype); true/false as well when lenient (some suppliers write it)."""
    if text is None:
        return None
    t = text.strip()
    if not lenient:
        return {"1": True, "0": False}.get(t)
    return _YESNO_LENIENT.get(t.lower())


# Elements whose unknown code or malformed value a DfE rule reports, on the return's child, with
# DfE's rule code and message (models/intermediate/dq/int_dq_dfe_codes.sql, 8897Q
# int_dq_dfe_assessment_factors, 1540 and 1560Q int_dq_dfe_upn_format): the importer keeps such a value (a
# warning) instead of skipping the child, so the rule runs as DfE's validator does. A test holds
# each rule to seed dfe_cin_rule_models. Other unknown codes (a sex, a disability, a latest
# category: the export would write another value) still skip the child.
RULE_CHECKED_VALUES = {
    "UPN": "1540",
    "FormerUPN": "1560Q",
    "Ethnicity": "4220",
    "ReferralSource": "8866",
    "PrimaryNeedCode": "8650",
    "ReasonForClosure": "8640",
    "InitialCategoryOfAbuse": "8905",
    "AssessmentFactors": "8897Q",
}


# Required elements a DfE rule reports missing, blank or malformed, on the return's child
# (models/intermediate/dq/int_dq_dfe_census_values.sql): the importer keeps the child with the
# value as given (blank when missing), so the rule runs as DfE's validator does. A count is
# kept only when it reads as a whole number (DfE's validator fails on other text) and a
# negative one is what 8730 reports.
RULE_CHECKED_MISSING = {
    "GenderCurrent": "4180",
    "Sex": "4180",
    "ReferralNFA": "8568",
    "NumberOfPreviousCPP": "8730",
    "LatestCategoryOfAbuse": "8910",
    "CPPreviewDate": "8842Q",  # blank or unreadable: DfE's validator reads either as no date
    # a child without an LAchildID, or without an episode, is kept under a person id of its own
    # (csc.cin_census.child_ids) and reported by the rule
    "LAchildID": "8500",
    "CINdetails": "8590",
}
_NEGATIVE_COUNT = re.compile(r"^\s*-\d+\s*$")


def _value_problem(spec: Spec, text: str | None, path: str, msg: str, line: int | None) -> Problem:
    """A simple value that breaks its spec: kind code when a DfE rule reports it (a code or
    pattern that is not blank: a blank one reads as missing, which the export would fill; any
    value of an element in RULE_CHECKED_MISSING but a count that is not a number), else value."""
    blank = not (text or "").strip()
    if spec.name in RULE_CHECKED_MISSING:
        rule_checked = spec.type != "count" or blank or bool(_NEGATIVE_COUNT.match(text or ""))
    else:
        rule_checked = spec.type in ("code", "pattern") and spec.name in RULE_CHECKED_VALUES and not blank
    return Problem("code" if rule_checked else "value", path, msg, line)


def check_value(
    spec: Spec, text: str | None, codes: dict[str, tuple[str, ...]], year: int, lenient: bool
) -> str | None:
    """None if the simple content is valid for the spec, else what is wrong with it."""
    raw = text if text is not None else ""
    t = raw.strip() if lenient else raw
    if spec.type == "string":
        if spec.required_text and not t.strip():
            return "is blank"
        return None
    if spec.type == "date":
        return (
            None if parse_date(t) is not None and (lenient or t == t.strip()) else f"{raw!r} is not a date (YYYY-MM-DD)"
        )
    if spec.type == "gYear":
        return None if _GYEAR.match(t) else f"{raw!r} is not a year (YYYY)"
    if spec.type == "dateTime":
        return None if _DATETIME.match(t) else f"{raw!r} is not a date and time (YYYY-MM-DDThh:mm:ss)"
    if spec.type == "yesno":
        ok = parse_yesno(t, lenient) is not None
        return None if ok else f"{raw!r} is not 0 or 1" + (" (or true/false)" if lenient else "")
    if spec.type == "count":
        return None if _COUNT.match(t) else f"{raw!r} is not a whole number of 0 or more"
    if spec.type == "pattern":
        return None if re.fullmatch(spec.pattern, t) else f"{raw!r} does not match the pattern {spec.pattern}"
    if spec.type == "code":
        allowed = codes[spec.codes]
        if t in allowed:
            return None
        return f"{raw!r} is not a code of {spec.codes} in the {schema_year(year)} schema (allowed: {' '.join(allowed)})"
    raise ValueError(f"unknown type {spec.type}")  # pragma: no cover


def validate(
    node: Node, spec: Spec, year: int, lenient: bool = False, path: str = "", problems: list[Problem] | None = None
) -> list[Problem]:
    """Check a node against its spec: element names, counts, order, simple values and codes.

    The XSD's xs:sequence semantics: every child element must be a declared one, occur between
    min and max times, and appear in declaration order. With lenient=True values are stripped
    of surrounding blanks and yes/no may be true/false (as the importer accepts)."""
    problems = [] if problems is None else problems
    path = path or node.tag
    codes = code_lists(year)
    if spec.type is not None:
        msg = check_value(spec, node.text, codes, year, lenient)
        if msg:
            problems.append(_value_problem(spec, node.text, path, msg, node.line))
        return problems
    by_name: dict[str, list[Node]] = {}
    known = {c.name: i for i, c in enumerate(spec.children)}
    last_index, order_reported = -1, False
    for kid in node.children:
        if kid.tag not in known:
            problems.append(
                Problem(
                    "unexpected",
                    f"{path}/{kid.tag}",
                    f"<{kid.tag}> is not an element of <{node.tag}> in the {schema_year(year)} schema"
                    + _hint(kid.tag, year),
                    kid.line,
                )
            )
            continue
        by_name.setdefault(kid.tag, []).append(kid)
        idx = known[kid.tag]
        if idx < last_index and not order_reported:
            problems.append(
                Problem(
                    "order",
                    f"{path}/{kid.tag}",
                    f"<{kid.tag}> is out of order: the schema puts it before <{spec.children[last_index].name}>",
                    kid.line,
                )
            )
            order_reported = True
        last_index = max(last_index, idx)
    for child_spec_ in spec.children:
        found = by_name.get(child_spec_.name, [])
        if len(found) < child_spec_.min:
            problems.append(
                Problem(
                    "code" if child_spec_.name in RULE_CHECKED_MISSING else "missing",
                    f"{path}/{child_spec_.name}",
                    f"required element <{child_spec_.name}> is missing from <{node.tag}>"
                    + _hint(child_spec_.name, year),
                    node.line,
                )
            )
        if child_spec_.max is not None and len(found) > child_spec_.max:
            problems.append(
                Problem(
                    "too_many",
                    f"{path}/{child_spec_.name}",
                    f"<{child_spec_.name}> occurs {len(found)} times in <{node.tag}> (at most {child_spec_.max})",
                    found[child_spec_.max].line,
                )
            )
        for i, kid in enumerate(found, start=1):
            if child_spec_.type is not None:  # simple content: checked here, path only if wrong
                msg = check_value(child_spec_, kid.text, codes, year, lenient)
                if msg:
                    kid_path = f"{path}/{kid.tag}" + (f"[{i}]" if child_spec_.max != 1 else "")
                    problems.append(_value_problem(child_spec_, kid.text, kid_path, msg, kid.line))
                continue
            kid_path = f"{path}/{kid.tag}" + (f"[{i}]" if child_spec_.max != 1 else "")
            validate(kid, child_spec_, year, lenient, kid_path, problems)
    return problems


def _hint(tag: str, year: int) -> str:
    sy = schema_year(year)
    if tag == "Sex" and sy < 2025:
        return f" (Sex replaced GenderCurrent in 2025; Year {year} uses GenderCurrent 1/2/0/9)"
    if tag == "GenderCurrent" and sy >= 2025:
        return f" (GenderCurrent was replaced by Sex M/F/U in 2025; Year {year} uses Sex)"
    if tag in ("CINPlanDates", "CINPlanStartDate") and sy < 2022:
        return " (CIN plan dates are collected from 2021-22, the 2022 schema)"
    return ""
