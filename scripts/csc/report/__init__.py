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

from .render import report_file_stem, write_report

__all__ = ["report_file_stem", "write_report"]
