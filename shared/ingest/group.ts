import { partitionKeysOf } from '../datasets/types';
import { type GroupStart, quarantineObjectKey, rawObjectKey } from '../lake/keys';
import { partitionPathOf, quarantinePartitionOf } from '../lake/partition';
import type { QuarantineEntry } from '../lake/quarantine';
import { isoOfMicros } from '../records/calendar';
import type { DecodedRecord, DecodedRow } from '../records/decode';
import type { CompiledDataset } from '../records/registry';

/** A Kinesis record of one shard's batch, in sequence order, with what it decoded to. */
export interface ShardRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  /** Microseconds since the epoch (a safe integer). */
  readonly arrivalMicros: number;
  readonly decoded: DecodedRecord;
}

interface GroupBase {
  readonly key: string;
  /** Positions (in the shard's batch) of the first and last record with a unit in the group. */
  first: number;
  last: number;
  /** Sequence numbers of those records. */
  readonly firstSequenceNumber: string;
  lastSequenceNumber: string;
}

/**
 * Where a raw group's rows go as they are grouped: in ingest, the Parquet file being built, so
 * that decoded records need not be kept until the end of the batch.
 */
export interface RowSink {
  readonly rows: number;
  add(row: DecodedRow, record: ShardRecord): void;
  /** The object body holding every row added. */
  body(metadata: Record<string, string>): Uint8Array;
}

/** Rows of one dataset partition, bound for one Parquet object. */
export interface RawGroup extends GroupBase {
  readonly kind: 'raw';
  readonly dataset: CompiledDataset;
  readonly partitionPath: string;
  readonly sink: RowSink;
  /** Set when adding a row failed (a fault of this code): the object must not be written. */
  failure?: unknown;
}

/** What an object's name is derived from: the shard and its first record's sequence number. */
function startOf(record: ShardRecord): GroupStart {
  return { shardId: record.shardId, firstSequenceNumber: record.sequenceNumber };
}

/** Quarantined user records of one dataset (or none) and arrival day, bound for one object. */
export interface QuarantineGroup extends GroupBase {
  readonly kind: 'quarantine';
  readonly entries: QuarantineEntry[];
}

export type WriteGroup = RawGroup | QuarantineGroup;

const MICROS_PER_HOUR = 3_600_000_000;

/** Hours since the epoch, rounded down, of microseconds given as a safe integer or a bigint. */
function hourOf(micros: number | bigint): number {
  if (typeof micros === 'number') return Math.floor(micros / MICROS_PER_HOUR);
  const per = BigInt(MICROS_PER_HOUR);
  return Number(micros >= 0n ? micros / per : (micros - per + 1n) / per);
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
    approximateArrival: isoOfMicros(BigInt(record.arrivalMicros)),
    data:
      typeof origin.original === 'string' ? origin.original : origin.original.toString('base64'),
  };
}

/** Groups units record by record; `groups()` lists them in order of first appearance. */
export interface GroupCollector {
  /** Adds the units of the record at `index` (indexes ascending, in the shard's sequence order). */
  add(index: number, record: ShardRecord): void;
  groups(): WriteGroup[];
}

/**
 * Groups the units of one shard's records by destination object. Each object key is named
 * after the group's first record (see `shared/ingest/checkpoint.ts` for why that, and only
 * that, is safe). Rows go to the group's sink as they come.
 */
export function groupCollector(newSink: (dataset: CompiledDataset) => RowSink): GroupCollector {
  const groups = new Map<string, WriteGroup>();
  // Partition keys depend on the hour at most: one group per dataset and hour, looked up by a
  // key built once per new (dataset, hour); consecutive rows mostly share it (the last one).
  const rawGroups = new Map<string, RawGroup>();
  let last: { dataset: DecodedRow['dataset']; hour: number; group: RawGroup } | undefined;
  const rawGroupOf = (row: DecodedRow, index: number, record: ShardRecord): RawGroup => {
    const hour = hourOf(row.eventMicros);
    if (last && last.dataset === row.dataset && last.hour === hour) return last.group;
    const dataset = row.dataset.declaration;
    const id = `${dataset.name}|${hour}`;
    let group = rawGroups.get(id);
    if (!group) {
      const partitionPath = partitionPathOf(
        partitionKeysOf(dataset),
        BigInt(hour) * BigInt(MICROS_PER_HOUR),
      );
      const key = `raw|${dataset.name}|${partitionPath}`;
      // Hours of one dataset may share a partition (daily partitions): one group per path.
      group = groups.get(key) as RawGroup | undefined;
      if (!group) {
        group = {
          kind: 'raw',
          key: rawObjectKey(dataset.name, partitionPath, startOf(record)),
          dataset: row.dataset,
          partitionPath,
          sink: newSink(row.dataset),
          first: index,
          last: index,
          firstSequenceNumber: record.sequenceNumber,
          lastSequenceNumber: record.sequenceNumber,
        };
        groups.set(key, group);
      }
      rawGroups.set(id, group);
    }
    last = { dataset: row.dataset, hour, group };
    return group;
  };
  return {
    add(index, record) {
      for (const row of record.decoded.rows) {
        const group = rawGroupOf(row, index, record);
        group.last = index;
        group.lastSequenceNumber = record.sequenceNumber;
        if (group.failure !== undefined) continue;
        try {
          group.sink.add(row, record);
        } catch (error) {
          group.failure = error;
        }
      }
      for (const poison of record.decoded.poisons) {
        const partitionPath = quarantinePartitionOf(BigInt(record.arrivalMicros));
        const id = `quarantine|${poison.dataset ?? ''}|${partitionPath}`;
        let group = groups.get(id) as QuarantineGroup | undefined;
        if (!group) {
          group = {
            kind: 'quarantine',
            key: quarantineObjectKey(poison.dataset, partitionPath, startOf(record)),
            entries: [],
            first: index,
            last: index,
            firstSequenceNumber: record.sequenceNumber,
            lastSequenceNumber: record.sequenceNumber,
          };
          groups.set(id, group);
        }
        group.last = index;
        group.lastSequenceNumber = record.sequenceNumber;
        group.entries.push(entryOf(record, poison));
      }
    },
    groups: () => [...groups.values()],
  };
}

/** Groups the units of records [0, upTo) of one shard's batch (see `groupCollector`). */
export function groupRecords(
  records: readonly ShardRecord[],
  upTo: number,
  newSink: (dataset: CompiledDataset) => RowSink,
): WriteGroup[] {
  const collector = groupCollector(newSink);
  for (let index = 0; index < Math.min(upTo, records.length); index += 1)
    collector.add(index, records[index] as ShardRecord);
  return collector.groups();
}
