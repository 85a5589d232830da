import { daysFromCivil, isValidDate } from './calendar';
import { scaledDecimal } from './decimal-text';

/** A timestamp at microsecond precision, as produced by exact sources (Avro logical types). */
export class ExactTimestamp {
  constructor(readonly micros: bigint) {}
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;

/** The number written with two ASCII digits at `at`, or -1. */
function twoDigitsAt(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/** The valid date `daysOfValidDate` read last, as `YYYYMMDD`, and its day number. */
let lastDate = -1;
let lastDays = 0;

/**
 * Days since the epoch of a real date of years 0001-9999, or NaN. Remembers the last date, as a
 * batch's events mostly fall on a day or two. The parts are as `twoDigitsAt` reads them (year
 * 0-9999, month and day -1-99), whose `YYYYMMDD` key no invalid date shares with a valid one.
 */
function daysOfValidDate(year: number, month: number, day: number): number {
  const date = year * 10000 + month * 100 + day;
  if (date === lastDate) return lastDays;
  if (!isValidDate(year, month, day)) return Number.NaN;
  lastDays = daysFromCivil(year, month, day);
  lastDate = date;
  return lastDays;
}

/** Days since the epoch of a valid `YYYY-MM-DD` (years 0001-9999), or undefined. */
export function parseIsoDate(text: string): number | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45)
    return undefined;
  const high = twoDigitsAt(text, 0);
  const low = twoDigitsAt(text, 2);
  const month = twoDigitsAt(text, 5);
  const day = twoDigitsAt(text, 8);
  if (high < 0 || low < 0) return undefined;
  const days = daysOfValidDate(high * 100 + low, month, day);
  return Number.isNaN(days) ? undefined : days;
}

/**
 * Milliseconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.sss]Z`, the shape producers send most
 * (`Date.prototype.toISOString`), read without a regular expression; NaN for any other text.
 * Always within years 0001-9999.
 */
export function millisOfCommonIso(text: string): number {
  const length = text.length;
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== 90) return Number.NaN; // 'Z'
  if (
    text.charCodeAt(4) !== 45 || // '-'
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // 'T'
    text.charCodeAt(13) !== 58 || // ':'
    text.charCodeAt(16) !== 58
  )
    return Number.NaN;
  const high = twoDigitsAt(text, 0);
  const low = twoDigitsAt(text, 2);
  const month = twoDigitsAt(text, 5);
  const day = twoDigitsAt(text, 8);
  const hour = twoDigitsAt(text, 11);
  const minute = twoDigitsAt(text, 14);
  const second = twoDigitsAt(text, 17);
  let millis = 0;
  if (length === 24) {
    const hundreds = text.charCodeAt(20) - 48;
    const rest = twoDigitsAt(text, 21);
    if (text.charCodeAt(19) !== 46 || hundreds < 0 || hundreds > 9 || rest < 0) return Number.NaN; // '.'
    millis = hundreds * 100 + rest;
  }
  if (high < 0 || low < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return Number.NaN;
  if (second < 0 || second > 59) return Number.NaN;
  const year = high * 100 + low;
  const days = daysOfValidDate(year, month, day);
  if (Number.isNaN(days)) return Number.NaN;
  const seconds = days * 86400 + hour * 3600 + minute * 60 + second;
  return seconds * 1000 + millis;
}

/**
 * Microseconds since the epoch of an ISO 8601 date-time, or a reason. No offset means UTC.
 * A fraction finer than microseconds must be zeros (nothing is rounded away).
 */
export function parseIsoTimestamp(text: string): bigint | string {
  const common = millisOfCommonIso(text);
  if (!Number.isNaN(common)) return BigInt(common) * 1000n;
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
export function arrivalMicrosOf(epochSeconds: number): number {
  return Math.round(epochSeconds * 1e6);
}
