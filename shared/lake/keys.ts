/**
 * Object keys of the lake. A key is a function of the dataset, the partition and the FIRST record
 * that went into the object (shard id and sequence number) — never of the last record or of
 * when it was written. Why that makes retries overwrite instead of duplicate, and which
 * records are reported for retry, is proved in `shared/ingest/checkpoint.ts`.
 */

export const RAW_PREFIX = 'raw/';
export const QUARANTINE_PREFIX = 'quarantine/';
/** Quarantine folder of records whose dataset could not be told. */
export const UNKNOWN_DATASET = '_unknown';

/** Where a group of rows starts: the first record (by sequence number) that contributed to it. */
export interface GroupStart {
  readonly shardId: string;
  readonly firstSequenceNumber: string;
}

function objectName({ shardId, firstSequenceNumber }: GroupStart): string {
  if (!/^[\w.-]+$/.test(shardId) || !/^\d+$/.test(firstSequenceNumber))
    throw new Error(`unexpected shard id or sequence number: ${shardId} ${firstSequenceNumber}`);
  return `${shardId}-${firstSequenceNumber}`;
}

/**
 * @example rawObjectKey('clickstream', 'dt=2026-11-24/hour=13', start)
 * // 'raw/clickstream/dt=2026-11-24/hour=13/shardId-000000000000-4965…0002.parquet'
 */
export function rawObjectKey(dataset: string, partitionPath: string, start: GroupStart): string {
  return `${RAW_PREFIX}${dataset}/${partitionPath}/${objectName(start)}.parquet`;
}

/** @example quarantineObjectKey(null, 'dt=2026-11-24', start) // 'quarantine/_unknown/dt=2026-11-24/shardId-…jsonl' */
export function quarantineObjectKey(
  dataset: string | null,
  partitionPath: string,
  start: GroupStart,
): string {
  return `${QUARANTINE_PREFIX}${dataset ?? UNKNOWN_DATASET}/${partitionPath}/${objectName(start)}.jsonl`;
}
