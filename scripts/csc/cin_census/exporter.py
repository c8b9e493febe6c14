"""Export a council's CIN census return for a year from the built warehouse.

    export_cin_census(duckdb_path, la_code, year, out) -> ExportSummary

Reads the build DuckDB file read-only: the staging views (which keep the source person id,
for exactly this purpose: the return is the council's own) and, for NumberOfPreviousCPP,
marts.fct_cp_plans. The return is for the year ending 31 March <year> (ReferenceDate), in
that year's schema (schema.py), and is validated against the structure before it is
written; a return that breaks it is not written (CinCensusValidationError lists why).

What goes in (the position as the council knew it on 31 March; year = 1 April - 31 March):
  child       every child with an episode in the return
  episode     referral date <= 31 March and (closure date null or >= 1 April)
  assessment  of an included episode: started <= 31 March and (authorised null or >= 1 April)
              (started or completed in the year, or open at its end)
  CIN plan    2022 schema onwards: started <= 31 March and (ended null or >= 1 April)
  S47         started <= 31 March and (started in the year, or its ICPC was held in the year,
              or ended in the year (s47_end_date), or still open: no end date, no ICPC held
              and no outcome saying no ICPC)
  ICPC        S47-level DateOfInitialCPC = the first linked conference held by 31 March
              (transfer-ins aside); a conference in the year that is a transfer-in or has no
              S47 enquiry goes in CINdetails/DateOfInitialCPC (at most one per episode: the
              first; the importer reads that element back as a transfer-in)
  CP plan     started <= 31 March and (ended null or >= 1 April)
  review      CP review dates within the year, of an included plan
Dates after 31 March (a closure in May, say) are left out: the return shows what was known
then. A child born after 31 March has only ExpectedPersonBirthDate.

Modules are placed in their episode by referral_id; a record without one (or with an id not
in the extract) goes into the child's episode whose span contains its start date; records
that fit no episode of the year are left out and counted in the summary's warnings.

Values: NumberOfPreviousCPP = the greater of the warehouse's count of earlier plans
(marts.fct_cp_plans.previous_plan_count, computed from staging the same way when that mart
has not been built) and the source's recorded count (cppl_number_of_previous_cpp), since an
extract may not reach back to a child's first plan. Sex is written as GenderCurrent before
2025 (M=1, F=2, unknown=0; the warehouse does not keep 9 apart from 0). Missing required
codes with an explicit "unknown" value are filled and counted: sex U/0, ethnicity NOBT,
referral source 10; a missing latest category of abuse takes the initial one. Factors
18B/18C and 19B/19C are written 18A and 19A before 2021. ICPCnotRequired = 1 when no
conference was held by 31 March and the enquiry concluded without one: its outcome says no
ICPC (ICPC_FLAG = N), or no further action, or it ended by 31 March with no ICPC outcome
(the warehouse's own reading, macro dq_s47_awaits_icpc).
"""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from .schema import (OLDER_EQUIVALENT, SEX_TO_GENDER, UnsupportedYear, code_lists,
                     message_spec, reference_date, schema_year, validate, year_start)
from .xmlio import (CinCensusError, CinCensusValidationError, child_to_node, header_node,
                    write_document)

STAGING_VIEWS = ("stg_ssd__person", "stg_ssd__disability", "stg_ssd__cin_episodes",
                 "stg_ssd__cin_assessments", "stg_ssd__assessment_factors", "stg_ssd__cin_plans",
                 "stg_ssd__s47_enquiry", "stg_ssd__initial_cp_conference", "stg_ssd__cp_plans",
                 "stg_ssd__cp_reviews")


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
    previous_cpp_source: str = ""

    def lines(self) -> list[str]:
        out = [f"CIN census {self.year} (schema {self.schema_year}, reference date "
               f"{self.reference_date}) for LA {self.la_code}: {self.children:,} children, "
               f"{self.episodes:,} episodes -> {self.out}"]
        if self.modules:
            out.append("  " + ", ".join(f"{k} {v:,}" for k, v in sorted(self.modules.items())))
        out.append(f"  NumberOfPreviousCPP from {self.previous_cpp_source}")
        out += [f"  warning: {w}" for w in self.warnings]
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _upto(d: date | None, ref: date) -> date | None:
    """A date as the return can show it: dates after the reference date were not yet known."""
    return d if d is not None and d <= ref else None


def _session_key(con) -> None:
    """The staging views compute child_key with the pseudonymisation key; the export joins on
    it only inside this session, so without a configured key a throwaway one serves."""
    from ..dbt_plugin import PseudonymKeyMissing, pseudonym_key
    try:
        key = pseudonym_key()
    except PseudonymKeyMissing:
        key = secrets.token_hex(16)
    con.execute("set variable csc_pseudonym_key = ?", [key])


def _relations(con) -> set[str]:
    return {f"{s}.{t}" for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables").fetchall()}


class _Episodes:
    """The included episodes, and where a module record belongs."""

    def __init__(self, rows, all_ids: set[str]) -> None:
        self.by_id = {r["referral_id"]: r for r in rows}
        self.by_child: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            self.by_child[r["child_key"]].append(r)
        self.all_ids = all_ids

    def place(self, child_key: str, referral_id: str | None, when: date | None) -> str | None:
        if referral_id in self.by_id:
            return referral_id
        if referral_id is not None and referral_id in self.all_ids:
            return None          # belongs to an episode that is not in this year's return
        if when is None:
            return None
        fits = [e for e in self.by_child.get(child_key, [])
                if e["referral_date"] <= when and (e["close_date"] is None or when <= e["close_date"])]
        if not fits:
            return None
        return max(fits, key=lambda e: (e["referral_date"], e["referral_id"]))["referral_id"]


def _dicts(con, sql: str, params: dict) -> list[dict]:
    cur = con.execute(sql, params)
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
    summary = ExportSummary(out=str(out), la_code=la_code, year=year, schema_year=sy,
                            reference_date=ref.isoformat())
    try:
        con = duckdb.connect(str(duckdb_path), read_only=True)
    except duckdb.Error as exc:
        raise CinCensusError(f"{duckdb_path}: cannot open the warehouse read-only ({exc}); "
                             "is a build running?") from None
    try:
        _session_key(con)
        have = _relations(con)
        missing = [v for v in STAGING_VIEWS if f"staging.{v}" not in have]
        if missing:
            raise CinCensusError(f"{duckdb_path} is not a built warehouse: missing "
                                 + ", ".join(f"staging.{v}" for v in missing) + " (run csc build)")
        children = _read_children(con, la_code, year, ref, start, sy, have, summary)
    finally:
        con.close()
    if not children:
        raise CinCensusError(f"LA {la_code} has no child with a CIN episode open between "
                             f"{start} and {ref}: no return to write (a return needs at least one child)")
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


def _read_children(con, la: str, year: int, ref: date, start: date, sy: int, have: set[str],
                   summary: ExportSummary) -> list[dict]:
    p = {"la": la, "ref": ref, "start": start}
    codes = code_lists(year)
    warn = Counter()

    ep_cte = """
        ep as (
            select * from staging.stg_ssd__cin_episodes
            where la_code = $la and referral_date <= $ref
              and (close_date is null or close_date >= $start)
        )"""
    episodes = _dicts(con, f"with {ep_cte} select referral_id, child_key, referral_date, "
                           "referral_source_code, primary_need_code, is_referral_nfa, close_date, "
                           "close_reason_code from ep order by child_key, referral_date, referral_id", p)
    all_ids = {r[0] for r in con.execute(
        "select referral_id from staging.stg_ssd__cin_episodes where la_code = $la", {"la": la}).fetchall()}
    persons = {r["child_key"]: r for r in _dicts(con, f"""
        with {ep_cte}
        select child_key, source_person_id, sex, ethnicity_code, date_of_birth,
               expected_date_of_birth, date_of_death, upn_unknown_reason
        from staging.stg_ssd__person
        where la_code = $la and child_key in (select child_key from ep)""", p)}
    orphan = [e for e in episodes if e["child_key"] not in persons]
    if orphan:
        summary.warnings.append(f"{len(orphan)} episode(s) whose child is not in ssd_person "
                                "(no LAchildID to report): left out")
        episodes = [e for e in episodes if e["child_key"] in persons]
    eps = _Episodes(episodes, all_ids)

    disabilities = defaultdict(list)
    for r in _dicts(con, f"""
            with {ep_cte}
            select distinct child_key, disability_code from staging.stg_ssd__disability
            where la_code = $la and child_key in (select child_key from ep) and disability_code is not null
            order by child_key, disability_code""", p):
        disabilities[r["child_key"]].append(r["disability_code"])

    # Assessments and their factors
    assessments = _dicts(con, f"""
        with {ep_cte}
        select a.assessment_id, a.referral_id, a.child_key, a.assessment_start_date as start_date,
               a.assessment_auth_date as auth_date
        from staging.stg_ssd__cin_assessments as a
        where a.la_code = $la and a.child_key in (select child_key from ep)
          and a.assessment_start_date <= $ref
          and (a.assessment_auth_date is null or a.assessment_auth_date >= $start)
        order by a.assessment_start_date, a.assessment_id""", p)
    factors = defaultdict(list)
    for r in _dicts(con, f"""
            with {ep_cte}
            select f.assessment_id, f.factor_codes
            from staging.stg_ssd__assessment_factors as f
            inner join staging.stg_ssd__cin_assessments as a
                on a.la_code = f.la_code and a.assessment_id = f.assessment_id
            where f.la_code = $la and a.child_key in (select child_key from ep)
            order by f.assessment_id, f.assessment_factors_record_id""", p):
        factors[r["assessment_id"]] += list(r["factor_codes"] or [])

    cin_plans = []
    if sy >= 2022:
        cin_plans = _dicts(con, f"""
            with {ep_cte}
            select cin_plan_id, referral_id, child_key, plan_start_date as start_date,
                   plan_end_date as end_date
            from staging.stg_ssd__cin_plans
            where la_code = $la and child_key in (select child_key from ep)
              and plan_start_date <= $ref and (plan_end_date is null or plan_end_date >= $start)
            order by plan_start_date, cin_plan_id""", p)

    s47s = _dicts(con, f"""
        with {ep_cte},
        linked as (
            select s47_enquiry_id, icpc_date, icpc_target_date,
                   row_number() over (partition by s47_enquiry_id
                                      order by icpc_date nulls last, icpc_id) as n
            from staging.stg_ssd__initial_cp_conference
            where la_code = $la and s47_enquiry_id is not null and not is_transfer_in
              and (icpc_date is null or icpc_date <= $ref)
        ),
        held as (select s47_enquiry_id, icpc_date as held_date, icpc_target_date as target_date
                 from linked where n = 1)
        select s.s47_enquiry_id, s.referral_id, s.child_key, s.s47_start_date as start_date,
               s.s47_end_date as end_date, s.is_nfa, s.outcome_icpc, held.held_date,
               held.target_date
        from staging.stg_ssd__s47_enquiry as s
        left join held on held.s47_enquiry_id = s.s47_enquiry_id
        where s.la_code = $la and s.child_key in (select child_key from ep)
          and s.s47_start_date <= $ref
          and (
              s.s47_start_date >= $start
              or held.held_date >= $start
              or s.s47_end_date >= $start
              or (s.s47_end_date is null and held.held_date is null
                  and coalesce(s.outcome_icpc, true) and not coalesce(s.is_nfa, false))
          )
        order by s.s47_start_date, s.s47_enquiry_id""", p)

    unlinked_icpcs = _dicts(con, f"""
        with {ep_cte}
        select i.icpc_id, i.referral_id, i.child_key, i.icpc_date
        from staging.stg_ssd__initial_cp_conference as i
        where i.la_code = $la and i.child_key in (select child_key from ep)
          and i.icpc_date between $start and $ref
          and (i.is_transfer_in or i.s47_enquiry_id is null or i.s47_enquiry_id not in (
                select s47_enquiry_id from staging.stg_ssd__s47_enquiry where la_code = $la))
        order by i.icpc_date, i.icpc_id""", p)

    if "marts.fct_cp_plans" in have:
        summary.previous_cpp_source = ("marts.fct_cp_plans.previous_plan_count (or the recorded "
                                       "count when greater)")
        previous_sql = """
            left join marts.fct_cp_plans as f
                on f.la_code = c.la_code and f.cp_plan_id = c.cp_plan_id
            """
        previous_expr = "f.previous_plan_count"
    else:
        summary.previous_cpp_source = ("staging.stg_ssd__cp_plans (marts.fct_cp_plans not built: "
                                       "earlier plans counted with the mart's rule)")
        summary.warnings.append("marts.fct_cp_plans not found: NumberOfPreviousCPP counted from "
                                "staging (earlier plan starts of the same child) and the recorded count")
        previous_sql = ""
        previous_expr = ("cast(rank() over (partition by c.la_code, c.child_key "
                         "order by c.plan_start_date) - 1 as integer)")
    cp_plans = _dicts(con, f"""
        with {ep_cte},
        counted as (
            select c.*, {previous_expr} as previous_plan_count
            from staging.stg_ssd__cp_plans as c
            {previous_sql}
            where c.la_code = $la
        )
        select cp_plan_id, referral_id, child_key, plan_start_date as start_date,
               plan_end_date as end_date, initial_category_code, latest_category_code,
               greatest(coalesce(previous_plan_count, 0), coalesce(recorded_previous_cpp_count, 0))
                   as previous
        from counted
        where child_key in (select child_key from ep)
          and plan_start_date <= $ref and (plan_end_date is null or plan_end_date >= $start)
        order by plan_start_date, cp_plan_id""", p)
    reviews = defaultdict(list)
    for r in _dicts(con, """
            select cp_plan_id, review_date from staging.stg_ssd__cp_reviews
            where la_code = $la and review_date between $start and $ref
            order by cp_plan_id, review_date""", p):
        if r["review_date"] not in reviews[r["cp_plan_id"]]:
            reviews[r["cp_plan_id"]].append(r["review_date"])

    # --- assemble: episode dicts keyed by referral_id --------------------------------------
    out_eps: dict[str, dict] = {}
    for e in episodes:
        close = _upto(e["close_date"], ref)
        source = e["referral_source_code"]
        if not source:
            warn["episodes without a referral source: written 10 (unknown)"] += 1
            source = "10"
        out_eps[e["referral_id"]] = {
            "referral_date": _iso(e["referral_date"]), "source": source,
            "need": e["primary_need_code"], "close_date": _iso(close),
            "close_reason": e["close_reason_code"] if close else None,
            "icpc_date": None, "nfa": bool(e["is_referral_nfa"]),
            "assessments": [], "cin_plans": [], "s47s": [], "cp_plans": [],
        }

    def place(kind: str, r: dict, when: date | None) -> dict | None:
        rid = eps.place(r["child_key"], r["referral_id"], when)
        if rid is None:
            if r["referral_id"] is not None and r["referral_id"] in eps.all_ids:
                warn[f"{kind} in the year whose own episode is not in the year: left out"] += 1
            else:
                warn[f"{kind} without a known episode and in no episode of the year: left out"] += 1
            return None
        return out_eps[rid]

    older = OLDER_EQUIVALENT["assessment_factor"] if sy < 2021 else {}
    for a in assessments:
        ep = place("assessments", a, a["start_date"])
        if ep is None:
            continue
        auth = _upto(a["auth_date"], ref)
        codes_ = []
        if auth is not None:
            for code in factors.get(a["assessment_id"], []):
                if code in older:
                    warn[f"factor {code} written {older[code]} (the {sy} schema has no {code})"] += 1
                    code = older[code]
                if code not in codes_:
                    codes_.append(code)
        ep["assessments"].append({"start": _iso(a["start_date"]), "auth": _iso(auth),
                                  "factors": codes_})
    for c in cin_plans:
        ep = place("CIN plans", c, c["start_date"])
        if ep is not None:
            ep["cin_plans"].append({"start": _iso(c["start_date"]),
                                    "end": _iso(_upto(c["end_date"], ref))})
    for s in s47s:
        ep = place("S47 enquiries", s, s["start_date"])
        if ep is None:
            continue
        held = s["held_date"]
        # concluded without a conference, as the warehouse's DQ rules read it (dq_s47_awaits_icpc)
        ended = s["end_date"] is not None and s["end_date"] <= ref
        not_required = held is None and (s["outcome_icpc"] is False or bool(s["is_nfa"])
                                         or (ended and not s["outcome_icpc"]))
        ep["s47s"].append({"start": _iso(s["start_date"]), "target": _iso(s["target_date"]),
                           "icpc_date": _iso(held), "icpc_not_required": not_required})
    for i in unlinked_icpcs:
        ep = place("ICPCs that are transfer-ins or have no S47 enquiry", i, i["icpc_date"])
        if ep is None:
            continue
        if ep["icpc_date"] is None:
            ep["icpc_date"] = _iso(i["icpc_date"])
        else:
            warn["episodes with more than one transfer-in (or S47-less) ICPC in the year: the first is written"] += 1
    for c in cp_plans:
        ep = place("CP plans", c, c["start_date"])
        if ep is None:
            continue
        latest = c["latest_category_code"]
        if latest is None and c["initial_category_code"] is not None:
            warn["CP plans without a latest category: initial category written"] += 1
            latest = c["initial_category_code"]
        initial = c["initial_category_code"]
        ep["cp_plans"].append({
            "start": _iso(c["start_date"]), "end": _iso(_upto(c["end_date"], ref)),
            "initial": initial, "latest": latest, "previous": int(c["previous"]),
            "reviews": [_iso(d) for d in reviews.get(c["cp_plan_id"], [])]})

    # --- children ---------------------------------------------------------------------------
    children = []
    for child_key, eps_of_child in eps.by_child.items():
        person = persons[child_key]
        sex = person["sex"] if person["sex"] in ("M", "F", "U") else None
        if sex is None:
            warn["children without a recorded sex: written unknown"] += 1
            sex = "U"
        ethnicity = person["ethnicity_code"]
        if not ethnicity:
            warn["children without an ethnicity: written NOBT (not yet obtained)"] += 1
            ethnicity = "NOBT"
        dob, expected = person["date_of_birth"], person["expected_date_of_birth"]
        if dob is not None and dob > ref:       # born after the reference date
            expected, dob = expected or dob, None
        upn_unknown = person["upn_unknown_reason"]
        child = {
            "id": person["source_person_id"],
            "upn_unknown": upn_unknown if upn_unknown in codes["upn_unknown"] else None,
            "dob": _iso(dob), "expected_dob": _iso(expected),
            "sex": sex, "gender": SEX_TO_GENDER[sex] if sy < 2025 else None,
            "death_date": _iso(_upto(person["date_of_death"], ref)),
            "ethnicity": ethnicity, "disabilities": disabilities.get(child_key, []),
            "episodes": [out_eps[e["referral_id"]] for e in
                         sorted(eps_of_child, key=lambda e: (e["referral_date"], e["referral_id"]))],
        }
        children.append(child)
    children.sort(key=lambda c: str(c["id"]))
    for c in children:
        for ep in c["episodes"]:
            for module in ("assessments", "cin_plans", "s47s", "cp_plans"):
                summary.modules[module] += len(ep[module])
            summary.modules["reviews"] += sum(len(p["reviews"]) for p in ep["cp_plans"])
            summary.modules["icpcs"] += (1 if ep["icpc_date"] else 0) + sum(
                1 for s in ep["s47s"] if s["icpc_date"])
    summary.warnings += [f"{n:,} {what}" for what, n in sorted(warn.items())]
    return children
