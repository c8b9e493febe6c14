"""Read the landing folder exactly as the raw contract describes it.

Layout: <landing>/la_code=<NNN>/<table>.csv (or .parquet). One or many councils.

Real extracts arrive in whatever shape the case system and Excel left them in, so the reader
accepts: UTF-8 with or without a byte-order mark, Windows-1252, comma / semicolon / tab / pipe
delimiters, header names in any letter case, columns in any order, unknown extra columns
(dropped and reported), missing optional columns (added as null and reported), short or long
rows (kept, padded, with the parse problem recorded so the row can be quarantined, not lost).

Every value is returned as text: typing is the staging models' job, in SQL, once.
Each row carries la_code, _source_file and _line_number (the physical line in the file:
header = line 1; assumes one line per record, as case-system extracts are written).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .contract import Table, load_contract
from .paths import landing_dir

LA_FOLDER = re.compile(r"^la_code=(\d{3})$")
DELIMITERS = (",", ";", "\t", "|")
META_COLUMNS = ("la_code", "_source_file", "_line_number", "_parse_error")


class LandingError(Exception):
    """A landing-folder problem a person must fix; the message names file, line and column."""


@dataclass
class FileInfo:
    la_code: str
    table: str
    path: str
    format: str
    size_bytes: int
    encoding: str | None = None
    delimiter: str | None = None
    has_bom: bool = False
    columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    missing_required_columns: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    problem: str | None = None

    def as_row(self) -> dict:
        row = asdict(self)
        for k in ("columns", "missing_columns", "missing_required_columns", "extra_columns"):
            row[k] = ",".join(row[k])
        return row


def _normalise_header(name: str) -> str:
    return name.replace("\ufeff", "").strip().strip('"').strip().lower()


def discover(root: Path | None = None) -> dict[str, list[tuple[str, Path]]]:
    """{table: [(la_code, path), ...]} for every file in the landing layout, sorted."""
    root = Path(root or landing_dir())
    found: dict[str, list[tuple[str, Path]]] = {}
    if not root.is_dir():
        return found
    for la_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        m = LA_FOLDER.match(la_dir.name)
        if not m:
            continue
        for f in sorted(la_dir.iterdir()):
            if f.suffix.lower() in (".csv", ".parquet") and f.is_file():
                found.setdefault(f.stem.lower(), []).append((m.group(1), f))
    return found


def _detect_encoding(raw: bytes) -> tuple[str, bool]:
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        raw.decode("utf-8")
        return "utf-8", bom
    except UnicodeDecodeError:
        return "cp1252", False


def _detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def inspect_file(la_code: str, path: Path, table: Table | None) -> FileInfo:
    """Format, encoding, delimiter and header of one file, against the contract."""
    info = FileInfo(la_code=la_code, table=path.stem.lower(), path=str(path),
                    format=path.suffix.lower().lstrip("."), size_bytes=path.stat().st_size)
    if info.format == "parquet":
        try:
            info.columns = [_normalise_header(c) for c in pq.read_schema(path).names]
        except Exception as exc:  # unreadable parquet
            info.problem = f"unreadable parquet file: {exc}"
    else:
        raw = path.read_bytes()
        info.encoding, info.has_bom = _detect_encoding(raw)
        text_start = raw[:65536].decode(info.encoding, errors="replace")
        first_line = text_start.lstrip("\ufeff").splitlines()[0] if text_start.strip() else ""
        if not first_line.strip():
            info.problem = "empty file: no header line"
        else:
            info.delimiter = _detect_delimiter(first_line)
            header = next(csv.reader([first_line], delimiter=info.delimiter))
            info.columns = [_normalise_header(c) for c in header]
    if table is not None and info.problem is None:
        expected = table.column_names
        info.missing_columns = [c for c in expected if c not in info.columns]
        info.missing_required_columns = [c for c in table.required_columns if c not in info.columns]
        info.extra_columns = [c for c in info.columns if c not in expected]
    return info


def _non_blank_lines(data: bytes) -> np.ndarray:
    """Physical line numbers (1-based) of the lines that are not blank."""
    blank = np.array([not line.strip(b"\r") for line in data.split(b"\n")])
    return np.flatnonzero(~blank) + 1


def _read_csv(info: FileInfo) -> tuple[pa.Table, list[tuple[int, str]]]:
    """All columns as text, plus the rows whose field count did not match the header."""
    data = Path(info.path).read_bytes()
    if info.encoding != "utf-8":
        data = data.decode(info.encoding).encode("utf-8")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]

    def parse(threads: bool):
        bad_rows: list[tuple[int, str]] = []

        def on_invalid(row):  # keep, never drop: the row is quarantined with its line number
            bad_rows.append((row.number, row.text))
            return "skip"

        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=info.columns, skip_rows=1,
                                           use_threads=threads, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=info.delimiter,
                                             invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in info.columns},
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
        return table, bad_rows

    table, bad_rows = parse(threads=True)
    if bad_rows:
        # Only the single-threaded parser knows the line numbers of malformed rows.
        table, bad_rows = parse(threads=False)
    candidates = np.arange(2, table.num_rows + len(bad_rows) + 2, dtype=np.int64)
    lines = np.setdiff1d(candidates, np.array([n for n, _ in bad_rows], dtype=np.int64))
    if b"\n\n" in data or b"\n\r\n" in data:
        # pyarrow skips blank lines and numbers rows without them: map back to physical lines
        physical = _non_blank_lines(data)
        lines = physical[lines - 1]
        bad_rows = [(int(physical[n - 1]), text) for n, text in bad_rows]
    table = table.append_column("_line_number", pa.array(lines[: table.num_rows]))
    table = table.append_column("_parse_error", pa.nulls(table.num_rows, pa.string()))
    return table, bad_rows


def _bad_rows_table(info: FileInfo, bad_rows: list[tuple[int, str]]) -> pa.Table:
    cols: dict[str, list] = {c: [] for c in info.columns}
    lines, errors = [], []
    for number, text in bad_rows:
        fields = next(csv.reader([text or ""], delimiter=info.delimiter), [])
        for i, c in enumerate(info.columns):
            cols[c].append(fields[i] if i < len(fields) else None)
        lines.append(number)
        errors.append(f"expected {len(info.columns)} fields, found {len(fields)}")
    arrays = {c: pa.array(v, pa.string()) for c, v in cols.items()}
    arrays["_line_number"] = pa.array(lines, pa.int64())
    arrays["_parse_error"] = pa.array(errors, pa.string())
    return pa.table(arrays)


def read_file(info: FileInfo) -> pa.Table:
    """One landing file as text columns with its own header names (plus line and parse error)."""
    if info.problem:
        raise LandingError(f"{info.path}: {info.problem}")
    if info.format == "parquet":
        t = pq.read_table(info.path)
        t = t.rename_columns([_normalise_header(c) for c in t.column_names])
        t = pa.table({c: t[c].cast(pa.string()) for c in t.column_names})
        t = t.append_column("_line_number", pa.array(range(1, t.num_rows + 1), pa.int64()))
        return t.append_column("_parse_error", pa.nulls(t.num_rows, pa.string()))
    good, bad_rows = _read_csv(info)
    if bad_rows:
        good = pa.concat_tables([good, _bad_rows_table(info, bad_rows)], promote_options="default")
    return good


def conform(table: Table, info: FileInfo, data: pa.Table) -> pa.Table:
    """Contract column order; missing columns as nulls; unknown columns and names dropped."""
    n = data.num_rows
    arrays = {"la_code": pa.array([info.la_code] * n, pa.string())}
    for c in table.loaded_columns:
        arrays[c] = data[c] if c in data.column_names else pa.nulls(n, pa.string())
    arrays["_source_file"] = pa.array([Path(info.path).name] * n, pa.string())
    arrays["_line_number"] = data["_line_number"]
    arrays["_parse_error"] = data["_parse_error"]
    return pa.table(arrays)


def empty_table(table: Table) -> pa.Table:
    names = ["la_code", *table.loaded_columns, "_source_file", "_line_number", "_parse_error"]
    types = [pa.int64() if n == "_line_number" else pa.string() for n in names]
    return pa.table({n: pa.array([], t) for n, t in zip(names, types)})


def read_table(name: str, root: Path | None = None) -> pa.Table:
    """Every council's file for one contract table, conformed and stacked."""
    contract = load_contract()
    if name not in contract:
        raise LandingError(f"'{name}' is not a table of the raw contract")
    table = contract[name]
    parts = []
    for la_code, path in discover(root).get(name, []):
        info = inspect_file(la_code, path, table)
        if info.problem:
            continue  # reported by the inventory and by csc validate; nothing to read
        parts.append(conform(table, info, read_file(info)))
    if not parts:
        return empty_table(table)
    return pa.concat_tables(parts)


def inventory(root: Path | None = None) -> list[FileInfo]:
    """One FileInfo per landing file, plus a row per (council, contract table) with no file."""
    contract = load_contract()
    found = discover(root)
    rows: list[FileInfo] = []
    councils = sorted({la for files in found.values() for la, _ in files})
    for name, files in sorted(found.items()):
        for la_code, path in files:
            rows.append(inspect_file(la_code, path, contract.get(name)))
    for la in councils:
        for name in contract:
            if not any(la == f_la for f_la, _ in found.get(name, [])):
                rows.append(FileInfo(la_code=la, table=name, path="", format="missing",
                                     size_bytes=0, problem="table not supplied",
                                     missing_columns=contract[name].column_names,
                                     missing_required_columns=contract[name].required_columns))
    return rows


def inventory_table(root: Path | None = None) -> pa.Table:
    rows = [r.as_row() for r in inventory(root)]
    schema = pa.schema([
        ("la_code", pa.string()), ("table", pa.string()), ("path", pa.string()),
        ("format", pa.string()), ("size_bytes", pa.int64()), ("encoding", pa.string()),
        ("delimiter", pa.string()), ("has_bom", pa.bool_()), ("columns", pa.string()),
        ("missing_columns", pa.string()), ("missing_required_columns", pa.string()),
        ("extra_columns", pa.string()), ("problem", pa.string()),
    ])
    return pa.Table.from_pylist(rows, schema=schema).rename_columns(
        ["la_code", "table_name", *schema.names[2:]])
