"""Writing TMDL (Tabular Model Definition Language) text: names, descriptions, properties and
multi-line expressions, indented with tabs as Power BI Desktop writes them.

A TMDL object is a declaration line (`table kpi_values`, `measure 'Contacts' =`), then its
properties one level deeper, then child objects (separated by blank lines). Descriptions are
`///` lines directly above the declaration. Multi-line expressions sit one level deeper than
the properties of the object that owns them.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NAMESPACE = uuid.UUID("6f1c3c1e-6c7e-4a43-9a8e-2f6d1d5c0c14")


def name(text: str) -> str:
    """A TMDL object name: bare when it is a plain identifier, else in single quotes (' doubled)."""
    if _PLAIN_NAME.match(text):
        return text
    return "'" + text.replace("'", "''") + "'"


def dax_table(text: str) -> str:
    """A table reference in DAX: 'quoted' always (safe for any name)."""
    return "'" + text.replace("'", "''") + "'"


def dax_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def m_string(text: str) -> str:
    """A Power Query (M) text literal."""
    return '"' + text.replace('"', '""') + '"'


def lineage_tag(*parts: str) -> str:
    """A stable lineage tag: the same object gets the same tag in every publish, so Power BI
    Desktop keeps report bindings when the model is regenerated."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def description_lines(text: str | None, depth: int) -> list[str]:
    if not text:
        return []
    tabs = "\t" * depth
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    # Collapse blank lines: a `///` block may not hold an empty line without the marker.
    return [f"{tabs}/// {line}".rstrip() for line in lines if line] or []


def single_line(text: str) -> str:
    """A property value on one line (TMDL text properties end at the line end)."""
    return " ".join(str(text).split())


@dataclass
class Obj:
    """One TMDL object: declaration, description, properties, expression, children."""

    keyword: str  # table, column, measure, partition, relationship, role, ...
    obj_name: str | None = None  # None for objects without a name (database)
    description: str | None = None
    expression: str | None = None  # after `=`: one line, or several (written indented)
    properties: list[tuple[str, str | None]] = field(default_factory=list)  # (key, value|None flag)
    children: list[Obj] = field(default_factory=list)
    annotations: list[tuple[str, str]] = field(default_factory=list)
    expression_depth: int = 1  # extra levels for a multi-line expression (partitions: 2)

    def prop(self, key: str, value: str | None = None) -> Obj:
        self.properties.append((key, value))
        return self

    def render(self, depth: int = 0) -> list[str]:
        tabs = "\t" * depth
        out = description_lines(self.description, depth)
        head = tabs + self.keyword + (f" {name(self.obj_name)}" if self.obj_name is not None else "")
        expr_lines: list[str] = []
        if self.expression is not None:
            lines = self.expression.strip("\n").splitlines()
            if len(lines) == 1:
                head += f" = {lines[0].strip()}"
            else:
                head += " ="
                pad = "\t" * (depth + 1 + self.expression_depth)
                expr_lines = [pad + line if line.strip() else "" for line in _dedent(lines)]
        out.append(head)
        out.extend(expr_lines)
        for key, value in self.properties:
            if key == "source" and value is not None and "\n" in value:
                out.append(f"{tabs}\t{key} =")
                pad = "\t" * (depth + 2 + self.expression_depth - 1)
                out.extend(pad + line if line.strip() else "" for line in _dedent(value.splitlines()))
            elif value is None:
                out.append(f"{tabs}\t{key}")
            else:
                out.append(f"{tabs}\t{key}: {single_line(value)}")
        for child in self.children:
            out.append("")
            out.extend(child.render(depth + 1))
        for key, value in self.annotations:
            out.append("")
            out.append(f"{tabs}\tannotation {key} = {value}")
        return out


def _dedent(lines: list[str]) -> list[str]:
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    return [line[cut:] for line in lines]


def render_file(objects: list[Obj]) -> str:
    out: list[str] = []
    for obj in objects:
        if out:
            out.append("")
        out.extend(obj.render(0))
    return "\n".join(out) + "\n"
