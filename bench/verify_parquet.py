"""Reads what bench/verify-parquet.ts ingested with DuckDB and pyarrow, and compares types and
values with the expectations written down below (derived from the fixtures by hand, not by the
code that wrote the files). Usage: python bench/verify_parquet.py <lake folder>."""

import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path

import duckdb

LAKE = Path(sys.argv[1])
UTC = dt.timezone.utc
LINEAGE = {
    "_unmapped": "VARCHAR",
    "_shard_id": "VARCHAR",
    "_sequence_number": "VARCHAR",
    "_sub_sequence_number": "BIGINT",
    "_approximate_arrival": "TIMESTAMP WITH TIME ZONE",
    "_ingested_at": "TIMESTAMP WITH TIME ZONE",
}
DUCKDB_TYPES = {
    "clickstream": {
        "event_id": "VARCHAR",
        "user_id": "VARCHAR",
        "event_type": "VARCHAR",
        "event_time": "TIMESTAMP WITH TIME ZONE",
        "page": "STRUCT(url VARCHAR, referrer VARCHAR)",
        "tags": "VARCHAR[]",
        "amount": "DECIMAL(18,4)",
        "quantity": "INTEGER",
        "big_counter": "BIGINT",
        "is_test": "BOOLEAN",
        "properties": "MAP(VARCHAR, VARCHAR)",
        **LINEAGE,
    },
    "orders": {
        "order_id": "VARCHAR",
        "customer_id": "VARCHAR",
        "order_time": "TIMESTAMP WITH TIME ZONE",
        "status": "VARCHAR",
        "currency": "VARCHAR",
        "total": "DECIMAL(12,2)",
        "item_count": "INTEGER",
        "shipped_date": "DATE",
        "is_gift": "BOOLEAN",
        "note": "VARCHAR",
        **LINEAGE,
    },
    "sensor_readings": {
        "sensor_id": "VARCHAR",
        "reading_time": "TIMESTAMP WITH TIME ZONE",
        "temperature_c": "DOUBLE",
        "humidity_pct": "DOUBLE",
        "battery_mv": "INTEGER",
        "sample_count": "BIGINT",
        "firmware": "VARCHAR",
        "location": "STRUCT(lat DOUBLE, lon DOUBLE)",
        "labels": "VARCHAR[]",
        **LINEAGE,
    },
}
PYARROW_TYPES = {
    "event_time": "timestamp[us, tz=UTC]",
    "page": "struct<url: string, referrer: string>",
    "tags": "list<element: string>",
    "amount": "decimal128(18, 4)",
    "quantity": "int32",
    "big_counter": "int64",
    "properties": "map<string, string ('properties')>",
    "_sub_sequence_number": "int64",
}

failures: list[str] = []


def check(what: str, actual, expected) -> None:
    if actual != expected:
        failures.append(f"{what}: expected {expected!r}, got {actual!r}")


def files(fixture: str, dataset: str) -> str:
    return str(LAKE / fixture / "raw" / dataset / "**" / "*.parquet")


def rows(fixture: str, dataset: str, columns: str, order: str) -> list[tuple]:
    query = f"select {columns} from read_parquet('{files(fixture, dataset)}', hive_partitioning = true) order by {order}"
    return duckdb.sql(query).fetchall()


def check_duckdb() -> None:
    for fixture, dataset in [("edge-values", "clickstream"), ("orders-csv", "orders"), ("sensor-avro", "sensor_readings")]:
        query = f"describe select * from read_parquet('{files(fixture, dataset)}', hive_partitioning = false)"
        described = duckdb.sql(query).fetchall()
        check(f"duckdb types of {dataset}", {name: kind for name, kind, *_ in described}, DUCKDB_TYPES[dataset])

    check(
        "edge-values",
        rows("edge-values", "clickstream", "event_id, user_id, event_time, page, tags, amount, quantity, big_counter, properties, _unmapped, dt, hour", "event_id"),
        [
            ("edge-big", None, dt.datetime(2026, 11, 24, 13, 0, 0, 123000, UTC), {"url": "u", "referrer": "r"}, None,
             Decimal("12345678901234.5678"), -2147483648, 9223372036854775807, None,
             '{"page.title":"Home","extra_id":123456789012345678901234567890}', dt.date(2026, 11, 24), 13),
            ("edge-nulls", None, dt.datetime(2026, 11, 24, 13, 0, tzinfo=UTC), None, None, None, None, None, None, None,
             dt.date(2026, 11, 24), 13),
            ("edge-unicode", "ユーザー-😀", dt.datetime(2026, 11, 24, 13, 5, 0, 250000, UTC),
             {"url": "https://例え.jp/パス?q=שלום", "referrer": None}, ["naïve", None, "🚀"], Decimal("19.9900"), 2, 12,
             {"clé": "valeur", "empty": "", "nothing": None}, None, dt.date(2026, 11, 24), 13),
            ("edge-unknown", "user-42", dt.datetime(2026, 11, 24, 13, 5, 0, 250000, UTC),
             {"url": "https://shop.example/p/1", "referrer": "https://search.example/?q=shoes"}, ["promo", "mobile"],
             Decimal("19.9900"), 2, 12, {"campaign": "autumn", "variant": "b"},
             '{"session":{"id":"s-1","depth":3},"ab_test":["x","y"]}', dt.date(2026, 11, 24), 13),
        ],
    )
    check(
        "kpl-aggregated",
        rows("kpl-aggregated", "clickstream", "hour, event_id, _sub_sequence_number", "hour, event_id"),
        [(13, "kpl-0", 0), (13, "kpl-3", 3), (13, "plain-after-kpl", None), (14, "kpl-1", 1)],
    )
    check(
        "orders-csv",
        rows("orders-csv", "orders", "order_id, order_time, total, item_count, shipped_date, is_gift, note", "order_id"),
        [
            ("o-1001", dt.datetime(2026, 11, 24, 13, 2, 3, tzinfo=UTC), Decimal("129.90"), 3, None, False, None),
            ("o-1002", dt.datetime(2026, 11, 24, 13, 4, 5, tzinfo=UTC), Decimal("1.50"), 1, dt.date(2026, 11, 25), True,
             'Grüße, 🎁 "gift"'),
            ("o-1003", dt.datetime(2026, 11, 24, 13, 25, tzinfo=UTC), Decimal("0.05"), 1, None, None, ""),
        ],
    )
    check(
        "sensor-avro",
        rows("sensor-avro", "sensor_readings", "sensor_id, hour, reading_time, humidity_pct, sample_count, location, labels", "sensor_id"),
        [
            ("th-0042", 13, dt.datetime(2026, 11, 24, 13, 10, 0, 500000, UTC), 48.25, 1024, {"lat": 52.520008, "lon": 13.404954}, ["lab", "north"]),
            ("th-0043", 13, dt.datetime(2026, 11, 24, 13, 10, 0, 500000, UTC), None, 1024, None, []),
            ("th-0044", 14, dt.datetime(2026, 11, 24, 14, 0, tzinfo=UTC), 48.25, 9007199254740993, {"lat": 52.520008, "lon": 13.404954}, ["lab", "north"]),
        ],
    )
    quarantined = []
    for path in sorted((LAKE / "poison" / "quarantine").rglob("*.jsonl")):
        quarantined += [(path.parts[-3], json.loads(line)["reason"]) for line in path.read_text("utf8").splitlines()]
    check(
        "poison quarantine (folder, reason)",
        sorted(quarantined),
        sorted([("_unknown", "bad-base64"), ("_unknown", "bad-gzip"), ("_unknown", "bad-kpl"), ("_unknown", "bad-json"),
                ("orders", "bad-csv"), ("sensor_readings", "bad-avro"), ("clickstream", "schema-violation"),
                ("_unknown", "too-large"), ("_unknown", "unknown-dataset")]),
    )


def check_pyarrow() -> bool:
    try:
        import pyarrow.parquet as pq
    except ImportError as error:
        failures.append(f"pyarrow cannot be imported: {error}")
        return False
    for path in (LAKE / "edge-values" / "raw" / "clickstream").rglob("*.parquet"):
        table = pq.read_table(path)
        for name, kind in PYARROW_TYPES.items():
            check(f"pyarrow type of {name}", str(table.schema.field(name).type), kind)
        check("pyarrow event_time is required", table.schema.field("event_time").nullable, False)
        edge_big = [row for row in table.to_pylist() if row["event_id"] == "edge-big"][0]
        check("pyarrow edge-big amount", edge_big["amount"], Decimal("12345678901234.5678"))
        check("pyarrow edge-big big_counter", edge_big["big_counter"], 9223372036854775807)
        check("pyarrow codec", pq.ParquetFile(path).metadata.row_group(0).column(0).compression, "SNAPPY")
    return True


check_duckdb()
pyarrow_ran = check_pyarrow()
print(json.dumps({"duckdb": duckdb.__version__, "pyarrow": pyarrow_ran, "failures": failures}, indent=2, ensure_ascii=False))
sys.exit(1 if failures else 0)
