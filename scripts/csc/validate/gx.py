"""Great Expectations: a file context rebuilt every run, Data Docs on the local disk, and its
results read back as findings."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import great_expectations as gx
import great_expectations.expectations as gxe
import numpy as np
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

from .frames import FILE, LINE, ROW
from .results import MAX_EXAMPLES, Finding

RESULT_FORMAT = {
    "result_format": "SUMMARY",
    "unexpected_index_column_names": [FILE, LINE, ROW],
    "partial_unexpected_count": 20,
}
# A failed check of a chunk of several files, run again to name the file of every unexpected row
# (never stored: Data Docs show the SUMMARY above).
COMPLETE_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": [FILE, LINE, ROW],
    "return_unexpected_index_query": False,
}

Echo = Callable[[str], Any]


class GxRunner:
    """One pandas data source; a dataframe asset, suite and validation definition per file."""

    def __init__(self, gx_dir: Path, docs_dir: Path) -> None:
        for d in (gx_dir, docs_dir):
            shutil.rmtree(d, ignore_errors=True)
        gx_dir.mkdir(parents=True)
        self.docs_dir = docs_dir
        self.context = gx.get_context(mode="file", context_root_dir=str(gx_dir))
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        for site in list(self.context.get_site_names()):
            self.context.delete_data_docs_site(site)
        self.context.add_data_docs_site(
            "csc",
            {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir.resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        self.source = self.context.data_sources.add_pandas("landing")
        self._names: set[str] = set()

    def _unique(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self._names:
            n += 1
            candidate = f"{name}_{n}"
        self._names.add(candidate)
        return candidate

    def run(self, name: str, frame: pd.DataFrame, expectations: list[gxe.Expectation]):
        name = self._unique(name)
        batch = self.source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("file")
        suite = self.context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        return definition.run(batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT)

    def rerun_complete(self, name: str, frame: pd.DataFrame, config: Any) -> dict:
        """One expectation of run `name` again, with every unexpected row listed (not stored)."""
        batch = (
            self.source.get_asset(name).get_batch_definition("file").get_batch(batch_parameters={"dataframe": frame})
        )
        outcome = batch.validate(config.to_domain_obj(), result_format=COMPLETE_FORMAT)
        return outcome.result or {}

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

    def build_docs(self) -> Path | None:
        self.context.build_data_docs()
        index = self.docs_dir / "index.html"
        return index if index.exists() else None


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


def unexpected_by_file(outcome: Any, files: int, rerun: Callable[[Any], dict]) -> dict[int, Unexpected] | None:
    """A failed row-level check's unexpected rows per file of the chunk; None when the outcome
    is the same for every file (passed, could not run, or a table-level check)."""
    result = outcome.result or {}
    if outcome.success or _raised(outcome) is not None or "partial_unexpected_index_list" not in result:
        return None
    partial = result.get("partial_unexpected_index_list") or []
    if files == 1:
        return {0: (int(result.get("unexpected_count") or len(partial)), partial)}
    by_file: dict[int, list[dict]] = {}
    for item in rerun(outcome.expectation_config).get("unexpected_index_list") or []:
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
