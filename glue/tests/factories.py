"""Explicit schemas and row builders for the clickstream raw and curated zones."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DecimalType,
    IntegerType,
    LongType,
    MapType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

PAGE = StructType([StructField("url", StringType()), StructField("referrer", StringType())])

CLICKSTREAM_COLUMNS = [
    StructField("event_id", StringType()),
    StructField("user_id", StringType()),
    StructField("event_type", StringType()),
    StructField("event_time", TimestampType()),
    StructField("page", PAGE),
    StructField("tags", ArrayType(StringType())),
    StructField("amount", DecimalType(18, 4)),
    StructField("quantity", IntegerType()),
    StructField("big_counter", LongType()),
    StructField("is_test", BooleanType()),
    StructField("properties", MapType(StringType(), StringType())),
]

LINEAGE_COLUMNS = [
    StructField("_unmapped", StringType()),
    StructField("_shard_id", StringType()),
    StructField("_sequence_number", StringType()),
    StructField("_sub_sequence_number", LongType()),
    StructField("_approximate_arrival", TimestampType()),
    StructField("_ingested_at", TimestampType()),
]

PARTITION_COLUMNS = [StructField("dt", StringType()), StructField("hour", StringType())]

RAW_SCHEMA = StructType([*CLICKSTREAM_COLUMNS, *LINEAGE_COLUMNS, *PARTITION_COLUMNS])

# A realistic 56-digit Kinesis sequence number, and helpers to make ordered ones.
SEQ_BASE = "49590338271490256608559692538361571095921575989136588898"


def utc(text: str) -> datetime:
    """`"2024-05-01 07:00:03"` -> an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def raw_event(event_id: str | None, **overrides: Any) -> tuple:
    """One raw clickstream row in RAW_SCHEMA order; every column can be overridden by name."""
    values: dict[str, Any] = {
        "event_id": event_id,
        "user_id": "u1",
        "event_type": "page_view",
        "event_time": utc("2024-05-01 07:00:00"),
        "page": ("https://shop.example/home", "https://search.example/?q=mail%40example.com"),
        "tags": ["web"],
        "amount": Decimal("0.0000"),
        "quantity": 1,
        "big_counter": 9007199254740993,
        "is_test": False,
        "properties": {"ab": "blue"},
        "_unmapped": None,
        "_shard_id": "shardId-000000000000",
        "_sequence_number": SEQ_BASE,
        "_sub_sequence_number": None,
        "_approximate_arrival": utc("2024-05-01 07:00:01"),
        "_ingested_at": utc("2024-05-01 07:00:02"),
        "dt": "2024-05-01",
        "hour": "07",
    }
    unknown = set(overrides) - set(values)
    if unknown:
        raise KeyError(f"not raw columns: {sorted(unknown)}")
    values.update(overrides)
    return tuple(values[field.name] for field in RAW_SCHEMA.fields)
