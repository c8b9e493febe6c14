"""Expectation suites generated from the contract (csc.contract) and the value rules
(csc.rules): `column_expectations()` maps one column's meta to its expectations,
`table_expectations()` adds the table-level ones. Severities come from the contract's
`problems` meta (csc.contract.door_severity), the one severity model dbt reads too."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import paths
from .. import rules as value_rules
from ..contract import Column, Table
from ..contract import door_severity as door
from ..reporting_date import EARLIEST_PLAUSIBLE
from .frames import KEY_IN_COUNCIL, PARSE_ERROR
from .gx_import import gxe
from .results import WARNING, Finding

DEFAULT_CODES_FILE = paths.SEEDS_DIR / "reference" / "ref_cin_codes.csv"
EARLIEST_DATE = EARLIEST_PLAUSIBLE  # dbt var earliest_plausible_date, as the warehouse reads it

# Accepted values are read from where staging reads them (csc.rules): date formats from var
# date_formats, flag words and code words from seed ref_value_maps, the JSON rule.
DATE_REGEX = value_rules.date_regex()
FLAG_REGEX = value_rules.flag_regex()
INT_REGEX = r"^[+-]?\d+$"
DATE_FORMATS = value_rules.date_formats_text()


@dataclass(frozen=True)
class Rules:
    """What the generated suites need beyond the contract: the run's dates and code lists."""

    reporting_date: date
    code_lists: dict[str, frozenset[str]] | None  # None: the code-list file was not found
    date_ceiling: date | None = None  # csc.reporting_date's ReportingDate.date_ceiling
    # per council (la_code): (reporting date, date ceiling), as the warehouse judges each council
    councils: Mapping[str, tuple[date, date]] = field(default_factory=dict)

    def latest_date(self, column: Column, la_code: str | None = None) -> date:
        """The council's date ceiling (the later of its reporting date and its latest plausible
        event date; the extract's when the council's is not known); its reporting date plus a
        year for future_ok columns (targets, due dates). The warehouse's int_dq_future_dates
        uses the same bounds per council."""
        d, ceiling = self.councils.get(la_code, (self.reporting_date, self.date_ceiling or self.reporting_date))
        if not column.future_ok:
            return max(d, ceiling or d)
        return d.replace(year=d.year + 1, day=28 if (d.month, d.day) == (2, 29) else d.day)

    def date_bounds(self, column: Column, la_code: str | None = None) -> tuple[date, date]:
        """(earliest, latest) plausible date of `column` in a file of council `la_code`."""
        return EARLIEST_DATE, self.latest_date(column, la_code)

    def code_set(self, column: Column) -> frozenset[str] | None:
        """Accepted codes in upper case, or None when the list is not available."""
        if isinstance(column.codes, tuple):
            return frozenset(c.upper() for c in column.codes)
        if self.code_lists is None or column.codes not in self.code_lists:
            return None
        return self.code_lists[column.codes]


def _expect(
    kind: type[gxe.Expectation], check: str, severity: str, source: str | None, note: str, **kwargs: Any
) -> gxe.Expectation:
    """An expectation carrying what the summary needs: check name, severity, contract column."""
    meta = {"check": check, "severity": severity, "source_column": source, "message": note}
    return kind(meta=meta, notes=note, **kwargs)


def _midnight(day: date) -> datetime:
    """Bounds as datetimes: GX compares a datetime64 column with them vectorised."""
    return datetime(day.year, day.month, day.day)


def column_expectations(column: Column, rules: Rules) -> list[gxe.Expectation]:
    """The expectations one contract column's meta implies (the column is in the file)."""
    name, out = column.name, []
    if column.required:
        out.append(
            _expect(
                gxe.ExpectColumnValuesToNotBeNull,
                "required_value",
                door("REQUIRED_MISSING"),
                name,
                f"{name} is required: blank values",
                column=name,
            )
        )
    if column.type == "date":
        bound = "its reporting date + 1 year" if column.future_ok else "its date ceiling (latest plausible date)"
        out += [
            _expect(
                gxe.ExpectColumnValuesToMatchRegex,
                "date_format",
                door("INVALID_DATE"),
                name,
                f"{name} not in an accepted date format ({DATE_FORMATS})",
                column=name,
                regex=DATE_REGEX,
            ),
            _expect(
                gxe.ExpectColumnValuesToBeInSet,
                "real_date",
                door("INVALID_DATE"),
                name,
                f"{name} is not a real calendar date (read day first, DD/MM/YYYY)",
                column=f"{name}__is_real_date",
                value_set=[True],
            ),
            # Bounds per council (the frame's helper column, Rules.date_bounds), as in the warehouse.
            _expect(
                gxe.ExpectColumnValuesToBeInSet,
                "date_range",
                door("DATE_OUT_OF_RANGE"),
                name,
                f"{name} before {EARLIEST_DATE} or after the council's {bound}",
                column=f"{name}__in_range",
                value_set=[True],
            ),
        ]
    elif column.type == "flag":
        out.append(
            _expect(
                gxe.ExpectColumnValuesToMatchRegex,
                "flag",
                door("INVALID_FLAG"),
                name,
                f"{name} is not a yes/no flag ({', '.join(value_rules.flag_words())})",
                column=name,
                regex=FLAG_REGEX,
            )
        )
    elif column.type == "int":
        out.append(
            _expect(
                gxe.ExpectColumnValuesToMatchRegex,
                "integer",
                door("INVALID_INTEGER"),
                name,
                f"{name} is not a whole number",
                column=name,
                regex=INT_REGEX,
            )
        )
    elif column.type == "code":
        codes = rules.code_set(column)
        if codes is not None:
            list_name = column.codes if isinstance(column.codes, str) else "inline list"
            out.append(
                _expect(
                    gxe.ExpectColumnValuesToBeInSet,
                    "code",
                    door("UNKNOWN_CODE"),
                    name,
                    f"{name} not in code list {list_name}",
                    column=f"{name}__code",
                    value_set=sorted(codes),
                )
            )
    elif column.type == "json":
        shape = "a JSON object" if column.flags else "a JSON object or array of strings"
        out.append(
            _expect(
                gxe.ExpectColumnValuesToBeInSet,
                "json",
                door("INVALID_JSON"),
                name,
                f"{name} is not valid JSON ({shape})",
                column=f"{name}__is_valid_json",
                value_set=[True],
            )
        )
    return out


def table_expectations(table: Table, present: list[str]) -> list[gxe.Expectation]:
    """Required columns, rows present, well-formed lines, unique primary key."""
    out = [
        _expect(
            gxe.ExpectColumnToExist,
            "required_column",
            door("REQUIRED_COLUMN_MISSING"),
            c,
            f"required column {c} missing from the header",
            column=c,
        )
        for c in table.required_columns
    ]
    out.append(
        _expect(
            gxe.ExpectTableRowCountToBeBetween,
            "rows",
            door("REQUIRED_TABLE_EMPTY" if table.required else "OPTIONAL_TABLE_EMPTY"),
            None,
            "no rows (header only)" + (": a required table" if table.required else ""),
            min_value=1,
        )
    )
    out.append(
        _expect(
            gxe.ExpectColumnValuesToBeNull,
            "well_formed_line",
            door("MALFORMED_ROW"),
            None,
            "lines with the wrong number of fields (kept; staging quarantines them)",
            column=PARSE_ERROR,
        )
    )
    keys = [k for k in table.key_columns if k in present]
    if keys and len(keys) == len(table.key_columns):
        # Unique within the council, as in the warehouse: on the council and the key together
        # (KEY_IN_COUNCIL), so the councils of a chunk are checked each on its own.
        note = f"duplicate primary key {', '.join(keys)}"
        out.append(
            _expect(
                gxe.ExpectColumnValuesToBeUnique,
                "unique_key",
                door("DUPLICATE_KEY"),
                keys[0],
                note,
                column=KEY_IN_COUNCIL,
            )
        )
    return out


def suite_expectations(table: Table, present: list[Column], rules: Rules) -> list[gxe.Expectation]:
    names = [c.name for c in present]
    return table_expectations(table, names) + [e for c in present for e in column_expectations(c, rules)]


def load_code_lists(codes_file: Path) -> dict[str, frozenset[str]] | None:
    """{code_list: accepted values in upper case} from the reference seed (None when missing).

    A list's accepted values are its CIN census codes plus the words seed ref_value_maps reads
    as one of them (value map of the same name, e.g. cp_category: "Neglect"), as staging does."""
    if not codes_file.is_file():
        return None
    lists: dict[str, set[str]] = {}
    with codes_file.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            name, code = (row.get("code_list") or "").strip(), (row.get("code") or "").strip()
            if name and code:
                lists.setdefault(name, set()).add(code.upper())
    for name, words in value_rules.value_maps().items():
        if name in lists:
            lists[name] |= {w.upper() for w in words}
    return {name: frozenset(codes) for name, codes in lists.items()}


def code_list_warnings(
    code_lists: dict[str, frozenset[str]] | None, codes_file: Path, tables: dict[str, Table]
) -> list[Finding]:
    if code_lists is None:
        return [Finding(WARNING, "code_lists", f"code lists not found at {codes_file}: code-list checks skipped")]
    named = sorted({c.codes for t in tables.values() for c in t.columns if isinstance(c.codes, str)})
    return [
        Finding(WARNING, "code_lists", f"code list {name} not in {codes_file}: its code checks skipped")
        for name in named
        if name not in code_lists
    ]
