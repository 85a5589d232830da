"""The raw -> curated pipeline as one function over DataFrames, configured by `CurateConfig`.

Order matters: test events are filtered out first; de-duplication needs the lineage columns, so it
runs before they are dropped; the dimension is joined onto the de-duplicated rows; columns null in
every row are dropped only after the join and the derived columns have read them; partition
columns (`dt`, `hour`, as in the raw zone) come last, as the table writer expects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pyspark.sql import DataFrame

from glue.lib.dedupe import drop_existing_keys, keep_first_delivery
from glue.lib.transforms import drop_fields, drop_null_fields, filter_rows, join_dimension, map_columns

LINEAGE_COLUMNS = ("_shard_id", "_sequence_number", "_sub_sequence_number", "_approximate_arrival", "_ingested_at")
PARTITION_KEYS = ("dt", "hour")


@dataclass(frozen=True)
class DimensionSpec:
    """A dimension to enrich from: `path` read in `format` (csv or json), joined on `key`."""

    path: str
    format: str = "csv"
    key: str = "user_id"
    columns: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CurateConfig:
    """What curate does to a dataset. The defaults are those of the `clickstream` dataset."""

    record_key: str = "event_id"
    # Lineage is for de-duplication only. Personal fields can be added, nested ones too ("page.referrer").
    drop_fields: tuple[str, ...] = LINEAGE_COLUMNS
    exclude_predicate: str | None = "is_test = true"
    derived_columns: Mapping[str, str] = field(
        default_factory=lambda: {"event_type": "lower(trim(event_type))", "event_date": "to_date(event_time)"}
    )
    drop_null_fields: bool = True
    partition_keys: tuple[str, ...] = PARTITION_KEYS
    dimension: DimensionSpec | None = None


def curate_frame(
    raw: DataFrame,
    config: CurateConfig = CurateConfig(),
    existing_keys: DataFrame | None = None,
    dimension: DataFrame | None = None,
) -> DataFrame:
    """Turn a raw-zone DataFrame into curated rows.

    `existing_keys` holds the record keys already curated (any frame with the key column); rows
    with those keys are dropped, so a record redelivered in a later run does not survive twice.
    `dimension` is the already-read dimension of `config.dimension` (None: no enrichment).

    >>> curated = curate_frame(spark.read.parquet("raw/clickstream"), CurateConfig())  # doctest: +SKIP
    """
    key = config.record_key
    rows = filter_rows(raw, config.exclude_predicate)
    rows = keep_first_delivery(rows, key)
    rows = drop_existing_keys(rows, existing_keys, key)
    rows = drop_fields(rows, config.drop_fields)
    from_raw = set(rows.columns)
    if dimension is not None and config.dimension is not None:
        rows = join_dimension(rows, dimension, config.dimension.key, config.dimension.columns)
    rows = map_columns(rows, config.derived_columns)
    if config.drop_null_fields:
        rows = drop_null_fields(rows, keep=_kept_when_null(rows.columns, from_raw, config))
    data_columns = [name for name in rows.columns if name not in config.partition_keys]
    return rows.select(*data_columns, *[name for name in config.partition_keys if name in rows.columns])


def _kept_when_null(columns: list[str], from_raw: set[str], config: CurateConfig) -> list[str]:
    """The `columns` DropNullFields keeps even when null in every row of the batch.

    The record key, the partition columns and the dimension key (a batch of only anonymous events
    still has `user_id`), and every column the join or the derived columns wrote: unmatched facts
    keep null `country` and `plan`, so a batch's schema does not depend on who visited.
    """
    protected = {config.record_key, *config.partition_keys, *config.derived_columns}
    if config.dimension is not None:
        protected.add(config.dimension.key)
    return [name for name in columns if name in protected or name not in from_raw]
