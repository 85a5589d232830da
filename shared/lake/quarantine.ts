import type { PoisonReason } from '../records/errors';

/** One quarantined user record: everything needed to understand it and to replay it. */
export interface QuarantineEntry {
  readonly reason: PoisonReason;
  readonly message: string;
  readonly dataset: string | null;
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number | null;
  readonly logEventId: string | null;
  /** `record`: `data` is the Kinesis data field as received; otherwise the one user record's bytes. */
  readonly unit: 'record' | 'kpl-user-record' | 'log-event';
  readonly partitionKey: string;
  /** ISO 8601 UTC. */
  readonly approximateArrival: string;
  /** Base64. */
  readonly data: string;
}

/**
 * The quarantine object body: JSON Lines, one entry per user record, keys in a fixed order and
 * no write time, so a retried batch writes the same bytes again.
 */
export function encodeQuarantine(entries: readonly QuarantineEntry[]): Uint8Array {
  const lines = entries.map((e) =>
    JSON.stringify({
      reason: e.reason,
      message: e.message,
      dataset: e.dataset,
      shardId: e.shardId,
      sequenceNumber: e.sequenceNumber,
      subSequenceNumber: e.subSequenceNumber,
      logEventId: e.logEventId,
      unit: e.unit,
      partitionKey: e.partitionKey,
      approximateArrival: e.approximateArrival,
      data: e.data,
    }),
  );
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}
