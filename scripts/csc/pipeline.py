"""The demo pipeline: every step the README promises, in order, stopping at the first failure."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from . import paths

DEMO_QUARTER = "2016-17-Q2"


def _step(title: str) -> float:
    typer.secho(f"\n== {title}", bold=True, err=True)
    return time.perf_counter()


def _done(started: float) -> None:
    typer.echo(f"   ({time.perf_counter() - started:.1f} s)", err=True)


def run_demo() -> bool:
    """Generate the synthetic demo extract, validate, build and test, publish, report."""
    from .build import dbt_build
    from .generate import generate_extract
    from .publish import publish
    from .report import write_report
    from .report.command import default_out_dir
    from .validate import validate_landing

    landing = paths.landing_dir()
    t = _step(f"Generating the SYNTHETIC demo extract in {landing}")
    generate_extract(
        out=landing,
        la_codes=["878"],
        scale="la",
        start="2013-04-01",
        end="2016-09-30",
        seed=20160930,
        size=1.0,
        faults=False,
        progress=True,
    )
    _done(t)

    t = _step("Validating the extract (Great Expectations)")
    if validate_landing(landing).fatal:
        typer.secho("Validation found fatal problems: see above.", fg="red", err=True)
        return False
    _done(t)

    t = _step(f"Building and testing the warehouse (dbt build) into {paths.duckdb_path()}")
    if not dbt_build():
        typer.secho("dbt build failed: see above.", fg="red", err=True)
        return False
    _done(t)

    t = _step(f"Publishing checked outputs to {paths.published_dir()}")
    if not publish(skip_build=True):
        typer.secho("Publishing failed: see above. The previous outputs are unchanged.", fg="red", err=True)
        return False
    _done(t)
    published = paths.published_dir()

    t = _step(f"Writing the quarterly report for {DEMO_QUARTER}")
    report_html, report_csv = write_report(published, "878", DEMO_QUARTER, default_out_dir())
    _done(t)
    _print_where(published, report_html, report_csv)
    return True


def _print_where(published: Path, report_html: Path, report_csv: Path) -> None:
    typer.secho("\nDone. Everything above is SYNTHETIC demo data.", fg="green", bold=True)
    typer.echo(f"  Build warehouse (dbt only):  {paths.duckdb_path()}")
    typer.echo(f"  Published marts (read-only): {published / 'csc_marts.duckdb'}")
    typer.echo(f"  Parquet for Power BI:        {published / 'parquet'}")
    typer.echo(f"  Power BI project (open it):  {published / 'powerbi' / 'csc.pbip'}")
    typer.echo(f"  Documentation:               {published / 'docs' / 'index.html'}")
    typer.echo(f"  Quarterly report:            {report_html}")
    typer.echo(f"  Its figures (CSV):           {report_csv}")
    typer.echo(
        '  Query it:  .venv/bin/python -c "import duckdb; print(duckdb.connect('
        f"'{published / 'csc_marts.duckdb'}', read_only=True).sql("
        "'select * from marts.kpi_scorecard limit 5'))\""
    )
