"""`csc report`: the command-line entry to the quarterly report (registered in csc.cli)."""

from __future__ import annotations

from pathlib import Path

import typer

from .. import paths


def default_out_dir() -> Path:
    """Reports go beside the published folder: warehouse/reports (or $CSC_PUBLISH_DIR/../reports)."""
    return paths.published_dir().parent / "reports"


def report(
    quarter: str | None = typer.Option(
        None, help="Financial quarter, e.g. 2016-17-Q2 (default: the latest complete quarter of the figures)."
    ),
    la: str = typer.Option("878", "--la", help="DfE LA code of the council."),
    out: Path | None = typer.Option(
        None, help="Folder for the HTML and CSV (default: reports/ beside the published folder)."
    ),
    suppress: bool = typer.Option(
        False,
        help="Small-number suppression as `csc publish --suppress`: counts 1-5 and figures built on them shown as c.",
    ),
    published: Path | None = typer.Option(
        None, help="Published folder (default: $CSC_PUBLISH_DIR or warehouse/published)."
    ),
    duckdb_file: Path | None = typer.Option(
        None, "--duckdb", help="Read this DuckDB file (any file with a marts schema) instead of the published folder."
    ),
    synthetic: bool | None = typer.Option(
        None,
        "--synthetic/--not-synthetic",
        help="Force the SYNTHETIC DATA banner on or off (default: the manifest's synthetic_data, "
        "else whether the landing folder holds SYNTHETIC_DEMO_DATA.txt).",
    ),
    commentary: Path | None = typer.Option(
        None,
        "--commentary",
        help="The service's commentary and actions (Markdown, one '## ' heading per "
        "section): placed in the summary and each section.",
    ),
    commentary_template: Path | None = typer.Option(
        None,
        "--commentary-template",
        help="Write the commentary file to fill in (one heading per section) to this path, and stop.",
    ),
) -> None:
    """Quarterly performance report: one self-contained HTML file (prints to A4) and a CSV of every figure in it.

    Quarters may be written 2016-17-Q2, 2016/17 Q2 or Q2 2016/17."""
    from .data import ReportError
    from .render import write_report

    source = duckdb_file or published or paths.published_dir()
    if commentary_template is not None:
        try:
            written = write_commentary_template(commentary_template, source, la, quarter)
        except ReportError as exc:
            typer.secho(f"csc report: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(2) from None
        typer.echo(f"Commentary template: {written} (fill it in, then: csc report --commentary {written})")
        return
    try:
        html, csv_path = write_report(
            source, la, quarter, out or default_out_dir(), suppress=suppress, synthetic=synthetic, commentary=commentary
        )
    except ReportError as exc:
        typer.secho(f"csc report: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Report: {html}")
    typer.echo(f"Figures (CSV): {csv_path}")


def write_commentary_template(path: Path, source: Path, la: str, quarter: str | None) -> Path:
    """The commentary file with one heading per part of the report. Titled with the council and
    quarter when the published figures can be read; never overwrites a file already there."""
    from . import commentary
    from .data import ReportError, load
    from .render import SECTIONS, section_specs

    path = Path(path)
    if path.exists():
        raise ReportError(f"{path} already exists: not overwritten (it may hold commentary)")
    sections, la_name, label = list(SECTIONS), "", quarter or ""
    try:
        data = load(Path(source), la, quarter)
        sections, la_name, label = section_specs(data), data.la_name, data.quarter.display
    except ReportError:
        pass  # no published figures yet: the template is the same without the title
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(commentary.template(sections, la_name, label), encoding="utf-8", newline="\n")
    return path
