"""Per file: reading landing files (a few ahead: csc.landing.read_ahead), their reports, and the chunks
of files of one table validated together."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa

from .. import landing as reader
from ..contract import Column, Table
from ..contract import door_severity as door
from .frames import checked_columns, checks_table, frame_for_checks
from .gx import GxRunner, finding_from, unexpected_by_file
from .results import INFO, WARNING, FileReport, Finding
from .suites import Rules, suite_expectations

CHUNK_ROWS = int(os.environ.get("CSC_VALIDATE_CHUNK_ROWS", "1000000"))
# The event-date files of a few councils at a time, up to about this many bytes on disk (a
# council's are never split; a Devon-sized council's are about 40 MB), are read and held until
# those councils' reporting dates are settled, then checked: each file is read once (run.py).
KEEP_READS_BYTES = 256 * 1024 * 1024
# Files are read (pyarrow, which leaves Python free while it parses) by READERS threads, up to
# READ_AHEAD files ahead of the one Great Expectations is validating.
READERS = 2
READ_AHEAD = 4


def report_for(info: reader.FileInfo) -> FileReport:
    return FileReport(
        la_code=info.la_code,
        table=info.table,
        path=info.path or None,
        format=info.format,
        encoding=info.encoding,
        delimiter=info.delimiter,
    )


def header_findings(info: reader.FileInfo, table: Table) -> list[Finding]:
    """Unknown extra columns (warning) and optional columns not supplied (info)."""
    out = []
    if info.extra_columns:
        out.append(
            Finding(
                WARNING,
                "unknown_column",
                "unknown column(s) ignored: " + ", ".join(c or "<blank header>" for c in info.extra_columns),
                count=len(info.extra_columns),
            )
        )
    optional_missing = [c for c in info.missing_columns if c not in table.required_columns]
    if optional_missing:
        out.append(
            Finding(
                INFO,
                "optional_column",
                f"not recorded (optional column(s) not supplied): {', '.join(optional_missing)}",
                count=len(optional_missing),
            )
        )
    return out


Read = tuple[pa.Table | None, "Finding | None"]  # read_landing_file's: the rows, or why there are none


def read_landing_file(info: reader.FileInfo, read: Callable[[reader.FileInfo], pa.Table] | None = None) -> Read:
    """The file's rows, or the fatal reason it cannot be read."""
    if info.problem:
        return None, Finding(door("UNREADABLE_FILE"), "readable", info.problem)
    try:
        return (read or reader.read_file)(info), None
    except UnicodeDecodeError as exc:
        return None, Finding(door("UNREADABLE_FILE"), "readable", f"cannot be decoded as {info.encoding}: {exc}")
    except (reader.LandingError, pa.ArrowException, OSError, ValueError, csv.Error) as exc:
        return None, Finding(door("UNREADABLE_FILE"), "readable", f"unreadable: {exc}")


@dataclass
class PendingFile:
    """A file read and ready for Great Expectations, waiting for its chunk."""

    info: reader.FileInfo
    report: FileReport
    present: list[Column]
    checks: pa.Table

    @property
    def group(self) -> tuple:
        """Files validated together: the same table, the same columns."""
        return (self.info.table, tuple(c.name for c in self.present))


def read_for_checks(
    info: reader.FileInfo, table: Table, rules: Rules, read: Read | None = None
) -> tuple[FileReport, PendingFile | None]:
    """The file's report so far (readability, header) and, when readable, what GX checks
    (dates judged against the bounds of the file's own council). `read`: the file's
    read_landing_file when it has been read already, else it is read here."""
    report = report_for(info)
    data, problem = read if read is not None else read_landing_file(info)
    if problem:
        report.findings.append(problem)
        return report, None
    report.rows = data.num_rows
    report.findings += header_findings(info, table)
    present = checked_columns(table, data)
    bounds = lambda column: rules.date_bounds(column, info.la_code)  # noqa: E731
    return report, PendingFile(info, report, present, checks_table(table, data, bounds))


def _chunk_name(table: Table, files: list[PendingFile]) -> str:
    first, last = files[0].info.la_code, files[-1].info.la_code
    return f"{table.name}.la_{first}" + (f"_to_{last}" if len(files) > 1 else "")


def validate_chunk(table: Table, files: list[PendingFile], rules: Rules, runner: GxRunner) -> None:
    """One GX validation of some files of one table (same columns); results into each report."""
    expectations = suite_expectations(table, files[0].present, rules)
    frame = frame_for_checks(table, [f.checks for f in files], [f.info.la_code for f in files])
    for f in files:
        f.checks = None  # the frame holds what the checks need
    for r in runner.run(_chunk_name(table, files), frame, expectations, len(files)):
        meta = r.expectation_config.meta or {}
        split = unexpected_by_file(r, len(files))
        for i, f in enumerate(files):
            unexpected = None if split is None else split.get(i, (0, []))
            passed = bool(r.success) if unexpected is None else unexpected[0] == 0
            f.report.checks.append(
                {
                    "check": meta.get("check"),
                    "column": meta.get("source_column"),
                    "expectation": r.expectation_config.type,
                    "severity": meta.get("severity"),
                    "passed": passed,
                }
            )
            finding = finding_from(r, frame, unexpected)
            if finding:
                f.report.findings.append(finding)
    runner.release()


class Chunker:
    """Collects readable files into chunks of one table and column set, up to CHUNK_ROWS rows;
    a file with no rows is validated on its own (its row-count check is its own).

    Files come table by table (the inventory's order), so when a file of another table comes,
    the last table's part-filled chunks are complete and are validated then: what waits is one
    table's, never a remainder of every table (at full England size that held about 6 GB)."""

    def __init__(self, tables: dict[str, Table], rules: Rules, runner: GxRunner, chunk_rows: int) -> None:
        self.tables, self.rules, self.runner, self.chunk_rows = tables, rules, runner, chunk_rows
        self.pending: dict[tuple, list[PendingFile]] = {}

    def add(self, f: PendingFile) -> None:
        for group in [g for g in self.pending if g[0] != f.info.table]:
            self.flush(group)
        if f.checks.num_rows == 0:
            validate_chunk(self.tables[f.info.table], [f], self.rules, self.runner)
            return
        files = self.pending.setdefault(f.group, [])
        files.append(f)
        if sum(p.checks.num_rows for p in files) >= self.chunk_rows:
            self.flush(f.group)

    def flush(self, group: tuple | None = None) -> None:
        for key in [group] if group is not None else list(self.pending):
            files = self.pending.pop(key, [])
            if files:
                validate_chunk(self.tables[files[0].info.table], files, self.rules, self.runner)


def missing_table_report(info: reader.FileInfo, table: Table) -> FileReport:
    """A contract table a council did not supply: fatal when the contract marks it required."""
    report = report_for(info)
    report.path = None
    if table.required:
        report.findings.append(
            Finding(
                door("REQUIRED_TABLE_MISSING"),
                "required_table",
                f"required table {info.table} not supplied for la_code={info.la_code}",
            )
        )
    else:
        report.findings.append(Finding(INFO, "optional_table", "not recorded (optional table not supplied)"))
    return report


def unknown_file_report(info: reader.FileInfo) -> FileReport:
    report = report_for(info)
    report.findings.append(
        Finding(WARNING, "unknown_table", f"{info.table} is not a table of the raw contract: ignored")
    )
    return report
