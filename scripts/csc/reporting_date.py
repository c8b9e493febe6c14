"""The reporting date: the one function that decides it, used by validation, the warehouse and
the report.

Given (CSC_REPORTING_DATE or --reporting-date): that date. Otherwise, per council, the last
complete month end covered by the extract: the latest plausible event date (contract column
meta `event: true`; between var earliest_plausible_date and today, so a 2099 typo is not taken) when it is a
month end, else the last day of the month before it. A mid-month event date is never the
reporting date: a report to 17 September would show September as a complete month.

The warehouse reads the result through the csc_landing plugin (source landing.reporting_dates,
model int_extract_spans), validation calls `reporting_dates` directly, the report reads
int_extract_spans via the published manifest.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import landing
from .contract import load_contract, project_vars
from .rules import parse_dates

EARLIEST_PLAUSIBLE = date.fromisoformat(project_vars()["earliest_plausible_date"])  # dbt var, the owner


@dataclass(frozen=True)
class ReportingDate:
    la_code: str
    reporting_date: date | None
    latest_event_date: date | None
    source: str

    @property
    def date_ceiling(self) -> date | None:
        """The latest date a record may carry before it is flagged as dated after the extract
        (door DATE_OUT_OF_RANGE, warehouse DATE_AFTER_REPORTING_DATE). A given reporting date
        is the ceiling itself (the council says what the extract covers). A derived one is a
        month end before the latest event, and the events of the part month after it are real,
        not typing errors: the ceiling is then the latest plausible event date."""
        if self.source == "given" or self.latest_event_date is None:
            return self.reporting_date
        return max(d for d in (self.reporting_date, self.latest_event_date) if d is not None)


def month_end_on_or_before(day: date) -> date:
    """`day` when it is the last day of its month, else the last day of the month before."""
    if (day + timedelta(days=1)).month != day.month:
        return day
    return day.replace(day=1) - timedelta(days=1)


def event_columns() -> dict[str, list[str]]:
    """{table: [event date columns]} from the contract (column meta `event: true`)."""
    return {
        name: [c.name for c in t.columns if c.event]
        for name, t in load_contract().items()
        if any(c.event for c in t.columns)
    }


def latest_event_date_in(data: pa.Table, columns: list[str], today: date | None = None) -> date | None:
    """The latest plausible event date in one file's `columns` (those of them it has), or None."""
    ceiling = np.datetime64(today or date.today(), "D")
    floor = np.datetime64(EARLIEST_PLAUSIBLE, "D")
    latest = None
    for name in (c for c in columns if c in data.column_names):
        _, parsed = parse_dates(pc.utf8_trim_whitespace(data[name]))
        parsed = parsed[~np.isnat(parsed) & (parsed >= floor) & (parsed <= ceiling)]
        if parsed.size and (latest is None or parsed.max() > latest):
            latest = parsed.max()
    return None if latest is None else latest.astype("datetime64[D]").item()


def latest_event_dates(root: Path | None = None, today: date | None = None) -> dict[str, date]:
    """{la_code: latest plausible event date} over every council's landing files. Validation
    finds them council by council as it reads the files for their checks (csc.validate.run),
    with latest_event_date_in, so each file is read once."""
    contract = load_contract()
    latest: dict[str, date] = {}
    for table, columns in event_columns().items():
        for la_code, path in landing.discover(root).get(table, []):
            info = landing.inspect_file(la_code, path, contract[table])
            if info.problem:
                continue
            try:
                data = landing.read_file(info)
            except (landing.LandingError, pa.ArrowException, OSError, ValueError, UnicodeDecodeError):
                continue  # validation reports the file; it has no dates to give
            found = latest_event_date_in(data, columns, today)
            if found is not None and (la_code not in latest or found > latest[la_code]):
                latest[la_code] = found
    return latest


def validated_latest_event_dates(root: Path | None = None, today: date | None = None) -> dict[str, date] | None:
    """latest_event_dates() as the last validation worked them out, when its summary (in the
    dbt target folder) still vouches for every landing file byte for byte (sha256) and was
    written today (the dates are bounded by today); None otherwise. The build reads each
    landing file once: validation has already read the event files for this. Inside `csc
    build` the files' hashes are the ones the build has just made (csc.build_record)."""
    from .build_record import manifest_of_running_build
    from .paths import landing_dir, target_dir
    from .validate.summary import SummaryError, verify_summary

    landing = Path(root or landing_dir())
    try:
        summary = verify_summary(landing, target_dir(), manifest_of_running_build(landing))
    except SummaryError:
        return None
    found = summary.get("latest_event_dates")
    if summary.get("latest_event_dates_as_of") != (today or date.today()).isoformat() or not isinstance(found, dict):
        return None
    try:
        return {str(la): date.fromisoformat(d) for la, d in found.items() if d is not None}
    except (TypeError, ValueError):
        return None


def given_reporting_date(given: str | None = None) -> date | None:
    """The date given (argument, else CSC_REPORTING_DATE), or None; a bad one is an error."""
    text = given if given is not None else os.environ.get("CSC_REPORTING_DATE", "")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"reporting date {text!r} is not a YYYY-MM-DD date") from None


def reporting_dates(
    root: Path | None = None,
    given: str | None = None,
    today: date | None = None,
    latest: dict[str, date] | None = None,
) -> list[ReportingDate]:
    """Every council's reporting date (see the module doc), sorted by la_code. `latest`:
    latest_event_dates() when the caller already has them (validated_latest_event_dates)."""
    fixed = given_reporting_date(given)
    latest = latest_event_dates(root, today) if latest is None else latest
    councils = sorted({la for files in landing.discover(root).values() for la, _ in files})
    return [council_reporting_date(la, latest.get(la), fixed) for la in councils]


def council_reporting_date(la_code: str, event: date | None, fixed: date | None = None) -> ReportingDate:
    """One council's reporting date from its latest plausible event date (None: it has none)
    and the date given (given_reporting_date), if any."""
    if fixed is not None:
        return ReportingDate(la_code, fixed, event, "given")
    if event is not None:
        return ReportingDate(
            la_code, month_end_on_or_before(event), event, "last complete month end covered by the extract"
        )
    return ReportingDate(la_code, None, None, "no event date in the extract")


def reporting_dates_table(root: Path | None = None) -> pa.Table:
    """The plugin's landing.reporting_dates: la_code, latest_event_date, reporting_date,
    date_ceiling, source."""
    rows = reporting_dates(root, latest=validated_latest_event_dates(root))
    return pa.table(
        {
            "la_code": pa.array([r.la_code for r in rows], pa.string()),
            "latest_event_date": pa.array([r.latest_event_date for r in rows], pa.date32()),
            "reporting_date": pa.array([r.reporting_date for r in rows], pa.date32()),
            "date_ceiling": pa.array([r.date_ceiling for r in rows], pa.date32()),
            "reporting_date_source": pa.array([r.source for r in rows], pa.string()),
        }
    )
