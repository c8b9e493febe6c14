"""The raw contract, read from the one place it is written: the dbt sources YAML.

This is the only Python reader of the contract (the landing reader, validation, the generator,
the CIN census importer and the privacy scan all call `load_contract`). The contract's table
list with each table's parents is also dbt var `ssd_tables` (dbt sees model edges from it
while parsing); `load_contract` refuses to load when the two differ, as the dbt build does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .paths import CONTRACT_FILE, REPO_ROOT

PROJECT_FILE = REPO_ROOT / "dbt_project.yml"


class ContractError(ValueError):
    pass


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
    event: bool = False

    @property
    def is_pii(self) -> bool:
        return self.type == "pii"

    @property
    def parent_table(self) -> str | None:
        return self.parent.split(".", 1)[0] if self.parent else None


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

    @property
    def parent_tables(self) -> list[str]:
        return sorted({c.parent_table for c in self.columns if c.parent_table})

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _meta(spec: dict) -> dict:
    """A node's meta, wherever dbt allows it (`meta:` or `config: {meta:}`), as dbt merges it."""
    return {**((spec.get("config") or {}).get("meta") or {}), **(spec.get("meta") or {})}


def _column(spec: dict) -> Column:
    meta = _meta(spec)
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
        event=bool(meta.get("event", False)),
    )


@lru_cache(maxsize=2)
def project_vars(path: Path = PROJECT_FILE) -> dict:
    """The vars of dbt_project.yml (the static table list, the date formats)."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")).get("vars") or {}


def check_table_list(tables: dict[str, Table], listed: dict[str, list[str]]) -> None:
    """Raise ContractError when var ssd_tables and the contract's tables or parents differ."""
    in_contract = {name: t.parent_tables for name, t in tables.items()}
    in_var = {name: sorted(set(parents or [])) for name, parents in (listed or {}).items()}
    if in_contract != in_var or list(in_contract) != list(in_var):
        raise ContractError(
            f"var ssd_tables in {PROJECT_FILE.name} {in_var} differs from the contract's tables and "
            f"parents ({CONTRACT_FILE.name}) {in_contract}: add a table (and the tables it points at) to both, in the same order"
        )


@lru_cache(maxsize=4)
def load_contract(path: Path = CONTRACT_FILE) -> dict[str, Table]:
    """Tables of the `ssd` source, in file order, keyed by table name."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for source in doc["sources"]:
        if source["name"] == "ssd":
            tables = {
                t["name"]: Table(
                    name=t["name"],
                    description=(t.get("description") or "").strip(),
                    columns=tuple(_column(c) for c in t.get("columns", [])),
                    required=bool(_meta(t).get("required", False)),
                )
                for t in source["tables"]
            }
            if Path(path) == CONTRACT_FILE:
                check_table_list(tables, project_vars().get("ssd_tables"))
            return tables
    raise ContractError(f"{path}: no source named 'ssd'")


@lru_cache(maxsize=1)
def problems(path: Path = CONTRACT_FILE) -> dict[str, dict]:
    """The severity model: source meta `problems` {PROBLEM: {door, warehouse, required_column}}."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    source = next(s for s in doc["sources"] if s["name"] == "ssd")
    return _meta(source).get("problems") or {}


def door_severity(problem: str) -> str:
    """'fatal' or 'warning': what csc validate does about `problem` (contract meta problems)."""
    severity = (problems().get(problem) or {}).get("door")
    if severity not in ("fatal", "warning"):
        raise ContractError(f"problem {problem} has no door severity (fatal or warning) in {CONTRACT_FILE.name}")
    return severity


def warehouse_severity(problem: str, required: bool = False) -> str:
    """'quarantine', 'unknown' or 'kept': what staging does with a row that has `problem`."""
    spec = problems().get(problem) or {}
    severity = spec.get("required_column", spec.get("warehouse")) if required else spec.get("warehouse")
    if severity not in ("quarantine", "unknown", "kept"):
        raise ContractError(f"problem {problem} has no warehouse severity in {CONTRACT_FILE.name}")
    return severity


def required_tables() -> tuple[str, ...]:
    """Tables without which the extract is refused (table meta `required: true`)."""
    return tuple(name for name, table in load_contract().items() if table.required)


REQUIRED_TABLES = required_tables()
