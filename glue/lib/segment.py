"""Customer segmentation: per-user behaviour features clustered with K-Means (Spark MLlib).

Features are standardised (zero mean, unit variance) so that an amount in the thousands does not
drown an event count; with a fixed `seed` the assignment is reproducible run to run.
"""

from __future__ import annotations

from pyspark.ml import Pipeline
from pyspark.ml.clustering import KMeans
from pyspark.ml.feature import StandardScaler, VectorAssembler
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

FEATURES = ("event_count", "total_amount", "distinct_event_types")
CLUSTER_ID = "cluster_id"


def user_features(events: DataFrame, user_column: str = "user_id") -> DataFrame:
    """One row per known user: event count, total amount (nulls count as 0), distinct event types."""
    return (
        events.where(F.col(user_column).isNotNull())
        .groupBy(user_column)
        .agg(
            F.count(F.lit(1)).cast("double").alias("event_count"),
            F.coalesce(F.sum(F.col("amount").cast("double")), F.lit(0.0)).alias("total_amount"),
            F.countDistinct("event_type").cast("double").alias("distinct_event_types"),
        )
    )


def assign_segments(features: DataFrame, k: int = 4, seed: int = 42, user_column: str = "user_id") -> DataFrame:
    """Cluster users into at most `k` segments: `user_column`, `cluster_id` (int, 0-based).

    K-Means needs two points at least; with fewer users than `k` the number of clusters shrinks to
    the number of users, and a single user is segment 0.
    """
    users = features.count()
    if users < 2:
        return features.select(user_column, F.lit(0).alias(CLUSTER_ID))
    pipeline = Pipeline(
        stages=[
            VectorAssembler(inputCols=list(FEATURES), outputCol="__raw"),
            StandardScaler(inputCol="__raw", outputCol="__features", withMean=True, withStd=True),
            KMeans(featuresCol="__features", predictionCol=CLUSTER_ID, k=min(k, users), seed=seed, maxIter=50),
        ]
    )
    ordered = features.orderBy(user_column)
    return pipeline.fit(ordered).transform(ordered).select(user_column, F.col(CLUSTER_ID).cast("int"))
