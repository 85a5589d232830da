"""One local SparkSession for the whole Glue test run (small: 2 cores, 2 shuffle partitions, no UI)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

import numpy

from glue.lib.spark_conf import with_datetime_rebase

# PySpark 3.5's pandas API, which `pyspark.testing` imports, still names `numpy.NaN`; NumPy 2 (needed
# by the pinned pyarrow) removed that alias. Restore it for the tests only.
if not hasattr(numpy, "NaN"):
    numpy.NaN = numpy.nan
os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
os.environ["TZ"] = "UTC"
time.tzset()
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)


def spark_avro_jar() -> str | None:
    """Spark's Avro data source jar for this PySpark version: `SPARK_AVRO_JAR`, else the local Maven repository.

    Fetch it once with `mvn dependency:get -Dartifact=org.apache.spark:spark-avro_2.12:<pyspark version>`.
    """
    import pyspark

    explicit = os.environ.get("SPARK_AVRO_JAR")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    version = pyspark.__version__
    jar = Path.home() / ".m2" / "repository" / "org" / "apache" / "spark" / "spark-avro_2.12" / version / f"spark-avro_2.12-{version}.jar"
    return str(jar) if jar.is_file() else None


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory):
    from pyspark.sql import SparkSession

    warehouse = tmp_path_factory.mktemp("warehouse")
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("streamlake-glue-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.sql.warehouse.dir", str(warehouse))
        # Glue catalog partition columns are strings; do not let Spark guess dates and integers.
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
    )
    builder = with_datetime_rebase(builder)
    jar = spark_avro_jar()
    if jar:
        builder = builder.config("spark.jars", jar)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def avro_jar() -> str | None:
    """The spark-avro jar the session was started with, or None when it is not on this machine."""
    return spark_avro_jar()


@pytest.fixture
def database(spark, request):
    """A fresh catalog database for one test (the session's in-memory catalog stands in for Glue's)."""
    name = "db_" + "".join(char if char.isalnum() else "_" for char in request.node.name)[:60].lower()
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {name}")
    yield name
    spark.sql(f"DROP DATABASE IF EXISTS {name} CASCADE")
