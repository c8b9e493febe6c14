"""The project's table and view materializations for DuckDB (macros/materializations/): one
`create or replace` in dbt's transaction instead of dbt-duckdb's create, rename and drop. A model
that fails leaves the previous table or view of its name as it was (the transaction rolls back),
a relation of the other type is replaced, hooks run inside and outside the transaction, dbt's
relation cache knows the new type, and the run file is the lean statement. Built with dbt, twice,
on a tiny project of hand-made models."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
MATERIALIZATIONS = REPO / "macros" / "materializations"

HOOKS = (
    "{{ config(pre_hook=\"create or replace table hook_log as select 'pre' as step\", post_hook=["
    "\"insert into hook_log values ('post inside')\","
    " {'sql': \"insert into hook_log values ('post outside')\", 'transaction': false}]) }}"
)
# A failure while rows are written, not when the SQL is bound: the create has begun.
FAILS_AT_ROW_2 = "select case when id = 2 then error('planted failure') else id end as id from range(3) as t (id)"
# The relation dbt's cache holds for to_view while a later model of the same run compiles.
CACHE_PROBE = (
    "select '{{ adapter.get_relation(database=this.database, schema=this.schema, identifier='to_view').type"
    " if execute else '' }}' as cached_type, id from {{ ref('to_view') }}"
)

FIRST = {
    "kept_table": ("table", "select id from range(3) as t (id)"),
    "kept_view": ("view", "select 1 as id"),
    "to_table": ("view", "select 1 as id"),
    "to_view": ("table", "select 2 as id"),
    "failed_switch": ("view", "select 3 as id"),
    "contracted": ("table", "select 4 as id"),
    "hooked": ("table", HOOKS + "\nselect 1 as id"),
}
SECOND = {
    **FIRST,
    "kept_table": ("table", FAILS_AT_ROW_2),
    "kept_view": ("view", "select no_such_column"),
    "to_table": ("table", "select 10 as id"),
    "to_view": ("view", "select 20 as id"),
    "failed_switch": ("table", FAILS_AT_ROW_2),
    "contracted": ("table", "select 5 as id"),
    "cache_probe": ("table", CACHE_PROBE),
}
CONTRACT = (
    "version: 2\nmodels:\n  - name: contracted\n    config:\n      contract: {enforced: true}\n"
    "    columns:\n      - name: id\n        data_type: integer\n"
    "        constraints: [{type: not_null}, {type: primary_key}]\n"
)


def _build(root: Path, models: dict[str, tuple[str, str]]) -> dict[str, str]:
    from dbt.cli.main import dbtRunner

    from csc.build import release_duckdb

    shutil.rmtree(root / "models", ignore_errors=True)
    (root / "models").mkdir()
    for name, (materialized, sql) in models.items():
        (root / "models" / f"{name}.sql").write_text(f"{{{{ config(materialized='{materialized}') }}}}\n{sql}\n")
    (root / "models" / "_models.yml").write_text(CONTRACT)
    args = ["build", "--project-dir", str(root), "--profiles-dir", str(root), "--target-path", str(root / "target")]
    try:
        result = dbtRunner().invoke([*args, "--log-path", str(root / "logs"), "--quiet"])
    finally:
        release_duckdb()
    assert result.result is not None, result.exception
    return {r.node.name: str(r.status) for r in result.result.results}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The project built once, then again with failing and type-switching models:
    (statuses of the second build, the build file, the project folder)."""
    root = tmp_path_factory.mktemp("materializations")
    shutil.copytree(MATERIALIZATIONS, root / "macros" / "materializations")
    (root / "dbt_project.yml").write_text(
        "name: materializations_check\nversion: '1.0'\nconfig-version: 2\nprofile: materializations_check\n"
    )
    db = root / "check.duckdb"
    (root / "profiles.yml").write_text(
        "materializations_check:\n  target: dev\n  outputs:\n    dev:\n"
        f"      type: duckdb\n      path: '{db}'\n      threads: 1\n"
    )
    first = _build(root, FIRST)
    assert set(first.values()) == {"success"}, first
    return _build(root, SECOND), db, root


def _relations(db: Path) -> dict[str, tuple[str, list]]:
    """Every relation of the build file: its type and its rows."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = con.execute("select table_name, table_type from information_schema.tables").fetchall()
        return {n: (t, sorted(con.execute(f'select * from "{n}"').fetchall())) for n, t in names}


def test_a_failing_model_leaves_the_previous_relation_as_it_was(built):
    statuses, db, _ = built
    relations = _relations(db)
    assert statuses["kept_table"] == statuses["kept_view"] == statuses["failed_switch"] == "error"
    assert relations["kept_table"] == ("BASE TABLE", [(0,), (1,), (2,)])
    assert relations["kept_view"] == ("VIEW", [(1,)])
    # The view was dropped for the table in the same transaction: the rollback restores it.
    assert relations["failed_switch"] == ("VIEW", [(3,)])


def test_a_relation_of_the_other_type_is_replaced_and_the_cache_knows(built):
    statuses, db, _ = built
    relations = _relations(db)
    assert statuses["to_table"] == statuses["to_view"] == statuses["cache_probe"] == "success"
    assert relations["to_table"] == ("BASE TABLE", [(10,)])
    assert relations["to_view"] == ("VIEW", [(20,)])
    assert relations["cache_probe"] == ("BASE TABLE", [("view", 20)])


def test_contracts_and_hooks(built):
    statuses, db, _ = built
    relations = _relations(db)
    assert statuses["contracted"] == statuses["hooked"] == "success"
    assert relations["contracted"] == ("BASE TABLE", [(5,)])
    assert relations["hook_log"][1] == [("post inside",), ("post outside",), ("pre",)]
    with duckdb.connect(str(db), read_only=True) as con:
        keys = con.execute(
            "select constraint_type from duckdb_constraints() where table_name = 'contracted'"
        ).fetchall()
    assert ("PRIMARY KEY",) in keys
    assert not [n for n in relations if "__dbt_" in n]  # no intermediate or backup relation left


@pytest.mark.parametrize(
    "model, statement",
    [
        ("to_table", "create or replace table"),
        ("contracted", "create or replace table"),
        ("to_view", "create or replace view"),
    ],
)
def test_the_run_file_is_one_create_or_replace(built, model, statement):
    _, _, root = built
    sql = (root / "target" / "run" / "materializations_check" / "models" / f"{model}.sql").read_text().lower()
    assert statement in sql
    assert sql.count("create ") == 1
    assert "__dbt_tmp" not in sql and "rename" not in sql
