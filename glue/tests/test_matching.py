"""The MinHash LSH matcher finds near-duplicates that share no id and leaves distinct records apart."""

from __future__ import annotations

from pyspark.testing import assertDataFrameEqual

from glue.lib.dedupe import keep_first_delivery
from glue.lib.matching import _group_ids, duplicate_groups, find_fuzzy_matches

CUSTOMERS = "id string, name string, email string, street string"
ROWS = [
    ("c1", "John Smith", "john.smith@example.com", "12 Main Street"),
    ("c7", "JOHN  SMYTH", "John.Smith@Example.com", "12 Main St."),  # typo, case, abbreviation
    ("c3", "Jane Doe", "jane@doe.example", "34 Oak Avenue"),
    ("c5", "Maria Garcia", "maria.garcia@example.org", "7 Elm Road"),
    ("c9", "Garcia, Maria", "MARIA.GARCIA@example.org", "7 Elm Rd"),  # reordered name
    ("c6", "", None, None),
    ("c8", "Bob Stone", "bob@stone.example", "1 Hill Lane"),
    ("c2", "Joan Smithers", "joan.smithers@example.net", "21 Mill Street"),  # alike, yet another person
]
COLUMNS = ["name", "email", "street"]
# Jaccard distances of the 3-gram sets: c1-c7 0.18, c5-c9 0.11, c1-c2 0.69 (the closest distinct pair).


def test_near_duplicates_without_a_common_id_share_a_match_id_and_distinct_records_do_not(spark):
    customers = spark.createDataFrame(ROWS, CUSTOMERS)

    result = find_fuzzy_matches(customers, "id", COLUMNS, max_distance=0.5)

    expected_ids = {"c1": "c1", "c7": "c1", "c3": "c3", "c5": "c5", "c9": "c5", "c6": "c6", "c8": "c8", "c2": "c2"}
    expected = spark.createDataFrame([(*row, expected_ids[row[0]]) for row in ROWS], f"{CUSTOMERS}, match_id string")
    assertDataFrameEqual(result, expected, checkRowOrder=False)


def test_fuzzy_matching_merges_the_near_duplicates_exact_matching_keeps_apart(spark):
    customers = spark.createDataFrame(ROWS, CUSTOMERS)

    by_key = keep_first_delivery(customers, "id")
    by_values = customers.dropDuplicates(COLUMNS)
    fuzzy = find_fuzzy_matches(customers, "id", COLUMNS, max_distance=0.5)

    # 8 records of 6 people: exact matching on the id or on the values keeps all 8
    assert (by_key.count(), by_values.count(), fuzzy.select("match_id").distinct().count()) == (8, 8, 6)


def test_duplicate_groups_lists_only_groups_of_two_or_more(spark):
    matched = spark.createDataFrame(
        [("c1", "c1", "07"), ("c7", "c1", "08"), ("c3", "c3", "07"), ("c9", "c5", "07"), ("c5", "c5", "09")],
        "id string, match_id string, hour string",
    )

    result = duplicate_groups(matched, "id", keep=["hour"])

    expected = spark.createDataFrame(
        [("c1", "c1", 2, "07"), ("c7", "c1", 2, "08"), ("c5", "c5", 2, "09"), ("c9", "c5", 2, "07")],
        "id string, match_id string, group_size bigint, hour string",
    )
    assertDataFrameEqual(result, expected)


def test_matches_close_transitively_under_the_smallest_id():
    assert _group_ids([("b", "c"), ("a", "b"), ("x", "y"), ("c", "d")]) == {
        "a": "a", "b": "a", "c": "a", "d": "a", "x": "x", "y": "x",
    }  # fmt: skip


def test_a_frame_without_any_match_keeps_every_id(spark):
    customers = spark.createDataFrame(ROWS[2:4], CUSTOMERS)

    result = find_fuzzy_matches(customers, "id", COLUMNS)

    expected = spark.createDataFrame([("c3", "c3"), ("c5", "c5")], "id string, match_id string")
    assertDataFrameEqual(result.select("id", "match_id"), expected, checkRowOrder=False)
