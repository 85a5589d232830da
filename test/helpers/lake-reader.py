"""Prints the rows of the lake's Parquet files as JSON lines, read with pyarrow.

The independent reader of the integration tests: the lake is written by streamlake's own
writer, so it is read back with a different Parquet implementation. Usage:
    lake-reader.py <root> <dataset>=<key column> ...
Every `*.parquet` under <root>/<dataset>/ yields {"dataset", "id", "shard", "seq", "sub", "file"}.
"""
import json
import pathlib
import sys

import pyarrow.parquet as pq

LINEAGE = ["_shard_id", "_sequence_number", "_sub_sequence_number"]


def main() -> None:
    root = pathlib.Path(sys.argv[1])
    key_columns = dict(arg.split("=", 1) for arg in sys.argv[2:])
    for path in sorted(root.rglob("*.parquet")):
        relative = path.relative_to(root)
        dataset = relative.parts[0]
        column = key_columns[dataset]
        table = pq.ParquetFile(path).read(columns=[column, *LINEAGE])
        for row in table.to_pylist():
            print(json.dumps({
                "dataset": dataset,
                "id": row[column],
                "shard": row["_shard_id"],
                "seq": row["_sequence_number"],
                "sub": row["_sub_sequence_number"],
                "file": str(relative),
            }))


if __name__ == "__main__":
    main()
