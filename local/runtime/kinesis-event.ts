import { createHash } from 'node:crypto';
import type { _Record } from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import { type KinesisEventSource, kinesisEventRecordOf } from '../../shared/redrive/stream-records';
import type { RuleRecord } from './stream-rules';

/**
 * Kinesis records as an event-source mapping hands them to a function (developer guide,
 * with-kinesis, "Example Kinesis record event"), and how they are cut into batches.
 */

/** Lambda's synchronous invocation payload limit: a batch's event stays below it. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** A record read from a shard, ready to be delivered. */
export interface StreamRecord extends RuleRecord {
  readonly partitionKey: string;
  /** The record as the function receives it. */
  readonly event: KinesisStreamRecord;
  /** Its size in the event's JSON, in bytes. */
  readonly bytes: number;
}

/** Where the records come from and who reads them, for the event fields. */
export type EventSource = KinesisEventSource;

/** Turns a GetRecords record into the record Lambda delivers. */
export function streamRecordOf(record: _Record, source: EventSource): StreamRecord {
  const event = kinesisEventRecordOf(record, source);
  const bytes = Buffer.byteLength(JSON.stringify(event)) + 1;
  return {
    sequenceNumber: event.kinesis.sequenceNumber,
    arrivalMs: Math.round(event.kinesis.approximateArrivalTimestamp * 1000),
    partitionKey: event.kinesis.partitionKey,
    event,
    bytes,
  };
}

/**
 * How many leading records form the next batch: at most `batchSize`, and an event of at most
 * `maxPayloadBytes`; always at least one record (a lone oversized record is still delivered).
 */
export function batchLength(
  records: readonly StreamRecord[],
  batchSize: number,
  maxPayloadBytes = MAX_PAYLOAD_BYTES,
): number {
  let bytes = '{"Records":[]}'.length;
  let count = 0;
  for (const record of records) {
    if (count >= batchSize || (count > 0 && bytes + record.bytes > maxPayloadBytes)) break;
    bytes += record.bytes;
    count += 1;
  }
  return count;
}

/**
 * The concurrent-batch slot of a partition key when `ParallelizationFactor` > 1: records of one
 * key always share a slot, so they stay in order (MD5, as Kinesis hashes partition keys).
 */
export function slotOf(partitionKey: string, parallelizationFactor: number): number {
  if (parallelizationFactor <= 1) return 0;
  const digest = createHash('md5').update(partitionKey, 'utf8').digest();
  return digest.readUInt32BE(0) % parallelizationFactor;
}
