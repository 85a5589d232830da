import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/**
 * The benchmark batch: clickstream JSON records of about 600 bytes with nested, list, map and
 * nullable fields, over three hourly partitions (mostly in order, 5% late), 1% with a counter
 * beyond 2^53 and 5% with unknown fields. Deterministic (a fixed-seed generator).
 */

/** Deterministic generator (mulberry32) of floats in [0, 1). */
export function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EVENT_TYPES = ['page_view', 'click', 'add_to_cart', 'checkout', 'purchase', 'search'];
const TAGS = ['promo', 'mobile', 'desktop', 'returning', 'new', 'campaign-x', 'ab-b'];
const BASE_MS = Date.parse('2026-11-24T13:00:00Z');
const FIRST_SEQUENCE = 49657328148350128938227153648127638469728451730957500418n;

function hex(random: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i += 1) s += Math.floor(random() * 16).toString(16);
  return s;
}

/** One clickstream event as JSON text. */
function eventJson(random: () => number, i: number, count: number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const late = random() < 0.05;
  const hour = late ? Math.floor(random() * 3) : Math.min(2, Math.floor((i / count) * 3));
  const event: Record<string, unknown> = {
    event_id: `${hex(random, 8)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 12)}`,
    user_id: random() < 0.1 ? null : `user-${Math.floor(random() * 1e6)}`,
    event_type: pick(EVENT_TYPES),
    event_time: new Date(
      BASE_MS + hour * 3_600_000 + Math.floor(random() * 3_600_000),
    ).toISOString(),
    page: {
      url: `https://shop.example.com/catalog/${hex(random, 6)}/item/${hex(random, 10)}?ref=home&utm_source=newsletter`,
      referrer: random() < 0.3 ? null : `https://www.search.example/?q=${hex(random, 12)}`,
    },
    tags: Array.from({ length: Math.floor(random() * 4) }, () => pick(TAGS)),
    amount: random() < 0.4 ? null : (random() * 1000).toFixed(4),
    quantity: random() < 0.2 ? null : Math.floor(random() * 10),
    big_counter: random() < 0.01 ? '__BIG__' : Math.floor(random() * 1e9),
    is_test: random() < 0.02,
    properties: {
      ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
      locale: pick(['de-DE', 'en-GB', 'fr-FR', 'ja-JP']),
      session: hex(random, 16),
      screen: pick(['1920x1080', '1440x900', '390x844']),
      tz: pick(['Europe/Berlin', 'Europe/London', 'Asia/Tokyo']),
    },
  };
  if (random() < 0.05) event.experiment = { id: hex(random, 6), arm: pick(['a', 'b']) };
  return JSON.stringify(event).replace('"__BIG__"', String(9_007_199_254_740_993n + BigInt(i)));
}

/** Where a benchmark record sits in its stream, and what it holds. */
export interface RecordParts {
  readonly shardId: string;
  readonly eventSourceARN: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  /** Base64. */
  readonly data: string;
  /** Epoch seconds. */
  readonly approximateArrivalTimestamp: number;
}

/** A Kinesis record as the event source delivers it. */
export function kinesisRecordOf(parts: RecordParts): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: parts.partitionKey,
      sequenceNumber: parts.sequenceNumber,
      data: parts.data,
      approximateArrivalTimestamp: parts.approximateArrivalTimestamp,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${parts.shardId}:${parts.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/streamlake-bench-ingest',
    awsRegion: 'us-east-1',
    eventSourceARN: parts.eventSourceARN,
  };
}

/** A Kinesis event of `count` records as the event source delivers them. */
export function benchmarkEvent(count: number, seed = 20261124): KinesisStreamEvent {
  const random = generator(seed);
  const records: KinesisStreamRecord[] = [];
  for (let i = 0; i < count; i += 1)
    records.push(
      kinesisRecordOf({
        shardId: 'shardId-000000000000',
        eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/streamlake-bench',
        sequenceNumber: String(FIRST_SEQUENCE + BigInt(i) * 1_000_000n),
        partitionKey: `user-${i % 500}`,
        data: Buffer.from(eventJson(random, i, count), 'utf8').toString('base64'),
        approximateArrivalTimestamp: 1_795_527_000 + i / 1000,
      }),
    );
  return { Records: records };
}

/**
 * The most bytes of event JSON one invocation carries: Lambda's 6 MB invocation payload quota,
 * which the batches of a Kinesis event-source mapping are held to.
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const LAMBDA_EVENT_BYTES = 6 * 1024 * 1024;

/** The largest benchmark event whose JSON fits in `maxBytes`: its records and its JSON. */
export function largestEventWithin(maxBytes: number): { records: number; json: string } {
  let fits = { records: 1, json: JSON.stringify(benchmarkEvent(1)) };
  let tooMany = 10_001;
  while (tooMany - fits.records > 1) {
    const records = Math.floor((fits.records + tooMany) / 2);
    const json = JSON.stringify(benchmarkEvent(records));
    if (json.length <= maxBytes) fits = { records, json };
    else tooMany = records;
  }
  return fits;
}

/** The baseline of the ingest benchmarks: base64-decode + `JSON.parse` of every record. */
export function parseFloor(records: readonly KinesisStreamRecord[]): void {
  for (const record of records)
    JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
