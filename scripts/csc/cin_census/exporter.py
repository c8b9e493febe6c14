"""Export a council's CIN census return for a year from the built warehouse: XML only.

    export_cin_census(duckdb_path, la_code, year, out) -> ExportSummary

What goes in the return is decided by the dbt models in schema cin_census
(models/marts/cin_census/: children, episodes, assessments and their factors, CIN plans,
S47 enquiries with their DateOfInitialCPC and ICPCnotRequired, CINdetails-level conferences,
CP plans with NumberOfPreviousCPP, reviews, disabilities), one set of rows per census year;
see their docs for each rule. This module only reads the year's rows (read-only), turns them
into the year's schema (schema.py: GenderCurrent before 2025, factors 18B/18C/19B/19C written
18A/19A before 2021), validates the structure and writes the file; a return that breaks the
structure is not written (CinCensusValidationError lists why). Schema cin_census holds the
council's own identifiers (LAchildID, UPN) and is never published.

Records the models could not place in an episode of the year, filled-in "unknown" codes and
similar are counted in the summary's warnings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from .. import duckdb_settings
from .schema import (
    OLDER_EQUIVALENT,
    SEX_TO_GENDER,
    UnsupportedYear,
    code_lists,
    message_spec,
    reference_date,
    schema_year,
    validate,
    year_start,
)
from .upn import UPN_SHAPE
from .xmlio import CinCensusError, CinCensusValidationError, child_to_node, header_node, write_document

SCHEMA = "cin_census"
CENSUS_MODELS = (
    "cin_census_children",
    "cin_census_disabilities",
    "cin_census_episodes",
    "cin_census_assessments",
    "cin_census_assessment_factors",
    "cin_census_cin_plans",
    "cin_census_s47_enquiries",
    "cin_census_episode_icpcs",
    "cin_census_cp_plans",
    "cin_census_cp_reviews",
)


@dataclass
class ExportSummary:
    out: str
    la_code: str
    year: int
    schema_year: int
    reference_date: str
    children: int = 0
    episodes: int = 0
    modules: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"CIN census {self.year} (schema {self.schema_year}, reference date "
            f"{self.reference_date}) for LA {self.la_code}: {self.children:,} children, "
            f"{self.episodes:,} episodes -> {self.out}"
        ]
        if self.modules:
            out.append("  " + ", ".join(f"{k} {v:,}" for k, v in sorted(self.modules.items())))
        out += [f"  warning: {w}" for w in self.warnings]
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _relations(con) -> set[str]:
    return {
        f"{s}.{t}" for s, t in con.execute("select table_schema, table_name from information_schema.tables").fetchall()
    }


def _rows(con, model: str, la: str, year: int, order: str) -> list[dict]:
    """The year's rows of one census model (the model decides what is in them)."""
    cur = con.execute(
        f"select * from {SCHEMA}.{model} where la_code = ? and census_year = ? order by {order}", [la, year]
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def export_cin_census(duckdb_path: Path, la_code: str, year: int, out: Path) -> ExportSummary:
    """Write the census return of one LA for the year ending 31 March <year> (see module doc)."""
    la_code = str(la_code)
    try:
        sy = schema_year(int(year))
    except UnsupportedYear as exc:
        raise CinCensusError(str(exc)) from None
    duckdb_path, out = Path(duckdb_path), Path(out)
    if not duckdb_path.exists():
        raise CinCensusError(f"{duckdb_path}: no warehouse file (run csc build first)")
    ref, start = reference_date(year), year_start(year)
    summary = ExportSummary(out=str(out), la_code=la_code, year=year, schema_year=sy, reference_date=ref.isoformat())
    try:
        con = duckdb_settings.connect(duckdb_path, read_only=True)
    except duckdb.Error as exc:
        raise CinCensusError(
            f"{duckdb_path}: cannot open the warehouse read-only ({exc}); is a build running?"
        ) from None
    try:
        have = _relations(con)
        missing = [m for m in CENSUS_MODELS if f"{SCHEMA}.{m}" not in have]
        if missing:
            raise CinCensusError(
                f"{duckdb_path} is not a built warehouse: missing "
                + ", ".join(f"{SCHEMA}.{m}" for m in missing)
                + " (run csc build)"
            )
        children = _read_children(con, la_code, int(year), sy, summary)
    finally:
        con.close()
    if not children:
        raise CinCensusError(
            f"LA {la_code} has no child with a CIN episode open between "
            f"{start} and {ref}: no return to write (a return needs at least one child)"
        )
    nodes, problems = [], []
    header = header_node(year, la_code, ref.isoformat())
    problems += validate(header, message_spec(year).child("Header"), year, path="Header")
    spec = message_spec(year).child("Children").child("Child")
    for child in children:
        node = child_to_node(child, year)
        problems += validate(node, spec, year, lenient=False, path=f"Child[LAchildID={child['id']}]")
        nodes.append(node)
    if problems:
        raise CinCensusValidationError(problems, f"the {year} return for LA {la_code}")
    summary.children = write_document(out, header, nodes)
    summary.episodes = sum(len(c["episodes"]) for c in children)
    return summary


def _placed(rows: list[dict], kind: str, warn: Counter) -> list[dict]:
    """The rows the models placed in an episode; the rest counted, as the models say why."""
    out = []
    for r in rows:
        if r["referral_id"] is not None:
            out.append(r)
        elif r["has_known_episode"]:
            warn[f"{kind} in the year whose own episode is not in the year: left out"] += 1
        else:
            warn[f"{kind} without a known episode and in no episode of the year: left out"] += 1
    return out


def _read_children(con, la: str, year: int, sy: int, summary: ExportSummary) -> list[dict]:
    codes = code_lists(year)
    warn: Counter = Counter()

    episodes = _rows(con, "cin_census_episodes", la, year, "child_key, referral_date, referral_id")
    orphans = [e for e in episodes if not e["has_person"]]
    if orphans:
        summary.warnings.append(
            f"{len(orphans)} episode(s) whose child is not in ssd_person (no LAchildID to report): left out"
        )
    out_eps: dict[str, dict] = {}
    by_child: dict[str, list[str]] = defaultdict(list)
    for e in episodes:
        if not e["has_person"]:
            continue
        if e["is_source_filled"]:
            warn["episodes without a referral source: written 10 (unknown)"] += 1
        out_eps[e["referral_id"]] = {
            "referral_date": _iso(e["referral_date"]),
            "source": e["referral_source_code"],
            "need": e["primary_need_code"],
            "close_date": _iso(e["close_date"]),
            "close_reason": e["close_reason_code"],
            "icpc_date": None,
            "nfa": bool(e["is_referral_nfa"]),
            "assessments": [],
            "cin_plans": [],
            "s47s": [],
            "cp_plans": [],
        }
        by_child[e["child_key"]].append(e["referral_id"])

    factors: dict[str, list[str]] = defaultdict(list)
    for r in _rows(con, "cin_census_assessment_factors", la, year, "assessment_id, assessment_factors_record_id"):
        factors[r["assessment_id"]] += list(r["factor_codes"] or [])
    older = OLDER_EQUIVALENT["assessment_factor"] if sy < 2021 else {}
    for a in _placed(
        _rows(con, "cin_census_assessments", la, year, "assessment_start_date, assessment_id"), "assessments", warn
    ):
        written: list[str] = []
        for code in factors.get(a["assessment_id"], []):
            if code in older:
                warn[f"factor {code} written {older[code]} (the {sy} schema has no {code})"] += 1
                code = older[code]
            if code not in written:
                written.append(code)
        out_eps[a["referral_id"]]["assessments"].append(
            {"start": _iso(a["assessment_start_date"]), "auth": _iso(a["assessment_auth_date"]), "factors": written}
        )
    if sy >= 2022:
        for p in _placed(
            _rows(con, "cin_census_cin_plans", la, year, "plan_start_date, cin_plan_id"), "CIN plans", warn
        ):
            out_eps[p["referral_id"]]["cin_plans"].append(
                {"start": _iso(p["plan_start_date"]), "end": _iso(p["plan_end_date"])}
            )
    for s in _placed(
        _rows(con, "cin_census_s47_enquiries", la, year, "s47_start_date, s47_enquiry_id"), "S47 enquiries", warn
    ):
        out_eps[s["referral_id"]]["s47s"].append(
            {
                "start": _iso(s["s47_start_date"]),
                "target": _iso(s["icpc_target_date"]),
                "icpc_date": _iso(s["icpc_date"]),
                "icpc_not_required": bool(s["is_icpc_not_required"]),
            }
        )
    for i in _placed(
        _rows(con, "cin_census_episode_icpcs", la, year, "icpc_date, icpc_id"),
        "ICPCs that are transfer-ins or have no S47 enquiry",
        warn,
    ):
        if i["is_written"]:
            out_eps[i["referral_id"]]["icpc_date"] = _iso(i["icpc_date"])
        else:
            warn["episodes with more than one transfer-in (or S47-less) ICPC in the year: the first is written"] += 1
    reviews: dict[str, list[str]] = defaultdict(list)
    for r in _rows(con, "cin_census_cp_reviews", la, year, "cp_plan_id, review_date"):
        reviews[r["cp_plan_id"]].append(_iso(r["review_date"]))
    for p in _placed(_rows(con, "cin_census_cp_plans", la, year, "plan_start_date, cp_plan_id"), "CP plans", warn):
        if p["is_latest_category_filled"]:
            warn["CP plans without a latest category: initial category written"] += 1
        out_eps[p["referral_id"]]["cp_plans"].append(
            {
                "start": _iso(p["plan_start_date"]),
                "end": _iso(p["plan_end_date"]),
                "initial": p["initial_category_code"],
                "latest": p["latest_category_code"],
                "previous": int(p["number_of_previous_cpp"]),
                "reviews": reviews.get(p["cp_plan_id"], []),
            }
        )

    disabilities: dict[str, list[str]] = defaultdict(list)
    for r in _rows(con, "cin_census_disabilities", la, year, "child_key, disability_code"):
        disabilities[r["child_key"]].append(r["disability_code"])
    children = []
    for c in _rows(con, "cin_census_children", la, year, "la_child_id"):
        if c["is_sex_filled"]:
            warn["children without a recorded sex: written unknown"] += 1
        if c["is_ethnicity_filled"]:
            warn["children without an ethnicity: written NOBT (not yet obtained)"] += 1
        upn = c["upn"]
        if upn is not None and not UPN_SHAPE.match(upn):
            warn["UPNs not of the UPN form (a letter, 11 digits, a digit or letter): left out"] += 1
            upn = None
        upn_unknown = c["upn_unknown_reason"]
        former_upn = c["former_upn"]
        if former_upn is not None and not UPN_SHAPE.match(former_upn):
            warn["former UPNs not of the UPN form (a letter, 11 digits, a digit or letter): left out"] += 1
            former_upn = None
        children.append(
            {
                "id": c["la_child_id"],
                "upn": upn,
                "former_upn": former_upn,
                "upn_unknown": upn_unknown if upn is None and upn_unknown in codes["upn_unknown"] else None,
                "dob": _iso(c["date_of_birth"]),
                "expected_dob": _iso(c["expected_date_of_birth"]),
                "sex": c["sex"],
                "gender": SEX_TO_GENDER[c["sex"]] if sy < 2025 else None,
                "death_date": _iso(c["date_of_death"]),
                "ethnicity": c["ethnicity_code"],
                "disabilities": disabilities.get(c["child_key"], []),
                "episodes": [out_eps[rid] for rid in by_child.get(c["child_key"], [])],
            }
        )
    children.sort(key=lambda c: str(c["id"]))
    for c in children:
        for ep in c["episodes"]:
            for module in ("assessments", "cin_plans", "s47s", "cp_plans"):
                summary.modules[module] += len(ep[module])
            summary.modules["reviews"] += sum(len(p["reviews"]) for p in ep["cp_plans"])
            summary.modules["icpcs"] += (1 if ep["icpc_date"] else 0) + sum(1 for s in ep["s47s"] if s["icpc_date"])
    summary.warnings += [f"{n:,} {what}" for what, n in sorted(warn.items())]
    return children
