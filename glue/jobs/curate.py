"""Glue job `curate`: raw zone -> curated zone (filtered, de-duplicated, enriched Parquet).

Started by the workflow's conditional trigger when the raw crawler has SUCCEEDED. Job bookmarks
(`--job-bookmark-option job-bookmark-enable`) make each run read only the raw files added since the
last committed run; a record redelivered into a later file is dropped because its key is already
curated. A failed run commits nothing, so a retry reads the same files again.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta, timezone
from typing import Any, Protocol

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from glue.jobs.runtime import GlueRuntime, number, report, start, text_list
from glue.lib.curate import CurateConfig, DimensionSpec, curate_frame
from glue.lib.errors import ConfigError
from glue.lib.formats import read_dataset
from glue.lib.tables import append_to_table
from glue.lib.transforms import filter_rows

REQUIRED = ("database", "raw_table", "curated_table", "curated_location")
OPTIONAL = (
    "record_key", "drop_fields", "exclude_predicate", "derived_columns", "dimension_path",
    "dimension_format", "dimension_key", "dimension_columns", "dedupe_lookback_days", "bounded_files",
)  # fmt: skip


class CurateIO(Protocol):
    """Where curate reads and writes; Glue's catalog in a job run, local folders in a local run."""

    spark: SparkSession

    def read_raw(self) -> DataFrame: ...
    def read_curated_keys(self, key: str, since: date | None) -> DataFrame | None: ...
    def write_curated(self, frame: DataFrame, partition_keys: tuple[str, ...]) -> None: ...


def config_from_args(args: dict[str, str]) -> CurateConfig:
    """The CurateConfig the job arguments describe; absent arguments keep the clickstream defaults."""
    default = CurateConfig()
    dimension = None
    if "dimension_path" in args:
        columns = text_list(args, "dimension_columns", ()) or None
        dimension = DimensionSpec(
            args["dimension_path"], args.get("dimension_format", "csv"), args.get("dimension_key", "user_id"), columns
        )
    return CurateConfig(
        record_key=args.get("record_key", default.record_key),
        drop_fields=text_list(args, "drop_fields", default.drop_fields),
        exclude_predicate=args.get("exclude_predicate", default.exclude_predicate) or None,
        derived_columns=json.loads(args["derived_columns"]) if "derived_columns" in args else default.derived_columns,
        dimension=dimension,
    )


def main(args: dict[str, str], io: CurateIO, today: date) -> dict[str, Any]:
    """Curate the raw rows `io` gives, append them to the curated zone, return the run summary."""
    config = config_from_args(args)
    raw = io.read_raw()
    if not raw.columns or raw.isEmpty():  # nothing new since the last bookmark: no schema, or no rows
        return {"job": "curate", "rows_in": 0, "rows_excluded": 0, "duplicates_dropped": 0, "rows_out": 0, "partitions_written": []}
    raw = raw.cache()
    lookback = number(args, "dedupe_lookback_days", 0)
    existing = io.read_curated_keys(config.record_key, today - timedelta(days=lookback) if lookback else None)
    dimension = None
    if config.dimension is not None:
        spec = config.dimension
        dimension = read_dataset(io.spark, spec.path, spec.format)
    # Materialised before the write: recomputing it afterwards would anti-join against its own output.
    curated = curate_frame(raw, config, existing, dimension).localCheckpoint()
    rows_in, rows_out = raw.count(), curated.count()
    keys = config.partition_keys
    written = curated.select(*keys).distinct().orderBy(*keys).collect()
    partitions = ["/".join(f"{key}={row[key]}" for key in keys) for row in written]
    kept = filter_rows(raw, config.exclude_predicate).count()
    if rows_out:
        io.write_curated(curated, config.partition_keys)
    raw.unpersist()
    return {
        "job": "curate",
        "rows_in": rows_in,
        "rows_excluded": rows_in - kept,
        "duplicates_dropped": kept - rows_out,
        "rows_out": rows_out,
        "partitions_written": partitions,
    }


class GlueCurateIO:
    """Curate's reads and writes in a Glue job run."""

    def __init__(self, runtime: GlueRuntime) -> None:
        self.runtime = runtime
        self.spark = runtime.spark
        self.args = runtime.args
        self.curated = f"{self.args['database']}.{self.args['curated_table']}"

    def read_raw(self) -> DataFrame:
        bounded = number(self.args, "bounded_files", None)
        if bounded is not None and bounded < 1:
            raise ConfigError("bounded_files", f"{bounded} is not a positive number of files")
        return self.runtime.read_catalog(
            self.args["database"], self.args["raw_table"], transformation_ctx="raw_source", bounded_files=bounded
        )

    def read_curated_keys(self, key: str, since: date | None) -> DataFrame | None:
        # Not bookmarked: every key curated so far (or since `since`) counts, not just new files.
        if not self.spark.catalog.tableExists(self.curated):
            return None
        table = self.spark.table(self.curated)
        if since is not None:
            table = table.where(F.col("dt") >= since.isoformat())
        return table.select(key)

    def write_curated(self, frame: DataFrame, partition_keys: tuple[str, ...]) -> None:
        append_to_table(self.spark, self.curated, frame, self.args["curated_location"], partition_keys)


def run(argv: list[str]) -> dict[str, Any]:
    """The Glue entry point: start, curate, commit the bookmark, print the summary."""
    runtime = start(argv, REQUIRED, OPTIONAL)
    summary = main(runtime.args, GlueCurateIO(runtime), datetime.now(timezone.utc).date())
    runtime.commit()
    report(summary)
    return summary


if __name__ == "__main__":
    run(sys.argv)
