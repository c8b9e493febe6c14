"""The warehouse on Spark: a local Spark session, the landing folder loaded as raw.<table>,
the pseudonymisation key as a session variable, and dbt run in the same process.

dbt-spark's `method: session` runs every statement on the process's active SparkSession, so
this module creates that session first (its settings live here, nowhere else), loads the
landing folder through the same reader and contract as DuckDB (csc.landing, csc.contract:
all text, la_code, file and line kept), declares the key, then invokes dbt with
`--target spark`. Everything from base_ssd__* on is the same dbt project.

The key is bound as a parameter of `set var`, so it is in no SQL text, dbt log or artifact;
the models read it as `session.csc_pseudonym_key` (macros/cross_db/keyed_hash.sql).

    python -m csc.spark build [dbt arguments...]     # a fresh warehouse: load, dbt build
    python -m csc.spark dbt COMMAND [arguments...]   # dbt on the warehouse already loaded
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from .contract import load_contract
from .paths import REPO_ROOT, landing_dir, target_dir

# Contract tables are raw.<table>, as are the landing inventory and reporting dates (as on DuckDB).
RAW_SCHEMA = "raw"
KEY_VARIABLE = "csc_pseudonym_key"


def spark_dir() -> Path:
    """The local Spark warehouse and metastore ($CSC_SPARK_DIR, default target/spark)."""
    return Path(os.environ.get("CSC_SPARK_DIR", target_dir() / "spark"))


def session_settings(root: Path) -> dict[str, str]:
    """Settings of the local session: small shuffles for a laptop-sized extract, no UI, UTC."""
    return {
        "spark.master": os.environ.get("CSC_SPARK_MASTER", "local[2]"),
        "spark.driver.memory": os.environ.get("CSC_SPARK_DRIVER_MEMORY", "3g"),
        "spark.sql.warehouse.dir": str(root / "warehouse"),
        # The metastore is local and rebuilt by every `build`: Derby need not sync each of the
        # thousands of small catalogue writes to disk.
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={root / 'derby'} -Dderby.system.durability=test",
        "spark.sql.catalogImplementation": "hive",
        "spark.sql.shuffle.partitions": "2",
        "spark.sql.adaptive.enabled": "true",
        "spark.sql.session.timeZone": "UTC",
        # dbt-spark turns ANSI mode off on every session it uses; the loader agrees with it.
        "spark.sql.ansi.enabled": "false",
        # DuckDB's json_valid accepts an object with a key twice; try_parse_json then agrees.
        "spark.sql.variant.allowDuplicateKeys": "true",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.eventLog.enabled": "false",
    }


def session(fresh: bool = False):
    """The process's SparkSession (dbt-spark's session method picks up this one)."""
    from pyspark.sql import SparkSession

    root = spark_dir()
    if fresh and root.exists():
        shutil.rmtree(root)
    (root / "derby").mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder.appName("csc-warehouse")
    for key, value in session_settings(root).items():
        builder = builder.config(key, value)
    spark = builder.enableHiveSupport().getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    _quiet_query_errors()
    return spark


def _quiet_query_errors() -> None:
    """PySpark logs every failed statement with the JVM stack; dbt reports the error itself."""
    from pyspark.logger import PySparkLogger

    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).disabled = True


def _write(spark, arrow_table, name: str) -> int:
    df = spark.createDataFrame(arrow_table)
    df.write.mode("overwrite").format("parquet").saveAsTable(f"{RAW_SCHEMA}.{name}")
    return arrow_table.num_rows


def load_landing(spark, root: Path | None = None) -> dict[str, int]:
    """raw.<table> for every contract table, raw.landing_files and raw.reporting_dates, read
    as DuckDB's landing plugin reads them (csc.dbt_plugin.source_table)."""
    from .dbt_plugin import EXTRA_SOURCE_TABLES, source_table

    spark.sql(f"create database if not exists {RAW_SCHEMA}")
    return {name: _write(spark, source_table(name, root), name) for name in (*load_contract(), *EXTRA_SOURCE_TABLES)}


def set_pseudonym_key(spark) -> None:
    """The key as a session variable, bound as a parameter: never in any SQL text."""
    from .dbt_plugin import pseudonym_key

    spark.sql(f"declare or replace variable {KEY_VARIABLE} string")
    spark.sql(f"set var {KEY_VARIABLE} = :key", args={"key": pseudonym_key()})


def dbt_spark(command: str, *extra: str) -> bool:
    """dbt on the Spark target, in this process (so on this session); True when all passed."""
    from dbt.cli.main import dbtRunner

    from .build import dbt_args, dbt_env

    os.environ.update({k: v for k, v in dbt_env().items() if k not in os.environ})
    result = dbtRunner().invoke(dbt_args(command, "--target", "spark", *extra))
    return bool(result.success)


def build(*dbt_extra: str, root: Path | None = None) -> bool:
    """A fresh local Spark warehouse from the landing folder: load, key, dbt build."""
    spark = session(fresh=True)
    counts = load_landing(spark, root)
    print(f"raw: {sum(counts.values())} rows in {len(counts)} tables from {root or landing_dir()}")
    set_pseudonym_key(spark)
    return dbt_spark("build", *dbt_extra)


def run_dbt(command: str, *dbt_extra: str) -> bool:
    """Any dbt command on the warehouse a previous build loaded (the key set again)."""
    set_pseudonym_key(session())
    return dbt_spark(command, *dbt_extra)


def main(argv: list[str]) -> int:
    from .paths import ProfilesDirError, profiles_dir

    try:  # a relative $DBT_PROFILES_DIR is the caller's, so read it before moving to the repository
        os.environ["DBT_PROFILES_DIR"] = str(profiles_dir())
    except ProfilesDirError as exc:
        print(f"csc.spark: {exc}", file=sys.stderr)
        return 2
    os.chdir(REPO_ROOT)
    if argv[:1] == ["build"]:
        return 0 if build(*argv[1:]) else 1
    if argv[:1] == ["dbt"] and len(argv) > 1:
        return 0 if run_dbt(*argv[1:]) else 1
    print("\n".join(__doc__.strip().splitlines()[-2:]), file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
