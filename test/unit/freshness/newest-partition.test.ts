import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PARTITION_KEYS, type PartitionKey } from '../../../shared/datasets';
import { newestPartition } from '../../../shared/freshness/newest-partition';
import { partitionEndOf } from '../../../shared/freshness/partitions';
import { fakeLake } from './fake-lake';

const file = (path: string) => `raw/orders/${path}/shardId-000000000000-1.parquet`;
let lake: ReturnType<typeof fakeLake> | undefined;

describe('Function: newestPartition', () => {
  afterEach(() => lake?.restore());

  it('walks dt= then hour= and picks the newest, one listing per level', async () => {
    // Prepare
    lake = fakeLake([
      file('dt=2026-11-23/hour=23'),
      file('dt=2026-11-24/hour=07'),
      file('dt=2026-11-24/hour=09'),
      file('dt=2026-11-24/hour=10'),
      'raw/orders_v2/dt=2026-12-01/hour=00/x.parquet',
    ]);

    // Act
    const newest = await newestPartition(
      new S3Client({}),
      'lake',
      'raw/orders/',
      DEFAULT_PARTITION_KEYS,
    );

    // Assess
    expect(newest).toEqual({
      path: 'dt=2026-11-24/hour=10',
      end: new Date('2026-11-24T11:00:00Z'),
    });
    expect(lake.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'lake', Prefix: 'raw/orders/', Delimiter: '/', ContinuationToken: undefined },
      {
        Bucket: 'lake',
        Prefix: 'raw/orders/dt=2026-11-24/',
        Delimiter: '/',
        ContinuationToken: undefined,
      },
    ]);
  });

  it('reads every page of a level', async () => {
    // Prepare: 30 days, 7 prefixes a page
    const days = Array.from({ length: 30 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`);
    lake = fakeLake(
      days.map((d) => file(`dt=${d}/hour=05`)),
      7,
    );

    // Act
    const newest = await newestPartition(
      new S3Client({}),
      'lake',
      'raw/orders/',
      DEFAULT_PARTITION_KEYS,
    );

    // Assess
    expect(newest?.path).toBe('dt=2026-10-30/hour=05');
  });

  it('ignores folders that are not partition values and falls back past an incomplete one', async () => {
    // Prepare
    lake = fakeLake([
      file('dt=2026-11-20/hour=03'),
      'raw/orders/dt=2026-11-21/_SUCCESS',
      file('dt=__HIVE_DEFAULT_PARTITION__/hour=01'),
      file('_tmp/dt=2026-12-31/hour=01'),
    ]);

    // Act
    const newest = await newestPartition(
      new S3Client({}),
      'lake',
      'raw/orders/',
      DEFAULT_PARTITION_KEYS,
    );

    // Assess
    expect(newest?.path).toBe('dt=2026-11-20/hour=03');
  });

  it('is null for a dataset with no partition', async () => {
    // Prepare
    lake = fakeLake(['raw/clickstream/dt=2026-11-24/hour=01/a.parquet']);

    // Act
    const newest = await newestPartition(
      new S3Client({}),
      'lake',
      'raw/orders/',
      DEFAULT_PARTITION_KEYS,
    );

    // Assess
    expect(newest).toBeNull();
  });
});

describe('Function: partitionEndOf', () => {
  const keys = (...parts: PartitionKey['part'][]) => parts.map((part) => ({ name: part, part }));

  it.each([
    [keys('date', 'hour'), ['2026-11-24', '23'], '2026-11-25T00:00:00.000Z'],
    [keys('date'), ['2026-12-31'], '2027-01-01T00:00:00.000Z'],
    [keys('year', 'month'), ['2026', '12'], '2027-01-01T00:00:00.000Z'],
    [keys('year', 'month', 'hour'), ['2026', '02', '05'], '2026-02-01T06:00:00.000Z'],
    [keys('year'), ['2026'], '2027-01-01T00:00:00.000Z'],
  ])('%j %j ends at %s', (partitionKeys, values, end) => {
    expect(partitionEndOf(partitionKeys, values).toISOString()).toBe(end);
  });
});
