"""Import a CIN census return (XML) into the landing folder as SSD raw-contract files.

    import_cin_census(xml_path, landing, la_code=None) -> ImportSummary

Writes <landing>/la_code=<NNN>/<table>.csv for ssd_person, ssd_disability, ssd_cin_episodes,
ssd_cin_assessments, ssd_assessment_factors, ssd_cin_plans (returns from 2021-22 only),
ssd_s47_enquiry, ssd_initial_cp_conference, ssd_cp_plans and ssd_cp_reviews: UTF-8, header =
the contract's column names (every column, names blank), dates YYYY-MM-DD, flags Y/N.

Identifiers. The census has none below the child, so each record gets a stable one: a hash
of the LA code, LAchildID and the record's natural key, plus its occurrence number among
records of the child with that same key (0 for the first, so duplicates stay distinct):

    episode       LA, LAchildID, CINreferralDate                    (CIN-...)
    assessment    episode, AssessmentActualStartDate                (ASM-...)
    factors       assessment                                         (AF-...)
    CIN plan      episode, CINPlanStartDate                          (CINP-...)
    S47 enquiry   episode, S47ActualStartDate                        (S47-...)
    ICPC          the S47 enquiry; or the episode for a CINdetails-level (transfer-in) ICPC
    CP plan       LA, LAchildID, CPPstartDate (not the episode: a plan keeps its identity
                  even if a later return files it under another referral)
    CP review     plan, CPPreviewDate
    disability    LA, LAchildID, code (a repeated code: its occurrence too)

So the same file imported twice gives byte-identical files, and an episode open across
31 March (in two years' returns with the same referral date) is one row.

Combining returns. The LA folder's files are merged with what earlier imports wrote there:
rows are upserted by id and each file is rewritten sorted by id. When two returns hold the
same id, the later collection year wins (closure dates, latest category, ...), whatever the
order of import; on the same year the file being imported wins. A child's disabilities are
replaced as a set by the latest return that holds the child. The year each row came from is
kept beside the files in la_code=<NNN>/.cin_census/ (a folder the landing reader does not
read), with manifest.json listing the returns imported. A table file in the folder that the
importer did not write (a case-system extract) is never touched: the import is refused.

Bad input. Not XML or a root other than <Message>: CinCensusFormatError (nothing written).
A child that breaks the year's structure (missing required element, unknown code, a date
that does not parse) is reported with its line number and skipped; the rest are imported.
A child without an LAchildID (DfE 8500), with an LAchildID an earlier child of the return
has (8510) or without CINdetails (8590) is kept: the rules report it. Such a child's person
id is its own (csc.cin_census.child_ids: never another child's, and the LAchildID as given
is what the census models read), so two children with one LAchildID stay apart. A value a DfE rule reports (schema.RULE_CHECKED_VALUES: an
unknown code; schema.RULE_CHECKED_MISSING: a required value missing or malformed) is a
warning instead: the child is kept with the value as given (blank when missing) and the rule
reports it. Unknown or out-of-order elements are reported as warnings
and read by name.

Streaming: the XML is read a child at a time (see xmlio.iter_census) and rows are appended
to temporary CSV files; the final merge and sort run in DuckDB with a memory limit, spilling
to disk, so memory stays bounded for an England-sized file.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .. import sqlquote as sql
from ..contract import load_contract
from ..landing import IMPORT_STATE_DIR
from .child_ids import person_id
from .schema import (
    FIRST_YEAR,
    LAST_YEAR,
    Node,
    Problem,
    UnsupportedYear,
    child_spec,
    message_spec,
    schema_year,
    validate,
)
from .xmlio import CinCensusError, CinCensusFormatError, HeaderInfo, child_from_node, iter_census, read_header

TABLES = (
    "ssd_person",
    "ssd_disability",
    "ssd_cin_episodes",
    "ssd_cin_assessments",
    "ssd_assessment_factors",
    "ssd_cin_plans",
    "ssd_s47_enquiry",
    "ssd_initial_cp_conference",
    "ssd_cp_plans",
    "ssd_cp_reviews",
)
# Tables a return carries only from a given schema year (before it, no file is written, so
# the warehouse says "not recorded" rather than "none").
FIRST_SCHEMA_YEAR = {"ssd_cin_plans": 2022}
# Tables whose rows for a child are replaced as a set by the latest return holding the child.
CHILD_SETS = {"ssd_disability": "disa_person_id"}

STATE_DIR = IMPORT_STATE_DIR  # beside the files; the landing layout allows it (csc.landing)
MANIFEST = "manifest.json"
MAX_ECHOED_PROBLEMS = 100
# DuckDB's share of the import: it spills to the temporary folder beyond this.
MERGE_MEMORY_LIMIT = os.environ.get("CSC_CIN_IMPORT_MEMORY_LIMIT", "256MB")
MERGE_THREADS = 2
MAX_KEPT_PROBLEMS = 1000


@dataclass
class ImportSummary:
    xml_path: str
    landing: str
    la_code: str | None = None
    year: int | None = None
    schema_year: int | None = None
    reference_date: str | None = None
    children_read: int = 0
    children_imported: int = 0
    children_skipped: int = 0
    modules_read: Counter = field(default_factory=Counter)
    modules_imported: Counter = field(default_factory=Counter)
    modules_skipped: Counter = field(default_factory=Counter)
    rows_written: dict = field(default_factory=dict)  # table -> rows in the file after merge
    rows_new: dict = field(default_factory=dict)  # table -> rows from this return
    skip_reasons: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)  # messages (first MAX_KEPT_PROBLEMS)
    error_details: list = field(default_factory=list)  # (line, LAchildID, message), same
    warnings: list = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    files: list = field(default_factory=list)
    seconds: float = 0.0
    seconds_reading: float = 0.0  # parse and check the XML, rows to temp files
    seconds_merging: float = 0.0  # merge, sort and write the landing files
    notes: list = field(default_factory=list)
    child_lines: dict | None = None  # person id (csc.cin_census.child_ids) -> line (when asked for)

    @property
    def ok(self) -> bool:
        return self.children_skipped == 0

    def lines(self) -> list[str]:
        out = [
            f"CIN census {self.year} (schema {self.schema_year}) for LA {self.la_code}: "
            f"{self.children_read:,} children read, {self.children_imported:,} imported, "
            f"{self.children_skipped:,} skipped ({self.seconds:.1f} s: reading "
            f"{self.seconds_reading:.1f} s, merging {self.seconds_merging:.1f} s)"
        ]
        for module in MODULES:
            read = self.modules_read.get(module, 0)
            if read or module == "CINdetails":
                imported = self.modules_imported.get(module, 0)
                skipped = self.modules_skipped.get(module, 0)
                ignored = read - imported - skipped
                out.append(
                    f"  {MODULE_LABELS[module]:<24} read {read:>9,}   imported {imported:>9,}"
                    f"   skipped {skipped:>7,}" + (f"   ignored {ignored:,}" if ignored > 0 else "")
                )
        if self.skip_reasons:
            out.append(
                "  children skipped, by reason: "
                + "; ".join(f"{reason} {n:,}" for reason, n in self.skip_reasons.most_common())
            )
        if self.warning_count:
            out.append(f"  {self.warning_count:,} warning(s) (elements ignored or out of order)")
        for note in self.notes:
            out.append(f"  note: {note}")
        if self.files:
            out.append(
                "  files: "
                + ", ".join(f"{Path(f).name} {self.rows_written.get(Path(f).stem, 0):,}" for f in self.files)
            )
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


MODULES = (
    "CINdetails",
    "Assessments",
    "CINPlanDates",
    "Section47",
    "DateOfInitialCPC",
    "ChildProtectionPlans",
    "CPPreviewDate",
    "Disability",
)
MODULE_LABELS = {
    "CINdetails": "episodes (CINdetails)",
    "Assessments": "assessments",
    "CINPlanDates": "CIN plans",
    "Section47": "S47 enquiries",
    "DateOfInitialCPC": "ICPCs",
    "ChildProtectionPlans": "CP plans",
    "CPPreviewDate": "CP reviews",
    "Disability": "disabilities",
}


TABLE_MODULE = {
    "ssd_cin_episodes": "CINdetails",
    "ssd_cin_assessments": "Assessments",
    "ssd_cin_plans": "CINPlanDates",
    "ssd_s47_enquiry": "Section47",
    "ssd_cp_plans": "ChildProtectionPlans",
    "ssd_cp_reviews": "CPPreviewDate",
    "ssd_disability": "Disability",
}


def _count_modules(node: Node, counter: Counter) -> None:
    for kid in node.children:
        if kid.tag in MODULE_LABELS:
            counter[kid.tag] += 1
        if kid.children:
            _count_modules(kid, counter)


def stable_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:16]}"


def _flag(value: bool | None) -> str:
    return "" if value is None else ("Y" if value else "N")


def _json(**flags: bool | None) -> str:
    items = {k: _flag(v) for k, v in flags.items() if v is not None}
    return json.dumps(items, separators=(",", ":")) if items else ""


class _Occurrence:
    """Numbers repeated natural keys 0, 1, 2... so duplicates keep distinct, stable ids."""

    def __init__(self) -> None:
        self.seen: Counter = Counter()

    def __call__(self, *key) -> int:
        n = self.seen[key]
        self.seen[key] += 1
        return n


def child_rows(la: str, child: dict, year: int) -> dict[str, list[dict]]:
    """SSD rows (dicts keyed by contract column) of one child from its dict form."""
    cid = child["id"]
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    rows["ssd_person"].append(
        {
            "pers_person_id": cid,
            "pers_sex": child.get("sex") or "",
            "pers_gender": child.get("gender") or "",
            "pers_ethnicity": child.get("ethnicity") or "",
            "pers_dob": child.get("dob") or "",
            "pers_expected_dob": child.get("expected_dob") or "",
            "pers_death_date": child.get("death_date") or "",
            "pers_upn": child.get("upn") or "",
            "pers_upn_unknown": child.get("upn_unknown") or "",
            "pers_former_upn": child.get("former_upn") or "",
        }
    )
    # A repeated code is kept (DfE 8794 reports it); the first keeps the id it always had.
    dis_occ = _Occurrence()
    for code in child.get("disabilities") or []:
        n = dis_occ(code)
        dis_id = stable_id("DIS-", la, cid, code) if n == 0 else stable_id("DIS-", la, cid, code, n)
        rows["ssd_disability"].append({"disa_table_id": dis_id, "disa_person_id": cid, "disa_disability_code": code})
    ep_occ, plan_occ = _Occurrence(), _Occurrence()
    for ep in child.get("episodes") or []:
        ref_date = ep["referral_date"]
        ep_id = stable_id("CIN-", la, cid, ref_date, ep_occ(ref_date))
        rows["ssd_cin_episodes"].append(
            {
                "cine_referral_id": ep_id,
                "cine_person_id": cid,
                "cine_referral_date": ref_date,
                "cine_cin_primary_need_code": ep.get("need") or "",
                "cine_referral_source_code": ep.get("source") or "",
                "cine_referral_outcome_json": _json(NFA_FLAG=ep.get("nfa")),
                "cine_referral_nfa": _flag(ep.get("nfa")),
                "cine_close_reason": ep.get("close_reason") or "",
                "cine_close_date": ep.get("close_date") or "",
            }
        )
        occ = _Occurrence()
        for a in ep.get("assessments") or []:
            a_id = stable_id("ASM-", ep_id, a["start"], occ("A", a["start"]))
            rows["ssd_cin_assessments"].append(
                {
                    "cina_assessment_id": a_id,
                    "cina_person_id": cid,
                    "cina_referral_id": ep_id,
                    "cina_assessment_start_date": a["start"],
                    "cina_assessment_auth_date": a.get("auth") or "",
                }
            )
            if a.get("factors"):
                rows["ssd_assessment_factors"].append(
                    {
                        "cinf_table_id": stable_id("AF-", a_id),
                        "cinf_assessment_id": a_id,
                        # a code given twice stays twice (DfE 8898 reports it; marts count it once)
                        "cinf_assessment_factors_json": json.dumps(list(a["factors"]), separators=(",", ":")),
                    }
                )
        for p in ep.get("cin_plans") or []:
            rows["ssd_cin_plans"].append(
                {
                    "cinp_cin_plan_id": stable_id("CINP-", ep_id, p["start"], occ("P", p["start"])),
                    "cinp_referral_id": ep_id,
                    "cinp_person_id": cid,
                    "cinp_cin_plan_start_date": p["start"],
                    "cinp_cin_plan_end_date": p.get("end") or "",
                }
            )
        # CP plans first: conferences link to the plan they started (same episode, same date).
        plans = []
        for p in ep.get("cp_plans") or []:
            plan_id = stable_id("CPP-", la, cid, p["start"], plan_occ(p["start"]))
            plans.append((plan_id, p))
        plan_on = {}
        for plan_id, p in plans:
            plan_on.setdefault(p["start"], plan_id)
        icpcs = []  # (icpc_id, date) in preference order for linking plans back
        for s in ep.get("s47s") or []:
            s_id = stable_id("S47-", ep_id, s["start"], occ("S", s["start"]))
            not_required = s.get("icpc_not_required")
            icpc_flag = False if not_required else (True if s.get("icpc_date") else None)
            rows["ssd_s47_enquiry"].append(
                {
                    "s47e_s47_enquiry_id": s_id,
                    "s47e_referral_id": ep_id,
                    "s47e_person_id": cid,
                    "s47e_s47_start_date": s["start"],
                    "s47e_s47_outcome_json": _json(ICPC_FLAG=icpc_flag),
                }
            )
            if s.get("icpc_date") or s.get("target"):
                icpc_id = stable_id("ICPC-", s_id)
                icpcs.append((icpc_id, s.get("icpc_date")))
                rows["ssd_initial_cp_conference"].append(
                    _icpc_row(icpc_id, s_id, cid, ep_id, False, s.get("target"), s.get("icpc_date"), plan_on)
                )
        if ep.get("icpc_date"):
            icpc_id = stable_id("ICPC-", ep_id, "transfer-in")
            icpcs.append((icpc_id, ep["icpc_date"]))
            rows["ssd_initial_cp_conference"].append(
                _icpc_row(icpc_id, "", cid, ep_id, True, None, ep["icpc_date"], plan_on)
            )
        icpc_on = {}
        for icpc_id, d in icpcs:
            if d:
                icpc_on.setdefault(d, icpc_id)
        for plan_id, p in plans:
            rows["ssd_cp_plans"].append(
                {
                    "cppl_cp_plan_id": plan_id,
                    "cppl_referral_id": ep_id,
                    "cppl_icpc_id": icpc_on.get(p["start"], ""),
                    "cppl_person_id": cid,
                    "cppl_cp_plan_start_date": p["start"],
                    "cppl_cp_plan_end_date": p.get("end") or "",
                    "cppl_cp_plan_initial_category": p.get("initial") or "",
                    "cppl_cp_plan_latest_category": p.get("latest") or "",
                    "cppl_number_of_previous_cpp": "" if p.get("previous") is None else str(p["previous"]),
                }
            )
            r_occ = _Occurrence()
            for r in p.get("reviews") or []:
                rows["ssd_cp_reviews"].append(
                    {
                        "cppr_cp_review_id": stable_id("CPR-", plan_id, r, r_occ(r)),
                        "cppr_cp_plan_id": plan_id,
                        "cppr_person_id": cid,
                        "cppr_cp_review_date": r or "",
                    }
                )
    return rows


def _icpc_row(icpc_id, s47_id, cid, ep_id, transfer_in, target, held, plan_on) -> dict:
    plan_id = plan_on.get(held, "") if held else ""
    return {
        "icpc_icpc_id": icpc_id,
        "icpc_s47_enquiry_id": s47_id,
        "icpc_person_id": cid,
        "icpc_cp_plan_id": plan_id,
        "icpc_referral_id": ep_id,
        "icpc_icpc_transfer_in": _flag(transfer_in),
        "icpc_icpc_target_date": target or "",
        "icpc_icpc_date": held or "",
        "icpc_icpc_outcome_cp_flag": ("Y" if plan_id else "N") if held else "",
    }


# --------------------------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------------------------


def _reason(problem: Problem) -> str:
    if problem.kind == "missing":
        return "missing required element"
    if problem.kind == "too_many":
        return "element repeated"
    if "is not a code" in problem.message:
        return "unknown code"
    if "is not a date" in problem.message:
        return "date does not parse"
    if "is blank" in problem.message:
        return "blank value"
    return "invalid value"


class _Report:
    def __init__(self, summary: ImportSummary, echo) -> None:
        self.summary = summary
        self.echo = echo
        self.echoed = 0

    def _say(self, text: str) -> None:
        if self.echoed < MAX_ECHOED_PROBLEMS:
            self.echo(text)
        elif self.echoed == MAX_ECHOED_PROBLEMS:
            self.echo("... further problems are counted in the summary only")
        self.echoed += 1

    def error(self, text: str, line: int | None = None, child: str | None = None) -> None:
        s = self.summary
        s.error_count += 1
        if len(s.errors) < MAX_KEPT_PROBLEMS:
            s.errors.append(text)
            s.error_details.append((line, child, text))
        self._say(f"error: {text}")

    def warning(self, text: str) -> None:
        s = self.summary
        s.warning_count += 1
        if len(s.warnings) < MAX_KEPT_PROBLEMS:
            s.warnings.append(text)
        self._say(f"warning: {text}")


# --------------------------------------------------------------------------------------------
# Landing folder: ownership, merge, manifest
# --------------------------------------------------------------------------------------------


def _state_dir(la_dir: Path) -> Path:
    return la_dir / STATE_DIR


def _read_manifest(la_dir: Path) -> dict:
    path = _state_dir(la_dir) / MANIFEST
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"written_by": "csc import-cin-census", "tables": [], "imports": []}


def check_landing_is_ours(la_dir: Path) -> None:
    """Refuse to touch contract files in the LA folder that an import did not write."""
    if not la_dir.exists():
        return
    ours = set(_read_manifest(la_dir).get("tables", []))
    foreign = []
    for f in sorted(la_dir.iterdir()):
        ours_csv = f.suffix.lower() == ".csv" and f.stem.lower() in ours
        if f.is_file() and f.suffix.lower() in (".csv", ".parquet") and f.stem.lower() in TABLES and not ours_csv:
            foreign.append(f.name)
    if foreign:
        raise CinCensusError(
            f"{la_dir} already holds {', '.join(foreign)}, not written by import-cin-census "
            "(a case-system extract?). The import would mix the two; import into another "
            "landing folder (--landing) or move those files first."
        )


def _csv_header(path: Path) -> list[str]:
    """The header of a file an earlier import wrote; a name that is not a plain column name
    means the file was changed by hand, and nothing from it goes into SQL."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        header = [h.strip().lower() for h in next(csv.reader(f), [])]
    try:
        return [sql.safe_name(h) for h in header]
    except sql.UnsafeName as exc:
        raise CinCensusError(
            f"{path}: header column {exc}; the file was not written by import-cin-census as it is: restore or remove it"
        ) from None


def _read_csv_sql(path: Path, columns: list[str]) -> str:
    spec = "{" + ", ".join(f"{sql.literal(c)}: 'VARCHAR'" for c in columns) + "}"
    return (
        f"read_csv({sql.literal(path)}, header=true, auto_detect=false, columns={spec}, "
        "delim=',', quote='\"', escape='\"', encoding='utf-8')"
    )


def _merge(
    con, table: str, columns: list[str], key: str, year: int, new_csv: Path, la_dir: Path, work: Path
) -> tuple[Path, Path, int]:
    """New rows upserted into the existing file by id (later collection year wins); sorted."""
    final = la_dir / f"{table}.csv"
    prov = _state_dir(la_dir) / f"{table}.years.csv"
    columns = [sql.safe_name(c) for c in columns]  # the contract's names: plain, checked
    key = sql.safe_name(key)
    cols = ", ".join(columns)
    con.execute(
        f"create or replace temp table incoming as select {cols}, {int(year)} as _year, 1 as _src "
        f"from {_read_csv_sql(new_csv, columns)}"
    )
    if final.exists():
        header = _csv_header(final)
        select = ", ".join(f"o.{c}" if c in header else f"cast(null as varchar) as {c}" for c in columns)
        prov_join, year_expr = "", "0"
        if prov.exists():  # the collection year each existing row came from
            prov_join = f"left join {_read_csv_sql(prov, ['id', 'year'])} as p on p.id = o.{key}"
            year_expr = "coalesce(try_cast(p.year as integer), 0)"
        con.execute(
            f"create or replace temp table existing as select {select}, {year_expr} as _year, "
            f"0 as _src from {_read_csv_sql(final, header)} as o {prov_join}"
        )
    else:
        con.execute("create or replace temp table existing as select * from incoming where false")
    set_rule = ""
    if table in CHILD_SETS:
        person = CHILD_SETS[table]
        set_rule = f"qualify _year = max(_year) over (partition by {person})"
    con.execute(f"""
        create or replace temp table merged as
        with stacked as (
            select * from existing union all select * from incoming
        ),
        latest as (
            select * from stacked
            qualify row_number() over (partition by {key} order by _year desc, _src desc) = 1
        )
        select * from latest {set_rule}
    """)
    out_csv = work / f"{table}.final.csv"
    out_prov = work / f"{table}.years.csv"
    con.execute(
        f"copy (select {cols} from merged order by {key}) to {sql.literal(out_csv)} "
        "(header true, delimiter ',', quote '\"', escape '\"')"
    )
    con.execute(
        f"copy (select {key} as id, _year as year from merged order by {key}) "
        f"to {sql.literal(out_prov)} (header true, delimiter ',')"
    )
    n = con.execute("select count(*) from merged").fetchone()[0]
    return out_csv, out_prov, n


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# The import
# --------------------------------------------------------------------------------------------


def import_cin_census(
    xml_path: Path, landing: Path, la_code: str | None = None, echo=print, *, keep_child_lines: bool = False
) -> ImportSummary:
    """Read a census return and write/merge the SSD landing files of its LA (see module doc)."""
    started = time.perf_counter()
    xml_path, landing = Path(xml_path), Path(landing)
    summary = ImportSummary(xml_path=str(xml_path), landing=str(landing))
    if keep_child_lines:
        summary.child_lines = {}
    report = _Report(summary, echo)
    if la_code is not None and not re.fullmatch(r"\d{3}", str(la_code)):
        raise CinCensusError(f"LA code {la_code!r} is not a 3-digit DfE code (e.g. 878)")
    contract = load_contract()
    columns = {t: contract[t].column_names for t in TABLES}

    work = Path(tempfile.mkdtemp(prefix="cin_census_import_"))
    writers: dict = {}
    files: dict = {}
    header = HeaderInfo()
    header_seen, header_node = False, None
    year: int | None = None
    spec = None
    seen_ids: dict[str, int] = {}
    la_dir: Path | None = None
    try:
        for event in iter_census(xml_path):
            if event.kind == "header":
                if event.node is None:
                    raise CinCensusFormatError(f"{xml_path}: line {event.line}: <Header> {event.message}")
                header, header_seen, header_node = read_header(event.node), True, event.node
                continue
            if event.kind == "stray":
                report.warning(f"line {event.line}: {event.message}")
                continue
            if event.kind == "children":
                if year is not None:
                    report.warning(f"line {event.line}: a second <Children> element: read as part of the first")
                    continue
                given_la = la_code
                year, la_code = _resolve(xml_path, header, header_seen, la_code, event.line)
                if header_node is not None:
                    for p in validate(
                        header_node, message_spec(year).child("Header"), year, lenient=True, path="Header"
                    ):
                        report.warning(str(p))
                if given_la and header.lea and header.lea != given_la:
                    summary.notes.append(f"imported as LA {given_la} (--la); the header says LEA {header.lea}")
                if header.reference_date and header.reference_date != f"{year}-03-31":
                    summary.notes.append(f"the header's ReferenceDate {header.reference_date} is not 31 March {year}")
                summary.year, summary.la_code = year, la_code
                summary.schema_year = schema_year(year)
                summary.reference_date = header.reference_date
                if year < 2017:
                    summary.notes.append(f"Year {year} read with the 2017 structure (the earliest schema transcribed)")
                if year > 2026:
                    summary.notes.append(f"Year {year} read with the 2026 structure")
                spec = child_spec(year)
                la_dir = landing / f"la_code={la_code}"
                check_landing_is_ours(la_dir)
                for t in TABLES:
                    files[t] = (work / f"{t}.csv").open("w", encoding="utf-8", newline="")
                    writers[t] = csv.writer(files[t], lineterminator="\n")
                    writers[t].writerow(columns[t])
                continue
            # a Child
            summary.children_read += 1
            node = event.node
            if node is None:  # over a bound of csc.cin_census.xmlio: never built
                summary.children_skipped += 1
                summary.skip_reasons["too large or too deeply nested"] += 1
                report.error(f"line {event.line}: <Child> {event.message}: child skipped", event.line)
                continue
            _count_modules(node, summary.modules_read)
            rows = _child(node, event.line, year, spec, la_code, seen_ids, summary, report)
            if rows is None:
                summary.children_skipped += 1
                _count_modules(node, summary.modules_skipped)
                continue
            summary.children_imported += 1
            for t, table_rows in rows.items():
                cols = columns[t]
                w = writers[t]
                for r in table_rows:
                    w.writerow([r.get(c, "") for c in cols])
                summary.rows_new[t] = summary.rows_new.get(t, 0) + len(table_rows)
                if t in TABLE_MODULE:
                    summary.modules_imported[TABLE_MODULE[t]] += len(table_rows)
                elif t == "ssd_initial_cp_conference":
                    summary.modules_imported["DateOfInitialCPC"] += sum(
                        1 for r in table_rows if r.get("icpc_icpc_date")
                    )
        if year is None:
            raise CinCensusFormatError(f"{xml_path}: no <Children> element: not a CIN census return")
        if summary.children_read == 0:
            report.warning(f"{xml_path}: <Children> holds no <Child>")
        for f in files.values():
            f.close()
        summary.seconds_reading = time.perf_counter() - started
        _finish(summary, landing, la_dir, columns, year, work, xml_path)
        summary.seconds_merging = time.perf_counter() - started - summary.seconds_reading
    finally:
        for f in files.values():
            if not f.closed:
                f.close()
        shutil.rmtree(work, ignore_errors=True)
    summary.seconds = time.perf_counter() - started
    for line in summary.lines():
        echo(line)
    return summary


def _resolve(
    xml_path: Path, header: HeaderInfo, header_seen: bool, la_code: str | None, line: int | None
) -> tuple[int, str]:
    if header.year is None:
        where = f"line {header.line}" if header_seen else f"line {line}"
        raise CinCensusFormatError(
            f"{xml_path}: {where}: Header/CollectionDetails/Year is missing (or not a year), so the "
            f"year's schema cannot be chosen (Years {FIRST_YEAR}-{LAST_YEAR} are supported)"
        )
    try:
        schema_year(header.year)
    except UnsupportedYear as exc:
        raise CinCensusFormatError(f"{xml_path}: line {header.line}: {exc}") from None
    la = la_code or header.lea
    if not la:
        raise CinCensusFormatError(f"{xml_path}: no LA code: Header/Source/LEA is missing and --la was not given")
    if not re.fullmatch(r"\d{3}", la):
        raise CinCensusFormatError(f"{xml_path}: LA code {la!r} is not a 3-digit DfE code")
    return header.year, la


def _child(
    node: Node, line: int, year: int, spec, la: str, seen_ids: dict, summary: ImportSummary, report: _Report
) -> dict | None:
    ids = node.find("ChildIdentifiers")
    given = ids.value("LAchildID") if ids is not None else None
    # DfE 8500 (none) and 8510 (repeated) report the child: it is kept under an id of its own
    cid = person_id(given, year, line, seen_ids.keys())
    if given and given in seen_ids:
        report.warning(
            f"line {line}: Child LAchildID={given}: the same LAchildID as the child at line "
            f"{seen_ids[given]} (DfE 8510): kept apart"
        )
    elif given:
        seen_ids[given] = line
    label = f"Child LAchildID={given}" if given else f"Child at line {line} (no LAchildID)"
    if summary.child_lines is not None:
        summary.child_lines[cid] = line
    problems = validate(node, spec, year, lenient=True, path=label)
    errors = [p for p in problems if not p.tolerable]
    for p in problems:
        if p.tolerable:
            report.warning(str(p))
    if errors:
        for p in errors:
            report.error(f"{p}: child skipped" if len(errors) == 1 else str(p), p.line, given)
        if len(errors) > 1:
            report.error(f"line {line}: {label}: {len(errors)} problems: child skipped", line, given)
        summary.skip_reasons[_reason(errors[0])] += 1
        return None
    try:
        return child_rows(la, {**child_from_node(node, year), "id": cid}, year)
    except Exception as exc:  # pragma: no cover - a mapping bug must not stop the import
        summary.skip_reasons["could not be read"] += 1
        report.error(f"line {line}: {label}: could not be read ({exc}): child skipped", line, given)
        return None


def _finish(
    summary: ImportSummary, landing: Path, la_dir: Path, columns: dict, year: int, work: Path, xml_path: Path
) -> None:
    contract = load_contract()
    manifest = _read_manifest(la_dir)
    sy = schema_year(year)
    existing_ours = set(manifest.get("tables", []))
    tables = [t for t in TABLES if sy >= FIRST_SCHEMA_YEAR.get(t, 0) or t in existing_ours]
    la_dir.mkdir(parents=True, exist_ok=True)
    _state_dir(la_dir).mkdir(exist_ok=True)
    con = duckdb.connect()
    try:
        spill = work / "spill"
        spill.mkdir()
        con.execute(f"set memory_limit = {sql.literal(MERGE_MEMORY_LIMIT)}")
        con.execute(f"set temp_directory = {sql.literal(spill)}")
        con.execute("set preserve_insertion_order = true")
        con.execute(f"set threads = {MERGE_THREADS}")
        outputs = []
        for t in tables:
            key = contract[t].key_columns[0]
            out_csv, out_prov, n = _merge(con, t, columns[t], key, year, work / f"{t}.csv", la_dir, work)
            outputs.append((t, out_csv, out_prov))
            summary.rows_written[t] = n
    finally:
        con.close()
    for t, out_csv, out_prov in outputs:
        os.replace(out_csv, la_dir / f"{t}.csv")
        os.replace(out_prov, _state_dir(la_dir) / f"{t}.years.csv")
        summary.files.append(str(la_dir / f"{t}.csv"))
    sha = _file_sha256(xml_path)
    imports = [i for i in manifest.get("imports", []) if i.get("sha256") != sha]
    imports.append(
        {
            "file": xml_path.name,
            "sha256": sha,
            "year": year,
            "children_imported": summary.children_imported,
            "children_skipped": summary.children_skipped,
        }
    )
    manifest["tables"] = sorted(existing_ours | set(tables))
    manifest["imports"] = sorted(imports, key=lambda i: (i["year"], i["file"], i["sha256"]))
    tmp = _state_dir(la_dir) / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, _state_dir(la_dir) / MANIFEST)
