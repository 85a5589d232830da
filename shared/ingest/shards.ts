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
  return /^(shardId-[\w-]+):/.exec(record.eventID)?.[1] ?? 'shardId-unknown';
}

/**
 * Positions (in the batch) of the batch's records per shard, each list in sequence order. An
 * event-source mapping sends one shard per batch in order already; this makes the checkpoint
 * logic independent of that.
 */
export function splitByShard(records: readonly KinesisStreamRecord[]): Map<string, number[]> {
  const shards = new Map<string, number[]>();
  let lastId = '';
  let last: number[] = [];
  for (let i = 0; i < records.length; i += 1) {
    const record = records[i] as KinesisStreamRecord;
    // A batch's records mostly share one shard: the previous one's id is tried first.
    const { eventID } = record;
    const sameShard =
      lastId !== '' && eventID.startsWith(lastId) && eventID.charCodeAt(lastId.length) === 0x3a; // ':'
    const shardId = sameShard ? lastId : shardIdOf(record);
    if (shardId !== lastId) {
      last = shards.get(shardId) ?? [];
      shards.set(shardId, last);
      lastId = shardId;
    }
    last.push(i);
  }
  const sequenceOf = (position: number) =>
    (records[position] as KinesisStreamRecord).kinesis.sequenceNumber;
  for (const positions of shards.values()) {
    const inOrder = positions.every(
      (p, i) =>
        i === 0 ||
        compareSequenceNumbers(sequenceOf(positions[i - 1] as number), sequenceOf(p)) <= 0,
    );
    if (!inOrder) positions.sort((a, b) => compareSequenceNumbers(sequenceOf(a), sequenceOf(b)));
  }
  return shards;
}
