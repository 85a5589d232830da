import type { KinesisStreamRecord } from 'aws-lambda';

/**
 * Orders Kinesis sequence numbers (decimal strings without leading zeros, up to ~56 digits)
 * numerically, as BigInt comparison would, without converting: a longer one is larger.
 */
export function compareSequenceNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The shard id an `eventID` (`shardId-000000000000:<sequence number>`) names. */
export function shardIdOf(record: KinesisStreamRecord): string {
  const { eventID } = record;
  const colon = eventID.indexOf(':');
  const shardId = colon > 8 ? eventID.slice(0, colon) : '';
  return /^shardId-[\w-]+$/.test(shardId) ? shardId : 'shardId-unknown';
}

/**
 * The batch's records per shard, each list in sequence order. An event-source mapping sends one
 * shard per batch in order already; this makes the checkpoint logic independent of that.
 */
export function splitByShard(
  records: readonly KinesisStreamRecord[],
): Map<string, KinesisStreamRecord[]> {
  const shards = new Map<string, KinesisStreamRecord[]>();
  for (const record of records) {
    const shardId = shardIdOf(record);
    const list = shards.get(shardId) ?? [];
    list.push(record);
    shards.set(shardId, list);
  }
  for (const list of shards.values())
    list.sort((a, b) => compareSequenceNumbers(a.kinesis.sequenceNumber, b.kinesis.sequenceNumber));
  return shards;
}
