"""Appending a DataFrame to a partitioned catalog table whose schema may lag behind it.

Spark SQL writes through the catalog (the Glue Data Catalog in Glue, `--enable-glue-datacatalog`):
rows for an existing partition go to that partition's current location, even after compaction
moved it, and new partitions are registered as they are written. Columns new to the table are
added to it first; table columns absent from the frame (e.g. dropped as all-null) are written null.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StructType


def ensure_table(spark: SparkSession, table: str, frame: DataFrame, location: str, partition_keys: Sequence[str]) -> bool:
    """Create `table` as Parquet at `location` with the frame's schema unless it exists; True if created."""
    if spark.catalog.tableExists(table):
        return False
    (frame.limit(0).write.format("parquet").partitionBy(*partition_keys).option("path", location).saveAsTable(table))
    return True


def new_columns(frame: DataFrame, table_schema: StructType) -> list[str]:
    """`name type` DDL for the frame's columns the table lacks, in frame order."""
    known = {name.lower() for name in table_schema.names}
    return [f"`{field.name}` {field.dataType.simpleString()}" for field in frame.schema.fields if field.name.lower() not in known]


def align_to_table(frame: DataFrame, table_schema: StructType) -> DataFrame:
    """The frame's columns in table order; table columns missing from the frame are typed nulls."""
    present = {name.lower(): name for name in frame.columns}
    columns = [
        F.col(f"`{present[field.name.lower()]}`").alias(field.name)
        if field.name.lower() in present
        else F.lit(None).cast(field.dataType).alias(field.name)
        for field in table_schema.fields
    ]
    return frame.select(*columns)


def append_to_table(spark: SparkSession, table: str, frame: DataFrame, location: str, partition_keys: Sequence[str]) -> None:
    """Append `frame` to the partitioned table `table`, creating it or adding columns as needed."""
    ensure_table(spark, table, frame, location, partition_keys)
    added = new_columns(frame, spark.table(table).schema)
    if added:
        spark.sql(f"ALTER TABLE {table} ADD COLUMNS ({', '.join(added)})")
        spark.catalog.refreshTable(table)
    # A table defined in the catalog (not by Spark) is a Hive table: allow all-dynamic partitions.
    spark.conf.set("hive.exec.dynamic.partition", "true")
    spark.conf.set("hive.exec.dynamic.partition.mode", "nonstrict")
    align_to_table(frame, spark.table(table).schema).write.insertInto(table)
