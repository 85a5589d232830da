import { daysFromCivil, isValidDate } from './calendar';
import { scaledDecimal } from './decimal-text';

/** A timestamp at microsecond precision, as produced by exact sources (Avro logical types). */
export class ExactTimestamp {
  constructor(readonly micros: bigint) {}
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since the epoch of a valid `YYYY-MM-DD` (years 0001-9999), or undefined. */
export function parseIsoDate(text: string): number | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidDate(year, month, day) ? daysFromCivil(year, month, day) : undefined;
}

/** The number written with `count` ASCII digits at `at`, or -1. */
function digitsAt(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i += 1) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** `YYYY-MM-DDTHH:MM:SS[.sss]Z`, the shape producers send most, without a regular expression. */
function parseCommonIso(text: string): bigint | undefined {
  const length = text.length;
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== 90) return undefined; // 'Z'
  if (
    text[4] !== '-' ||
    text[7] !== '-' ||
    text[10] !== 'T' ||
    text[13] !== ':' ||
    text[16] !== ':'
  )
    return undefined;
  if (length === 24 && text[19] !== '.') return undefined;
  const [year, month, day] = [digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2)];
  const [hour, minute, second] = [
    digitsAt(text, 11, 2),
    digitsAt(text, 14, 2),
    digitsAt(text, 17, 2),
  ];
  const millis = length === 24 ? digitsAt(text, 20, 3) : 0;
  if (!isValidDate(year, month, day) || hour < 0 || hour > 23 || minute < 0 || minute > 59)
    return undefined;
  if (second < 0 || second > 59 || millis < 0) return undefined;
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return BigInt(seconds * 1000 + millis) * 1000n;
}

/**
 * Microseconds since the epoch of an ISO 8601 date-time, or a reason. No offset means UTC.
 * A fraction finer than microseconds must be zeros (nothing is rounded away).
 */
export function parseIsoTimestamp(text: string): bigint | string {
  const common = parseCommonIso(text);
  if (common !== undefined) return common;
  const m = ISO.exec(text);
  if (!m) return 'is not an ISO 8601 timestamp';
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', , sign, offH = '0', offM = '0'] = m;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  if (!isValidDate(year, month, day)) return 'is not a valid calendar date';
  const [hour, minute, second] = [Number(h), Number(mi), Number(s)];
  if (hour > 23 || minute > 59 || second > 59 || Number(offH) > 23 || Number(offM) > 59)
    return 'has a time or offset out of range';
  if (/[^0]/.test(fraction.slice(6))) return 'is more precise than microseconds';
  const offset = (Number(offH) * 3600 + Number(offM) * 60) * (sign === '-' ? -1 : 1);
  const seconds =
    daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  return BigInt(seconds) * 1_000_000n + BigInt(fraction.slice(0, 6).padEnd(6, '0'));
}

/**
 * Microseconds of an epoch number given as a numeral. The unit is told by magnitude:
 * below 1e11 it is seconds (up to year 5138), from 1e11 up to 1e14 milliseconds (1973-03-03
 * onwards), beyond that a reason (microseconds or nanoseconds are not guessed).
 */
export function epochNumeralToMicros(numeral: string): bigint | string {
  const magnitude = Math.abs(Number(numeral));
  if (magnitude >= 1e14)
    return 'is an epoch number of 1e14 or more (micro- or nanoseconds are not guessed)';
  const micros = scaledDecimal(numeral, magnitude < 1e11 ? 6 : 3);
  if (typeof micros !== 'string') return micros;
  return micros.startsWith('has more')
    ? 'is an epoch number more precise than a microsecond'
    : micros;
}

/**
 * Microseconds of Kinesis' `approximateArrivalTimestamp` (epoch seconds with a millisecond
 * fraction): exact, as a double holds micros below 2^53 (until year 2255) exactly.
 */
export function arrivalMicrosOf(epochSeconds: number): bigint {
  return BigInt(Math.round(epochSeconds * 1e6));
}
