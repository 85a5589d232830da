import { describe, expect, it } from 'vitest';
import { ShardLedger } from '../../../local/runtime/shard-ledger';

describe('Class: ShardLedger', () => {
  it('moves the checkpoint only over leading done records', () => {
    // Prepare
    const ledger = new ShardLedger();
    const positions = ['1', '2', '3', '4'].map((seq) => ledger.add(seq));

    // Act
    ledger.markDone(positions[1] ?? -1);
    const afterSecond = ledger.checkpoint;
    ledger.markDone(positions[0] ?? -1);
    const afterFirst = ledger.checkpoint;

    // Assess
    expect(afterSecond).toBeUndefined();
    expect(afterFirst).toBe('2');
    expect(ledger.outstanding).toBe(2);
  });

  it('keeps positions valid across compaction of a long run', () => {
    // Prepare
    const ledger = new ShardLedger();
    const positions = Array.from({ length: 10_000 }, (_, i) => ledger.add(String(i + 1)));

    // Act
    for (const position of positions.slice(0, 9_000)) ledger.markDone(position);
    for (const position of positions.slice(9_000)) ledger.markDone(position);

    // Assess
    expect(ledger.checkpoint).toBe('10000');
    expect(ledger.outstanding).toBe(0);
  });
});
