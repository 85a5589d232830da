import { MAX_MICROS, MIN_MICROS } from './calendar';
import { isNumeral, SMALL_POWERS_OF_TEN, scaledDecimal, scaledShortDecimal } from './decimal-text';
import { SchemaViolationError } from './errors';
import { JsonNumberText } from './json';
import {
  ExactTimestamp,
  epochNumeralToMicros,
  millisOfCommonIso,
  parseIsoDate,
  parseIsoTimestamp,
} from './time';

/**
 * Scalar coercions, one per declared type. Each takes a decoded value (JSON, CSV text, Avro)
 * and returns the canonical form the Parquet encoder writes, or throws SchemaViolationError
 * naming the field. What each accepts is listed on it; anything else is a violation, so nothing
 * is ever silently rounded, truncated or reinterpreted.
 *
 * Canonical forms: string a string; int and double a number; boolean a boolean; date the days
 * since the epoch (a number); bigint, timestamp (microseconds since the epoch, UTC) and decimal
 * (the unscaled integer) an exact integer, which is a number when `Number.isSafeInteger` holds
 * for it and a bigint otherwise (never -0, never a bigint in the safe range).
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The canonical form of an exact integer: a number when it is safe, else the bigint. */
export function exactInteger(value: bigint): number | bigint {
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

function preview(value: unknown): string {
  if (value instanceof JsonNumberText) return value.text;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value)) return 'bytes';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

function violation(path: string, value: unknown, detail: string): never {
  throw new SchemaViolationError(path, `${preview(value)} ${detail}`);
}

/** The decimal numeral of a number-like value: a JSON/Avro number or a string of digits. */
function numeralOf(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (value instanceof JsonNumberText) return value.text;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'string' && isNumeral(value)) return value;
  return undefined;
}

/** string: a string only (a number is not a string: the producer decides the type). */
export function toText(value: unknown, path: string): string {
  return typeof value === 'string' ? value : violation(path, value, 'is not a string');
}

const LIMITS = { 32: 2n ** 31n, 64: 2n ** 63n } as const;

function integerIn(value: unknown, path: string, bits: 32 | 64): bigint {
  const numeral = numeralOf(value) ?? violation(path, value, 'is not an integer');
  const exact = scaledDecimal(numeral, 0);
  if (typeof exact === 'string') return violation(path, value, 'is not an integer');
  if (exact < -LIMITS[bits] || exact >= LIMITS[bits])
    violation(path, value, `is out of range for a ${bits}-bit integer`);
  return exact;
}

/** int: an integral number or digit string within 32 bits (`3.0` is 3; `3.5` is a violation). */
export function toInt(value: unknown, path: string): number {
  if (typeof value === 'number' && (value | 0) === value) return value;
  return Number(integerIn(value, path, 32));
}

/** bigint: an integral number, long numeral or digit string within 64 bits, exact. */
export function toBigint(value: unknown, path: string): number | bigint {
  // `+ 0` turns -0 into 0 and leaves every other number as it is.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value + 0;
  if (typeof value === 'bigint' && value >= -LIMITS[64] && value < LIMITS[64])
    return exactInteger(value);
  return exactInteger(integerIn(value, path, 64));
}

/** double: a number or numeric string; long numerals round to the nearest double. */
export function toDouble(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const numeral = numeralOf(value) ?? violation(path, value, 'is not a number');
  const result = Number(numeral);
  return Number.isFinite(result) ? result : violation(path, value, 'is not a finite number');
}

/** boolean: true/false, or the strings "true"/"false" in any case. */
export function toBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value.toLowerCase() : undefined;
  if (text === 'true' || text === 'false') return text === 'true';
  return violation(path, value, 'is not a boolean');
}

/** decimal(p,s): a number, long numeral or numeric string with at most s decimals, |x| < 10^(p-s). */
export function toDecimal(
  value: unknown,
  path: string,
  precision: number,
  scale: number,
): number | bigint {
  if (typeof value === 'string' || typeof value === 'number') {
    const short = scaledShortDecimal(typeof value === 'string' ? value : String(value), scale);
    // Within 10^precision, always so beyond 15 digits; NaN (not a short numeral) is not. `+ 0`
    // turns -0 into 0.
    const bound = SMALL_POWERS_OF_TEN[precision] ?? Number.POSITIVE_INFINITY;
    if (Math.abs(short) < bound) return short + 0;
  }
  const numeral = numeralOf(value) ?? violation(path, value, 'is not a decimal number');
  const unscaled = scaledDecimal(numeral, scale);
  if (typeof unscaled === 'string') return violation(path, value, unscaled);
  const bound = 10n ** BigInt(precision);
  if (unscaled <= -bound || unscaled >= bound)
    violation(path, value, `does not fit decimal(${precision},${scale})`);
  return exactInteger(unscaled);
}

/**
 * timestamp (microseconds since the epoch, UTC): an ISO 8601 string (no offset = UTC), or an
 * epoch number or numeric string told apart by magnitude (< 1e11 seconds, < 1e14 milliseconds;
 * fractions allowed down to the microsecond). Years 0001-9999.
 */
export function toTimestampMicros(value: unknown, path: string): number | bigint {
  if (typeof value === 'string') {
    const millis = millisOfCommonIso(value);
    const micros = millis * 1000;
    if (Number.isSafeInteger(micros)) return micros; // NaN is not
    if (!Number.isNaN(millis)) return BigInt(millis) * 1000n;
  }
  let micros: bigint | string;
  if (value instanceof ExactTimestamp) micros = value.micros;
  else if (typeof value === 'string' && !isNumeral(value)) micros = parseIsoTimestamp(value);
  else {
    const numeral = numeralOf(value) ?? violation(path, value, 'is not a timestamp');
    micros = epochNumeralToMicros(numeral);
  }
  if (typeof micros === 'string') return violation(path, value, micros);
  if (micros < MIN_MICROS || micros > MAX_MICROS)
    violation(path, value, 'is outside years 0001-9999');
  return exactInteger(micros);
}

/** date (days since the epoch): a `YYYY-MM-DD` string of a real calendar date, years 0001-9999. */
export function toDateDays(value: unknown, path: string): number {
  const days = typeof value === 'string' ? parseIsoDate(value) : undefined;
  return days ?? violation(path, value, 'is not a YYYY-MM-DD date');
}
