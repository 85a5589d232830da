"""Compaction manifests and the retirement of compacted-away files.

Each compaction run writes `<root>/<run_id>/_manifest.json` listing, per partition, the old
location and its exact files. A later run deletes those files once the grace period has passed
(readers that listed them before the swap have finished by then), and only those: a file that
appeared in an old location after the swap was written by a concurrent writer and is invisible to
catalog readers, so it is reported (ConcurrentWriteError) instead of being deleted or ignored.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pyspark.sql import SparkSession

from glue.lib.compact import PartitionCompaction
from glue.lib.errors import ConcurrentWriteError
from glue.lib.storage import delete_paths, list_children, list_data_files, path_exists, read_text, write_text

MANIFEST = "_manifest.json"


def write_manifest(spark: SparkSession, root: str, run_id: str, table: str, now: datetime, done: list[PartitionCompaction]) -> str:
    """Record the partitions compacted by run `run_id`; returns the manifest's location."""
    location = f"{root.rstrip('/')}/{run_id}/{MANIFEST}"
    manifest = {
        "run_id": run_id,
        "table": table,
        "created_at": now.isoformat(),
        "retired_at": None,
        "partitions": [
            {
                "values": dict(item.values),
                "old_location": item.old_location,
                "old_files": list(item.old_files),
                "new_location": item.new_location,
                "rows": item.rows,
            }
            for item in done
        ],
    }
    write_text(spark, location, json.dumps(manifest, indent=2, sort_keys=True))
    return location


def read_manifests(spark: SparkSession, root: str) -> list[dict[str, Any]]:
    """Every manifest under `root`, oldest run first."""
    manifests = []
    for run in list_children(spark, root):
        location = f"{run}/{MANIFEST}"
        if path_exists(spark, location):
            manifests.append({**json.loads(read_text(spark, location)), "_location": location})
    return sorted(manifests, key=lambda manifest: manifest["created_at"])


def retire_compacted(spark: SparkSession, root: str, now: datetime, grace: timedelta) -> list[str]:
    """Delete the old files of every manifest older than `grace`; returns the files deleted.

    A manifest is marked retired once done, so each file is deleted once. Raises
    ConcurrentWriteError, deleting nothing of that manifest, when an old location holds files the
    manifest does not list.
    """
    deleted: list[str] = []
    for manifest in read_manifests(spark, root):
        if manifest["retired_at"] is not None or datetime.fromisoformat(manifest["created_at"]) + grace > now:
            continue
        for partition in manifest["partitions"]:
            unexpected = sorted(set(list_data_files(spark, partition["old_location"])) - set(partition["old_files"]))
            if unexpected:
                raise ConcurrentWriteError(partition["old_location"], unexpected)
        for partition in manifest["partitions"]:
            delete_paths(spark, partition["old_files"])
            deleted.extend(partition["old_files"])
        location = manifest.pop("_location")
        write_text(spark, location, json.dumps({**manifest, "retired_at": now.isoformat()}, indent=2, sort_keys=True))
    return deleted

