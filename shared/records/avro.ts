import { isUtf8 } from 'node:buffer';
import avscTypes from 'avsc/lib/types.js';
import avscUtils from 'avsc/lib/utils.js';
import type { AvroRecordSchema } from '../datasets/types';
import { civilFromDays } from './calendar';
import { scaledDecimal } from './decimal-text';
import { BadAvroError } from './errors';
import { ExactTimestamp } from './time';

const { builtins, Type } = avscTypes;
const { Tap } = avscUtils;

/** Avro `long` as a bigint: avsc's default refuses longs beyond 2^53. */
const bigintLong = builtins.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/**
 * `timestamp-millis` / `timestamp-micros` longs as exact instants. The long under a logical
 * type is avsc's own (a safe JS number): exact for millis always, for micros up to year 2255.
 */
class TimestampType extends builtins.LogicalType {
  readonly #microsPerUnit: bigint;
  constructor(schema: { logicalType?: string }, opts?: unknown) {
    super(schema as never, opts);
    this.#microsPerUnit = schema.logicalType === 'timestamp-millis' ? 1000n : 1n;
  }
  protected override _fromValue(value: number | bigint | undefined): ExactTimestamp | undefined {
    // undefined: the datum is truncated; avsc reports that once the read is over.
    return value === undefined
      ? undefined
      : new ExactTimestamp(BigInt(value) * this.#microsPerUnit);
  }
  protected override _toValue(value: ExactTimestamp | bigint | number): number {
    const micros =
      value instanceof ExactTimestamp ? value.micros : BigInt(value) * this.#microsPerUnit;
    return Number(micros / this.#microsPerUnit);
  }
  protected override _resolve(type: unknown): ((value: unknown) => unknown) | undefined {
    return type === this.underlyingType ? (value) => this._fromValue(value as number) : undefined;
  }
}

/** `date` ints as `YYYY-MM-DD` text, the form the date coercion reads. */
class DateType extends builtins.LogicalType {
  protected override _fromValue(days: number | undefined): string | undefined {
    if (days === undefined) return undefined;
    const { year, month, day } = civilFromDays(days);
    return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  protected override _toValue(text: string): number {
    const [y = 0, m = 0, d = 0] = text.split('-').map(Number);
    return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1970, 0, 1)) / 86_400_000);
  }
  protected override _resolve(): undefined {
    return undefined;
  }
}

/** `decimal` bytes (big-endian two's complement) as a numeral with the schema's scale. */
class DecimalType extends builtins.LogicalType {
  readonly #scale: number;
  constructor(schema: { scale?: number }, opts?: unknown) {
    super(schema as never, opts);
    this.#scale = schema.scale ?? 0;
  }
  protected override _fromValue(bytes: Buffer | undefined): string | undefined {
    if (bytes === undefined) return undefined;
    const scale = this.#scale;
    let unscaled = ((bytes[0] ?? 0) & 0x80) !== 0 ? -1n : 0n;
    for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
    const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
    const numeral = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    return unscaled < 0n ? `-${numeral}` : numeral;
  }
  protected override _toValue(numeral: string): Buffer {
    const unscaled = scaledDecimal(numeral, this.#scale);
    if (typeof unscaled === 'string') throw new Error(`decimal ${numeral} ${unscaled}`);
    const bytes: number[] = [];
    let rest = unscaled;
    do {
      bytes.unshift(Number(rest & 0xffn));
      rest >>= 8n;
    } while (
      !(rest === 0n && ((bytes[0] ?? 0) & 0x80) === 0) &&
      !(rest === -1n && ((bytes[0] ?? 0) & 0x80) !== 0)
    );
    return Buffer.from(bytes);
  }
  protected override _resolve(): undefined {
    return undefined;
  }
}

/**
 * `schema` with every plain `{ "type": "long" }` written as `"long"`, the form the spec makes it
 * equal to. avsc applies a registry entry (the exact bigint long) to the name only, and builds a
 * float-precision long for the object form, which would refuse values beyond 2^53.
 */
function withNamedLongs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withNamedLongs);
  if (schema === null || typeof schema !== 'object') return schema;
  const node = schema as Record<string, unknown>;
  if (node.type === 'long' && node.logicalType === undefined) return 'long';
  if ((node.type === 'record' || node.type === 'error') && Array.isArray(node.fields))
    return {
      ...node,
      fields: (node.fields as Record<string, unknown>[]).map((field) => ({
        ...field,
        type: withNamedLongs(field.type),
      })),
    };
  if (node.type === 'array') return { ...node, items: withNamedLongs(node.items) };
  if (node.type === 'map') return { ...node, values: withNamedLongs(node.values) };
  if (typeof node.type === 'object') return { ...node, type: withNamedLongs(node.type) };
  return node;
}

/** The decoder of one Avro dataset: longs as bigint, timestamps exact, unions unwrapped. */
export function compileAvroType(schema: AvroRecordSchema): InstanceType<typeof Type> {
  return Type.forSchema(withNamedLongs(schema) as never, {
    registry: { long: bigintLong as never },
    logicalTypes: {
      'timestamp-millis': TimestampType,
      'timestamp-micros': TimestampType,
      date: DateType,
      decimal: DecimalType,
    } as never,
    wrapUnions: false,
  });
}

/**
 * avsc's reader, except for strings (field values, array items, map keys and values): avsc
 * decodes bytes that are not UTF-8 with U+FFFD in their place, which would change the text
 * silently. Here they are an error naming where the string starts.
 */
class Utf8StringTap extends Tap {
  override readString(): string | undefined {
    const length = this.readLong();
    if (length < 0) {
      this._invalidate();
      return '';
    }
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.buf.length) return undefined; // truncated: reported once the read is over
    const text = this.buf.toString('utf8', start, this.pos);
    // Bytes that are not UTF-8 always decode to some U+FFFD; a real U+FFFD is valid UTF-8.
    if (text.includes('\uFFFD') && !isUtf8(this.buf.subarray(start, this.pos)))
      throw new Error(
        `the string at byte ${start} is not UTF-8 (read leniently: ${JSON.stringify(text.slice(0, 40))})`,
      );
    return text;
  }
}

/**
 * The framing other Avro producers put around a datum, named by its first bytes: a hint for the
 * error message when a payload does not decode as a bare datum (a bare datum may start with the
 * same bytes, so they are never refused for it).
 */
function framingOf(bytes: Buffer): string | undefined {
  if (bytes[0] === 0x4f && bytes[1] === 0x62 && bytes[2] === 0x6a && bytes[3] === 0x01)
    return 'an Avro object container file';
  if (bytes[0] === 0xc3 && bytes[1] === 0x01) return 'Avro single-object encoding';
  if (bytes[0] === 0x03 && (bytes[1] === 0x00 || bytes[1] === 0x05) && bytes.length > 18)
    return "the Glue Schema Registry serializer's header";
  return undefined;
}

/**
 * Decodes one binary Avro datum (the whole payload, nothing after it), as `Type#fromBuffer`
 * does but with strings read strictly (`Utf8StringTap`).
 * @throws BadAvroError when the bytes are truncated, have trailing data, do not match or hold a
 *   string that is not UTF-8
 */
export function decodeAvroRecord(
  type: InstanceType<typeof Type>,
  bytes: Buffer,
): Record<string, unknown> {
  try {
    const tap = new Utf8StringTap(bytes);
    const value = (type as unknown as { _read(tap: Utf8StringTap): unknown })._read(tap);
    if (!tap.isValid()) throw new Error('truncated buffer');
    if (tap.pos < bytes.length) throw new Error('trailing data');
    return value as Record<string, unknown>;
  } catch (error) {
    const framing = framingOf(bytes);
    const hint = framing ? ` (it starts like ${framing}; ingest reads bare datums)` : '';
    throw new BadAvroError(
      `not a ${type.name ?? 'record'} Avro datum: ${(error as Error).message}${hint}`,
      { cause: error },
    );
  }
}
