"""A strict structural check of a generated PBIP folder, reading the files back from scratch
(it shares no code with the writer but the spec's names).

TMDL is parsed by indentation (tabs only) into objects with properties, expressions and
children; then the model is checked as Power BI Desktop would refuse to open or refresh it:

- files: csc.pbip names the report folder; definition.pbir points at the semantic model by a
  relative path that exists; definition.pbism, database.tmdl, model.tmdl, tables/ exist;
- syntax: tab indentation, each child one level below its parent, only the properties Power BI
  knows for each object, a multi-line expression deeper than its owner's properties, quoted
  names closed, DAX brackets, parentheses and strings balanced;
- references: model.tmdl refs every table file and role and nothing else; relationships,
  sort-by columns and role filters name columns that exist; measures reference only existing
  'table'[column] and [measure] names; partitions read parquet\\<table>.parquet through the
  folder parameter defined in expressions.tmdl; lineage tags unique;
- the star: at most one active relationship between two tables, no two directed paths of active
  relationships between any pair of tables (Power BI's ambiguity), the one side of every
  relationship marked isKey or a label/derived key, one active date relationship per table
  related to dim_date, dim_date marked as the date table (dataCategory Time, key date_day).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import spec


class CheckError(Exception):
    """The PBIP folder breaks a structural rule (all problems found are listed)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the Power BI project:\n" + "\n".join(f"  {p}" for p in problems[:50])
        )


KNOWN_PROPERTIES = {
    "database": {"compatibilityLevel"},
    "model": {"culture", "defaultPowerBIDataSourceVersion", "discourageImplicitMeasures", "sourceQueryCulture"},
    "table": {"lineageTag", "dataCategory", "isHidden"},
    "column": {
        "dataType",
        "isKey",
        "isHidden",
        "formatString",
        "displayFolder",
        "lineageTag",
        "summarizeBy",
        "sourceColumn",
        "sortByColumn",
        "dataCategory",
    },
    "measure": {"formatString", "displayFolder", "lineageTag", "isHidden"},
    "partition": {"mode", "source"},
    "relationship": {
        "isActive",
        "fromColumn",
        "toColumn",
        "crossFilteringBehavior",
        "toCardinality",
        "fromCardinality",
    },
    "role": {"modelPermission"},
    "tablePermission": set(),
    "expression": {"lineageTag", "queryGroup"},
}
CHILDREN = {"table": {"column", "measure", "partition"}, "role": {"tablePermission"}}
DATA_TYPES = {"string", "int64", "double", "decimal", "boolean", "dateTime"}
SUMMARIZE = {"none", "sum", "count", "min", "max", "average", "distinctCount"}
_NAME = r"(?:'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_]*)"
_DECL = re.compile(rf"^(?P<kw>[A-Za-z]+)(?: (?P<name>{_NAME}))?(?: = ?(?P<expr>.*))?$")
_PROP = re.compile(r"^(?P<key>[A-Za-z]+)(?:: (?P<value>.*))?$")


@dataclass
class Node:
    keyword: str
    name: str | None
    line: int
    file: str
    expression: str | None = None
    description: str = ""
    props: dict[str, str | None] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    annotations: dict[str, str] = field(default_factory=dict)


def unquote(text: str) -> str:
    return text[1:-1].replace("''", "'") if text.startswith("'") else text


def parse_tmdl(text: str, file: str = "<tmdl>") -> tuple[list[Node], list[str]]:
    """Objects of one TMDL file, and the syntax problems found."""
    problems: list[str] = []
    roots: list[Node] = []
    stack: list[tuple[int, Node]] = []  # (depth, node)
    lines = text.split("\n")
    description: list[str] = []
    i = 0
    while i < len(lines):
        raw = lines[i]
        i += 1
        if not raw.strip():
            continue
        depth = len(raw) - len(raw.lstrip("\t"))
        body = raw[depth:]
        where = f"{file}:{i}"
        if body.startswith(" "):
            problems.append(f"{where}: indented with spaces (TMDL indents with tabs)")
            continue
        if body.startswith("///"):
            description.append(body[3:].strip())
            continue
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1] if stack else None
        if parent is not None and depth != stack[-1][0] + 1:
            problems.append(f"{where}: indented {depth} levels under a parent at {stack[-1][0]}")
        if body.startswith("annotation "):
            key, _, value = body[len("annotation ") :].partition(" = ")
            (parent.annotations if parent else {})[key] = value
            continue
        if body.startswith("ref "):
            m = re.match(rf"^ref (\w+) ({_NAME})$", body)
            if not m:
                problems.append(f"{where}: bad ref line {body!r}")
            else:
                roots.append(Node("ref " + m.group(1), unquote(m.group(2)), i, file))
            continue
        # A property of the current object, or a new object?
        prop = _PROP.match(body)
        owner_kw = parent.keyword if parent else None
        if (
            parent is not None
            and prop
            and (
                prop.group("key") in KNOWN_PROPERTIES.get(owner_kw, set())
                or prop.group("key") not in _object_keywords()
            )
        ):
            key, value = prop.group("key"), prop.group("value")
            if key not in KNOWN_PROPERTIES.get(owner_kw, set()):
                problems.append(f"{where}: {owner_kw} has no property {key!r}")
            parent.props[key] = value
            continue
        if parent is not None and body.startswith("source ="):
            i, expr = _read_expression(lines, i, depth, body[len("source =") :], where, problems)
            parent.props["source"] = expr
            continue
        decl = _DECL.match(body)
        if not decl:
            problems.append(f"{where}: cannot read {body!r}")
            continue
        node = Node(
            decl.group("kw"),
            unquote(decl.group("name")) if decl.group("name") else None,
            i,
            file,
            description=" ".join(description),
        )
        description = []
        if decl.group("expr") is not None:
            i, node.expression = _read_expression(lines, i, depth, decl.group("expr"), where, problems)
        if parent is None:
            roots.append(node)
        else:
            allowed = CHILDREN.get(parent.keyword, set())
            if node.keyword not in allowed:
                problems.append(f"{where}: a {node.keyword} cannot be inside a {parent.keyword}")
            parent.children.append(node)
        stack.append((depth, node))
    return roots, problems


def _object_keywords() -> set[str]:
    return set(KNOWN_PROPERTIES) | {"annotation", "ref"}


def _read_expression(
    lines: list[str], i: int, depth: int, first: str, where: str, problems: list[str]
) -> tuple[int, str]:
    """A one-line expression, or the lines after a trailing `=` that are at least two levels
    deeper than the owner (one deeper than its properties)."""
    if first.strip():
        return i, first.strip()
    body: list[str] = []
    while i < len(lines):
        raw = lines[i]
        if raw.strip():
            d = len(raw) - len(raw.lstrip("\t"))
            if d < depth + 2:
                break
            body.append(raw[depth + 2 :])
        else:
            body.append("")
        i += 1
    while body and not body[-1].strip():
        body.pop()
    if not body:
        problems.append(f"{where}: an expression is empty or not indented below its owner's properties")
    return i, "\n".join(line.lstrip("\t") if line.startswith("\t") else line for line in body)


def balanced(dax: str) -> str | None:
    """None when brackets, parentheses, quoted names and strings close; else what is wrong."""
    stack = []
    i = 0
    pairs = {")": "(", "]": "["}
    while i < len(dax):
        ch = dax[i]
        if ch == '"':
            j = i + 1
            while j < len(dax):
                if dax[j] == '"' and (j + 1 >= len(dax) or dax[j + 1] != '"'):
                    break
                j += 2 if dax[j] == '"' else 1
            if j >= len(dax):
                return "a string is not closed"
            i = j + 1
            continue
        if ch == "'":
            j = dax.find("'", i + 1)
            while j != -1 and dax[j + 1 : j + 2] == "'":
                j = dax.find("'", j + 2)
            if j == -1:
                return "a quoted table name is not closed"
            i = j + 1
            continue
        if ch == "-" and dax[i : i + 2] == "--":
            nl = dax.find("\n", i)
            i = len(dax) if nl == -1 else nl
            continue
        if ch in "([":
            stack.append(ch)
        elif ch in ")]" and (not stack or stack.pop() != pairs[ch]):
            return f"unbalanced {ch!r}"
        i += 1
    return f"{len(stack)} bracket(s) not closed" if stack else None


@dataclass
class Project:
    tables: dict[str, Node]
    relationships: list[Node]
    roles: dict[str, Node]
    expressions: dict[str, Node]
    model: Node | None


def load_project(folder: Path) -> tuple[Project, list[str]]:
    problems: list[str] = []
    folder = Path(folder)
    pbips = sorted(folder.glob("*.pbip"))
    if len(pbips) != 1:
        problems.append(f"{folder}: expected one .pbip file, found {len(pbips)}")
        return Project({}, [], {}, {}, None), problems
    pbip = json.loads(pbips[0].read_text(encoding="utf-8"))
    reports = [a["report"]["path"] for a in pbip.get("artifacts", []) if "report" in a]
    if pbip.get("version") != "1.0" or len(reports) != 1:
        problems.append(f"{pbips[0].name}: version 1.0 and one report artifact expected")
        return Project({}, [], {}, {}, None), problems
    report = folder / reports[0]
    pbir_file = report / "definition.pbir"
    if not pbir_file.is_file():
        problems.append(f"{reports[0]}: no definition.pbir")
        return Project({}, [], {}, {}, None), problems
    pbir = json.loads(pbir_file.read_text(encoding="utf-8"))
    by_path = ((pbir.get("datasetReference") or {}).get("byPath") or {}).get("path", "")
    if "\\" in by_path or by_path.startswith("/"):
        problems.append("definition.pbir: byPath must be relative with forward slashes")
    sm = (report / by_path).resolve()
    if not (report / "report.json").is_file() and not (report / "definition" / "report.json").is_file():
        problems.append(f"{reports[0]}: no report.json")
    if not (sm / "definition.pbism").is_file():
        problems.append(f"definition.pbir: {by_path} is not a semantic model folder (no definition.pbism)")
        return Project({}, [], {}, {}, None), problems
    definition = sm / "definition"
    for required in ("database.tmdl", "model.tmdl", "tables"):
        if not (definition / required).exists():
            problems.append(f"{definition.name}/{required} missing")

    def parse(path: Path) -> list[Node]:
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            problems.append(f"{path.name}: has a byte-order mark")
        if b"\r" in raw:
            problems.append(f"{path.name}: CR line ends")
        nodes, found = parse_tmdl(raw.decode("utf-8"), path.name)
        problems.extend(found)
        return nodes

    tables: dict[str, Node] = {}
    for path in sorted((definition / "tables").glob("*.tmdl")):
        nodes = parse(path)
        if len(nodes) != 1 or nodes[0].keyword != "table":
            problems.append(f"{path.name}: expected exactly one table")
            continue
        if nodes[0].name != path.stem:
            problems.append(f"{path.name}: holds table {nodes[0].name!r}")
        tables[nodes[0].name] = nodes[0]
    roles: dict[str, Node] = {}
    for path in sorted((definition / "roles").glob("*.tmdl")) if (definition / "roles").is_dir() else []:
        for n in parse(path):
            if n.keyword == "role":
                roles[n.name] = n
    relationships = (
        list(parse(definition / "relationships.tmdl")) if (definition / "relationships.tmdl").is_file() else []
    )
    expressions = (
        {n.name: n for n in parse(definition / "expressions.tmdl")}
        if (definition / "expressions.tmdl").is_file()
        else {}
    )
    model_nodes = parse(definition / "model.tmdl") if (definition / "model.tmdl").is_file() else []
    model = next((n for n in model_nodes if n.keyword == "model"), None)
    refs_t = {n.name for n in model_nodes if n.keyword == "ref table"}
    refs_r = {n.name for n in model_nodes if n.keyword == "ref role"}
    if refs_t != set(tables):
        problems.append(
            f"model.tmdl: table refs differ from tables/ (missing {sorted(set(tables) - refs_t)}, "
            f"extra {sorted(refs_t - set(tables))})"
        )
    if refs_r != set(roles):
        problems.append("model.tmdl: role refs differ from roles/")
    database = parse(definition / "database.tmdl") if (definition / "database.tmdl").is_file() else []
    if database and not (database[0].props.get("compatibilityLevel") or "").isdigit():
        problems.append("database.tmdl: no compatibilityLevel")
    return Project(tables, relationships, roles, expressions, model), problems


def check_pbip(folder: Path, expect_tables: list[str] | None = None, expect_kpis: list[str] | None = None) -> Project:
    """Raise CheckError listing every problem; returns the parsed project when it passes."""
    project, problems = load_project(Path(folder))
    problems += check_project(project, expect_tables, expect_kpis)
    if problems:
        raise CheckError(problems)
    return project


def _columns(table: Node) -> dict[str, Node]:
    return {c.name: c for c in table.children if c.keyword == "column"}


def _measures(project: Project) -> dict[str, tuple[str, Node]]:
    return {m.name: (t.name, m) for t in project.tables.values() for m in t.children if m.keyword == "measure"}


_COLUMN_REF = re.compile(r"('(?:[^']|'')*'|\b[A-Za-z_][A-Za-z0-9_]*)\[([^\]]+)\]")
_MEASURE_REF = re.compile(r"(?<![\w'\]])\[([^\]]+)\]")


def check_project(project: Project, expect_tables=None, expect_kpis=None) -> list[str]:
    problems: list[str] = []
    tags: dict[str, str] = {}
    measures = _measures(project)
    if spec.FOLDER_PARAMETER not in project.expressions:
        problems.append(f"expressions.tmdl: no {spec.FOLDER_PARAMETER} parameter")
    elif "IsParameterQuery=true" not in (project.expressions[spec.FOLDER_PARAMETER].expression or ""):
        problems.append(f"{spec.FOLDER_PARAMETER} is not a parameter query")
    for tname, table in project.tables.items():
        cols = _columns(table)
        parts = [c for c in table.children if c.keyword == "partition"]
        if len(parts) != 1:
            problems.append(f"{tname}: {len(parts)} partitions (one expected)")
        else:
            p = parts[0]
            src = p.props.get("source") or ""
            if p.expression != "m" or p.props.get("mode") != "import":
                problems.append(f"{tname}: partition is not an import of Power Query")
            if f'{spec.FOLDER_PARAMETER} & "parquet\\{tname}.parquet"' not in src:
                problems.append(
                    f"{tname}: partition does not read parquet\\{tname}.parquet through {spec.FOLDER_PARAMETER}"
                )
            if not re.search(r"^let\b", src) or not re.search(r"^in\b", src, re.MULTILINE):
                problems.append(f"{tname}: partition source is not a let ... in expression")
        for obj in [table, *table.children]:
            tag = obj.props.get("lineageTag")
            if obj.keyword in ("table", "column", "measure"):
                if not tag:
                    problems.append(f"{tname}.{obj.name}: no lineageTag")
                elif tag in tags:
                    problems.append(f"{tname}.{obj.name}: lineageTag also used by {tags[tag]}")
                else:
                    tags[tag] = f"{tname}.{obj.name}"
        for cname, c in cols.items():
            if c.props.get("dataType") not in DATA_TYPES:
                problems.append(f"{tname}.{cname}: dataType {c.props.get('dataType')!r}")
            if c.expression is None and not c.props.get("sourceColumn"):
                problems.append(f"{tname}.{cname}: neither sourceColumn nor an expression")
            if c.props.get("summarizeBy") not in SUMMARIZE:
                problems.append(f"{tname}.{cname}: summarizeBy {c.props.get('summarizeBy')!r}")
            sort = c.props.get("sortByColumn")
            if sort and sort not in cols:
                problems.append(f"{tname}.{cname}: sortByColumn {sort} does not exist")
            if c.expression:
                problems += _dax_problems(f"{tname}.{cname}", c.expression, project, measures)
        for m in (c for c in table.children if c.keyword == "measure"):
            problems += _dax_problems(f"{tname}[{m.name}]", m.expression or "", project, measures)
    # dim_date
    dd = project.tables.get("dim_date")
    if dd is not None:
        if dd.props.get("dataCategory") != "Time":
            problems.append("dim_date: not marked as the date table (dataCategory: Time)")
        key = _columns(dd).get("date_day")
        if key is None or "isKey" not in key.props or key.props.get("dataType") != "dateTime":
            problems.append("dim_date.date_day: not the date table's key (isKey, dateTime)")
    problems += _relationship_problems(project)
    for rname, role in project.roles.items():
        if role.props.get("modelPermission") != "read":
            problems.append(f"role {rname}: modelPermission is not read")
        for tp in role.children:
            if tp.name not in project.tables:
                problems.append(f"role {rname}: table {tp.name} does not exist")
                continue
            for col in re.findall(r"\[([^\]]+)\]", tp.expression or ""):
                if col not in _columns(project.tables[tp.name]):
                    problems.append(f"role {rname}: {tp.name}[{col}] does not exist")
    if expect_tables is not None and set(expect_tables) != set(project.tables):
        problems.append(
            f"tables differ from the publication: missing {sorted(set(expect_tables) - set(project.tables))}"
        )
    if expect_kpis is not None:
        kv = project.tables.get("kpi_values")
        found = set()
        for m in kv.children if kv else []:
            found |= set(re.findall(r"'kpi_values'\[kpi_code\] = \"([^\"]+)\"", m.expression or ""))
        missing = sorted(set(expect_kpis) - found)
        if missing:
            problems.append(f"KPIs without a measure: {missing}")
    return problems


def _dax_problems(where: str, dax: str, project: Project, measures: dict) -> list[str]:
    out = []
    wrong = balanced(dax)
    if wrong:
        out.append(f"{where}: DAX {wrong}")
    code = re.sub(r'"(?:[^"]|"")*"', '""', re.sub(r"--[^\n]*", "", dax))
    for t, c in _COLUMN_REF.findall(code):
        t = unquote(t)
        if t not in project.tables:
            out.append(f"{where}: table {t} does not exist")
        elif c not in _columns(project.tables[t]):
            out.append(f"{where}: column {t}[{c}] does not exist")
    stripped = _COLUMN_REF.sub("", code)
    for m in _MEASURE_REF.findall(stripped):
        if m not in measures and not any(m in _columns(t) for t in project.tables.values()):
            out.append(f"{where}: [{m}] is neither a measure nor a column")
    return out


def _split(ref: str) -> tuple[str, str]:
    m = re.match(rf"^({_NAME})\.({_NAME})$", ref or "")
    if not m:
        return "", ""
    return unquote(m.group(1)), unquote(m.group(2))


def _relationship_problems(project: Project) -> list[str]:
    problems = []
    edges: list[tuple[str, str]] = []  # active: one side -> many side (filter direction)
    seen = set()
    active_dates: dict[str, int] = {}
    related_to_date: set[str] = set()
    for r in project.relationships:
        if r.keyword != "relationship":
            problems.append(f"relationships.tmdl: unexpected {r.keyword}")
            continue
        ft, fc = _split(r.props.get("fromColumn"))
        tt, tc = _split(r.props.get("toColumn"))
        label = f"relationship {ft}.{fc} -> {tt}.{tc}"
        for t, c in ((ft, fc), (tt, tc)):
            if t not in project.tables or c not in _columns(project.tables[t]):
                problems.append(f"{label}: {t}.{c} does not exist")
        if (ft, fc, tt, tc) in seen:
            problems.append(f"{label}: duplicated")
        seen.add((ft, fc, tt, tc))
        if tt in project.tables and tc in _columns(project.tables[tt]):
            one = _columns(project.tables[tt])[tc]
            if "isKey" not in one.props and not (tt.endswith("_label") and tc == "code") and not tc.endswith("_ref"):
                problems.append(f"{label}: the one side {tt}.{tc} is not a key")
        active = r.props.get("isActive", "true") != "false"
        if tt == "dim_date":
            related_to_date.add(ft)
            if active:
                active_dates[ft] = active_dates.get(ft, 0) + 1
        if active:
            if (tt, ft) in edges:
                problems.append(f"{label}: a second active relationship between {tt} and {ft}")
            edges.append((tt, ft))
    for t in sorted(related_to_date):
        if active_dates.get(t, 0) != 1:
            problems.append(f"{t}: {active_dates.get(t, 0)} active date relationships (one expected)")
    # Ambiguity: count directed paths between every pair (the graph of filter directions).
    graph: dict[str, list[str]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
    for start in list(graph):
        counts: dict[str, int] = {}

        def walk(node: str, trail: tuple[str, ...], counts: dict[str, int] = counts) -> None:
            for nxt in graph.get(node, []):
                if nxt in trail:
                    problems.append(f"a cycle of active relationships through {nxt}")
                    return
                counts[nxt] = counts.get(nxt, 0) + 1
                walk(nxt, (*trail, nxt))

        walk(start, (start,))
        for target, n in counts.items():
            if n > 1:
                problems.append(f"ambiguous: {n} paths of active relationships from {start} to {target}")
    return problems
