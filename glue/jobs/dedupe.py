"""Glue job `dedupe`: groups near-duplicate curated records under a `match_id` (FindMatches).

Started daily by a scheduled trigger; no job bookmark, because a duplicate may sit in any file of
the look-back window, not only in new ones. With `--find_matches_transform_id` the trained
`AWS::Glue::MLTransform` labels the matches (Glue's FindMatches API, which AWS documents for
Glue 2.0 jobs only); without it the MinHash LSH matcher of `glue.lib.matching` does. Each run
appends its groups to the matches table under its own `run` partition, so a retry adds a new run
and readers take the latest.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone
from typing import Any, Protocol

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from glue.jobs.runtime import GlueRuntime, number, report, start, text_list
from glue.lib.errors import ConfigError
from glue.lib.matching import MATCH_ID, duplicate_groups, find_fuzzy_matches
from glue.lib.tables import append_to_table

REQUIRED = ("database", "curated_table", "matches_table", "matches_location")
OPTIONAL = ("record_key", "match_columns", "max_distance", "lookback_days", "find_matches_transform_id")
DEFAULT_MATCH_COLUMNS = ("user_id", "event_type", "page.url", "amount", "event_time")
# Events share much text (site host, date), so distinct events sit closer than distinct customers
# do: two purchases of one user on one page an hour apart are ~0.33 apart, a redelivery ~0.03.
DEFAULT_MAX_DISTANCE = 0.2


class DedupeIO(Protocol):
    """Where dedupe reads and writes, and Glue's FindMatches when it is configured."""

    spark: SparkSession

    def read_curated(self, since: date | None) -> DataFrame: ...
    def find_matches(self, frame: DataFrame, transform_id: str) -> DataFrame: ...
    def write_matches(self, frame: DataFrame) -> None: ...


def main(args: dict[str, str], io: DedupeIO, now: datetime) -> dict[str, Any]:
    """Match the curated rows of the look-back window and append the duplicate groups."""
    key = args.get("record_key", "event_id")
    lookback = number(args, "lookback_days", 0)
    curated = io.read_curated(now.date() - timedelta(days=lookback) if lookback else None).cache()
    transform_id = args.get("find_matches_transform_id", "")
    run = now.strftime("%Y%m%dT%H%M%SZ")
    matcher = "find_matches" if transform_id else "minhash_lsh"
    if curated.isEmpty():
        return {"job": "dedupe", "matcher": matcher, "rows_in": 0, "duplicate_rows": 0, "match_groups": 0, "run": run}
    if transform_id:
        matched = io.find_matches(curated, transform_id)
    else:
        columns = text_list(args, "match_columns", DEFAULT_MATCH_COLUMNS)
        matched = find_fuzzy_matches(curated, key, columns, max_distance=number(args, "max_distance", DEFAULT_MAX_DISTANCE, float))
    groups = duplicate_groups(matched, key, keep=("dt", "hour")).withColumn("run", F.lit(run)).localCheckpoint()
    if not groups.isEmpty():
        io.write_matches(groups)
    return {
        "job": "dedupe",
        "matcher": matcher,
        "rows_in": curated.count(),
        "duplicate_rows": groups.count(),
        "match_groups": groups.select(MATCH_ID).distinct().count(),
        "run": run,
    }


class GlueDedupeIO:
    """Dedupe's reads and writes in a Glue job run."""

    def __init__(self, runtime: GlueRuntime) -> None:
        self.runtime = runtime
        self.spark = runtime.spark
        self.args = runtime.args

    def read_curated(self, since: date | None) -> DataFrame:
        table = self.spark.table(f"{self.args['database']}.{self.args['curated_table']}")
        return table if since is None else table.where(F.col("dt") >= since.isoformat())

    def find_matches(self, frame: DataFrame, transform_id: str) -> DataFrame:
        try:
            from awsglue.dynamicframe import DynamicFrame
            from awsglueml.transforms import FindMatches
        except ImportError as error:
            raise ConfigError(
                "find_matches_transform_id", "FindMatches is not in this Glue runtime (AWS documents it for Glue 2.0)"
            ) from error
        source = DynamicFrame.fromDF(frame, self.runtime.glue_context, "curated")
        return FindMatches.apply(frame=source, transformId=transform_id, transformation_ctx="find_matches").toDF()

    def write_matches(self, frame: DataFrame) -> None:
        table = f"{self.args['database']}.{self.args['matches_table']}"
        append_to_table(self.spark, table, frame, self.args["matches_location"], ("run",))


def run(argv: list[str]) -> dict[str, Any]:
    """The Glue entry point: start, match, commit, print the summary."""
    runtime = start(argv, REQUIRED, OPTIONAL)
    summary = main(runtime.args, GlueDedupeIO(runtime), datetime.now(timezone.utc))
    runtime.commit()
    report(summary)
    return summary


if __name__ == "__main__":
    run(sys.argv)
