"""Errors raised by the Glue library. One base class; subclasses carry the data that explains them."""

from __future__ import annotations


class GlueJobError(Exception):
    """Base class of every error the streamlake Glue code raises on purpose."""


class ConfigError(GlueJobError):
    """A job argument or configuration value is missing or invalid; `name` says which."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


class FormatUnavailableError(GlueJobError):
    """The reader for `fmt` is not on this Spark runtime (e.g. the spark-avro package is missing)."""

    def __init__(self, fmt: str, message: str) -> None:
        super().__init__(f"format {fmt!r} unavailable: {message}")
        self.fmt = fmt


class DimensionKeyNotUniqueError(GlueJobError):
    """A dimension has several rows for one key; joining it would multiply fact rows."""

    def __init__(self, key: str, duplicated: list[str]) -> None:
        super().__init__(f"dimension key {key!r} is not unique, e.g. {duplicated}")
        self.key = key
        self.duplicated = duplicated


class CompactionMismatchError(GlueJobError):
    """The compacted copy of a partition does not hold the same rows as its source files."""

    def __init__(self, location: str, rows_before: int, rows_after: int) -> None:
        super().__init__(
            f"compacted copy at {location} differs from its source: {rows_before} rows before, {rows_after} after"
        )
        self.location = location
        self.rows_before = rows_before
        self.rows_after = rows_after


class ConcurrentWriteError(GlueJobError):
    """Files appeared in a location while it was being compacted or retired; nothing was swapped or deleted."""

    def __init__(self, location: str, unexpected: list[str]) -> None:
        super().__init__(f"{location} changed during compaction; unexpected files: {unexpected}")
        self.location = location
        self.unexpected = unexpected
