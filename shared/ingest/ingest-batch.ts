import { type BatchProcessor, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { KinesisStreamBatchItemFailure, KinesisStreamRecord } from 'aws-lambda';
import type { LakeWriter } from '../lake/writer';
import { type DecodedRecord, decodeRecord } from '../records/decode';
import type { DatasetRegistry } from '../records/registry';
import { arrivalMicrosOf } from '../records/time';
import { checkpointOf } from './checkpoint';
import { groupRecords, type ShardRecord } from './group';
import { splitByShard } from './shards';
import { type BatchSummary, emptySummary } from './summary';
import { writeGroups } from './write';

/** Something that went wrong that the caller should log (once per object or record, not per row). */
export type IngestProblem =
  | { readonly kind: 'decode'; readonly sequenceNumber: string; readonly error: unknown }
  | { readonly kind: 'write'; readonly key: string; readonly error: unknown };

export interface IngestDependencies {
  readonly registry: DatasetRegistry;
  readonly writer: LakeWriter;
  /** A `BatchProcessor(EventType.KinesisDataStreams)`, built once at module scope. */
  readonly processor: BatchProcessor;
  readonly maxRecordBytes: number;
  readonly writeConcurrency: number;
  /** Epoch milliseconds; the `_ingested_at` of every row of the batch. */
  readonly now?: () => number;
  readonly onProblem?: (problem: IngestProblem) => void;
  /**
   * Powertools' parallel mode (a promise per record at once). The benchmark measures no difference
   * for this synchronous decoding, so it is off: records decode in order, one promise at a time.
   */
  readonly processInParallel?: boolean;
}

export interface IngestResult {
  readonly batchItemFailures: KinesisStreamBatchItemFailure[];
  readonly summary: BatchSummary;
}

/**
 * Decodes every record through Powertools' BatchProcessor. The result is aligned with `records`:
 * position i holds what record i decoded to, or undefined when it failed.
 */
async function decodeAll(
  records: readonly KinesisStreamRecord[],
  deps: IngestDependencies,
): Promise<(DecodedRecord | undefined)[]> {
  const decoded = new Array<DecodedRecord | undefined>(records.length).fill(undefined);
  // Powertools calls the handler once per record in order (in parallel mode too, each call
  // starts before the previous one is awaited); the position is checked all the same.
  let next = 0;
  const decodeOne = async (record: KinesisStreamRecord): Promise<void> => {
    const position = records[next] === record ? next : records.indexOf(record);
    if (position === -1) throw new Error('Powertools passed a record that is not in the batch');
    next = position + 1;
    try {
      decoded[position] = decodeRecord(deps.registry, record.kinesis, deps.maxRecordBytes);
    } catch (error) {
      deps.onProblem?.({ kind: 'decode', sequenceNumber: record.kinesis.sequenceNumber, error });
      throw error;
    }
  };
  await processPartialResponse(
    { Records: records as KinesisStreamRecord[] },
    decodeOne,
    deps.processor,
    { processInParallel: deps.processInParallel ?? false, throwOnFullBatchFailure: false },
  );
  return decoded;
}

/**
 * Ingests one Kinesis batch: decodes each record (poison → quarantine), writes one Parquet object
 * per dataset partition and one quarantine object per dataset and day, and returns the records
 * Lambda must redeliver — every record from the first one not durably committed (see
 * `checkpoint.ts`). Never throws for a problem with a record or a write.
 */
export async function ingestBatch(
  records: readonly KinesisStreamRecord[],
  deps: IngestDependencies,
): Promise<IngestResult> {
  const started = performance.now();
  const ingestedMicros = BigInt(Math.trunc((deps.now ?? Date.now)())) * 1000n;
  const decoded = await decodeAll(records, deps);
  const summary = emptySummary(records.length);
  const batchItemFailures: KinesisStreamBatchItemFailure[] = [];
  for (const [shardId, shard] of splitByShard(records)) {
    const undecodedFrom = shard.findIndex((position) => decoded[position] === undefined);
    const decodedCount = undecodedFrom === -1 ? shard.length : undecodedFrom;
    const shardRecords = new Array<ShardRecord>(decodedCount);
    for (let i = 0; i < decodedCount; i += 1) {
      const position = shard[i] as number;
      const { kinesis } = records[position] as KinesisStreamRecord;
      shardRecords[i] = {
        shardId,
        sequenceNumber: kinesis.sequenceNumber,
        arrivalMicros: arrivalMicrosOf(kinesis.approximateArrivalTimestamp),
        decoded: decoded[position] as DecodedRecord,
      };
    }
    const groups = groupRecords(shardRecords, decodedCount);
    const outcomes = await writeGroups(groups, shardRecords, deps.writer, {
      concurrency: deps.writeConcurrency,
      ingestedMicros,
    });
    const spans = outcomes.map(({ group, written }) => ({
      first: group.first,
      last: group.last,
      written,
    }));
    const checkpoint = checkpointOf(spans, shard.length, decodedCount);
    for (const position of shard.slice(checkpoint))
      batchItemFailures.push({
        itemIdentifier: (records[position] as KinesisStreamRecord).kinesis.sequenceNumber,
      });
    for (const { group, written, bytes, error } of outcomes) {
      if (!written) {
        summary.writeErrors += 1;
        deps.onProblem?.({ kind: 'write', key: group.key, error });
      }
      if (!written || group.last >= checkpoint) continue;
      summary.bytesOut += bytes;
      if (group.kind === 'raw') {
        summary.files += 1;
        summary.partitions += 1;
        summary.rows += group.rows.length;
      } else {
        summary.quarantineFiles += 1;
        for (const entry of group.entries)
          summary.quarantined[entry.reason] = (summary.quarantined[entry.reason] ?? 0) + 1;
      }
    }
  }
  for (const result of decoded) {
    if (!result) {
      summary.decodeErrors += 1;
      continue;
    }
    summary.bytesIn += result.bytes;
    summary.controlMessages += result.controlMessages;
  }
  summary.failed = batchItemFailures.length;
  summary.durationMs = Math.round(performance.now() - started);
  return { batchItemFailures, summary };
}
