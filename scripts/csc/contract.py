"""The raw contract, read from the one place it is written: the dbt sources YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .paths import CONTRACT_FILE


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    required: bool = False
    key: bool = False
    codes: str | tuple[str, ...] | None = None
    parent: str | None = None
    flags: tuple[str, ...] = ()
    future_ok: bool = False

    @property
    def is_pii(self) -> bool:
        return self.type == "pii"


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...] = field(default_factory=tuple)
    required: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def loaded_columns(self) -> list[str]:
        """Columns read into the warehouse: every contract column except names (pii)."""
        return [c.name for c in self.columns if not c.is_pii]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def key_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.key]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _column(spec: dict) -> Column:
    meta = spec.get("meta") or (spec.get("config") or {}).get("meta") or {}
    codes = meta.get("codes")
    if isinstance(codes, list):
        codes = tuple(str(c) for c in codes)
    return Column(
        name=spec["name"],
        type=meta.get("type", "text"),
        required=bool(meta.get("required", False)),
        key=bool(meta.get("key", False)),
        codes=codes,
        parent=meta.get("parent"),
        flags=tuple(meta.get("flags", ())),
        future_ok=bool(meta.get("future_ok", False)),
    )


@lru_cache(maxsize=4)
def load_contract(path: Path = CONTRACT_FILE) -> dict[str, Table]:
    """Tables of the `ssd` source, in file order, keyed by table name."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for source in doc["sources"]:
        if source["name"] == "ssd":
            return {
                t["name"]: Table(
                    name=t["name"],
                    description=(t.get("description") or "").strip(),
                    columns=tuple(_column(c) for c in t.get("columns", [])),
                    required=bool(((t.get("config") or {}).get("meta") or t.get("meta") or {}).get("required")),
                )
                for t in source["tables"]
            }
    raise ValueError(f"{path}: no source named 'ssd'")


def required_tables() -> tuple[str, ...]:
    """Tables without which the extract is refused (table meta `required: true`)."""
    return tuple(name for name, table in load_contract().items() if table.required)


REQUIRED_TABLES = required_tables()
