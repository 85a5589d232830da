"""The local runner the demo calls: curate over folders (raw written by pyarrow, as the ingest does),
a rerun that writes nothing twice, compaction of the curated folders, and glue/README.md's local
steps as written."""

from __future__ import annotations

import json
import shlex
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.testing import assertDataFrameEqual

from glue import local_run

RAW = pa.schema(
    [
        ("event_id", pa.string()), ("user_id", pa.string()), ("event_type", pa.string()),
        ("event_time", pa.timestamp("us", tz="UTC")),
        ("page", pa.struct([("url", pa.string()), ("referrer", pa.string())])),
        ("tags", pa.list_(pa.string())), ("amount", pa.decimal128(18, 4)), ("quantity", pa.int32()),
        ("big_counter", pa.int64()), ("is_test", pa.bool_()), ("properties", pa.map_(pa.string(), pa.string())),
        ("_unmapped", pa.string()), ("_shard_id", pa.string()), ("_sequence_number", pa.string()),
        ("_sub_sequence_number", pa.int64()), ("_approximate_arrival", pa.timestamp("ms", tz="UTC")),
        ("_ingested_at", pa.timestamp("ms", tz="UTC")),
    ]
)  # fmt: skip
AT = datetime(2024, 5, 1, 7, 0, tzinfo=timezone.utc)
ROOT = Path(__file__).resolve().parents[2]


def event(event_id: str, sequence: str, **overrides) -> dict:
    row = {
        "event_id": event_id, "user_id": "u1", "event_type": "Click", "event_time": AT, "page": {"url": "/a", "referrer": None},
        "tags": ["web"], "amount": Decimal("1.5000"), "quantity": 2, "big_counter": 2**60 + 1, "is_test": False,
        "properties": [("k", "v")], "_unmapped": None, "_shard_id": "shardId-000000000001", "_sequence_number": sequence,
        "_sub_sequence_number": None, "_approximate_arrival": AT, "_ingested_at": AT,
    }  # fmt: skip
    row.update(overrides)
    return row


def write_raw(root: Path, hour: str, name: str, rows: list[dict]) -> None:
    folder = root / "dt=2024-05-01" / f"hour={hour}"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, RAW), folder / name)


def test_curate_then_rerun_then_compact_over_local_folders(spark, tmp_path, capsys):
    raw, curated = tmp_path / "raw" / "clickstream", tmp_path / "curated" / "clickstream"
    write_raw(raw, "07", "a.parquet", [event("e1", "10"), event("e2", "11", is_test=True), event("e1", "12")])
    write_raw(raw, "08", "b.parquet", [event("e3", "13", user_id="u2")])
    (tmp_path / "users.csv").write_text("user_id,country,plan\nu1,DE,pro\n")
    curate_argv = ["curate", "--raw", str(raw), "--curated", str(curated), "--dimension", str(tmp_path / "users.csv")]

    first = local_run.main(curate_argv, spark)
    rerun = local_run.main(curate_argv, spark)
    write_raw(raw, "07", "c.parquet", [event("e4", "14"), event("e1", "15")])
    third = local_run.main(curate_argv, spark)
    before = spark.read.parquet(str(curated)).localCheckpoint()
    compacted = local_run.main(["compact", "--table", str(curated)], spark)

    assert first == {
        "job": "curate", "rows_in": 4, "rows_excluded": 1, "duplicates_dropped": 1, "rows_out": 2,
        "partitions_written": ["dt=2024-05-01/hour=07", "dt=2024-05-01/hour=08"],
    }  # fmt: skip
    assert (rerun["rows_out"], rerun["duplicates_dropped"]) == (0, 3)
    assert (third["rows_out"], third["partitions_written"]) == (1, ["dt=2024-05-01/hour=07"])
    assert compacted == {"job": "compact", "partitions_compacted": ["dt=2024-05-01/hour=07"], "files_before": 2, "files_after": 1, "rows": 2}
    after = spark.read.parquet(str(curated))
    assertDataFrameEqual(after, before, checkRowOrder=False)
    expected = spark.createDataFrame(
        [("e1", "click", "DE", Decimal("1.5000"), 2**60 + 1, "07"), ("e4", "click", "DE", Decimal("1.5000"), 2**60 + 1, "07"),
         ("e3", "click", None, Decimal("1.5000"), 2**60 + 1, "08")],
        "event_id string, event_type string, country string, amount decimal(18,4), big_counter bigint, hour string",
    )  # fmt: skip
    assertDataFrameEqual(after.select("event_id", "event_type", "country", "amount", "big_counter", "hour"), expected, checkRowOrder=False)
    assert [json.loads(line)["job"] for line in capsys.readouterr().out.splitlines()] == ["curate"] * 3 + ["compact"]


def test_the_runner_starts_as_a_script_from_the_repository_root():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "glue/local_run.py", "curate", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert "--curated" in result.stdout


def readme_local_run_commands() -> list[list[str]]:
    """The `glue/local_run.py` commands of glue/README.md's local steps, as argument lists."""
    text = (ROOT / "glue" / "README.md").read_text().replace("\\\n", " ")
    prefix = ".venv/bin/python glue/local_run.py "
    return [shlex.split(line.strip()[len(prefix) :]) for line in text.splitlines() if line.strip().startswith(prefix)]


def test_the_readme_local_run_commands_run_on_a_copied_raw_zone_with_the_shipped_users_sample(spark, tmp_path, monkeypatch):
    # `make local-lake` copies the raw zone to lake/raw/; here the raw files are written in its place.
    lake = tmp_path / "lake"
    write_raw(lake / "raw" / "clickstream", "07", "a.parquet", [event("e1", "10", user_id="user-42"), event("e2", "11", user_id=None)])
    write_raw(lake / "raw" / "clickstream", "08", "b.parquet", [event("e3", "12", user_id="user-7")])
    monkeypatch.chdir(ROOT)  # as written: the other paths are relative to the repository root
    commands = [[str(tmp_path / arg) if arg.startswith("lake/") else arg for arg in argv] for argv in readme_local_run_commands()]

    summaries = [local_run.main(argv, spark) for argv in commands]

    assert [argv[0] for argv in commands] == ["curate", "compact"]
    assert summaries[0]["rows_out"] == 3
    assert summaries[1]["partitions_compacted"] == []
    expected = spark.createDataFrame(
        [("e1", "user-42", "NL", "pro"), ("e2", None, None, None), ("e3", "user-7", "DE", "pro")],
        "event_id string, user_id string, country string, plan string",
    )
    curated = spark.read.parquet(str(lake / "curated" / "clickstream"))
    assertDataFrameEqual(curated.select("event_id", "user_id", "country", "plan"), expected, checkRowOrder=False)
