"""The value rules, read from where they are written (never restated here).

* Value maps (flag words, categories of abuse, sex and legacy gender codes): the seed
  `seeds/reference/ref_value_maps.csv`, which staging also reads (macros/staging/ssd_values.sql).
* Accepted date formats: var `date_formats` in dbt_project.yml, which staging also reads
  (macros/cross_db/try_parse_date.sql).
* The JSON rule: an outcome column (contract meta `flags`) holds a JSON object; a column
  without named flags may also hold an array of strings (macro ssd_json_is_valid).

Validation at the door, the synthetic generator and the CIN census reader and writer use these
functions; tests/parity holds the door and staging to the same verdicts on the same rows.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import paths
from .contract import project_vars

VALUE_MAPS_FILE = paths.SEEDS_DIR / "reference" / "ref_value_maps.csv"


# --------------------------------------------------------------------------------------------
# Value maps
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def value_maps(path: Path = VALUE_MAPS_FILE) -> dict[str, dict[str, str]]:
    """{value_map: {value (lower case): maps_to}} from the seed."""
    maps: dict[str, dict[str, str]] = {}
    with Path(path).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            maps.setdefault(row["value_map"], {})[row["value"]] = row["maps_to"]
    return maps


def value_map(name: str) -> dict[str, str]:
    return value_maps()[name]


def read_value(name: str, text: str | None) -> str | None:
    """What staging reads `text` as through value map `name` (trimmed, any case), or None."""
    if text is None:
        return None
    return value_map(name).get(str(text).strip().lower())


def flag_words(meaning: bool | None = None) -> tuple[str, ...]:
    """The flag words (lower case): all, or those meaning yes (True) / no (False)."""
    return tuple(w for w, m in value_map("flag").items() if meaning is None or (m == "true") == meaning)


def parse_flag(text: str | None) -> bool | None:
    """True/False for a flag word in any case, None for blank or anything else."""
    meaning = read_value("flag", text)
    return None if meaning is None else meaning == "true"


def flag_regex() -> str:
    """A regex matching exactly the flag words in any letter case (for Great Expectations)."""
    return r"^(?i:" + "|".join(re.escape(w) for w in flag_words()) + r")$"


def cp_category(text: str | None) -> str | None:
    return read_value("cp_category", text)


def sex(sex_code: str | None, gender_code: str | None = None) -> str | None:
    """Sex (M/F/U) from the Sex code, falling back to the legacy gender code."""
    return read_value("sex", sex_code) or read_value("gender_legacy", gender_code)


def codes_of(name: str) -> tuple[str, ...]:
    """The codes a value map reads to (e.g. cp_category: NEG, PHY, ...), seed order."""
    return tuple(dict.fromkeys(value_map(name).values()))


def sex_to_gender() -> dict[str, str]:
    """Sex code -> the legacy gender code written for it in an older return (first in the seed)."""
    out: dict[str, str] = {}
    for gender, sex_code in value_map("gender_legacy").items():
        out.setdefault(sex_code, gender)
    return out


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def date_formats() -> tuple[dict, ...]:
    """var date_formats: [{name, pattern (named groups year, month, day), example}]."""
    return tuple(project_vars()["date_formats"])


def date_regex() -> str:
    """Every accepted format as one anchored regex without group names (for Great Expectations)."""
    alternatives = [re.sub(r"\(\?P<\w+>", "(?:", f["pattern"]) for f in date_formats()]
    return "^(?:" + "|".join(alternatives) + ")$"


def date_formats_text() -> str:
    return ", ".join(f["example"] for f in date_formats())


def parse_dates(values: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(matches an accepted format, the date or NaT) per text value, vectorised: staging's rule.
    A column repeats its dates (a few thousand days over millions of rows), so each distinct
    text is parsed once and the verdicts are spread back to the rows."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], pa.string())
    if len(values) > 100:
        uniques = pc.unique(values)
        if len(uniques) < 0.9 * len(values):  # else the lookup would cost more than it saves
            matched, days = _parse_known(uniques)
            where = pc.index_in(values, value_set=uniques).to_numpy(zero_copy_only=False)
            return matched[where], days[where]
    return _parse_each(values)


# The verdicts on texts parsed so far in this process: the same dates recur in every council's
# files, and validation parses a few columns of each of England's 1,824 files (about a
# millisecond a call, most of it the regexes). Bounded: past the limit, texts are parsed anew.
_KNOWN: dict[str | None, tuple[bool, int]] = {}  # text -> (matched, days since 1970 or NaT's int)
_KNOWN_LIMIT = 1_000_000


def _parse_known(uniques: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """_parse_each over distinct texts, through _KNOWN."""
    texts = uniques.to_pylist()
    missing = [t for t in texts if t not in _KNOWN]
    if missing:
        if len(_KNOWN) + len(missing) > _KNOWN_LIMIT:
            return _parse_each(uniques)
        matched, days = _parse_each(pa.array(missing, pa.string()))
        _KNOWN.update(zip(missing, zip(matched.tolist(), days.astype(np.int64).tolist())))
    known = [_KNOWN[t] for t in texts]
    matched = np.fromiter((k[0] for k in known), dtype=bool, count=len(known))
    days = np.fromiter((k[1] for k in known), dtype=np.int64, count=len(known)).view("datetime64[D]")
    return matched, days


def _parse_each(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    n = len(values)
    matched = np.zeros(n, dtype=bool)
    year, month, day = (np.zeros(n, dtype=np.int64) for _ in range(3))
    for f in date_formats():
        parts = pc.extract_regex(values, "^(?:" + f["pattern"] + ")$")
        hit = parts.is_valid().to_numpy(zero_copy_only=False) & ~matched
        if not hit.any():
            continue
        for name, out in (("year", year), ("month", month), ("day", day)):
            text = parts.field(name)  # "" under a row that did not match
            text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
            numbers = pc.fill_null(pc.cast(text, pa.int64()), 0).to_numpy(zero_copy_only=False)
            out[hit] = numbers[hit]
        matched |= hit
    ok = matched & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
    months = np.where(ok, (year - 1970) * 12 + (month - 1), 0).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + np.where(ok, day - 1, 0).astype("timedelta64[D]")
    ok &= days.astype("datetime64[M]") == months  # 31/02 rolls into March: not a real date
    return matched, np.where(ok, days, np.datetime64("NaT"))


def parse_date(text: str | None) -> date | None:
    """One text value as staging reads it: a date, or None (blank, not accepted, not real)."""
    if text is None or not str(text).strip():
        return None
    _, parsed = parse_dates(pa.array([str(text).strip()], pa.string()))
    return None if np.isnat(parsed[0]) else parsed[0].astype("datetime64[D]").item()


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------


def json_is_valid(text: str, object_only: bool) -> bool:
    """A JSON object; where the column holds no named flags, also a JSON array of strings.
    `42`, `"Y"` and `null` are never valid (staging's ssd_json_is_valid)."""
    try:
        value = json.loads(text)  # NaN and Infinity are accepted, as DuckDB's json_valid does
    except ValueError:
        return False
    if isinstance(value, dict):
        return True
    return not object_only and isinstance(value, list) and all(isinstance(v, str) for v in value)
