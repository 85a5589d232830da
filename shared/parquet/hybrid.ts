import type { ByteSink } from './byte-sink';

/**
 * Parquet's RLE / bit-packed hybrid encoding, for definition and repetition levels and for
 * dictionary indices. Runs of 8 or more equal values become RLE runs (a varint header and the
 * value once); everything else is bit-packed in groups of 8 values. The last group is padded
 * with zeros, which readers ignore because they know how many values a page holds.
 * https://parquet.apache.org/docs/file-format/data-pages/encodings/#run-length-encoding--bit-packing-hybrid-rle--3
 */

/** Bits needed for values 0..max (at least 1: some readers reject a zero width). */
export function bitWidthOf(max: number): number {
  let width = 1;
  while (max >= 2 ** width) width += 1;
  return width;
}

/** Length of the run of values equal to `values[from]` starting at `from`. */
function runLength(values: ArrayLike<number>, from: number, count: number): number {
  const value = values[from];
  let end = from + 1;
  while (end < count && values[end] === value) end += 1;
  return end - from;
}

/**
 * Appends `count` values (each below 2^bitWidth, bitWidth ≤ 24) in the hybrid encoding.
 * @example writeHybrid(sink, Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1), 8, 1) // one RLE run
 */
export function writeHybrid(
  sink: ByteSink,
  values: ArrayLike<number>,
  count: number,
  bitWidth: number,
): void {
  if (bitWidth < 1 || bitWidth > 24) throw new RangeError(`unsupported bit width ${bitWidth}`);
  const valueBytes = Math.ceil(bitWidth / 8);
  let i = 0;
  while (i < count) {
    const run = runLength(values, i, count);
    if (run >= 8) {
      sink.varint(run * 2);
      let value = values[i] as number;
      for (let b = 0; b < valueBytes; b += 1) {
        sink.u8(value & 0xff);
        value >>>= 8;
      }
      i += run;
      continue;
    }
    // Bit-pack groups of 8 until a run of 8 or more starts at a group boundary (or the end).
    const start = i;
    do i += 8;
    while (i < count && runLength(values, i, Math.min(count, i + 8)) < 8);
    const groups = (i - start) / 8;
    sink.varint(groups * 2 + 1);
    sink.ensure(groups * bitWidth);
    let accumulator = 0;
    let bits = 0;
    for (let j = start; j < i; j += 1) {
      accumulator |= (j < count ? (values[j] as number) : 0) << bits;
      bits += bitWidth;
      while (bits >= 8) {
        sink.u8(accumulator & 0xff);
        accumulator >>>= 8;
        bits -= 8;
      }
    }
  }
}
