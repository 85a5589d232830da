"""Readers for the formats the lake takes in (CSV, JSON, Avro, Parquet) and the Parquet writer.

Malformed input fails the read (`mode=FAILFAST`) instead of turning into rows of nulls: a silent
drop is the worst bug in a lake. Avro needs Spark's avro data source (`org.apache.spark:spark-avro_2.12`
of the Spark version); where it is not on the classpath (add its jar with `spark.jars`, or
`--extra-jars` in Glue) the reader raises FormatUnavailableError saying so.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.errors import AnalysisException
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import StructType

from glue.lib.errors import ConfigError, FormatUnavailableError

SUPPORTED_FORMATS = ("csv", "json", "avro", "parquet")


def read_dataset(spark: SparkSession, path: str | Sequence[str], fmt: str, schema: StructType | None = None) -> DataFrame:
    """Read `path` (a file, a directory or several paths) in format `fmt` into a DataFrame.

    CSV: a header line is required; with a `schema` the header names must match it (no silent
    reordering); without one every column is a string. JSON: one object per line. Parquet and Avro
    carry their own schema; a `schema` given here overrides it.

    >>> users = read_dataset(spark, "s3://lake/dimensions/users/", "csv")  # doctest: +SKIP
    """
    fmt = fmt.lower()
    if fmt not in SUPPORTED_FORMATS:
        raise ConfigError("format", f"{fmt!r} is not one of {', '.join(SUPPORTED_FORMATS)}")
    paths = [path] if isinstance(path, str) else list(path)
    reader = spark.read
    if schema is not None:
        reader = reader.schema(schema)
    if fmt == "csv":
        reader = reader.option("header", "true").option("mode", "FAILFAST")
        if schema is not None:
            reader = reader.option("enforceSchema", "false")
        return reader.csv(paths)
    if fmt == "json":
        return reader.option("mode", "FAILFAST").json(paths)
    if fmt == "parquet":
        return reader.parquet(*paths)
    try:
        return reader.format("avro").load(paths)
    except AnalysisException as error:
        if "avro" in str(error).lower() and "data source" in str(error).lower():
            raise FormatUnavailableError("avro", "add org.apache.spark:spark-avro_2.12 to spark.jars") from error
        raise


def write_parquet(frame: DataFrame, path: str, partition_keys: Sequence[str] = (), mode: str = "append") -> None:
    """Write `frame` as Parquet under `path`, Hive-partitioned by `partition_keys` (`key=value/` folders)."""
    writer = frame.write.mode(mode)
    if partition_keys:
        writer = writer.partitionBy(*partition_keys)
    writer.parquet(path)
