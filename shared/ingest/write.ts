import { tableColumnsOf } from '../datasets/table';
import type { Field } from '../datasets/types';
import { StreamlakeError } from '../errors';
import { encodeQuarantine } from '../lake/quarantine';
import type { LakeObject, LakeWriter } from '../lake/writer';
import { parquetFileBuilder } from '../parquet/encode';
import type { CompiledDataset } from '../records/registry';
import type { RowSink, WriteGroup } from './group';

/** What happened to one group's object. */
export interface WriteOutcome {
  readonly group: WriteGroup;
  readonly written: boolean;
  readonly bytes: number;
  readonly error?: unknown;
}

/**
 * A group's object was not written because too little of the invocation was left for a write to
 * finish: its records are reported for retry instead of risking Lambda's timeout, which would
 * throw the whole batch back (bisected) with nothing committed.
 */
export class WriteDeferredError extends StreamlakeError {
  constructor(
    readonly key: string,
    readonly remainingMs: number,
    readonly reserveMs: number,
  ) {
    super(
      `${key}: not written, ${remainingMs} ms of the invocation left and a write may take ` +
        `${reserveMs} ms; its records are reported for retry`,
    );
  }
}

/**
 * Writes were deferred for want of time and nothing of the batch was committed: reporting every
 * record would hand Lambda the same batch to time out on again (a partial response is never split),
 * so the invocation fails instead and Lambda retries the batch bisected.
 */
export class BatchOutOfTimeError extends StreamlakeError {
  constructor(
    readonly shardId: string,
    readonly deferred: number,
    readonly records: number,
  ) {
    super(
      `${shardId}: ${deferred} object(s) deferred for want of time and none of the batch's ` +
        `${records} record(s) committed; failing the invocation so that Lambda splits the batch`,
    );
  }
}

/** When to stop starting writes: fewer than `reserveMs` left of the invocation. */
export interface WriteDeadline {
  readonly remainingMs: () => number;
  readonly reserveMs: number;
}

/** `_unmapped` and the five lineage columns, after the declared ones. */
const EXTRA_COLUMNS = 6;
const tables = new WeakMap<CompiledDataset, readonly Field[]>();

/** The table columns of a dataset: its declared columns, `_unmapped` and the lineage columns. */
function tableOf(dataset: CompiledDataset): readonly Field[] {
  let table = tables.get(dataset);
  if (!table) {
    table = tableColumnsOf(dataset.declaration);
    if (table.length !== dataset.declaration.columns.length + EXTRA_COLUMNS)
      throw new Error(`the table of ${dataset.declaration.name} is not its columns + 6 more`);
    tables.set(dataset, table);
  }
  return table;
}

/**
 * The sink of a raw group in ingest: a Parquet file built as rows come, holding the declared
 * columns, `_unmapped`, then the lineage columns (shard, sequence number, sub-sequence number,
 * arrival, ingest time). `ingestedMicros` is a number, not a bigint: the INT64 column then takes
 * the numeric path, which costs no BigInt arithmetic per row.
 */
export function parquetRowSink(dataset: CompiledDataset, ingestedMicros: number): RowSink {
  const file = parquetFileBuilder(tableOf(dataset));
  const declared = dataset.declaration.columns.length;
  // One row array, refilled per row: the builder shreds it at once and keeps nothing of it.
  const row = new Array<unknown>(declared + EXTRA_COLUMNS);
  return {
    get rows() {
      return file.rows;
    },
    add(decoded, record) {
      const { values } = decoded;
      for (let c = 0; c < declared; c += 1) row[c] = values[c];
      row[declared] = decoded.unmapped;
      row[declared + 1] = record.shardId;
      row[declared + 2] = record.sequenceNumber;
      row[declared + 3] = decoded.subSequenceNumber;
      row[declared + 4] = record.arrivalMicros;
      row[declared + 5] = ingestedMicros;
      file.addRow(row);
    },
    body: (metadata) => file.finish(metadata),
  };
}

function objectOf(group: WriteGroup): LakeObject {
  const metadata = {
    'streamlake-first-sequence-number': group.firstSequenceNumber,
    'streamlake-last-sequence-number': group.lastSequenceNumber,
  };
  if (group.kind === 'quarantine')
    return {
      key: group.key,
      body: encodeQuarantine(group.entries),
      contentType: 'application/x-ndjson',
      metadata: { ...metadata, 'streamlake-entries': String(group.entries.length) },
    };
  if (group.failure !== undefined) throw group.failure;
  const body = group.sink.body({ 'streamlake.dataset': group.dataset.declaration.name });
  return {
    key: group.key,
    body,
    contentType: 'application/vnd.apache.parquet',
    metadata: { ...metadata, 'streamlake-rows': String(group.sink.rows) },
  };
}

/**
 * Encodes and stores every group, `concurrency` at a time. A failure to encode or store one
 * group is returned, not thrown, so that the caller can work out the checkpoint. With a
 * `deadline`, a group whose write would start with less than its reserve left is not started
 * (WriteDeferredError).
 */
export async function writeGroups(
  groups: readonly WriteGroup[],
  writer: LakeWriter,
  options: { readonly concurrency: number; readonly deadline?: WriteDeadline },
): Promise<WriteOutcome[]> {
  const { deadline } = options;
  const outcomes = new Array<WriteOutcome>(groups.length);
  let next = 0;
  const work = async (): Promise<void> => {
    while (next < groups.length) {
      const i = next;
      next += 1;
      const group = groups[i] as WriteGroup;
      const remainingMs = deadline?.remainingMs() ?? Number.POSITIVE_INFINITY;
      if (deadline && remainingMs < deadline.reserveMs) {
        const error = new WriteDeferredError(group.key, remainingMs, deadline.reserveMs);
        outcomes[i] = { group, written: false, bytes: 0, error };
        continue;
      }
      try {
        const object = objectOf(group);
        await writer.put(object);
        outcomes[i] = { group, written: true, bytes: object.body.length };
      } catch (error) {
        outcomes[i] = { group, written: false, bytes: 0, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, groups.length) }, work));
  return outcomes;
}
