import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSequenceNumbers, splitByShard } from '../../../shared/ingest/shards';
import { kinesisRecord } from '../../helpers/kinesis-records';

describe('Function: compareSequenceNumbers', () => {
  it('orders like BigInt comparison (fast-check, fixed seed)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 56n }),
        fc.bigInt({ min: 0n, max: 10n ** 56n }),
        (a, b) => {
          expect(Math.sign(compareSequenceNumbers(String(a), String(b)))).toBe(
            a < b ? -1 : a > b ? 1 : 0,
          );
        },
      ),
      { seed: 20261124, numRuns: 1000 },
    );
  });
});

describe('Function: splitByShard', () => {
  it('groups positions by shard and sorts each shard by sequence number', () => {
    // Prepare
    const records = [
      kinesisRecord({ data: 'a', position: 9 }),
      kinesisRecord({ data: 'b', position: 10, shardId: 'shardId-000000000001' }),
      kinesisRecord({ data: 'c', position: 2 }),
    ];

    // Act
    const shards = splitByShard(records);

    // Assess
    expect(
      [...shards].map(([id, positions]) => [
        id,
        positions.map((p) => records[p]?.kinesis.partitionKey),
      ]),
    ).toEqual([
      ['shardId-000000000000', ['user-2', 'user-9']],
      ['shardId-000000000001', ['user-10']],
    ]);
  });
});
