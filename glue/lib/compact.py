"""Compaction: many small Parquet files of a partition -> a few large ones, rows unchanged.

Readers are never shown a half-done partition: the compacted copy is written to a new location,
checked against its source, and only then does the catalog partition point at it (one catalog
update). The old files stay until `manifest.retire_compacted` deletes them after a grace period,
so queries that listed them before the swap still finish.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import MapType

from glue.lib.errors import CompactionMismatchError, ConcurrentWriteError, ConfigError
from glue.lib.storage import delete_paths, list_data_files

_SAFE_VALUE = re.compile(r"^[A-Za-z0-9_.:-]+$")


@dataclass(frozen=True)
class PartitionCompaction:
    """What compacting one partition did: where its rows were and are, and how many there are."""

    values: Mapping[str, str]
    old_location: str
    old_files: tuple[str, ...]
    new_location: str
    rows: int
    files_after: int


def partition_path(values: Mapping[str, str]) -> str:
    """`{"dt": "2024-05-01", "hour": "07"}` -> `dt=2024-05-01/hour=07` (values checked, no quoting needed)."""
    for name, value in values.items():
        if not _SAFE_VALUE.match(value):
            raise ConfigError(name, f"partition value {value!r} has characters outside [A-Za-z0-9_.:-]")
    return "/".join(f"{name}={value}" for name, value in values.items())


def select_partitions(
    partitions: list[Mapping[str, str]], now: datetime, settle_hours: int, lookback_hours: int
) -> list[Mapping[str, str]]:
    """The `dt`/`hour` partitions whose hour ended `settle_hours` ago at least, within `lookback_hours`.

    Late records keep arriving for an event-time hour after it ends; waiting lets them land first.
    """
    chosen = []
    for values in partitions:
        start = datetime.strptime(f"{values['dt']} {values['hour']}", "%Y-%m-%d %H").replace(tzinfo=timezone.utc)
        if now - timedelta(hours=lookback_hours) <= start and start + timedelta(hours=1 + settle_hours) <= now:
            chosen.append(values)
    return sorted(chosen, key=lambda values: (values["dt"], values["hour"]))


def rows_match(before: DataFrame, after: DataFrame) -> bool:
    """True when both frames hold the same multiset of rows (duplicates counted), in any order."""
    left, right = _comparable(before), _comparable(after.select(*before.columns))
    return left.exceptAll(right).isEmpty() and right.exceptAll(left).isEmpty()


def compact_files(spark: SparkSession, files: list[str], target: str, target_files: int = 1, verify: str = "multiset") -> int:
    """Rewrite `files` as `target_files` Parquet files at the new location `target`; returns the row count.

    Files whose schemas differ (a column missing in some) are merged; the missing values are null.
    The copy is read back and compared (`verify`: "multiset" compares every row, "count" only counts);
    a difference raises CompactionMismatchError and leaves `target` for inspection.
    """
    source = spark.read.option("mergeSchema", "true").parquet(*files)
    source.coalesce(max(target_files, 1)).write.mode("errorifexists").parquet(target)
    copy = spark.read.parquet(target)
    rows_before, rows_after = source.count(), copy.count()
    if rows_before != rows_after or (verify == "multiset" and not rows_match(source, copy)):
        raise CompactionMismatchError(target, rows_before, rows_after)
    return rows_after


def partition_location(spark: SparkSession, table: str, values: Mapping[str, str]) -> str:
    """The storage location the catalog gives for one partition of `table`."""
    rows = spark.sql(f"DESCRIBE FORMATTED {table} PARTITION ({_spec(values)})").collect()
    detail = [row for row in rows if row.col_name == "# Detailed Partition Information"]
    after = rows[rows.index(detail[0]) :] if detail else rows
    return next(row.data_type for row in after if row.col_name == "Location")


def compact_partition(
    spark: SparkSession, table: str, values: Mapping[str, str], new_location: str, target_files: int = 1, min_files: int = 2, verify: str = "count"
) -> PartitionCompaction | None:
    """Compact one partition of the catalog table `table` into `new_location` and point the partition at it.

    Returns None when the partition has fewer than `min_files` data files. If files are added to the
    partition while the copy is made, the copy is deleted and ConcurrentWriteError is raised: the
    partition is left as it was, to be compacted by a later run.
    """
    old_location = partition_location(spark, table, values)
    files = list_data_files(spark, old_location)
    if len(files) < min_files:
        return None
    rows = compact_files(spark, files, new_location, target_files, verify)
    unexpected = sorted(set(list_data_files(spark, old_location)) - set(files))
    if unexpected:
        delete_paths(spark, [new_location])
        raise ConcurrentWriteError(old_location, unexpected)
    spark.sql(f"ALTER TABLE {table} PARTITION ({_spec(values)}) SET LOCATION '{new_location}'")
    spark.catalog.refreshTable(table)
    return PartitionCompaction(dict(values), old_location, tuple(files), new_location, rows, len(list_data_files(spark, new_location)))


def list_partitions(spark: SparkSession, table: str) -> list[dict[str, str]]:
    """Every partition of `table` as a dict of its values, e.g. `{"dt": "2024-05-01", "hour": "07"}`."""
    rows = spark.sql(f"SHOW PARTITIONS {table}").collect()
    return [dict(part.split("=", 1) for part in row.partition.split("/")) for row in rows]


def _comparable(frame: DataFrame) -> DataFrame:
    """Set operations refuse map columns: top-level maps become their entries sorted by key."""
    columns = [
        F.array_sort(F.map_entries(F.col(f"`{field.name}`"))).alias(field.name)
        if isinstance(field.dataType, MapType)
        else F.col(f"`{field.name}`")
        for field in frame.schema.fields
    ]
    return frame.select(*columns)


def _spec(values: Mapping[str, str]) -> str:
    partition_path(values)
    return ", ".join(f"{name}='{value}'" for name, value in values.items())
