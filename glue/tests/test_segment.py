"""Per-user features and K-Means segments: exact features, separated groups, reproducible with a seed."""

from __future__ import annotations

from decimal import Decimal

from pyspark.testing import assertDataFrameEqual

from glue.lib.segment import assign_segments, user_features

EVENTS = "user_id string, event_type string, amount decimal(18,4)"
FEATURES = "user_id string, event_count double, total_amount double, distinct_event_types double"


def events(spark):
    browsing = [(user, "page_view", None) for user in ("a1", "a2", "a3") for _ in range(6)]
    browsing += [("a3", "page_view", None)]
    buying = [
        ("b1", "search", None), ("b1", "add_to_cart", Decimal("0")), ("b1", "purchase", Decimal("250.5000")),
        ("b2", "search", None), ("b2", "purchase", Decimal("300.0000")), ("b2", "checkout", Decimal("0")),
        ("b3", "purchase", Decimal("280.2500")), ("b3", "search", None), ("b3", "click", None),
    ]  # fmt: skip
    return spark.createDataFrame([*browsing, *buying, (None, "page_view", Decimal("1"))], EVENTS)


def test_user_features_counts_events_sums_amounts_and_counts_event_types_per_known_user(spark):
    result = user_features(events(spark))

    expected = spark.createDataFrame(
        [
            ("a1", 6.0, 0.0, 1.0), ("a2", 6.0, 0.0, 1.0), ("a3", 7.0, 0.0, 1.0),
            ("b1", 3.0, 250.5, 3.0), ("b2", 3.0, 300.0, 3.0), ("b3", 3.0, 280.25, 3.0),
        ],
        FEATURES,
    )  # fmt: skip
    assertDataFrameEqual(result, expected, checkRowOrder=False)


def test_kmeans_puts_browsers_and_buyers_in_different_segments(spark):
    segments = {row.user_id: row.cluster_id for row in assign_segments(user_features(events(spark)), k=2, seed=7).collect()}

    assert segments["a1"] == segments["a2"] == segments["a3"]
    assert segments["b1"] == segments["b2"] == segments["b3"]
    assert segments["a1"] != segments["b1"]
    assert set(segments.values()) == {0, 1}


def test_kmeans_with_the_same_seed_assigns_the_same_segments_twice(spark):
    features = user_features(events(spark))

    first = assign_segments(features, k=3, seed=11)
    second = assign_segments(features.orderBy("total_amount"), k=3, seed=11)

    assertDataFrameEqual(first, second, checkRowOrder=False)


def test_fewer_than_two_users_form_one_segment(spark):
    one = spark.createDataFrame([("a1", 1.0, 0.0, 1.0)], FEATURES)

    assertDataFrameEqual(assign_segments(one, k=4), spark.createDataFrame([("a1", 0)], "user_id string, cluster_id int"))
