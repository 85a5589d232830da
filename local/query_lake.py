"""The demo's query over the lake, with DuckDB: rows per dataset and partition, and a sample.

Usage: query_lake.py <root>   where <root> holds raw/<dataset>/dt=.../hour=.../*.parquet
(a local copy of the lake bucket). Prints one JSON document on stdout.
"""
import json
import pathlib
import sys

import duckdb


def main() -> None:
    root = pathlib.Path(sys.argv[1])
    con = duckdb.connect()
    result: dict = {"partitions": [], "samples": {}}
    for dataset_dir in sorted((root / "raw").iterdir()):
        if not dataset_dir.is_dir():
            continue
        pattern = str(dataset_dir / "**" / "*.parquet")
        source = f"read_parquet('{pattern}', hive_partitioning = true, union_by_name = true)"
        rows = con.execute(
            f"SELECT dt, hour, count(*) AS row_count, count(DISTINCT filename) AS files "
            f"FROM (SELECT *, filename FROM read_parquet('{pattern}', hive_partitioning = true, "
            f"union_by_name = true, filename = true)) GROUP BY dt, hour ORDER BY dt, hour"
        ).fetchall()
        for dt, hour, count, files in rows:
            result["partitions"].append(
                {"dataset": dataset_dir.name, "dt": str(dt), "hour": str(hour), "rows": count, "files": files}
            )
        describe = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        result["samples"][dataset_dir.name] = {
            "columns": {name: kind for name, kind, *_ in describe},
        }
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
