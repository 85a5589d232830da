"""Compaction keeps the multiset of rows, cuts the file count, swaps atomically and retires safely."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pyspark.testing import assertDataFrameEqual

import glue.lib.compact as compact
from glue.lib.compact import compact_files, compact_partition, partition_location, rows_match, select_partitions
from glue.lib.errors import ConcurrentWriteError
from glue.lib.manifest import read_manifests, retire_compacted, write_manifest
from glue.lib.storage import list_data_files
from glue.lib.tables import append_to_table

ROW = "event_id string, page struct<url:string>, tags array<string>, properties map<string,string>, plan string"
ROWS = [
    ("e1", ("https://a",), ["x"], {"k": "v"}, "pro"),
    ("e1", ("https://a",), ["x"], {"k": "v"}, "pro"),  # an exact duplicate row is kept twice
    ("e2", None, None, None, None),
    ("e3", ("https://b",), [], {}, "free"),
    ("e4", ("https://c",), ["y", None], {"a": None}, "free"),
]
NOW = datetime(2024, 5, 2, 12, 0, tzinfo=timezone.utc)


def small_files(spark, folder: Path) -> list[str]:
    """One file per row, the last written without the `plan` column (as after DropNullFields)."""
    for index, row in enumerate(ROWS[:-1]):
        spark.createDataFrame([row], ROW).coalesce(1).write.parquet(str(folder / f"part{index}"))
    spark.createDataFrame([ROWS[-1]], ROW).drop("plan").coalesce(1).write.parquet(str(folder / "part9"))
    return sorted(str(path) for path in folder.glob("part*/*.parquet"))


def test_compact_files_keeps_every_row_including_duplicates_and_drops_the_file_count(spark, tmp_path):
    files = small_files(spark, tmp_path / "small")

    rows = compact_files(spark, files, str(tmp_path / "big"), target_files=1, verify="multiset")

    expected = [*ROWS[:-1], (*ROWS[-1][:-1], None)]
    compacted = spark.read.parquet(str(tmp_path / "big"))
    assert rows == 5
    assert len(files) == 5
    assert len(list((tmp_path / "big").glob("*.parquet"))) == 1
    assertDataFrameEqual(compacted.select("event_id", "page", "tags", "properties", "plan"), spark.createDataFrame(expected, ROW), checkRowOrder=False)
    assert rows_match(spark.read.option("mergeSchema", "true").parquet(*files), compacted)


def test_rows_match_counts_duplicates(spark):
    once = spark.createDataFrame(ROWS[1:], ROW)
    twice = spark.createDataFrame(ROWS, ROW)

    assert not rows_match(once, twice)
    assert rows_match(twice, spark.createDataFrame(list(reversed(ROWS)), ROW))


def curated_table(spark, database: str, tmp_path: Path, batches: int) -> str:
    table = f"{database}.curated"
    for index in range(batches):
        batch = spark.createDataFrame([(f"e{index}", index, "2024-05-01", "07"), (f"f{index}", index, "2024-05-01", "08")], "event_id string, n int, dt string, hour string")
        append_to_table(spark, table, batch.coalesce(1), str(tmp_path / "curated"), ["dt", "hour"])
    return table


def test_compact_partition_swaps_the_catalog_to_a_checked_copy_and_keeps_old_files_for_readers(spark, database, tmp_path):
    table = curated_table(spark, database, tmp_path, batches=3)
    old_location = partition_location(spark, table, {"dt": "2024-05-01", "hour": "07"})
    old_files = list_data_files(spark, old_location)
    planned_before_swap = spark.read.parquet(*old_files)
    target = str(tmp_path / "compacted" / "run1" / "dt=2024-05-01" / "hour=07")

    result = compact_partition(spark, table, {"dt": "2024-05-01", "hour": "07"}, target)

    assert result is not None
    assert (result.rows, len(result.old_files), result.files_after) == (3, 3, 1)
    assert partition_location(spark, table, {"dt": "2024-05-01", "hour": "07"}) == f"file:{target}"
    expected = spark.createDataFrame(
        [("e0", 0, "2024-05-01", "07"), ("e1", 1, "2024-05-01", "07"), ("e2", 2, "2024-05-01", "07"),
         ("f0", 0, "2024-05-01", "08"), ("f1", 1, "2024-05-01", "08"), ("f2", 2, "2024-05-01", "08")],
        "event_id string, n int, dt string, hour string",
    )  # fmt: skip
    assertDataFrameEqual(spark.table(table), expected, checkRowOrder=False)
    assert list_data_files(spark, old_location) == old_files
    assert planned_before_swap.count() == 3


def test_compact_partition_skips_a_partition_with_too_few_files(spark, database, tmp_path):
    table = curated_table(spark, database, tmp_path, batches=1)

    assert compact_partition(spark, table, {"dt": "2024-05-01", "hour": "07"}, str(tmp_path / "new"), min_files=2) is None
    assert not (tmp_path / "new").exists()


def test_compact_partition_backs_off_when_a_writer_adds_files_meanwhile(spark, database, tmp_path, monkeypatch):
    table = curated_table(spark, database, tmp_path, batches=2)
    location = partition_location(spark, table, {"dt": "2024-05-01", "hour": "07"})
    real_compact_files = compact.compact_files

    def compact_while_curate_appends(*args, **kwargs):
        rows = real_compact_files(*args, **kwargs)
        late = spark.createDataFrame([("late", 9, "2024-05-01", "07")], "event_id string, n int, dt string, hour string")
        append_to_table(spark, table, late, str(tmp_path / "curated"), ["dt", "hour"])
        return rows

    monkeypatch.setattr(compact, "compact_files", compact_while_curate_appends)
    target = tmp_path / "compacted" / "run1" / "dt=2024-05-01" / "hour=07"

    with pytest.raises(ConcurrentWriteError) as raised:
        compact_partition(spark, table, {"dt": "2024-05-01", "hour": "07"}, str(target))

    assert len(raised.value.unexpected) == 1
    assert not target.exists()
    assert partition_location(spark, table, {"dt": "2024-05-01", "hour": "07"}) == location
    assert spark.table(table).where("hour = '07'").count() == 3


def test_select_partitions_takes_settled_hours_within_the_lookback():
    partitions = [{"dt": "2024-05-02", "hour": hour} for hour in ("02", "05", "06", "11")] + [{"dt": "2024-04-28", "hour": "00"}]

    chosen = select_partitions(partitions, NOW, settle_hours=6, lookback_hours=72)

    assert chosen == [{"dt": "2024-05-02", "hour": "02"}, {"dt": "2024-05-02", "hour": "05"}]


def test_retire_deletes_old_files_only_after_the_grace_period_and_only_once(spark, database, tmp_path):
    table = curated_table(spark, database, tmp_path, batches=2)
    root = str(tmp_path / "compacted")
    result = compact_partition(spark, table, {"dt": "2024-05-01", "hour": "07"}, f"{root}/run1/dt=2024-05-01/hour=07")
    write_manifest(spark, root, "run1", table, NOW, [result])

    too_early = retire_compacted(spark, root, NOW + timedelta(hours=23), timedelta(hours=24))
    retired = retire_compacted(spark, root, NOW + timedelta(hours=25), timedelta(hours=24))
    again = retire_compacted(spark, root, NOW + timedelta(hours=26), timedelta(hours=24))

    assert too_early == []
    assert sorted(retired) == sorted(result.old_files)
    assert again == []
    assert list_data_files(spark, result.old_location) == []
    assert read_manifests(spark, root)[0]["retired_at"] == (NOW + timedelta(hours=25)).isoformat()
    assert spark.table(table).where("hour = '07'").count() == 2


def test_retire_refuses_to_delete_when_an_old_location_holds_files_it_did_not_list(spark, database, tmp_path):
    table = curated_table(spark, database, tmp_path, batches=2)
    root = str(tmp_path / "compacted")
    result = compact_partition(spark, table, {"dt": "2024-05-01", "hour": "07"}, f"{root}/run1/dt=2024-05-01/hour=07")
    write_manifest(spark, root, "run1", table, NOW, [result])
    stray = Path(result.old_location.removeprefix("file:")) / "part-late.parquet"
    stray.write_bytes(Path(result.old_files[0].removeprefix("file:")).read_bytes())

    with pytest.raises(ConcurrentWriteError):
        retire_compacted(spark, root, NOW + timedelta(days=2), timedelta(hours=24))

    assert len(list_data_files(spark, result.old_location)) == 3
