"""Glue job `compact`: rewrites the small files of settled curated partitions as a few large ones.

Started by the workflow's conditional trigger after `curate` SUCCEEDED, so the two never write at
once (both jobs also allow one concurrent run). Per partition: copy to a new location under
`--compacted_location/<run>/`, check the copy, point the catalog partition at it; the old files
are deleted by a run at least `--grace_hours` later, once queries that listed them have finished.
No job bookmark: compaction must see every file of a partition, not only the new ones. A failed
run leaves each partition either untouched or fully swapped, and its manifest says which.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from typing import Any

from pyspark.sql import SparkSession

from glue.jobs.runtime import number, report, start
from glue.lib.compact import compact_partition, list_partitions, partition_path, select_partitions
from glue.lib.errors import ConcurrentWriteError
from glue.lib.manifest import retire_compacted, write_manifest

REQUIRED = ("database", "table", "compacted_location")
OPTIONAL = ("settle_hours", "lookback_hours", "target_files", "min_files", "grace_hours", "verify")


def main(args: dict[str, str], spark: SparkSession, now: datetime) -> dict[str, Any]:
    """Retire what earlier runs compacted away, then compact the settled partitions of the table."""
    table = f"{args['database']}.{args['table']}"
    root = args["compacted_location"].rstrip("/")
    run = now.strftime("%Y%m%dT%H%M%SZ")
    retired = retire_compacted(spark, root, now, timedelta(hours=number(args, "grace_hours", 24)))
    chosen = select_partitions(
        list_partitions(spark, table), now, number(args, "settle_hours", 6), number(args, "lookback_hours", 72)
    )
    done, skipped = [], []
    for values in chosen:
        target = f"{root}/{run}/{partition_path(values)}"
        try:
            result = compact_partition(
                spark, table, values, target, number(args, "target_files", 1), number(args, "min_files", 2), args.get("verify", "count")
            )
        except ConcurrentWriteError as error:
            skipped.append({"partition": partition_path(values), "unexpected": error.unexpected})
            continue
        if result is not None:
            done.append(result)
            write_manifest(spark, root, run, table, now, done)
    return {
        "job": "compact",
        "run": run,
        "partitions_considered": len(chosen),
        "partitions_compacted": [partition_path(item.values) for item in done],
        "files_before": sum(len(item.old_files) for item in done),
        "files_after": sum(item.files_after for item in done),
        "rows": sum(item.rows for item in done),
        "skipped_concurrent_write": skipped,
        "files_retired": len(retired),
    }


def run(argv: list[str]) -> dict[str, Any]:
    """The Glue entry point: start, compact, commit, print the summary."""
    runtime = start(argv, REQUIRED, OPTIONAL)
    summary = main(runtime.args, runtime.spark, datetime.now(timezone.utc))
    runtime.commit()
    report(summary)
    return summary


if __name__ == "__main__":
    run(sys.argv)
