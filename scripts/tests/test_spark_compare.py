"""The Spark-vs-DuckDB comparison (scripts/dev/spark_compare.py) on hand-made frames: it must
count every kind of difference, and nothing else."""

from __future__ import annotations

import datetime as dt
import decimal
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

_SPEC = importlib.util.spec_from_file_location(
    "spark_compare", Path(__file__).resolve().parents[1] / "dev" / "spark_compare.py"
)
spark_compare = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(spark_compare)
differing_rows = spark_compare.differing_rows


def _frame(**overrides) -> pd.DataFrame:
    base = {
        "la_code": ["878", "878", "879"],
        "kpi_code": ["A", "B", "A"],
        "period_end": pd.to_datetime(["2016-09-30", "2016-09-30", "2016-06-30"]),
        "numerator": [3, 4, None],
        "value": [33.333333333333336, 0.1 + 0.2, np.nan],
        "caveat": [None, "text", None],
    }
    base.update(overrides)
    return pd.DataFrame(base)


def test_identical_frames_in_any_row_order_do_not_differ():
    left = _frame()
    assert differing_rows(left, left.iloc[::-1].reset_index(drop=True))["differing_rows"] == 0


def test_engine_representations_are_normalised():
    """Spark writes decimals, dates as objects and integers as floats where DuckDB has ints."""
    right = _frame(
        period_end=[dt.date(2016, 9, 30), dt.date(2016, 9, 30), dt.date(2016, 6, 30)],
        numerator=[3.0, 4.0, None],
        value=[decimal.Decimal("33.333333333333336"), 0.30000000000000004, None],
    )
    assert differing_rows(_frame(), right)["differing_rows"] == 0


def test_values_within_relative_tolerance_are_equal_and_beyond_it_differ():
    close = _frame(value=[33.333333333333336 * (1 + 1e-12), 0.3, np.nan])
    assert differing_rows(_frame(), close)["differing_rows"] == 0
    far = _frame(value=[33.3333334, 0.3, np.nan])
    result = differing_rows(_frame(), far)
    assert result["differing_rows"] == 1
    assert result["examples"][0]["column"] == "value"


def test_null_differs_from_a_value():
    assert differing_rows(_frame(), _frame(value=[0.0, 0.3, np.nan]))["differing_rows"] == 1
    assert differing_rows(_frame(), _frame(caveat=["", "text", None]))["differing_rows"] == 2


def test_missing_extra_and_duplicated_rows_count_on_each_side():
    left = _frame()
    assert differing_rows(left, left.iloc[:2])["differing_rows"] == 1
    assert differing_rows(left, pd.concat([left, left.iloc[:1]]))["differing_rows"] == 1
    changed_key = _frame(kpi_code=["A", "C", "A"])
    assert differing_rows(left, changed_key)["differing_rows"] == 2  # B only left, C only right


def test_different_columns_make_every_row_differ():
    result = differing_rows(_frame(), _frame().drop(columns=["caveat"]))
    assert result["differing_rows"] == 6
    assert result["columns_only_left"] == ["caveat"]


@pytest.mark.parametrize("flag", [True, False])
def test_booleans_match_across_types(flag):
    left = pd.DataFrame({"k": ["a"], "is_x": [flag]})
    right = pd.DataFrame({"k": ["a"], "is_x": [np.bool_(flag)]})
    assert differing_rows(left, right)["differing_rows"] == 0
