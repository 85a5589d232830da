import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RangeUnavailableError, RedriveIncompleteError } from '../../../shared/redrive/errors';
import type { KinesisBatchInfo } from '../../../shared/redrive/on-failure-message';
import { readSequenceRange, redriveStreamRange } from '../../../shared/redrive/stream-range';

const kinesisMock = mockClient(KinesisClient);
const STREAM_ARN =
  'arn:aws:kinesis:us-east-1:123456789012:stream/streamlake-local-IngestStream-ABC';
const info = (start: string, end: string, batchSize: number): KinesisBatchInfo => ({
  shardId: 'shardId-000000000001',
  startSequenceNumber: start,
  endSequenceNumber: end,
  approximateArrivalOfFirstRecord: '2026-11-24T13:30:00.000Z',
  approximateArrivalOfLastRecord: '2026-11-24T13:30:01.000Z',
  batchSize,
  streamArn: STREAM_ARN,
});
const record = (sequence: string) => ({
  SequenceNumber: sequence,
  Data: Buffer.from(`r${sequence}`),
  PartitionKey: 'k',
  ApproximateArrivalTimestamp: new Date(1_795_527_000_000),
});

describe('Function: readSequenceRange', () => {
  beforeEach(() => {
    kinesisMock.reset();
  });

  it('reads from AT_SEQUENCE_NUMBER start across pages and stops after the end', async () => {
    // Prepare
    kinesisMock.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-0' });
    kinesisMock
      .on(GetRecordsCommand, { ShardIterator: 'it-0' })
      .resolves({
        Records: [record('10'), record('11')],
        NextShardIterator: 'it-1',
        MillisBehindLatest: 900,
      })
      .on(GetRecordsCommand, { ShardIterator: 'it-1' })
      .resolves({
        Records: [record('12'), record('13')],
        NextShardIterator: 'it-2',
        MillisBehindLatest: 0,
      });

    // Act
    const pauses: number[] = [];
    const records = await readSequenceRange(
      new KinesisClient({}),
      info('10', '12', 3),
      async (ms) => {
        pauses.push(ms);
      },
    );

    // Assess: no more asked per read than the range still holds, a pause between pages
    expect(records.map((r) => r.SequenceNumber)).toEqual(['10', '11', '12']);
    expect(kinesisMock.commandCalls(GetRecordsCommand).map((c) => c.args[0].input.Limit)).toEqual([
      3, 1,
    ]);
    expect(pauses).toEqual([200]);
    expect(kinesisMock.commandCalls(GetShardIteratorCommand)[0]?.args[0].input).toEqual({
      StreamARN: STREAM_ARN,
      ShardId: 'shardId-000000000001',
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: '10',
    });
    expect(kinesisMock.commandCalls(GetRecordsCommand)).toHaveLength(2);
    // by ARN, as AWS recommends: a name alone only resolves in the caller's account and region
    for (const call of kinesisMock.commandCalls(GetRecordsCommand))
      expect(call.args[0].input.StreamARN).toBe(STREAM_ARN);
  });

  it("backs off while the shard's read throughput is exceeded, then gives up", async () => {
    // Prepare: refused twice, then served; a second range refused every time
    const throttled = () =>
      new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
    kinesisMock.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-0' });
    kinesisMock
      .on(GetRecordsCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ Records: [record('10')], NextShardIterator: 'it-1', MillisBehindLatest: 0 });
    const pauses: number[] = [];
    const pause = async (ms: number) => {
      pauses.push(ms);
    };

    // Act
    const records = await readSequenceRange(new KinesisClient({}), info('10', '10', 1), pause);
    kinesisMock.on(GetRecordsCommand).rejects(throttled());
    const refused = readSequenceRange(new KinesisClient({}), info('10', '10', 1), pause);

    // Assess
    expect(records.map((r) => r.SequenceNumber)).toEqual(['10']);
    await expect(refused).rejects.toThrow('Rate exceeded');
    expect(pauses).toEqual([1_000, 2_000, 1_000, 2_000, 4_000, 8_000]);
  });

  it('refuses a range whose first record the stream no longer holds (trimmed)', async () => {
    // Prepare
    kinesisMock.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-0' });
    kinesisMock
      .on(GetRecordsCommand)
      .resolves({ Records: [record('11')], NextShardIterator: 'it-1', MillisBehindLatest: 0 });

    // Act
    const reading = readSequenceRange(new KinesisClient({}), info('10', '11', 2));

    // Assess
    await expect(reading).rejects.toThrow(RangeUnavailableError);
  });
});

describe('Function: redriveStreamRange', () => {
  beforeEach(() => {
    kinesisMock.reset();
    kinesisMock.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-0' });
    kinesisMock.on(GetRecordsCommand).resolves({
      Records: [record('10'), record('11'), record('12')],
      NextShardIterator: 'it-1',
      MillisBehindLatest: 0,
    });
  });

  it('ingests the range as one batch and retries from the lowest reported record', async () => {
    // Prepare: the first ingest reports 12 and 11 as failed
    const batches: string[][] = [];
    const ingest = async (records: readonly KinesisStreamRecord[]) => {
      batches.push(records.map((r) => r.kinesis.sequenceNumber));
      const batchItemFailures =
        batches.length === 1 ? [{ itemIdentifier: '12' }, { itemIdentifier: '11' }] : [];
      return { batchItemFailures, summary: {} as never };
    };

    // Act
    const result = await redriveStreamRange(
      { kinesis: new KinesisClient({}), ingest },
      info('10', '12', 3),
    );

    // Assess
    expect(batches).toEqual([
      ['10', '11', '12'],
      ['11', '12'],
    ]);
    expect(result).toEqual({ records: 3, attempts: 2 });
  });

  it('gives up after maxAttempts, leaving the message to a later run', async () => {
    // Prepare
    const ingest = async () => ({
      batchItemFailures: [{ itemIdentifier: '10' }],
      summary: {} as never,
    });

    // Act
    const redriving = redriveStreamRange(
      { kinesis: new KinesisClient({}), ingest, maxAttempts: 2 },
      info('10', '12', 3),
    );

    // Assess
    await expect(redriving).rejects.toThrow(RedriveIncompleteError);
  });
});
