"""child_key on Spark is the same HMAC-SHA-256 as on DuckDB: macros/cross_db/keyed_hash.sql,
compiled by dbt for the spark target and run on a local Spark session, against Python's hmac
module (the outside referee) on the (id, key) pairs the DuckDB test uses: 320 of them, with
unicode, blanks, quotes, separators, keys shorter than, exactly and longer than the 64-byte
block. The key reaches Spark as a session variable (csc.spark), never in the compiled SQL.

Needs the `spark` extra and Java (make install-spark); run by make test-spark, skipped without.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("dbt.adapters.spark")
if shutil.which("java") is None:  # pragma: no cover
    pytest.skip("Spark needs Java", allow_module_level=True)

pytestmark = pytest.mark.slow

_SPEC = importlib.util.spec_from_file_location(
    "duckdb_keyed_hash", Path(__file__).resolve().parent / "adversarial" / "test_input_keyed_hash.py"
)
_duckdb_test = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_duckdb_test)
IDS, KEYS, referee = _duckdb_test.IDS, _duckdb_test.KEYS, _duckdb_test._referee


@pytest.fixture(scope="module")
def spark_and_sql(tmp_path_factory):
    """A local Spark session (csc.spark's settings) and child_key as dbt compiles it for Spark."""
    from dbt.cli.main import dbtRunner

    from csc import spark as csc_spark
    from csc.build import dbt_args, dbt_env

    root = tmp_path_factory.mktemp("spark_keyed_hash")
    secret = "compile-time-key-that-must-not-appear"
    with pytest.MonkeyPatch.context() as mp:
        for k, v in {**dbt_env(), "CSC_SPARK_DIR": str(root / "spark"), "CSC_PSEUDONYM_KEY": secret}.items():
            mp.setenv(k, v)
        session = csc_spark.session(fresh=True)
        csc_spark.set_pseudonym_key(session)
        result = dbtRunner().invoke(
            dbt_args(
                "compile",
                "--target",
                "spark",
                "--inline",
                "select {{ child_key('la_code', 'person_id') }} as child_key from ids",
                "--target-path",
                str(root / "target"),
                "--log-path",
                str(root / "logs"),
                "--quiet",
            )
        )
    assert result.success, result.exception
    sql = result.result.results[0].node.compiled_code
    assert secret not in sql and "session.csc_pseudonym_key" in sql
    for folder in (root / "target", root / "logs"):
        for path in folder.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path
    rows = [(la, pid) for la in ("878", "879") for pid in IDS]
    session.createDataFrame(rows, "la_code string, person_id string").createOrReplaceTempView("ids")
    return session, "select la_code, person_id, " + sql.strip()[len("select") :]


def _set_key(session, key: str) -> None:
    session.sql("set var csc_pseudonym_key = :key", args={"key": key})


def test_child_key_on_spark_is_hmac_sha256_as_python_computes_it(spark_and_sql):
    session, sql = spark_and_sql
    checked = 0
    for key in KEYS:
        _set_key(session, key)
        for la_code, person_id, child_key in session.sql(sql).collect():
            assert child_key == referee(key, la_code, person_id), (key, person_id)
            checked += 1
    assert checked == len(KEYS) * len(IDS) * 2 == 320


def test_a_null_person_gives_a_null_key_and_an_empty_key_an_error(spark_and_sql):
    session, sql = spark_and_sql
    _set_key(session, "k")
    nulls = session.sql(sql.replace("from ids", "from (select '878' as la_code, cast(null as string) as person_id)"))
    assert [r.child_key for r in nulls.collect()] == [None]
    _set_key(session, "")
    with pytest.raises(Exception, match="csc_pseudonym_key is not set"):
        session.sql(sql).collect()
