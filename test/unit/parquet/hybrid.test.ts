import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteSink } from '../../../shared/parquet/byte-sink';
import { bitWidthOf, writeHybrid } from '../../../shared/parquet/hybrid';

/**
 * A reader of the RLE / bit-packed hybrid encoding written from the format's description, to
 * check the writer on its own (the file-level tests read whole files with other libraries).
 */
function readHybrid(bytes: Uint8Array, count: number, bitWidth: number): number[] {
  const values: number[] = [];
  let at = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++] as number;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  };
  while (values.length < count) {
    const header = varint();
    if (header % 2 === 0) {
      let value = 0;
      for (let b = 0; b < Math.ceil(bitWidth / 8); b += 1)
        value += (bytes[at++] as number) << (8 * b);
      for (let i = 0; i < header / 2; i += 1) values.push(value);
    } else {
      const groups = (header - 1) / 2;
      let bit = 0;
      const start = at;
      for (let i = 0; i < groups * 8; i += 1) {
        let value = 0;
        for (let b = 0; b < bitWidth; b += 1, bit += 1)
          value |= (((bytes[start + (bit >> 3)] as number) >> (bit & 7)) & 1) << b;
        values.push(value);
      }
      at = start + groups * bitWidth;
    }
  }
  return values.slice(0, count);
}

function encoded(values: number[], bitWidth: number): Uint8Array {
  const sink = new ByteSink(16);
  writeHybrid(sink, values, values.length, bitWidth);
  return new Uint8Array(sink.view());
}

describe('Function: writeHybrid', () => {
  it('writes a long run as one RLE run and short runs bit-packed', () => {
    // Prepare
    const values = [...Array<number>(100).fill(3), 0, 1, 2, 3];

    // Act
    const bytes = encoded(values, 2);

    // Assess: RLE header (100 << 1), value 3, then one bit-packed group of 8 (padded).
    expect([...bytes]).toEqual([200, 1, 3, 3, 0b11100100, 0]);
    expect(readHybrid(bytes, values.length, 2)).toEqual(values);
  });

  it('reads back any values at any width from 1 to 20 bits (property: 300 cases)', () => {
    // Prepare
    const cases = fc.integer({ min: 1, max: 20 }).chain((bitWidth) =>
      fc.record({
        bitWidth: fc.constant(bitWidth),
        values: fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 2 ** bitWidth - 1 }),
            fc.constantFrom(0, 2 ** bitWidth - 1),
          ),
          { maxLength: 300 },
        ),
        runs: fc.array(fc.nat({ max: 40 }), { maxLength: 5 }),
      }),
    );

    // Act + Assess
    fc.assert(
      fc.property(cases, ({ bitWidth, values, runs }) => {
        // Runs of repeated values make the writer switch between its two kinds of runs.
        const withRuns = values.flatMap((v, i) =>
          Array<number>(1 + (runs[i % (runs.length || 1)] ?? 0)).fill(v),
        );
        expect(readHybrid(encoded(withRuns, bitWidth), withRuns.length, bitWidth)).toEqual(
          withRuns,
        );
      }),
      { seed: 20261124, numRuns: 300 },
    );
  });

  it('refuses widths it cannot write', () => {
    expect(() => encoded([1], 0)).toThrow(RangeError);
    expect(() => encoded([1], 25)).toThrow(RangeError);
  });
});

describe('Function: bitWidthOf', () => {
  it('is the bits for values up to max, at least one', () => {
    expect([0, 1, 2, 3, 4, 255, 256, 4095].map(bitWidthOf)).toEqual([1, 1, 2, 2, 3, 8, 9, 12]);
  });
});
