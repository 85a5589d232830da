"""Readers for CSV, JSON, Avro and Parquet; bad input fails instead of becoming null rows."""

from __future__ import annotations

import json
import os

import pytest
from py4j.protocol import Py4JJavaError
from pyspark.errors import AnalysisException
from pyspark.sql.types import ArrayType, LongType, StringType, StructField, StructType
from pyspark.testing import assertDataFrameEqual

from glue.lib.errors import ConfigError, FormatUnavailableError
from glue.lib.formats import read_dataset, write_parquet

USERS = StructType([StructField("user_id", StringType()), StructField("country", StringType()), StructField("plan", StringType())])


def test_csv_reads_a_header_file_as_strings(spark, tmp_path):
    (tmp_path / "users.csv").write_text('user_id,country,plan\nu1,DE,pro\nu2,,"free, trial"\n')

    result = read_dataset(spark, str(tmp_path / "users.csv"), "csv")

    assertDataFrameEqual(result, spark.createDataFrame([("u1", "DE", "pro"), ("u2", None, "free, trial")], USERS))


def test_csv_with_a_schema_refuses_a_header_that_does_not_match_it(spark, tmp_path):
    (tmp_path / "users.csv").write_text("user_id,plan,country\nu1,pro,DE\n")

    with pytest.raises(Py4JJavaError, match="CSV header does not conform to the schema"):
        read_dataset(spark, str(tmp_path / "users.csv"), "csv", USERS).collect()


def test_json_reads_nested_objects_and_lists_with_a_schema(spark, tmp_path):
    schema = StructType(
        [
            StructField("user_id", StringType()),
            StructField("address", StructType([StructField("city", StringType())])),
            StructField("tags", ArrayType(StringType())),
        ]
    )
    lines = [{"user_id": "u1", "address": {"city": "Berlin"}, "tags": ["a", None]}, {"user_id": "u2", "address": None}]
    (tmp_path / "users.json").write_text("\n".join(json.dumps(line) for line in lines))

    result = read_dataset(spark, str(tmp_path / "users.json"), "JSON", schema)

    assertDataFrameEqual(result, spark.createDataFrame([("u1", ("Berlin",), ["a", None]), ("u2", None, None)], schema))


def test_json_fails_on_a_malformed_line(spark, tmp_path):
    (tmp_path / "users.json").write_text('{"user_id": "u1"}\n{"user_id": \n')

    with pytest.raises(Py4JJavaError, match="Malformed records are detected"):
        read_dataset(spark, str(tmp_path / "users.json"), "json", USERS).collect()


def test_parquet_round_trips_through_the_writer_with_partition_folders(spark, tmp_path):
    schema = "user_id string, country string, dt string"
    frame = spark.createDataFrame([("u1", "DE", "2024-05-01"), ("u2", "FR", "2024-05-02")], schema)

    write_parquet(frame, str(tmp_path / "users"), ["dt"])

    assert sorted(path.name for path in (tmp_path / "users").iterdir() if path.is_dir()) == ["dt=2024-05-01", "dt=2024-05-02"]
    assertDataFrameEqual(read_dataset(spark, str(tmp_path / "users"), "parquet"), frame, checkRowOrder=False)


def test_avro_reads_a_file_written_by_the_avro_library(spark, tmp_path, avro_jar):
    if avro_jar is None:
        reason = "spark-avro jar not found (SPARK_AVRO_JAR or the local Maven repository); see conftest.spark_avro_jar"
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI fetches it (make pytest), so a missing jar is a failure there")
        pytest.skip(reason)
    schema = {
        "type": "record",
        "name": "User",
        "fields": [
            {"name": "user_id", "type": "string"},
            {"name": "plan", "type": ["null", "string"], "default": None},
            {"name": "signup_ms", "type": "long"},
            {"name": "tags", "type": {"type": "array", "items": "string"}},
        ],
    }
    path = tmp_path / "users.avro"
    write_avro_with_the_avro_library(spark, schema, [("u1", "pro", 1714546800000, ["a"]), ("u2", None, 5, [])], path)

    result = read_dataset(spark, str(path), "avro")

    # Spark reports every column of a file source as nullable, whatever the Avro schema says.
    expected_schema = StructType(
        [
            StructField("user_id", StringType()),
            StructField("plan", StringType()),
            StructField("signup_ms", LongType()),
            StructField("tags", ArrayType(StringType())),
        ]
    )
    expected = spark.createDataFrame([("u1", "pro", 1714546800000, ["a"]), ("u2", None, 5, [])], expected_schema)
    assertDataFrameEqual(result, expected)
    assert result.schema == expected_schema


def test_an_unknown_format_is_a_config_error(spark, tmp_path):
    with pytest.raises(ConfigError, match="xml"):
        read_dataset(spark, str(tmp_path), "xml")


def write_avro_with_the_avro_library(spark, schema: dict, rows: list[tuple], path) -> None:
    """Write an Avro container file with Apache Avro's Java API (not Spark's data source)."""
    jvm = spark.sparkContext._jvm
    avro_schema = jvm.org.apache.avro.Schema.Parser().parse(json.dumps(schema))
    writer = jvm.org.apache.avro.file.DataFileWriter(jvm.org.apache.avro.generic.GenericDatumWriter(avro_schema))
    writer.create(avro_schema, jvm.java.io.File(str(path)))
    names = [field["name"] for field in schema["fields"]]
    for row in rows:
        record = jvm.org.apache.avro.generic.GenericData.Record(avro_schema)
        for name, value in zip(names, row):
            if isinstance(value, list):
                items = jvm.java.util.ArrayList()
                for item in value:
                    items.add(item)
                value = items
            elif isinstance(value, int):
                value = jvm.java.lang.Long(value)
            record.put(name, value)
        writer.append(record)
    writer.close()


def test_avro_without_the_data_source_raises_format_unavailable():
    class Reader:
        def format(self, name):
            assert name == "avro"
            return self

        def load(self, paths):
            raise AnalysisException(message="[DATA_SOURCE_NOT_FOUND] Failed to find the data source: avro.")

    class Session:
        read = Reader()

    with pytest.raises(FormatUnavailableError, match="spark-avro"):
        read_dataset(Session(), "s3://lake/dimensions/users/", "avro")
