"""Check a census return with the warehouse's own data-quality rules.

    check_cin_census(xml_path, echo=print) -> CheckResult

Imports the return into a temporary landing folder, builds the warehouse from it into a
temporary DuckDB file (dbt build of seeds and models without data or unit tests: a failing
test would otherwise skip marts.dq_issues, and a return with problems is exactly what is
being checked), then
lists the failures (cin_census.cin_census_dq_issues: marts.dq_issues with each child's
LAchildID) by rule, child and episode (referral date). Children the
import had to skip (broken structure) are listed first, under rule SCHEMA, with their line.

The build's reporting date is the census date (31 March of the return's Year), so the
timeliness rules judge open work as DfE does. Nothing is left behind: the temporary folder
is removed (pass work_dir to keep it). The build uses a throwaway pseudonymisation key and
its own dbt target and log folders, so it does not disturb the project's own build; the
CSC_* environment variables it sets are restored afterwards.
"""

from __future__ import annotations

import contextlib
import csv
import os
import secrets
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .. import duckdb_settings
from .child_ids import la_child_id_of
from .importer import ImportSummary, import_cin_census
from .schema import parse_date, reference_date

MAX_LINES_PER_RULE = 50
# The failures with each child's LAchildID: which rows, and how a child is named, is the
# model's to say (models/marts/cin_census/cin_census_dq_issues.sql); the checker reads rows.
ISSUES_MODEL = "cin_census.cin_census_dq_issues"


def quiet(*_args) -> None:
    pass


# landing table -> (column holding the child, column holding the episode)
_LINKS = {
    "ssd_person": ("pers_person_id", None),
    "ssd_disability": ("disa_person_id", None),
    "ssd_cin_episodes": ("cine_person_id", "cine_referral_id"),
    "ssd_cin_assessments": ("cina_person_id", "cina_referral_id"),
    "ssd_cin_plans": ("cinp_person_id", "cinp_referral_id"),
    "ssd_s47_enquiry": ("s47e_person_id", "s47e_referral_id"),
    "ssd_initial_cp_conference": ("icpc_person_id", "icpc_referral_id"),
    "ssd_cp_plans": ("cppl_person_id", "cppl_referral_id"),
    "ssd_cp_reviews": ("cppr_person_id", None),
    "ssd_assessment_factors": (None, None),
}


@dataclass
class CheckResult:
    xml_path: str
    import_summary: ImportSummary | None = None
    built: bool = False
    dq_available: bool = False
    issues: list = field(default_factory=list)  # dicts: rule_code, severity, message, ...
    notes: list = field(default_factory=list)

    @property
    def by_rule(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        for issue in self.issues:
            out[issue["rule_code"]].append(issue)
        return dict(out)

    @property
    def error_count(self) -> int:
        return sum(1 for i in self.issues if i["severity"] == "error")

    @property
    def ok(self) -> bool:
        """True when the return imported whole and no rule of severity error failed."""
        return self.built and self.error_count == 0


@contextlib.contextmanager
def _environment(values: dict[str, str]):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _landing_links(la_dir: Path) -> tuple[dict, dict]:
    """record id -> (LAchildID, referral id) for every row the import wrote; referral -> date."""
    records: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    referral_dates: dict[str, str] = {}
    plans: dict[str, str] = {}
    assessments: dict[str, tuple] = {}
    for table, (person_col, referral_col) in _LINKS.items():
        path = la_dir / f"{table}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            key = reader.fieldnames[0]
            for row in reader:
                person = row.get(person_col) if person_col else None
                referral = row.get(referral_col) if referral_col else None
                records[(table, row[key])] = (person, referral)
                if table == "ssd_cin_episodes":
                    referral_dates[row[key]] = row["cine_referral_date"]
                elif table == "ssd_cp_plans":
                    plans[row[key]] = referral
                elif table == "ssd_cin_assessments":
                    assessments[row[key]] = (person, referral)
                elif table == "ssd_cp_reviews":
                    records[(table, row[key])] = (person, row["cppr_cp_plan_id"])
                elif table == "ssd_assessment_factors":
                    records[(table, row[key])] = (None, row["cinf_assessment_id"])
    # second pass: reviews -> plan -> referral; factors -> assessment -> child, referral
    for (table, rid), (person, link) in list(records.items()):
        if table == "ssd_cp_reviews":
            records[(table, rid)] = (person, plans.get(link))
        elif table == "ssd_assessment_factors":
            records[(table, rid)] = assessments.get(link, (None, None))
    return records, referral_dates


def header_reference_date(text: str | None) -> str:
    """The header's ReferenceDate as DfE rule 100 reads it (var census_reference_date,
    models/intermediate/dq/int_dq_dfe_return_header.sql): yyyy-mm-dd, or blank when it is
    missing or not an xs:date. Only a date read here reaches the model's SQL."""
    given = parse_date(text)
    return given.isoformat() if given else ""


def check_cin_census(xml_path: Path, echo=print, *, work_dir: Path | None = None) -> CheckResult:
    """Import, build and list the data-quality failures of one census return (module doc)."""
    from ..build import dbt_run

    xml_path = Path(xml_path)
    result = CheckResult(xml_path=str(xml_path))
    tmp = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix="cin_census_check_"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        landing, db = tmp / "landing", tmp / "csc.duckdb"
        summary = import_cin_census(xml_path, landing, echo=quiet, keep_child_lines=True)
        result.import_summary = summary
        for line in summary.lines():
            echo(line)
        for line, child, message in summary.error_details:
            result.issues.append(
                {
                    "rule_code": "SCHEMA",
                    "severity": "error",
                    "message": "breaks the census structure: child not imported",
                    "la_child_id": child,
                    "referral_date": None,
                    "line": line,
                    "table_name": None,
                    "record_id": None,
                    "value_seen": message.split(": ", 1)[-1] if line else message,
                }
            )
        if summary.children_imported == 0:
            result.notes.append("no child could be imported: nothing to build")
            _print(result, echo)
            return result
        key = secrets.token_hex(16)
        env = {"CSC_LANDING_DIR": str(landing), "CSC_DUCKDB_PATH": str(db), "CSC_PSEUDONYM_KEY": key}
        if summary.year:  # the census date stands for the reporting date (timeliness rules)
            env["CSC_REPORTING_DATE"] = reference_date(summary.year).isoformat()
        # the extract is this one return: the census models take its records as the file gives
        # them (int_cin_census_years), so the rules on dates outside the year can see them
        env["CSC_CENSUS_AS_GIVEN"] = "1"
        env["CSC_CENSUS_REFERENCE_DATE"] = header_reference_date(summary.reference_date)
        echo(f"Building the warehouse from the return (temporary, in {tmp}) ...")
        with _environment(env):
            result.built = dbt_run(
                "build",
                "--exclude-resource-type",
                "test",
                "--exclude-resource-type",
                "unit_test",
                "--quiet",
                "--target-path",
                str(tmp / "target"),
                "--log-path",
                str(tmp / "logs"),
            )
        if not db.exists():
            result.notes.append("the build produced no warehouse file")
            _print(result, echo)
            return result
        if not result.built:
            result.notes.append("some models failed to build; the rules that did build are listed")
        _read_issues(result, db, landing / f"la_code={summary.la_code}", summary, key)
        _print(result, echo)
        return result
    finally:
        if work_dir is None:
            shutil.rmtree(tmp, ignore_errors=True)


def _read_issues(result: CheckResult, db: Path, la_dir: Path, summary: ImportSummary, key: str) -> None:
    con = duckdb_settings.connect(db, read_only=True)
    try:
        con.execute("set variable csc_pseudonym_key = ?", [key])
        tables = {
            f"{s}.{t}"
            for s, t in con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        }
        if ISSUES_MODEL not in tables:
            result.notes.append(f"{ISSUES_MODEL} is not in the warehouse yet: no rules to report")
            return
        result.dq_available = True
        cur = con.execute(
            f"""
            select rule_code, severity, message, table_name, record_id, la_child_id, source_person_id,
                   value_seen
            from {ISSUES_MODEL}
            where la_code = ?
            order by rule_code, table_name, record_id""",
            [summary.la_code],
        )
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        con.close()
    records, referral_dates = _landing_links(la_dir)
    lines = summary.child_lines or {}
    for r in rows:
        person, referral = records.get((r["table_name"], r["record_id"]), (None, None))
        # the child's person id (the import's own for a child DfE 8500 or 8510 reports: its
        # line is recorded by it) and the LAchildID it stands for (none: the return as a whole)
        person = person or r["source_person_id"]
        child = la_child_id_of(person) if person else r["la_child_id"]
        result.issues.append(
            {
                "rule_code": str(r["rule_code"]),
                "severity": r["severity"] or "",
                "message": r["message"] or "",
                "table_name": r["table_name"],
                "record_id": r["record_id"],
                "value_seen": r["value_seen"],
                "la_child_id": child,
                "referral_date": referral_dates.get(referral) if referral else None,
                "line": lines.get(person) if person else None,
            }
        )


def _print(result: CheckResult, echo) -> None:
    by_rule = result.by_rule
    if not by_rule:
        echo("No data-quality failures." if result.dq_available else "No failures found.")
    for rule, issues in sorted(by_rule.items(), key=lambda kv: (kv[0] != "SCHEMA", kv[0])):
        first = issues[0]
        children = {i["la_child_id"] for i in issues if i["la_child_id"]}
        echo(
            f"Rule {rule} ({first['severity']}): {first['message']} - {len(issues):,} failure(s), "
            f"{len(children):,} child(ren)"
        )
        for issue in issues[:MAX_LINES_PER_RULE]:
            parts = []
            if issue["la_child_id"]:
                parts.append(f"child {issue['la_child_id']}")
            if issue["referral_date"]:
                parts.append(f"episode {issue['referral_date']}")
            if issue["line"]:
                parts.append(f"line {issue['line']}")
            if issue["table_name"]:
                parts.append(issue["table_name"])
            if issue["value_seen"] not in (None, ""):
                parts.append(issue["value_seen"] if rule == "SCHEMA" else f"value {issue['value_seen']}")
            echo("  " + ", ".join(parts))
        if len(issues) > MAX_LINES_PER_RULE:
            echo(f"  ... and {len(issues) - MAX_LINES_PER_RULE:,} more")
    for note in result.notes:
        echo(f"note: {note}")
