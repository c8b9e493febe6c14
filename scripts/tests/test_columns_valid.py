"""The generic test columns_valid (macros/tests/columns_valid.sql): a model's not_null, unique,
accepted_values, unique_combinations and expressions checks in one dbt test node. It must fail
exactly where the single tests fail (a null; a non-null value twice; a non-null value outside the
list; a combination twice, nulls included; a row where the expression is not true, among the rows
of its where_clause), say which column or expression broke which rule, and pass on an empty table. Built with dbt on a tiny project of hand-made rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
MACRO = REPO / "macros" / "tests" / "columns_valid.sql"

# id: unique; code: not_null; kind: accepted [x, y, it's]; n: accepted [1, 2] (numbers unquoted);
# (code, n) and (kind, n): unique combinations; n >= 1 (a null n fails); n < 2 where kind is 'y'
ROWS = {
    # nulls where only not_null would object, a repeated null id: nothing fails
    "good": "(1, 'a', 'x', 1), (2, 'b', null, 2), (null, 'c', 'it''s', 1), (null, 'd', 'y', 1)",
    "bad_null": "(1, 'a', 'x', 1), (2, null, 'y', 1)",
    "bad_duplicate": "(1, 'a', 'x', 1), (1, 'b', 'y', 1)",
    "bad_value": "(1, 'a', 'X', 1), (2, 'b', 'x', 3)",
    # (a, 1) twice
    "bad_combination": "(1, 'a', 'x', 1), (2, 'a', 'y', 1)",
    # (null, 1) twice: a null is a value here, as in unique_combination_of_columns
    "bad_null_combination": "(1, 'a', null, 1), (2, 'b', null, 1)",
    # a null n fails n >= 1 (null is not true); n = 2 fails n < 2 only where kind is 'y'
    "bad_expression": "(1, 'a', 'x', 2), (3, 'c', 'it''s', null), (4, 'd', 'y', 2)",
    "bad_all": "(1, null, 'z', 1), (1, null, 'z', 9), (2, 'c', 'x', 2), (2, 'd', 'x', 1), (2, 'e', 'x', 1)",
}
CHECKS = {
    "not_null": ["code"],
    "unique": ["id"],
    "accepted_values": {"kind": ["x", "y", "it's"], "n": [1, 2]},
    "unique_combinations": [["code", "n"], ["kind", "n"]],
    "expressions": ["n >= 1", {"expression": "n < 2", "where_clause": "kind = 'y'"}],
}


def _model(rows: str | None) -> str:
    columns = "select * from (values {}) as t (id, code, kind, n)"
    if rows is None:  # empty, with the same column types
        return columns.format("(1, 'a', 'x', 1)") + " where false"
    return columns.format(rows)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """dbt build of a project whose models each carry columns_valid tests; (run results, db)."""
    from dbt.cli.main import dbtRunner

    from csc.build import release_duckdb

    root = tmp_path_factory.mktemp("columns_valid")
    (root / "macros").mkdir()
    shutil.copy(MACRO, root / "macros" / MACRO.name)
    (root / "models").mkdir()
    models = {**ROWS, "empty": None}
    tests = []
    for name, rows in models.items():
        (root / "models" / f"{name}.sql").write_text(_model(rows))
        data_tests = [{"columns_valid": {"name": f"{name}__all", "arguments": CHECKS}}]
        for check, argument in CHECKS.items():
            data_tests.append({"columns_valid": {"name": f"{name}__{check}", "arguments": {check: argument}}})
        tests.append({"name": name, "data_tests": data_tests})
    (root / "models" / "_models.yml").write_text(yaml.safe_dump({"version": 2, "models": tests}))
    (root / "dbt_project.yml").write_text(
        "name: columns_valid_check\nversion: '1.0'\nconfig-version: 2\nprofile: columns_valid_check\n"
        "models:\n  columns_valid_check:\n    +materialized: table\n"
    )
    db = root / "check.duckdb"
    (root / "profiles.yml").write_text(
        "columns_valid_check:\n  target: dev\n  outputs:\n    dev:\n"
        f"      type: duckdb\n      path: '{db}'\n      threads: 1\n"
    )
    try:
        result = dbtRunner().invoke(
            [
                "build",
                "--project-dir",
                str(root),
                "--profiles-dir",
                str(root),
                "--target-path",
                str(root / "target"),
                "--log-path",
                str(root / "logs"),
                "--quiet",
            ]
        )
    finally:
        release_duckdb()
    assert result.result is not None, result.exception
    statuses = {r.node.name: (str(r.status), r.failures) for r in result.result.results}
    sql = {r.node.name: r.node.compiled_code for r in result.result.results if r.node.resource_type == "test"}
    return statuses, sql, db


@pytest.mark.parametrize("check", ["all", *CHECKS])
def test_passes_on_good_rows_and_on_an_empty_table(built, check):
    statuses, _, _ = built
    assert statuses[f"good__{check}"] == ("pass", 0)
    assert statuses[f"empty__{check}"] == ("pass", 0)


@pytest.mark.parametrize(
    "model, check",
    [
        ("bad_null", "not_null"),
        ("bad_duplicate", "unique"),
        ("bad_value", "accepted_values"),
        ("bad_combination", "unique_combinations"),
        ("bad_null_combination", "unique_combinations"),
        ("bad_expression", "expressions"),
    ],
)
def test_each_argument_fails_on_its_own_fault_and_only_there(built, model, check):
    statuses, _, _ = built
    assert statuses[f"{model}__{check}"][0] == "fail"
    assert statuses[f"{model}__all"][0] == "fail"
    for other in CHECKS:
        if other != check:
            assert statuses[f"{model}__{other}"] == ("pass", 0), other


def test_a_failure_names_the_check_the_column_and_the_value(built):
    _, sql, db = built
    with duckdb.connect(str(db), read_only=True) as con:
        rows = sorted(con.execute(sql["bad_all__all"]).fetchall(), key=str)
        value_rows = sorted(con.execute(sql["bad_value__accepted_values"]).fetchall(), key=str)
        expression_rows = sorted(con.execute(sql["bad_expression__all"]).fetchall(), key=str)
    assert rows == sorted(
        [
            ("accepted_values", "kind", "z", 2),
            ("accepted_values", "n", "9", 1),
            ("not_null", "code", None, 2),
            ("unique", "id", "1", 2),
            ("unique", "id", "2", 3),
            ("unique_combination", "kind, n", "x|1", 2),
        ],
        key=str,
    )
    assert expression_rows == [("expression", "n < 2", None, 1), ("expression", "n >= 1", None, 1)]
    # case matters, as in dbt's accepted_values: 'X' is not 'x'
    assert value_rows == sorted([("accepted_values", "kind", "X", 1), ("accepted_values", "n", "3", 1)], key=str)


def _column_tests(path: Path):
    """(model, column, test) for every column-level data test in a YAML file of models."""
    for model in (yaml.safe_load(path.read_text()) or {}).get("models") or []:
        for column in model.get("columns") or []:
            for test in column.get("data_tests") or column.get("tests") or []:
                yield model["name"], column["name"], test


def test_plain_column_checks_are_folded_into_columns_valid():
    """The convention (CONTRIBUTING.md, Tests): a model's not_null, unique and accepted_values
    checks without a config go in its one columns_valid test, not one test node per column."""
    loose = []
    for path in sorted((REPO / "models").rglob("*.yml")):
        for model, column, test in _column_tests(path):
            name, body = (test, {}) if isinstance(test, str) else next(iter(test.items()))
            if name in ("not_null", "unique", "accepted_values") and not (body or {}).get("config"):
                loose.append(f"{path.relative_to(REPO)}: {model}.{column} {name}")
    assert loose == [], "fold these into the model's columns_valid test:\n" + "\n".join(loose)


def test_model_level_combination_and_expression_checks_are_folded_into_columns_valid():
    """The same convention for a model's unique_combination_of_columns and expression_is_true
    tests without a config: unique_combinations and expressions of its columns_valid test."""
    loose = []
    for path in sorted((REPO / "models").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models") or []:
            for test in model.get("data_tests") or model.get("tests") or []:
                name, body = (test, {}) if isinstance(test, str) else next(iter(test.items()))
                if name in ("unique_combination_of_columns", "expression_is_true") and not (body or {}).get("config"):
                    loose.append(f"{path.relative_to(REPO)}: {model['name']} {name}")
    assert loose == [], "fold these into the model's columns_valid test:\n" + "\n".join(loose)
