"""The data-quality gate: every landing file checked against the raw contract with Great Expectations.

`validate_landing()` reads each council's files with the landing reader (csc.landing), turns
each one into a pandas dataframe of trimmed text (blank = null) plus a few helper columns
computed with the same rules staging uses (`<col>__date`, `<col>__is_real_date`, `<col>__code`,
`<col>__is_valid_json`), and validates it with an expectation suite GENERATED from the
contract (csc.contract): `column_expectations()` maps one column's meta to its expectations,
`table_expectations()` adds the table-level ones. One suite and one validation per file, so
every result names the council and the file.

Severity
    FATAL    the extract cannot be loaded as it is: an unreadable or undecodable file, an empty
             file, a required table (contract table meta `required: true`) missing for a
             council, a required column missing, a required table with no rows, duplicate
             primary keys. `result.fatal` is set and the
             CLI exits non-zero.
    WARNING  rows staging will quarantine or values it will treat as unknown (blank required
             values, bad dates, dates out of range, unknown codes, bad flags, bad JSON, lines
             with the wrong number of fields), unknown extra columns, an optional table with
             no rows. Counted, with up to five examples (value and line number).
    INFO     optional tables or columns not supplied ("not recorded").

Outputs (under `out_dir`, default target/): validation_summary.json, Great Expectations Data
Docs in data_docs/ (the GX file context lives in gx/, rebuilt every run) and a short table on
the terminal.

Speed
    Great Expectations' cost is mostly per validation run (the suite's metric graph), not per
    row: one run per file took about a second a file, over half an hour for England's 1,824
    files. So the files of one table with the same columns are validated together, in chunks
    of up to CHUNK_ROWS rows (CSC_VALIDATE_CHUNK_ROWS), with each row's file and line number
    in the frame; results are split back per file (a failed check is run again on its chunk
    with the complete list of unexpected rows, which names the file of each). A council's
    extract is one file per table, so it is validated file by file as before.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

os.environ["GX_ANALYTICS_ENABLED"] = "false"  # before great_expectations is imported

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

from . import contract, paths  # noqa: E402
from . import rules as value_rules  # noqa: E402
from . import reporting_date as reporting  # noqa: E402
from . import landing as reader  # noqa: E402
from .contract import Column, Table  # noqa: E402

FATAL, WARNING, INFO = "fatal", "warning", "info"

DEFAULT_CODES_FILE = paths.SEEDS_DIR / "reference" / "ref_cin_codes.csv"
EARLIEST_DATE = date(1990, 1, 1)
MAX_EXAMPLES = 5
LINE = "_line_number"
PARSE_ERROR = "_parse_error"
FILE = "_file"               # the file's position in its chunk
ROW = "_row"                 # the row's position in its chunk
KEY_IN_FILE = "_key_in_file"  # file and primary key: keys are unique within a file
CHUNK_ROWS = int(os.environ.get("CSC_VALIDATE_CHUNK_ROWS", "1000000"))
# Files are read (pyarrow, which leaves Python free while it parses) by READERS threads, up to
# READ_AHEAD files ahead of the one Great Expectations is validating.
READERS = 2
READ_AHEAD = 4

# Accepted values are read from where staging reads them (csc.rules): date formats from var
# date_formats, flag words and code words from seed ref_value_maps, the JSON rule.
DATE_REGEX = value_rules.date_regex()
FLAG_REGEX = value_rules.flag_regex()
INT_REGEX = r"^[+-]?\d+$"
DATE_FORMATS = value_rules.date_formats_text()
parse_dates = value_rules.parse_dates
json_is_valid = value_rules.json_is_valid

RESULT_FORMAT = {
    "result_format": "SUMMARY",
    "unexpected_index_column_names": [FILE, LINE, ROW],
    "partial_unexpected_count": 20,
}
# A failed check of a chunk of several files, run again to name the file of every unexpected row
# (never stored: Data Docs show the SUMMARY above).
COMPLETE_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": [FILE, LINE, ROW],
    "return_unexpected_index_query": False,
}

Echo = Callable[[str], Any]


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------

@dataclass
class Finding:
    severity: str
    check: str
    message: str
    column: str | None = None
    count: int = 1
    examples: list[dict] = field(default_factory=list)  # [{"line": n, "value": v}]


@dataclass
class FileReport:
    la_code: str
    table: str
    path: str | None
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    rows: int = 0
    checks: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def fatal(self) -> bool:
        return self.count(FATAL) > 0

    @property
    def label(self) -> str:
        return self.path or f"la_code={self.la_code}/{self.table} (no file)"


@dataclass
class ValidationResult:
    landing: Path
    reporting_date: str
    reporting_date_source: str
    files: list[FileReport]
    extract_findings: list[Finding] = field(default_factory=list)
    summary_path: Path | None = None
    data_docs_index: Path | None = None

    @property
    def findings(self) -> list[tuple[FileReport | None, Finding]]:
        return [(None, f) for f in self.extract_findings] + [
            (r, f) for r in self.files for f in r.findings]

    @property
    def fatal(self) -> bool:
        return any(f.severity == FATAL for _, f in self.findings)

    def total(self, severity: str) -> int:
        return sum(1 for _, f in self.findings if f.severity == severity)


@dataclass(frozen=True)
class Rules:
    """What the generated suites need beyond the contract: the run's dates and code lists."""
    reporting_date: date
    code_lists: dict[str, frozenset[str]] | None  # None: the code-list file was not found

    def latest_date(self, column: Column) -> date:
        """The reporting date; a year later for future_ok columns (targets, due dates)."""
        d = self.reporting_date
        if not column.future_ok:
            return d
        return d.replace(year=d.year + 1, day=28 if (d.month, d.day) == (2, 29) else d.day)

    def code_set(self, column: Column) -> frozenset[str] | None:
        """Accepted codes in upper case, or None when the list is not available."""
        if isinstance(column.codes, tuple):
            return frozenset(c.upper() for c in column.codes)
        if self.code_lists is None or column.codes not in self.code_lists:
            return None
        return self.code_lists[column.codes]


# --------------------------------------------------------------------------------------------
# Value rules (vectorised, on Arrow arrays of text)
# --------------------------------------------------------------------------------------------

def clean_text(values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Trimmed text; blank and whitespace-only become null (staging's ssd_clean)."""
    trimmed = pc.utf8_trim_whitespace(values)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def normalise_codes(values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Codes compared in upper case, as staging types them (upper(trim(code)))."""
    return pc.utf8_upper(values)


def _json_flags(values: pa.ChunkedArray | pa.Array, object_only: bool) -> pa.Array:
    uniques = pc.unique(values).drop_null()
    verdicts = pa.array([json_is_valid(v, object_only) for v in uniques.to_pylist()], pa.bool_())
    return pc.take(verdicts, pc.index_in(values, value_set=uniques))


# --------------------------------------------------------------------------------------------
# The dataframe Great Expectations validates
# --------------------------------------------------------------------------------------------

def checked_columns(table: Table, data: pa.Table) -> list[Column]:
    """Contract columns present in the file, names (pii) excepted: never read for checks."""
    return [c for c in table.columns if not c.is_pii and c.name in data.column_names]


def checks_table(table: Table, data: pa.Table) -> pa.Table:
    """One file's trimmed text columns plus helper columns, line numbers and parse errors."""
    arrays: dict[str, pa.Array | pa.ChunkedArray] = {}
    for column in checked_columns(table, data):
        values = clean_text(data[column.name])
        arrays[column.name] = values
        arrays.update(helper_columns(column, values))
    arrays[LINE] = data[LINE]
    arrays[PARSE_ERROR] = data[PARSE_ERROR]
    return pa.table(arrays)


def key_in_file(data: pa.Table, keys: list[str]) -> pa.ChunkedArray:
    """The file's position and its primary key as one text; null when the key is blank, so
    (as with a single key column) blank keys are left to the required_value check."""
    parts = [pc.fill_null(data[k], "") for k in keys]
    joined = pc.binary_join_element_wise(pc.cast(data[FILE], pa.string()), *parts, "\x1f")
    blank = data[keys[0]].is_null()
    for k in keys[1:]:
        blank = pc.and_(blank, data[k].is_null())
    return pc.if_else(blank, pa.scalar(None, pa.string()), joined)


def frame_for_checks(table: Table, parts: list[pa.Table]) -> pd.DataFrame:
    """The frame Great Expectations validates: the files of a chunk (checks_table each), one
    after the other, with each row's file (FILE) and position (ROW)."""
    tagged = [part.append_column(FILE, pa.array(np.full(part.num_rows, i, dtype=np.int64)))
              for i, part in enumerate(parts)]
    data = pa.concat_tables(tagged) if len(tagged) > 1 else tagged[0]
    data = data.append_column(ROW, pa.array(np.arange(data.num_rows, dtype=np.int64)))
    keys = [k for k in table.key_columns if k in data.column_names]
    if keys and len(keys) == len(table.key_columns):
        data = data.append_column(KEY_IN_FILE, key_in_file(data, keys))
    return data.to_pandas()


def helper_columns(column: Column, values: pa.ChunkedArray) -> dict[str, Any]:
    """Values derived with staging's rules, for the expectations that need more than a regex."""
    name = column.name
    if column.type == "date":
        matched, parsed = parse_dates(values)
        real = np.where(matched, ~np.isnat(parsed), None)
        # pandas datetimes are nanoseconds (years 1678-2261): clip, so 9999-12-31 stays out of range
        clipped = np.clip(parsed, np.datetime64("1678-01-01"), np.datetime64("2261-12-31"))
        return {f"{name}__date": pa.array(clipped.astype("datetime64[ns]"), pa.timestamp("ns")),
                f"{name}__is_real_date": pa.array(real, pa.bool_(), from_pandas=True)}
    if column.type == "code":
        return {f"{name}__code": normalise_codes(values)}
    if column.type == "json":
        return {f"{name}__is_valid_json": _json_flags(values, object_only=bool(column.flags))}
    return {}


# --------------------------------------------------------------------------------------------
# Suites generated from the contract
# --------------------------------------------------------------------------------------------

def _expect(kind: type[gxe.Expectation], check: str, severity: str, source: str | None,
            note: str, **kwargs: Any) -> gxe.Expectation:
    """An expectation carrying what the summary needs: check name, severity, contract column."""
    meta = {"check": check, "severity": severity, "source_column": source, "message": note}
    return kind(meta=meta, notes=note, **kwargs)


def _midnight(day: date) -> datetime:
    """Bounds as datetimes: GX compares a datetime64 column with them vectorised."""
    return datetime(day.year, day.month, day.day)


def column_expectations(column: Column, rules: Rules) -> list[gxe.Expectation]:
    """The expectations one contract column's meta implies (the column is in the file)."""
    name, out = column.name, []
    if column.required:
        out.append(_expect(gxe.ExpectColumnValuesToNotBeNull, "required_value", WARNING, name,
                           f"{name} is required: blank values", column=name))
    if column.type == "date":
        latest = rules.latest_date(column)
        out += [
            _expect(gxe.ExpectColumnValuesToMatchRegex, "date_format", WARNING, name,
                    f"{name} not in an accepted date format ({DATE_FORMATS})",
                    column=name, regex=DATE_REGEX),
            _expect(gxe.ExpectColumnValuesToBeInSet, "real_date", WARNING, name,
                    f"{name} is not a real calendar date (read day first, DD/MM/YYYY)",
                    column=f"{name}__is_real_date", value_set=[True]),
            _expect(gxe.ExpectColumnValuesToBeBetween, "date_range", WARNING, name,
                    f"{name} outside {EARLIEST_DATE} .. {latest}"
                    + (" (reporting date + 1 year)" if column.future_ok else " (reporting date)"),
                    column=f"{name}__date", min_value=_midnight(EARLIEST_DATE),
                    max_value=_midnight(latest)),
        ]
    elif column.type == "flag":
        out.append(_expect(gxe.ExpectColumnValuesToMatchRegex, "flag", WARNING, name,
                           f"{name} is not a yes/no flag ({', '.join(value_rules.flag_words())})",
                           column=name, regex=FLAG_REGEX))
    elif column.type == "int":
        out.append(_expect(gxe.ExpectColumnValuesToMatchRegex, "integer", WARNING, name,
                           f"{name} is not a whole number", column=name, regex=INT_REGEX))
    elif column.type == "code":
        codes = rules.code_set(column)
        if codes is not None:
            list_name = column.codes if isinstance(column.codes, str) else "inline list"
            out.append(_expect(gxe.ExpectColumnValuesToBeInSet, "code", WARNING, name,
                               f"{name} not in code list {list_name}",
                               column=f"{name}__code", value_set=sorted(codes)))
    elif column.type == "json":
        shape = "a JSON object" if column.flags else "a JSON object or array of strings"
        out.append(_expect(gxe.ExpectColumnValuesToBeInSet, "json", WARNING, name,
                           f"{name} is not valid JSON ({shape})",
                           column=f"{name}__is_valid_json", value_set=[True]))
    return out


def table_expectations(table: Table, present: list[str]) -> list[gxe.Expectation]:
    """Required columns, rows present, well-formed lines, unique primary key."""
    out = [_expect(gxe.ExpectColumnToExist, "required_column", FATAL, c,
                   f"required column {c} missing from the header", column=c)
           for c in table.required_columns]
    out.append(_expect(gxe.ExpectTableRowCountToBeBetween, "rows",
                       FATAL if table.required else WARNING, None,
                       "no rows (header only)" + (": a required table" if table.required else ""),
                       min_value=1))
    out.append(_expect(gxe.ExpectColumnValuesToBeNull, "well_formed_line", WARNING, None,
                       "lines with the wrong number of fields (kept; staging quarantines them)",
                       column=PARSE_ERROR))
    keys = [k for k in table.key_columns if k in present]
    if keys and len(keys) == len(table.key_columns):
        # Unique within the file: on the file's position and the key together (KEY_IN_FILE),
        # so the files of a chunk are checked each on its own.
        note = f"duplicate primary key {', '.join(keys)}"
        out.append(_expect(gxe.ExpectColumnValuesToBeUnique, "unique_key", FATAL, keys[0],
                           note, column=KEY_IN_FILE))
    return out


def suite_expectations(table: Table, present: list[Column], rules: Rules) -> list[gxe.Expectation]:
    names = [c.name for c in present]
    return table_expectations(table, names) + [
        e for c in present for e in column_expectations(c, rules)]


# --------------------------------------------------------------------------------------------
# Great Expectations: a file context rebuilt every run, Data Docs on the local disk
# --------------------------------------------------------------------------------------------

class GxRunner:
    """One pandas data source; a dataframe asset, suite and validation definition per file."""

    def __init__(self, gx_dir: Path, docs_dir: Path) -> None:
        for d in (gx_dir, docs_dir):
            shutil.rmtree(d, ignore_errors=True)
        gx_dir.mkdir(parents=True)
        self.docs_dir = docs_dir
        self.context = gx.get_context(mode="file", context_root_dir=str(gx_dir))
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        for site in list(self.context.get_site_names()):
            self.context.delete_data_docs_site(site)
        self.context.add_data_docs_site("csc", {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(docs_dir.resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
        self.source = self.context.data_sources.add_pandas("landing")
        self._names: set[str] = set()

    def _unique(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self._names:
            n += 1
            candidate = f"{name}_{n}"
        self._names.add(candidate)
        return candidate

    def run(self, name: str, frame: pd.DataFrame, expectations: list[gxe.Expectation]):
        name = self._unique(name)
        batch = self.source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("file")
        suite = self.context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite))
        return definition.run(batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT)

    def rerun_complete(self, name: str, frame: pd.DataFrame, config: Any) -> dict:
        """One expectation of run `name` again, with every unexpected row listed (not stored)."""
        batch = self.source.get_asset(name).get_batch_definition("file").get_batch(
            batch_parameters={"dataframe": frame})
        outcome = batch.validate(config.to_domain_obj(), result_format=COMPLETE_FORMAT)
        return outcome.result or {}

    def release(self) -> None:
        """Forget the dataframes validated so far: GX's execution engine keeps every batch's data
        (the whole extract, at England scale) for the life of the context otherwise."""
        manager = self.source.get_execution_engine().batch_manager
        manager.batch_data_cache.clear()
        manager.reset_batch_cache()

    def build_docs(self) -> Path | None:
        self.context.build_data_docs()
        index = self.docs_dir / "index.html"
        return index if index.exists() else None


# --------------------------------------------------------------------------------------------
# Reading GX results back as findings
# --------------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (pd.Timestamp, date)):
        return value.isoformat()
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def _examples(items: list[dict], frame: pd.DataFrame, column: str | None, helper: str | None) -> list[dict]:
    shown = column if column in frame.columns else helper
    out = []
    for item in items:
        line = int(_plain(item.get(LINE)))
        value = frame[shown].iat[int(_plain(item[ROW]))] if shown in frame.columns else item.get(helper)
        out.append({"line": line, "value": _plain(value)})
    return out


def _duplicate_message(note: str, examples: list[dict]) -> str:
    lines: dict[Any, list[int]] = {}
    for e in examples:
        lines.setdefault(e["value"], []).append(e["line"])
    return note + ": " + "; ".join(
        f"{v!r} on lines {', '.join(map(str, ls))}" for v, ls in list(lines.items())[:MAX_EXAMPLES])


def _raised(outcome: Any) -> str | None:
    """The exception message when the check could not run, else None."""
    info = outcome.exception_info or {}
    raised = info.get("raised_exception") or any(
        isinstance(v, dict) and v.get("raised_exception") for v in info.values())
    if not raised:
        return None
    return info.get("exception_message") or next(
        (v.get("exception_message") for v in info.values() if isinstance(v, dict)), "") or ""


Unexpected = tuple[int, list[dict]]  # (count, the first unexpected rows) of one file


def unexpected_by_file(outcome: Any, files: int, rerun: Callable[[Any], dict]) -> dict[int, Unexpected] | None:
    """A failed row-level check's unexpected rows per file of the chunk; None when the outcome
    is the same for every file (passed, could not run, or a table-level check)."""
    result = outcome.result or {}
    if outcome.success or _raised(outcome) is not None or "partial_unexpected_index_list" not in result:
        return None
    partial = result.get("partial_unexpected_index_list") or []
    if files == 1:
        return {0: (int(result.get("unexpected_count") or len(partial)), partial)}
    by_file: dict[int, list[dict]] = {}
    for item in rerun(outcome.expectation_config).get("unexpected_index_list") or []:
        by_file.setdefault(int(_plain(item[FILE])), []).append(item)
    limit = RESULT_FORMAT["partial_unexpected_count"]
    return {f: (len(items), items[:limit]) for f, items in by_file.items()}


def finding_from(outcome: Any, frame: pd.DataFrame, unexpected: Unexpected | None = None) -> Finding | None:
    """One GX expectation result as a finding for one file (None when it passed).
    `unexpected`: the file's own unexpected rows of a failed row-level check."""
    config = outcome.expectation_config
    meta = config.meta or {}
    column = meta.get("source_column")
    severity, check, note = meta["severity"], meta["check"], meta["message"]
    message = _raised(outcome)
    if message is not None:
        return Finding(severity, check, f"{note}: check could not run ({message})", column)
    if outcome.success:
        return None
    if check == "required_column":
        return Finding(severity, check, f"{note} (line 1)", column, examples=[{"line": 1, "value": None}])
    if check == "rows":
        return Finding(severity, check, note, None, count=0)
    if unexpected is None or unexpected[0] == 0:
        return None  # the chunk failed, not this file
    helper = config.kwargs.get("column")
    examples = _examples(unexpected[1], frame, column, helper)
    count = unexpected[0]
    if check == "unique_key":
        return Finding(severity, check, _duplicate_message(f"{count} rows with a {note}", examples),
                       column, count, examples[:2 * MAX_EXAMPLES])
    return Finding(severity, check, f"{count:,} row(s): {note}", column, count, examples[:MAX_EXAMPLES])


# --------------------------------------------------------------------------------------------
# Per file
# --------------------------------------------------------------------------------------------

def report_for(info: reader.FileInfo) -> FileReport:
    return FileReport(la_code=info.la_code, table=info.table, path=info.path or None,
                      format=info.format, encoding=info.encoding, delimiter=info.delimiter)


def header_findings(info: reader.FileInfo, table: Table) -> list[Finding]:
    """Unknown extra columns (warning) and optional columns not supplied (info)."""
    out = []
    if info.extra_columns:
        out.append(Finding(WARNING, "unknown_column",
                           "unknown column(s) ignored: "
                           + ", ".join(c or "<blank header>" for c in info.extra_columns),
                           count=len(info.extra_columns)))
    optional_missing = [c for c in info.missing_columns if c not in table.required_columns]
    if optional_missing:
        out.append(Finding(INFO, "optional_column",
                           f"not recorded (optional column(s) not supplied): {', '.join(optional_missing)}",
                           count=len(optional_missing)))
    return out


def read_landing_file(info: reader.FileInfo) -> tuple[pa.Table | None, Finding | None]:
    """The file's rows, or the fatal reason it cannot be read."""
    if info.problem:
        return None, Finding(FATAL, "readable", info.problem)
    try:
        return reader.read_file(info), None
    except UnicodeDecodeError as exc:
        return None, Finding(FATAL, "readable", f"cannot be decoded as {info.encoding}: {exc}")
    except (reader.LandingError, pa.ArrowException, OSError, ValueError, csv.Error) as exc:
        return None, Finding(FATAL, "readable", f"unreadable: {exc}")


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


def read_for_checks(info: reader.FileInfo, table: Table) -> tuple[FileReport, PendingFile | None]:
    """The file's report so far (readability, header) and, when readable, what GX checks."""
    report = report_for(info)
    data, problem = read_landing_file(info)
    if problem:
        report.findings.append(problem)
        return report, None
    report.rows = data.num_rows
    report.findings += header_findings(info, table)
    present = checked_columns(table, data)
    return report, PendingFile(info, report, present, checks_table(table, data))


def _chunk_name(table: Table, files: list[PendingFile]) -> str:
    first, last = files[0].info.la_code, files[-1].info.la_code
    return f"{table.name}.la_{first}" + (f"_to_{last}" if len(files) > 1 else "")


def validate_chunk(table: Table, files: list[PendingFile], rules: Rules, runner: GxRunner) -> None:
    """One GX validation of some files of one table (same columns); results into each report."""
    expectations = suite_expectations(table, files[0].present, rules)
    frame = frame_for_checks(table, [f.checks for f in files])
    for f in files:
        f.checks = None  # the frame holds what the checks need
    name = _chunk_name(table, files)
    outcome = runner.run(name, frame, expectations)
    for r in outcome.results:
        meta = r.expectation_config.meta or {}
        split = unexpected_by_file(r, len(files), lambda config: runner.rerun_complete(name, frame, config))
        for i, f in enumerate(files):
            unexpected = None if split is None else split.get(i, (0, []))
            passed = bool(r.success) if unexpected is None else unexpected[0] == 0
            f.report.checks.append({"check": meta.get("check"), "column": meta.get("source_column"),
                                    "expectation": r.expectation_config.type,
                                    "severity": meta.get("severity"), "passed": passed})
            finding = finding_from(r, frame, unexpected)
            if finding:
                f.report.findings.append(finding)
    runner.release()


class Chunker:
    """Collects readable files into chunks of one table and column set, up to CHUNK_ROWS rows;
    a file with no rows is validated on its own (its row-count check is its own)."""

    def __init__(self, tables: dict[str, Table], rules: Rules, runner: GxRunner, chunk_rows: int) -> None:
        self.tables, self.rules, self.runner, self.chunk_rows = tables, rules, runner, chunk_rows
        self.pending: dict[tuple, list[PendingFile]] = {}

    def add(self, f: PendingFile) -> None:
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
        report.findings.append(Finding(FATAL, "required_table",
                                       f"required table {info.table} not supplied for la_code={info.la_code}"))
    else:
        report.findings.append(Finding(INFO, "optional_table", "not recorded (optional table not supplied)"))
    return report


def unknown_file_report(info: reader.FileInfo) -> FileReport:
    report = report_for(info)
    report.findings.append(Finding(WARNING, "unknown_table",
                                   f"{info.table} is not a table of the raw contract: ignored"))
    return report


# --------------------------------------------------------------------------------------------
# Run-wide settings: reporting date, code lists
# --------------------------------------------------------------------------------------------

def read_ahead(items: list, read: Callable[[Any], Any]) -> Iterator[Any]:
    """read(item) for each item, in order, computed by READERS threads up to READ_AHEAD ahead."""
    with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="csc-read") as pool:
        pending = [pool.submit(read, item) for item in items[:READ_AHEAD]]
        for i in range(len(items)):
            result = pending[i].result()
            pending[i] = None  # let the result go once it is handed on
            if i + READ_AHEAD < len(items):
                pending.append(pool.submit(read, items[i + READ_AHEAD]))
            yield result


def choose_reporting_date(reporting_date: str | None, landing: Path) -> tuple[date, str]:
    """The date given, else csc.reporting_date's (the warehouse's own rule: the last complete
    month end covered by the extract; with several councils the latest of theirs, the door's
    ceiling for "dated after the reporting date"), else the end of last month."""
    fixed = reporting.given_reporting_date(reporting_date)  # the argument, else CSC_REPORTING_DATE
    if fixed is not None:
        return fixed, "given"
    known = [d for d in reporting.reporting_dates(landing) if d.reporting_date is not None]
    if not known:
        return reporting.month_end_on_or_before(date.today()), "end of last month (no event date found)"
    latest = max(known, key=lambda d: d.reporting_date)
    return latest.reporting_date, latest.source


def load_code_lists(codes_file: Path) -> dict[str, frozenset[str]] | None:
    """{code_list: accepted values in upper case} from the reference seed (None when missing).

    A list's accepted values are its CIN census codes plus the words seed ref_value_maps reads
    as one of them (value map of the same name, e.g. cp_category: "Neglect"), as staging does."""
    if not codes_file.is_file():
        return None
    lists: dict[str, set[str]] = {}
    with codes_file.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            name, code = (row.get("code_list") or "").strip(), (row.get("code") or "").strip()
            if name and code:
                lists.setdefault(name, set()).add(code.upper())
    for name, words in value_rules.value_maps().items():
        if name in lists:
            lists[name] |= {w.upper() for w in words}
    return {name: frozenset(codes) for name, codes in lists.items()}


def code_list_warnings(code_lists: dict[str, frozenset[str]] | None, codes_file: Path,
                       tables: dict[str, Table]) -> list[Finding]:
    if code_lists is None:
        return [Finding(WARNING, "code_lists",
                        f"code lists not found at {codes_file}: code-list checks skipped")]
    named = sorted({c.codes for t in tables.values() for c in t.columns if isinstance(c.codes, str)})
    return [Finding(WARNING, "code_lists",
                    f"code list {name} not in {codes_file}: its code checks skipped")
            for name in named if name not in code_lists]


# --------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------

def summary(result: ValidationResult, codes_file: Path, code_lists_found: bool) -> dict:
    files = []
    for r in result.files:
        row = asdict(r)
        row["fatal"] = r.count(FATAL)
        row["warnings"] = r.count(WARNING)
        row["checks_run"] = len(r.checks)
        row["failures"] = row.pop("findings")
        files.append(row)
    return {
        "landing": str(result.landing),
        "reporting_date": result.reporting_date,
        "reporting_date_source": result.reporting_date_source,
        "earliest_date": EARLIEST_DATE.isoformat(),
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
        "files": files,
        "data_docs": str(result.data_docs_index) if result.data_docs_index else None,
    }


def _describe(finding: Finding) -> str:
    shown = ", ".join(f"line {e['line']}: {e['value']!r}" for e in finding.examples[:MAX_EXAMPLES]
                      if e.get("line") and finding.check not in ("unique_key", "required_column"))
    return finding.message + (f" [{shown}]" if shown else "")


def print_report(result: ValidationResult, echo: Echo, max_warning_lines: int = 50) -> None:
    echo(f"Validation of {result.landing} (reporting date {result.reporting_date}: "
         f"{result.reporting_date_source})")
    echo(f"{'LA':<5} {'table':<28} {'rows':>10} {'warnings':>9} {'fatal':>6}")
    for r in result.files:
        if r.path or r.fatal:
            echo(f"{r.la_code:<5} {r.table:<28} {r.rows:>10,} {r.count(WARNING):>9} {r.count(FATAL):>6}")
    warnings_shown = 0
    for report, f in result.findings:
        where = report.label if report else str(result.landing)
        if f.severity == FATAL:
            echo(f"FATAL    {where}: {_describe(f)}")
        elif f.severity == WARNING:
            warnings_shown += 1
            if warnings_shown <= max_warning_lines:
                echo(f"WARNING  {where}: {_describe(f)}")
    if warnings_shown > max_warning_lines:
        echo(f"... {warnings_shown - max_warning_lines} more warning(s) in {result.summary_path}")
    verdict = "FAIL" if result.fatal else "PASS"
    echo(f"Verdict: {verdict}: {result.total(FATAL)} fatal, {result.total(WARNING)} warning(s), "
         f"{sum(r.rows for r in result.files):,} rows in {sum(1 for r in result.files if r.path)} file(s). "
         f"Summary {result.summary_path}; Data Docs {result.data_docs_index}")


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------

def _order(tables: dict[str, Table]) -> Callable[[FileReport], tuple]:
    position = {name: i for i, name in enumerate(tables)}
    return lambda r: (r.la_code, position.get(r.table, len(position)), r.table, r.path or "")


def validate_landing(landing: Path, reporting_date: str | None = None, out_dir: Path | None = None,
                     codes_file: Path | None = None, echo: Echo = print,
                     chunk_rows: int | None = None) -> ValidationResult:
    """Validate every file of the landing folder; write the summary JSON and Data Docs."""
    landing_root = Path(landing)
    out_dir = Path(out_dir or paths.target_dir())
    codes_file = Path(codes_file or DEFAULT_CODES_FILE)
    tables = contract.load_contract()
    infos = reader.inventory(landing_root)
    when, source = choose_reporting_date(reporting_date, landing_root)
    code_lists = load_code_lists(codes_file)
    rules = Rules(reporting_date=when, code_lists=code_lists)

    result = ValidationResult(landing=landing_root, reporting_date=when.isoformat(),
                              reporting_date_source=source, files=[])
    result.extract_findings += code_list_warnings(code_lists, codes_file, tables)
    if not infos:
        result.extract_findings.append(Finding(FATAL, "landing", f"no landing files found in {landing_root}"))

    runner = GxRunner(out_dir / "gx", out_dir / "data_docs")
    chunker = Chunker(tables, rules, runner, chunk_rows or CHUNK_ROWS)
    to_read = []
    for info in infos:
        if info.format == "missing":
            result.files.append(missing_table_report(info, tables[info.table]))
        elif info.table not in tables:
            result.files.append(unknown_file_report(info))
        else:
            to_read.append(info)
    for report, pending in read_ahead(to_read, lambda info: read_for_checks(info, tables[info.table])):
        result.files.append(report)
        if pending is not None:
            chunker.add(pending)
    chunker.flush()
    result.files.sort(key=_order(tables))
    result.data_docs_index = runner.build_docs()

    result.summary_path = out_dir / "validation_summary.json"
    result.summary_path.write_text(
        json.dumps(summary(result, codes_file, code_lists is not None), indent=2, default=_plain),
        encoding="utf-8")
    print_report(result, echo)
    return result
