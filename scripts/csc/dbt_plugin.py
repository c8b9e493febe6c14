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

from . import demo_marker, landing
from .paths import DEMO_PSEUDONYM_KEY, landing_dir


class PseudonymKeyMissing(DbtRuntimeError):
    """No CSC_PSEUDONYM_KEY, and the landing folder is not untouched `csc generate` output."""


def pseudonym_key(landing: Path | None = None) -> str:
    """The key from CSC_PSEUDONYM_KEY; the documented demo key only when every council folder
    of the landing is one `csc generate` wrote, unchanged (csc.demo_marker)."""
    key = os.environ.get("CSC_PSEUDONYM_KEY", "")
    if key:
        return key
    demo = demo_marker.check(Path(landing or landing_dir()))
    if demo:
        return DEMO_PSEUDONYM_KEY
    raise PseudonymKeyMissing(
        f"no pseudonymisation key: the demo key is only for unchanged `csc generate` output, and "
        f"{demo.reason}; set a key of your own, keep it secret and the same from build to build: "
        "export CSC_PSEUDONYM_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')"
    )


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


def source_table(identifier: str, root: Path | None = None):
    """raw.<identifier> as an Arrow table: a contract table, the landing inventory or the
    reporting dates. DuckDB's plugin and csc.spark (the Spark loader) both read through here."""
    if identifier == "landing_files":
        return landing.inventory_table(root)
    if identifier == "reporting_dates":
        from .reporting_date import reporting_dates_table  # the one reporting-date rule

        return reporting_dates_table(root)
    return landing.read_table(identifier, root)


class Plugin(BasePlugin):
    def update_connection_config(self, creds, config):
        preflight()  # before DuckDB opens the file: refused in one line, no connection opened

    def configure_connection(self, conn):
        _set_session(conn)

    def configure_cursor(self, cursor):
        _set_session(cursor)

    def load(self, source_config: SourceConfig):
        return source_table(source_config.identifier)

    def default_materialization(self):
        return "table"
