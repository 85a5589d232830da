import {
  BatchCreatePartitionCommand,
  EntityNotFoundException,
  GetTableCommand,
  GlueClient,
  ThrottlingException,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { PartitionRegistrationError } from '../../../shared/catalog/errors';
import { type PartitionRequest, partitionRegistrar } from '../../../shared/catalog/partitions';

const glueMock = mockClient(GlueClient);
const glue = new GlueClient({ region: 'us-east-1', maxAttempts: 1 });

const ORDERS_STORAGE = {
  Location: 's3://lake/raw/orders/',
  Columns: [
    { Name: 'order_id', Type: 'string' },
    { Name: 'total', Type: 'decimal(12,2)' },
  ],
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: {
    SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    Parameters: { 'serialization.format': '1' },
  },
  Compressed: false,
  StoredAsSubDirectories: false,
};

const hour = (dt: string, h: number): PartitionRequest => {
  const hh = String(h).padStart(2, '0');
  return { table: 'orders', values: [dt, hh], path: `dt=${dt}/hour=${hh}` };
};

/** 24 hours a day from 2026-11-01: `count` distinct partitions. */
const hours = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    hour(`2026-11-${String(1 + Math.floor(i / 24)).padStart(2, '0')}`, i % 24),
  );

describe('Function: partitionRegistrar', () => {
  beforeEach(() => {
    glueMock.reset();
    glueMock.on(GetTableCommand).resolves({
      Table: { Name: 'orders', DatabaseName: 'streamlake_dev', StorageDescriptor: ORDERS_STORAGE },
    });
    glueMock.on(BatchCreatePartitionCommand).resolves({ Errors: [] });
  });

  it("creates a partition with the table's storage descriptor and its own location", async () => {
    // Prepare
    const registrar = partitionRegistrar(glue, { database: 'streamlake_dev' });

    // Act
    const outcome = await registrar.register([hour('2026-11-24', 13)]);

    // Assess
    expect(outcome).toEqual({ created: 1, existed: 0, cached: 0, failures: new Map() });
    expect(glueMock.commandCalls(GetTableCommand)[0]?.args[0].input).toEqual({
      DatabaseName: 'streamlake_dev',
      Name: 'orders',
    });
    expect(glueMock.commandCalls(BatchCreatePartitionCommand)[0]?.args[0].input).toEqual({
      DatabaseName: 'streamlake_dev',
      TableName: 'orders',
      PartitionInputList: [
        {
          Values: ['2026-11-24', '13'],
          StorageDescriptor: {
            ...ORDERS_STORAGE,
            Location: 's3://lake/raw/orders/dt=2026-11-24/hour=13/',
          },
        },
      ],
    });
  });

  it('sends at most 100 partitions per BatchCreatePartition call', async () => {
    // Prepare
    const registrar = partitionRegistrar(glue, { database: 'streamlake_dev' });

    // Act
    const outcome = await registrar.register(hours(250));

    // Assess
    const sizes = glueMock
      .commandCalls(BatchCreatePartitionCommand)
      .map((c) => c.args[0].input.PartitionInputList?.length);
    expect(sizes).toEqual([100, 100, 50]);
    expect(outcome.created).toBe(250);
    const lastCall = glueMock.commandCalls(BatchCreatePartitionCommand)[2]?.args[0].input;
    expect(lastCall?.PartitionInputList?.at(-1)?.Values).toEqual(['2026-11-11', '09']);
  });

  it('counts AlreadyExistsException as registered and fails other entries with their code', async () => {
    // Prepare
    glueMock.on(BatchCreatePartitionCommand).resolves({
      Errors: [
        {
          PartitionValues: ['2026-11-24', '13'],
          ErrorDetail: { ErrorCode: 'AlreadyExistsException', ErrorMessage: 'exists' },
        },
        {
          PartitionValues: ['2026-11-24', '15'],
          ErrorDetail: {
            ErrorCode: 'ResourceNumberLimitExceededException',
            ErrorMessage: 'Number of partitions exceeded',
          },
        },
      ],
    });
    const registrar = partitionRegistrar(glue, { database: 'streamlake_dev' });

    // Act
    const outcome = await registrar.register([13, 14, 15].map((h) => hour('2026-11-24', h)));

    // Assess
    expect(outcome.created).toBe(1);
    expect(outcome.existed).toBe(1);
    expect([...outcome.failures.keys()]).toEqual(['orders/2026-11-24/15']);
    const failure = outcome.failures.get('orders/2026-11-24/15');
    expect(failure).toBeInstanceOf(PartitionRegistrationError);
    expect(failure?.code).toBe('ResourceNumberLimitExceededException');
    expect(failure?.message).toBe(
      'registering partition (2026-11-24, 15) of streamlake_dev.orders: ResourceNumberLimitExceededException: Number of partitions exceeded',
    );
  });

  it('remembers registered and existing partitions, and asks for each table once per container', async () => {
    // Prepare
    glueMock.on(BatchCreatePartitionCommand).resolves({
      Errors: [
        {
          PartitionValues: ['2026-11-24', '14'],
          ErrorDetail: { ErrorCode: 'AlreadyExistsException', ErrorMessage: 'exists' },
        },
      ],
    });
    const registrar = partitionRegistrar(glue, { database: 'streamlake_dev' });
    await registrar.register([hour('2026-11-24', 13), hour('2026-11-24', 14)]);

    // Act
    const again = await registrar.register([
      hour('2026-11-24', 13),
      hour('2026-11-24', 14),
      hour('2026-11-24', 14),
      hour('2026-11-24', 16),
    ]);

    // Assess
    expect(again).toEqual({ created: 1, existed: 0, cached: 2, failures: new Map() });
    expect(glueMock.commandCalls(GetTableCommand)).toHaveLength(1);
    const second = glueMock.commandCalls(BatchCreatePartitionCommand)[1]?.args[0].input;
    expect(second?.PartitionInputList?.map((p) => p.Values)).toEqual([['2026-11-24', '16']]);
  });

  it('fails every partition of a throttled call, and asks again next time', async () => {
    // Prepare
    glueMock
      .on(BatchCreatePartitionCommand)
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }))
      .resolves({ Errors: [] });
    const registrar = partitionRegistrar(glue, { database: 'streamlake_dev' });

    // Act
    const first = await registrar.register([hour('2026-11-24', 13), hour('2026-11-24', 14)]);
    const second = await registrar.register([hour('2026-11-24', 13), hour('2026-11-24', 14)]);

    // Assess
    expect([...first.failures.values()].map((e) => e.message)).toEqual([
      'registering partition (2026-11-24, 13) of streamlake_dev.orders: ThrottlingException: Rate exceeded',
      'registering partition (2026-11-24, 14) of streamlake_dev.orders: ThrottlingException: Rate exceeded',
    ]);
    expect(second).toEqual({ created: 2, existed: 0, cached: 0, failures: new Map() });
  });

  it('fails the partitions of a table GetTable cannot find, without remembering the failure', async () => {
    // Prepare
    glueMock
      .on(GetTableCommand)
      .rejectsOnce(
        new EntityNotFoundException({ message: 'Table orders not found.', $metadata: {} }),
      )
      .resolves({ Table: { Name: 'orders', StorageDescriptor: ORDERS_STORAGE } });
    const registrar = partitionRegistrar(glue, { database: 'streamlake_dev' });

    // Act
    const first = await registrar.register([hour('2026-11-24', 13)]);
    const second = await registrar.register([hour('2026-11-24', 13)]);

    // Assess
    expect(first.failures.get('orders/2026-11-24/13')?.message).toBe(
      'registering partition (2026-11-24, 13) of streamlake_dev.orders: EntityNotFoundException: GetTable: Table orders not found.',
    );
    expect(glueMock.commandCalls(BatchCreatePartitionCommand)).toHaveLength(1);
    expect(second.created).toBe(1);
  });
});
