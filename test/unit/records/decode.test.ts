import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { datasets } from '../../../shared/datasets';
import { decodeRecord } from '../../../shared/records/decode';
import { compileRegistry } from '../../../shared/records/registry';
import { loadKinesisEvent } from '../../helpers/fixtures';
import { bareSensorDatum, gzip, logsDataMessage } from '../../helpers/kinesis-payloads';
import { kinesisRecord } from '../../helpers/kinesis-records';

const registry = compileRegistry(datasets);
const MAX = 4096;

describe('Function: decodeRecord', () => {
  it('quarantines every poison class of the poison fixture with its dataset and precise message', () => {
    // Prepare
    const { Records } = loadKinesisEvent('poison');

    // Act
    const decoded = Records.map((r) => decodeRecord(registry, r.kinesis, MAX));

    // Assess
    expect(
      decoded.map((d) => d.poisons.map((p) => [p.error.reason, p.dataset, p.error.message])),
    ).toEqual([
      [['bad-base64', null, 'data is not base64 (length 11, expected canonical base64)']],
      [['bad-gzip', null, 'gzip payload does not inflate: unexpected end of file']],
      [['bad-kpl', null, 'KPL aggregate is corrupt: Invalid record checksum']],
      [['bad-json', null, 'not JSON: unexpected end of input at position 46']],
      [['bad-csv', 'orders', 'expected 10 fields, got 3']],
      [
        [
          'bad-avro',
          'sensor_readings',
          'not a streamlake.sensors.SensorReading Avro datum: truncated buffer',
        ],
      ],
      [['schema-violation', 'clickstream', 'quantity: "lots" is not an integer']],
      [['too-large', null, 'record of 5013 bytes exceeds the 4096-byte record limit']],
      [
        [
          'unknown-dataset',
          null,
          'no dataset matches: partition key "user-8" has none of the prefixes (orders/, sensor/) and event_type="mystery" is not a routed value',
        ],
      ],
      [],
    ]);
    expect(decoded.map((d) => d.rows.length)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it("keeps a quarantined record's bytes when later records are decoded", () => {
    // Prepare: the schema violation, then records of every kind after it
    const { Records } = loadKinesisEvent('poison');
    const violation = Records.find((r) => r.kinesis.partitionKey === 'user-6');
    if (!violation) throw new Error('fixture has the schema violation');
    const original = Buffer.from(violation.kinesis.data, 'base64');

    // Act
    const [poison] = decodeRecord(registry, violation.kinesis, MAX).poisons;
    for (const r of Records) decodeRecord(registry, r.kinesis, MAX);

    // Assess
    expect(poison?.error.reason).toBe('schema-violation');
    expect(poison?.origin.original).toEqual(original);
  });

  it('quarantines text that UTF-8 cannot hold instead of writing U+FFFD in its place', () => {
    // Prepare: JSON with a lone surrogate escape in a column; Avro whose sensor id has a Latin-1
    // byte (0xe9) where UTF-8 is due; CloudWatch Logs envelopes with such a message each
    const json =
      '{"event_id":"e-1","event_type":"click","event_time":"2026-11-24T13:05:00Z","page":{"url":"https://shop.example/\\ud83d"}}';
    const avro = bareSensorDatum('th-X042');
    avro[avro.indexOf('X')] = 0xe9;
    const latin1Logs = logsDataMessage(['{"event_type":"click","event_id":"caf\u00e9"}']);
    const inflated = gunzipSync(latin1Logs).toString('utf8');
    const records = [
      kinesisRecord({ data: json, partitionKey: 'user-1' }),
      kinesisRecord({ data: avro, partitionKey: 'sensor/th-0042', position: 1 }),
      kinesisRecord({ data: gzip(Buffer.from(inflated, 'latin1')), position: 2 }),
      kinesisRecord({ data: logsDataMessage(['{"event_id":"\ud800"}']), position: 3 }),
    ];

    // Act
    const decoded = records.map((r) => decodeRecord(registry, r.kinesis, MAX));

    // Assess
    expect(decoded.map((d) => d.rows.length)).toEqual([0, 0, 0, 0]);
    const surrogate = ', half of a UTF-16 pair that UTF-8 cannot encode';
    expect(
      decoded.map((d) => d.poisons.map((p) => [p.error.reason, p.dataset, p.error.message])),
    ).toEqual([
      [['bad-json', null, `page.url holds a lone surrogate (\\ud83d)${surrogate}`]],
      [
        [
          'bad-avro',
          'sensor_readings',
          'not a streamlake.sensors.SensorReading Avro datum: the string at byte 1 is not UTF-8 (read leniently: "th-\uFFFD042")',
        ],
      ],
      [['bad-json', null, 'payload is not valid UTF-8']],
      [['bad-json', null, `logEvents[0].message holds a lone surrogate (\\ud800)${surrogate}`]],
    ]);
    expect(decoded[1]?.poisons[0]?.origin.original).toEqual(avro);
  });

  it('makes a row of each user record of a KPL aggregate and quarantines the bad one alone', () => {
    // Prepare
    const [aggregated] = loadKinesisEvent('kpl-aggregated').Records;
    if (!aggregated) throw new Error('fixture has records');

    // Act
    const decoded = decodeRecord(registry, aggregated.kinesis, MAX);

    // Assess
    expect(decoded.rows.map((r) => [r.values[0], r.subSequenceNumber, r.eventMicros])).toEqual([
      ['kpl-0', 0, 1_795_525_201_000_000],
      ['kpl-1', 1, 1_795_528_802_000_000],
      ['kpl-3', 3, 1_795_528_799_999_000],
    ]);
    expect(
      decoded.poisons.map((p) => [
        p.error.reason,
        p.origin.kind,
        p.origin.subSequenceNumber,
        p.origin.partitionKey,
      ]),
    ).toEqual([['bad-json', 'kpl-user-record', 2, 'user-8']]);
    expect(decoded.poisons[0]?.origin.original).toEqual(
      Buffer.from('{"event_type":"click","event_id":', 'utf8'),
    );
  });

  it('reads gzip records, CloudWatch Logs events, CSV and Avro into typed values', () => {
    // Prepare
    const values = (name: Parameters<typeof loadKinesisEvent>[0]) =>
      loadKinesisEvent(name).Records.flatMap((r) =>
        decodeRecord(registry, r.kinesis, MAX).rows.map((row) => row.values),
      );

    // Act
    const [gzip, orders, sensors] = [values('gzip'), values('orders-csv'), values('sensor-avro')];

    // Assess
    expect(gzip.map((v) => v[0])).toEqual(['gz-0', 'cwl-0', 'cwl-1']);
    expect(orders).toEqual([
      ['o-1001', 'c-77', 1_795_525_323_000_000, 'paid', 'EUR', 12990, 3, null, false, null],
      [
        'o-1002',
        'c-78',
        1_795_525_445_000_000,
        'shipped',
        'EUR',
        150,
        1,
        20782,
        true,
        'Grüße, 🎁 "gift"',
      ],
      ['o-1003', 'c-79', 1_795_526_700_000_000, 'paid', 'USD', 5, 1, null, null, ''],
    ]);
    expect(sensors).toEqual([
      [
        'th-0042',
        1_795_525_800_500_000,
        21.5,
        48.25,
        3012,
        1024,
        '2.4.1',
        [52.520008, 13.404954],
        ['lab', 'north'],
      ],
      ['th-0043', 1_795_525_800_500_000, 21.5, null, 3012, 1024, null, null, []],
      [
        'th-0044',
        1_795_528_800_000_000,
        21.5,
        48.25,
        3012,
        9_007_199_254_740_993n,
        '2.4.1',
        [52.520008, 13.404954],
        ['lab', 'north'],
      ],
    ]);
  });

  it('keeps unicode, nulls, nested and list values, large integers and unknown fields', () => {
    // Prepare
    const { Records } = loadKinesisEvent('edge-values');

    // Act
    const rows = Records.flatMap((r) => decodeRecord(registry, r.kinesis, MAX).rows);

    // Assess
    expect(rows.map((r) => [r.values, r.unmapped])).toEqual([
      [
        [
          'edge-unicode',
          'ユーザー-😀',
          'click',
          1_795_525_500_250_000,
          ['https://例え.jp/パス?q=שלום', null],
          ['naïve', null, '🚀'],
          199900,
          2,
          12,
          false,
          { clé: 'valeur', empty: '', nothing: null },
        ],
        null,
      ],
      [
        [
          'edge-nulls',
          null,
          'page_view',
          1_795_525_200_000_000,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
        ],
        null,
      ],
      [
        [
          'edge-big',
          null,
          'click',
          1_795_525_200_123_000,
          ['u', 'r'],
          null,
          123456789012345678n,
          -2147483648,
          9223372036854775807n,
          null,
          null,
        ],
        '{"page.title":"Home","extra_id":123456789012345678901234567890}',
      ],
      [
        [
          'edge-unknown',
          'user-42',
          'click',
          1_795_525_500_250_000,
          ['https://shop.example/p/1', 'https://search.example/?q=shoes'],
          ['promo', 'mobile'],
          199900,
          2,
          12,
          false,
          { campaign: 'autumn', variant: 'b' },
        ],
        '{"session":{"id":"s-1","depth":3},"ab_test":["x","y"]}',
      ],
    ]);
  });
});
