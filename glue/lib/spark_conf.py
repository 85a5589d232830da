"""Spark settings every streamlake job runs with, on Glue (the jobs' `--conf` argument in
glue/jobs.yml) and locally (glue/local_run.py, the tests' session).

Ingest accepts dates and timestamps of years 0001-9999 and writes them, as Athena, DuckDB and
pyarrow read them, in the proleptic Gregorian calendar. Spark 3.x checks Parquet files without its
own footer marker (`org.apache.spark.version`, which ingest does not write) for dates before
1582-10-15 and timestamps before 1900-01-01, and by default refuses them
(INCONSISTENT_BEHAVIOR_CROSS_VERSION) when reading and again when writing. One such record would
make every job over its partition fail on every run. CORRECTED reads and writes the values as they
are, which is what the files hold; Spark 4 makes it the default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DATETIME_REBASE = {
    "spark.sql.parquet.datetimeRebaseModeInRead": "CORRECTED",
    "spark.sql.parquet.datetimeRebaseModeInWrite": "CORRECTED",
    "spark.sql.parquet.int96RebaseModeInRead": "CORRECTED",
    "spark.sql.parquet.int96RebaseModeInWrite": "CORRECTED",
}


def glue_conf_argument(settings: dict[str, str] = DATETIME_REBASE) -> str:
    """The value of a Glue job's `--conf` argument for `settings`. Glue takes the key once, so
    further settings ride in its value, each after its own `--conf`.

    >>> glue_conf_argument({"a": "1", "b": "2"})
    'a=1 --conf b=2'
    """
    return " --conf ".join(f"{key}={value}" for key, value in settings.items())


def with_datetime_rebase(builder: SparkSession.Builder) -> SparkSession.Builder:
    """`builder` with the jobs' datetime settings (DATETIME_REBASE), for local sessions."""
    for key, value in DATETIME_REBASE.items():
        builder = builder.config(key, value)
    return builder
