"""The pseudonymisation key: where it comes from, in one place.

The dbt plugin (csc.dbt_plugin) puts it in the build's DuckDB session, csc.spark in Spark's; the
privacy scan needs none (it reads child_key as the build stored it). This module imports
nothing heavy, so a command that needs the key does not load dbt to find it.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import demo_marker
from .paths import DEMO_PSEUDONYM_KEY, landing_dir


class PseudonymKeyMissing(Exception):
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
