"""Appending to a partitioned catalog table: creation, new columns, missing columns, moved partitions."""

from __future__ import annotations

from pathlib import Path

from pyspark.testing import assertDataFrameEqual

from glue.lib.tables import append_to_table

FIRST = "event_id string, amount int, dt string, hour string"


def test_append_creates_the_table_then_adds_new_columns_and_fills_missing_ones_with_nulls(spark, database, tmp_path):
    table = f"{database}.curated"
    location = str(tmp_path / "curated")

    append_to_table(spark, table, spark.createDataFrame([("e1", 5, "2024-05-01", "07")], FIRST), location, ["dt", "hour"])
    with_country = spark.createDataFrame([("e2", "DE", 7, "2024-05-01", "08")], "event_id string, country string, amount int, dt string, hour string")
    append_to_table(spark, table, with_country, location, ["dt", "hour"])
    all_null_amount_dropped = spark.createDataFrame([("e3", "FR", "2024-05-01", "07")], "event_id string, country string, dt string, hour string")
    append_to_table(spark, table, all_null_amount_dropped, location, ["dt", "hour"])

    expected = spark.createDataFrame(
        [("e1", 5, None, "2024-05-01", "07"), ("e2", 7, "DE", "2024-05-01", "08"), ("e3", None, "FR", "2024-05-01", "07")],
        "event_id string, amount int, country string, dt string, hour string",
    )
    assertDataFrameEqual(spark.table(table), expected, checkRowOrder=False)
    assert sorted(path.name for path in Path(location).iterdir() if path.is_dir()) == ["dt=2024-05-01"]


def test_append_writes_into_a_partition_moved_elsewhere_by_compaction(spark, database, tmp_path):
    table = f"{database}.curated"
    append_to_table(spark, table, spark.createDataFrame([("e1", 5, "2024-05-01", "07")], FIRST), str(tmp_path / "curated"), ["dt", "hour"])
    moved = tmp_path / "compacted" / "run1" / "dt=2024-05-01" / "hour=07"
    moved.mkdir(parents=True)
    spark.sql(f"ALTER TABLE {table} PARTITION (dt='2024-05-01', hour='07') SET LOCATION '{moved}'")

    append_to_table(spark, table, spark.createDataFrame([("e2", 6, "2024-05-01", "07")], FIRST), str(tmp_path / "curated"), ["dt", "hour"])

    assert len(list(moved.glob("*.parquet"))) == 1
    assertDataFrameEqual(spark.table(table).where("event_id = 'e2'"), spark.createDataFrame([("e2", 6, "2024-05-01", "07")], FIRST))
