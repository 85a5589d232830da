import { describe, expect, it } from 'vitest';
import { SchemaViolationError } from '../../../shared/records/errors';
import { JsonNumberText } from '../../../shared/records/json';
import {
  exactInteger,
  toBigint,
  toBoolean,
  toDateDays,
  toDecimal,
  toDouble,
  toInt,
  toText,
  toTimestampMicros,
} from '../../../shared/records/scalars';
import { ExactTimestamp } from '../../../shared/records/time';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof SchemaViolationError) return error.message;
    throw error;
  }
  throw new Error('expected a SchemaViolationError');
}

describe('Function: toInt', () => {
  it.each([
    [7, 7],
    [3.0, 3],
    ['-12', -12],
    [2147483647, 2147483647],
    [-2147483648, -2147483648],
    [5n, 5],
  ])('accepts %s', (value, expected) => {
    expect(toInt(value, 'n')).toBe(expected);
  });

  it.each([
    [3.5, 'quantity: 3.5 is not an integer'],
    [2147483648, 'quantity: 2147483648 is out of range for a 32-bit integer'],
    ['lots', 'quantity: "lots" is not an integer'],
    [true, 'quantity: true is not an integer'],
    [
      new JsonNumberText('99999999999999999999'),
      'quantity: 99999999999999999999 is out of range for a 32-bit integer',
    ],
  ])('refuses %s', (value, message) => {
    expect(messageOf(() => toInt(value, 'quantity'))).toBe(message);
  });
});

describe('Function: toBigint', () => {
  it('keeps integers beyond 2^53 exact, as bigints, and the rest as numbers', () => {
    // Act & Assess
    expect(toBigint(new JsonNumberText('9223372036854775807'), 'n')).toBe(9223372036854775807n);
    expect(toBigint(new JsonNumberText('-9007199254740993'), 'n')).toBe(-9007199254740993n);
    expect(toBigint('9007199254740993', 'n')).toBe(9007199254740993n);
    expect(toBigint(1e18, 'n')).toBe(1_000_000_000_000_000_000n);
    expect(toBigint(42, 'n')).toBe(42);
    expect(toBigint(new JsonNumberText('9007199254740991'), 'n')).toBe(9007199254740991);
    expect(toBigint('-9007199254740991', 'n')).toBe(-9007199254740991);
    expect(toBigint(-9007199254740992n, 'n')).toBe(-9007199254740992n);
    expect(toBigint(5n, 'n')).toBe(5);
    expect(toBigint(-0, 'n')).toBe(0);
  });

  it('refuses values outside 64 bits', () => {
    expect(
      messageOf(() => toBigint(new JsonNumberText('9223372036854775808'), 'big_counter')),
    ).toBe('big_counter: 9223372036854775808 is out of range for a 64-bit integer');
  });
});

describe('Function: toDecimal', () => {
  it.each([
    ['19.99', 199900],
    [1234.5, 12345000],
    [new JsonNumberText('12345678901234.5678'), 123456789012345678n],
    ['-0.0001', -1],
    ['1.50000', 15000],
    [1e-4, 1],
    ['7', 70000],
    ['-0.0000', 0],
    ['+5', 50000],
    ['.5', 5000],
    ['5.', 50000],
    ['1.5e3', 15000000],
    ['99999999999.9999', 999999999999999],
    ['900719925474.0993', 9007199254740993n],
    ['-99999999999999.9999', -999999999999999999n],
  ])('reads %s as an exact decimal(18,4)', (value, unscaled) => {
    expect(toDecimal(value, 'amount', 18, 4)).toBe(unscaled);
  });

  it.each([
    ['0.00001', 'amount: "0.00001" has more than 4 digits after the decimal point'],
    ['100000000000000', 'amount: "100000000000000" does not fit decimal(18,4)'],
    [100000000000000, 'amount: 100000000000000 does not fit decimal(18,4)'],
    ['12,5', 'amount: "12,5" is not a decimal number'],
  ])('refuses %s rather than round', (value, message) => {
    expect(messageOf(() => toDecimal(value, 'amount', 18, 4))).toBe(message);
  });
});

describe('Function: toTimestampMicros', () => {
  it.each([
    ['2026-11-24T13:05:00.250Z', 1_795_525_500_250_000],
    ['2026-11-24T13:05:00Z', 1_795_525_500_000_000],
    [1795525500, 1_795_525_500_000_000],
    [1795525500250, 1_795_525_500_250_000],
    ['1795525500', 1_795_525_500_000_000],
    [new ExactTimestamp(1_795_525_500_000_001n), 1_795_525_500_000_001],
    ['2255-06-05T23:47:34.740Z', 9_007_199_254_740_000],
    ['2255-06-05T23:47:34.741Z', 9_007_199_254_741_000n],
    ['9999-12-31T23:59:59.999999Z', 253_402_300_799_999_999n],
    ['0001-01-01T00:00:00.000Z', -62_135_596_800_000_000n],
    [-1, -1_000_000],
  ])('reads %s', (value, micros) => {
    expect(toTimestampMicros(value, 'event_time')).toBe(micros);
  });

  it.each([
    ['yesterday', 'event_time: "yesterday" is not an ISO 8601 timestamp'],
    [true, 'event_time: true is not a timestamp'],
    ['10000-01-01T00:00:00Z', 'event_time: "10000-01-01T00:00:00Z" is not an ISO 8601 timestamp'],
    [-99999999999, 'event_time: -99999999999 is outside years 0001-9999'],
  ])('refuses %s', (value, message) => {
    expect(messageOf(() => toTimestampMicros(value, 'event_time'))).toBe(message);
  });
});

describe('Functions: toText, toDouble, toBoolean, toDateDays', () => {
  it('accept their documented inputs', () => {
    expect(toText('héllo', 's')).toBe('héllo');
    expect(toDouble(new JsonNumberText('0.1000000000000000055511151231257827'), 'd')).toBe(0.1);
    expect(toDouble('-1.5e3', 'd')).toBe(-1500);
    expect(toBoolean('TRUE', 'b')).toBe(true);
    expect(toBoolean(false, 'b')).toBe(false);
    expect(toDateDays('2026-11-25', 'd')).toBe(20782);
    expect(toDateDays('1969-12-31', 'd')).toBe(-1);
  });

  it('refuse the rest, naming the field', () => {
    expect(messageOf(() => toText(12, 'page.url'))).toBe('page.url: 12 is not a string');
    expect(messageOf(() => toDouble('NaN', 'temperature_c'))).toBe(
      'temperature_c: "NaN" is not a number',
    );
    expect(messageOf(() => toBoolean('yes', 'is_test'))).toBe('is_test: "yes" is not a boolean');
    expect(messageOf(() => toDateDays('2026-02-29', 'shipped_date'))).toBe(
      'shipped_date: "2026-02-29" is not a YYYY-MM-DD date',
    );
    // a timestamp is not cut to its day (README, coercions)
    expect(messageOf(() => toDateDays('2026-11-24T10:00:00Z', 'shipped_date'))).toBe(
      'shipped_date: "2026-11-24T10:00:00Z" is not a YYYY-MM-DD date',
    );
  });
});

describe('Function: exactInteger', () => {
  it('is a number within ±(2^53 - 1) and the bigint beyond', () => {
    expect(exactInteger(9007199254740991n)).toBe(9007199254740991);
    expect(exactInteger(-9007199254740991n)).toBe(-9007199254740991);
    expect(exactInteger(0n)).toBe(0);
    expect(exactInteger(9007199254740992n)).toBe(9007199254740992n);
    expect(exactInteger(-9007199254740992n)).toBe(-9007199254740992n);
  });
});
