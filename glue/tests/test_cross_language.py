"""Cross-language: Parquet written by the TypeScript ingest is read by Spark and curated, types intact.

The fixtures under `test/fixtures/parquet/` are the objects the real ingest core (`ingestBatch` with
an in-memory lake writer, fixed clock 2026-11-24T13:10:00Z) wrote for the shared Kinesis fixtures;
regenerate them with `npx tsx test/fixtures/parquet/generate.ts`. Every expected value below is
written down from the Kinesis fixture's JSON (`test/fixtures/kinesis/*.json`), not read back from
the Parquet file.

Timestamps: the session time zone is UTC and conftest sets the process `TZ=UTC`, so Spark's
`collect()` returns naive datetimes that are UTC wall-clock time; expected values are written as
naive UTC (`naive(...)`) for `collect()` comparisons and as aware UTC for `createDataFrame`.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from pyspark.sql import Row
from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DateType,
    DecimalType,
    IntegerType,
    LongType,
    MapType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)
from pyspark.testing import assertDataFrameEqual

from glue.lib.curate import CurateConfig, curate_frame
from glue.tests.factories import RAW_SCHEMA

FIXTURES = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "parquet"
HAPPY = FIXTURES / "clickstream-ingest.parquet"
EDGE = FIXTURES / "clickstream-edge-values.parquet"
# Both fixtures' rows fall in this partition (event_time 2026-11-24T13:xx:xxZ).
PARTITION = ("2026-11-24", "13")

# The Spark schema of one raw clickstream object, written out column by column.
PAGE = StructType([StructField("url", StringType(), True), StructField("referrer", StringType(), True)])
DATA_FIELDS = [
    StructField("event_id", StringType(), True),
    StructField("user_id", StringType(), True),
    StructField("event_type", StringType(), True),
    StructField("event_time", TimestampType(), True),
    StructField("page", PAGE, True),
    StructField("tags", ArrayType(StringType(), True), True),
    StructField("amount", DecimalType(18, 4), True),
    StructField("quantity", IntegerType(), True),
    StructField("big_counter", LongType(), True),
    StructField("is_test", BooleanType(), True),
    StructField("properties", MapType(StringType(), StringType(), True), True),
]
UNMAPPED_FIELD = StructField("_unmapped", StringType(), True)
LINEAGE_FIELDS = [
    StructField("_shard_id", StringType(), True),
    StructField("_sequence_number", StringType(), True),
    StructField("_sub_sequence_number", LongType(), True),
    StructField("_approximate_arrival", TimestampType(), True),
    StructField("_ingested_at", TimestampType(), True),
]
RAW_FILE_SCHEMA = StructType([*DATA_FIELDS, UNMAPPED_FIELD, *LINEAGE_FIELDS])
PARTITION_FIELDS = [StructField("dt", StringType(), True), StructField("hour", StringType(), True)]

SHARD = "shardId-000000000000"
SEQ = [f"496573281483501289382271536481276384697{n}8451730957500418" for n in (2, 3, 4, 5)]
PAGE_1 = ("https://shop.example/p/1", "https://search.example/?q=shoes")
CAMPAIGN = {"campaign": "autumn", "variant": "b"}
INT64_MAX = 9223372036854775807
INT32_MIN = -2147483648


def naive(*parts: int) -> datetime:
    """A UTC wall-clock time as Spark's collect() returns it with session (and process) zone UTC."""
    return datetime(*parts)  # noqa: DTZ001


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


EVENT_TIME = (2026, 11, 24, 13, 5, 0, 250000)  # "2026-11-24T13:05:00.250Z"
INGESTED_AT = (2026, 11, 24, 13, 10)  # the generator's fixed clock
# approximateArrivalTimestamp 1795527000(.125/.25/.375) epoch seconds = 2026-11-24T13:30:00(.125…)Z
ARRIVALS = [(2026, 11, 24, 13, 30, 0, us) for us in (0, 125000, 250000, 375000)]


def lineage(n: int, unmapped: str | None = None) -> dict:
    return {
        "_unmapped": unmapped,
        "_shard_id": SHARD,
        "_sequence_number": SEQ[n],
        "_sub_sequence_number": None,
        "_approximate_arrival": naive(*ARRIVALS[n]),
        "_ingested_at": naive(*INGESTED_AT),
    }


# clickstream-happy.json, one dict per Kinesis record, as Spark must return it.
HAPPY_ROWS = [
    {
        "event_id": "evt-0001", "user_id": "user-42", "event_type": "click", "event_time": naive(*EVENT_TIME),
        "page": Row(url=PAGE_1[0], referrer=PAGE_1[1]), "tags": ["promo", "mobile"],
        "amount": Decimal("19.9900"),  # JSON string "19.9900"
        "quantity": 2, "big_counter": 12, "is_test": False, "properties": CAMPAIGN, **lineage(0),
    },
    {
        "event_id": "evt-0002", "user_id": "user-42", "event_type": "page_view", "event_time": naive(*EVENT_TIME),
        "page": Row(url=PAGE_1[0], referrer=PAGE_1[1]), "tags": ["promo", "mobile"],
        "amount": None, "quantity": None,  # JSON nulls
        "big_counter": 12, "is_test": False, "properties": CAMPAIGN, **lineage(1),
    },
    {
        "event_id": "evt-0003", "user_id": "user-42", "event_type": "purchase", "event_time": naive(*EVENT_TIME),
        "page": Row(url=PAGE_1[0], referrer=PAGE_1[1]), "tags": ["promo", "mobile"],
        "amount": Decimal("1234.5000"),  # JSON number 1234.5, scaled to 4
        "quantity": 1, "big_counter": 12, "is_test": False, "properties": CAMPAIGN, **lineage(2),
    },
]  # fmt: skip

# edge-values.json: unicode, all-null, type limits and unknown fields.
EDGE_ROWS = [
    {
        "event_id": "edge-unicode", "user_id": "ユーザー-😀", "event_type": "click", "event_time": naive(*EVENT_TIME),
        "page": Row(url="https://例え.jp/パス?q=שלום", referrer=None), "tags": ["naïve", None, "🚀"],
        "amount": Decimal("19.9900"), "quantity": 2, "big_counter": 12, "is_test": False,
        "properties": {"clé": "valeur", "empty": "", "nothing": None}, **lineage(0),
    },
    {
        "event_id": "edge-nulls", "user_id": None, "event_type": "page_view",
        "event_time": naive(2026, 11, 24, 13, 0),  # epoch seconds 1795525200
        "page": None, "tags": None, "amount": None, "quantity": None, "big_counter": None, "is_test": None,
        "properties": None, **lineage(1),
    },
    {
        "event_id": "edge-big", "user_id": None, "event_type": "click",
        "event_time": naive(2026, 11, 24, 13, 0, 0, 123000),  # epoch millis 1795525200123
        "page": Row(url="u", referrer="r"), "tags": None,
        "amount": Decimal("12345678901234.5678"),  # 18 significant digits, exact
        "quantity": INT32_MIN, "big_counter": INT64_MAX, "is_test": None, "properties": None,
        **lineage(2, '{"page.title":"Home","extra_id":123456789012345678901234567890}'),
    },
    {
        "event_id": "edge-unknown", "user_id": "user-42", "event_type": "click", "event_time": naive(*EVENT_TIME),
        "page": Row(url=PAGE_1[0], referrer=PAGE_1[1]), "tags": ["promo", "mobile"],
        "amount": Decimal("19.9900"), "quantity": 2, "big_counter": 12, "is_test": False, "properties": CAMPAIGN,
        **lineage(3, '{"session":{"id":"s-1","depth":3},"ab_test":["x","y"]}'),
    },
]  # fmt: skip


def as_dicts(frame) -> list[dict]:
    return [row.asDict() for row in frame.orderBy("_sequence_number").collect()]


def lake(tmp_path: Path, fixture: Path) -> str:
    """Lay the fixture out as ingest stored it: raw/clickstream/dt=…/hour=…/<object>.parquet."""
    folder = tmp_path / "raw" / "clickstream" / f"dt={PARTITION[0]}" / f"hour={PARTITION[1]}"
    folder.mkdir(parents=True)
    shutil.copyfile(fixture, folder / f"{SHARD}-{SEQ[0]}.parquet")
    return str(tmp_path / "raw" / "clickstream")


@pytest.mark.parametrize(("fixture", "expected"), [(HAPPY, HAPPY_ROWS), (EDGE, EDGE_ROWS)], ids=["happy", "edge"])
def test_spark_reads_the_ingest_parquet_with_exact_types_and_values(spark, fixture, expected):
    raw = spark.read.parquet(str(fixture))

    assert raw.schema == RAW_FILE_SCHEMA
    # The Glue tests' hand-built raw schema is the same as what ingest really writes.
    assert StructType([*raw.schema.fields, *PARTITION_FIELDS]) == RAW_SCHEMA
    assert as_dicts(raw) == expected


def test_ingest_parquet_keeps_full_precision_in_spark_sql(spark):
    raw = spark.read.parquet(str(EDGE)).where("event_id = 'edge-big'")
    row = raw.selectExpr(
        "cast(amount as string) as amount_text",
        "cast(big_counter as string) as counter_text",
        "big_counter = 9223372036854775807 as counter_is_max",
        "unix_micros(event_time) as event_micros",
        "unix_micros(_ingested_at) as ingested_micros",
    ).first()

    assert row.amount_text == "12345678901234.5678"
    assert row.counter_text == "9223372036854775807"
    assert row.counter_is_max is True
    assert row.event_micros == 1795525200123000
    assert row.ingested_micros == 1795525800000000


def curated_schema(*, unmapped: bool) -> StructType:
    return StructType(
        [*DATA_FIELDS, *([UNMAPPED_FIELD] if unmapped else []), StructField("event_date", DateType(), True), *PARTITION_FIELDS]
    )


def test_curate_frame_on_ingest_parquet_keeps_types_and_values(spark, tmp_path):
    raw = spark.read.parquet(lake(tmp_path, HAPPY))
    assert raw.schema == RAW_SCHEMA

    curated = curate_frame(raw, CurateConfig())

    # Lineage dropped; `_unmapped` is null in every row, so drop_null_fields removes it.
    schema = curated_schema(unmapped=False)
    assert curated.schema == schema
    day = date(2026, 11, 24)
    event_time = utc(*EVENT_TIME)
    page = PAGE_1
    tags = ["promo", "mobile"]
    expected = spark.createDataFrame(
        [
            ("evt-0001", "user-42", "click", event_time, page, tags, Decimal("19.9900"), 2, 12, False, CAMPAIGN,
             day, *PARTITION),
            ("evt-0002", "user-42", "page_view", event_time, page, tags, None, None, 12, False, CAMPAIGN,
             day, *PARTITION),
            ("evt-0003", "user-42", "purchase", event_time, page, tags, Decimal("1234.5000"), 1, 12, False, CAMPAIGN,
             day, *PARTITION),
        ],
        schema,
    )  # fmt: skip
    assertDataFrameEqual(curated, expected, checkRowOrder=False)
    # And without Spark in the comparison: exact Python values, naive UTC timestamps.
    rows = {row.event_id: row for row in curated.collect()}
    assert rows["evt-0001"].event_time == naive(*EVENT_TIME)
    assert rows["evt-0001"].amount == Decimal("19.9900")
    assert rows["evt-0003"].amount == Decimal("1234.5000")
    assert rows["evt-0002"].page == Row(url=PAGE_1[0], referrer=PAGE_1[1])


def test_curate_frame_on_edge_values_keeps_unicode_limits_and_unmapped(spark, tmp_path):
    raw = spark.read.parquet(lake(tmp_path, EDGE))

    curated = curate_frame(raw, CurateConfig())

    schema = curated_schema(unmapped=True)
    assert curated.schema == schema
    day = date(2026, 11, 24)
    event_time = utc(*EVENT_TIME)
    expected = spark.createDataFrame(
        [
            ("edge-unicode", "ユーザー-😀", "click", event_time, ("https://例え.jp/パス?q=שלום", None),
             ["naïve", None, "🚀"], Decimal("19.9900"), 2, 12, False, {"clé": "valeur", "empty": "", "nothing": None},
             None, day, *PARTITION),
            ("edge-nulls", None, "page_view", utc(2026, 11, 24, 13, 0), None, None, None, None, None, None, None,
             None, day, *PARTITION),
            ("edge-big", None, "click", utc(2026, 11, 24, 13, 0, 0, 123000), ("u", "r"), None,
             Decimal("12345678901234.5678"), INT32_MIN, INT64_MAX, None, None,
             '{"page.title":"Home","extra_id":123456789012345678901234567890}', day, *PARTITION),
            ("edge-unknown", "user-42", "click", event_time, PAGE_1, ["promo", "mobile"], Decimal("19.9900"), 2, 12,
             False, CAMPAIGN, '{"session":{"id":"s-1","depth":3},"ab_test":["x","y"]}', day, *PARTITION),
        ],
        schema,
    )  # fmt: skip
    assertDataFrameEqual(curated, expected, checkRowOrder=False)
    big = curated.where("event_id = 'edge-big'").first()
    assert (big.amount, big.big_counter, big.quantity) == (Decimal("12345678901234.5678"), INT64_MAX, INT32_MIN)
    assert big.event_time == naive(2026, 11, 24, 13, 0, 0, 123000)
