"""The short report on the terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .results import FATAL, MAX_EXAMPLES, WARNING, Finding, ValidationResult

Echo = Callable[[str], Any]


def _describe(finding: Finding) -> str:
    shown = ", ".join(
        f"line {e['line']}: {e['value']!r}"
        for e in finding.examples[:MAX_EXAMPLES]
        if e.get("line") and finding.check not in ("unique_key", "required_column")
    )
    return finding.message + (f" [{shown}]" if shown else "")


def print_report(result: ValidationResult, echo: Echo, max_warning_lines: int = 50) -> None:
    echo(f"Validation of {result.landing} (reporting date {result.reporting_date}: {result.reporting_date_source})")
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
    echo(
        f"Verdict: {verdict}: {result.total(FATAL)} fatal, {result.total(WARNING)} warning(s), "
        f"{sum(r.rows for r in result.files):,} rows in {sum(1 for r in result.files if r.path)} file(s). "
        f"Summary {result.summary_path}; Data Docs {result.data_docs_index}"
    )
