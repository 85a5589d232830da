"""The whole raw -> curated pipeline on one batch: test events, redeliveries, late records, nesting,
enrichment from a CSV dimension, and keys curated by an earlier run."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from pyspark.sql.types import DateType, DecimalType, StringType, StructField, StructType
from pyspark.testing import assertDataFrameEqual

from glue.lib.curate import CurateConfig, DimensionSpec, curate_frame
from glue.lib.formats import read_dataset
from glue.tests.factories import CLICKSTREAM_COLUMNS, RAW_SCHEMA, raw_event, utc

by_name = {field.name: field for field in CLICKSTREAM_COLUMNS}
CURATED_SCHEMA = StructType(
    [
        *[by_name[name] for name in ("event_id", "user_id", "event_type", "event_time")],
        by_name["page"],
        *[by_name[name] for name in ("tags", "amount", "quantity", "big_counter", "is_test", "properties")],
        StructField("country", StringType()),
        StructField("plan", StringType()),
        StructField("event_date", DateType()),
        StructField("dt", StringType()),
        StructField("hour", StringType()),
    ]
)


def raw_batch(spark):
    rows = [
        raw_event("e1", event_type=" Page_View "),
        raw_event("e1", event_type=" Page_View ", _approximate_arrival=utc("2024-05-01 07:30:00"), _sequence_number="7"),
        raw_event("e2", is_test=True),
        raw_event("e3", user_id="u2", is_test=None, event_type="CLICK", tags=[], properties={}),
        raw_event(
            "e4", user_id="u3", event_type="purchase", event_time=utc("2024-04-30 23:59:59"), amount=Decimal("12.3400"),
            quantity=None, tags=None, page=None, dt="2024-04-30", hour="23",
        ),
        raw_event("e5", user_id=None, page=("https://shop.example/a", None), tags=["app", None]),
        raw_event("e6"),
    ]  # fmt: skip
    return spark.createDataFrame(rows, RAW_SCHEMA)


def test_curate_frame_filters_dedupes_drops_enriches_and_maps(spark, tmp_path):
    users = tmp_path / "users.csv"
    users.write_text("user_id,country,plan\nu1,DE,pro\nu3,FR,free\n")
    config = CurateConfig(dimension=DimensionSpec(str(users), "csv", "user_id", ("country", "plan")))
    dimension = read_dataset(spark, str(users), "csv")
    curated_before = spark.createDataFrame([("e6",)], "event_id string")

    result = curate_frame(raw_batch(spark), config, existing_keys=curated_before, dimension=dimension)

    home = ("https://shop.example/home", "https://search.example/?q=mail%40example.com")
    common = (Decimal("0.0000"), 1, 9007199254740993)
    expected = spark.createDataFrame(
        [
            ("e1", "u1", "page_view", utc("2024-05-01 07:00:00"), home, ["web"], *common, False, {"ab": "blue"},
             "DE", "pro", date(2024, 5, 1), "2024-05-01", "07"),
            ("e3", "u2", "click", utc("2024-05-01 07:00:00"), home, [], *common, None, {},
             None, None, date(2024, 5, 1), "2024-05-01", "07"),
            ("e4", "u3", "purchase", utc("2024-04-30 23:59:59"), None, None, Decimal("12.3400"), None, 9007199254740993,
             False, {"ab": "blue"}, "FR", "free", date(2024, 4, 30), "2024-04-30", "23"),
            ("e5", None, "page_view", utc("2024-05-01 07:00:00"), ("https://shop.example/a", None), ["app", None], *common,
             False, {"ab": "blue"}, None, None, date(2024, 5, 1), "2024-05-01", "07"),
        ],
        CURATED_SCHEMA,
    )  # fmt: skip
    assertDataFrameEqual(result, expected, checkRowOrder=False)
    assert result.schema == CURATED_SCHEMA


def test_curate_frame_without_null_dropping_or_dimension_keeps_the_unmapped_column(spark):
    config = replace(CurateConfig(), drop_null_fields=False, exclude_predicate=None, derived_columns={})
    batch = spark.createDataFrame([raw_event("e1", _unmapped='{"extra":1}'), raw_event("e2")], RAW_SCHEMA)

    result = curate_frame(batch, config)

    expected_schema = StructType(
        [
            *CURATED_SCHEMA.fields[:4],
            CURATED_SCHEMA["page"],
            *CURATED_SCHEMA.fields[5:11],
            StructField("_unmapped", StringType()),
            *CURATED_SCHEMA.fields[-2:],
        ]
    )
    home = ("https://shop.example/home", "https://search.example/?q=mail%40example.com")
    base = ("u1", "page_view", utc("2024-05-01 07:00:00"), home, ["web"], Decimal("0.0000"), 1,
            9007199254740993, False, {"ab": "blue"})  # fmt: skip
    expected = spark.createDataFrame(
        [("e1", *base, '{"extra":1}', "2024-05-01", "07"), ("e2", *base, None, "2024-05-01", "07")], expected_schema
    )
    assertDataFrameEqual(result, expected, checkRowOrder=False)


def test_curate_frame_joins_a_batch_of_only_anonymous_events_and_keeps_the_key_and_dimension_columns(spark, tmp_path):
    # Every visitor of this hour is anonymous: user_id is null in every row, as are the amounts of
    # page views and searches. The users dimension is the job's (country, plan by user_id).
    users = tmp_path / "users.csv"
    users.write_text("user_id,country,plan\nu1,DE,pro\nu3,FR,free\n")
    config = CurateConfig(dimension=DimensionSpec(str(users), "csv", "user_id", ("country", "plan")))
    page = ("https://shop.example/home", None)
    batch = spark.createDataFrame(
        [
            raw_event("a1", user_id=None, event_type="page_view", page=page, amount=None, quantity=None),
            raw_event("a2", user_id=None, event_type="Search", page=page, amount=None, quantity=None, tags=[]),
            raw_event("a3", user_id=None, event_type="add_to_cart", page=page, amount=Decimal("19.9900"), quantity=2),
        ],
        RAW_SCHEMA,
    )  # fmt: skip

    result = curate_frame(batch, config, dimension=read_dataset(spark, str(users), "csv"))

    expected = spark.createDataFrame(
        [
            ("a1", None, "page_view", utc("2024-05-01 07:00:00"), page, ["web"], None, None, 9007199254740993, False,
             {"ab": "blue"}, None, None, date(2024, 5, 1), "2024-05-01", "07"),
            ("a2", None, "search", utc("2024-05-01 07:00:00"), page, [], None, None, 9007199254740993, False,
             {"ab": "blue"}, None, None, date(2024, 5, 1), "2024-05-01", "07"),
            ("a3", None, "add_to_cart", utc("2024-05-01 07:00:00"), page, ["web"], Decimal("19.9900"), 2,
             9007199254740993, False, {"ab": "blue"}, None, None, date(2024, 5, 1), "2024-05-01", "07"),
        ],
        CURATED_SCHEMA,
    )  # fmt: skip
    assertDataFrameEqual(result, expected, checkRowOrder=False)
    assert result.schema == CURATED_SCHEMA


def test_curate_frame_derives_from_columns_null_in_every_row_then_drops_them(spark):
    # A line total over a batch of page views only: amount and quantity are null in every row.
    config = replace(CurateConfig(), derived_columns={"line_total": "amount * quantity", "event_date": "to_date(event_time)"})
    batch = spark.createDataFrame(
        [raw_event("p1", amount=None, quantity=None), raw_event("p2", user_id="u2", amount=None, quantity=None)], RAW_SCHEMA
    )

    result = curate_frame(batch, config)

    expected_schema = StructType(
        [
            *[by_name[name] for name in ("event_id", "user_id", "event_type", "event_time", "page", "tags")],
            *[by_name[name] for name in ("big_counter", "is_test", "properties")],
            StructField("line_total", DecimalType(29, 4)),
            StructField("event_date", DateType()),
            *CURATED_SCHEMA.fields[-2:],
        ]
    )
    home = ("https://shop.example/home", "https://search.example/?q=mail%40example.com")
    rest = ("page_view", utc("2024-05-01 07:00:00"), home, ["web"], 9007199254740993, False, {"ab": "blue"}, None,
            date(2024, 5, 1), "2024-05-01", "07")  # fmt: skip
    expected = spark.createDataFrame([("p1", "u1", *rest), ("p2", "u2", *rest)], expected_schema)
    assertDataFrameEqual(result, expected, checkRowOrder=False)
    assert result.schema == expected_schema
