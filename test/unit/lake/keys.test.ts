import { describe, expect, it } from 'vitest';
import { quarantineObjectKey, rawObjectKey } from '../../../shared/lake/keys';
import { partitionPathOf, quarantinePartitionOf } from '../../../shared/lake/partition';

const start = {
  shardId: 'shardId-000000000003',
  firstSequenceNumber: '49657328148350128938227153648127638469728451730957500418',
};

describe('Function: partitionPathOf', () => {
  it('derives dt/hour (and year/month) from the event time in UTC', () => {
    // Act & Assess
    expect(
      partitionPathOf(
        [
          { name: 'dt', part: 'date' },
          { name: 'hour', part: 'hour' },
        ],
        1_795_525_500_000_000n,
      ),
    ).toBe('dt=2026-11-24/hour=13');
    expect(
      partitionPathOf(
        [
          { name: 'year', part: 'year' },
          { name: 'month', part: 'month' },
        ],
        0n,
      ),
    ).toBe('year=1970/month=01');
    expect(quarantinePartitionOf(-1n)).toBe('dt=1969-12-31');
  });
});

describe('Functions: rawObjectKey, quarantineObjectKey', () => {
  it('name an object after its group and its first record only', () => {
    // Act & Assess
    expect(rawObjectKey('clickstream', 'dt=2026-11-24/hour=13', start)).toBe(
      'raw/clickstream/dt=2026-11-24/hour=13/shardId-000000000003-49657328148350128938227153648127638469728451730957500418.parquet',
    );
    expect(quarantineObjectKey(null, 'dt=2026-11-24', start)).toBe(
      'quarantine/_unknown/dt=2026-11-24/shardId-000000000003-49657328148350128938227153648127638469728451730957500418.jsonl',
    );
    expect(quarantineObjectKey('orders', 'dt=2026-11-24', start)).toMatch(
      /^quarantine\/orders\/dt=2026-11-24\//,
    );
  });

  it('refuses a shard id or sequence number that could escape the key', () => {
    expect(() => rawObjectKey('d', 'dt=x', { shardId: '../x', firstSequenceNumber: '1' })).toThrow(
      'unexpected shard id or sequence number: ../x 1',
    );
  });
});
