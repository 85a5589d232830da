import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PARTITION_KEYS, type PartitionKey } from '../../../shared/datasets';
import { newestPartition } from '../../../shared/freshness/newest-partition';
import { partitionEndOf, partitionStartOf } from '../../../shared/freshness/partitions';
import { fakeLake } from './fake-lake';

const file = (path: string) => `raw/orders/${path}/shardId-000000000000-1.parquet`;
let lake: ReturnType<typeof fakeLake> | undefined;
const NOW = new Date('2026-11-25T12:00:00Z');

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
      NOW,
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
      NOW,
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
      NOW,
    );

    // Assess
    expect(newest?.path).toBe('dt=2026-11-20/hour=03');
  });

  it('passes over partitions that start after the given time (a producer clock running ahead)', async () => {
    // Prepare: one record from 2099, one from the next hour, and the real newest at 11:00
    lake = fakeLake([
      file('dt=2026-11-25/hour=11'),
      file('dt=2026-11-25/hour=14'),
      file('dt=2099-01-01/hour=00'),
    ]);

    // Act
    const newest = await newestPartition(
      new S3Client({}),
      'lake',
      'raw/orders/',
      DEFAULT_PARTITION_KEYS,
      new Date('2026-11-25T13:00:00Z'),
    );

    // Assess
    expect(newest).toEqual({
      path: 'dt=2026-11-25/hour=11',
      end: new Date('2026-11-25T12:00:00Z'),
    });
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
      NOW,
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

describe('Function: partitionStartOf', () => {
  const keys = (...parts: PartitionKey['part'][]) => parts.map((part) => ({ name: part, part }));

  it.each([
    [keys('date', 'hour'), ['2026-11-24'], '2026-11-24T00:00:00.000Z'],
    [keys('date', 'hour'), ['2026-11-24', '07'], '2026-11-24T07:00:00.000Z'],
    [keys('year', 'month'), ['2026'], '2026-01-01T00:00:00.000Z'],
    [keys('year', 'month'), ['2026', '11'], '2026-11-01T00:00:00.000Z'],
  ])('%j %j starts at %s', (partitionKeys, values, expected) => {
    expect(partitionStartOf(partitionKeys, values).toISOString()).toBe(expected);
  });
});
