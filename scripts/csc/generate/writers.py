"""Writing: one CSV per contract table and council, values formatted in the file's style,
faults planted on request."""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

from ..contract import Table, load_contract
from .faults import FAULT_FROM_ROW, FAULTS, Fault
from .formats import BLANKABLE, DATE_STYLES, FILE_STYLES, FLAG_WORDS, FileStyle, date_text
from .parameters import P_BLANK_OPTIONAL, P_OTHER_STYLE


class TableWriter:
    """One landing file. `write(**values)` takes contract columns; dates as day ordinals, flags
    as bools, None for blank."""

    def __init__(
        self,
        path: Path,
        table: Table,
        style: FileStyle,
        rng: random.Random,
        faults: list[Fault],
        injected: list[str],
        la_code: str,
    ) -> None:
        self.table, self.style, self.rng = table, style, rng
        self.columns = table.column_names
        self.index = {c: i for i, c in enumerate(self.columns)}
        self.dates = [i for i, c in enumerate(table.columns) if c.type == "date"]
        self.flags = [i for i, c in enumerate(table.columns) if c.type == "flag"]
        self.blankable = [self.index[c] for c in BLANKABLE.get(table.name, ()) if c in self.index]
        self.other_dates = [s for s in DATE_STYLES if s != style.dates]
        self.other_flags = [w for k, w in FLAG_WORDS.items() if k != style.flags]
        self.pending, self.injected, self.la_code = list(faults), injected, la_code
        self.rows = 0
        self.file = path.open("w", encoding=style.encoding, newline="")
        self.csv = csv.writer(self.file, lineterminator=style.newline)
        self.csv.writerow(self.columns)

    def write(self, style_rng: random.Random | None = None, **values) -> None:
        """One row; `style_rng` draws its style instead of the council's stream (rows added
        later that must not move the rest of the extract)."""
        row = [values.get(c) for c in self.columns]
        rnd = (style_rng or self.rng).random
        other = rnd() < P_OTHER_STYLE
        dates = self.other_dates[int(rnd() * len(self.other_dates))] if other else self.style.dates
        for i in self.dates:
            if row[i] is not None:
                row[i] = date_text(row[i], dates)
        if self.flags:
            self._flags(row, other, style_rng or self.rng)
        if self.blankable and rnd() < P_BLANK_OPTIONAL:
            row[self.blankable[int(rnd() * len(self.blankable))]] = None
        rows = [row]
        if self.pending and self.rows + 1 >= FAULT_FROM_ROW:
            rows = self._inject([values.get(c) for c in self.columns], row)
        self.csv.writerows(rows)
        self.rows += len(rows)

    def _flags(self, row: list, other: bool, rng: random.Random) -> None:
        if other:
            words = self.other_flags[int(rng.random() * len(self.other_flags))]
            case = (str.upper, str.lower, str.title)[int(rng.random() * 3)]
            yes, no = case(words[0]), case(words[1])
        else:
            yes, no = FLAG_WORDS[self.style.flags]
        for i in self.flags:
            if row[i] is not None:
                row[i] = yes if row[i] else no

    def _inject(self, values: list, row: list) -> list[list]:
        """The next pending fault, if this row suits it; recorded for the marker file."""
        fault = self.pending[0]
        rows = fault.mutate(self, values, row)
        if rows is None:
            return [row]
        self.pending.pop(0)
        key = values[self.index[self.table.key_columns[0]]]
        where = f"line {self.rows + 2}" if rows else "not written"
        self.injected.append(
            f"la_code={self.la_code}/{self.table.name}.csv {where}: {fault.column} of {key}: {fault.description}"
        )
        return rows

    def close(self) -> None:
        for fault in self.pending:
            self.injected.append(
                f"la_code={self.la_code}/{self.table.name}.csv: NOT injected (too "
                f"few suitable rows): {fault.column}: {fault.description}"
            )
        self.file.close()


class Extract:
    """Every contract table's file for one council, open for writing."""

    def __init__(self, folder: Path, rng: random.Random, la_code: str, faults: bool, injected: list[str]) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.writers = {
            name: TableWriter(
                folder / f"{name}.csv",
                table,
                FILE_STYLES.get(name, FileStyle()),
                rng,
                [f for f in FAULTS if f.table == name] if faults else [],
                injected,
                la_code,
            )
            for name, table in load_contract().items()
        }

    def __getitem__(self, table: str) -> TableWriter:
        return self.writers[table]

    def close(self) -> dict[str, int]:
        for writer in self.writers.values():
            writer.close()
        return {name: w.rows for name, w in self.writers.items()}
