const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;
const POWERS_OF_TEN = Array.from({ length: 401 }, (_, i) => 10n ** BigInt(i));

/**
 * The exact value of a decimal numeral scaled by 10^scale, as a bigint; or a reason it has none:
 * not a numeral, or more fractional digits than `scale` that are not zero (no silent rounding).
 * Accepts exponents (`1.5e3`), which `String(number)` produces for large and small doubles.
 * @example scaledDecimal('12.34', 4) // 123400n
 */
export function scaledDecimal(text: string, scale: number): bigint | string {
  const m = DECIMAL.exec(text);
  if (!m) return 'is not a decimal number';
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = m;
  if (whole === '' && fraction === '') return 'is not a decimal number';
  const digits = `${whole}${fraction}`;
  const shift = scale + Number(exponent) - fraction.length;
  let magnitude: bigint;
  if (shift >= 0) {
    const power = POWERS_OF_TEN[shift];
    if (power === undefined) return 'is out of range';
    magnitude = BigInt(digits) * power;
  } else {
    const kept = digits.length + shift;
    const dropped = kept > 0 ? digits.slice(kept) : digits;
    if (/[^0]/.test(dropped)) return `has more than ${scale} digits after the decimal point`;
    magnitude = kept > 0 ? BigInt(digits.slice(0, kept)) : 0n;
  }
  return sign === '-' ? -magnitude : magnitude;
}

/** 10^0 to 10^15 as doubles: all exact. */
export const SMALL_POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * `scaledDecimal` for the common numeral, `-?digits[.digits]` with at most `scale` decimals and
 * at most 15 digits before the point once scaled, computed with doubles (exact below 10^15);
 * NaN for any other text (`scaledDecimal` then has the answer). The result may be -0.
 * @example scaledShortDecimal('12.34', 4) // 123400
 */
export function scaledShortDecimal(text: string, scale: number): number {
  const length = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0; // '-'
  const negative = i === 1;
  let whole = 0;
  const wholeStart = i;
  for (; i < length; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    whole = whole * 10 + digit;
  }
  if (i === wholeStart || i - wholeStart + scale > 15) return Number.NaN;
  let fraction = 0;
  let decimals = 0;
  if (i < length) {
    if (text.charCodeAt(i) !== 46) return Number.NaN; // '.'
    for (i += 1; i < length; i += 1) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return Number.NaN;
      fraction = fraction * 10 + digit;
      decimals += 1;
    }
    if (decimals === 0 || decimals > scale) return Number.NaN;
  }
  const magnitude =
    whole * (SMALL_POWERS_OF_TEN[scale] as number) +
    fraction * (SMALL_POWERS_OF_TEN[scale - decimals] as number);
  return negative ? -magnitude : magnitude;
}

/** Whether `text` is a decimal numeral (optional sign, digits, point, exponent). */
export function isNumeral(text: string): boolean {
  const m = DECIMAL.exec(text);
  return m !== null && `${m[2]}${m[3] ?? ''}` !== '';
}
