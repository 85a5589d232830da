import { partitionKeysOf } from '../datasets/types';
import { quarantineObjectKey, rawObjectKey } from '../lake/keys';
import { partitionPathOf, quarantinePartitionOf } from '../lake/partition';
import type { QuarantineEntry } from '../lake/quarantine';
import { isoOfMicros } from '../records/calendar';
import type { DecodedRecord, DecodedRow } from '../records/decode';
import type { CompiledDataset } from '../records/registry';

/** A Kinesis record of one shard's batch, in sequence order, with what it decoded to. */
export interface ShardRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly arrivalMicros: bigint;
  readonly decoded: DecodedRecord;
}

interface GroupBase {
  readonly key: string;
  /** Positions (in the shard's batch) of the first and last record with a unit in the group. */
  first: number;
  last: number;
}

/** Rows of one dataset partition, bound for one Parquet object. */
export interface RawGroup extends GroupBase {
  readonly kind: 'raw';
  readonly dataset: CompiledDataset;
  readonly partitionPath: string;
  readonly rows: { readonly row: DecodedRow; readonly record: number }[];
}

/** Quarantined user records of one dataset (or none) and arrival day, bound for one object. */
export interface QuarantineGroup extends GroupBase {
  readonly kind: 'quarantine';
  readonly entries: QuarantineEntry[];
}

export type WriteGroup = RawGroup | QuarantineGroup;

const MICROS_PER_HOUR = 3_600_000_000n;

/** Hours since the epoch, rounded down. */
function hourOf(micros: bigint): bigint {
  return micros >= 0n
    ? micros / MICROS_PER_HOUR
    : (micros - MICROS_PER_HOUR + 1n) / MICROS_PER_HOUR;
}

function entryOf(record: ShardRecord, poison: DecodedRecord['poisons'][number]): QuarantineEntry {
  const { origin } = poison;
  return {
    reason: poison.error.reason,
    message: poison.error.message,
    dataset: poison.dataset,
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    subSequenceNumber: origin.subSequenceNumber,
    logEventId: origin.logEventId,
    unit: origin.kind,
    partitionKey: origin.partitionKey,
    approximateArrival: isoOfMicros(record.arrivalMicros),
    data:
      typeof origin.original === 'string' ? origin.original : origin.original.toString('base64'),
  };
}

/**
 * Groups the units of records [0, upTo) of one shard's batch by destination object, in order of
 * first appearance. Each object key is named after the group's first record (see
 * `shared/ingest/checkpoint.ts` for why that, and only that, is safe).
 */
export function groupRecords(records: readonly ShardRecord[], upTo: number): WriteGroup[] {
  const groups = new Map<string, WriteGroup>();
  // Partition keys depend on the hour at most: compute each dataset-hour's path once.
  const paths = new Map<string, string>();
  const pathOf = (row: DecodedRow): string => {
    const hour = hourOf(row.eventMicros);
    const id = `${row.dataset.declaration.name}|${hour}`;
    let path = paths.get(id);
    if (path === undefined) {
      path = partitionPathOf(partitionKeysOf(row.dataset.declaration), hour * MICROS_PER_HOUR);
      paths.set(id, path);
    }
    return path;
  };
  const touch = <G extends WriteGroup>(key: string, index: number, create: () => G): G => {
    let group = groups.get(key) as G | undefined;
    if (!group) {
      group = create();
      groups.set(key, group);
    }
    group.last = index;
    return group;
  };
  for (let index = 0; index < upTo; index += 1) {
    const record = records[index];
    if (!record) break;
    const start = { shardId: record.shardId, firstSequenceNumber: record.sequenceNumber };
    for (const row of record.decoded.rows) {
      const dataset = row.dataset.declaration;
      const partitionPath = pathOf(row);
      const id = `raw|${dataset.name}|${partitionPath}`;
      touch<RawGroup>(id, index, () => ({
        kind: 'raw',
        key: rawObjectKey(dataset.name, partitionPath, start),
        dataset: row.dataset,
        partitionPath,
        rows: [],
        first: index,
        last: index,
      })).rows.push({ row, record: index });
    }
    for (const poison of record.decoded.poisons) {
      const partitionPath = quarantinePartitionOf(record.arrivalMicros);
      const id = `quarantine|${poison.dataset ?? ''}|${partitionPath}`;
      touch<QuarantineGroup>(id, index, () => ({
        kind: 'quarantine',
        key: quarantineObjectKey(poison.dataset, partitionPath, start),
        entries: [],
        first: index,
        last: index,
      })).entries.push(entryOf(record, poison));
    }
  }
  return [...groups.values()];
}
