"""The DuckDB settings of the warehouse's own connections: one owner for the memory limit.

dbt's connection takes the same limit from profiles.yml, whose fallback must equal
DEFAULT_MEMORY_LIMIT (a test holds them together), and `csc build` passes memory_limit() to
dbt through $CSC_DUCKDB_MEMORY_LIMIT. Without a limit DuckDB takes up to 80% of the machine's
memory: publishing full-size England peaked at 4.87 GB that way.

The default, 2GB, keeps every step of a full-size England run (27.9 million landing rows)
under 4 GB at no cost in time: build 3.07 GB in 427.5 s (5.03 GB in 425.8 s at 4GB), publish
2.88 GB (4.87 GB unbounded), validate 1.90 GB, each measured quietly. A council's data is far
below it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

MEMORY_LIMIT_ENV = "CSC_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "2GB"
_SIZE = re.compile(r"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)$", re.IGNORECASE)


class MemoryLimitError(ValueError):
    """$CSC_DUCKDB_MEMORY_LIMIT is not a size DuckDB understands."""


def memory_limit() -> str:
    """$CSC_DUCKDB_MEMORY_LIMIT (e.g. 3GB, 2500MB) or DEFAULT_MEMORY_LIMIT."""
    value = os.environ.get(MEMORY_LIMIT_ENV, "").strip() or DEFAULT_MEMORY_LIMIT
    if not _SIZE.match(value):
        raise MemoryLimitError(f"{MEMORY_LIMIT_ENV}={value!r} is not a size: use e.g. 3GB or 2500MB")
    return value


def connect(database: str | Path = ":memory:", read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """duckdb.connect with the warehouse's memory limit."""
    return duckdb.connect(str(database), read_only=read_only, config={"memory_limit": memory_limit()})
