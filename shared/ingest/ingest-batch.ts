import type { KinesisStreamBatchItemFailure, KinesisStreamRecord } from 'aws-lambda';
import type { LakeWriter } from '../lake/writer';
import { type DecodedRecord, decodeRecord } from '../records/decode';
import type { CompiledDataset, DatasetRegistry } from '../records/registry';
import { arrivalMicrosOf } from '../records/time';
import { checkpointOf } from './checkpoint';
import { type GroupCollector, groupCollector } from './group';
import { InvocationBatchProcessor } from './invocation-processor';
import { splitByShard } from './shards';
import { type BatchSummary, emptySummary } from './summary';
import {
  BatchOutOfTimeError,
  parquetRowSink,
  type WriteDeadline,
  WriteDeferredError,
  writeGroups,
} from './write';

/** Something that went wrong that the caller should log (once per object or record, not per row). */
export type IngestProblem =
  | { readonly kind: 'decode'; readonly sequenceNumber: string; readonly error: unknown }
  | { readonly kind: 'write'; readonly key: string; readonly error: unknown }
  | { readonly kind: 'deferred'; readonly key: string; readonly error: WriteDeferredError };

export interface IngestDependencies {
  readonly registry: DatasetRegistry;
  readonly writer: LakeWriter;
  readonly maxRecordBytes: number;
  readonly writeConcurrency: number;
  /** Epoch milliseconds; the `_ingested_at` of every row of the batch. */
  readonly now?: () => number;
  readonly onProblem?: (problem: IngestProblem) => void;
  /** In Lambda: stop starting writes near the end of the invocation (see WriteDeferredError). */
  readonly writeDeadline?: WriteDeadline;
}

export interface IngestResult {
  readonly batchItemFailures: KinesisStreamBatchItemFailure[];
  readonly summary: BatchSummary;
}

/** One shard of the batch: its records' positions in sequence order and what they group into. */
interface ShardIntake {
  readonly shardId: string;
  readonly positions: readonly number[];
  readonly collector: GroupCollector;
  /** Index (in `positions`) of the first record that failed to decode, or `positions.length`. */
  undecodedFrom: number;
}

/**
 * Decodes every record through Powertools' BatchProcessor, synchronously (`processSync`: decoding
 * never waits, and a promise per record cost ~3 ms of a 10,000-record batch in `make bench`), and
 * groups its units into its shard's objects. When each shard's records come in sequence order
 * (what an event-source mapping sends), a record is grouped as soon as it is decoded, so that
 * the batch's decoded objects die young (rows go straight into the Parquet files being built);
 * otherwise records are grouped once all are decoded. Records after a shard's first undecodable
 * one are not grouped: they are redelivered.
 */
function decodeAndGroup(
  records: readonly KinesisStreamRecord[],
  intakes: readonly ShardIntake[],
  deps: IngestDependencies,
  summary: BatchSummary,
): void {
  const intakeAt = new Array<ShardIntake>(records.length);
  const indexAt = new Int32Array(records.length);
  for (const intake of intakes)
    intake.positions.forEach((position, index) => {
      intakeAt[position] = intake;
      indexAt[position] = index;
    });
  const inBatchOrder = intakes.every(({ positions }) =>
    positions.every((position, i) => i === 0 || position > (positions[i - 1] as number)),
  );
  const kept = inBatchOrder ? undefined : new Array<DecodedRecord | undefined>(records.length);
  const group = (position: number, decoded: DecodedRecord): void => {
    const intake = intakeAt[position] as ShardIntake;
    const index = indexAt[position] as number;
    if (index >= intake.undecodedFrom) return;
    const { kinesis } = records[position] as KinesisStreamRecord;
    intake.collector.add(index, {
      shardId: intake.shardId,
      sequenceNumber: kinesis.sequenceNumber,
      arrivalMicros: arrivalMicrosOf(kinesis.approximateArrivalTimestamp),
      decoded,
    });
  };
  // Powertools calls the handler once per record, in order; the position is checked all the same.
  let next = 0;
  const decodeOne = (record: KinesisStreamRecord): void => {
    const position = records[next] === record ? next : records.indexOf(record);
    if (position === -1) throw new Error('Powertools passed a record that is not in the batch');
    next = position + 1;
    let decoded: DecodedRecord;
    try {
      decoded = decodeRecord(deps.registry, record.kinesis, deps.maxRecordBytes);
    } catch (error) {
      summary.decodeErrors += 1;
      const intake = intakeAt[position] as ShardIntake;
      intake.undecodedFrom = Math.min(intake.undecodedFrom, indexAt[position] as number);
      deps.onProblem?.({ kind: 'decode', sequenceNumber: record.kinesis.sequenceNumber, error });
      throw error;
    }
    summary.bytesIn += decoded.bytes;
    summary.controlMessages += decoded.controlMessages;
    if (kept) kept[position] = decoded;
    else group(position, decoded);
  };
  // Powertools collects each record's success or failure; what Lambda is told comes from the
  // checkpoint (`ingestBatch`), so its response is not asked for.
  const processor = new InvocationBatchProcessor();
  processor.register(records as KinesisStreamRecord[], decodeOne);
  processor.processSync();
  if (kept)
    for (const intake of intakes)
      for (const position of intake.positions) {
        const decoded = kept[position];
        if (!decoded) break;
        group(position, decoded);
      }
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
  const ingestedMicros = Math.trunc((deps.now ?? Date.now)()) * 1000; // a safe integer until 2255
  const summary = emptySummary(records.length);
  const batchItemFailures: KinesisStreamBatchItemFailure[] = [];
  const newSink = (dataset: CompiledDataset) => parquetRowSink(dataset, ingestedMicros);
  const intakes: ShardIntake[] = [...splitByShard(records)].map(([shardId, positions]) => ({
    shardId,
    positions,
    collector: groupCollector(newSink),
    undecodedFrom: positions.length,
  }));
  decodeAndGroup(records, intakes, deps, summary);
  for (const { shardId, positions, collector, undecodedFrom } of intakes) {
    const outcomes = await writeGroups(collector.groups(), deps.writer, {
      concurrency: deps.writeConcurrency,
      deadline: deps.writeDeadline,
    });
    const spans = outcomes.map(({ group, written }) => ({
      first: group.first,
      last: group.last,
      written,
    }));
    const checkpoint = checkpointOf(spans, positions.length, undecodedFrom);
    for (const position of positions.slice(checkpoint))
      batchItemFailures.push({
        itemIdentifier: (records[position] as KinesisStreamRecord).kinesis.sequenceNumber,
      });
    let deferred = 0;
    for (const { group, written, bytes, error } of outcomes) {
      if (error instanceof WriteDeferredError) {
        deferred += 1;
        deps.onProblem?.({ kind: 'deferred', key: group.key, error });
      } else if (!written) {
        summary.writeErrors += 1;
        deps.onProblem?.({ kind: 'write', key: group.key, error });
      }
      if (!written || group.last >= checkpoint) continue;
      summary.bytesOut += bytes;
      if (group.kind === 'raw') {
        summary.files += 1;
        summary.partitions += 1;
        summary.rows += group.sink.rows;
      } else {
        summary.quarantineFiles += 1;
        for (const entry of group.entries)
          summary.quarantined[entry.reason] = (summary.quarantined[entry.reason] ?? 0) + 1;
      }
    }
    summary.writesDeferred += deferred;
    if (deferred > 0 && checkpoint === 0)
      throw new BatchOutOfTimeError(shardId, deferred, positions.length);
  }
  summary.failed = batchItemFailures.length;
  summary.durationMs = Math.round(performance.now() - started);
  return { batchItemFailures, summary };
}
