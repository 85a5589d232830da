"""Exact de-duplication on the record key, within a batch and across runs.

Kinesis delivers at least once: a redelivered record carries the same record key (`event_id`) but
may carry another `_sequence_number`, `_approximate_arrival` or `_ingested_at`. Within a batch the
first delivery wins: the earliest `_approximate_arrival`, then the smallest sequence number. Across
runs a key already in the curated zone is dropped. Rows whose key is null are never merged.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

ARRIVAL = "_approximate_arrival"
SEQUENCE = "_sequence_number"
SUB_SEQUENCE = "_sub_sequence_number"


def sequence_order(column: str = SEQUENCE) -> list[Column]:
    """Sort keys that order Kinesis sequence numbers numerically.

    They are decimal strings of up to ~56 digits, beyond int64 and decimal(38,0), so they are
    compared by (length, string): with no leading zeros a longer number is larger, and numbers of
    equal length order like their strings. Nulls sort last.
    """
    return [F.length(column).asc_nulls_last(), F.col(column).asc_nulls_last()]


def first_delivery_order(frame: DataFrame) -> list[Column]:
    """The order in which deliveries of one record compete; the lineage columns present are used."""
    order: list[Column] = []
    if ARRIVAL in frame.columns:
        order.append(F.col(ARRIVAL).asc_nulls_last())
    if SEQUENCE in frame.columns:
        order.extend(sequence_order(SEQUENCE))
    if SUB_SEQUENCE in frame.columns:
        order.append(F.col(SUB_SEQUENCE).asc_nulls_last())
    return order


def keep_first_delivery(frame: DataFrame, key: str = "event_id") -> DataFrame:
    """Keep one row per `key`: the first delivery. Rows with a null key all pass through.

    Remaining ties (identical lineage) are broken by every other column, so the result does not
    depend on how Spark split the input.
    """
    order = first_delivery_order(frame)
    tie_break = [F.col(f"`{name}`").asc_nulls_last() for name in frame.columns if name != key and _orderable(frame, name)]
    ranked = frame.withColumn("__rank", F.row_number().over(Window.partitionBy(key).orderBy(*order, *tie_break)))
    return ranked.where(F.col(key).isNull() | (F.col("__rank") == 1)).drop("__rank")


def drop_existing_keys(frame: DataFrame, existing: DataFrame | None, key: str = "event_id") -> DataFrame:
    """Drop rows whose `key` already exists in `existing` (e.g. the curated zone). Null keys are kept."""
    if existing is None:
        return frame
    known = existing.select(key).where(F.col(key).isNotNull()).distinct()
    return frame.join(known, on=key, how="left_anti").select(*frame.columns)


def _orderable(frame: DataFrame, name: str) -> bool:
    return frame.schema[name].dataType.typeName() != "map"
