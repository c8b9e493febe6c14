"""The same extract written with ISO dates, SQL Server datetimes and UK dates, in UTF-8,
UTF-8 with a BOM and Windows-1252, stages to identical tables."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from conftest import MINIMAL_EXTRACT, write_table

from csc.build import dbt_run
from csc.contract import load_contract
from csc.dbt_plugin import pseudonym_key

ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")

VARIANTS = {
    "iso_utf8": (lambda d: d.group(0), "utf-8"),
    "sqlserver_bom": (lambda d: f"{d.group(0)} 00:00:00.000", "utf-8-sig"),
    "uk_cp1252": (lambda d: f"{d.group(3)}/{d.group(2)}/{d.group(1)}", "cp1252"),
}


def _write_variant(landing: Path, date_format, encoding: str) -> None:
    for table, text in MINIMAL_EXTRACT.items():
        text = ISO_DATE.sub(date_format, text).replace("Individual", "Individual – café")
        write_table(landing, table, text, encoding=encoding)


def _staged(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    con.execute("set variable csc_pseudonym_key = ?", [pseudonym_key()])
    tables = {}
    for name in load_contract():
        stg = "stg_ssd__" + name.removeprefix("ssd_")
        tables[stg] = con.sql(f"select * from staging.{stg} order by all").fetchall()
    con.close()
    return tables


@pytest.mark.slow
def test_formats_and_encodings_stage_identically(tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_PSEUDONYM_KEY", "test-key-formats")
    staged = {}
    for name, (date_format, encoding) in VARIANTS.items():
        landing = tmp_path / name / "landing"
        _write_variant(landing, date_format, encoding)
        db = tmp_path / name / "csc.duckdb"
        monkeypatch.setenv("CSC_LANDING_DIR", str(landing))
        monkeypatch.setenv("CSC_DUCKDB_PATH", str(db))
        # staging reads the ref_value_maps seed, so seeds and staging models, no tests
        assert dbt_run("build", "--select", "+path:models/staging", "--exclude-resource-type", "test"), (
            f"staging failed for {name}"
        )
        staged[name] = _staged(db)

    reference = staged["iso_utf8"]
    assert reference["stg_ssd__cin_episodes"], "the extract staged no referrals"
    assert any("café" in str(row) for row in reference["stg_ssd__cin_episodes"])
    for name, tables in staged.items():
        for table, rows in reference.items():
            assert tables[table] == rows, f"{name}: {table} differs from the ISO/UTF-8 extract"
