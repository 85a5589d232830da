"""Each Glue entry point, run end to end on local Spark with Glue's modules replaced by fakes.

The fakes keep Glue's keyword parameters, so wiring mistakes (an argument name, a missing
`transformation_ctx`, a forgotten `job.commit()`) fail here. Catalog tables the jobs write are
tables of the session's local catalog, in temporary folders.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from pyspark.sql import functions as F
from pyspark.testing import assertDataFrameEqual

from glue.jobs import compact, curate, dedupe, segment
from glue.lib.compact import partition_location
from glue.lib.errors import ConfigError
from glue.lib.tables import append_to_table
from glue.tests.fake_awsglue import FakeGlue
from glue.tests.factories import RAW_SCHEMA, raw_event, utc

GLUE_ARGS = ["--job-bookmark-option", "job-bookmark-enable", "--TempDir", "s3://artifacts/glue/tmp/", "--enable-metrics", "true"]


def summary_of(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_curate_reads_raw_with_a_bookmark_context_writes_curated_and_commits(spark, database, tmp_path, monkeypatch, capsys):
    users = tmp_path / "users.json"
    users.write_text('{"user_id": "u1", "country": "DE", "plan": "pro"}\n')
    first = spark.createDataFrame([raw_event("e1"), raw_event("e1", _sequence_number="9"), raw_event("e2", is_test=True), raw_event("e3", user_id="u2")], RAW_SCHEMA)
    glue = FakeGlue({(database, "clickstream"): first})
    glue.install(monkeypatch)
    argv = [
        "curate.py", "--JOB_NAME", "streamlake-curate", "--database", database, "--raw_table", "clickstream",
        "--curated_table", "curated_clickstream", "--curated_location", str(tmp_path / "curated"),
        "--dimension_path", str(users), "--dimension_format", "json", "--dimension_columns", "country,plan", *GLUE_ARGS,
    ]  # fmt: skip

    curate.run(argv)
    first_summary = summary_of(capsys)
    glue.tables[(database, "clickstream")] = spark.createDataFrame([raw_event("e1", hour="08", _sequence_number="99"), raw_event("e7", hour="08")], RAW_SCHEMA)
    curate.run(argv)
    second_summary = summary_of(capsys)

    assert glue.reads == [{"database": database, "table_name": "clickstream", "transformation_ctx": "raw_source"}] * 2
    assert [name for name, _ in glue.inits] == ["streamlake-curate"] * 2
    assert glue.commits == 2
    assert first_summary == {
        "job": "curate", "rows_in": 4, "rows_excluded": 1, "duplicates_dropped": 1, "rows_out": 2,
        "partitions_written": ["dt=2024-05-01/hour=07"],
    }  # fmt: skip
    assert second_summary["rows_out"] == 1 and second_summary["duplicates_dropped"] == 1
    expected = spark.createDataFrame(
        [("e1", "u1", "DE", "pro", "2024-05-01", "07"), ("e3", "u2", None, None, "2024-05-01", "07"), ("e7", "u1", "DE", "pro", "2024-05-01", "08")],
        "event_id string, user_id string, country string, plan string, dt string, hour string",
    )
    curated = spark.table(f"{database}.curated_clickstream")
    assertDataFrameEqual(curated.select("event_id", "user_id", "country", "plan", "dt", "hour"), expected, checkRowOrder=False)
    assert "_sequence_number" not in curated.columns and "page" in curated.columns



def test_curate_caps_the_files_one_run_reads_when_bounded_files_is_given(spark, database, tmp_path, monkeypatch, capsys):
    glue = FakeGlue({(database, "clickstream"): spark.createDataFrame([raw_event("e1")], RAW_SCHEMA)})
    glue.install(monkeypatch)
    argv = [
        "curate.py", "--JOB_NAME", "streamlake-curate", "--database", database, "--raw_table", "clickstream",
        "--curated_table", "curated_clickstream", "--curated_location", str(tmp_path / "curated"), *GLUE_ARGS,
    ]  # fmt: skip

    curate.run([*argv, "--bounded_files", "2000"])
    curate.run(argv)
    with pytest.raises(ConfigError, match="bounded_files"):
        curate.run([*argv, "--bounded_files", "0"])

    assert glue.read_options == [{"boundedFiles": "2000"}, {}]
    capsys.readouterr()

def test_curate_with_nothing_new_since_the_bookmark_writes_nothing_and_commits(spark, database, tmp_path, monkeypatch):
    glue = FakeGlue({(database, "clickstream"): spark.createDataFrame([], "")})
    glue.install(monkeypatch)
    argv = [
        "curate.py", "--JOB_NAME", "streamlake-curate", "--database", database, "--raw_table", "clickstream",
        "--curated_table", "curated_clickstream", "--curated_location", str(tmp_path / "curated"),
    ]  # fmt: skip

    summary = curate.run(argv)

    assert (summary["rows_in"], summary["rows_out"], summary["partitions_written"]) == (0, 0, [])
    assert glue.commits == 1
    assert not spark.catalog.tableExists(f"{database}.curated_clickstream")


def test_curate_fails_before_reading_when_a_required_argument_is_missing(spark, monkeypatch):
    glue = FakeGlue()
    glue.install(monkeypatch)

    with pytest.raises(glue.GlueArgumentError, match="required"):
        curate.run(["curate.py", "--JOB_NAME", "streamlake-curate", "--database", "lake", "--raw_table", "clickstream"])
    assert glue.reads == [] and glue.commits == 0


def curated_events(spark, database, tmp_path):
    """A curated table holding two near-duplicate purchases with different ids and three other events."""
    rows = [
        ("e1", "u1", "purchase", utc("2024-05-01 07:00:03"), ("https://shop.example/Checkout",), Decimal("19.9900"), "2024-05-01", "07"),
        ("e9", "u1", "purchase", utc("2024-05-01 07:00:04"), ("https://shop.example/checkout/",), Decimal("19.9900"), "2024-05-01", "07"),
        ("e2", "u2", "page_view", utc("2024-05-01 07:10:00"), ("https://shop.example/home",), None, "2024-05-01", "07"),
        ("e3", "u2", "search", utc("2024-05-01 08:20:00"), ("https://shop.example/search",), None, "2024-05-01", "08"),
        ("e4", "u3", "purchase", utc("2024-05-01 08:30:00"), ("https://shop.example/checkout",), Decimal("250.0000"), "2024-05-01", "08"),
    ]  # fmt: skip
    schema = "event_id string, user_id string, event_type string, event_time timestamp, page struct<url:string>, amount decimal(18,4), dt string, hour string"
    for row in rows:  # one append per row: many small files, like curate's runs
        append_to_table(spark, f"{database}.curated_clickstream", spark.createDataFrame([row], schema), str(tmp_path / "curated"), ["dt", "hour"])


def test_dedupe_groups_near_duplicates_with_the_local_matcher(spark, database, tmp_path, monkeypatch, capsys):
    curated_events(spark, database, tmp_path)
    glue = FakeGlue()
    glue.install(monkeypatch)
    argv = [
        "dedupe.py", "--JOB_NAME", "streamlake-dedupe", "--database", database, "--curated_table", "curated_clickstream",
        "--matches_table", "matches", "--matches_location", str(tmp_path / "matches"),
    ]  # fmt: skip

    summary = dedupe.run(argv)

    assert (summary["matcher"], summary["rows_in"], summary["duplicate_rows"], summary["match_groups"]) == ("minhash_lsh", 5, 2, 1)
    assert glue.commits == 1 and glue.find_matches_calls == []
    expected = spark.createDataFrame([("e1", "e1", 2, "2024-05-01", "07"), ("e9", "e1", 2, "2024-05-01", "07")], "event_id string, match_id string, group_size bigint, dt string, hour string")
    assertDataFrameEqual(spark.table(f"{database}.matches").drop("run"), expected, checkRowOrder=False)
    assert summary_of(capsys)["run"] == summary["run"]


def test_dedupe_over_an_empty_curated_table_writes_nothing(spark, database, tmp_path, monkeypatch):
    empty = spark.createDataFrame([], "event_id string, user_id string, dt string, hour string")
    append_to_table(spark, f"{database}.curated_clickstream", empty, str(tmp_path / "curated"), ["dt", "hour"])
    FakeGlue().install(monkeypatch)
    argv = [
        "dedupe.py", "--JOB_NAME", "streamlake-dedupe", "--database", database, "--curated_table", "curated_clickstream",
        "--matches_table", "matches", "--matches_location", str(tmp_path / "matches"),
    ]  # fmt: skip

    summary = dedupe.run(argv)

    assert (summary["rows_in"], summary["duplicate_rows"]) == (0, 0)
    assert not spark.catalog.tableExists(f"{database}.matches")


def test_dedupe_applies_the_find_matches_transform_when_configured(spark, database, tmp_path, monkeypatch):
    curated_events(spark, database, tmp_path)
    glue = FakeGlue(match_ids={"e3": "e2"})
    glue.install(monkeypatch)
    argv = [
        "dedupe.py", "--JOB_NAME", "streamlake-dedupe", "--database", database, "--curated_table", "curated_clickstream",
        "--matches_table", "matches", "--matches_location", str(tmp_path / "matches"), "--find_matches_transform_id", "tfm-0123",
    ]  # fmt: skip

    summary = dedupe.run(argv)

    assert glue.find_matches_calls == [{"transformId": "tfm-0123", "transformation_ctx": "find_matches"}]
    assert summary["matcher"] == "find_matches"
    expected = spark.createDataFrame([("e2", "e2", 2, "2024-05-01", "07"), ("e3", "e2", 2, "2024-05-01", "08")], "event_id string, match_id string, group_size bigint, dt string, hour string")
    assertDataFrameEqual(spark.table(f"{database}.matches").drop("run"), expected, checkRowOrder=False)


def test_segment_writes_a_cluster_per_user_and_commits(spark, database, tmp_path, monkeypatch):
    curated_events(spark, database, tmp_path)
    glue = FakeGlue()
    glue.install(monkeypatch)
    argv = [
        "segment.py", "--JOB_NAME", "streamlake-segment", "--database", database, "--curated_table", "curated_clickstream",
        "--segments_table", "segments", "--segments_location", str(tmp_path / "segments"), "--k", "2", "--seed", "3", "--lookback_days", "0",
    ]  # fmt: skip

    summary = segment.run(argv)

    segments = spark.table(f"{database}.segments")
    assert summary["users"] == 3 and sum(summary["cluster_sizes"].values()) == 3
    assert sorted(segments.columns) == sorted(["user_id", "cluster_id", "event_count", "total_amount", "distinct_event_types", "run"])
    features = segments.select("user_id", "event_count", "total_amount", "distinct_event_types")
    expected = spark.createDataFrame([("u1", 2.0, 39.98, 1.0), ("u2", 2.0, 0.0, 2.0), ("u3", 1.0, 250.0, 1.0)], features.schema)
    assertDataFrameEqual(features, expected, checkRowOrder=False)
    assert glue.commits == 1


def test_compact_swaps_settled_partitions_and_keeps_every_row(spark, database, tmp_path, monkeypatch):
    curated_events(spark, database, tmp_path)
    table = f"{database}.curated_clickstream"
    before = spark.table(table).localCheckpoint()
    glue = FakeGlue()
    glue.install(monkeypatch)
    argv = [
        "compact.py", "--JOB_NAME", "streamlake-compact", "--database", database, "--table", "curated_clickstream",
        "--compacted_location", str(tmp_path / "compacted"), "--lookback_hours", "10000000", "--verify", "multiset",
    ]  # fmt: skip

    summary = compact.run(argv)

    assert summary["partitions_compacted"] == ["dt=2024-05-01/hour=07", "dt=2024-05-01/hour=08"]
    assert (summary["files_before"], summary["files_after"], summary["rows"]) == (5, 2, 5)
    location = partition_location(spark, table, {"dt": "2024-05-01", "hour": "07"})
    assert location == f"file:{tmp_path}/compacted/{summary['run']}/dt=2024-05-01/hour=07"
    assertDataFrameEqual(spark.table(table), before, checkRowOrder=False)
    assert (tmp_path / "compacted" / summary["run"] / "_manifest.json").is_file()
    assert glue.commits == 1
    assert spark.table(table).where(F.col("hour") == "07").count() == 3
