import fc from 'fast-check';
import { snappyUncompress } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { maxCompressedLength, snappyCompress } from '../../../shared/parquet/snappy';

const BLOCK_SIZE = 65536;

/** Deterministic pseudo-random bytes (mulberry32), standing in for incompressible data. */
function randomBytes(length: number, seed: number): Uint8Array {
  let state = seed >>> 0;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    bytes[i] = (t ^ (t >>> 14)) >>> 24;
  }
  return bytes;
}

function repeated(pattern: Uint8Array, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = pattern[i % pattern.length] as number;
  return bytes;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** A PLAIN BYTE_ARRAY page: 4-byte little-endian lengths, then URLs and uuid-like hex ids. */
function byteArrayPage(size: number): Uint8Array {
  const noise = randomBytes(size, 7);
  const hex = (at: number, digits: number) =>
    Array.from({ length: digits }, (_, i) => ((noise[at + i] as number) & 15).toString(16)).join(
      '',
    );
  const encoder = new TextEncoder();
  const page = new Uint8Array(size);
  const view = new DataView(page.buffer);
  let length = 0;
  for (let row = 0; ; row++) {
    const text =
      row % 2 === 0
        ? `https://shop.example.com/products/${(row * 7919) % 100_000}?ref=${hex(row % size, 8)}`
        : `${hex(row % size, 8)}-${hex((row + 9) % size, 4)}-4${hex((row + 15) % size, 3)}`;
    const bytes = encoder.encode(text);
    if (length + 4 + bytes.length > size) break;
    view.setUint32(length, bytes.length, true);
    page.set(bytes, length + 4);
    length += 4 + bytes.length;
  }
  return page.subarray(0, length);
}

function int64Timestamps(count: number): Uint8Array {
  const noise = randomBytes(count, 11);
  const page = new Uint8Array(count * 8);
  const view = new DataView(page.buffer);
  let micros = 1_795_525_500_000_000n;
  for (let i = 0; i < count; i++) {
    micros += BigInt((noise[i] as number) * 20);
    view.setBigInt64(i * 8, micros, true);
  }
  return page;
}

function int32Counts(count: number): Uint8Array {
  const noise = randomBytes(count, 13);
  const page = new Uint8Array(count * 4);
  const view = new DataView(page.buffer);
  for (let i = 0; i < count; i++) view.setInt32(i * 4, (noise[i] as number) % 50, true);
  return page;
}

/** Bit-packed definition levels: mostly all-ones runs with the occasional null. */
function bitPackedLevels(length: number): Uint8Array {
  const noise = randomBytes(length, 17);
  return Uint8Array.from(noise, (n) => (n < 16 ? 0xff ^ (1 << (n & 7)) : 0xff));
}

/** Reads the varint preamble: the uncompressed length and the number of bytes it took. */
function readPreamble(compressed: Uint8Array): { length: number; size: number } {
  let length = 0;
  let size = 0;
  let byte: number;
  do {
    byte = compressed[size] as number;
    length += (byte & 0x7f) * 2 ** (7 * size);
    size++;
  } while (byte >= 0x80);
  return { length, size };
}

/** Decompresses with hyparquet's independent decoder, sized from the preamble. */
function uncompress(compressed: Uint8Array): Uint8Array {
  const output = new Uint8Array(readPreamble(compressed).length);
  snappyUncompress(compressed, output);
  return output;
}

/** Byte-exact comparison (vitest's deep equality is too slow for megabytes). */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  const same = Buffer.from(actual.buffer, actual.byteOffset, actual.length).equals(expected);
  const firstDifference = same ? -1 : actual.findIndex((byte, i) => byte !== expected[i]);
  expect(firstDifference).toBe(-1);
}

/** Every copy element as [position in the output, offset, length]. */
function copiesIn(compressed: Uint8Array): Array<[number, number, number]> {
  const copies: Array<[number, number, number]> = [];
  let pos = readPreamble(compressed).size;
  let outPos = 0;
  while (pos < compressed.length) {
    const tag = compressed[pos++] as number;
    const kind = tag & 3;
    if (kind === 0) {
      let length = (tag >>> 2) + 1;
      if (length > 60) {
        const lengthBytes = length - 60;
        length = 1;
        for (let i = 0; i < lengthBytes; i++) length += (compressed[pos++] as number) * 256 ** i;
      }
      pos += length;
      outPos += length;
    } else if (kind === 1) {
      const length = ((tag >>> 2) & 7) + 4;
      copies.push([outPos, ((tag >>> 5) << 8) | (compressed[pos++] as number), length]);
      outPos += length;
    } else {
      expect(kind).toBe(2); // the compressor never needs 4-byte offsets
      const length = (tag >>> 2) + 1;
      const offset = (compressed[pos] as number) | ((compressed[pos + 1] as number) << 8);
      copies.push([outPos, offset, length]);
      pos += 2;
      outPos += length;
    }
  }
  return copies;
}

const edgeLengths = [
  0, 1, 2, 3, 4, 5, 14, 15, 16, 17, 59, 60, 61, 62, 64, 65, 255, 256, 257, 65535, 65536, 65537,
  131072, 131073,
];

describe('Function: snappyCompress', () => {
  it.each(edgeLengths)('round-trips %i random, repeated and Parquet-like bytes', (length) => {
    // Prepare
    const inputs = [
      randomBytes(length, length),
      new Uint8Array(length),
      repeated(new TextEncoder().encode('abcdefg'), length),
      byteArrayPage(length + 32).subarray(0, length),
    ];

    // Act
    const roundTripped = inputs.map((input) => uncompress(snappyCompress(input)));

    // Assess
    roundTripped.forEach((output, i) => {
      expectSameBytes(output, inputs[i] as Uint8Array);
    });
  });

  it.each([
    [1, 1],
    [15, 1],
    [16, 1],
    [60, 1],
    [61, 2],
    [256, 2],
    [257, 3],
    [65536, 3],
  ])('writes %i incompressible bytes as one literal with a %i-byte header', (length, header) => {
    // Prepare
    const input = randomBytes(length, 3);
    const preambleSize = length < 128 ? 1 : length < 16384 ? 2 : 3;

    // Act
    const compressed = snappyCompress(input);

    // Assess
    expect(compressed.length).toBe(preambleSize + header + length);
    expectSameBytes(compressed.subarray(preambleSize + header), input);
    expectSameBytes(uncompress(compressed), input);
  });

  it('round-trips multi-MB Parquet page content: strings, int32, int64, levels', () => {
    // Prepare
    const inputs = [
      byteArrayPage(3 << 20),
      int64Timestamps(50_000),
      int32Counts(100_000),
      bitPackedLevels(200_000),
      concat([randomBytes(100_000, 1), byteArrayPage(300_000), new Uint8Array(70_000)]),
    ];

    // Act
    const compressed = inputs.map((input) => snappyCompress(input));

    // Assess
    compressed.forEach((bytes, i) => {
      const input = inputs[i] as Uint8Array;
      expect(readPreamble(bytes).length).toBe(input.length);
      expectSameBytes(uncompress(bytes), input);
      expect(bytes.length).toBeLessThan(input.length);
    });
  });

  it('never copies from before the start of the 64 KiB block it writes into', () => {
    // Prepare: a pattern spanning block starts, so a cross-block copy would be tempting
    const input = repeated(randomBytes(1000, 5), 5 * BLOCK_SIZE + 123);

    // Act
    const copies = copiesIn(snappyCompress(input));

    // Assess
    expect(copies.length).toBeGreaterThan(0);
    for (const [outPos, offset, length] of copies) {
      const blockStart = Math.floor(outPos / BLOCK_SIZE) * BLOCK_SIZE;
      expect(offset).toBeGreaterThan(0);
      expect(outPos - offset).toBeGreaterThanOrEqual(blockStart);
      expect(outPos + length).toBeLessThanOrEqual(blockStart + BLOCK_SIZE);
      expect(length).toBeLessThanOrEqual(64);
    }
  });

  it('compresses repetitive input to under 5% of its size', () => {
    // Prepare
    const input = repeated(new TextEncoder().encode('0123456'), 1 << 20);

    // Act
    const compressed = snappyCompress(input);

    // Assess
    expect(compressed.length).toBeLessThan(0.05 * input.length);
    expectSameBytes(uncompress(compressed), input);
  });

  it('grows random input by no more than the worst case, 32 + n + n/6', () => {
    // Prepare
    const input = randomBytes(1 << 20, 9);

    // Act
    const compressed = snappyCompress(input);

    // Assess
    expect(compressed.length).toBeLessThanOrEqual(32 + input.length + input.length / 6);
    expect(maxCompressedLength(input.length)).toBe(
      32 + input.length + Math.floor(input.length / 6),
    );
    expectSameBytes(uncompress(compressed), input);
  });

  it('reads a view at a byte offset and writes into a caller scratch buffer', () => {
    // Prepare
    const backing = concat([randomBytes(13, 2), byteArrayPage(100_000), randomBytes(7, 3)]);
    const input = backing.subarray(13, backing.length - 7);
    const scratch = new Uint8Array(maxCompressedLength(input.length) + 5);

    // Act
    const intoScratch = snappyCompress(input, scratch);
    const fresh = snappyCompress(input);

    // Assess
    expect(intoScratch.buffer).toBe(scratch.buffer);
    expectSameBytes(intoScratch, fresh);
    expectSameBytes(snappyCompress(input.slice()), fresh);
    expectSameBytes(uncompress(fresh), input);
  });

  it('rejects a scratch buffer smaller than the worst case', () => {
    // Prepare
    const input = new Uint8Array(100);

    // Act
    const compress = () => snappyCompress(input, new Uint8Array(maxCompressedLength(100) - 1));

    // Assess
    expect(compress).toThrow(RangeError);
  });

  it('gives the same output regardless of earlier calls (the hash table is reset)', () => {
    // Prepare
    const input = byteArrayPage(70_000);
    const first = snappyCompress(input);

    // Act
    snappyCompress(randomBytes(200_000, 4));
    snappyCompress(repeated(new Uint8Array([1, 2, 3]), 50_000));
    const again = snappyCompress(input);

    // Assess
    expectSameBytes(again, first);
  });

  it('round-trips arbitrary bytes, including ones built from repeated chunks', () => {
    // Prepare
    const chunk = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 24 }), fc.integer({ min: 1, max: 4000 }))
        .map(([pattern, length]) => repeated(pattern, length)),
    );
    const arbitraryInput = fc.oneof(
      fc.uint8Array({ maxLength: 5000 }),
      fc.array(chunk, { maxLength: 40 }).map(concat),
    );

    // Act
    const property = fc.property(arbitraryInput, (input) => {
      const compressed = snappyCompress(input);
      return (
        compressed.length <= maxCompressedLength(input.length) &&
        Buffer.from(uncompress(compressed)).equals(input)
      );
    });

    // Assess
    fc.assert(property, { seed: 42, numRuns: 200 });
  });
});
