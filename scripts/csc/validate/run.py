"""validate_landing: every file of a landing folder through the generated suites."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

from .. import contract, demo_marker, paths
from .. import landing as reader
from .. import reporting_date as reporting
from ..contract import Table
from ..publish.pages import validation_page
from . import summary as summaries
from .files import (
    CHUNK_ROWS,
    KEEP_READS_BYTES,
    READ_AHEAD,
    READERS,
    Chunker,
    Read,
    missing_table_report,
    read_for_checks,
    read_landing_file,
    unknown_file_report,
)
from .gx import GxRunner
from .printing import Echo, print_report
from .results import FATAL, FileReport, Finding, ValidationResult
from .suites import DEFAULT_CODES_FILE, Rules, code_list_warnings, load_code_lists


def choose_reporting_date(
    reporting_date: str | None, landing: Path, dates: list[reporting.ReportingDate] | None = None
) -> tuple[date, str, date]:
    """(reporting date, where it came from, date ceiling). The reporting date is the one given,
    else csc.reporting_date's (the warehouse's own rule: the last complete month end covered by
    the extract; with several councils the latest of theirs), else the end of last month. The
    ceiling for "dated after the extract" is csc.reporting_date's date_ceiling (a given date is
    its own ceiling), the latest over councils: the fallback for a council whose own is not
    known (validate_landing judges each council's files against its own, Rules.councils)."""
    fixed = reporting.given_reporting_date(reporting_date)  # the argument, else CSC_REPORTING_DATE
    if fixed is not None:
        return fixed, "given", fixed
    dates = reporting.reporting_dates(landing) if dates is None else dates
    ceilings = [d.date_ceiling for d in dates if d.date_ceiling is not None]
    known = [d for d in dates if d.reporting_date is not None]
    if not known:
        end_of_last_month = reporting.month_end_on_or_before(date.today())
        return end_of_last_month, "end of last month (no event date found)", end_of_last_month
    latest = max(known, key=lambda d: d.reporting_date)
    return latest.reporting_date, latest.source, max(ceilings)


def _order(tables: dict[str, Table]) -> Callable[[FileReport], tuple]:
    position = {name: i for i, name in enumerate(tables)}
    return lambda r: (r.la_code, position.get(r.table, len(position)), r.table, r.path or "")


def _council_batches(infos: list[reader.FileInfo], limit_bytes: int) -> Iterator[list[reader.FileInfo]]:
    """The files by council, a few councils at a time: up to `limit_bytes` on disk (one
    council's files, whatever their size, are never split), each batch in the given order."""
    councils: dict[str, int] = {}
    for info in infos:
        councils[info.la_code] = councils.get(info.la_code, 0) + info.size_bytes
    batch: set[str] = set()
    size = 0
    for la_code in sorted(councils):
        if batch and size + councils[la_code] > limit_bytes:
            yield [i for i in infos if i.la_code in batch]
            batch, size = set(), 0
        batch.add(la_code)
        size += councils[la_code]
    if batch:
        yield [i for i in infos if i.la_code in batch]


def validate_landing(
    landing: Path,
    reporting_date: str | None = None,
    out_dir: Path | None = None,
    codes_file: Path | None = None,
    echo: Echo = print,
    chunk_rows: int | None = None,
) -> ValidationResult:
    """Validate every file of the landing folder; write the summary JSON and Data Docs."""
    landing_root = Path(landing)
    out_dir = Path(out_dir or paths.target_dir())
    summaries.forget_summary(out_dir)  # a run that dies midway leaves no summary to trust
    started_at, validation_id = summaries.now_utc(), summaries.new_validation_id()
    # hashed before anything is read: a file changed later no longer matches (verify_summary)
    landing_files = summaries.landing_files(landing_root)
    codes_file = Path(codes_file or DEFAULT_CODES_FILE)
    tables = contract.load_contract()
    infos = reader.inventory(landing_root)
    code_lists = load_code_lists(codes_file)
    result = ValidationResult(landing=landing_root, reporting_date="", reporting_date_source="", files=[])
    result.extract_findings += code_list_warnings(code_lists, codes_file, tables)
    # The landing layout (csc.landing.scan owns it): malformed council folders, two files for
    # one table, directories and outside symlinks where files belong (fatal), stray entries.
    result.extract_findings += [Finding(p.severity, "landing_layout", str(p)) for p in infos.problems]
    if not infos:
        result.extract_findings.append(Finding(FATAL, "landing", f"no landing files found in {landing_root}"))

    shutil.rmtree(out_dir / "gx", ignore_errors=True)  # the file context earlier versions kept
    to_read = []
    for info in infos:
        if info.format == "missing":
            result.files.append(missing_table_report(info, tables[info.table]))
        elif info.table not in tables:
            result.files.append(unknown_file_report(info))
        else:
            to_read.append(info)

    # Each file is read once. A council's dates are judged against its own reporting date,
    # which its event-date files settle (csc.reporting_date, the warehouse's rule): they are
    # read a few councils at a time, the councils' dates settled, then those files checked.
    # A council with no event date of its own takes the extract's (the latest over councils):
    # its files are held and checked with the other tables', once every council's is known.
    fixed, today = reporting.given_reporting_date(reporting_date), date.today()
    event_tables = reporting.event_columns()
    latest: dict[str, date] = {}
    settled: dict[str, tuple[date, date]] = {}  # the councils whose files can be checked
    # the extract's date (the fallback) is not known yet: no file checked before it is known needs it
    rules = Rules(reporting_date=date.min, code_lists=code_lists, councils=settled)
    chunker = Chunker(tables, rules, GxRunner(), chunk_rows or CHUNK_ROWS)

    def check(files: list[reader.FileInfo], read: dict[str, Read]) -> None:
        """The files' checks (a file not in `read` is read here), table by table."""
        for report, pending in reader.read_ahead(
            files,
            lambda info: read_for_checks(info, tables[info.table], chunker.rules, read.pop(info.path, None)),
            READERS,
            READ_AHEAD,
        ):
            result.files.append(report)
            if pending is not None:
                chunker.add(pending)
        chunker.flush()

    held: dict[str, Read] = {}
    events = [i for i in to_read if i.table in event_tables]
    for batch in _council_batches(events, KEEP_READS_BYTES):
        read = dict(zip((i.path for i in batch), reader.read_ahead(batch, read_landing_file, READERS, READ_AHEAD)))
        for info in batch:
            data = read[info.path][0]
            found = None if data is None else reporting.latest_event_date_in(data, event_tables[info.table], today)
            if found is not None and found > latest.get(info.la_code, date.min):
                latest[info.la_code] = found
        for la_code in {i.la_code for i in batch}:
            council = reporting.council_reporting_date(la_code, latest.get(la_code), fixed)
            if council.reporting_date is not None:
                settled[la_code] = (council.reporting_date, council.date_ceiling)
        check([i for i in batch if i.la_code in settled], read)
        held.update(read)  # what is left: the files of councils with no event date of their own

    councils = sorted({i.la_code for i in infos if i.format != "missing"})  # csc.landing.discover's
    dates = [reporting.council_reporting_date(la, latest.get(la), fixed) for la in councils]
    when, source, ceiling = choose_reporting_date(reporting_date, landing_root, dates)
    result.reporting_date, result.reporting_date_source = when.isoformat(), source
    chunker.rules = replace(
        rules,
        reporting_date=when,
        date_ceiling=ceiling,
        councils={d.la_code: (d.reporting_date, d.date_ceiling) for d in dates if d.reporting_date is not None},
    )
    check([i for i in to_read if i.table not in event_tables or i.path in held], held)
    result.files.sort(key=_order(tables))
    # The results page is our own static, escaped page (the one publish uses), not Great
    # Expectations' Data Docs: those quoted landing values unescaped and loaded scripts from CDNs.
    docs_dir = out_dir / "data_docs"
    shutil.rmtree(docs_dir, ignore_errors=True)
    result.data_docs_index = docs_dir / "index.html"
    summary = summaries.build_summary(
        result,
        codes_file,
        code_lists is not None,
        validation_id=validation_id,
        started_at=started_at,
        files=landing_files,
        latest_event_dates={d.la_code: d.latest_event_date for d in dates},
    )
    hashed = {f["path"]: f["sha256"] for f in landing_files}  # hashed above: not hashed twice
    synthetic = demo_marker.check(landing_root, hashed).synthetic
    validation_page(summary, result.data_docs_index, synthetic=synthetic)
    result.summary_path = summaries.write_summary(out_dir, summary)
    print_report(result, echo)
    return result
