"""Dates before 1582 and timestamps before 1900, which ingest accepts, pass through the jobs' Spark."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from cfnlint.decode import cfn_yaml

from glue.lib.spark_conf import DATETIME_REBASE, glue_conf_argument

JOBS = Path(__file__).resolve().parents[1] / "jobs.yml"


def write_ancient_raw_file(path: Path) -> None:
    """A Parquet file as ingest writes them: no Spark footer marker, INT64 microsecond timestamps."""
    table = pa.table(
        {
            "event_id": ["sentinel", "modern"],
            "event_time": pa.array(
                [datetime(1899, 12, 31, 23, 0, tzinfo=timezone.utc), datetime(2026, 11, 24, 13, 5, tzinfo=timezone.utc)],
                pa.timestamp("us", tz="UTC"),
            ),
            "birthday": pa.array([date(1, 1, 1), date(1500, 1, 1)], pa.date32()),
        }
    )
    pq.write_table(table, path, compression="snappy")
    assert b"org.apache.spark" not in path.read_bytes()


def test_the_jobs_spark_reads_and_writes_ancient_dates_and_timestamps_as_they_are(spark, tmp_path):
    raw = tmp_path / "raw.parquet"
    write_ancient_raw_file(raw)

    rows = spark.read.parquet(str(raw)).orderBy("event_id").collect()
    spark.read.parquet(str(raw)).write.parquet(str(tmp_path / "curated"))
    again = spark.read.parquet(str(tmp_path / "curated")).orderBy("event_id").collect()

    expected = [
        ("modern", datetime(2026, 11, 24, 13, 5), date(1500, 1, 1)),
        ("sentinel", datetime(1899, 12, 31, 23, 0), date(1, 1, 1)),
    ]
    assert [(r.event_id, r.event_time, r.birthday) for r in rows] == expected
    assert [(r.event_id, r.event_time, r.birthday) for r in again] == expected


def test_every_glue_job_runs_with_the_same_settings():
    jobs = {
        name: resource["Properties"]["DefaultArguments"]
        for name, resource in cfn_yaml.loads(JOBS.read_text())["Resources"].items()
        if resource["Type"] == "AWS::Glue::Job"
    }

    assert len(jobs) == 4
    assert {name: arguments.get("--conf") for name, arguments in jobs.items()} == {
        name: glue_conf_argument(DATETIME_REBASE) for name in jobs
    }
