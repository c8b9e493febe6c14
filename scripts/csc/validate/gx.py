"""Great Expectations: an in-memory context, each chunk validated in two passes, and its results
read back as findings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from .frames import FILE, LINE, ROW
from .gx_import import ProgressBarsConfig, gx, gxe, pandas_execution_engine
from .results import MAX_EXAMPLES, Finding

# The first pass asks only whether each check passed: its other formats compute, for every
# check, failed or not, the unexpected values, their rows and a query naming them (each a
# filter of the whole frame, and metrics in GX's graph), which findings need only for the
# few checks that fail. Those are run again, alone, in the format their findings read.
FIRST_PASS = {"result_format": "BOOLEAN_ONLY"}
# A failed check of a one-file chunk: its count and first unexpected rows.
RESULT_FORMAT = {
    "result_format": "SUMMARY",
    "unexpected_index_column_names": [FILE, LINE, ROW],
    "partial_unexpected_count": 20,
    "return_unexpected_index_query": False,
}
# A failed check of a chunk of several files: every unexpected row, to name the file of each.
COMPLETE_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": [FILE, LINE, ROW],
    "return_unexpected_index_query": False,
}

Echo = Callable[[str], Any]


class GxRunner:
    """An in-memory (ephemeral) context with one pandas dataframe asset: each chunk is a batch
    of it, validated against a suite made for the chunk. Nothing is stored: the summary and the
    results page are csc's own (a file context wrote every suite, validation definition and
    result to disk, and the assets to its YAML, for nothing to read them)."""

    def __init__(self) -> None:
        # GX fingerprints every batch under HASH_THRESHOLD bytes (a hash of every row) for the
        # metadata of results nothing here reads: 0.27 CPU s of a council's validation, about
        # 23 s at full England size. GX 1.x has no public switch; test_validate checks that a
        # batch has no fingerprint, so an upgrade that renames the constant fails there.
        pandas_execution_engine.HASH_THRESHOLD = 0
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.source = self.context.data_sources.add_pandas("landing")
        self.batches = self.source.add_dataframe_asset("chunk").add_batch_definition_whole_dataframe("frame")

    def run(self, name: str, frame: pd.DataFrame, expectations: list[gxe.Expectation], files: int) -> list:
        """The chunk's outcome of every expectation: a passed check (or one that could not run)
        from the first pass; a failed one from its run again in the format its findings read
        (every unexpected row when the chunk holds several files, to split them by file)."""
        batch = self.batches.get_batch(batch_parameters={"dataframe": frame})
        suite = gx.ExpectationSuite(name=name, expectations=expectations)
        again = COMPLETE_FORMAT if files > 1 else RESULT_FORMAT
        return [
            outcome
            if outcome.success or _raised(outcome) is not None
            else batch.validate(outcome.expectation_config.to_domain_obj(), result_format=again)
            for outcome in batch.validate(suite, result_format=FIRST_PASS).results
        ]

    def release(self) -> None:
        """Forget the dataframes validated so far: GX's execution engine keeps every batch's data
        (the whole extract, at England scale) for the life of the context otherwise, and every
        metric it computed on them (pandas Series of a chunk's rows: 0.7 GB after a 0.25
        England validation, most of the 6.7 GB validation reached at full size)."""
        engine = self.source.get_execution_engine()
        manager = engine.batch_manager
        manager.batch_data_cache.clear()
        manager.reset_batch_cache()
        # GX 1.x has no public way to drop its metric cache (a dict while caching is on);
        # test_validate checks that it is empty after a validation, so an upgrade that renames
        # it fails there, not silently.
        if isinstance(getattr(engine, "_metric_cache", None), dict):
            engine._metric_cache.clear()


# --------------------------------------------------------------------------------------------
# Reading GX results back as findings
# --------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (pd.Timestamp, date)):
        return value.isoformat()
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def _examples(items: list[dict], frame: pd.DataFrame, column: str | None, helper: str | None) -> list[dict]:
    shown = column if column in frame.columns else helper
    out = []
    for item in items:
        line = int(_plain(item.get(LINE)))
        value = frame[shown].iat[int(_plain(item[ROW]))] if shown in frame.columns else item.get(helper)
        out.append({"line": line, "value": _plain(value)})
    return out


def _duplicate_message(note: str, examples: list[dict]) -> str:
    lines: dict[Any, list[int]] = {}
    for e in examples:
        lines.setdefault(e["value"], []).append(e["line"])
    return (
        note
        + ": "
        + "; ".join(f"{v!r} on lines {', '.join(map(str, ls))}" for v, ls in list(lines.items())[:MAX_EXAMPLES])
    )


def _raised(outcome: Any) -> str | None:
    """The exception message when the check could not run, else None."""
    info = outcome.exception_info or {}
    raised = info.get("raised_exception") or any(
        isinstance(v, dict) and v.get("raised_exception") for v in info.values()
    )
    if not raised:
        return None
    return (
        info.get("exception_message")
        or next((v.get("exception_message") for v in info.values() if isinstance(v, dict)), "")
        or ""
    )


Unexpected = tuple[int, list[dict]]  # (count, the first unexpected rows) of one file


def unexpected_by_file(outcome: Any, files: int) -> dict[int, Unexpected] | None:
    """A failed row-level check's unexpected rows per file of the chunk; None when the outcome
    is the same for every file (passed, could not run, or a table-level check). A failed
    check's outcome is GxRunner.run's second one: SUMMARY for one file, COMPLETE for several."""
    result = outcome.result or {}
    listed = "partial_unexpected_index_list" if files == 1 else "unexpected_index_list"
    if outcome.success or _raised(outcome) is not None or listed not in result:
        return None
    if files == 1:
        partial = result.get(listed) or []
        return {0: (int(result.get("unexpected_count") or len(partial)), partial)}
    by_file: dict[int, list[dict]] = {}
    for item in result.get(listed) or []:
        by_file.setdefault(int(_plain(item[FILE])), []).append(item)
    limit = RESULT_FORMAT["partial_unexpected_count"]
    return {f: (len(items), items[:limit]) for f, items in by_file.items()}


def finding_from(outcome: Any, frame: pd.DataFrame, unexpected: Unexpected | None = None) -> Finding | None:
    """One GX expectation result as a finding for one file (None when it passed).
    `unexpected`: the file's own unexpected rows of a failed row-level check."""
    config = outcome.expectation_config
    meta = config.meta or {}
    column = meta.get("source_column")
    severity, check, note = meta["severity"], meta["check"], meta["message"]
    message = _raised(outcome)
    if message is not None:
        return Finding(severity, check, f"{note}: check could not run ({message})", column)
    if outcome.success:
        return None
    if check == "required_column":
        return Finding(severity, check, f"{note} (line 1)", column, examples=[{"line": 1, "value": None}])
    if check == "rows":
        return Finding(severity, check, note, None, count=0)
    if unexpected is None or unexpected[0] == 0:
        return None  # the chunk failed, not this file
    helper = config.kwargs.get("column")
    examples = _examples(unexpected[1], frame, column, helper)
    count = unexpected[0]
    if check == "unique_key":
        return Finding(
            severity,
            check,
            _duplicate_message(f"{count} rows with a {note}", examples),
            column,
            count,
            examples[: 2 * MAX_EXAMPLES],
        )
    return Finding(severity, check, f"{count:,} row(s): {note}", column, count, examples[:MAX_EXAMPLES])
