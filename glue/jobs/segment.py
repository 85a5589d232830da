"""Glue job `segment`: K-Means customer segments from per-user behaviour in the curated zone.

Started daily by a scheduled trigger; no job bookmark, because the features summarise the whole
look-back window, not just new files. A fixed `--seed` makes the assignment reproducible. Each run
appends `user_id -> cluster_id` (with the features) under its own `run` partition.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone
from typing import Any, Protocol

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from glue.jobs.runtime import GlueRuntime, number, report, start
from glue.lib.segment import CLUSTER_ID, assign_segments, user_features
from glue.lib.tables import append_to_table

REQUIRED = ("database", "curated_table", "segments_table", "segments_location")
OPTIONAL = ("k", "seed", "lookback_days")


class SegmentIO(Protocol):
    """Where segment reads and writes."""

    spark: SparkSession

    def read_curated(self, since: date | None) -> DataFrame: ...
    def write_segments(self, frame: DataFrame) -> None: ...


def main(args: dict[str, str], io: SegmentIO, now: datetime) -> dict[str, Any]:
    """Cluster the users of the look-back window and append their segments."""
    lookback = number(args, "lookback_days", 30)
    events = io.read_curated(now.date() - timedelta(days=lookback) if lookback else None)
    features = user_features(events).localCheckpoint()
    clusters = assign_segments(features, k=number(args, "k", 4), seed=number(args, "seed", 42))
    run = now.strftime("%Y%m%dT%H%M%SZ")
    segments = clusters.join(features, "user_id").withColumn("run", F.lit(run)).localCheckpoint()
    if not segments.isEmpty():
        io.write_segments(segments)
    sizes = {str(row[CLUSTER_ID]): row["count"] for row in segments.groupBy(CLUSTER_ID).count().collect()}
    return {"job": "segment", "users": segments.count(), "cluster_sizes": sizes, "run": run}


class GlueSegmentIO:
    """Segment's reads and writes in a Glue job run."""

    def __init__(self, runtime: GlueRuntime) -> None:
        self.spark = runtime.spark
        self.args = runtime.args

    def read_curated(self, since: date | None) -> DataFrame:
        table = self.spark.table(f"{self.args['database']}.{self.args['curated_table']}")
        return table if since is None else table.where(F.col("dt") >= since.isoformat())

    def write_segments(self, frame: DataFrame) -> None:
        table = f"{self.args['database']}.{self.args['segments_table']}"
        append_to_table(self.spark, table, frame, self.args["segments_location"], ("run",))


def run(argv: list[str]) -> dict[str, Any]:
    """The Glue entry point: start, segment, commit, print the summary."""
    runtime = start(argv, REQUIRED, OPTIONAL)
    summary = main(runtime.args, GlueSegmentIO(runtime), datetime.now(timezone.utc))
    runtime.commit()
    report(summary)
    return summary


if __name__ == "__main__":
    run(sys.argv)
