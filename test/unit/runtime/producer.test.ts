import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateRecords } from '../../../local/runtime/generate';
import { putRecordsStreaming } from '../../../local/runtime/producer';
import { datasets } from '../../../shared/datasets';
import { decodeRecord } from '../../../shared/records/decode';
import { compileRegistry } from '../../../shared/records/registry';

const kinesisMock = mockClient(KinesisClient);

describe('Function: putRecordsStreaming', () => {
  beforeEach(() => {
    kinesisMock.reset();
  });

  it('puts 1,200 generated records in calls of 500, 500 and 200', async () => {
    // Prepare
    kinesisMock.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => ({
      Records: input.Records.map((_, i) => ({
        SequenceNumber: String(i),
        ShardId: 'shardId-000000000000',
      })),
    }));

    // Act
    const summary = await putRecordsStreaming(
      new KinesisClient({}),
      'stream',
      generateRecords({ count: 1200 }),
      {
        concurrency: 1,
      },
    );

    // Assess
    const calls = kinesisMock.commandCalls(PutRecordsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.StreamName, c.Records?.length])).toEqual([
      ['stream', 500],
      ['stream', 500],
      ['stream', 200],
    ]);
    expect(summary).toMatchObject({ records: 1200, calls: 3, retriedEntries: 0 });
  });

  it('sends again only the entries a call rejected', async () => {
    // Prepare: the first call rejects its second entry
    kinesisMock
      .on(PutRecordsCommand)
      .resolvesOnce({
        FailedRecordCount: 1,
        Records: [
          { SequenceNumber: '1', ShardId: 'shardId-000000000000' },
          { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' },
          { SequenceNumber: '2', ShardId: 'shardId-000000000000' },
        ],
      })
      .resolves({ Records: [{ SequenceNumber: '3', ShardId: 'shardId-000000000000' }] });
    const records = ['a', 'b', 'c'].map((key) => ({ partitionKey: key, data: Buffer.from(key) }));

    // Act
    const summary = await putRecordsStreaming(new KinesisClient({}), 'stream', records);

    // Assess
    const calls = kinesisMock.commandCalls(PutRecordsCommand).map((c) => c.args[0].input.Records);
    expect(calls[1]).toEqual([{ PartitionKey: 'b', Data: Buffer.from('b') }]);
    expect(summary).toMatchObject({ records: 3, calls: 2, retriedEntries: 1 });
  });
});

describe('Function: generateRecords', () => {
  it('is repeatable per seed, and every record but the poison ones decodes to a row', () => {
    // Prepare
    const registry = compileRegistry(datasets);

    // Act
    const first = [
      ...generateRecords({
        count: 300,
        seed: 3,
        poisonEvery: 100,
        endMs: Date.UTC(2026, 10, 24, 16),
      }),
    ];
    const again = [
      ...generateRecords({
        count: 300,
        seed: 3,
        poisonEvery: 100,
        endMs: Date.UTC(2026, 10, 24, 16),
      }),
    ];
    const decoded = first.map((r, i) =>
      decodeRecord(
        registry,
        {
          kinesisSchemaVersion: '1.0',
          partitionKey: r.partitionKey,
          sequenceNumber: String(i + 1),
          approximateArrivalTimestamp: 1_795_536_000,
          data: Buffer.from(r.data).toString('base64'),
        },
        1_048_576,
      ),
    );

    // Assess
    expect(again).toEqual(first);
    expect(decoded.filter((d) => d.poisons.length > 0)).toHaveLength(3);
    expect(decoded.filter((d) => d.rows.length === 1)).toHaveLength(297);
    expect(new Set(decoded.flatMap((d) => d.rows.map((r) => r.dataset.declaration.name)))).toEqual(
      new Set(['clickstream', 'orders', 'sensor_readings']),
    );
  });
});
