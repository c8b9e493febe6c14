"""validation_summary.json (format 2, VALIDATION_SUMMARY_FORMAT.md): written atomically by
validation, checked by publish with `verify_summary` before anything is built or published.

The old summary is deleted when validation starts, so a run that dies midway leaves none; the
new one is written to a temporary file and moved into place (os.replace), so a reader sees the
old file, no file or the whole new one. It records the landing folder, every landing file's
sha256 and a validation id, so publish can prove it builds the extract that was validated.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .. import contract
from .results import FATAL, INFO, WARNING, ValidationResult

FORMAT_VERSION = 2
SUMMARY_NAME = "validation_summary.json"


class SummaryError(Exception):
    """The validation summary cannot vouch for the landing folder (one-line reason)."""


def summary_path(out_dir: Path) -> Path:
    return Path(out_dir) / SUMMARY_NAME


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_validation_id() -> str:
    return uuid.uuid4().hex


def forget_summary(out_dir: Path) -> None:
    """Delete the previous run's summary (validation is starting)."""
    summary_path(out_dir).unlink(missing_ok=True)


def landing_files(landing: Path) -> list[dict]:
    """Every file the landing reader reads, with sha256 and size: csc.build_record's list, so
    validation, build and publish name and hash the landing files one way."""
    from ..build_record import landing_manifest

    return landing_manifest(Path(landing))


def _plain(value: Any) -> Any:
    # imported here, not at the top: `csc build` and `csc publish` import this module for
    # verify_summary alone, and numpy and pandas cost them 0.35-0.7 s (#15)
    import numpy as np
    import pandas as pd

    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (pd.Timestamp, date)):
        return value.isoformat()
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def build_summary(
    result: ValidationResult,
    codes_file: Path,
    code_lists_found: bool,
    *,
    validation_id: str,
    started_at: str,
    files: list[dict],
    latest_event_dates: dict[str, date | None] | None = None,
) -> dict:
    from ..reporting_date import EARLIEST_PLAUSIBLE as EARLIEST_DATE  # numpy and pyarrow: as _plain

    reports = []
    for r in result.files:
        row = asdict(r)
        row["fatal"] = r.count(FATAL)
        row["warnings"] = r.count(WARNING)
        row["checks_run"] = len(r.checks)
        row["failures"] = row.pop("findings")
        reports.append(row)
    return {
        "format_version": FORMAT_VERSION,
        "validation_id": validation_id,
        "started_at": started_at,
        "finished_at": now_utc(),
        "landing": str(Path(result.landing).resolve()),
        "landing_files": files,
        "reporting_date": result.reporting_date,
        "reporting_date_source": result.reporting_date_source,
        "earliest_date": EARLIEST_DATE.isoformat(),
        # each council's latest plausible event date as of today (csc.reporting_date): the
        # build takes it from here while the summary vouches for the files, not reading every
        # event file a second time (csc.reporting_date.validated_latest_event_dates)
        "latest_event_dates": {la: d and d.isoformat() for la, d in (latest_event_dates or {}).items()},
        "latest_event_dates_as_of": date.today().isoformat() if latest_event_dates is not None else None,
        "required_tables": list(contract.REQUIRED_TABLES),
        "code_lists": str(codes_file) if code_lists_found else None,
        "fatal": result.fatal,
        "totals": {
            "files": sum(1 for r in result.files if r.path),
            "rows": sum(r.rows for r in result.files),
            "checks_run": sum(len(r.checks) for r in result.files),
            "fatal": result.total(FATAL),
            "warnings": result.total(WARNING),
            "info": result.total(INFO),
        },
        "extract": [asdict(f) for f in result.extract_findings],
        "files": reports,
        "data_docs": str(result.data_docs_index) if result.data_docs_index else None,
    }


def write_summary(out_dir: Path, summary: dict) -> Path:
    """Write the summary atomically: a temporary file, flushed to disk, moved into place."""
    final = summary_path(out_dir)
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f"{final.name}.tmp-{os.getpid()}")
    try:
        with temporary.open("w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2, default=_plain)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
    return final


def read_summary(out_dir: Path) -> dict:
    """The summary as written, or SummaryError (missing, not JSON, not an object, other format)."""
    path = summary_path(out_dir)
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SummaryError(f"no validation summary at {path}: run csc validate first") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SummaryError(f"the validation summary {path} cannot be read ({exc}): run csc validate again") from None
    if not isinstance(summary, dict) or summary.get("format_version") != FORMAT_VERSION:
        raise SummaryError(f"the validation summary {path} is not format {FORMAT_VERSION}: run csc validate again")
    return summary


def verify_summary(landing: Path, out_dir: Path, files: list[dict] | None = None) -> dict:
    """The summary, when it vouches for `landing` as it is now; else SummaryError saying why.
    `files`: landing_files(landing) when the caller has just hashed them (publish's audit).

    Refused: missing, corrupt or another format; another landing folder; fatal problems found;
    any landing file added, removed or changed (sha256) since it was validated."""
    summary = read_summary(out_dir)
    landing = Path(landing).resolve()
    if summary.get("landing") != str(landing):
        raise SummaryError(
            f"the validation summary is for {summary.get('landing')}, not {landing}: "
            "run csc validate on this landing folder"
        )
    if summary.get("fatal") is not False:
        raise SummaryError("the last validation found fatal problems: nothing may be built or published from it")
    recorded = {f.get("path"): f.get("sha256") for f in summary.get("landing_files") or [] if isinstance(f, dict)}
    now = {f["path"]: f["sha256"] for f in (landing_files(landing) if files is None else files)}
    changed = sorted(p for p in set(recorded) | set(now) if recorded.get(p) != now.get(p))
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        raise SummaryError(f"the landing folder changed since it was validated ({shown}): run csc validate again")
    return summary
