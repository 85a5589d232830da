"""The Glue wiring every entry point shares: arguments, GlueContext, Job, bookmarked catalog reads.

This is the only place, with the FindMatches call in `dedupe.py`, that imports `awsglue`; the imports
sit inside functions so that the job modules load (and their `main` runs) without a Glue runtime.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pyspark.sql import DataFrame, SparkSession

from glue.lib.errors import ConfigError


@dataclass
class GlueRuntime:
    """A started Glue job: its resolved arguments, GlueContext, Job and SparkSession."""

    args: dict[str, str]
    glue_context: Any
    job: Any
    spark: SparkSession

    def read_catalog(self, database: str, table: str, transformation_ctx: str, bounded_files: int | None = None) -> DataFrame:
        """Read a catalog table as a DataFrame; `transformation_ctx` keys its job bookmark.

        `bounded_files` caps the new files one run reads (Glue's bounded execution, `boundedFiles`);
        the bookmark leaves the rest to the next runs, so a backlog is worked off run by run
        instead of making every run too long for its timeout.
        """
        options = {} if bounded_files is None else {"boundedFiles": str(bounded_files)}
        frame = self.glue_context.create_dynamic_frame.from_catalog(
            database=database, table_name=table, transformation_ctx=transformation_ctx, additional_options=options
        )
        return frame.toDF()

    def commit(self) -> None:
        """Commit the job run: with bookmarks enabled, what was read is not read again."""
        self.job.commit()


def start(argv: Sequence[str], required: Sequence[str], optional: Sequence[str] = ()) -> GlueRuntime:
    """Resolve `--name value` arguments (`optional` ones only when given) and start the Glue job."""
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from awsglue.utils import getResolvedOptions
    from pyspark.context import SparkContext

    present = [name for name in optional if f"--{name}" in argv]
    args = getResolvedOptions(list(argv), ["JOB_NAME", *required, *present])
    glue_context = GlueContext(SparkContext.getOrCreate())
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    return GlueRuntime(args, glue_context, job, glue_context.spark_session)


def text_list(args: dict[str, str], name: str, default: Sequence[str]) -> tuple[str, ...]:
    """A comma-separated argument as a tuple (blank items dropped); `default` when absent."""
    if name not in args:
        return tuple(default)
    return tuple(item.strip() for item in args[name].split(",") if item.strip())


def number(args: dict[str, str], name: str, default: float, kind: type = int) -> Any:
    """A numeric argument converted with `kind`; ConfigError naming it when it is not a number."""
    if name not in args:
        return default
    try:
        return kind(args[name])
    except ValueError as error:
        raise ConfigError(name, f"{args[name]!r} is not a valid {kind.__name__}") from error


def report(summary: dict[str, Any]) -> None:
    """Print the run summary as one JSON line (it lands in the job's CloudWatch log)."""
    json.dump(summary, sys.stdout, sort_keys=True, default=str)
    sys.stdout.write("\n")
