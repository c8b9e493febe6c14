"""The dataframe Great Expectations validates: each file's trimmed text plus helper columns
computed with staging's own rules (csc.rules), line numbers and parse errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import rules as value_rules
from ..contract import Column, Table

LINE = "_line_number"
PARSE_ERROR = "_parse_error"
FILE = "_file"  # the file's position in its chunk
ROW = "_row"  # the row's position in its chunk
LA_CODE = "_la_code"  # the council of the row's file
KEY_IN_COUNCIL = "_key_in_council"  # council and primary key: keys are unique within a council

parse_dates = value_rules.parse_dates
json_is_valid = value_rules.json_is_valid


def clean_text(values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Trimmed text; blank and whitespace-only become null (staging's ssd_clean)."""
    trimmed = pc.utf8_trim_whitespace(values)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def normalise_codes(values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Codes compared in upper case, as staging types them (upper(trim(code)))."""
    return pc.utf8_upper(values)


def _json_flags(values: pa.ChunkedArray | pa.Array, object_only: bool) -> pa.Array:
    uniques = pc.unique(values).drop_null()
    verdicts = pa.array([json_is_valid(v, object_only) for v in uniques.to_pylist()], pa.bool_())
    return pc.take(verdicts, pc.index_in(values, value_set=uniques))


# --------------------------------------------------------------------------------------------
# The dataframe Great Expectations validates
# --------------------------------------------------------------------------------------------


def checked_columns(table: Table, data: pa.Table) -> list[Column]:
    """Contract columns present in the file, names (pii) excepted: never read for checks."""
    return [c for c in table.columns if not c.is_pii and c.name in data.column_names]


Bounds = Callable[[Column], tuple[date, date]]  # a date column's (earliest, latest) plausible date


def checks_table(table: Table, data: pa.Table, bounds: Bounds | None = None) -> pa.Table:
    """One file's trimmed text columns plus helper columns, line numbers and parse errors.
    `bounds`: the plausible dates of a date column in this file's council."""
    arrays: dict[str, pa.Array | pa.ChunkedArray] = {}
    for column in checked_columns(table, data):
        values = clean_text(data[column.name])
        arrays[column.name] = values
        arrays.update(helper_columns(column, values, bounds(column) if bounds and column.type == "date" else None))
    arrays[LINE] = data[LINE]
    arrays[PARSE_ERROR] = data[PARSE_ERROR]
    return pa.table(arrays)


def key_in_council(data: pa.Table, keys: list[str]) -> pa.ChunkedArray:
    """The council and the primary key as one text; null when the key is blank, so (as with a
    single key column) blank keys are left to the required_value check. Keys are unique per
    council, as in the warehouse (the contract: key unique within la_code), not per file."""
    parts = [pc.fill_null(data[k], "") for k in keys]
    joined = pc.binary_join_element_wise(data[LA_CODE], *parts, "\x1f")
    blank = data[keys[0]].is_null()
    for k in keys[1:]:
        blank = pc.and_(blank, data[k].is_null())
    return pc.if_else(blank, pa.scalar(None, pa.string()), joined)


def frame_for_checks(table: Table, parts: list[pa.Table], councils: list[str] | None = None) -> pd.DataFrame:
    """The frame Great Expectations validates: the files of a chunk (checks_table each), one
    after the other, with each row's file (FILE), council (LA_CODE) and position (ROW)."""
    councils = councils or [str(i) for i in range(len(parts))]
    tagged = [
        part.append_column(FILE, pa.array(np.full(part.num_rows, i, dtype=np.int64))).append_column(
            LA_CODE, pa.array([councils[i]] * part.num_rows, pa.string())
        )
        for i, part in enumerate(parts)
    ]
    data = pa.concat_tables(tagged) if len(tagged) > 1 else tagged[0]
    data = data.append_column(ROW, pa.array(np.arange(data.num_rows, dtype=np.int64)))
    keys = [k for k in table.key_columns if k in data.column_names]
    if keys and len(keys) == len(table.key_columns):
        data = data.append_column(KEY_IN_COUNCIL, key_in_council(data, keys))
    return to_frame(data)


def to_frame(data: pa.Table) -> pd.DataFrame:
    """The pandas frame of the checks' table, with text columns as categoricals (dictionary
    encoded) and the helper flags (booleans with nulls) as pandas' nullable booleans instead of
    Python objects. For every column check Great Expectations filters the WHOLE frame several
    times (the rows where the column is not null, then the unexpected rows), copying every
    column: copying text was a third of validation at England scale, while a categorical
    copies its integer codes. The checks read the same values either way (not null, a regex
    over the text, in a set, duplicated) and the examples quote the same text."""
    encoded = pa.table(
        {
            name: pc.dictionary_encode(column) if pa.types.is_string(column.type) else column
            for name, column in zip(data.column_names, data.columns)
        }
    )
    return encoded.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)


def helper_columns(column: Column, values: pa.ChunkedArray, bounds: tuple[date, date] | None = None) -> dict[str, Any]:
    """Values derived with staging's rules, for the expectations that need more than a regex.
    `bounds`: a date column's (earliest, latest) plausible date, for `<col>__in_range`."""
    name = column.name
    if column.type == "date":
        matched, parsed = parse_dates(values)
        real = np.where(matched, ~np.isnat(parsed), None)
        out = {f"{name}__is_real_date": pa.array(real, pa.bool_(), from_pandas=True)}
        if bounds is not None:
            # compared as days (numpy datetime64[D] reaches year 9999: 9999-12-31 is out of range)
            days = parsed.astype("datetime64[D]")
            earliest, latest = (np.datetime64(b, "D") for b in bounds)
            in_range = np.where(np.isnat(days), None, (days >= earliest) & (days <= latest))
            out[f"{name}__in_range"] = pa.array(in_range, pa.bool_(), from_pandas=True)
        return out
    if column.type == "code":
        return {f"{name}__code": normalise_codes(values)}
    if column.type == "json":
        return {f"{name}__is_valid_json": _json_flags(values, object_only=bool(column.flags))}
    return {}
