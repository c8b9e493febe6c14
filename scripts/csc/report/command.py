"""`csc report`: the command-line entry to the quarterly report (registered in csc.cli)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .. import paths


def default_out_dir() -> Path:
    """Reports go beside the published folder: warehouse/reports (or $CSC_PUBLISH_DIR/../reports)."""
    return paths.published_dir().parent / "reports"


def report(
    quarter: Optional[str] = typer.Option(
        None, help="Financial quarter, e.g. 2016-17-Q2 (default: the latest complete quarter of the figures)."),
    la: str = typer.Option("878", "--la", help="DfE LA code of the council."),
    out: Optional[Path] = typer.Option(
        None, help="Folder for the HTML and CSV (default: reports/ beside the published folder)."),
    suppress: bool = typer.Option(
        False, help="Small-number suppression as `csc publish --suppress`: counts 1-5 and figures built on them shown as c."),
    published: Optional[Path] = typer.Option(
        None, help="Published folder (default: $CSC_PUBLISH_DIR or warehouse/published)."),
    duckdb_file: Optional[Path] = typer.Option(
        None, "--duckdb", help="Read this DuckDB file (any file with a marts schema) instead of the published folder."),
    synthetic: Optional[bool] = typer.Option(
        None, "--synthetic/--not-synthetic",
        help="Force the SYNTHETIC DATA banner on or off (default: the manifest's synthetic_data, "
             "else whether the landing folder holds SYNTHETIC_DEMO_DATA.txt)."),
) -> None:
    """Quarterly performance report: one self-contained HTML file (prints to A4) and a CSV of every figure in it."""
    from .data import ReportError
    from .render import write_report

    source = duckdb_file or published or paths.published_dir()
    try:
        html, csv_path = write_report(source, la, quarter, out or default_out_dir(), suppress=suppress,
                                      synthetic=synthetic)
    except ReportError as exc:
        typer.secho(f"csc report: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Report: {html}")
    typer.echo(f"Figures (CSV): {csv_path}")
