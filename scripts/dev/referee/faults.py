"""A SYNTHETIC CIN census return planting one failure of each DfE rule the warehouse implements.

    python scripts/dev/referee/faults.py OUT.xml --year 2025 [--manifest OUT.csv]
        [--whole-return OUT2.xml]

Every child is clean (a young child with one closed, assessed episode and a CIN plan) but
for the one rule its LAchildID names: F1103 plants 1103, and so on. `planted(year)` is the
manifest: the (LAchildID, rule) pairs both `csc check-cin-census` and DfE's validator must
flag, and nothing else among the implemented rules (scripts/tests/test_referee.py). A rule
that is not in the year's ruleset (seed dfe_cin_rules) is not planted. The dates are chosen
so that no other conference falls on a weekend (8875) in 2022-23 and 2024-25, the years the
tests check; in other years a child may raise 8875 too (both sides still have to agree).
DfE's rules on the return as a whole (WHOLE_RETURN_RULES) fire once for a return, so they are
planted together in a second, small return (--whole-return; `whole_return_children`), its
manifest pairs ("*", rule); the first return holds none of them. A plant of a step DfE's
validator cannot fire (CANNOT_FIRE_PLANTS; cannot_fire.csv) is in our manifest, not the
validator's.
Synthetic: no real child is in it.
"""

from __future__ import annotations

import argparse
import copy
import csv
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

from csc.cin_census.upn import CHECK_LETTERS, synthetic_upn  # noqa: E402
from csc.cin_census.xmlio import write_cin_census_xml  # noqa: E402

# Rules a plant cannot help raising too (both sides must flag them as well): an initial
# conference before the referral needs an S47 enquiry started before it (2889); a CP plan
# under an NFA referral comes from a conference after an S47 enquiry (8831); a CP plan starting
# before the referral has no conference on its start day (2885).
# An open CIN plan beside an open CP plan (4001) started within it or it within the CIN plan
# (4016); two open CIN plans (4004) overlap (4014); two open S47 enquiries (8839) or
# assessments (8896) run at once (8890, 8863Q); an open episode that is not the latest
# (8816, as with two open ones, 8815) overlaps the later one (8820).
ALSO = {
    "1104": ("2889",),
    "1105": ("2885",),
    "8832": ("8831",),
    "4001": ("4016",),
    "4004": ("4014",),
    "8839": ("8890",),
    "8896": ("8863Q",),
    "8815": ("8816", "8820"),
    "8816": ("8820",),
    # two open CP plans of one episode: the later starts within the earlier (8940)
    "8935": ("8940",),
    # an episode closed before its referral holds an assessment after its closure (8565)
    "8630": ("8565",),
}


# child -> rule: plants of a step DfE's validator cannot fire (scripts/dev/referee/cannot_fire.csv)
CANNOT_FIRE_PLANTS = {"F8565CP": "8565"}


def _saturday_after(day: date) -> date:
    return day + timedelta(days=(5 - day.weekday()) % 7)


def _wrong_letter(upn: str) -> str:
    return CHECK_LETTERS[(CHECK_LETTERS.index(upn[0]) + 1) % len(CHECK_LETTERS)] + upn[1:]


def _base(child_id: str, year: int) -> dict:
    y = year - 1  # the census year runs from 1 April of y to 31 March of `year`
    return {
        "id": child_id,
        "dob": f"{year - 4}-01-01",  # under school age: no UPN expected
        "sex": "M",
        "ethnicity": "WBRI",
        "disabilities": ["NONE"],  # a child with no disability is written NONE (8540)
        "episodes": [
            {
                "referral_date": f"{y}-06-01",
                "source": "1A",
                "need": "N1",
                "close_date": f"{y}-12-01",
                "close_reason": "RC7",
                "nfa": False,
                "assessments": [{"start": f"{y}-06-02", "auth": f"{y}-07-01", "factors": ["2B"]}],
                "cin_plans": [{"start": f"{y}-07-02", "end": f"{y}-11-30"}],
                "s47s": [],
                "cp_plans": [],
            }
        ],
    }


def _episode(referral: str, close: str | None, reason: str | None) -> dict:
    """A further episode with no modules."""
    return {
        "referral_date": referral,
        "source": "1A",
        "need": "N1",
        "close_date": close,
        "close_reason": reason,
        "nfa": False,
        "assessments": [],
        "cin_plans": [],
        "s47s": [],
        "cp_plans": [],
    }


def _cp_plan(start: str, end: str | None, reviews: list[str] | None = None) -> dict:
    return {"start": start, "end": end, "initial": "NEG", "latest": "NEG", "previous": 0, "reviews": reviews or []}


def _plants(year: int) -> dict[str, object]:
    """rule -> a function editing a clean child (dict) so that it breaks that rule."""
    y = year - 1

    def episode(c):
        return c["episodes"][0]

    def s47_with_icpc(c, start, icpc):
        episode(c)["s47s"].append({"start": start, "target": None, "icpc_date": icpc, "icpc_not_required": False})

    # a date after the census year: the first weekday from 14 April (no bank holiday in 2023-2027)
    after = next(d for d in (date(year, 4, n) for n in range(14, 21)) if d.weekday() < 5).isoformat()

    def reopen(c):
        episode(c).update(close_date=None, close_reason=None)

    def cp_from_icpc(c, icpc, end=None, reviews=None):
        s47_with_icpc(c, f"{y}-06-05", icpc)
        episode(c)["cp_plans"].append(_cp_plan(icpc, end, reviews))
        episode(c)["cin_plans"] = []

    return {
        "1103": lambda c: episode(c)["assessments"][0].update(start=f"{y}-05-20"),
        "1104": lambda c: (episode(c).update(referral_date=f"{y}-06-01"), s47_with_icpc(c, f"{y}-05-01", f"{y}-05-20")),
        "1105": lambda c: (
            episode(c).update(cin_plans=[]) or episode(c)["cp_plans"].append(_cp_plan(f"{y}-05-25", f"{y}-11-30"))
        ),
        "2889": lambda c: episode(c)["s47s"].append(
            {"start": f"{y}-05-25", "target": None, "icpc_date": None, "icpc_not_required": True}
        ),
        "4015": lambda c: episode(c)["cin_plans"][0].update(start=f"{y}-05-25"),
        "8608": lambda c: episode(c)["assessments"][0].update(auth=f"{y}-06-01"),
        "8615": lambda c: s47_with_icpc(c, f"{y}-06-20", f"{y}-06-10"),
        # no CIN plan after the closure: DfE's validator crashes on 8565 when the return's
        # CIN-plan failures outnumber its S47 ones (compare.py reports the crash apart)
        "8630": lambda c: episode(c).update(close_date=f"{y}-05-01", cin_plans=[]),
        "8840": lambda c: cp_from_icpc(c, f"{y}-06-20", f"{y}-06-20"),
        "8841": lambda c: cp_from_icpc(c, f"{y}-06-20", f"{y}-11-30", [f"{y}-06-20"]),
        "8925": lambda c: cp_from_icpc(c, f"{y}-06-20", f"{y}-06-19"),
        "8820": lambda c: c["episodes"].append(
            {**copy.deepcopy(episode(c)), "referral_date": f"{y}-11-01", "close_date": f"{y}-12-20"}
            | {"assessments": [], "cin_plans": []}
        ),
        "8839": lambda c: (
            episode(c).update(close_date=None, close_reason=None)
            or [
                episode(c)["s47s"].append({"start": d, "target": None, "icpc_date": None, "icpc_not_required": False})
                for d in (f"{year}-03-25", f"{year}-03-26")
            ]
        ),
        "8896": lambda c: (
            episode(c).update(close_date=None, close_reason=None)
            or episode(c)["assessments"].extend(
                [{"start": d, "auth": None, "factors": []} for d in (f"{year}-03-25", f"{year}-03-26")]
            )
        ),
        "8940": lambda c: (
            cp_from_icpc(c, f"{y}-06-20", f"{y}-10-01"),
            s47_with_icpc(c, f"{y}-08-25", f"{y}-09-02"),
            episode(c)["cp_plans"].append(_cp_plan(f"{y}-09-02", f"{y}-11-30")),
        ),
        "2885": lambda c: (
            cp_from_icpc(c, f"{y}-06-20", f"{y}-11-30") or episode(c)["cp_plans"][0].update(start=f"{y}-06-21")
        ),
        "8831": lambda c: episode(c).update(nfa=True, cin_plans=[]),
        "8670Q": lambda c: (
            episode(c).update(close_date=None, close_reason=None)
            or episode(c)["assessments"][0].update(start=f"{year}-01-05", auth=None, factors=[])
        ),
        "8675Q": lambda c: (
            episode(c).update(close_date=None, close_reason=None)
            or episode(c)["s47s"].append(
                {"start": f"{year}-01-05", "target": None, "icpc_date": None, "icpc_not_required": False}
            )
        ),
        "1510": lambda c: c.update(upn=_wrong_letter(synthetic_upn("878", 1510, y))),
        "1520": lambda c: c.update(upn=synthetic_upn("878", 1520, y)),
        "8750": lambda c: c.update(dob=None, expected_dob=f"{year}-03-05", gender="1", sex="M"),
        "8770Q": lambda c: c.update(dob=f"{year - 10}-01-01", upn_unknown="UN1"),
        "8772": lambda c: c.update(upn_unknown="UN7"),
        "8610": lambda c: episode(c).update(need=None),
        "2990": lambda c: episode(c).update(close_reason="RC8"),
        "8825Q": lambda c: episode(c).update(close_reason="RC8", assessments=[], cin_plans=[]),
        "2991Q": lambda c: (
            episode(c).update(assessments=[])
            or episode(c)["s47s"].append(
                {"start": f"{y}-06-05", "target": None, "icpc_date": None, "icpc_not_required": True}
            )
        ),
        "1570": lambda c: c.update(id="F1570ABCDEFGHIJKLMNOP"),
        "1580": lambda c: c.update(id="F-1580"),
        "8525Q": lambda c: c.update(dob=None),
        "8530Q": lambda c: c.update(dob=None, expected_dob=f"{y}-12-01", sex="U", gender=None),
        "8873Q": lambda c: episode(c)["assessments"][0].update(factors=["21"]),
        "8897Q": lambda c: episode(c)["assessments"][0].update(factors=[]),
        "4004": lambda c: episode(c).update(
            close_date=None,
            close_reason=None,
            cin_plans=[{"start": f"{y}-07-02", "end": None}, {"start": f"{y}-08-01", "end": None}],
        ),
        "4012Q": lambda c: episode(c)["cin_plans"][0].update(end=f"{y}-07-02"),
        "8875": lambda c: s47_with_icpc(c, f"{y}-06-05", _saturday_after(date(y, 6, 10)).isoformat()),
        "8945Q": lambda c: episode(c)["assessments"][0].update(factors=["18A"]),
        "8950Q": lambda c: episode(c)["assessments"][0].update(factors=["19A"]),
        # CIN plans against the child's other plans
        "4000": lambda c: episode(c).update(nfa=True, assessments=[]),
        "4001": lambda c: (
            cp_from_icpc(c, f"{y}-06-20", None),
            episode(c).update(close_date=None, close_reason=None, cin_plans=[{"start": f"{y}-07-02", "end": None}]),
        ),
        "4003": lambda c: (
            cp_from_icpc(c, f"{y}-06-20", f"{y}-06-30", [f"{y}-07-10"]),
            episode(c).update(cin_plans=[{"start": f"{y}-07-02", "end": f"{y}-11-30"}]),
        ),
        "4011": lambda c: episode(c)["cin_plans"][0].update(start=f"{y}-08-01", end=f"{y}-07-15"),
        "4014": lambda c: episode(c).update(
            cin_plans=[{"start": f"{y}-07-02", "end": f"{y}-09-30"}, {"start": f"{y}-09-01", "end": f"{y}-11-30"}]
        ),
        "4016": lambda c: (
            cp_from_icpc(c, f"{y}-06-20", f"{y}-09-30"),
            episode(c).update(cin_plans=[{"start": f"{y}-08-01", "end": f"{y}-11-30"}]),
        ),
        "4017": lambda c: (
            cp_from_icpc(c, f"{y}-08-22", f"{y}-10-30"),
            episode(c).update(cin_plans=[{"start": f"{y}-07-02", "end": f"{y}-11-30"}]),
        ),
        # the child's date of death
        "4008": lambda c: (
            c.update(death_date=f"{y}-10-01"),
            episode(c).update(cin_plans=[{"start": f"{y}-10-15", "end": None}]),
        ),
        "4009Q": lambda c: c.update(death_date=f"{y}-11-01"),
        "8915": lambda c: (c.update(death_date=f"{y}-06-25"), cp_from_icpc(c, f"{y}-07-01", None)),
        "8920": lambda c: (c.update(death_date=f"{y}-10-01"), cp_from_icpc(c, f"{y}-06-20", f"{y}-11-30")),
        "8535Q": lambda c: (
            c.update(dob=f"{y}-11-01", death_date=f"{y}-10-01"),
            episode(c)["cin_plans"][0].update(end=f"{y}-09-30"),
        ),
        "8555Q": lambda c: (c.update(death_date=f"{y}-05-15"), episode(c).update(cin_plans=[])),
        "8585Q": lambda c: episode(c).update(close_reason="RC2"),
        # open and closed episodes
        "8805": lambda c: episode(c).update(close_reason=None),
        "8815": lambda c: (
            episode(c).update(close_date=None, close_reason=None),
            c["episodes"].append(_episode(f"{y}-12-15", None, None)),
        ),
        "8816": lambda c: (
            episode(c).update(close_date=None, close_reason=None),
            c["episodes"].append(_episode(f"{y}-12-15", f"{y}-12-20", "RC7")),
        ),
        "8867": lambda c: (
            episode(c).update(close_date=f"{year}-03-20"),
            episode(c)["assessments"].append({"start": f"{year}-03-01", "auth": None, "factors": []}),
        ),
        "8868": lambda c: (
            episode(c).update(close_date=f"{year}-03-20"),
            episode(c)["s47s"].append(
                {"start": f"{year}-03-15", "target": None, "icpc_date": None, "icpc_not_required": False}
            ),
        ),
        # two assessments or S47 enquiries of one episode at once
        "8863Q": lambda c: episode(c)["assessments"].append(
            {"start": f"{y}-06-20", "auth": f"{y}-07-10", "factors": ["2B"]}
        ),
        "8890": lambda c: (s47_with_icpc(c, f"{y}-06-05", f"{y}-06-20"), s47_with_icpc(c, f"{y}-06-10", f"{y}-06-21")),
        # the shape of a UPN
        "1530": lambda c: c.update(upn=synthetic_upn("999", 1530, y)),
        "1550": lambda c: c.update(upn="A87800012345I"),
        "1540": lambda c: c.update(upn="A8780001X3459"),
        # codes and identifiers (w11b)
        "8790": lambda c: c.update(disabilities=["NONE", "MOB"]),
        "8775Q": lambda c: c.update(dob=f"{year - 26}-01-01", upn=synthetic_upn("878", 8775, y)),
        # codes outside DfE's code sets (the importer keeps them: csc.cin_census.schema.RULE_CHECKED_VALUES)
        "4220": lambda c: c.update(ethnicity="XXXX"),
        "8866": lambda c: episode(c).update(source="11"),
        "8650": lambda c: episode(c).update(need="N10"),
        "8640": lambda c: episode(c).update(close_reason="RC10"),
        "8905": lambda c: (
            cp_from_icpc(c, f"{y}-06-20", f"{y}-11-30") or episode(c)["cp_plans"][0].update(initial="XXX")
        ),
        # a death before the census year, in an episode open on 1 April (modules before the death)
        "8545Q": lambda c: (
            c.update(death_date=f"{y}-03-15"),
            episode(c).update(referral_date=f"{y}-03-01", close_date=f"{y}-04-20", close_reason="RC2", cin_plans=[]),
            episode(c)["assessments"][0].update(start=f"{y}-03-02", auth=f"{y}-04-10"),
        ),
        # an episode's own dates and flags (int_dq_dfe_episode_flags)
        "8810": lambda c: episode(c).update(close_date=None),
        "8569Q": lambda c: episode(c).update(
            referral_date=f"{y}-03-20", close_date=f"{y}-04-10", nfa=True, assessments=[], cin_plans=[]
        ),
        "8606": lambda c: c.update(dob=f"{year}-03-25"),
        # one date of a record outside the census year (int_dq_dfe_census_year_dates): the
        # episode is left open so that no record dates after its closure
        "8600": lambda c: c.update(episodes=[_episode(after, None, None)]),
        "8620": lambda c: episode(c).update(close_date=after),
        "8696": lambda c: (reopen(c), episode(c)["assessments"][0].update(auth=after)),
        "8736": lambda c: (reopen(c), episode(c)["assessments"].append({"start": after, "auth": None, "factors": []})),
        "4010": lambda c: (reopen(c), episode(c)["cin_plans"].append({"start": after, "end": None})),
        "4013": lambda c: (reopen(c), episode(c)["cin_plans"][0].update(end=after)),
        "8720": lambda c: (
            reopen(c),
            episode(c).update(cin_plans=[]),
            episode(c)["cp_plans"].append(_cp_plan(after, None)),
        ),
        "8930": lambda c: (reopen(c), cp_from_icpc(c, f"{y}-06-20", after)),
        "8715": lambda c: (reopen(c), s47_with_icpc(c, f"{y}-06-05", after)),
        "8740": lambda c: (
            reopen(c),
            episode(c)["s47s"].append({"start": after, "target": None, "icpc_date": None, "icpc_not_required": False}),
        ),
        # activity after the episode's closure (int_dq_dfe_episode_activity)
        "8565": lambda c: episode(c)["assessments"][0].update(auth=f"{y}-12-05"),
        # factors on an assessment not completed (an open one in an open episode): DfE's
        # validator crashes on 8614 whenever it would raise it (compare.py lists the crash)
        "8614": lambda c: (
            reopen(c),
            episode(c)["assessments"].append({"start": f"{year}-03-25", "auth": None, "factors": ["2B"]}),
        ),
        # a child's CP plans and conferences counted (int_dq_dfe_plan_counts)
        "8935": lambda c: (
            reopen(c),
            cp_from_icpc(c, f"{y}-06-20", None),
            s47_with_icpc(c, f"{y}-08-01", f"{y}-08-08"),
            episode(c)["cp_plans"].append(_cp_plan(f"{y}-08-08", None)),
        ),
        "2884": lambda c: (s47_with_icpc(c, f"{y}-06-05", f"{y}-06-20"), episode(c).update(icpc_date=f"{y}-06-20")),
        "8870Q": lambda c: episode(c)["s47s"].append(
            {
                "start": f"{y}-06-05",
                "target": _saturday_after(date(y, 6, 10)).isoformat(),
                "icpc_date": None,
                "icpc_not_required": True,
            }
        ),
        # records the importer or the census models used to lose (w11b): a birth after the
        # ReferenceDate, kept as the file gives it; the episode starts within 40 weeks of it (8606)
        "8520": lambda c: (
            c.update(dob=f"{year}-04-02"),
            episode(c).update(referral_date=f"{year}-01-10", close_date=f"{year}-03-05"),
            episode(c)["assessments"][0].update(start=f"{year}-01-11", auth=f"{year}-02-01"),
            episode(c)["cin_plans"][0].update(start=f"{year}-02-02", end=f"{year}-03-01"),
        ),
        # a disability code given twice (the importer used to drop the repeat)
        "8794": lambda c: c.update(disabilities=["MOB", "MOB"]),
        # a required value missing or not as DfE writes it: the importer keeps the child
        # (csc.cin_census.schema.RULE_CHECKED_MISSING); int_dq_dfe_census_values reads it as written
        "4180": lambda c: c.update(sex="m", gender="5"),
        "8568": lambda c: episode(c).update(nfa=""),  # written blank (a bool is written 0/1)
        "8730": lambda c: (
            cp_from_icpc(c, f"{y}-06-20", f"{y}-11-30") or episode(c)["cp_plans"][0].update(previous=None)
        ),
        "8910": lambda c: cp_from_icpc(c, f"{y}-06-20", f"{y}-11-30") or episode(c)["cp_plans"][0].update(latest="neg"),
        "8842Q": lambda c: cp_from_icpc(c, f"{y}-06-20", f"{y}-11-30", [""]),  # a review written blank
        # the children a return holds (int_dq_dfe_return_children): the importer keeps them
        "8500": lambda c: c.update(id=None),  # no LAchildID: DfE's validator names no child ("*")
        "8590": lambda c: c.update(episodes=[]),
        # one LAchildID on two children (the twin F8510 of faulted_children): episodes without
        # modules that do not overlap, as the validator reads both children's records as one's
        # a different disability each: the validator reads their two NONEs as one child's repeated code (8794)
        "8510": lambda c: c.update(episodes=[_episode(f"{y}-06-01", f"{y}-06-10", "RC7")], disabilities=["MOB"]),
        # a disability missing (no Disabilities block): DfE's validator never
        # raises 8540 (exceptions.csv)
        "8540": lambda c: c.update(disabilities=[]),
        # factor 21 beside another factor (DfE's validator never raises 8869: exceptions.csv); the
        # episode closed RC8 without a CIN plan, so 21 on its only assessment is no 8873Q (nor 2990)
        "8869": lambda c: (
            episode(c).update(close_reason="RC8", cin_plans=[]),
            episode(c)["assessments"][0].update(factors=["21", "2B"]),
        ),
        # a FormerUPN with a letter among its digits (the importer keeps it for the rule:
        # csc.cin_census.schema.RULE_CHECKED_VALUES)
        "1560Q": lambda c: c.update(former_upn="A8780001X3459"),
        # a factor code given twice on one assessment (the importer keeps the repeat); DfE's
        # validator crashes on 8898 whenever it would raise it (compare.py lists the crash)
        "8898": lambda c: episode(c)["assessments"][0].update(factors=["2B", "2B"]),
        # last: DfE's validator places 8832 on the CP-plan row at the position of the NFA
        # episode's row (exceptions.csv); after every other child's episodes, that row is none
        "8832": lambda c: (cp_from_icpc(c, f"{y}-06-20", f"{y}-11-30"), episode(c).update(nfa=True)),
    }


# DfE's rules on the return as a whole (int_dq_dfe_return_counts, _return_header) and the years the warehouse
# raises each: 2886Q only from 2024-25 (DfE's validator never raises it before: see the model)
WHOLE_RETURN_RULES = {"100": 2023, "2883": 2023, "2886Q": 2025, "2888Q": 2023, "2887Q": 2023}
# 100: the whole-return file's header has this ReferenceDate, not 31 March of its Year
WRONG_REFERENCE_DAY = "03-30"
WHOLE_RETURN = "*"
# child-level rules the whole-return plants cannot help raising: a CP plan with no conference
# starts on no conference's date (2885)
WHOLE_RETURN_ALSO = {"R2883": ("2885",)}


def whole_return_children(year: int) -> list[dict]:
    """A clean return of 60 children but for its whole-return plants: 57 disabled children with
    one code each (2888Q), of three codes, and three children with NONE (2887Q on both
    readings: 3 different codes, DfE's text; 3 NONE rows, DfE's validator), two of sex unknown
    without an expected date of birth (3% > 2%: 2886Q, from 2024-25) and one CP plan started
    with no initial conference (2883); its header's ReferenceDate is 30 March (100:
    write_whole_return_faults)."""
    y = year - 1
    children = [_base(f"R{n:02d}", year) for n in range(1, 58)]
    for n, child in enumerate(children):
        child["disabilities"] = [("MOB", "HAND", "VIS")[n % 3]]
    for child in children[3:5]:
        child.update(sex="U", gender="0")
    plan = _base("R2883", year)
    plan["episodes"][0].update(cin_plans=[])
    plan["episodes"][0]["cp_plans"].append(_cp_plan(f"{y}-07-02", f"{y}-11-30"))
    return [*children, plan, _base("R59", year), _base("R60", year)]


def whole_return_planted(year: int) -> set[tuple[str, str]]:
    """The whole-return manifest: ("*", rule) for each rule, and the child-level rules its
    plants raise too."""
    rules = _ruleset_rules(year)
    pairs = {(WHOLE_RETURN, r) for r, first in WHOLE_RETURN_RULES.items() if r in rules and year >= first}
    pairs |= {(child, also) for child, alsos in WHOLE_RETURN_ALSO.items() for also in alsos if also in rules}
    return pairs


def write_whole_return_faults(path: Path, year: int) -> set[tuple[str, str]]:
    write_cin_census_xml(
        path, whole_return_children(year), year, reference_date=f"{year}-{WRONG_REFERENCE_DAY}", validate_children=False
    )
    return whole_return_planted(year)


def _ruleset_rules(year: int) -> set[str]:
    with (ROOT / "seeds" / "dfe" / "dfe_cin_rules.csv").open(encoding="utf-8", newline="") as f:
        return {r["rule_code"] for r in csv.DictReader(f) if int(r["collection_year"]) == min(year, 2027)}


def faulted_children(year: int) -> list[tuple[str, dict]]:
    """(rule, child) for every planted rule of the year; the child's id names the rule."""
    rules = _ruleset_rules(year)
    out = []
    for rule, plant in _plants(year).items():
        if rule not in rules:
            continue
        child = _base(f"F{rule}", year)
        plant(child)
        out.append((rule, child))
    # a clean child with eight disability codes: the whole-return rules 2888Q (a child with two
    # or more) and 2887Q (8 different codes; and every other child's NONE: 8 NONE rows or more,
    # DfE's validator's reading) hold here
    clean = _base("FCLEAN", year)
    clean["disabilities"] = ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS"]
    out.append(("", clean))
    # 8565's CP-plan step, which DfE's validator cannot fire: a CP plan ending after its
    # episode's closure (1 December), with nothing else after it
    if "8565" in rules:
        y = year - 1
        child = _base("F8565CP", year)
        episode = child["episodes"][0]
        episode["s47s"].append(
            {"start": f"{y}-06-05", "target": None, "icpc_date": f"{y}-06-20", "icpc_not_required": False}
        )
        episode.update(cin_plans=[], cp_plans=[_cp_plan(f"{y}-06-20", f"{y}-12-15")])
        out.append(("8565", child))
    # 8905 on a code in lower case: DfE compares codes letter case and all (staging reads "neg"
    # as NEG; a return checked as it is is judged as written: int_dq_dfe_codes)
    if "8905" in rules:
        child = _base("F8905CASE", year)
        _plants(year)["8905"](child)
        child["episodes"][0]["cp_plans"][0]["initial"] = "neg"
        out.append(("8905", child))

    if "8510" in rules:
        y = year - 1
        twin = _base("F8510", year)
        twin["episodes"] = [_episode(f"{y}-12-15", f"{y}-12-20", "RC7")]
        twin["disabilities"] = ["HAND"]
        out.append(("8510", twin))
    # 1520 needs two children with the one UPN
    if "1520" in rules:
        twin = _base("F1520B", year)
        twin["upn"] = synthetic_upn("878", 1520, year - 1)
        out.append(("1520", twin))
    return out


def planted(year: int) -> set[tuple[str, str]]:
    """The manifest: (LAchildID, rule) pairs the return plants."""
    rules = _ruleset_rules(year)
    pairs = set()
    for rule, child in faulted_children(year):
        if not rule:
            continue
        name = child["id"] or WHOLE_RETURN  # a child without LAchildID is named by no one
        pairs.add((name, rule))
        pairs |= {(name, also) for also in ALSO.get(rule, ()) if also in rules}
    return pairs


def write_faulted_return(path: Path, year: int) -> set[tuple[str, str]]:
    write_cin_census_xml(path, [c for _, c in faulted_children(year)], year, validate_children=False)
    return planted(year)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--year", type=int, required=True)
    ap.add_argument("--manifest", type=Path)
    ap.add_argument("--whole-return", type=Path, help="also write the whole-return plants' return here")
    args = ap.parse_args(argv)
    pairs = write_faulted_return(args.out, args.year)
    if args.whole_return:
        whole = write_whole_return_faults(args.whole_return, args.year)
        print(f"{args.whole_return}: {len(whole)} planted (child or '*', rule) pairs")
        pairs |= whole
    if args.manifest:
        with args.manifest.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["la_child_id", "rule_code"])
            w.writerows(sorted(pairs))
    print(f"{args.out}: {len(pairs)} planted (child, rule) pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
