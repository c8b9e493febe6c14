"""`csc`: the warehouse's command line. Thin commands over well-named functions."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from . import paths
from .report.command import report as report_command

app = typer.Typer(
    help="Children's social care warehouse: generate synthetic extracts, validate, build, publish.",
    no_args_is_help=True,
    add_completion=False,
)


def version_text() -> str:
    """`csc --version`: the package's version and the tools the warehouse runs on."""
    import platform
    from importlib import metadata

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    return (
        f"csc {version('csc-warehouse')} (dbt-core {version('dbt-core')}, dbt-duckdb "
        f"{version('dbt-duckdb')}, duckdb {version('duckdb')}, Python {platform.python_version()})"
    )


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version_callback,
        is_eager=True,
        help="Print the version of csc and of the tools it runs on, and exit.",
    ),
) -> None:
    """Children's social care warehouse: generate synthetic extracts, validate, build, publish."""


def _fail(message: str, code: int = 1) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _require_pseudonym_key(command: str, landing: Path | None = None) -> None:
    """Before anything runs: a key, or the demo key for untouched synthetic data (one line)."""
    from .pseudonym import PseudonymKeyMissing, pseudonym_key  # not dbt: `csc validate` never loads it

    try:
        pseudonym_key(landing)
    except PseudonymKeyMissing as exc:
        _fail(f"csc {command}: {exc}", 2)


@app.command()
def generate(
    out: Path = typer.Option(None, help="Landing folder to write (default: $CSC_LANDING_DIR or data/landing)."),
    la: list[str] = typer.Option(["878"], "--la", help="DfE LA code(s); repeat for several councils."),
    scale: str = typer.Option("la", help="'la' (the councils given by --la) or 'england' (all 152 councils)."),
    start: str = typer.Option("2013-04-01", help="First date of the extract (YYYY-MM-DD)."),
    end: str = typer.Option("2016-09-30", help="Last date of the extract (YYYY-MM-DD)."),
    seed: int = typer.Option(20160930, help="Random seed: same seed and options give byte-identical files."),
    size: float = typer.Option(1.0, help="Multiplier on each council's volumes (0.25 = a quarter)."),
    faults: bool = typer.Option(False, help="Inject known data-quality faults (for testing validation)."),
) -> None:
    """Write a SYNTHETIC extract in the landing layout (no real person is in it)."""
    from .generate import generate_extract

    out = out or paths.landing_dir()
    try:
        summary = generate_extract(
            out=out, la_codes=la, scale=scale, start=start, end=end, seed=seed, size=size, faults=faults, progress=True
        )
    except ValueError as exc:
        _fail(f"csc generate: {exc}", 2)
    typer.echo(f"Synthetic extract written to {out}: " + ", ".join(f"{k} {v:,}" for k, v in summary.items()))


@app.command()
def validate(
    landing: Path = typer.Option(None, help="Landing folder (default: $CSC_LANDING_DIR or data/landing)."),
    reporting_date: str | None = typer.Option(None, help="Latest acceptable event date (YYYY-MM-DD)."),
) -> None:
    """Check every landing file against the raw contract with Great Expectations."""
    from .validate import validate_landing

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    _require_pseudonym_key("validate", landing)
    result = validate_landing(landing or paths.landing_dir(), reporting_date=reporting_date)
    if result.fatal:
        raise typer.Exit(1)


@app.command()
def build(
    select: str | None = typer.Option(None, help="dbt selector, e.g. 'marts'."),
    verbose: bool = typer.Option(
        False, "--verbose", help="dbt's own output, a line per node (default: one progress line and a summary)."
    ),
    unit_tests: bool = typer.Option(
        False,
        "--unit-tests",
        help="Run dbt's unit tests too (they prove the SQL on hand-made rows; CI runs them, a council's build need not).",
    ),
) -> None:
    """dbt build (seeds, models, data tests) into the working DuckDB file."""
    from .build import dbt_build
    from .dbt_output import VERBOSE_ENV

    if verbose:
        os.environ[VERBOSE_ENV] = "1"

    _require_pseudonym_key("build")
    if not dbt_build(select=select, unit_tests=unit_tests):
        raise typer.Exit(1)


@app.command()
def publish(
    suppress: bool = typer.Option(
        False, help="Small-number suppression (counts 1-5 shown as 'c') for outputs shared outside the council."
    ),
    skip_build: bool = typer.Option(
        False, help="Publish the last build (it must have passed) without validating and building again."
    ),
    out: Path | None = typer.Option(None, help="Published folder (default: $CSC_PUBLISH_DIR or warehouse/published)."),
) -> None:
    """Validate, build and test, then publish the marts atomically (DuckDB, Parquet, manifest, docs)."""
    from .publish import publish as publish_outputs

    if not skip_build:
        _require_pseudonym_key("publish")
    result = publish_outputs(suppress=suppress, skip_build=skip_build, published_dir=out)
    if not result:
        _fail(f"csc publish: nothing published ({result.stage}): {result.message}")
    typer.echo(f"Published to {result.published} in {result.seconds:.1f} s")


@app.command("import-cin-census")
def import_cin_census_command(
    xml: Path = typer.Argument(..., help="The CIN census return (XML), Year 2014 to 2027."),
    la: str | None = typer.Option(None, "--la", help="DfE LA code (default: the header's Source/LEA)."),
    landing: Path = typer.Option(None, help="Landing folder (default: $CSC_LANDING_DIR or data/landing)."),
) -> None:
    """Import a CIN census return into the landing folder as SSD files (merged with earlier years)."""
    from .cin_census import CinCensusError, import_cin_census

    try:
        summary = import_cin_census(xml, landing or paths.landing_dir(), la_code=la, echo=typer.echo)
    except CinCensusError as exc:
        _fail(f"csc import-cin-census: {exc}", 2)
    if summary.children_skipped:
        raise typer.Exit(1)


@app.command("export-cin-census")
def export_cin_census_command(
    la: str = typer.Option(..., "--la", help="DfE LA code of the council."),
    year: int = typer.Option(..., help="The year ending 31 March YEAR (2016 = the 2015-16 return)."),
    out: Path | None = typer.Option(
        None, help="File to write (default: cin_census/CIN_census_<LA>_<YEAR>.xml beside the DuckDB file)."
    ),
) -> None:
    """Write the council's CIN census return for a year from the built warehouse (validated first)."""
    from .cin_census import CinCensusError, export_cin_census

    out = out or paths.duckdb_path().parent / "cin_census" / f"CIN_census_{la}_{year}.xml"
    try:
        summary = export_cin_census(paths.duckdb_path(), la, year, out)
    except CinCensusError as exc:
        _fail(f"csc export-cin-census: {exc}", 1)
    typer.echo(str(summary))


@app.command("check-cin-census")
def check_cin_census_command(
    xml: Path = typer.Argument(..., help="The CIN census return (XML) to check."),
) -> None:
    """Run the warehouse's data-quality rules on a CIN census return (temporary build; nothing kept)."""
    from .cin_census import CinCensusError, check_cin_census

    try:
        result = check_cin_census(xml, echo=typer.echo)
    except CinCensusError as exc:
        _fail(f"csc check-cin-census: {exc}", 2)
    if not result.ok:
        raise typer.Exit(1)


@app.command("refresh-reference")
def refresh_reference_command(
    dfe_dir: Path = typer.Option(
        paths.REPO_ROOT.parent / "shared" / "reference" / "dfe",
        help="Folder of DfE's published CSV files (Explore Education Statistics, LAIT, ONS).",
    ),
    cin_dir: Path | None = typer.Option(
        None, help="Folder of CIN census XSDs (code lists); default: beside --dfe-dir."
    ),
) -> None:
    """Rebuild the reference seeds (bank holidays, code lists, populations, benchmarks)."""
    from .reference import refresh_reference

    counts = refresh_reference(dfe_dir if dfe_dir.is_dir() else None, paths.SEEDS_DIR / "reference", cin_dir=cin_dir)
    if not dfe_dir.is_dir():
        typer.echo(f"{dfe_dir} not found: only the bank holidays were rebuilt.")
    for name, rows in counts.items():
        typer.echo(f"{name}: {rows:,} rows")


@app.command()
def bench(
    scale: str = typer.Option("la", help="'la' (the demo council 878) or 'england' (all 152 councils)."),
    sizes: str = typer.Option("0.25,0.5,1", help="Generator sizes to run, comma-separated (1 = the full extract)."),
    out: Path = typer.Option(None, help="Folder for <scale>.json (default: target/bench)."),
    work_dir: Path | None = typer.Option(
        None,
        "--work-dir",
        help="Where extracts and builds go (default: <out>/work/<scale>); deleted afterwards unless --keep or --reuse.",
    ),
    reuse: bool = typer.Option(False, help="Reuse extracts a previous --reuse run left in --work-dir."),
    keep: bool = typer.Option(False, help="Keep the work folder."),
    direct: bool = typer.Option(True, help="At the largest size, also run the heavy models' SQL directly in DuckDB."),
    rerun: bool = typer.Option(True, help="At the largest size, run validate + build + publish again (a rerun)."),
    previous: Path | None = typer.Option(
        None, "--previous", help="An earlier <scale>.json: wall times side by side, outputs must be identical."
    ),
) -> None:
    """Benchmark validate, build and publish on a SYNTHETIC extract: wall, CPU, peak memory, rows/s, growth with size."""
    from . import devtools

    try:
        bench_tool = devtools.load("bench")
    except devtools.DevToolMissing as exc:
        _fail(f"csc bench: {exc}")
    BenchError, parse_sizes, run_bench = bench_tool.BenchError, bench_tool.parse_sizes, bench_tool.run_bench
    try:
        run_bench(
            scale,
            parse_sizes(sizes),
            out or paths.target_dir() / "bench",
            work_dir=work_dir,
            reuse=reuse,
            keep=keep,
            direct=direct,
            rerun=rerun,
            previous=previous,
            echo=typer.echo,
        )
    except ValueError as exc:
        _fail(f"csc bench: {exc}", 2)
    except BenchError as exc:
        _fail(f"csc bench: {exc}")


app.command("report")(report_command)


@app.command()
def demo() -> None:
    """The whole pipeline on the SYNTHETIC demo extract: generate, validate, build, publish, report."""
    from .pipeline import run_demo

    if not run_demo():
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover
    app()
