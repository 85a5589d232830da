import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  civilFromDays,
  daysFromCivil,
  isoOfMicros,
  utcDateHourOf,
} from '../../../shared/records/calendar';
import {
  arrivalMicrosOf,
  epochNumeralToMicros,
  millisOfCommonIso,
  parseIsoDate,
  parseIsoTimestamp,
} from '../../../shared/records/time';

describe('Function: daysFromCivil / civilFromDays', () => {
  it('agree with Date.UTC for every day of years 0001-9999 sampled (fast-check, fixed seed)', () => {
    // Act & Assess
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (days) => {
        const date = new Date(days * 86_400_000);
        const civil = {
          year: date.getUTCFullYear(),
          month: date.getUTCMonth() + 1,
          day: date.getUTCDate(),
        };
        expect(civilFromDays(days)).toEqual(civil);
        expect(daysFromCivil(civil.year, civil.month, civil.day)).toBe(days);
      }),
      { seed: 20261124, numRuns: 2000 },
    );
  });
});

describe('Function: parseIsoTimestamp', () => {
  it.each([
    ['2026-11-24T13:05:00Z', 1_795_525_500_000_000n],
    ['2026-11-24T13:05:00.250Z', 1_795_525_500_250_000n],
    ['2026-11-24 13:05:00.123456', 1_795_525_500_123_456n],
    ['2026-11-24T14:05:00+01:00', 1_795_525_500_000_000n],
    ['2026-11-24T08:35:00-0430', 1_795_525_500_000_000n],
    ['2026-11-24T13:05:00.123456000Z', 1_795_525_500_123_456n],
    ['2026-11-24', 1_795_478_400_000_000n],
    ['1969-12-31T23:59:59.999999Z', -1n],
    ['0001-01-01T00:00:00Z', -62_135_596_800_000_000n],
    ['9999-12-31T23:59:59.999Z', 253_402_300_799_999_000n],
    ['2024-02-29T12:00:00.000Z', 1_709_208_000_000_000n],
  ])('reads %s', (text, micros) => {
    // Act & Assess
    expect(parseIsoTimestamp(text)).toBe(micros);
  });

  it.each([
    ['2026-02-30T00:00:00Z', 'is not a valid calendar date'],
    ['2026-04-31T00:00:00.000Z', 'is not a valid calendar date'],
    ['2026-11-24T23:59:60Z', 'has a time or offset out of range'],
    ['0000-12-31T00:00:00Z', 'is not a valid calendar date'],
    ['2026-11-24T24:00:00Z', 'has a time or offset out of range'],
    ['2026-11-24T13:05:00.1234567Z', 'is more precise than microseconds'],
    ['24/11/2026', 'is not an ISO 8601 timestamp'],
  ])('refuses %s', (text, reason) => {
    // Act & Assess
    expect(parseIsoTimestamp(text)).toBe(reason);
  });
});

describe('Function: millisOfCommonIso', () => {
  it('agrees with Date.parse on toISOString text of years 0001-9999 (fast-check, fixed seed)', () => {
    // Prepare
    const instants = fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 });

    // Act & Assess
    fc.assert(
      fc.property(instants, fc.boolean(), (millis, whole) => {
        const iso = new Date(millis).toISOString();
        const text = whole ? iso.replace(/\.\d{3}Z$/, 'Z') : iso;
        expect(millisOfCommonIso(text)).toBe(Date.parse(text));
      }),
      { seed: 20261124, numRuns: 3000 },
    );
  });

  it.each([
    '2026-11-24T13:05:00.25Z',
    '2026-11-24T13:05:00+00:00',
    '2026-11-24t13:05:00Z',
    '2026-11-24 13:05:00Z',
    '2026-02-29T00:00:00Z',
    '2026-11-24T24:00:00Z',
    '2026-11-24T13:60:00Z',
    '2026-11-24T13:05:60Z',
    '2026-1a-24T13:05:00Z',
    '2026-11-24T13:05:00.1a4Z',
    '0000-11-24T13:05:00Z',
  ])('leaves %s to the general reader', (text) => {
    expect(millisOfCommonIso(text)).toBeNaN();
  });

  it('tells the valid and invalid dates of one day apart, in any order', () => {
    // Act
    const days = [
      parseIsoDate('2024-02-29'),
      parseIsoDate('2024-02-29'),
      parseIsoDate('2024-02-30'),
      parseIsoDate('2026-02-29'),
      parseIsoDate('2024-02-29'),
      parseIsoDate('2024-0--29'),
      millisOfCommonIso('2024-02-29T00:00:00Z'),
      millisOfCommonIso('2024-02-30T00:00:00Z'),
    ];

    // Assess
    expect(days).toEqual([
      19782,
      19782,
      undefined,
      undefined,
      19782,
      undefined,
      1_709_164_800_000,
      Number.NaN,
    ]);
  });
});

describe('Function: epochNumeralToMicros', () => {
  it.each([
    ['1795525500', 1_795_525_500_000_000n],
    ['1795525500.25', 1_795_525_500_250_000n],
    ['1795525500250', 1_795_525_500_250_000n],
    ['1795525500250.5', 1_795_525_500_250_500n],
    ['99999999999', 99_999_999_999_000_000n],
    ['100000000000', 100_000_000_000_000n],
    ['-1', -1_000_000n],
  ])('reads %s by magnitude (seconds below 1e11, milliseconds below 1e14)', (numeral, micros) => {
    // Act & Assess
    expect(epochNumeralToMicros(numeral)).toBe(micros);
  });

  it('does not guess micro- or nanoseconds, nor round', () => {
    // Act & Assess
    expect(epochNumeralToMicros('1795525500250000')).toBe(
      'is an epoch number of 1e14 or more (micro- or nanoseconds are not guessed)',
    );
    expect(epochNumeralToMicros('1795525500.1234567')).toBe(
      'is an epoch number more precise than a microsecond',
    );
  });
});

describe('Function: utcDateHourOf / isoOfMicros / arrivalMicrosOf', () => {
  it('formats instants in UTC, before the epoch too', () => {
    // Act & Assess
    expect(utcDateHourOf(1_795_525_500_000_000n)).toEqual({ date: '2026-11-24', hour: '13' });
    expect(utcDateHourOf(-1n)).toEqual({ date: '1969-12-31', hour: '23' });
    expect(isoOfMicros(1_795_525_500_123_456n)).toBe('2026-11-24T13:05:00.123456Z');
    expect(isoOfMicros(-1n)).toBe('1969-12-31T23:59:59.999999Z');
    expect(arrivalMicrosOf(1_795_527_000.125)).toBe(1_795_527_000_125_000);
  });
});
