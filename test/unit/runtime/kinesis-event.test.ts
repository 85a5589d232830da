import { describe, expect, it } from 'vitest';
import { batchLength, slotOf, streamRecordOf } from '../../../local/runtime/kinesis-event';

/** The record shape of a Kinesis event (developer guide, with-kinesis) and batch cutting. */

const source = {
  shardId: 'shardId-000000000006',
  streamArn: 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream',
  region: 'us-east-2',
  invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
};
const sdkRecord = (sequence: string, data: string) => ({
  SequenceNumber: sequence,
  ApproximateArrivalTimestamp: new Date(1545084650987),
  Data: Buffer.from(data),
  PartitionKey: '1',
});

describe('Function: streamRecordOf', () => {
  it('builds the record exactly as the documented example event', () => {
    // Act
    const record = streamRecordOf(
      sdkRecord(
        '49590338271490256608559692538361571095921575989136588898',
        'Hello, this is a test.',
      ),
      source,
    );

    // Assess
    expect(record.event).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: '1',
        sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
        data: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==',
        approximateArrivalTimestamp: 1545084650.987,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: 'shardId-000000000006:49590338271490256608559692538361571095921575989136588898',
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
      awsRegion: 'us-east-2',
      eventSourceARN: 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream',
    });
    expect(record.arrivalMs).toBe(1545084650987);
  });
});

describe('Function: batchLength', () => {
  const records = Array.from({ length: 10 }, (_, i) =>
    streamRecordOf(sdkRecord(String(i + 1), 'x'.repeat(300)), source),
  );

  it('stops at BatchSize', () => {
    // Act
    const length = batchLength(records, 4);

    // Assess
    expect(length).toBe(4);
  });

  it('stops before the event would exceed the payload limit, but always takes one record', () => {
    // Prepare: each record is a bit over 400 bytes of JSON
    const oneRecord = records[0]?.bytes ?? 0;

    // Act
    const length = batchLength(records, 100, 2 * oneRecord + 20);
    const lone = batchLength(records, 100, 10);

    // Assess
    expect(length).toBe(2);
    expect(lone).toBe(1);
  });
});

describe('Function: slotOf', () => {
  it('keeps a partition key in one slot and spreads keys over the factor', () => {
    // Act
    const same = new Set(Array.from({ length: 5 }, () => slotOf('user-42', 4)));
    const spread = new Set(Array.from({ length: 200 }, (_, i) => slotOf(`user-${i}`, 4)));

    // Assess
    expect(same.size).toBe(1);
    expect([...spread].sort()).toEqual([0, 1, 2, 3]);
    expect(slotOf('anything', 1)).toBe(0);
  });
});
