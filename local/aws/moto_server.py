"""Starts moto server with three patches to its Kinesis shard model, three to SQS and one to Glue.

Usage (what ``startMoto()`` in ``moto-server.ts`` runs)::

    .venv/bin/python local/aws/moto_server.py -H 127.0.0.1 -p PORT

The arguments are handed unchanged to ``moto.server.main``, exactly as the
``moto_server`` console script does.

Why the patches exist (moto 5.2.x, ``moto/kinesis/models.py``, ``Shard``):

1. ``get_max_sequence_number`` (and ``get_min_sequence_number``) build
   ``list(self.records.keys())`` to read one end of the shard, and
   ``put_record`` calls it for every record. A PutRecord is thus O(n) in the
   number of records already in the shard and filling a stream is quadratic:
   with ``RECORDS=1000000 SHARDS=4 make demo`` the 8th batch of 25k records
   took 125 s instead of ~1 s. ``records`` is an ``OrderedDict`` whose keys are
   increasing ints, so the ends are ``next(reversed(...))`` / ``next(iter(...))``
   (0 when the shard is empty, as before).

2. ``get_records`` walks the shard from its first record to find the records
   after the iterator's sequence number, so every GetRecords is O(n) too and
   reading a stream back is quadratic. moto numbers a shard's records
   1, 2, 3, ... (``put_record`` uses max + 1, and splitting/merging shards
   re-puts records through ``put_record``), so the records after ``last`` are
   found by looking up ``last + 1``, ``last + 2``, ... directly. The results
   are the same as moto's: the same records, the same last sequence number for
   the NextShardIterator, the same MillisBehindLatest (created_at of the
   shard's newest record minus that of the last record returned, 0 when none
   is returned). Whenever the keys are not contiguous where the lookup walks,
   or ``limit`` is not a positive int, the original method is used.

3. ``put_record`` computes ``max + 1`` and then stores the record, without a
   lock. moto server is threaded (werkzeug ``threaded=True``), so concurrent
   PutRecord(s) calls to one shard can get the same sequence number and
   overwrite each other's records: records are lost. The patched
   ``put_record`` holds a per-shard ``threading.Lock``.

4. SQS (``moto/sqs/models.py``, ``Message``): ``visible`` and ``delayed`` read
   the clock through ``unix_time_millis()``, which builds and subtracts
   datetimes (~5 us a call), and moto asks every message of a queue both
   questions on every SendMessage (``queue.attributes`` counts the visible,
   delayed and in-flight messages) and ReceiveMessage. With the ~4,600 S3
   events of ``RECORDS=100000 make demo`` in one queue a receive-and-delete of
   10 messages took 1.8 s, and the demo's catalog step timed out. The patched
   properties compare ``time.time() * 1000`` (the same clock, in the same
   unit) with the message's ``visible_at`` / ``delayed_until``.

5. SQS (``Queue``): ``queue.attributes`` counts the queue's visible, delayed
   and in-flight messages (three passes over all of them), and moto builds it
   where nothing reads the counts: for ``ContentBasedDeduplication`` on every
   SendMessage, for ``MessageRetentionPeriod`` on every message a
   ReceiveMessage considers (through GetQueueAttributes, which builds it three
   times per attribute name). With the ~82,000 S3 events of
   ``RECORDS=1000000 SHARDS=8 make demo`` queued, a send cost a quadratic
   share of moto's time and a receive of 10 took seconds. While a thread is
   inside ``SQSBackend.send_message``, ``send_message_batch`` or
   ``is_message_valid_based_on_retention_period``, the three counts answer
   ``None``; inside ``get_queue_attributes`` a queue's attributes are built
   once. Everywhere else they are counted as before, and GetQueueAttributes
   answers the same counts. The patch is left out when the source of those
   send and retention methods or of ``Queue.add_message`` mentions the counts.

6. SQS (``Queue.delete_message``) looks for the receipt handle in every
   message of the queue, twice, building a list of each message's handles
   each time: a delete costs ~100 ms with ~82,000 S3 events queued, and the
   demo's catalog step would have taken hours. The patched method finds the
   message through an index of receipt handles (current and old) per queue,
   rebuilt in one pass when a handle is not in it (once per received batch),
   and then does what moto does: remove the message, forget it as pending,
   remember its handles as deleted; a handle deleted before is accepted
   again, an unknown one raises ReceiptHandleIsInvalid. The patch is left out
   when moto's method no longer has those steps.

7. Glue (``moto/glue/models.py``, ``FakeCrawler.as_dict``): GetCrawler's
   ``LastCrawl`` is moto's newest crawl with moto's crawl states (RUNNING,
   COMPLETED, STOPPED). AWS reports the last *finished* crawl with a
   ``CrawlerLastCrawlStatus``: SUCCEEDED, CANCELLED or FAILED. startCrawler
   waits for a SUCCEEDED crawl that started after its objects, so under moto's
   answer it never saw one and restarted the crawler for ever. The patched
   method reports the newest finished crawl, COMPLETED as SUCCEEDED and
   STOPPED as CANCELLED, and no ``LastCrawl`` before the first one finished.

Each patch first checks that the method it replaces exists with the expected
signature (and, for 1 and 2, that a probe shard gives the same answers before
and after patching; for 5, that the send and retention paths do not read the
counts). If a check fails, that method stays unpatched and a warning is printed
to stderr: moto has drifted and this file needs a look.
"""

from __future__ import annotations

import inspect
import re
import sys
import threading
import time
import weakref
from collections import OrderedDict
from typing import Any, Callable


def _warn(message: str) -> None:
    print(f"moto_server.py: WARNING: {message}; leaving it unpatched", file=sys.stderr, flush=True)


def _has_signature(cls: type, name: str, params: list[str]) -> bool:
    method = cls.__dict__.get(name)
    if not callable(method):
        _warn(f"{cls.__module__}.{cls.__name__}.{name} not found")
        return False
    try:
        actual = list(inspect.signature(method).parameters)
    except (TypeError, ValueError):
        actual = None
    if actual != params:
        _warn(f"{cls.__name__}.{name} has parameters {actual}, expected {params}")
        return False
    return True


def _probe_shards(shard_cls: type, record_cls: type) -> list[Any]:
    """Shards with records 1..n, made without the metaclass (no trace in moto's model data)."""
    shards = []
    for count in (0, 1, 2, 7):
        shard = shard_cls.__new__(shard_cls)
        shard.records = OrderedDict()
        for seq in range(1, count + 1):
            record = record_cls.__new__(record_cls)
            record.sequence_number = seq
            record.created_at = 1000.0 + seq * 0.25
            shard.records[seq] = record
        shards.append(shard)
    return shards


def _same_answers(shards: list[Any], calls: list[Callable[[Any], Any]], old: Any, new: Any) -> bool:
    for shard in shards:
        for call in calls:
            try:
                if call(shard, old) != call(shard, new):
                    return False
            except Exception:
                return False
    return True


def _patch_sequence_number_ends(models: Any) -> None:
    shard_cls = models.Shard
    for name in ("get_max_sequence_number", "get_min_sequence_number"):
        if not _has_signature(shard_cls, name, ["self"]):
            continue
        original = shard_cls.__dict__[name]
        if name == "get_max_sequence_number":

            def fast(self: Any) -> int:
                records = self.records
                return next(reversed(records)) if records else 0

        else:

            def fast(self: Any) -> int:
                records = self.records
                return next(iter(records)) if records else 0

        fast.__name__ = fast.__qualname__ = name
        fast.__doc__ = f"O(1) {name} (patched by local/aws/moto_server.py)."
        ok = _same_answers(
            _probe_shards(shard_cls, models.Record),
            [lambda shard, fn: fn(shard)],
            original,
            fast,
        )
        if not ok:
            _warn(f"Shard.{name} gives other answers than the patch on a probe shard")
            continue
        setattr(shard_cls, name, fast)


def _patch_get_records(models: Any) -> None:
    shard_cls = models.Shard
    if not _has_signature(shard_cls, "get_records", ["self", "last_sequence_id", "limit"]):
        return
    original = shard_cls.__dict__["get_records"]

    def get_records(self: Any, last_sequence_id: str, limit: int | None) -> tuple[list[Any], int, int]:
        """Like moto's, but finds the records after last_sequence_id by key lookup."""
        if limit is not None and (type(limit) is not int or limit <= 0):
            return original(self, last_sequence_id, limit)
        last = int(last_sequence_id)
        records = self.records
        if not records:
            return [], last, 0
        newest_key = next(reversed(records))
        if last >= newest_key:
            return [], last, 0
        results = []
        key = last + 1
        record = records.get(key)
        while record is not None:
            results.append(record)
            if len(results) == limit or key >= newest_key:
                break
            key += 1
            record = records.get(key)
        if not results or (len(results) != limit and key < newest_key):
            # keys not contiguous after `last`: moto's own scan handles that
            return original(self, last_sequence_id, limit)
        newest = records[next(reversed(records))]
        secs_behind_latest = newest.created_at - results[-1].created_at
        return results, results[-1].sequence_number, int(secs_behind_latest * 1000)

    calls = [
        (lambda last, limit: lambda shard, fn: _records_answer(fn(shard, last, limit)))(last, limit)
        for last in ("-1", "0", "1", "3", "6", "7", "9")
        for limit in (None, 1, 2, 3, 10000)
    ]
    if not _same_answers(_probe_shards(shard_cls, models.Record), calls, original, get_records):
        _warn("Shard.get_records gives other answers than the patch on probe shards")
        return
    get_records.__qualname__ = "Shard.get_records"
    shard_cls.get_records = get_records


def _records_answer(answer: tuple[list[Any], int, int]) -> tuple[list[int], int, int]:
    records, last, millis = answer
    return [id(r) for r in records], last, millis


def _patch_put_record_lock(models: Any) -> None:
    shard_cls = models.Shard
    if not _has_signature(shard_cls, "put_record", ["self", "partition_key", "data", "explicit_hash_key"]):
        return
    original = shard_cls.__dict__["put_record"]
    locks: weakref.WeakKeyDictionary[Any, threading.Lock] = weakref.WeakKeyDictionary()
    locks_guard = threading.Lock()

    def put_record(self: Any, partition_key: str, data: str, explicit_hash_key: str) -> str:
        """moto's put_record under a per-shard lock, so concurrent puts don't share a number."""
        with locks_guard:
            lock = locks.get(self)
            if lock is None:
                lock = locks[self] = threading.Lock()
        with lock:
            return original(self, partition_key, data, explicit_hash_key)

    put_record.__qualname__ = "Shard.put_record"
    shard_cls.put_record = put_record


def _patch_sqs_message_clock(sqs_models: Any) -> None:
    message_cls = getattr(sqs_models, "Message", None)
    if not isinstance(message_cls, type):
        _warn("moto.sqs.models.Message not found")
        return
    questions = (
        ("visible", "visible_at", lambda now, at: now > at),
        ("delayed", "delayed_until", lambda now, at: now < at),
    )
    for name, attribute, answer in questions:
        original = message_cls.__dict__.get(name)
        if not isinstance(original, property) or original.fget is None:
            _warn(f"Message.{name} is not a property")
            continue

        def fast(self: Any, attribute: str = attribute, answer: Any = answer) -> bool:
            return answer(time.time() * 1000.0, getattr(self, attribute))

        now = time.time() * 1000.0
        probes = []
        for at in (0, now - 3_600_000, now + 3_600_000):
            message = message_cls.__new__(message_cls)
            setattr(message, attribute, at)
            probes.append(message)
        try:
            same = all(original.fget(m) == fast(m) for m in probes)
        except Exception:
            same = False
        if not same:
            _warn(f"Message.{name} gives other answers than the patch on probe messages")
            continue
        fast.__name__ = fast.__qualname__ = name
        setattr(message_cls, name, property(fast, doc=f"Message.{name} on time.time() (patched)."))


def _source_of(functions: list[Any], what: str) -> str | None:
    """The source of ``functions``, to check what they do; None (and a warning) when unreadable."""
    try:
        return "".join(inspect.getsource(f) for f in functions)
    except (OSError, TypeError):
        _warn(f"cannot read the source of {what} to check it")
        return None


_QUEUE_COUNTS = (
    "approximate_number_of_messages",
    "approximate_number_of_messages_delayed",
    "approximate_number_of_messages_not_visible",
)
# Backend calls that build ``queue.attributes`` without reading the counts in it.
_UNCOUNTED_CALLS = ("send_message", "send_message_batch", "is_message_valid_based_on_retention_period")


def _patch_sqs_queue_counts(sqs_models: Any) -> None:
    queue_cls = getattr(sqs_models, "Queue", None)
    backend_cls = getattr(sqs_models, "SQSBackend", None)
    if not isinstance(queue_cls, type) or not isinstance(backend_cls, type):
        _warn("moto.sqs.models.Queue/SQSBackend not found")
        return
    counts = {name: queue_cls.__dict__.get(name) for name in _QUEUE_COUNTS}
    attributes = queue_cls.__dict__.get("attributes")
    properties = [*counts.values(), attributes]
    if not all(isinstance(p, property) and p.fget is not None for p in properties):
        _warn("Queue.attributes and its message counts are not properties")
        return
    uncounted = {name: getattr(backend_cls, name, None) for name in _UNCOUNTED_CALLS}
    get_attributes = getattr(backend_cls, "get_queue_attributes", None)
    checked = [*uncounted.values(), getattr(queue_cls, "add_message", None)]
    if not all(callable(f) for f in [*checked, get_attributes]):
        _warn("the SQSBackend send/receive/get_queue_attributes methods are not found")
        return
    if "(patched)" in (get_attributes.__doc__ or ""):
        return  # patched already (patch_moto ran before in this process)
    source = _source_of(checked, "the SQS send and receive paths")
    if source is None:
        return
    if re.search(r"approximate_number|ApproximateNumber", source):
        _warn("the SQS send or receive path reads the queue's message counts")
        return
    state = threading.local()  # per request thread: .uncounted (depth), .memo (dict or None)

    for name, original in counts.items():

        def count(self: Any, original: property = original) -> Any:
            return None if getattr(state, "uncounted", 0) else original.fget(self)

        count.__name__ = count.__qualname__ = name
        doc = f"Queue.{name}; None inside a send or a retention check (patched)."
        setattr(queue_cls, name, property(count, doc=doc))

    def queue_attributes(self: Any) -> Any:
        memo = getattr(state, "memo", None)
        if memo is None:
            return attributes.fget(self)
        if id(self) not in memo:
            memo[id(self)] = attributes.fget(self)
        return memo[id(self)]

    queue_attributes.__name__ = queue_attributes.__qualname__ = "attributes"
    doc = "Queue.attributes, built once per GetQueueAttributes (patched)."
    setattr(queue_cls, "attributes", property(queue_attributes, doc=doc))

    for name, original_call in uncounted.items():

        def call(self: Any, *args: Any, original_call: Any = original_call, **kwargs: Any) -> Any:
            state.uncounted = getattr(state, "uncounted", 0) + 1
            try:
                return original_call(self, *args, **kwargs)
            finally:
                state.uncounted -= 1

        call.__name__ = name
        call.__qualname__ = f"SQSBackend.{name}"
        call.__doc__ = f"SQSBackend.{name}, the queue's message counts left out (patched)."
        setattr(backend_cls, name, call)

    def get_queue_attributes(self: Any, *args: Any, **kwargs: Any) -> Any:
        outer = getattr(state, "memo", None)
        if outer is None:
            state.memo = {}
        try:
            return get_attributes(self, *args, **kwargs)
        finally:
            if outer is None:
                state.memo = None

    get_queue_attributes.__name__ = "get_queue_attributes"
    get_queue_attributes.__qualname__ = "SQSBackend.get_queue_attributes"
    get_queue_attributes.__doc__ = "SQSBackend.get_queue_attributes, each queue's built once (patched)."
    setattr(backend_cls, "get_queue_attributes", get_queue_attributes)


def _patch_sqs_delete_message(sqs_models: Any) -> None:
    queue_cls = getattr(sqs_models, "Queue", None)
    original = getattr(queue_cls, "delete_message", None)
    if not isinstance(queue_cls, type) or not callable(original):
        _warn("moto.sqs.models.Queue.delete_message not found")
        return
    if "(patched)" in (original.__doc__ or ""):
        return  # patched already (patch_moto ran before in this process)
    if not _has_signature(queue_cls, "delete_message", ["self", "receipt_handle"]):
        _warn("Queue.delete_message has another signature")
        return
    source = _source_of([original], "Queue.delete_message")
    if source is None:
        return
    expected = (
        "if receipt_handle in self.deleted_messages:",
        "message.had_receipt_handle(receipt_handle) for message in self._messages",
        "raise ReceiptHandleIsInvalid()",
        "self.pending_messages.discard(message)",
        "self.deleted_messages.update(message.all_receipt_handles)",
        "self._messages = new_messages",
    )
    if not all(line in source for line in expected):
        _warn("Queue.delete_message does other things than the patch")
        return
    from moto.sqs.exceptions import ReceiptHandleIsInvalid

    # Per queue: receipt handle (current or old) -> message, rebuilt when a handle is missing.
    indexes: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()

    def delete_message(self: Any, receipt_handle: str) -> None:
        if receipt_handle in self.deleted_messages:
            return  # already deleted: moto accepts it again
        with self._messages_lock:
            for attempt in (0, 1):
                index = indexes.get(self)
                message = index.get(receipt_handle) if index is not None else None
                if message is not None:
                    try:
                        self._messages.remove(message)  # identity: Message has no __eq__
                        break
                    except ValueError:
                        pass  # gone by another path (purge, retention, DLQ): stale index
                if attempt == 1:
                    raise ReceiptHandleIsInvalid()
                indexes[self] = {
                    handle: m for m in self._messages for handle in m.all_receipt_handles
                }
            for handle in message.all_receipt_handles:
                index.pop(handle, None)
            self.pending_messages.discard(message)
            self.deleted_messages.update(message.all_receipt_handles)

    delete_message.__qualname__ = "Queue.delete_message"
    delete_message.__doc__ = "Queue.delete_message through a receipt-handle index (patched)."
    queue_cls.delete_message = delete_message


# AWS's CrawlerLastCrawlStatus for each state in which moto's crawl has finished.
_LAST_CRAWL_STATUS = {"COMPLETED": "SUCCEEDED", "STOPPED": "CANCELLED", "FAILED": "FAILED"}


def _patch_glue_last_crawl(glue_models: Any) -> None:
    crawler_cls = getattr(glue_models, "FakeCrawler", None)
    original = getattr(crawler_cls, "as_dict", None)
    if not isinstance(crawler_cls, type) or not callable(original):
        _warn("moto.glue.models.FakeCrawler.as_dict not found")
        return
    if "(patched)" in (original.__doc__ or ""):
        return  # patched already (patch_moto ran before in this process)
    source = _source_of([original], "FakeCrawler.as_dict")
    if source is None:
        return
    if '"LastCrawl"' not in source or "self.crawls[-1]" not in source:
        _warn("FakeCrawler.as_dict builds LastCrawl otherwise than the patch expects")
        return

    def as_dict(self: Any) -> dict[str, Any]:
        data = original(self)
        finished = [crawl for crawl in self.crawls if crawl.status in _LAST_CRAWL_STATUS]
        data.pop("LastCrawl", None)
        if finished:
            last = finished[-1]
            data["LastCrawl"] = {
                "LogGroup": last.log_group,
                "LogStream": last.log_stream,
                "MessagePrefix": last.message_prefix,
                "StartTime": last.start_time,
                "Status": _LAST_CRAWL_STATUS[last.status],
            }
        return data

    as_dict.__qualname__ = "FakeCrawler.as_dict"
    as_dict.__doc__ = "FakeCrawler.as_dict with LastCrawl as AWS reports it (patched)."
    crawler_cls.as_dict = as_dict


def patch_moto() -> None:
    try:
        from moto.glue import models as glue_models

        _patch_glue_last_crawl(glue_models)
    except Exception as error:  # pragma: no cover - depends on the installed moto
        _warn(f"cannot patch moto.glue.models ({error!r})")
    try:
        from moto.sqs import models as sqs_models

        _patch_sqs_message_clock(sqs_models)
        _patch_sqs_queue_counts(sqs_models)
        _patch_sqs_delete_message(sqs_models)
    except Exception as error:  # pragma: no cover - depends on the installed moto
        _warn(f"cannot patch moto.sqs.models ({error!r})")
    try:
        from moto.kinesis import models
    except Exception as error:  # pragma: no cover - depends on the installed moto
        _warn(f"cannot import moto.kinesis.models ({error!r})")
        return
    if not isinstance(getattr(models, "Shard", None), type) or not isinstance(
        getattr(models, "Record", None), type
    ):
        _warn("moto.kinesis.models.Shard/Record not found")
        return
    for patch in (_patch_sequence_number_ends, _patch_get_records, _patch_put_record_lock):
        try:
            patch(models)
        except Exception as error:
            _warn(f"{patch.__name__} failed ({error!r})")


if __name__ == "__main__":
    patch_moto()
    from moto.server import main

    # exactly what the moto_server console script does (.venv/bin/moto_server)
    sys.argv[0] = re.sub(r"(-script\.pyw|\.exe)?$", "", sys.argv[0])
    sys.exit(main())
