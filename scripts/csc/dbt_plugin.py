"""dbt-duckdb plugin `csc_landing`: the landing folder as dbt sources.

Sources whose meta says `plugin: csc_landing` are read by csc.landing (encoding, delimiter,
missing optional columns, malformed rows all handled there) and appear to dbt as
`raw.<table>`. The plugin also puts the pseudonymisation key into a DuckDB session variable,
so the key is never written into compiled SQL, logs or target/.
"""

from __future__ import annotations

import os
from pathlib import Path

from dbt.adapters.duckdb.plugins import BasePlugin
from dbt.adapters.duckdb.utils import SourceConfig
from dbt_common.exceptions import DbtRuntimeError

from . import landing, pseudonym
from .paths import DEMO_PSEUDONYM_KEY  # noqa: F401  (tests and tools read it here)


class PseudonymKeyMissing(DbtRuntimeError, pseudonym.PseudonymKeyMissing):
    """csc.pseudonym's error as dbt shows it: one line, no traceback."""


def pseudonym_key(landing: Path | None = None) -> str:
    """csc.pseudonym.pseudonym_key (the owner), raising the error dbt reports cleanly."""
    try:
        return pseudonym.pseudonym_key(landing)
    except pseudonym.PseudonymKeyMissing as exc:
        raise PseudonymKeyMissing(str(exc)) from None


class LandingRefused(DbtRuntimeError):
    """The landing folder has a fatal layout problem (csc.landing.scan)."""


def preflight() -> str:
    """Before DuckDB opens the build file: the key, and a landing layout with nothing fatal."""
    key = pseudonym_key()
    try:
        landing.check_layout()
    except landing.LandingError as exc:
        raise LandingRefused(str(exc)) from None
    return key


def _set_session(conn) -> None:
    conn.execute("set variable csc_pseudonym_key = ?", [pseudonym_key()])


# Tables of source `landing` besides the contract's: the inventory and the reporting dates.
EXTRA_SOURCE_TABLES = ("landing_files", "reporting_dates")


def source_table(identifier: str, root: Path | None = None, stream: bool = False):
    """raw.<identifier> as an Arrow table: a contract table, the landing inventory or the
    reporting dates. DuckDB's plugin and csc.spark (the Spark loader) both read through here.
    stream=True gives a contract table as a stream of record batches (landing.stream_table):
    DuckDB takes it in file by file, so the build holds a few files, not a table of England."""
    if identifier == "landing_files":
        return landing.inventory_table(root)
    if identifier == "reporting_dates":
        from .reporting_date import reporting_dates_table  # the one reporting-date rule

        return reporting_dates_table(root)
    if stream:
        return landing.stream_table(identifier, root)
    return landing.read_table(identifier, root)


class Plugin(BasePlugin):
    def initialize(self, plugin_config):
        # `lint: true` (profile target lint, for sqlfluff's dbt templater): compiling only, so no
        # key, no landing folder; every source is an empty table with its columns.
        self.lint = bool((plugin_config or {}).get("lint"))

    def update_connection_config(self, creds, config):
        if not self.lint:
            preflight()  # before DuckDB opens the file: refused in one line, no connection opened

    def configure_connection(self, conn):
        if not self.lint:
            _set_session(conn)

    def configure_cursor(self, cursor):
        if not self.lint:
            _set_session(cursor)

    def load(self, source_config: SourceConfig):
        empty = Path(os.devnull) / "no-landing" if self.lint else None
        return source_table(source_config.identifier, empty, stream=True)

    def default_materialization(self):
        return "table"
