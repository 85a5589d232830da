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

/** Whether `text` is a decimal numeral (optional sign, digits, point, exponent). */
export function isNumeral(text: string): boolean {
  const m = DECIMAL.exec(text);
  return m !== null && `${m[2]}${m[3] ?? ''}` !== '';
}
