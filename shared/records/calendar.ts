/** Proleptic Gregorian calendar arithmetic in UTC, exact for years 0001-9999. */

/**
 * Earliest and latest instants Athena, Spark and Glue agree on: years 0001-9999 (Spark only with
 * the jobs' CORRECTED datetime rebase settings, glue/lib/spark_conf.py, for dates before 1582 and
 * timestamps before 1900).
 */
export const MIN_MICROS = -62135596800000000n;
export const MAX_MICROS = 253402300799999999n;

/** Days since 1970-01-01 of a date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date of a day number (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether year-month-day is a real date of years 0001-9999. */
export function isValidDate(year: number, month: number, day: number): boolean {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0));
}

const pad = (n: number | bigint, width: number) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` and `HH` (UTC) of an instant in microseconds. */
export function utcDateHourOf(micros: bigint): { date: string; hour: string } {
  const seconds = Number(micros / 1_000_000n) - (micros % 1_000_000n < 0n ? 1 : 0);
  const days = Math.floor(seconds / 86400);
  const { year, month, day } = civilFromDays(days);
  const hour = Math.floor((seconds - days * 86400) / 3600);
  return { date: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`, hour: pad(hour, 2) };
}

/** ISO 8601 UTC text of an instant in microseconds, e.g. `2026-11-24T13:05:00.250000Z`. */
export function isoOfMicros(micros: bigint): string {
  const { date, hour } = utcDateHourOf(micros);
  const inDay = ((micros % 86_400_000_000n) + 86_400_000_000n) % 86_400_000_000n;
  const minute = pad((inDay / 60_000_000n) % 60n, 2);
  const second = pad((inDay / 1_000_000n) % 60n, 2);
  return `${date}T${hour}:${minute}:${second}.${pad(inDay % 1_000_000n, 6)}Z`;
}
