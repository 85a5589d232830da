"""Prints Parquet files as JSON, read with pyarrow: the independent reader of the ingest tests.

The lake is written by streamlake's own writer, so it is read back with a different Parquet
implementation. Usage:
    parquet-reader.py <root> <file> ...
prints one JSON object {"<file>": {"schema", "rows", "row_groups", "codecs", "metadata"}} where
<file> is the path relative to <root> and
- "schema" maps each column to its Arrow type as pyarrow prints it (`timestamp[us, tz=UTC]`,
  `decimal128(18, 4)`, `struct<url: string, referrer: string>`, `map<string not null, string>`),
  with " not null" for a required column or field;
- "rows" holds the values serialised exactly: int64 and decimals as strings, timestamps as ISO
  8601 strings with microseconds (`Z` when UTC-adjusted), dates as YYYY-MM-DD, maps as [key, value] pairs in file
  order, binary as base64;
- "row_groups", "codecs" (compression of every column chunk) and "metadata" (key-value footer).
"""
import base64
import datetime
import decimal
import json
import pathlib
import sys

import pyarrow as pa
import pyarrow.parquet as pq


def exact(value: object, type_: pa.DataType) -> object:
    """The JSON form of one Arrow value, guided by its type so nothing is rounded."""
    if value is None:
        return None
    if pa.types.is_map(type_):
        return [[exact(k, type_.key_type), exact(v, type_.item_type)] for k, v in value]
    if pa.types.is_struct(type_):
        return {f.name: exact(value[f.name], f.type) for f in type_}
    if pa.types.is_list(type_) or pa.types.is_large_list(type_):
        return [exact(v, type_.value_type) for v in value]
    if pa.types.is_timestamp(type_):
        assert isinstance(value, datetime.datetime)
        text = value.replace(tzinfo=None).isoformat(timespec="microseconds")
        # Only an instant (UTC-adjusted) gets the Z; a local date-time is printed without one.
        return f"{text}Z" if value.utcoffset() == datetime.timedelta(0) else text
    if pa.types.is_date(type_):
        return value.isoformat()
    if pa.types.is_decimal(type_):
        assert isinstance(value, decimal.Decimal)
        return format(value, "f")
    if pa.types.is_int64(type_) or pa.types.is_uint64(type_):
        return str(value)
    if pa.types.is_binary(type_) or pa.types.is_large_binary(type_):
        return base64.b64encode(value).decode("ascii")
    return value


def type_name(type_: pa.DataType) -> str:
    """Arrow's own type text, except that a map's entries are not named (pyarrow names them after
    the column, which says nothing about the file): `map<string, string>`."""
    def field(f: pa.Field, named: bool = True) -> str:
        text = type_name(f.type) + ("" if f.nullable else " not null")
        return f"{f.name}: {text}" if named else text
    if pa.types.is_map(type_):
        return f"map<{field(type_.key_field, False)}, {field(type_.item_field, False)}>"
    if pa.types.is_struct(type_):
        return f"struct<{', '.join(field(f) for f in type_)}>"
    if pa.types.is_list(type_):
        return f"list<{field(type_.value_field)}>"
    return str(type_)


def describe(path: pathlib.Path) -> dict:
    parquet = pq.ParquetFile(path)
    table = parquet.read()
    schema = {
        field.name: f"{type_name(field.type)}{'' if field.nullable else ' not null'}"
        for field in table.schema
    }
    rows = [
        {field.name: exact(row[field.name], field.type) for field in table.schema}
        for row in table.to_pylist()
    ]
    meta = parquet.metadata
    codecs = sorted({
        meta.row_group(g).column(c).compression
        for g in range(meta.num_row_groups)
        for c in range(meta.num_columns)
    })
    footer = {
        k.decode(): v.decode() for k, v in (meta.metadata or {}).items() if k != b"ARROW:schema"
    }
    return {
        "schema": schema,
        "rows": rows,
        "row_groups": meta.num_row_groups,
        "codecs": codecs,
        "metadata": footer,
    }


def main() -> None:
    root = pathlib.Path(sys.argv[1])
    files = {name: describe(root / name) for name in sys.argv[2:]}
    json.dump(files, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
