import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recordOriginOf, type UnwrappedRecord, unwrapRecord } from '../../../shared/records/unwrap';
import {
  gzip,
  kplAggregate,
  logsControlMessage,
  logsDataMessage,
  withBadChecksum,
} from '../../helpers/kinesis-payloads';
import { kinesisRecord } from '../../helpers/kinesis-records';

const MAX = 4096;
/** The record's user records, in order: a plain record's payload, or each one's text or error. */
const payloadsOf = (result: ReturnType<typeof unwrapRecord>) =>
  Buffer.isBuffer(result)
    ? [result.toString('utf8')]
    : result.userRecords.map((u) =>
        'payload' in u ? u.payload.toString('utf8') : `!${u.error.reason}: ${u.error.message}`,
      );

/** The result of a record that is not plain (an aggregate, gzip, or a failure). */
function unwrapped(result: ReturnType<typeof unwrapRecord>): UnwrappedRecord {
  if (Buffer.isBuffer(result)) throw new Error('expected user records, got a plain payload');
  return result;
}

describe('Function: unwrapRecord', () => {
  it('passes a plain record through as its payload alone', () => {
    // Prepare
    const { kinesis } = kinesisRecord({ data: '{"a":1}', partitionKey: 'pk' });

    // Act
    const result = unwrapRecord(kinesis, MAX);

    // Assess
    expect(Buffer.isBuffer(result)).toBe(true);
    expect(payloadsOf(result)).toEqual(['{"a":1}']);
    expect(recordOriginOf(kinesis.partitionKey, result as Buffer)).toEqual({
      kind: 'record',
      partitionKey: 'pk',
      subSequenceNumber: null,
      logEventId: null,
      original: Buffer.from('{"a":1}'),
    });
  });

  it('de-aggregates a KPL record into its user records, in order, with sub-sequence numbers', async () => {
    // Prepare
    const aggregate = await kplAggregate([
      { partitionKey: 'a', data: Buffer.from('one') },
      { partitionKey: 'b', data: Buffer.from('two') },
      { partitionKey: 'a', data: gzip('three') },
    ]);
    const { kinesis } = kinesisRecord({ data: aggregate, partitionKey: 'a' });

    // Act
    const result = unwrapped(unwrapRecord(kinesis, MAX));

    // Assess
    expect(payloadsOf(result)).toEqual(['one', 'two', 'three']);
    expect(
      result.userRecords.map((u) => [
        u.origin.kind,
        u.origin.partitionKey,
        u.origin.subSequenceNumber,
      ]),
    ).toEqual([
      ['kpl-user-record', 'a', 0],
      ['kpl-user-record', 'b', 1],
      ['kpl-user-record', 'a', 2],
    ]);
  });

  it('quarantines a KPL aggregate whose checksum is wrong, whole', async () => {
    // Prepare
    const aggregate = withBadChecksum(
      await kplAggregate([{ partitionKey: 'a', data: Buffer.from('one') }]),
    );
    const { kinesis } = kinesisRecord({ data: aggregate });

    // Act
    const result = unwrapped(unwrapRecord(kinesis, MAX));

    // Assess
    expect(payloadsOf(result)).toEqual([
      '!bad-kpl: KPL aggregate is corrupt: Invalid record checksum',
    ]);
    expect(result.userRecords[0]?.origin.original).toBe(kinesis.data);
  });

  it('quarantines a KPL aggregate whose protobuf does not decode', () => {
    // Prepare: magic bytes, then bytes that are no AggregatedRecord, then 16 checksum bytes
    const data = Buffer.concat([
      Buffer.from([0xf3, 0x89, 0x9a, 0xc2, 0x0a, 0xff, 0xff]),
      Buffer.alloc(16),
    ]);
    const { kinesis } = kinesisRecord({ data });

    // Act
    const [failed] = unwrapped(unwrapRecord(kinesis, MAX)).userRecords;

    // Assess
    expect(failed && 'error' in failed ? failed.error.reason : undefined).toBe('bad-kpl');
  });

  it('quarantines a KPL aggregate whose user record names a partition key it does not hold', () => {
    // Prepare: a well-formed aggregate (valid MD5) with an empty partition key table and one
    // record pointing at key 5: AggregatedRecord { records: [{ partition_key_index: 5, data: "one" }] }
    const protobuf = Buffer.from([0x1a, 0x07, 0x08, 0x05, 0x1a, 0x03, 0x6f, 0x6e, 0x65]);
    const data = Buffer.concat([
      Buffer.from([0xf3, 0x89, 0x9a, 0xc2]),
      protobuf,
      createHash('md5').update(protobuf).digest(),
    ]);
    const { kinesis } = kinesisRecord({ data });

    // Act
    const result = unwrapped(unwrapRecord(kinesis, MAX));

    // Assess: quarantined with its reason, not a TypeError that would rewind the shard for ever
    expect(payloadsOf(result)).toEqual([
      '!bad-kpl: KPL aggregate is corrupt: user record 0 names a partition key the aggregate does not hold',
    ]);
  });

  it('inflates gzip and fails only the bad user record of an aggregate', async () => {
    // Prepare
    const aggregate = await kplAggregate([
      { partitionKey: 'a', data: gzip('{"ok":true}') },
      { partitionKey: 'a', data: Buffer.from([0x1f, 0x8b, 0x00]) },
    ]);

    // Act
    const result = unwrapped(unwrapRecord(kinesisRecord({ data: aggregate }).kinesis, MAX));

    // Assess
    expect(payloadsOf(result)).toEqual([
      '{"ok":true}',
      '!bad-gzip: gzip payload does not inflate: unexpected end of file',
    ]);
    expect(result.userRecords[1]?.origin.original).toEqual(Buffer.from([0x1f, 0x8b, 0x00]));
  });

  it('turns a CloudWatch Logs DATA_MESSAGE into one user record per log event', () => {
    // Prepare
    const { kinesis } = kinesisRecord({ data: logsDataMessage(['{"n":1}', 'plain text']) });

    // Act
    const result = unwrapped(unwrapRecord(kinesis, MAX));

    // Assess
    expect(payloadsOf(result)).toEqual(['{"n":1}', 'plain text']);
    expect(result.userRecords.map((u) => [u.origin.kind, u.origin.logEventId])).toEqual([
      ['log-event', '381950428736498102938475610293847561029384756102938400'],
      ['log-event', '381950428736498102938475610293847561029384756102938401'],
    ]);
  });

  it('passes an envelope CloudWatch would not send on whole, for its dataset to refuse', () => {
    // Prepare: a message in Latin-1 (no UTF-8), and one holding a lone surrogate escape
    const envelope = (message: string) =>
      `{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":0,"message":${message}}]}`;
    const latin1 = Buffer.from(envelope('"café"'), 'latin1');
    const surrogate = Buffer.from(envelope('"ok \\ud800"'), 'utf8');

    // Act
    const results = [latin1, surrogate].map((text) =>
      unwrapped(unwrapRecord(kinesisRecord({ data: gzip(text) }).kinesis, MAX)),
    );

    // Assess: one user record each, the inflated envelope itself
    expect(results.map((r) => r.userRecords.map((u) => 'payload' in u && u.payload))).toEqual([
      [latin1],
      [surrogate],
    ]);
    expect(results.map((r) => r.userRecords[0]?.origin.kind)).toEqual(['record', 'record']);
  });

  it('reads an envelope whatever the order of its keys', () => {
    // Prepare: owner first and messageType fifth, as in AWS's example of a decoded Kinesis record
    const envelope = JSON.stringify({
      owner: '123456789012',
      logGroup: 'app',
      logStream: 's1',
      subscriptionFilters: ['to-kinesis'],
      messageType: 'DATA_MESSAGE',
      logEvents: [{ id: '7', timestamp: 0, message: '{"event_id":"e-7"}' }],
    });

    // Act
    const result = unwrapped(unwrapRecord(kinesisRecord({ data: gzip(envelope) }).kinesis, MAX));

    // Assess
    expect(payloadsOf(result)).toEqual(['{"event_id":"e-7"}']);
    expect(result.userRecords[0]?.origin.logEventId).toBe('7');
  });

  it("passes a dataset's gzip record that merely has a messageType field on to its dataset", () => {
    // Prepare: records of one's own that name a messageType, CloudWatch's values included
    const records = [
      '{"event_type":"alert","messageType":"CONTROL_MESSAGE","user":"u1"}',
      '{"event_type":"x","messageType":"DATA_MESSAGE","logEvents":[{"id":"1","message":"hi"}]}',
    ];

    // Act
    const results = records.map((text) =>
      unwrapped(unwrapRecord(kinesisRecord({ data: gzip(text) }).kinesis, MAX)),
    );

    // Assess: each whole, as its dataset's record; no control message counted
    expect(results.map(payloadsOf)).toEqual([[records[0]], [records[1]]]);
    expect(results.map((r) => r.controlMessages)).toEqual([0, 0]);
  });

  it('counts a CloudWatch Logs CONTROL_MESSAGE and yields nothing from it', () => {
    // Act
    const result = unwrapped(
      unwrapRecord(kinesisRecord({ data: logsControlMessage() }).kinesis, MAX),
    );

    // Assess
    expect(result.userRecords).toEqual([]);
    expect(result.controlMessages).toBe(1);
  });

  it('refuses non-canonical base64 and oversized records before decoding them', () => {
    // Prepare
    const bad = kinesisRecord({ data: { base64: 'ab$d' } }).kinesis;
    const large = kinesisRecord({ data: Buffer.alloc(4097) }).kinesis;
    const bomb = kinesisRecord({ data: gzip(Buffer.alloc(100_000)) }).kinesis;

    // Act
    const results = [bad, large, bomb].map((k) => payloadsOf(unwrapRecord(k, MAX)));

    // Assess
    expect(results).toEqual([
      ['!bad-base64: data is not base64 (length 4, expected canonical base64)'],
      ['!too-large: record of 4097 bytes exceeds the 4096-byte record limit'],
      ['!too-large: gzip payload inflating beyond the limit exceeds the 4096-byte record limit'],
    ]);
  });

  it('takes a record at the size bound and refuses one a byte over, whatever its padding', () => {
    // Prepare: 4096 and 4097 bytes, whose base64 ends in one and in two padding characters
    const sizes = [4094, 4095, 4096, 4097, 4098];

    // Act
    const results = sizes.map((size) => {
      const { kinesis } = kinesisRecord({ data: Buffer.alloc(size, 0x61) });
      return payloadsOf(unwrapRecord(kinesis, MAX)).map((p) => (p.startsWith('!') ? p : p.length));
    });

    // Assess
    expect(results).toEqual([
      [4094],
      [4095],
      [4096],
      ['!too-large: record of 4097 bytes exceeds the 4096-byte record limit'],
      ['!too-large: record of 4098 bytes exceeds the 4096-byte record limit'],
    ]);
  });

  it("leaves a gzip record's user records and origins intact when later records are unwrapped", () => {
    // Prepare: a plain record's payload is a view the next call overwrites; a packed one's is not
    const packed = kinesisRecord({ data: gzip('{"inflated":true}'), partitionKey: 'pk' }).kinesis;
    const plain = kinesisRecord({ data: 'x'.repeat(64), partitionKey: 'pk' }).kinesis;
    const compressed = Buffer.from(packed.data, 'base64');

    // Act
    const [user] = unwrapped(unwrapRecord(packed, MAX)).userRecords;
    unwrapRecord(plain, MAX);

    // Assess
    expect(user && 'payload' in user ? user.payload.toString('utf8') : user).toBe(
      '{"inflated":true}',
    );
    expect(user?.origin.original).toEqual(compressed);
  });
});
