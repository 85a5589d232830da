"""File-system operations through Spark's Hadoop FileSystem, so the same code lists, reads and
deletes objects on S3 in Glue and on the local disk in tests. Names starting with `_` or `.` are
metadata (`_SUCCESS`, manifests), not data, as for Spark and Athena readers."""

from __future__ import annotations

from pyspark.sql import SparkSession


def _path(spark: SparkSession, location: str):  # noqa: ANN202 - a py4j object
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(location)
    return path, path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())


def list_data_files(spark: SparkSession, location: str) -> list[str]:
    """The data files directly under `location` (sorted URIs); [] when it does not exist."""
    path, fs = _path(spark, location)
    if not fs.exists(path):
        return []
    statuses = fs.listStatus(path)
    names = [str(status.getPath().toString()) for status in statuses if status.isFile()]
    return sorted(name for name in names if not name.rsplit("/", 1)[-1].startswith(("_", ".")))


def path_exists(spark: SparkSession, location: str) -> bool:
    """Whether a file or folder exists at `location`."""
    path, fs = _path(spark, location)
    return bool(fs.exists(path))


def list_children(spark: SparkSession, location: str) -> list[str]:
    """The sub-folders directly under `location` (sorted URIs); [] when it does not exist."""
    path, fs = _path(spark, location)
    if not fs.exists(path):
        return []
    return sorted(str(status.getPath().toString()) for status in fs.listStatus(path) if status.isDirectory())


def delete_paths(spark: SparkSession, locations: list[str]) -> None:
    """Delete each file (or folder, recursively) in `locations`; absent ones are skipped."""
    for location in locations:
        path, fs = _path(spark, location)
        fs.delete(path, True)


def write_text(spark: SparkSession, location: str, text: str) -> None:
    """Create or replace the file at `location` with `text` (UTF-8)."""
    path, fs = _path(spark, location)
    stream = fs.create(path, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


def read_text(spark: SparkSession, location: str) -> str:
    """The whole content of the file at `location`, decoded as UTF-8."""
    # Not spark.read.text: Spark's readers skip names starting with "_", like `_manifest.json`.
    path, fs = _path(spark, location)
    stream = fs.open(path)
    try:
        return bytes(spark.sparkContext._jvm.org.apache.commons.io.IOUtils.toByteArray(stream)).decode("utf-8")
    finally:
        stream.close()
