import { setTimeout as sleep } from 'node:timers/promises';
import {
  type _Record,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import { RangeUnavailableError, RedriveIncompleteError } from './errors';
import type { IngestRecords } from './lake-ingest';
import type { KinesisBatchInfo } from './on-failure-message';
import { kinesisEventRecordOf } from './stream-records';

const MAX_READS = 10_000;
/** GetRecords returns at most this many records. */
const MAX_RECORDS_PER_READ = 10_000;
/**
 * Pause between pages: a shard serves 5 GetRecords calls a second, shared with the event-source
 * mapping reading it at the same time.
 */
const PAGE_PAUSE_MS = 200;
/**
 * Backoff on a shard's read throughput exceeded, beyond the SDK's own short retries: a read of
 * several MB makes the shard refuse reads for up to ~5 s.
 */
const THROTTLE_BACKOFF_MS = [1_000, 2_000, 4_000, 8_000];
const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'LimitExceededException']);

/** Waits between reads; tests pass one that does not wait. */
export type Pause = (ms: number) => Promise<void>;

/** `send`, retried after THROTTLE_BACKOFF_MS pauses while the shard refuses reads. */
async function withThrottleBackoff<T>(pause: Pause, send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      const backoff = THROTTLE_BACKOFF_MS[attempt];
      if (backoff === undefined || !THROTTLED.has((error as { name?: string }).name ?? ''))
        throw error;
      await pause(backoff);
    }
  }
}

/**
 * Reads the records [start, end] of one shard back from the stream (GetShardIterator
 * AT_SEQUENCE_NUMBER, then GetRecords until past `end` or at the tip), while it is retained.
 * Reads no more per call than the range holds, pauses between pages and backs off while the
 * shard's read throughput is exceeded (the ingest function reads the same shard).
 * @throws RangeUnavailableError when the first record is gone (trimmed) or the range is short
 */
export async function readSequenceRange(
  kinesis: KinesisClient,
  info: KinesisBatchInfo,
  pause: Pause = sleep,
): Promise<_Record[]> {
  const end = BigInt(info.endSequenceNumber);
  const { ShardIterator } = await withThrottleBackoff(pause, () =>
    kinesis.send(
      new GetShardIteratorCommand({
        StreamARN: info.streamArn,
        ShardId: info.shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: info.startSequenceNumber,
      }),
    ),
  );
  const limit = Math.min(info.batchSize || MAX_RECORDS_PER_READ, MAX_RECORDS_PER_READ);
  const records: _Record[] = [];
  let iterator = ShardIterator;
  for (let reads = 0; iterator && reads < MAX_READS; reads += 1) {
    if (reads > 0) await pause(PAGE_PAUSE_MS);
    const current = iterator;
    const out = await withThrottleBackoff(pause, () =>
      kinesis.send(
        new GetRecordsCommand({
          StreamARN: info.streamArn,
          ShardIterator: current,
          Limit: Math.max(1, limit - records.length),
        }),
      ),
    );
    const page = out.Records ?? [];
    const inRange = page.filter((r) => BigInt(r.SequenceNumber ?? '0') <= end);
    records.push(...inRange);
    const last = records[records.length - 1]?.SequenceNumber;
    if (inRange.length < page.length || (last !== undefined && BigInt(last) >= end)) break;
    if (page.length === 0 && !out.MillisBehindLatest) break;
    iterator = out.NextShardIterator;
  }
  const first = records[0]?.SequenceNumber;
  if (first !== info.startSequenceNumber)
    throw new RangeUnavailableError(
      info.shardId,
      info.startSequenceNumber,
      'the first record is no longer in the stream',
    );
  if (info.batchSize && records.length < info.batchSize)
    throw new RangeUnavailableError(
      info.shardId,
      info.startSequenceNumber,
      `read ${records.length} of ${info.batchSize} records`,
    );
  return records;
}

export interface RangeRedrive {
  readonly records: number;
  /** Ingest attempts, partial retries included. */
  readonly attempts: number;
}

/**
 * Re-ingests a discarded batch from the stream: its records as ONE batch starting at its first
 * record, so that lake objects get the names the failed deliveries used and overwrite them
 * (`shared/ingest/checkpoint.ts`). A partial failure is retried from the lowest reported record,
 * as the event-source mapping would, up to `maxAttempts` times.
 * @throws RedriveIncompleteError when records still fail after `maxAttempts`
 */
export async function redriveStreamRange(
  deps: {
    readonly kinesis: KinesisClient;
    readonly ingest: IngestRecords;
    readonly maxAttempts?: number;
    readonly pause?: Pause;
  },
  info: KinesisBatchInfo,
): Promise<RangeRedrive> {
  const source = {
    shardId: info.shardId,
    streamArn: info.streamArn,
    region: info.streamArn.split(':')[3] ?? '',
    invokeIdentityArn: '',
  };
  const all = (await readSequenceRange(deps.kinesis, info, deps.pause)).map((r) =>
    kinesisEventRecordOf(r, source),
  );
  let pending: readonly KinesisStreamRecord[] = all;
  const maxAttempts = deps.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const { batchItemFailures } = await deps.ingest(pending);
    if (batchItemFailures.length === 0) return { records: all.length, attempts: attempt };
    const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
    const from = pending.findIndex((r) => failed.has(r.kinesis.sequenceNumber));
    pending = pending.slice(Math.max(0, from));
  }
  throw new RedriveIncompleteError(
    `${info.shardId} ${info.startSequenceNumber}..${info.endSequenceNumber}`,
    `${pending.length} record(s) from ${pending[0]?.kinesis.sequenceNumber} still fail after ${maxAttempts} attempts`,
  );
}
