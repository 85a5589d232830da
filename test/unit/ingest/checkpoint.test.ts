import { describe, expect, it } from 'vitest';
import { checkpointOf } from '../../../shared/ingest/checkpoint';

const span = (first: number, last: number, written = true) => ({ first, last, written });

describe('Function: checkpointOf', () => {
  it('is the end of the batch when everything was written', () => {
    expect(checkpointOf([span(0, 3), span(1, 5)], 6, 6)).toBe(6);
    expect(checkpointOf([], 0, 0)).toBe(0);
  });

  it('is the first record of the earliest failed group', () => {
    // groups: A [0,1] written, B [2,4] failed, C [5,5] written
    expect(checkpointOf([span(0, 1), span(2, 4, false), span(5, 5)], 6, 6)).toBe(2);
  });

  it('moves back over written groups that straddle it, transitively', () => {
    // C fails at 3; B [2,4] straddles 3 → 2; A [0,1] ends before 2 → committed
    expect(checkpointOf([span(0, 1), span(2, 4), span(3, 5, false)], 6, 6)).toBe(2);
    // C fails at 4; B [1,4] straddles → 1; A [0,2] straddles 1 → 0
    expect(checkpointOf([span(0, 2), span(1, 4), span(4, 5, false)], 6, 6)).toBe(0);
  });

  it('starts from the first record that failed to decode', () => {
    // record 3 did not decode; groups hold records 0-2 only
    expect(checkpointOf([span(0, 2), span(1, 1)], 6, 3)).toBe(3);
    expect(checkpointOf([span(0, 2), span(1, 1, false)], 6, 3)).toBe(0);
  });
});
