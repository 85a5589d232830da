"""The Glue-style row and column transforms of the curate job: DropFields, DropNullFields, Filter,
Join and Map, each a DataFrame -> DataFrame function with the edge cases written down."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from glue.lib.errors import ConfigError, DimensionKeyNotUniqueError


def drop_fields(frame: DataFrame, fields: Iterable[str]) -> DataFrame:
    """Drop top-level columns and nested struct fields (`"page.referrer"`); absent names are ignored.

    >>> drop_fields(events, ["_shard_id", "page.referrer"])  # doctest: +SKIP
    """
    result = frame
    for field in fields:
        column, _, nested = field.partition(".")
        if column not in result.columns:
            continue
        if not nested:
            result = result.drop(column)
            continue
        if _has_path(result, field):
            result = result.withColumn(column, F.col(column).dropFields(nested))
    return result


def drop_null_fields(frame: DataFrame, keep: Iterable[str] = ()) -> DataFrame:
    """Drop the columns that are null in every row, except those in `keep` (keys, partition columns).

    One aggregation pass. An empty frame is returned unchanged: with no rows there is no evidence
    that a column is unused, and dropping every column would lose the schema.
    """
    protected = set(keep)
    candidates = [name for name in frame.columns if name not in protected]
    if not candidates:
        return frame
    counts = frame.agg(*[F.count(F.col(f"`{name}`")).alias(name) for name in candidates], F.count(F.lit(1)).alias("__rows"))
    row = counts.first()
    if row is None or row["__rows"] == 0:
        return frame
    empty = [name for name in candidates if row[name] == 0]
    return frame.drop(*empty)


def filter_rows(frame: DataFrame, exclude_predicate: str | None) -> DataFrame:
    """Drop the rows for which the SQL predicate is true; rows where it is null are kept.

    `exclude_predicate="is_test = true"` drops test events but keeps events whose `is_test` is null.
    """
    if not exclude_predicate:
        return frame
    return frame.where(~F.coalesce(F.expr(exclude_predicate), F.lit(False)))


def join_dimension(frame: DataFrame, dimension: DataFrame, key: str, columns: Iterable[str] | None = None) -> DataFrame:
    """Left-join `columns` of `dimension` onto `frame` by `key`; facts without a match keep nulls.

    The dimension must be unique on `key` (checked, raising DimensionKeyNotUniqueError) and its
    columns must not collide with the frame's, so the join can never multiply or shadow fact rows.
    """
    if key not in frame.columns or key not in dimension.columns:
        raise ConfigError("dimension_key", f"{key!r} must be a column of both the facts and the dimension")
    wanted = [name for name in (columns if columns is not None else dimension.columns) if name != key]
    clashes = sorted(set(wanted) & set(frame.columns))
    if clashes:
        raise ConfigError("dimension_columns", f"{clashes} already exist in the facts")
    lookup = dimension.select(key, *wanted)
    duplicated = lookup.groupBy(key).count().where("count > 1").limit(5).collect()
    if duplicated:
        raise DimensionKeyNotUniqueError(key, [str(row[key]) for row in duplicated])
    return frame.join(lookup.where(F.col(key).isNotNull()), on=key, how="left").select(*frame.columns, *wanted)


def map_columns(frame: DataFrame, expressions: Mapping[str, str | Column]) -> DataFrame:
    """Add or replace columns from SQL expressions (or Columns), in order, so later ones may use earlier.

    >>> map_columns(events, {"event_type": "lower(trim(event_type))", "event_date": "to_date(event_time)"})  # doctest: +SKIP
    """
    result = frame
    for name, expression in expressions.items():
        result = result.withColumn(name, F.expr(expression) if isinstance(expression, str) else expression)
    return result


def _has_path(frame: DataFrame, path: str) -> bool:
    data_type = frame.schema
    for part in path.split("."):
        names = getattr(data_type, "names", None)
        if names is None or part not in names:
            return False
        data_type = data_type[part].dataType
    return True

