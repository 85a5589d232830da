import { ByteSink } from './byte-sink';
import { bitWidthOf, writeHybrid } from './hybrid';
import { StringDictionary } from './string-dictionary';

/**
 * The non-null values of one leaf column of one file, gathered row by row, then written as
 * Parquet PLAIN values (or, for strings, through a dictionary when that pays). One per leaf
 * and file: a file's leaves are made with it and dropped with it.
 */
export interface LeafValues {
  readonly count: number;
  /** Appends one canonical value (see `encode.ts` for the forms); throws TypeError otherwise. */
  push(value: unknown): void;
  /** Appends the values' data-page bytes; returns the page's value encoding. */
  writeValues(sink: ByteSink): Encoding;
  /** The dictionary page's PLAIN values, when `writeValues` chose the dictionary encoding. */
  writeDictionary?(sink: ByteSink): number;
  /** Min and max, PLAIN-encoded, for types whose order is a plain signed one; else undefined. */
  bounds(): { readonly min: Uint8Array; readonly max: Uint8Array } | undefined;
}

/** Parquet `Encoding` values written here. */
export const Encoding = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;
export type Encoding = (typeof Encoding)[keyof typeof Encoding];

const TWO_32 = 4294967296;
/**
 * Values a leaf has room for before it first grows (doubling). Small, as a batch spread over many
 * partitions builds many small files at once; a large file grows a dozen times, which is cheap.
 */
export const INITIAL_CAPACITY = 64;

/** `array`, or a copy at least twice as long when it cannot hold `needed` values. */
export function grown<T extends Int32Array | Float64Array | Uint8Array>(
  array: T,
  needed: number,
): T {
  if (needed <= array.length) return array;
  const bigger = new (array.constructor as new (n: number) => T)(
    Math.max(needed, array.length * 2),
  );
  bigger.set(array);
  return bigger;
}

function bytesOf(array: Int32Array | Float64Array, count: number): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, count * array.BYTES_PER_ELEMENT);
}

function notCanonical(value: unknown, what: string): never {
  throw new TypeError(`expected ${what}, got ${typeof value} ${String(value)}`);
}

/** int and date: INT32. */
export class Int32Values implements LeafValues {
  private data = new Int32Array(INITIAL_CAPACITY);
  count = 0;
  private min = 0;
  private max = 0;

  push(value: unknown): void {
    if (typeof value !== 'number' || (value | 0) !== value) notCanonical(value, 'a 32-bit integer');
    if (this.count === this.data.length) this.data = grown(this.data, this.count + 1);
    if (this.count === 0 || value < this.min) this.min = value;
    if (this.count === 0 || value > this.max) this.max = value;
    this.data[this.count] = value;
    this.count += 1;
  }

  writeValues(sink: ByteSink): Encoding {
    sink.bytes(bytesOf(this.data, this.count));
    return Encoding.PLAIN;
  }

  bounds() {
    if (this.count === 0) return undefined;
    return { min: bytesOf(Int32Array.of(this.min), 1), max: bytesOf(Int32Array.of(this.max), 1) };
  }
}

/** The low and high 32-bit halves of a 64-bit integer given as a safe-integer number or bigint. */
function halvesOf(value: unknown, into: Int32Array, at: number): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) notCanonical(value, 'a safe integer or a bigint');
    const high = Math.floor(value / TWO_32);
    into[at] = value - high * TWO_32;
    into[at + 1] = high;
  } else if (typeof value === 'bigint') {
    if (BigInt.asIntN(64, value) !== value) notCanonical(value, 'a 64-bit integer');
    into[at] = Number(BigInt.asIntN(32, value));
    into[at + 1] = Number(value >> 32n);
  } else notCanonical(value, 'a safe integer or a bigint');
}

/** bigint and timestamp (microseconds): INT64, from numbers (safe integers) or bigints. */
export class Int64Values implements LeafValues {
  private halves = new Int32Array(2 * INITIAL_CAPACITY);
  count = 0;
  private min: number | bigint = 0;
  private max: number | bigint = 0;

  push(value: unknown): void {
    if (2 * this.count === this.halves.length) this.halves = grown(this.halves, 2 * this.count + 2);
    halvesOf(value, this.halves, 2 * this.count);
    const v = value as number | bigint;
    if (this.count === 0 || v < this.min) this.min = v;
    if (this.count === 0 || v > this.max) this.max = v;
    this.count += 1;
  }

  writeValues(sink: ByteSink): Encoding {
    sink.bytes(new Uint8Array(this.halves.buffer, 0, this.count * 8));
    return Encoding.PLAIN;
  }

  bounds() {
    if (this.count === 0) return undefined;
    const pair = new Int32Array(4);
    halvesOf(this.min, pair, 0);
    halvesOf(this.max, pair, 2);
    const bytes = new Uint8Array(pair.buffer);
    return { min: bytes.subarray(0, 8), max: bytes.subarray(8, 16) };
  }
}

/** double: DOUBLE. NaN is written but left out of the bounds, as the format asks. */
export class DoubleValues implements LeafValues {
  private data = new Float64Array(INITIAL_CAPACITY);
  count = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  push(value: unknown): void {
    if (typeof value !== 'number') notCanonical(value, 'a number');
    if (this.count === this.data.length) this.data = grown(this.data, this.count + 1);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.data[this.count] = value;
    this.count += 1;
  }

  writeValues(sink: ByteSink): Encoding {
    sink.bytes(bytesOf(this.data, this.count));
    return Encoding.PLAIN;
  }

  bounds() {
    if (this.min > this.max) return undefined; // none, or only NaN
    // Zero bounds are written as -0 (min) and +0 (max): readers may not tell them apart.
    const min = this.min === 0 ? -0 : this.min;
    const max = this.max === 0 ? 0 : this.max;
    return { min: bytesOf(Float64Array.of(min), 1), max: bytesOf(Float64Array.of(max), 1) };
  }
}

/** boolean: BOOLEAN, bit-packed (PLAIN). */
export class BooleanValues implements LeafValues {
  private data = new Uint8Array(INITIAL_CAPACITY);
  count = 0;

  push(value: unknown): void {
    if (typeof value !== 'boolean') notCanonical(value, 'a boolean');
    if (this.count === this.data.length) this.data = grown(this.data, this.count + 1);
    this.data[this.count] = value ? 1 : 0;
    this.count += 1;
  }

  writeValues(sink: ByteSink): Encoding {
    const bytes = Math.ceil(this.count / 8);
    sink.ensure(bytes);
    for (let b = 0; b < bytes; b += 1) {
      let packed = 0;
      for (let bit = 0; bit < 8; bit += 1) packed |= (this.data[b * 8 + bit] ?? 0) << bit;
      sink.u8(packed);
    }
    return Encoding.PLAIN;
  }

  bounds() {
    return undefined;
  }
}

/** decimal: FIXED_LEN_BYTE_ARRAY of `width` bytes, big-endian two's complement of the unscaled value. */
export class DecimalValues implements LeafValues {
  private readonly sink = new ByteSink(16 * INITIAL_CAPACITY);
  count = 0;
  private readonly halves = new Int32Array(2);

  constructor(private readonly width: number) {}

  push(value: unknown): void {
    const { sink, width } = this;
    sink.ensure(width);
    if (typeof value === 'number') {
      halvesOf(value, this.halves, 0);
      const [low = 0, high = 0] = this.halves;
      const fill = high < 0 ? 0xff : 0;
      // Most significant byte first; byte k counts from the least significant end.
      for (let k = width - 1; k >= 0; k -= 1)
        sink.u8(
          k >= 8 ? fill : k >= 4 ? (high >>> ((k - 4) * 8)) & 0xff : (low >>> (k * 8)) & 0xff,
        );
    } else if (typeof value === 'bigint') {
      let v = value;
      const bytes = new Uint8Array(width);
      for (let b = width - 1; b >= 0; b -= 1) {
        bytes[b] = Number(BigInt.asUintN(8, v));
        v >>= 8n;
      }
      sink.bytes(bytes);
    } else notCanonical(value, 'an unscaled decimal (a safe integer or a bigint)');
    this.count += 1;
  }

  writeValues(sink: ByteSink): Encoding {
    sink.bytes(this.sink.view());
    return Encoding.PLAIN;
  }

  bounds() {
    return undefined;
  }
}

/** Values probed before a dictionary must prove itself (at most half of them distinct). */
const DICTIONARY_PROBE = 1024;
const MAX_DICTIONARY_ENTRIES = 32768;
/**
 * Slots a dictionary may look at per value, on average, before the column turns PLAIN: a
 * half-full table needs about 2, so only strings that collide on purpose (they differ only where
 * `sampledHash` does not look) get there, and they cost no more than this.
 */
const MAX_PROBES_PER_VALUE = 8;

/**
 * string: BYTE_ARRAY (UTF-8). Low-cardinality columns (event types, locales, shard ids) get a
 * dictionary page and RLE/bit-packed indices; the rest are PLAIN. Every column starts with a
 * dictionary and turns PLAIN for good when half of its first 1,024 values are distinct, or later
 * when the dictionary outgrows half the values (or 32,768 entries, or its strings collide too
 * often in `StringDictionary`). Text is consumed as it comes (a dictionary index, or UTF-8
 * bytes), so most strings of a batch die young; only the dictionary's entries live on.
 */
export class StringValues implements LeafValues {
  count = 0;
  private plain: ByteSink | undefined;
  private dictionary = new StringDictionary();
  private indices = new Int32Array(INITIAL_CAPACITY);

  push(value: unknown): void {
    if (typeof value !== 'string') notCanonical(value, 'a string');
    if (this.plain) {
      this.plain.lengthPrefixedUtf8(value);
      this.count += 1;
      return;
    }
    const dictionary = this.dictionary;
    const found = dictionary.indexOf(value);
    const at = found === -1 ? dictionary.size : found;
    const tooMany =
      (found === -1 &&
        (at >= MAX_DICTIONARY_ENTRIES ||
          (this.count < DICTIONARY_PROBE ? at >= DICTIONARY_PROBE / 2 : at > this.count / 2))) ||
      dictionary.probes > MAX_PROBES_PER_VALUE * this.count + DICTIONARY_PROBE;
    if (tooMany) {
      this.switchToPlain().lengthPrefixedUtf8(value);
      this.count += 1;
      return;
    }
    if (found === -1) dictionary.add(value);
    if (this.count === this.indices.length) this.indices = grown(this.indices, this.count + 1);
    this.indices[this.count] = at;
    this.count += 1;
  }

  private switchToPlain(): ByteSink {
    const plain = new ByteSink(Math.max(1024, 64 * this.count));
    const { entries } = this.dictionary;
    for (let i = 0; i < this.count; i += 1)
      plain.lengthPrefixedUtf8(entries[this.indices[i] as number] as string);
    this.plain = plain;
    this.dictionary = new StringDictionary();
    return plain;
  }

  writeValues(sink: ByteSink): Encoding {
    if (this.plain) {
      sink.bytes(this.plain.view());
      return Encoding.PLAIN;
    }
    if (this.count === 0) return Encoding.PLAIN;
    const bitWidth = bitWidthOf(this.dictionary.size - 1);
    sink.u8(bitWidth);
    writeHybrid(sink, this.indices, this.count, bitWidth);
    return Encoding.RLE_DICTIONARY;
  }

  writeDictionary(sink: ByteSink): number {
    const { entries } = this.dictionary;
    for (const entry of entries) sink.lengthPrefixedUtf8(entry);
    return entries.length;
  }

  bounds() {
    return undefined;
  }
}
