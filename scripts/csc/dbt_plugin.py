"""dbt-duckdb plugin `csc_landing`: the landing folder as dbt sources.

Sources whose meta says `plugin: csc_landing` are read by csc.landing (encoding, delimiter,
missing optional columns, malformed rows all handled there) and appear to dbt as
`raw.<table>`. The plugin also puts the pseudonymisation key into a DuckDB session variable,
so the key is never written into compiled SQL, logs or target/.
"""

from __future__ import annotations

import os

from dbt.adapters.duckdb.plugins import BasePlugin
from dbt.adapters.duckdb.utils import SourceConfig

from . import landing
from .paths import DEMO_MARKER, DEMO_PSEUDONYM_KEY, landing_dir


class PseudonymKeyMissing(Exception):
    pass


def pseudonym_key() -> str:
    """The key from CSC_PSEUDONYM_KEY; the documented demo key only for synthetic demo data."""
    key = os.environ.get("CSC_PSEUDONYM_KEY", "")
    if key:
        return key
    if (landing_dir() / DEMO_MARKER).exists() or not landing_dir().exists():
        return DEMO_PSEUDONYM_KEY
    raise PseudonymKeyMissing(
        f"The landing folder {landing_dir()} is not synthetic demo data, so a pseudonymisation "
        "key is required. Set one, keep it secret and keep it the same from build to build:\n"
        "    export CSC_PSEUDONYM_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')\n"
        "(store it where your council keeps secrets; child_key values change if the key changes)."
    )


def _set_session(conn) -> None:
    conn.execute("set variable csc_pseudonym_key = ?", [pseudonym_key()])


class Plugin(BasePlugin):
    def configure_connection(self, conn):
        _set_session(conn)

    def configure_cursor(self, cursor):
        _set_session(cursor)

    def load(self, source_config: SourceConfig):
        if source_config.identifier == "landing_files":
            return landing.inventory_table()
        if source_config.identifier == "reporting_dates":
            from .reporting_date import reporting_dates_table  # the one reporting-date rule

            return reporting_dates_table()
        return landing.read_table(source_config.identifier)

    def default_materialization(self):
        return "table"
