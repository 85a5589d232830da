"""Stand-ins for the `awsglue` and `awsglueml` modules, for running job entry points on local Spark.

The functions keep the names and keyword parameters of the Glue API (AWS Glue PySpark reference)
but accept nothing else (no **kwargs), so a misspelt keyword in a job's wiring raises TypeError in a
test instead of being ignored in a cloud run. Everything the jobs call is recorded for assertions.
"""

from __future__ import annotations

import argparse
import sys
from types import ModuleType
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F


class FakeGlue:
    """The catalog tables Glue would read, the calls made, and the modules to put in sys.modules."""

    def __init__(self, tables: dict[tuple[str, str], DataFrame] | None = None, match_ids: dict[str, str] | None = None) -> None:
        self.tables = dict(tables or {})
        self.match_ids = dict(match_ids or {})
        self.reads: list[dict[str, Any]] = []
        self.read_options: list[dict[str, str] | None] = []
        self.inits: list[tuple[str, dict[str, str]]] = []
        self.commits = 0
        self.find_matches_calls: list[dict[str, Any]] = []

    def install(self, monkeypatch) -> None:
        for name, module in self.modules().items():
            monkeypatch.setitem(sys.modules, name, module)

    def modules(self) -> dict[str, ModuleType]:
        fake = self

        class GlueArgumentError(Exception):
            """What the real getResolvedOptions raises for a missing or bad option (not SystemExit)."""

        class GlueArgumentParser(argparse.ArgumentParser):
            def error(self, message):  # as awsglue.utils' parser: an exception, not an exit
                raise GlueArgumentError(message)

        def getResolvedOptions(args, options):  # noqa: N802 - Glue's name
            parser = GlueArgumentParser()
            for option in options:
                parser.add_argument(f"--{option}", required=True)
            parsed, _ = parser.parse_known_args(args[1:])
            return vars(parsed)

        fake.GlueArgumentError = GlueArgumentError

        class DynamicFrame:
            def __init__(self, frame: DataFrame, name: str = "") -> None:
                self._frame = frame
                self.name = name

            @classmethod
            def fromDF(cls, dataframe, glue_ctx, name):  # noqa: N802
                assert isinstance(glue_ctx, GlueContext)
                return cls(dataframe, name)

            def toDF(self):  # noqa: N802
                return self._frame

        class DynamicFrameReader:
            def from_catalog(
                self, database=None, table_name=None, redshift_tmp_dir="", transformation_ctx="",
                push_down_predicate="", additional_options=None, catalog_id=None,
            ):  # fmt: skip
                fake.reads.append({"database": database, "table_name": table_name, "transformation_ctx": transformation_ctx})
                fake.read_options.append(additional_options)
                return DynamicFrame(fake.tables[(database, table_name)], table_name)

        class GlueContext:
            def __init__(self, sparkContext):  # noqa: N803
                self.spark_session = SparkSession.builder.getOrCreate()
                assert sparkContext is self.spark_session.sparkContext
                self.create_dynamic_frame = DynamicFrameReader()

        class Job:
            def __init__(self, glue_context):
                assert isinstance(glue_context, GlueContext)

            def init(self, job_name, args={}):  # noqa: B006 - Glue's signature
                fake.inits.append((job_name, dict(args)))

            def commit(self):
                fake.commits += 1

        class FindMatches:
            @staticmethod
            def apply(
                frame, transformId, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0,  # noqa: N803
                enforcedMatches=None, computeMatchConfidenceScores=False,  # noqa: N803
            ):  # fmt: skip
                fake.find_matches_calls.append({"transformId": transformId, "transformation_ctx": transformation_ctx})
                source = frame.toDF()
                mapping = source.sparkSession.createDataFrame(sorted(fake.match_ids.items()), "__id string, match_id string")
                labelled = source.join(mapping, source["event_id"] == mapping["__id"], "left").drop("__id")
                return DynamicFrame(labelled.withColumn("match_id", F.coalesce("match_id", "event_id")))

        modules = {
            "awsglue": ModuleType("awsglue"),
            "awsglue.utils": ModuleType("awsglue.utils"),
            "awsglue.context": ModuleType("awsglue.context"),
            "awsglue.job": ModuleType("awsglue.job"),
            "awsglue.dynamicframe": ModuleType("awsglue.dynamicframe"),
            "awsglueml": ModuleType("awsglueml"),
            "awsglueml.transforms": ModuleType("awsglueml.transforms"),
        }
        modules["awsglue.utils"].getResolvedOptions = getResolvedOptions
        modules["awsglue.utils"].GlueArgumentError = GlueArgumentError
        modules["awsglue.context"].GlueContext = GlueContext
        modules["awsglue.job"].Job = Job
        modules["awsglue.dynamicframe"].DynamicFrame = DynamicFrame
        modules["awsglueml.transforms"].FindMatches = FindMatches
        return modules
