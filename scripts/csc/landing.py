"""Read the landing folder exactly as the raw contract describes it.

Layout: <landing>/la_code=<NNN>/<table>.csv (or .parquet). One or many councils.

Real extracts arrive in whatever shape the case system and Excel left them in, so the reader
accepts: UTF-8 with or without a byte-order mark, Windows-1252, comma / semicolon / tab / pipe
delimiters, header names in any letter case, columns in any order, unknown extra columns
(dropped and reported), missing optional columns (added as null and reported), short or long
rows (kept, padded, with the parse problem recorded so the row can be quarantined, not lost).

Every value is returned as text: typing is the staging models' job, in SQL, once.
Each row carries la_code, _source_file and _line_number: the physical line of the file where
the record starts (header = line 1), counting the lines inside quoted values; a quote that
never closes sets aside its own record as malformed instead of swallowing the rest of the file.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .contract import Table, load_contract
from .paths import DEMO_MARKER, SEEDS_DIR, landing_dir

LA_FOLDER = re.compile(r"la_code=([0-9]{3})")  # fullmatch: no trailing newline, ASCII digits
DELIMITERS = (",", ";", "\t", "|")
META_COLUMNS = ("la_code", "_source_file", "_line_number", "_parse_error")
READ_THREADS = min(4, os.cpu_count() or 1)  # files of one table read at once by read_table


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


# --------------------------------------------------------------------------------------------
# The layout: the one place that decides which entries of a landing folder are read
# --------------------------------------------------------------------------------------------

FATAL, WARNING = "fatal", "warning"
TABLE_SUFFIXES = (".csv", ".parquet")
# Entries the layout allows besides the council folders and their table files.
DEMO_MARKER_NAME = DEMO_MARKER  # csc generate's marker, at the top
IMPORT_STATE_DIR = ".cin_census"  # csc import-cin-census's state, inside a council folder


@dataclass(frozen=True)
class LandingProblem:
    """An entry of the landing folder that is not read: fatal ones stop validate and build."""

    severity: str  # FATAL or WARNING
    path: str  # relative to the landing folder
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Layout:
    """What `scan` found: the table files to read and every entry it refused or ignored."""

    root: Path
    files: list[tuple[str, str, Path]] = field(default_factory=list)  # (la_code, table, path)
    problems: list[LandingProblem] = field(default_factory=list)
    councils: list[str] = field(default_factory=list)  # la_code folders read
    refused: set[tuple[str, str]] = field(default_factory=set)  # (la_code, table) not read

    @property
    def fatal(self) -> list[LandingProblem]:
        return [p for p in self.problems if p.severity == FATAL]


def known_la_codes() -> frozenset[str]:
    """DfE LA codes, from the reference seed that owns the list (seeds/reference/ref_la.csv)."""
    return _known_la_codes(SEEDS_DIR / "reference" / "ref_la.csv")


@lru_cache(maxsize=4)
def _known_la_codes(path: Path) -> frozenset[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return frozenset(row["la_code"].strip() for row in csv.DictReader(f))


def _shown(name: str) -> str:
    """A file name as it can be printed: control characters and odd spaces made visible."""
    return repr(name) if not name.isprintable() or name != name.strip() else name


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve(strict=True).relative_to(root.resolve())
        return True
    except (OSError, ValueError, RuntimeError):  # outside, dangling or a symlink loop
        return False


def scan(root: Path | None = None) -> Layout:
    """Every entry of the landing folder, judged against the layout (the raw contract):

    * the top level holds `la_code=NNN` folders, NNN a DfE LA code in ref_la.csv. A folder
      named like one but not exactly one (la_code=abc, la_code=8788, la_code=87, 'la_code=878 ',
      LA_CODE=879) or with an unknown code is fatal; anything else is a warning, ignored;
    * a council folder holds `<table>.csv` or `<table>.parquet` files. Two files for one table
      (ssd_contacts.csv and SSD_CONTACTS.csv, or .csv and .parquet) are fatal and neither is
      read; a directory where a table file is expected is fatal; other entries are warnings;
    * a symlink (folder or file) that resolves outside the landing folder is refused (fatal)
      and never opened, so nothing of what it points to is read or printed.
    """
    root = Path(root or landing_dir())
    layout = Layout(root=root)
    if not root.is_dir():
        layout.problems.append(LandingProblem(FATAL, str(root), "the landing folder does not exist"))
        return layout
    known = known_la_codes()
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        name = _shown(entry.name)
        m = LA_FOLDER.fullmatch(entry.name)
        if entry.is_symlink() and not _inside(entry, root):
            layout.problems.append(
                LandingProblem(FATAL, name, "a symlink to outside the landing folder: refused, not read")
            )
        elif m and entry.is_dir():
            if m.group(1) not in known:
                layout.problems.append(
                    LandingProblem(FATAL, name, f"{m.group(1)} is not a DfE LA code (seeds/reference/ref_la.csv)")
                )
            else:
                layout.councils.append(m.group(1))
                _scan_council(root, entry, m.group(1), layout)
        elif entry.name.lower().lstrip().startswith("la_code"):
            layout.problems.append(
                LandingProblem(
                    FATAL,
                    name,
                    "not a council folder: the layout is la_code=NNN (three digits, "
                    "lower case, nothing else), so its files would not be read",
                )
            )
        elif entry.name == DEMO_MARKER_NAME and entry.is_file():
            continue
        else:
            layout.problems.append(
                LandingProblem(WARNING, name, "not part of the landing layout (la_code=NNN folders): ignored")
            )
    return layout


def _scan_council(root: Path, folder: Path, la_code: str, layout: Layout) -> None:
    by_table: dict[str, list[Path]] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        rel = f"{folder.name}/{_shown(entry.name)}"
        if entry.is_symlink() and not _inside(entry, root):
            layout.problems.append(
                LandingProblem(FATAL, rel, "a symlink to outside the landing folder: refused, not read")
            )
            continue
        if entry.name == IMPORT_STATE_DIR and entry.is_dir():
            continue
        if entry.suffix.lower() in TABLE_SUFFIXES:
            by_table.setdefault(entry.stem.lower(), []).append(entry)
            continue
        layout.problems.append(
            LandingProblem(WARNING, rel, "not a table file (<table>.csv or <table>.parquet): ignored")
        )
    for table, entries in sorted(by_table.items()):
        if len(entries) > 1 or not entries[0].is_file():
            layout.refused.add((la_code, table))
        if len(entries) > 1:
            names = " and ".join(_shown(e.name) for e in entries)
            layout.problems.append(
                LandingProblem(
                    FATAL,
                    f"{folder.name}/{_shown(entries[0].name)}",
                    f"{names} are two files for table {table}: keep one (neither is read)",
                )
            )
            continue
        entry = entries[0]
        if not entry.is_file():
            layout.problems.append(
                LandingProblem(
                    FATAL,
                    f"{folder.name}/{_shown(entry.name)}",
                    f"a {'directory' if entry.is_dir() else 'non-file'} where the file of table "
                    f"{table} is expected: not read",
                )
            )
            continue
        layout.files.append((la_code, table, entry))


def check_layout(root: Path | None = None) -> Layout:
    """The layout, or LandingError (one line) if any entry is fatal."""
    layout = scan(root)
    if layout.fatal:
        first = layout.fatal[0]
        more = f" (and {len(layout.fatal) - 1} more fatal landing problem(s))" if len(layout.fatal) > 1 else ""
        where = first.message if first.path == str(layout.root) else str(first)
        raise LandingError(f"landing folder {layout.root}: {where}{more}; run csc validate for the list")
    return layout


def discover(root: Path | None = None) -> dict[str, list[tuple[str, Path]]]:
    """{table: [(la_code, path), ...]} for every table file the layout accepts, sorted."""
    found: dict[str, list[tuple[str, Path]]] = {}
    for la_code, table, path in scan(root).files:
        found.setdefault(table, []).append((la_code, path))
    return found


def _detect_encoding(raw: bytes) -> tuple[str, bool]:
    if raw.isascii():  # most files: checked without decoding them into a string
        return "utf-8", False
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        raw.decode("utf-8")
        return "utf-8", bom
    except UnicodeDecodeError:
        return "cp1252", False


# What str.splitlines()[0] returns, without splitting the rest of the text into lines.
_FIRST_LINE = re.compile("[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]*")


def _detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def inspect_file(la_code: str, path: Path, table: Table | None) -> FileInfo:
    """Format, encoding, delimiter and header of one file, against the contract."""
    return _inspect(la_code, path, table)[0]


def _inspect(la_code: str, path: Path, table: Table | None) -> tuple[FileInfo, bytes | None]:
    """inspect_file, plus the bytes of a CSV file it read whole (to detect the encoding), so
    read_table parses them without reading the file a second time."""
    raw = None
    info = FileInfo(
        la_code=la_code,
        table=path.stem.lower(),
        path=str(path),
        format=path.suffix.lower().lstrip("."),
        size_bytes=path.stat().st_size,
    )
    if info.format == "parquet":
        try:
            info.columns = [_normalise_header(c) for c in pq.read_schema(path).names]
        except Exception as exc:  # unreadable parquet
            info.problem = f"unreadable parquet file: {exc}"
    else:
        raw = path.read_bytes()
        info.encoding, info.has_bom = _detect_encoding(raw)
        text_start = raw[:65536].decode(info.encoding, errors="replace")
        first_line = _FIRST_LINE.match(text_start.lstrip("\ufeff")).group() if text_start.strip() else ""
        if not first_line.strip():
            info.problem = "empty file: no header line"
        else:
            info.delimiter = _detect_delimiter(first_line)
            # the first record, quote-aware (a quoted header name may hold a line break)
            header = next(csv.reader(io.StringIO(text_start.lstrip("\ufeff")), delimiter=info.delimiter))
            info.columns = [_normalise_header(c) for c in header]
    if table is not None and info.problem is None:
        twice = sorted({c for c in info.columns if c in table.column_names and info.columns.count(c) > 1})
        if twice:
            info.problem = (
                f"column {', '.join(twice)} appears more than once in the header "
                "(names are compared trimmed and in lower case): which one to read?"
            )
    if table is not None and info.problem is None:
        expected = table.column_names
        info.missing_columns = [c for c in expected if c not in info.columns]
        info.missing_required_columns = [c for c in table.required_columns if c not in info.columns]
        info.extra_columns = [c for c in info.columns if c not in expected]
    return info, raw


# --------------------------------------------------------------------------------------------
# Records and their physical lines (quote-aware)
# --------------------------------------------------------------------------------------------

QUOTE, LF, CR = 0x22, 0x0A, 0x0D
UNCLOSED_QUOTE = "unclosed quote: the quoted value starting on this line never ends (line{s} {lines} set aside)"


@dataclass
class Records:
    """Where the records of a CSV text start, numbered as pyarrow numbers them (header = 1,
    blank lines skipped), and whether any record spans several lines."""

    lines: np.ndarray  # physical line (1-based) of each record, header first
    multiline: bool
    unclosed_at: int | None = None  # index into `lines` of a record whose quote never closes
    unclosed_line: int | None = None  # the line of that quote
    doubtful: list[int] = field(default_factory=list)  # indexes of records read but doubtful


def _regular_quotes(a: np.ndarray, qpos: np.ndarray, delimiter: int) -> bool:
    """True when every quote is where RFC 4180 puts one: an opening quote (even position) at
    the start of a field or right after a quote (a doubled quote), a closing quote (odd
    position) at the end of a field or right before a quote. Then quote parity alone says
    which line breaks are inside quoted values."""
    if qpos.size == 0:
        return True
    # A lookup table of the bytes allowed beside a quote; only the byte before each opening
    # quote and the byte after each closing quote are looked at (a few million quotes in a
    # council's contacts file: one gather each, no per-quote comparisons against a list).
    allowed = np.zeros(256, dtype=bool)
    allowed[[delimiter, LF, CR, QUOTE]] = True
    # The data with a line break added at each end (the start and the end of the data count
    # as one), so padded[i] is the byte before a[i] and padded[i + 2] the byte after it: the
    # bytes beside the quotes are two gathers, with no arithmetic on millions of positions
    # (a file of JSON values holds a quote in every five bytes).
    padded = np.empty(a.size + 2, dtype=np.uint8)
    padded[0] = padded[-1] = LF
    padded[1:-1] = a
    before = padded[qpos[0::2]]  # of each opening quote
    after = padded[2:][qpos[1::2]]  # of each closing quote
    return bool(allowed[before].all() and allowed[after].all())


def _records_by_parity(a: np.ndarray, nl: np.ndarray, qpos: np.ndarray) -> Records:
    inside = (np.searchsorted(qpos, nl) & 1).astype(bool) if qpos.size else np.zeros(nl.size, bool)
    ends = nl[~inside]
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [a.size]))
    keep = starts < a.size
    starts, stops = starts[keep], stops[keep]
    length = stops - starts
    blank = (length == 0) | ((length == 1) & (a[np.minimum(starts, a.size - 1)] == CR))
    lines = np.searchsorted(nl, starts[~blank]) + 1
    records = Records(lines.astype(np.int64), bool(inside.any()))
    if qpos.size % 2:  # the last quote opens a value that never closes: its record
        records.unclosed_at = int(np.searchsorted(starts[~blank], qpos[-1], side="right")) - 1
        records.unclosed_line = int(np.searchsorted(nl, qpos[-1])) + 1
    return records


def _records_by_scanning(text: str, delimiter: str) -> Records:
    """The same, for files with quotes where RFC 4180 puts none (`5'10"`, `a"b`): a quote opens
    a quoted value only at the start of a field, as pyarrow and the csv module read it.

    A record that spans lines and whose quoted value closes in the middle of a field (`"...;"x`)
    is most likely an unclosed quote whose value ran on to the next quote in the file: it is
    listed in `doubtful`, so it is quarantined with its line instead of read as it parses."""
    lines: list[int] = []
    doubtful: list[int] = []
    multiline, in_quotes, opened_on = False, False, 0
    start, odd_close = 0, False
    for number, line in enumerate(text.split("\n"), start=1):
        if not in_quotes:
            if line in ("", "\r"):
                continue
            lines.append(number)
            start, odd_close = number, False
            pos = 0
            at_field_start = True
        else:
            multiline = True
            pos = 0
            at_field_start = False
        while pos <= len(line):
            if in_quotes:
                m = _CLOSING.match(line, pos)
                if m is None:
                    break  # the value goes on on the next line
                in_quotes, pos = False, m.end()
                odd_close = odd_close or (pos < len(line) and line[pos] not in (delimiter, "\r"))
                at_field_start = False
                continue
            if at_field_start and line.startswith('"', pos):
                in_quotes, pos, opened_on = True, pos + 1, number
                continue
            nxt = line.find(delimiter, pos)
            if nxt < 0:
                break
            pos, at_field_start = nxt + 1, True
        if not in_quotes and odd_close and number > start:
            doubtful.append(len(lines) - 1)
    records = Records(np.array(lines, dtype=np.int64), multiline, doubtful=doubtful)
    if in_quotes:
        records.unclosed_at, records.unclosed_line = len(lines) - 1, opened_on
    return records


_CLOSING = re.compile(r'(?:[^"]|"")*"(?!")')
_DOUBTFUL = (
    "a quoted value runs over several lines and ends in the middle of a field: "
    "probably an unclosed quote that swallowed the lines after it; check the file"
)


def find_records(data: bytes, delimiter: str) -> Records:
    """Record start lines of UTF-8 CSV bytes (vectorised unless quotes are irregular)."""
    a = np.frombuffer(data, dtype=np.uint8)
    nl = np.flatnonzero(a == LF)
    qpos = np.flatnonzero(a == QUOTE)
    if _regular_quotes(a, qpos, ord(delimiter)):
        return _records_by_parity(a, nl, qpos)
    return _records_by_scanning(data.decode("utf-8", errors="replace"), delimiter)


def _set_aside_unclosed(data: bytes, delimiter: str) -> tuple[bytes, Records, list[tuple[int, str, str]]]:
    """A quote that never closes would swallow every line after it into one value. Its record
    (from its first line to the line of that quote) is set aside as a malformed row, reported
    with its line, and the lines after it are read as records again. Returns the data without
    those lines, the records (lines are physical lines of the file) and the set-aside rows."""
    kept = None  # physical line of each line of `data`, once lines have been set aside
    set_aside: list[tuple[int, str, str]] = []
    while True:
        records = find_records(data, delimiter)
        if records.unclosed_at is None or records.unclosed_at == 0:  # (a broken header: as is)
            if kept is not None:
                records.lines = kept[records.lines - 1]
            return data, records, set_aside
        if kept is None:
            kept = np.arange(1, data.count(b"\n") + 2, dtype=np.int64)
        first, last = int(records.lines[records.unclosed_at]), records.unclosed_line
        rows = data.split(b"\n")
        text = b"\n".join(rows[first - 1 : last]).decode("utf-8", errors="replace").rstrip("\r")
        where = f"line {kept[first - 1]}" if last == first else f"lines {kept[first - 1]}-{kept[last - 1]}"
        set_aside.append(
            (
                int(kept[first - 1]),
                text,
                f"unclosed quote: the quoted value never ends ({where} set aside; "
                "the lines after it are read as records)",
            )
        )
        data = b"\n".join(rows[: first - 1] + rows[last:])
        kept = np.concatenate((kept[: first - 1], kept[last:]))


def _cp1252_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each Windows-1252 byte: its UTF-8 bytes (padded to 3), how many, and whether the
    code page leaves it undefined (Python's codec refuses those five bytes)."""
    utf8 = np.zeros((256, 3), dtype=np.uint8)
    length = np.zeros(256, dtype=np.int64)
    undefined = np.zeros(256, dtype=bool)
    for b in range(256):
        try:
            encoded = bytes([b]).decode("cp1252").encode("utf-8")
        except UnicodeDecodeError:
            undefined[b] = True
            continue
        utf8[b, : len(encoded)] = np.frombuffer(encoded, dtype=np.uint8)
        length[b] = len(encoded)
    return utf8, length, undefined


_CP1252_UTF8, _CP1252_LENGTH, _CP1252_UNDEFINED = _cp1252_table()


def _to_utf8(raw: bytes, encoding: str) -> bytes:
    """The bytes of a file as UTF-8. Windows-1252 is mostly ASCII (the same bytes in UTF-8):
    only its other bytes are replaced, each by its two or three UTF-8 bytes, in numpy
    (transcoding whole files through Python strings cost a second per England table)."""
    if encoding == "utf-8":
        return raw
    a = np.frombuffer(raw, dtype=np.uint8)
    high = np.flatnonzero(a >= 0x80)
    codes = a[high]
    if encoding != "cp1252" or _CP1252_UNDEFINED[codes].any():
        return raw.decode(encoding).encode("utf-8")  # (raises UnicodeDecodeError as it should)
    out = a.copy()
    out[high] = _CP1252_UTF8[codes, 0]
    three = _CP1252_LENGTH[codes] == 3
    # the second byte of every character, then the third of the three-byte ones, inserted
    # after the first (np.insert keeps the order of values inserted at one position)
    at = np.concatenate((high + 1, high[three] + 1))
    values = np.concatenate((_CP1252_UTF8[codes, 1], _CP1252_UTF8[codes[three], 2]))
    return np.insert(out, at, values).tobytes()


def _read_csv(
    info: FileInfo, raw: bytes | None = None, threads: bool = True
) -> tuple[pa.Table, list[tuple[int, str, str | None]]]:
    """All columns as text, plus the malformed rows (line, text, reason or None for a wrong
    field count). Line numbers are physical lines, quote-aware (find_records). `raw`: the
    file's bytes when the caller has read them already; `threads`: whether pyarrow parses on
    its own threads (not when the caller reads several files at once)."""
    data = _to_utf8(Path(info.path).read_bytes() if raw is None else raw, info.encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data, records, set_aside = _set_aside_unclosed(data, info.delimiter)

    def parse(threads: bool):
        bad_rows: list[tuple[int, str]] = []

        def on_invalid(row):  # keep, never drop: the row is quarantined with its line number
            bad_rows.append((row.number, row.text))
            return "skip"

        table = pacsv.read_csv(
            pa.BufferReader(data),  # (no copy, and no Python file reads holding the GIL)
            read_options=pacsv.ReadOptions(
                column_names=info.columns, skip_rows=0, use_threads=threads, block_size=1 << 24
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=info.delimiter, newlines_in_values=records.multiline, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in info.columns},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        return table, bad_rows

    table, bad_rows = parse(threads=threads)
    if bad_rows and threads:
        # Only the single-threaded parser knows the record numbers of malformed rows.
        table, bad_rows = parse(threads=False)
    # The header is parsed as record 1 (pyarrow's skip_rows counts lines, not records) and
    # dropped; pyarrow numbers records from 1, skipping blank lines, as find_records does.
    bad_numbers = np.array([n for n, _ in bad_rows], dtype=np.int64)
    if len(records.lines) != table.num_rows + len(bad_rows) or 1 in bad_numbers:
        raise LandingError(
            f"{info.path}: {len(records.lines) - 1} records found but "
            f"{table.num_rows + len(bad_rows) - 1} parsed: cannot give line numbers"
        )
    good = np.arange(2, len(records.lines) + 1, dtype=np.int64)
    if bad_rows:
        good = np.setdiff1d(good, bad_numbers)
    table = table.slice(1)
    table = table.append_column("_line_number", pa.array(records.lines[good - 1]))
    errors = pa.nulls(table.num_rows, pa.string())
    if records.doubtful:
        doubtful = np.isin(good - 1, np.array(records.doubtful, dtype=np.int64))
        errors = pa.array([_DOUBTFUL if d else None for d in doubtful], pa.string())
    table = table.append_column("_parse_error", errors)
    malformed = [(int(records.lines[n - 1]), text, None) for n, text in bad_rows] + set_aside
    return table, sorted(malformed)


def _bad_rows_table(info: FileInfo, bad_rows: list[tuple[int, str, str | None]]) -> pa.Table:
    cols: dict[str, list] = {c: [] for c in info.columns}
    lines, errors = [], []
    for number, text, reason in bad_rows:
        fields = next(csv.reader([text or ""], delimiter=info.delimiter), [])
        for i, c in enumerate(info.columns):
            cols[c].append(fields[i] if i < len(fields) else None)
        lines.append(number)
        errors.append(reason or f"expected {len(info.columns)} fields, found {len(fields)}")
    arrays = {c: pa.array(v, pa.string()) for c, v in cols.items()}
    arrays["_line_number"] = pa.array(lines, pa.int64())
    arrays["_parse_error"] = pa.array(errors, pa.string())
    return pa.table(arrays)


def read_file(info: FileInfo) -> pa.Table:
    """One landing file as text columns with its own header names (plus line and parse error)."""
    return _read_file(info)


def _read_file(info: FileInfo, raw: bytes | None = None, threads: bool = True) -> pa.Table:
    if info.problem:
        raise LandingError(f"{info.path}: {info.problem}")
    if info.format == "parquet":
        t = pq.read_table(info.path)
        t = t.rename_columns([_normalise_header(c) for c in t.column_names])
        t = pa.table({c: t[c].cast(pa.string()) for c in t.column_names})
        t = t.append_column("_line_number", pa.array(range(1, t.num_rows + 1), pa.int64()))
        return t.append_column("_parse_error", pa.nulls(t.num_rows, pa.string()))
    good, bad_rows = _read_csv(info, raw, threads)
    if bad_rows:
        good = pa.concat_tables([good, _bad_rows_table(info, bad_rows)], promote_options="default")
    return good


def conform(table: Table, info: FileInfo, data: pa.Table) -> pa.Table:
    """Contract column order; missing columns as nulls; unknown columns and names dropped."""
    n = data.num_rows
    arrays = {"la_code": pa.repeat(pa.scalar(info.la_code, pa.string()), n)}
    for c in table.loaded_columns:
        arrays[c] = data[c] if c in data.column_names else pa.nulls(n, pa.string())
    arrays["_source_file"] = pa.repeat(pa.scalar(Path(info.path).name, pa.string()), n)
    arrays["_line_number"] = data["_line_number"]
    arrays["_parse_error"] = data["_parse_error"]
    return pa.table(arrays)


def empty_table(table: Table) -> pa.Table:
    names = ["la_code", *table.loaded_columns, "_source_file", "_line_number", "_parse_error"]
    types = [pa.int64() if n == "_line_number" else pa.string() for n in names]
    return pa.table({n: pa.array([], t) for n, t in zip(names, types)})


def contract_table(name: str) -> Table:
    """The contract's table `name`, or the reader's refusal of a name outside the contract."""
    contract = load_contract()
    if name not in contract:
        raise LandingError(f"'{name}' is not a table of the raw contract")
    return contract[name]


def read_ahead(items: list, read: Callable[[Any], Any], threads: int, ahead: int) -> Iterator[Any]:
    """read(item) for each item, in order, computed by `threads` threads up to `ahead` items
    ahead (pyarrow and numpy work without the GIL): no more than that is held at once."""
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="csc-read") as pool:
        pending = [pool.submit(read, item) for item in items[:ahead]]
        for i in range(len(items)):
            result = pending[i].result()
            pending[i] = None  # let the result go once it is handed on
            if i + ahead < len(items):
                pending.append(pool.submit(read, items[i + ahead]))
            yield result


def iter_table(name: str, root: Path | None = None) -> Iterator[pa.Table]:
    """Every council's file for one contract table, conformed, one table a file, in the order
    of `discover` (files without a readable table are skipped: the inventory and csc validate
    report them). The files are read READ_THREADS at a time (read_ahead), each parsed on one
    thread, so a reader that consumes the parts as they come (the build's plugin) holds a few
    files, not a whole table of England. A file that fails raises where it comes in the order."""
    table = contract_table(name)
    found = discover(root).get(name, [])
    side_by_side = READ_THREADS > 1 and len(found) > 1

    def read(entry: tuple[str, Path]) -> pa.Table | None:
        info, raw = _inspect(*entry, table)  # the file is read once, for both
        if info.problem:
            return None
        return conform(table, info, _read_file(info, raw, threads=not side_by_side))

    parts = read_ahead(found, read, READ_THREADS, READ_THREADS) if side_by_side else map(read, found)
    yield from (part for part in parts if part is not None)


def read_table(name: str, root: Path | None = None) -> pa.Table:
    """Every council's file for one contract table, conformed and stacked (iter_table)."""
    parts = list(iter_table(name, root))
    return pa.concat_tables(parts) if parts else empty_table(contract_table(name))


def stream_table(name: str, root: Path | None = None) -> pa.RecordBatchReader:
    """read_table as a stream of record batches (the same rows, columns and types), for a
    reader that takes it in once: DuckDB's `create table ... as select * from` it."""
    schema = empty_table(contract_table(name)).schema
    batches = (batch for part in iter_table(name, root) for batch in part.to_batches())
    return pa.RecordBatchReader.from_batches(schema, batches)


class Inventory(list):
    """FileInfo rows (a list, as before) plus `problems`: the landing entries `scan` refused or
    ignored (LandingProblem, FATAL or WARNING). Validation reports every problem; the dbt
    plugin refuses to build while any is fatal."""

    def __init__(self, rows: list[FileInfo], layout: Layout) -> None:
        super().__init__(rows)
        self.layout = layout
        self.problems = layout.problems

    @property
    def fatal(self) -> list[LandingProblem]:
        return self.layout.fatal


def inventory(root: Path | None = None) -> Inventory:
    """One FileInfo per landing file, plus a row per (council, contract table) with no file;
    `.problems` lists what the layout refused (see `scan`)."""
    contract = load_contract()
    layout = scan(root)
    rows: list[FileInfo] = []
    for la_code, name, path in sorted(layout.files, key=lambda f: (f[1], f[0], f[2].name)):
        rows.append(inspect_file(la_code, path, contract.get(name)))
    for la in layout.councils:
        for name in contract:
            if (la, name) in layout.refused:
                continue  # present, but refused: its fatal problem says why
            if not any(la == f_la and name == f_table for f_la, f_table, _ in layout.files):
                rows.append(
                    FileInfo(
                        la_code=la,
                        table=name,
                        path="",
                        format="missing",
                        size_bytes=0,
                        problem="table not supplied",
                        missing_columns=contract[name].column_names,
                        missing_required_columns=contract[name].required_columns,
                    )
                )
    return Inventory(rows, layout)


def inventory_table(root: Path | None = None) -> pa.Table:
    rows = [r.as_row() for r in inventory(root)]
    schema = pa.schema(
        [
            ("la_code", pa.string()),
            ("table", pa.string()),
            ("path", pa.string()),
            ("format", pa.string()),
            ("size_bytes", pa.int64()),
            ("encoding", pa.string()),
            ("delimiter", pa.string()),
            ("has_bom", pa.bool_()),
            ("columns", pa.string()),
            ("missing_columns", pa.string()),
            ("missing_required_columns", pa.string()),
            ("extra_columns", pa.string()),
            ("problem", pa.string()),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema).rename_columns(["la_code", "table_name", *schema.names[2:]])
