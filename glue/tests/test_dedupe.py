"""Exact de-duplication: first delivery wins within a batch, curated keys win across runs."""

from __future__ import annotations

from pyspark.testing import assertDataFrameEqual

from glue.lib.dedupe import drop_existing_keys, keep_first_delivery
from glue.tests.factories import RAW_SCHEMA, SEQ_BASE, raw_event, utc

SHORTER = "99999999999999999999"  # 20 digits: numerically smaller ...
LONGER = "100000000000000000000"  # ... than these 21 digits, though larger as a string


def test_keep_first_delivery_keeps_the_earliest_arrival_then_the_smallest_sequence_number(spark):
    late_redelivery = raw_event("e1", _approximate_arrival=utc("2024-05-01 09:00:00"), _sequence_number="5" + SEQ_BASE[1:], hour="09")
    first = raw_event("e1", _approximate_arrival=utc("2024-05-01 07:00:01"), _sequence_number="6" + SEQ_BASE[1:])
    second_same_time = raw_event("e1", _approximate_arrival=utc("2024-05-01 07:00:01"), _sequence_number="7" + SEQ_BASE[1:])
    numeric_small = raw_event("e2", _sequence_number=SHORTER, _ingested_at=utc("2024-05-01 07:10:00"))
    numeric_large = raw_event("e2", _sequence_number=LONGER, _ingested_at=utc("2024-05-01 07:05:00"))
    kpl_first = raw_event("e3", _sub_sequence_number=0)
    kpl_second = raw_event("e3", _sub_sequence_number=1)
    no_arrival = raw_event("e4", _approximate_arrival=None, _sequence_number="1")
    with_arrival = raw_event("e4", _sequence_number="2")
    anonymous_a = raw_event(None, user_id="a")
    anonymous_b = raw_event(None, user_id="b")
    single = raw_event("e5")
    batch = spark.createDataFrame(
        [late_redelivery, second_same_time, first, numeric_large, numeric_small, kpl_second, kpl_first,
         no_arrival, with_arrival, anonymous_a, anonymous_b, single],
        RAW_SCHEMA,
    )  # fmt: skip

    result = keep_first_delivery(batch, "event_id")

    expected = spark.createDataFrame([first, numeric_small, kpl_first, with_arrival, anonymous_a, anonymous_b, single], RAW_SCHEMA)
    assertDataFrameEqual(result, expected, checkRowOrder=False)


def test_keep_first_delivery_is_stable_for_identical_redeliveries(spark):
    twice = raw_event("e1")
    batch = spark.createDataFrame([twice, twice], RAW_SCHEMA)

    assertDataFrameEqual(keep_first_delivery(batch), spark.createDataFrame([twice], RAW_SCHEMA))


def test_drop_existing_keys_drops_keys_curated_by_earlier_runs_and_keeps_null_keys(spark):
    redelivered = raw_event("e1", _sequence_number="8" + SEQ_BASE[1:], hour="08")
    new = raw_event("e2")
    anonymous = raw_event(None)
    batch = spark.createDataFrame([redelivered, new, anonymous], RAW_SCHEMA)
    curated = spark.createDataFrame([("e1", "2024-05-01"), (None, "2024-05-01")], "event_id string, dt string")

    result = drop_existing_keys(batch, curated, "event_id")

    assertDataFrameEqual(result, spark.createDataFrame([new, anonymous], RAW_SCHEMA), checkRowOrder=False)
    assertDataFrameEqual(drop_existing_keys(batch, None), batch)
