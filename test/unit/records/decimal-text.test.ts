import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaledDecimal, scaledShortDecimal } from '../../../shared/records/decimal-text';

describe('Function: scaledShortDecimal', () => {
  it.each([
    ['12.34', 4, 123400],
    ['-0.0001', 4, -1],
    ['7', 0, 7],
    ['999999999999999', 0, 999999999999999],
    ['99999999999.9999', 4, 999999999999999],
  ])('reads %s at scale %s', (text, scale, expected) => {
    expect(scaledShortDecimal(text, scale)).toBe(expected);
  });

  it.each([
    ['1000000000000000', 0],
    ['100000000000.0', 4],
    ['1.23', 1],
    ['1e3', 2],
    ['+1', 2],
    ['.5', 2],
    ['5.', 2],
    ['', 2],
    ['-', 2],
    ['1,5', 2],
  ])('leaves %s at scale %s to scaledDecimal', (text, scale) => {
    expect(scaledShortDecimal(text, scale)).toBeNaN();
  });

  it('agrees with scaledDecimal wherever it answers (fast-check, fixed seed)', () => {
    // Prepare
    const digits = fc.stringMatching(/^\d{1,18}$/);
    const numerals = fc
      .tuple(fc.boolean(), digits, fc.option(fc.stringMatching(/^\d{0,8}$/)))
      .map(
        ([negative, whole, fraction]) =>
          `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}`,
      );

    // Act & Assess
    fc.assert(
      fc.property(numerals, fc.integer({ min: 0, max: 20 }), (text, scale) => {
        const short = scaledShortDecimal(text, scale);
        if (!Number.isNaN(short)) expect(BigInt(short)).toBe(scaledDecimal(text, scale));
      }),
      { seed: 20261124, numRuns: 5000 },
    );
  });
});
