"""The quarterly performance report: one self-contained HTML file and a CSV of every figure in it.

    csc report --la 878 --quarter 2016-17-Q2 [--out DIR] [--suppress]

Reads only the published marts (``<published>/csc_marts.duckdb``, schema ``marts``, opened
read-only) and ``<published>/manifest.json`` (the build time's one owner). Modules:

    data.py        reading the marts into plain dataclasses (one query per table)
    sentences.py   the narrative: one sentence per measure from its numbers and polarity
    charts.py      hand-written inline SVG trend charts (no plotting library)
    suppression.py small-number suppression, evaluated with csc.privacy's rule
    render.py      assembling figures, the HTML (Jinja template) and the CSV
    readiness.py   the CIN census readiness section
"""

from __future__ import annotations

from typing import Any

__all__ = ["MARTS_READ", "report_file_stem", "write_report"]


def __getattr__(name: str) -> Any:
    """The package's names load on first use (PEP 562): every `csc` command imports the
    `csc report` command, and importing the report's modules (DuckDB, pyarrow, Jinja, the
    privacy rule) cost validate, build and publish about 0.5 s each at start-up."""
    if name == "MARTS_READ":
        from .data import OPTIONAL_TABLES, REQUIRED_TABLES
        from .readiness import TABLES as READINESS_TABLES

        # Every mart the report reads: the one list the quarterly_performance_report exposure
        # (models/marts/_exposures.yml) is generated from (scripts/dev/exposures.py).
        return (*REQUIRED_TABLES, *OPTIONAL_TABLES, *READINESS_TABLES)
    if name in ("report_file_stem", "write_report"):
        from . import render

        return getattr(render, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
