"""The data-quality gate: every landing file checked against the raw contract with Great Expectations.

`validate_landing()` reads each council's files with the landing reader (csc.landing), turns
each one into a pandas dataframe of trimmed text (blank = null) plus a few helper columns
computed with the same rules staging uses (`<col>__in_range`, `<col>__is_real_date`, `<col>__code`,
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

Outputs (under `out_dir`, default target/): validation_summary.json, a static results page in
data_docs/index.html (the page publish uses: values escaped, dates of birth and death masked, no
scripts or remote assets) and a short table on the terminal. Great Expectations runs in an
in-memory context: nothing of it is written.

Speed
    Great Expectations' cost is mostly per validation run (the suite's metric graph), not per
    row: one run per file took about a second a file, over half an hour for England's 1,824
    files. So the files of one table with the same columns are validated together, in chunks
    of up to CHUNK_ROWS rows (CSC_VALIDATE_CHUNK_ROWS), with each row's file and line number
    in the frame; results are split back per file. Each chunk is validated in two passes
    (gx.GxRunner.run): every check asked only whether it passed, then each failed check alone
    with its unexpected rows (the complete list when the chunk holds several files, which
    names the file of each). A council's extract is one file per table, so it is validated
    file by file as before. GX filters the whole frame for every column check (copying every
    column), so the frame's text columns are pandas categoricals, which copy integer codes,
    not text (frames.to_frame). Importing GX leaves out two libraries of an expectation csc
    never runs (gx_import).

Modules (one job each): results (findings), frames (the Arrow/pandas frame with helper
columns), suites (expectations generated from the contract and csc.rules), gx_import (importing
Great Expectations), gx (running it and reading its results), files (reading landing files,
threads, chunks), summary (validation_summary.json: atomic write, verify_summary for publish),
printing (the terminal table), run (validate_landing).
"""

from __future__ import annotations

import os

os.environ["GX_ANALYTICS_ENABLED"] = "false"  # before great_expectations is imported

# The names below load their module on first use (PEP 562): `csc build` and `csc publish` only
# need `verify_summary`, and importing Great Expectations (csc.validate.suites) costs seconds.
_HOMES = {
    "frames": ("frame_for_checks", "helper_columns", "json_is_valid", "parse_dates"),
    "results": ("FATAL", "INFO", "WARNING", "FileReport", "Finding", "ValidationResult"),
    "run": ("choose_reporting_date", "validate_landing"),
    "suites": (
        "DATE_FORMATS",
        "DATE_REGEX",
        "DEFAULT_CODES_FILE",
        "EARLIEST_DATE",
        "FLAG_REGEX",
        "INT_REGEX",
        "Rules",
        "column_expectations",
        "load_code_lists",
        "suite_expectations",
        "table_expectations",
    ),
    "summary": ("SummaryError", "verify_summary"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str):
    import importlib

    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "DATE_FORMATS",
    "DATE_REGEX",
    "DEFAULT_CODES_FILE",
    "EARLIEST_DATE",
    "FATAL",
    "FLAG_REGEX",
    "INFO",
    "INT_REGEX",
    "WARNING",
    "FileReport",
    "Finding",
    "Rules",
    "SummaryError",
    "ValidationResult",
    "choose_reporting_date",
    "column_expectations",
    "frame_for_checks",
    "helper_columns",
    "json_is_valid",
    "load_code_lists",
    "parse_dates",
    "suite_expectations",
    "table_expectations",
    "validate_landing",
    "verify_summary",
]
