"""`csc`'s start-up: the command line imports none of the heavy libraries, so each command
pays only for what it uses (#15: every csc command imported the report's modules, about
0.5 s of validate, build and publish each)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "numpy", "pyarrow", "duckdb", "jinja2", "great_expectations", "dbt", "csc.report.render")


def test_importing_the_command_line_loads_no_heavy_library():
    code = f"import sys, csc.cli; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_report_package_still_names_what_it_exports():
    import csc.report as report

    assert set(report.__all__) == {"MARTS_READ", "report_file_stem", "write_report"}
    assert "kpi_values" in report.MARTS_READ
    assert callable(report.write_report) and callable(report.report_file_stem)
