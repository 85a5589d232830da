import { HeadObjectCommand, type HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type KinesisFixture, loadKinesisEvent } from '../../helpers/fixtures';
import {
  emptyBucket,
  type LakeContents,
  type ParquetFile,
  type ParquetRow,
  readLake,
} from '../../helpers/ingest-lake';
import { fakeLambdaContext } from '../../helpers/lambda-context';
import { arnOf, type LocalStack, useLocalAws } from '../../helpers/local-aws';

/**
 * The real ingest handler against the local AWS, on every Kinesis fixture: the objects it writes
 * to the stack's lake bucket are downloaded and read with pyarrow (an independent Parquet
 * implementation), and compared row by row and type by type with values written down here from
 * the fixtures' inputs (test/fixtures/kinesis/generate.ts). Every fixture uses the same shard and
 * sequence numbers, so the bucket is emptied before each test.
 */

type Handler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse>;

/** Epoch milliseconds around an invocation: its rows' `_ingested_at` falls in between. */
interface Interval {
  readonly before: number;
  readonly after: number;
}

/** One invocation: the response and the clock around it. */
interface Run extends Interval {
  readonly response: KinesisStreamBatchResponse;
}

const SHARD = 'shardId-000000000000';
/** The fixtures' sequence numbers by record position (test/helpers/kinesis-records.ts). */
const SEQ = [
  '49657328148350128938227153648127638469728451730957500418',
  '49657328148350128938227153648127638469738451730957500418',
  '49657328148350128938227153648127638469748451730957500418',
  '49657328148350128938227153648127638469758451730957500418',
  '49657328148350128938227153648127638469768451730957500418',
  '49657328148350128938227153648127638469778451730957500418',
  '49657328148350128938227153648127638469788451730957500418',
  '49657328148350128938227153648127638469798451730957500418',
  '49657328148350128938227153648127638469808451730957500418',
  '49657328148350128938227153648127638469818451730957500418',
] as const;
/** Their approximate arrival: 1795527000 (2026-11-24T13:30:00Z) + position x 0.125 s. */
const ARRIVAL = [
  '2026-11-24T13:30:00.000000Z',
  '2026-11-24T13:30:00.125000Z',
  '2026-11-24T13:30:00.250000Z',
  '2026-11-24T13:30:00.375000Z',
  '2026-11-24T13:30:00.500000Z',
  '2026-11-24T13:30:00.625000Z',
  '2026-11-24T13:30:00.750000Z',
  '2026-11-24T13:30:00.875000Z',
  '2026-11-24T13:30:01.000000Z',
  '2026-11-24T13:30:01.125000Z',
] as const;

type Position = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

const rawKey = (dataset: string, partition: string, first: Position) =>
  `raw/${dataset}/${partition}/${SHARD}-${SEQ[first]}.parquet`;
const quarantineKey = (dataset: string, first: Position) =>
  `quarantine/${dataset}/dt=2026-11-24/${SHARD}-${SEQ[first]}.jsonl`;

const LINEAGE_SCHEMA = {
  _unmapped: 'string',
  _shard_id: 'string not null',
  _sequence_number: 'string not null',
  _sub_sequence_number: 'int64',
  _approximate_arrival: 'timestamp[us, tz=UTC] not null',
  _ingested_at: 'timestamp[us, tz=UTC] not null',
};
const CLICKSTREAM_SCHEMA = {
  event_id: 'string not null',
  user_id: 'string',
  event_type: 'string not null',
  event_time: 'timestamp[us, tz=UTC] not null',
  page: 'struct<url: string, referrer: string>',
  tags: 'list<element: string>',
  amount: 'decimal128(18, 4)',
  quantity: 'int32',
  big_counter: 'int64',
  is_test: 'bool',
  properties: 'map<string not null, string>',
  ...LINEAGE_SCHEMA,
};
const ORDERS_SCHEMA = {
  order_id: 'string not null',
  customer_id: 'string not null',
  order_time: 'timestamp[us, tz=UTC] not null',
  status: 'string not null',
  currency: 'string not null',
  total: 'decimal128(12, 2) not null',
  item_count: 'int32 not null',
  shipped_date: 'date32[day]',
  is_gift: 'bool',
  note: 'string',
  ...LINEAGE_SCHEMA,
};
const SENSOR_SCHEMA = {
  sensor_id: 'string not null',
  reading_time: 'timestamp[us, tz=UTC] not null',
  temperature_c: 'double not null',
  humidity_pct: 'double',
  battery_mv: 'int32 not null',
  sample_count: 'int64 not null',
  firmware: 'string',
  location: 'struct<lat: double not null, lon: double not null>',
  labels: 'list<element: string>',
  ...LINEAGE_SCHEMA,
};

/** The lineage columns of a record at `position` (without `_ingested_at`, checked apart). */
const lineage = (position: Position, sub: string | null = null): ParquetRow => ({
  _unmapped: null,
  _shard_id: SHARD,
  _sequence_number: SEQ[position],
  _sub_sequence_number: sub,
  _approximate_arrival: ARRIVAL[position],
});

/** The row of test/helpers/kinesis-records.ts `clickEvent()` as read back; `overrides` replace. */
const click = (position: Position, overrides: ParquetRow = {}): ParquetRow => ({
  event_id: 'evt-0001',
  user_id: 'user-42',
  event_type: 'click',
  event_time: '2026-11-24T13:05:00.250000Z',
  page: { url: 'https://shop.example/p/1', referrer: 'https://search.example/?q=shoes' },
  tags: ['promo', 'mobile'],
  amount: '19.9900',
  quantity: 2,
  big_counter: '12',
  is_test: false,
  properties: [
    ['campaign', 'autumn'],
    ['variant', 'b'],
  ],
  ...lineage(position),
  ...overrides,
});

const ID_COLUMNS = ['event_id', 'order_id', 'sensor_id'];
/** Each raw object's record ids, in file order. */
const idsByKey = (lake: LakeContents) =>
  Object.fromEntries(
    Object.entries(lake.raw).map(([key, file]) => [
      key,
      file.rows.map((row) => ID_COLUMNS.map((c) => row[c]).find((id) => id !== undefined)),
    ]),
  );

let stack: LocalStack;
let s3: S3Client;
let bucket: string;
let keyArn: string;
let handler: Handler;
const context = fakeLambdaContext();

async function ingest(event: KinesisStreamEvent): Promise<Run> {
  const before = Date.now();
  const response = await handler(event, context);
  return { response, before, after: Date.now() };
}

/**
 * The rows of a file without `_ingested_at`, after checking it: the batch's read time, in
 * milliseconds, the same in every row, between the invocation's start and end.
 */
function rowsOf(file: ParquetFile | undefined, interval: Interval): ParquetRow[] {
  if (!file) throw new Error('expected a Parquet object that is not in the lake');
  const times = new Set(file.rows.map((row) => row._ingested_at));
  expect(times.size).toBe(1);
  const [time] = times;
  expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}000Z$/);
  expect(Date.parse(String(time))).toBeGreaterThanOrEqual(interval.before);
  expect(Date.parse(String(time))).toBeLessThanOrEqual(interval.after);
  return file.rows.map(({ _ingested_at, ...row }) => row);
}

describe('Function: handler (ingest) against the local AWS', () => {
  beforeAll(async () => {
    stack = await useLocalAws();
    bucket = stack.resources.LakeBucket ?? '';
    keyArn = arnOf(stack, 'LakeKey');
    s3 = new S3Client({ forcePathStyle: true });
    Object.assign(process.env, {
      LAKE_BUCKET: bucket,
      LAKE_KMS_KEY_ARN: keyArn,
      // poison.json's too-large record is 5,013 bytes: poison under a 4 KiB bound.
      INGEST_MAX_RECORD_BYTES: '4096',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
    // Imported once the environment is set: the handler validates its configuration at load.
    ({ handler } = await import('../../../handlers/ingest'));
  });

  beforeEach(async () => {
    await emptyBucket(s3, bucket);
  });

  it('writes the happy path to one Parquet object, every value and type as sent', async () => {
    // Prepare
    const event = loadKinesisEvent('clickstream-happy');

    // Act
    const run = await ingest(event);

    // Assess
    expect(run.response).toEqual({ batchItemFailures: [] });
    const lake = await readLake(s3, bucket);
    expect(Object.keys(lake.raw)).toEqual([
      'raw/clickstream/dt=2026-11-24/hour=13/shardId-000000000000-49657328148350128938227153648127638469728451730957500418.parquet',
    ]);
    expect(lake.quarantine).toEqual({});
    const [file] = Object.values(lake.raw);
    expect(file?.schema).toEqual(CLICKSTREAM_SCHEMA);
    expect(Object.keys(file?.schema ?? {})).toEqual(Object.keys(CLICKSTREAM_SCHEMA));
    expect(file?.row_groups).toBe(1);
    expect(file?.codecs).toEqual(['SNAPPY']);
    expect(file?.metadata).toEqual({ 'streamlake.dataset': 'clickstream' });
    expect(rowsOf(file, run)).toEqual([
      {
        event_id: 'evt-0001',
        user_id: 'user-42',
        event_type: 'click',
        event_time: '2026-11-24T13:05:00.250000Z',
        page: { url: 'https://shop.example/p/1', referrer: 'https://search.example/?q=shoes' },
        tags: ['promo', 'mobile'],
        amount: '19.9900',
        quantity: 2,
        big_counter: '12',
        is_test: false,
        properties: [
          ['campaign', 'autumn'],
          ['variant', 'b'],
        ],
        _unmapped: null,
        _shard_id: 'shardId-000000000000',
        _sequence_number: '49657328148350128938227153648127638469728451730957500418',
        _sub_sequence_number: null,
        _approximate_arrival: '2026-11-24T13:30:00.000000Z',
      },
      click(1, { event_id: 'evt-0002', event_type: 'page_view', amount: null, quantity: null }),
      click(2, { event_id: 'evt-0003', event_type: 'purchase', amount: '1234.5000', quantity: 1 }),
    ]);
  });

  it('splits interleaved event hours into one object per partition, named after its first record', async () => {
    // Prepare
    const event = loadKinesisEvent('clickstream-partitions');

    // Act
    const run = await ingest(event);

    // Assess
    expect(run.response).toEqual({ batchItemFailures: [] });
    const lake = await readLake(s3, bucket);
    const hour = (partition: string) => rowsOf(lake.raw[partition], run);
    const first = rawKey('clickstream', 'dt=2026-11-23/hour=23', 0);
    const second = rawKey('clickstream', 'dt=2026-11-24/hour=00', 2);
    const third = rawKey('clickstream', 'dt=2026-11-24/hour=01', 3);
    expect(Object.keys(lake.raw).sort()).toEqual([first, second, third]);
    expect(hour(first)).toEqual([
      click(0, { event_id: 'p-0', event_time: '2026-11-23T23:59:58.000000Z' }),
      click(1, { event_id: 'p-1', event_time: '2026-11-23T23:59:59.500000Z' }),
    ]);
    expect(hour(second)).toEqual([
      click(2, { event_id: 'p-2', event_time: '2026-11-24T00:00:00.000000Z' }),
      click(4, { event_id: 'p-4', event_time: '2026-11-24T00:30:00.000000Z' }),
    ]);
    // p-5 was sent as 02:45+01:00: stored in UTC, partitioned by its UTC hour.
    expect(hour(third)).toEqual([
      click(3, { event_id: 'p-3', event_time: '2026-11-24T01:15:00.000000Z' }),
      click(5, { event_id: 'p-5', event_time: '2026-11-24T01:45:00.000000Z' }),
    ]);
  });

  it('writes CSV orders with exact decimals, dates, booleans, nulls and quoted text', async () => {
    // Prepare
    const event = loadKinesisEvent('orders-csv');

    // Act
    const run = await ingest(event);

    // Assess
    expect(run.response).toEqual({ batchItemFailures: [] });
    const lake = await readLake(s3, bucket);
    const key = rawKey('orders', 'dt=2026-11-24/hour=13', 0);
    expect(Object.keys(lake.raw)).toEqual([key]);
    expect(lake.raw[key]?.schema).toEqual(ORDERS_SCHEMA);
    expect(lake.raw[key]?.metadata).toEqual({ 'streamlake.dataset': 'orders' });
    expect(rowsOf(lake.raw[key], run)).toEqual([
      {
        order_id: 'o-1001',
        customer_id: 'c-77',
        order_time: '2026-11-24T13:02:03.000000Z',
        status: 'paid',
        currency: 'EUR',
        total: '129.90',
        item_count: 3,
        shipped_date: null,
        is_gift: false,
        note: null,
        ...lineage(0),
      },
      {
        order_id: 'o-1002',
        customer_id: 'c-78',
        order_time: '2026-11-24T13:04:05.000000Z',
        status: 'shipped',
        currency: 'EUR',
        total: '1.50',
        item_count: 1,
        shipped_date: '2026-11-25',
        is_gift: true,
        note: 'Grüße, 🎁 "gift"',
        ...lineage(1),
      },
      {
        order_id: 'o-1003',
        customer_id: 'c-79',
        // sent as epoch seconds 1795526700
        order_time: '2026-11-24T13:25:00.000000Z',
        status: 'paid',
        currency: 'USD',
        total: '0.05',
        item_count: 1,
        shipped_date: null,
        is_gift: null,
        // a quoted empty field is the empty string, an unquoted one null
        note: '',
        ...lineage(2),
      },
    ]);
  });

  it('writes Avro readings with exact longs, nested records, null unions and empty arrays', async () => {
    // Prepare
    const event = loadKinesisEvent('sensor-avro');

    // Act
    const run = await ingest(event);

    // Assess
    expect(run.response).toEqual({ batchItemFailures: [] });
    const lake = await readLake(s3, bucket);
    const hour13 = rawKey('sensor_readings', 'dt=2026-11-24/hour=13', 0);
    const hour14 = rawKey('sensor_readings', 'dt=2026-11-24/hour=14', 2);
    expect(Object.keys(lake.raw)).toEqual([hour13, hour14]);
    expect(lake.raw[hour13]?.schema).toEqual(SENSOR_SCHEMA);
    expect(lake.raw[hour14]?.schema).toEqual(SENSOR_SCHEMA);
    const reading = {
      sensor_id: 'th-0042',
      reading_time: '2026-11-24T13:10:00.500000Z',
      temperature_c: 21.5,
      humidity_pct: 48.25,
      battery_mv: 3012,
      sample_count: '1024',
      firmware: '2.4.1',
      location: { lat: 52.520008, lon: 13.404954 },
      labels: ['lab', 'north'],
    };
    expect(rowsOf(lake.raw[hour13], run)).toEqual([
      { ...reading, ...lineage(0) },
      {
        ...reading,
        sensor_id: 'th-0043',
        humidity_pct: null,
        firmware: null,
        location: null,
        labels: [],
        ...lineage(1),
      },
    ]);
    expect(rowsOf(lake.raw[hour14], run)).toEqual([
      {
        ...reading,
        sensor_id: 'th-0044',
        reading_time: '2026-11-24T14:00:00.000000Z',
        // 2^53 + 1: a double would have made it ...992
        sample_count: '9007199254740993',
        ...lineage(2),
      },
    ]);
  });

  it('keeps unicode, nulls, big integers and unknown fields exactly', async () => {
    // Prepare
    const event = loadKinesisEvent('edge-values');

    // Act
    const run = await ingest(event);

    // Assess
    expect(run.response).toEqual({ batchItemFailures: [] });
    const lake = await readLake(s3, bucket);
    const key = rawKey('clickstream', 'dt=2026-11-24/hour=13', 0);
    expect(Object.keys(lake.raw)).toEqual([key]);
    expect(lake.raw[key]?.schema).toEqual(CLICKSTREAM_SCHEMA);
    expect(rowsOf(lake.raw[key], run)).toEqual([
      click(0, {
        event_id: 'edge-unicode',
        user_id: 'ユーザー-😀',
        page: { url: 'https://例え.jp/パス?q=שלום', referrer: null },
        tags: ['naïve', null, '🚀'],
        properties: [
          ['clé', 'valeur'],
          ['empty', ''],
          ['nothing', null],
        ],
      }),
      {
        event_id: 'edge-nulls',
        user_id: null,
        event_type: 'page_view',
        // sent as epoch seconds 1795525200
        event_time: '2026-11-24T13:00:00.000000Z',
        page: null,
        tags: null,
        amount: null,
        quantity: null,
        big_counter: null,
        is_test: null,
        properties: null,
        ...lineage(1),
      },
      {
        event_id: 'edge-big',
        // absent fields are null
        user_id: null,
        event_type: 'click',
        // sent as epoch milliseconds 1795525200123
        event_time: '2026-11-24T13:00:00.123000Z',
        page: { url: 'u', referrer: 'r' },
        tags: null,
        amount: '12345678901234.5678',
        quantity: -2147483648,
        big_counter: '9223372036854775807',
        is_test: null,
        properties: null,
        ...lineage(2),
        _unmapped: '{"page.title":"Home","extra_id":123456789012345678901234567890}',
      },
      click(3, {
        event_id: 'edge-unknown',
        _unmapped: '{"session":{"id":"s-1","depth":3},"ab_test":["x","y"]}',
      }),
    ]);
  });

  it('de-aggregates KPL records by sub-sequence number and quarantines the bad user record alone', async () => {
    // Prepare
    const event = loadKinesisEvent('kpl-aggregated');

    // Act
    const run = await ingest(event);

    // Assess
    expect(run.response).toEqual({ batchItemFailures: [] });
    const lake = await readLake(s3, bucket);
    const hour13 = rawKey('clickstream', 'dt=2026-11-24/hour=13', 0);
    const hour14 = rawKey('clickstream', 'dt=2026-11-24/hour=14', 0);
    expect(Object.keys(lake.raw)).toEqual([hour13, hour14]);
    expect(rowsOf(lake.raw[hour13], run)).toEqual([
      click(0, {
        event_id: 'kpl-0',
        event_time: '2026-11-24T13:00:01.000000Z',
        _sub_sequence_number: '0',
      }),
      click(0, {
        event_id: 'kpl-3',
        event_time: '2026-11-24T13:59:59.999000Z',
        _sub_sequence_number: '3',
      }),
      click(1, { event_id: 'plain-after-kpl' }),
    ]);
    expect(rowsOf(lake.raw[hour14], run)).toEqual([
      click(0, {
        event_id: 'kpl-1',
        event_time: '2026-11-24T14:00:02.000000Z',
        _sub_sequence_number: '1',
      }),
    ]);
    expect(lake.quarantine).toEqual({
      [quarantineKey('_unknown', 0)]: [
        {
          reason: 'bad-json',
          message: 'not JSON: unexpected end of input at position 33',
          dataset: null,
          shardId: SHARD,
          sequenceNumber: SEQ[0],
          subSequenceNumber: 2,
          logEventId: null,
          unit: 'kpl-user-record',
          partitionKey: 'user-8',
          approximateArrival: ARRIVAL[0],
          data: Buffer.from('{"event_type":"click","event_id":').toString('base64'),
        },
      ],
    });
  });

  it('inflates gzip and CloudWatch Logs payloads; a control message yields nothing', async () => {
    // Prepare
    const event = loadKinesisEvent('gzip');

    // Act
    const run = await ingest(event);

    // Assess
    expect(run.response).toEqual({ batchItemFailures: [] });
    const lake = await readLake(s3, bucket);
    const key = rawKey('clickstream', 'dt=2026-11-24/hour=13', 0);
    expect(Object.keys(lake.raw)).toEqual([key]);
    expect(lake.quarantine).toEqual({});
    expect(rowsOf(lake.raw[key], run)).toEqual([
      click(0, { event_id: 'gz-0' }),
      click(1, { event_id: 'cwl-0' }),
      click(1, { event_id: 'cwl-1', event_type: 'search' }),
    ]);
  });

  it('writes a batch of three datasets to one object per dataset', async () => {
    // Prepare
    const event = loadKinesisEvent('mixed-datasets');

    // Act
    const run = await ingest(event);

    // Assess
    expect(run.response).toEqual({ batchItemFailures: [] });
    const lake = await readLake(s3, bucket);
    expect(idsByKey(lake)).toEqual({
      [rawKey('clickstream', 'dt=2026-11-24/hour=13', 0)]: ['mix-0', 'mix-1'],
      [rawKey('orders', 'dt=2026-11-24/hour=13', 1)]: ['o-2001'],
      [rawKey('sensor_readings', 'dt=2026-11-24/hour=13', 2)]: ['th-0100'],
    });
    expect(rowsOf(lake.raw[rawKey('orders', 'dt=2026-11-24/hour=13', 1)], run)).toEqual([
      {
        order_id: 'o-2001',
        customer_id: 'c-90',
        order_time: '2026-11-24T13:20:00.000000Z',
        status: 'paid',
        currency: 'EUR',
        total: '42.00',
        item_count: 2,
        shipped_date: null,
        is_gift: false,
        note: 'first order',
        ...lineage(1),
      },
    ]);
  });

  it('quarantines every poison class with its reason and still writes the good record', async () => {
    // Prepare
    const event = loadKinesisEvent('poison');
    const received = (position: Position) => event.Records[position]?.kinesis.data;
    const entry = (position: Position, partitionKey: string) => ({
      dataset: null,
      shardId: SHARD,
      sequenceNumber: SEQ[position],
      subSequenceNumber: null,
      logEventId: null,
      unit: 'record',
      partitionKey,
      approximateArrival: ARRIVAL[position],
      // a whole record is kept as its Kinesis data field, as received
      data: received(position),
    });

    // Act
    const run = await ingest(event);

    // Assess
    expect(run.response).toEqual({ batchItemFailures: [] });
    const lake = await readLake(s3, bucket);
    const good = rawKey('clickstream', 'dt=2026-11-24/hour=13', 9);
    expect(Object.keys(lake.raw)).toEqual([good]);
    expect(rowsOf(lake.raw[good], run)).toEqual([click(9, { event_id: 'e-fine' })]);
    expect(Object.keys(lake.quarantine)).toEqual([
      quarantineKey('_unknown', 0),
      quarantineKey('clickstream', 6),
      quarantineKey('orders', 4),
      quarantineKey('sensor_readings', 5),
    ]);
    expect(lake.quarantine[quarantineKey('_unknown', 0)]).toEqual([
      {
        reason: 'bad-base64',
        message: 'data is not base64 (length 11, expected canonical base64)',
        ...entry(0, 'user-0'),
        data: 'not*base64!',
      },
      {
        reason: 'bad-gzip',
        message: 'gzip payload does not inflate: unexpected end of file',
        ...entry(1, 'user-1'),
      },
      {
        reason: 'bad-kpl',
        message: 'KPL aggregate is corrupt: Invalid record checksum',
        ...entry(2, 'user-2'),
      },
      {
        reason: 'bad-json',
        message: 'not JSON: unexpected end of input at position 46',
        ...entry(3, 'user-3'),
      },
      {
        reason: 'too-large',
        message: 'record of 5013 bytes exceeds the 4096-byte record limit',
        ...entry(7, 'user-7'),
      },
      {
        reason: 'unknown-dataset',
        message:
          'no dataset matches: partition key "user-8" has none of the prefixes (orders/, sensor/) and event_type="mystery" is not a routed value',
        ...entry(8, 'user-8'),
      },
    ]);
    expect(lake.quarantine[quarantineKey('clickstream', 6)]).toEqual([
      {
        reason: 'schema-violation',
        message: 'quantity: "lots" is not an integer',
        ...entry(6, 'user-6'),
        dataset: 'clickstream',
      },
    ]);
    expect(lake.quarantine[quarantineKey('orders', 4)]).toEqual([
      {
        reason: 'bad-csv',
        message: 'expected 10 fields, got 3',
        ...entry(4, 'orders/o-1'),
        dataset: 'orders',
      },
    ]);
    expect(lake.quarantine[quarantineKey('sensor_readings', 5)]).toEqual([
      {
        reason: 'bad-avro',
        message: 'not a streamlake.sensors.SensorReading Avro datum: truncated buffer',
        ...entry(5, 'sensor/th-1'),
        dataset: 'sensor_readings',
      },
    ]);
  });

  it('encrypts every object with SSE-KMS under the lake key', async () => {
    // Prepare
    const event = loadKinesisEvent('poison');

    // Act
    await ingest(event);

    // Assess
    const lake = await readLake(s3, bucket);
    const keys = [...Object.keys(lake.raw), ...Object.keys(lake.quarantine)];
    expect(keys).toHaveLength(5);
    const heads: HeadObjectCommandOutput[] = [];
    for (const Key of keys)
      heads.push(await s3.send(new HeadObjectCommand({ Bucket: bucket, Key })));
    expect(keyArn).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/);
    expect(
      heads.map((h) => [h.ServerSideEncryption, h.SSEKMSKeyId, h.BucketKeyEnabled, h.ContentType]),
    ).toEqual([
      ['aws:kms', keyArn, true, 'application/vnd.apache.parquet'],
      ...Array.from({ length: 4 }, () => ['aws:kms', keyArn, true, 'application/x-ndjson']),
    ]);
  });

  it('overwrites on a retry: the same events twice leave the same objects and rows', async () => {
    // Prepare
    const fixtures: KinesisFixture[] = ['clickstream-partitions', 'poison'];
    const summary = (lake: LakeContents) => ({
      ids: idsByKey(lake),
      quarantined: Object.fromEntries(
        Object.entries(lake.quarantine).map(([key, entries]) => [key, entries.length]),
      ),
    });
    for (const name of fixtures) await ingest(loadKinesisEvent(name));
    const once = summary(await readLake(s3, bucket));

    // Act
    const retries: Run[] = [];
    for (const name of fixtures) retries.push(await ingest(loadKinesisEvent(name)));

    // Assess
    expect(retries.map((r) => r.response)).toEqual([
      { batchItemFailures: [] },
      { batchItemFailures: [] },
    ]);
    const lake = await readLake(s3, bucket);
    expect(summary(lake)).toEqual(once);
    expect(summary(lake)).toEqual({
      ids: {
        [rawKey('clickstream', 'dt=2026-11-23/hour=23', 0)]: ['p-0', 'p-1'],
        [rawKey('clickstream', 'dt=2026-11-24/hour=00', 2)]: ['p-2', 'p-4'],
        [rawKey('clickstream', 'dt=2026-11-24/hour=01', 3)]: ['p-3', 'p-5'],
        [rawKey('clickstream', 'dt=2026-11-24/hour=13', 9)]: ['e-fine'],
      },
      quarantined: {
        [quarantineKey('_unknown', 0)]: 6,
        [quarantineKey('clickstream', 6)]: 1,
        [quarantineKey('orders', 4)]: 1,
        [quarantineKey('sensor_readings', 5)]: 1,
      },
    });
    // What is under those keys now is the retry's output (read during the retry), not the first.
    const retry = { before: retries[0]?.before ?? 0, after: retries[1]?.after ?? 0 };
    for (const file of Object.values(lake.raw)) rowsOf(file, retry);
  });
});
