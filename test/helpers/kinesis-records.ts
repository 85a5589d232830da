import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/** Factories for Kinesis event-source records in the shape Lambda delivers them. */

export const SHARD_ID = 'shardId-000000000000';
export const STREAM_ARN =
  'arn:aws:kinesis:us-east-1:123456789012:stream/streamlake-local-IngestStream-9XzQ1kqL3b2c';
const INVOKE_IDENTITY_ARN =
  'arn:aws:iam::123456789012:role/streamlake-local-ingest-us-east-1-lambdaRole';
/** A real-looking 56-digit sequence number; records of a shard count up from it. */
const FIRST_SEQUENCE = 49657328148350128938227153648127638469728451730957500418n;
/** 2026-11-24T13:30:00Z, in the epoch seconds Kinesis reports arrival in. */
export const ARRIVAL_SECONDS = 1_795_527_000;

/** The sequence number of the `position`-th record of the shard (56 digits, increasing). */
export function sequenceNumber(position: number): string {
  return String(FIRST_SEQUENCE + BigInt(position) * 10_000_000_000_000_000n);
}

export interface RecordOptions {
  /** Object → JSON, string → UTF-8, Buffer as is; `{ base64 }` is put in `data` verbatim. */
  readonly data: unknown;
  readonly partitionKey?: string;
  readonly position?: number;
  readonly arrival?: number;
  readonly shardId?: string;
}

function dataField(data: unknown): string {
  if (Buffer.isBuffer(data)) return data.toString('base64');
  if (typeof data === 'string') return Buffer.from(data, 'utf8').toString('base64');
  if (typeof data === 'object' && data !== null && 'base64' in data) return String(data.base64);
  return Buffer.from(JSON.stringify(data), 'utf8').toString('base64');
}

/** One record as the Kinesis event source delivers it. */
export function kinesisRecord(options: RecordOptions): KinesisStreamRecord {
  const position = options.position ?? 0;
  const shardId = options.shardId ?? SHARD_ID;
  const sequence = sequenceNumber(position);
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: options.partitionKey ?? `user-${position}`,
      sequenceNumber: sequence,
      data: dataField(options.data),
      approximateArrivalTimestamp: options.arrival ?? ARRIVAL_SECONDS + position * 0.125,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${sequence}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: INVOKE_IDENTITY_ARN,
    awsRegion: 'us-east-1',
    eventSourceARN: STREAM_ARN,
  };
}

/** An event of consecutive records of one shard, positions counting from `firstPosition`. */
export function kinesisEvent(
  records: readonly Omit<RecordOptions, 'position'>[],
  firstPosition = 0,
): KinesisStreamEvent {
  return { Records: records.map((r, i) => kinesisRecord({ ...r, position: firstPosition + i })) };
}

/** A complete, valid clickstream event; `overrides` replace or add fields. */
export function clickEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: 'evt-0001',
    user_id: 'user-42',
    event_type: 'click',
    event_time: '2026-11-24T13:05:00.250Z',
    page: { url: 'https://shop.example/p/1', referrer: 'https://search.example/?q=shoes' },
    tags: ['promo', 'mobile'],
    amount: '19.9900',
    quantity: 2,
    big_counter: 12,
    is_test: false,
    properties: { campaign: 'autumn', variant: 'b' },
    ...overrides,
  };
}
