import { isAscii } from 'node:buffer';
import { BadJsonError } from './errors';

/**
 * A JSON number kept as written because a double cannot hold it exactly (16 or more significant
 * digits). Coercion turns it into an exact integer, an exact decimal or a double as the column needs.
 */
export class JsonNumberText {
  constructor(readonly text: string) {}
}

/** A parsed JSON object whose long numbers are `JsonNumberText`. */
export type JsonObject = { [key: string]: unknown };

const utf8 = new TextDecoder('utf-8', { fatal: true });
/**
 * Where a number with 16 or more significant digits could start: a JSON value follows `:`, `,`
 * or `[` (and whitespace), and its mantissa then has 16 digits or more, one of them maybe a `.`.
 * Text without a match has no such number (a match may be a false alarm, inside a string).
 */
const LONG_NUMBER_HINT = /[:,[]\s*-?[\d.]{16}/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not hold raw control characters
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const MAX_DEPTH = 256;
/** A UTF-16 surrogate without its other half: text that no UTF-8 can hold. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `text` holds half of a surrogate pair, which UTF-8 cannot encode. */
export function holdsLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/**
 * Sets `key` of `object` as an own data property, as `JSON.parse` does. A key met before, or
 * inherited (`__proto__`, `toString`), is defined, not assigned, whatever the prototype makes of
 * assignment; other keys are assigned, which is the same and quicker.
 */
export function setDataProperty(object: JsonObject, key: string, value: unknown): void {
  if (key in object)
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else object[key] = value;
}

/** Whether the character code is a digit or `.` (0x2e-0x39 but `/`, in one unsigned compare). */
function isMantissaCode(code: number): boolean {
  return (code - 0x2e) >>> 0 <= 11 && code !== 0x2f;
}

/**
 * Whether `LONG_NUMBER_HINT` matches, answered without running it on most texts: a match holds a
 * run of 16 digits and dots, which is looked for first the way Boyer-Moore looks for a word. The
 * character at `probe` ends the earliest run that could still be 16 long: when it is no digit, no
 * run of 16 ends before `probe + 16`; when it is, the run is followed back from it.
 */
function mayHoldLongNumber(text: string): boolean {
  const length = text.length;
  let probe = 15;
  while (probe < length) {
    if (!isMantissaCode(text.charCodeAt(probe))) probe += 16;
    else {
      const start = probe - 15;
      let back = probe - 1;
      while (back >= start && isMantissaCode(text.charCodeAt(back))) back -= 1;
      if (back < start) return LONG_NUMBER_HINT.test(text);
      probe = back + 16;
    }
  }
  return false;
}

/**
 * The text of UTF-8 bytes, refusing invalid UTF-8. ASCII (most JSON) is checked in one pass and
 * copied as Latin-1, its one-byte subset, which skips UTF-8 decoding (~0.5 ms per 10,000 records).
 * @throws TypeError on invalid UTF-8
 */
function textOf(bytes: Uint8Array): string {
  if (!isAscii(bytes)) return utf8.decode(bytes);
  return Buffer.isBuffer(bytes)
    ? bytes.toString('latin1')
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

/**
 * Parses UTF-8 JSON holding one object, keeping numbers of 16+ significant digits exact.
 * Text without such a run of digits (the common case) goes straight to `JSON.parse`; the rest
 * goes through a small exact parser. Measured cost: see the benchmark's `json_exact_ms`.
 * @throws BadJsonError naming the position of the problem
 * @example parseJsonObject(Buffer.from('{"n":12345678901234567890}')).n // JsonNumberText
 */
export function parseJsonObject(bytes: Uint8Array): JsonObject {
  let text: string;
  try {
    text = textOf(bytes);
  } catch (error) {
    throw new BadJsonError('payload is not valid UTF-8', { cause: error });
  }
  let value: unknown;
  try {
    value = mayHoldLongNumber(text) ? parseExact(text) : JSON.parse(text);
  } catch (error) {
    if (error instanceof BadJsonError) throw error;
    // The exact parser names the position the same way on every Node version.
    parseExact(text);
    throw new BadJsonError(`not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BadJsonError(
      `expected a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
    );
  // Valid UTF-8 decodes to whole characters, so only a \u escape can make a lone surrogate.
  if (text.includes('\\u')) refuseLoneSurrogates(value, '', 0);
  return value as JsonObject;
}

/**
 * Refuses a string (key or text) holding half of a surrogate pair, which `JSON.parse` accepts from
 * an escape such as `"\ud800"` (RFC 8259 §8.2) but UTF-8, and so a Parquet string, cannot hold:
 * writing it would silently put U+FFFD in its place. Strings nested deeper than `MAX_DEPTH` are
 * not looked at: no column nests that deep, so they can only go to `_unmapped`, whose JSON keeps
 * a lone surrogate as its escape (or refuses the nesting).
 * @throws BadJsonError naming the path of the string and the surrogate
 */
function refuseLoneSurrogates(value: unknown, path: string, depth: number): void {
  if (typeof value === 'string') {
    const found = LONE_SURROGATE.exec(value);
    if (found)
      throw new BadJsonError(
        `${path} holds a lone surrogate (\\u${found[0].charCodeAt(0).toString(16)}), half of a UTF-16 pair that UTF-8 cannot encode`,
      );
    return;
  }
  if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1)
      refuseLoneSurrogates(value[i], `${path}[${i}]`, depth + 1);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyPath = path === '' ? key : `${path}.${key}`;
    if (holdsLoneSurrogate(key))
      refuseLoneSurrogates(key, `the key ${JSON.stringify(keyPath)}`, depth + 1);
    refuseLoneSurrogates(item, keyPath, depth + 1);
  }
}

function parseExact(text: string): unknown {
  return new ExactParser(text).document();
}

/** Whether a numeral has 16 or more significant digits (leading zeros and the point aside). */
function isLongNumeral(numeral: string): boolean {
  let end = numeral.length;
  for (let i = 0; i < numeral.length; i += 1) {
    const code = numeral.charCodeAt(i);
    if (code === 0x65 || code === 0x45) {
      end = i; // 'e', 'E'
      break;
    }
  }
  let start = numeral.charCodeAt(0) === 0x2d ? 1 : 0; // '-'
  while (start < end && (numeral.charCodeAt(start) === 0x30 || numeral.charCodeAt(start) === 0x2e))
    start += 1;
  const point = numeral.indexOf('.', start);
  return end - start - (point !== -1 && point < end ? 1 : 0) >= 16;
}

/**
 * A recursive-descent JSON parser that keeps long numbers as `JsonNumberText`, for the texts
 * `JSON.parse` would round; it names the position of a problem the same way on every Node version.
 */
class ExactParser {
  #pos = 0;
  constructor(readonly text: string) {}

  document(): unknown {
    const result = this.value(0);
    this.skipSpace();
    if (this.#pos !== this.text.length) this.fail('unexpected text after the JSON value');
    return result;
  }

  fail(what: string): never {
    const problem = this.#pos >= this.text.length ? 'unexpected end of input' : what;
    throw new BadJsonError(`not JSON: ${problem} at position ${this.#pos}`);
  }

  skipSpace(): void {
    const text = this.text;
    while (this.#pos < text.length) {
      const c = text.charCodeAt(this.#pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.#pos += 1;
    }
  }

  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.#pos;
    const m = pattern.exec(this.text);
    if (!m) return undefined;
    this.#pos += m[0].length;
    return m[0];
  }

  /** A string token's value (`JSON.parse` only for one with escapes), or undefined. */
  string(): string | undefined {
    const text = this.text;
    const start = this.#pos;
    if (text.charCodeAt(start) !== 0x22) return undefined;
    for (let end = start + 1; end < text.length; end += 1) {
      const code = text.charCodeAt(end);
      if (code === 0x5c) {
        const token = this.match(STRING);
        return token === undefined ? undefined : (JSON.parse(token) as string);
      }
      if (code < 0x20) return undefined;
      if (code === 0x22) {
        this.#pos = end + 1;
        return text.slice(start + 1, end);
      }
    }
    return undefined;
  }

  literal(word: string, value: unknown): unknown {
    if (!this.text.startsWith(word, this.#pos)) this.fail('unexpected token');
    this.#pos += word.length;
    return value;
  }

  consume(char: string): boolean {
    this.skipSpace();
    if (this.text[this.#pos] !== char) return false;
    this.#pos += 1;
    return true;
  }

  expect(char: string, what: string): void {
    if (!this.consume(char)) this.fail(`expected ${what}`);
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    this.skipSpace();
    const c = this.text[this.#pos];
    if (this.consume('{')) {
      const object: JsonObject = {};
      if (this.consume('}')) return object;
      do {
        this.skipSpace();
        const key = this.string() ?? this.fail('expected a string key');
        this.expect(':', "':'");
        const item = this.value(depth + 1);
        setDataProperty(object, key, item);
      } while (this.consume(','));
      this.expect('}', "',' or '}'");
      return object;
    }
    if (this.consume('[')) {
      const array: unknown[] = [];
      if (this.consume(']')) return array;
      do array.push(this.value(depth + 1));
      while (this.consume(','));
      this.expect(']', "',' or ']'");
      return array;
    }
    if (c === '"') return this.string() ?? this.fail('a malformed string');
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    const number =
      this.match(NUMBER) ??
      this.fail(c === undefined ? 'unexpected end of input' : 'unexpected token');
    return isLongNumeral(number) ? new JsonNumberText(number) : Number(number);
  }
}
