"""DropFields, DropNullFields, Filter, Join and Map on small frames with explicit schemas."""

from __future__ import annotations

import pytest
from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType
from pyspark.testing import assertDataFrameEqual

from glue.lib.errors import ConfigError, DimensionKeyNotUniqueError
from glue.lib.transforms import drop_fields, drop_null_fields, filter_rows, join_dimension, map_columns

NESTED = StructType(
    [
        StructField("id", StringType()),
        StructField("page", StructType([StructField("url", StringType()), StructField("referrer", StringType())])),
        StructField("meta", StructType([StructField("inner", StructType([StructField("a", StringType()), StructField("b", StringType())]))])),
        StructField("tags", ArrayType(StringType())),
        StructField("_shard_id", StringType()),
    ]
)


def nested_rows(spark):
    return spark.createDataFrame(
        [("e1", ("u1", "r1"), (("a1", "b1"),), ["x"], "s0"), ("e2", None, None, None, "s1")], NESTED
    )


def test_drop_fields_removes_top_level_and_nested_fields_and_ignores_absent_ones(spark):
    result = drop_fields(nested_rows(spark), ["_shard_id", "page.referrer", "meta.inner.b", "absent", "page.absent"])

    expected_schema = StructType(
        [
            StructField("id", StringType()),
            StructField("page", StructType([StructField("url", StringType())])),
            StructField("meta", StructType([StructField("inner", StructType([StructField("a", StringType())]))])),
            StructField("tags", ArrayType(StringType())),
        ]
    )
    expected = spark.createDataFrame([("e1", ("u1",), (("a1",),), ["x"]), ("e2", None, None, None)], expected_schema)
    assertDataFrameEqual(result, expected, checkRowOrder=False)
    assert result.schema == expected_schema


NULLABLE = StructType(
    [
        StructField("id", StringType()),
        StructField("always_null", StringType()),
        StructField("sometimes", IntegerType()),
        StructField("null_list", ArrayType(StringType())),
        StructField("dt", StringType()),
    ]
)


def test_drop_null_fields_drops_columns_null_in_every_row_but_keeps_protected_and_partly_null(spark):
    frame = spark.createDataFrame([("a", None, None, None, None), ("b", None, 2, None, None)], NULLABLE)

    result = drop_null_fields(frame, keep=["dt"])

    expected_schema = StructType([NULLABLE["id"], NULLABLE["sometimes"], NULLABLE["dt"]])
    expected = spark.createDataFrame([("a", None, None), ("b", 2, None)], expected_schema)
    assertDataFrameEqual(result, expected, checkRowOrder=False)
    assert result.columns == ["id", "sometimes", "dt"]


def test_drop_null_fields_leaves_an_empty_frame_unchanged(spark):
    frame = spark.createDataFrame([], NULLABLE)

    assert drop_null_fields(frame).schema == NULLABLE


def test_filter_rows_drops_matches_and_keeps_rows_where_the_predicate_is_null(spark):
    schema = "id string, is_test boolean"
    frame = spark.createDataFrame([("live", False), ("test", True), ("unknown", None)], schema)

    result = filter_rows(frame, "is_test = true")

    assertDataFrameEqual(result, spark.createDataFrame([("live", False), ("unknown", None)], schema), checkRowOrder=False)
    assertDataFrameEqual(filter_rows(frame, None), frame)


FACTS = "event_id string, user_id string"
USERS = "user_id string, country string, plan string, internal_note string"


def test_join_dimension_enriches_matches_and_keeps_unmatched_and_null_keys(spark):
    facts = spark.createDataFrame([("e1", "u1"), ("e2", "u9"), ("e3", None), ("e4", "u1")], FACTS)
    users = spark.createDataFrame([("u1", "DE", "pro", "x"), ("u2", "FR", "free", "y"), (None, "ZZ", "none", "z")], USERS)

    result = join_dimension(facts, users, "user_id", ["country", "plan"])

    expected = spark.createDataFrame(
        [("e1", "u1", "DE", "pro"), ("e2", "u9", None, None), ("e3", None, None, None), ("e4", "u1", "DE", "pro")],
        "event_id string, user_id string, country string, plan string",
    )
    assertDataFrameEqual(result, expected, checkRowOrder=False)


def test_join_dimension_refuses_a_dimension_with_a_repeated_key(spark):
    facts = spark.createDataFrame([("e1", "u1")], FACTS)
    users = spark.createDataFrame([("u1", "DE", "pro", ""), ("u1", "FR", "free", "")], USERS)

    with pytest.raises(DimensionKeyNotUniqueError) as raised:
        join_dimension(facts, users, "user_id", ["country"])
    assert raised.value.duplicated == ["u1"]


def test_join_dimension_refuses_columns_that_would_shadow_facts(spark):
    facts = spark.createDataFrame([("e1", "u1")], FACTS)
    users = spark.createDataFrame([("u1", "e9")], "user_id string, event_id string")

    with pytest.raises(ConfigError, match="event_id"):
        join_dimension(facts, users, "user_id")


def test_map_columns_applies_expressions_in_order(spark):
    frame = spark.createDataFrame([(" Page_View ",), (None,)], "event_type string")

    result = map_columns(frame, {"event_type": "lower(trim(event_type))", "is_view": "event_type = 'page_view'"})

    expected = spark.createDataFrame([("page_view", True), (None, None)], "event_type string, is_view boolean")
    assertDataFrameEqual(result, expected, checkRowOrder=False)
