import {
  type _Record,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';

/** Where a reader starts when it has read nothing yet (the mapping's StartingPosition). */
export interface StartingPosition {
  readonly type: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP' | 'AT_SEQUENCE_NUMBER';
  /** Epoch seconds, for AT_TIMESTAMP. */
  readonly timestamp?: number;
  /** For AT_SEQUENCE_NUMBER. */
  readonly sequenceNumber?: string;
}

/**
 * Reads one shard in order with GetShardIterator/GetRecords, the way a standard-iterator
 * consumer does. An expired iterator is replaced by one AFTER the last record read, so nothing
 * is skipped or read twice.
 */
export class ShardReader {
  private iterator: string | undefined;
  private lastSequenceNumber: string | undefined;
  /** The shard is closed (resharded) and every record of it has been read. */
  closed = false;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    readonly shardId: string,
    private readonly start: StartingPosition,
  ) {}

  private async newIterator(): Promise<string | undefined> {
    const after = this.lastSequenceNumber;
    const type: ShardIteratorType = after ? 'AFTER_SEQUENCE_NUMBER' : this.start.type;
    const out = await this.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: this.streamName,
        ShardId: this.shardId,
        ShardIteratorType: type,
        StartingSequenceNumber: after ?? this.start.sequenceNumber,
        Timestamp:
          !after && this.start.timestamp !== undefined
            ? new Date(this.start.timestamp * 1000)
            : undefined,
      }),
    );
    return out.ShardIterator;
  }

  /** The next records (at most `limit`, ≤ 10,000); none at the tip. */
  async read(limit: number): Promise<_Record[]> {
    if (this.closed) return [];
    this.iterator ??= await this.newIterator();
    try {
      const out = await this.kinesis.send(
        new GetRecordsCommand({ ShardIterator: this.iterator, Limit: Math.min(limit, 10_000) }),
      );
      const records = out.Records ?? [];
      this.iterator = out.NextShardIterator;
      if (!this.iterator) this.closed = true;
      const last = records[records.length - 1];
      if (last?.SequenceNumber) this.lastSequenceNumber = last.SequenceNumber;
      return records;
    } catch (error) {
      if ((error as { name?: string }).name !== 'ExpiredIteratorException') throw error;
      this.iterator = undefined;
      return [];
    }
  }
}
