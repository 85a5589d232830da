"""Fuzzy record matching with MinHash LSH: the local stand-in for Glue's FindMatches transform.

Records are reduced to normalised text (lower case, letters and digits only), cut into character
shingles, hashed into sparse vectors and compared with MinHash locality-sensitive hashing. Pairs
within `max_distance` (Jaccard distance of their shingle sets) are matched, and matched pairs are
closed transitively into groups. Every row gets a `match_id`: the smallest id of its group, or its
own id. Like FindMatches, it finds duplicates that share no common key.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.ml.feature import HashingTF, MinHashLSH
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

MATCH_ID = "match_id"


def normalised_text(columns: Sequence[str]) -> Column:
    """Lower-case the columns, keep letters and digits, collapse the rest to single spaces."""
    parts = [F.coalesce(F.col(name).cast("string"), F.lit("")) for name in columns]
    text = F.lower(F.concat_ws(" ", *parts))
    return F.trim(F.regexp_replace(text, r"[^\p{L}\p{N}]+", " "))


def shingles(text_column: str, size: int) -> Column:
    """The distinct character `size`-grams of a text column (a shorter text gives itself; "" none)."""
    name = f"`{text_column}`"
    grams = F.expr(f"transform(sequence(1, greatest(length({name}) - {size} + 1, 1)), i -> substring({name}, i, {size}))")
    return F.when(F.length(text_column) == 0, F.array().cast("array<string>")).otherwise(F.array_distinct(grams))


def find_fuzzy_matches(
    frame: DataFrame,
    id_column: str,
    columns: Sequence[str],
    max_distance: float = 0.5,
    shingle_size: int = 3,
    hash_tables: int = 8,
    seed: int = 17,
) -> DataFrame:
    """Add `match_id` to `frame`: rows whose `columns` read alike share the smallest id of their group.

    Rows whose text is empty are not compared and keep their own id. Matching pairs are collected
    to the driver to be grouped, which suits the small share of rows that are duplicates.
    """
    text = frame.select(F.col(id_column).cast("string").alias("__id"), normalised_text(columns).alias("__text"))
    # An empty text gets a token of its own id: MinHash needs a non-empty set, and it must match nothing.
    own = F.array(F.concat(F.lit("\u0000"), F.coalesce(F.col("__id"), F.lit(""))))
    grams = text.select("__id", shingles("__text", shingle_size).alias("__grams"))
    grams = grams.withColumn("__grams", F.when(F.size("__grams") == 0, own).otherwise(F.col("__grams")))
    vectors = HashingTF(inputCol="__grams", outputCol="__features", numFeatures=1 << 18, binary=True).transform(grams)
    model = MinHashLSH(inputCol="__features", outputCol="__hashes", numHashTables=hash_tables, seed=seed).fit(vectors)
    pairs = (
        model.approxSimilarityJoin(vectors, vectors, max_distance, distCol="__distance")
        .select(F.col("datasetA.__id").alias("a"), F.col("datasetB.__id").alias("b"))
        .where(F.col("a") < F.col("b"))
        .distinct()
        .collect()
    )
    groups = _group_ids([(row["a"], row["b"]) for row in pairs])
    if not groups:
        return frame.withColumn(MATCH_ID, F.col(id_column).cast("string"))
    spark = frame.sparkSession
    mapping = spark.createDataFrame(sorted(groups.items()), "__id string, __match string")
    own_id = F.col(id_column).cast("string")
    joined = frame.join(F.broadcast(mapping), own_id == F.col("__id"), "left")
    return joined.withColumn(MATCH_ID, F.coalesce(F.col("__match"), own_id)).drop("__id", "__match")


def _group_ids(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Union-find over matched pairs: every id in a pair -> the smallest id of its connected group."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: root(node) for node in parent}


def duplicate_groups(matched: DataFrame, id_column: str, keep: Sequence[str] = ()) -> DataFrame:
    """The rows of `matched` (with a `match_id`, from here or FindMatches) whose group has 2+ rows.

    Columns: `id_column`, `match_id`, `group_size`, then `keep`; ordered by group, then id.
    """
    size = F.count(F.lit(1)).over(Window.partitionBy(MATCH_ID))
    grouped = matched.select(id_column, F.col(MATCH_ID).cast("string").alias(MATCH_ID), *keep).withColumn("group_size", size)
    return grouped.where("group_size > 1").select(id_column, MATCH_ID, "group_size", *keep).orderBy(MATCH_ID, id_column)
