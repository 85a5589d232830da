"""Run the Glue jobs' pipelines on local Spark over local folders (the demo's stand-in for Glue).

    python glue/local_run.py curate --raw DIR --curated DIR [--dimension FILE --dimension-format csv]
    python glue/local_run.py compact --table DIR [--target-files 1 --min-files 2]

`curate` runs the curate job's own `main` with local folders in place of the Glue catalog: it reads
every raw file (there are no job bookmarks here), so it is the cross-run de-duplication that makes
a rerun write nothing twice. `compact` rewrites each partition folder holding several files and
swaps the folder in with renames. Each prints a one-line JSON summary.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pyspark.sql import DataFrame, SparkSession  # noqa: E402

from glue.jobs import curate  # noqa: E402
from glue.lib.spark_conf import with_datetime_rebase  # noqa: E402
from glue.lib.compact import compact_files  # noqa: E402
from glue.lib.errors import ConfigError  # noqa: E402
from glue.lib.formats import write_parquet  # noqa: E402


class LocalCurateIO:
    """Curate's reads and writes over local folders laid out like the lake (`dt=.../hour=.../`)."""

    def __init__(self, spark: SparkSession, raw: Path, curated: Path) -> None:
        self.spark, self.raw, self.curated = spark, raw, curated

    def read_raw(self) -> DataFrame:
        if not any(self.raw.rglob("*.parquet")):
            raise ConfigError("--raw", f"no Parquet files under {self.raw}")
        return self.spark.read.option("basePath", str(self.raw)).parquet(str(self.raw))

    def read_curated_keys(self, key: str, since: date | None) -> DataFrame | None:
        if not any(self.curated.rglob("*.parquet")):
            return None
        keys = self.spark.read.parquet(str(self.curated))
        return keys.select(key) if since is None else keys.where(keys.dt >= since.isoformat()).select(key)

    def write_curated(self, frame: DataFrame, partition_keys: tuple[str, ...]) -> None:
        write_parquet(frame, str(self.curated), partition_keys)


def compact_folder(spark: SparkSession, table: Path, target_files: int, min_files: int) -> dict[str, Any]:
    """Compact every partition folder of `table` holding `min_files` data files or more."""
    run = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    work = table / ".compaction" / run
    done, files_before, files_after, rows = [], 0, 0, 0
    for folder in sorted({path.parent for path in table.rglob("*.parquet") if ".compaction" not in path.parts}):
        files = sorted(str(path) for path in folder.glob("*.parquet"))
        if len(files) < min_files:
            continue
        relative = folder.relative_to(table)
        staged, retired = work / "new" / relative, work / "old" / relative
        rows += compact_files(spark, files, str(staged), target_files, verify="multiset")
        retired.parent.mkdir(parents=True, exist_ok=True)
        folder.rename(retired)  # two renames: the folder is absent for an instant, never half-written
        staged.rename(folder)
        done.append(str(relative))
        files_before += len(files)
        files_after += len(list(folder.glob("*.parquet")))
    shutil.rmtree(table / ".compaction", ignore_errors=True)
    return {"job": "compact", "partitions_compacted": done, "files_before": files_before, "files_after": files_after, "rows": rows}


def local_spark() -> SparkSession:
    """A small local session configured like the tests' (UTC, string partition values, the jobs'
    datetime settings)."""
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("streamlake-glue-local")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
    )
    return with_datetime_rebase(builder).getOrCreate()


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="local_run", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    cur = commands.add_parser("curate", help="raw zone folder -> curated zone folder")
    cur.add_argument("--raw", required=True, type=Path, help="the dataset's raw folder (holding dt=... folders)")
    cur.add_argument("--curated", required=True, type=Path, help="the dataset's curated folder (created if absent)")
    cur.add_argument("--dimension", help="dimension file or folder to enrich from")
    cur.add_argument("--dimension-format", default="csv", choices=["csv", "json", "avro", "parquet"])
    cur.add_argument("--dimension-key", default="user_id")
    cur.add_argument("--dimension-columns", help="comma-separated; default: all")
    cur.add_argument("--record-key", default="event_id")
    cur.add_argument("--exclude-predicate", help='SQL predicate of rows to drop (default "is_test = true")')
    cur.add_argument("--drop-fields", help="comma-separated columns or struct fields to drop")
    com = commands.add_parser("compact", help="merge the small files of each partition folder")
    com.add_argument("--table", required=True, type=Path, help="the table's folder (holding dt=... folders)")
    com.add_argument("--target-files", type=int, default=1)
    com.add_argument("--min-files", type=int, default=2)
    return parser.parse_args(argv)


def main(argv: list[str], spark: SparkSession | None = None) -> dict[str, Any]:
    """Run one command and print its JSON summary; `spark` defaults to a new local session."""
    options = parse(argv)
    spark = spark or local_spark()
    if options.command == "curate":
        flags = {
            "record_key": options.record_key, "dimension_path": options.dimension, "dimension_format": options.dimension_format,
            "dimension_key": options.dimension_key, "dimension_columns": options.dimension_columns,
            "exclude_predicate": options.exclude_predicate, "drop_fields": options.drop_fields,
        }  # fmt: skip
        args = {name: value for name, value in flags.items() if value is not None}
        if "dimension_path" not in args:
            args = {name: value for name, value in args.items() if not name.startswith("dimension_")}
        summary = curate.main(args, LocalCurateIO(spark, options.raw, options.curated), datetime.now(timezone.utc).date())
    else:
        summary = compact_folder(spark, options.table, options.target_files, options.min_files)
    print(json.dumps(summary, sort_keys=True))
    return summary


if __name__ == "__main__":
    main(sys.argv[1:])
