import { BadJsonError } from './errors';

/**
 * A JSON number kept as written because a double cannot hold it exactly (16 or more significant
 * digits). Coercion turns it into a bigint, an exact decimal or a double as the column needs.
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
    text = utf8.decode(bytes);
  } catch (error) {
    throw new BadJsonError('payload is not valid UTF-8', { cause: error });
  }
  let value: unknown;
  try {
    value = LONG_NUMBER_HINT.test(text) ? parseExact(text) : JSON.parse(text);
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
  return value as JsonObject;
}

function parseExact(text: string): unknown {
  let pos = 0;
  const fail = (what: string): never => {
    const problem = pos >= text.length ? 'unexpected end of input' : what;
    throw new BadJsonError(`not JSON: ${problem} at position ${pos}`);
  };
  const skipSpace = (): void => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      pos += 1;
    }
  };
  const match = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = pos;
    const m = pattern.exec(text);
    if (!m) return undefined;
    pos += m[0].length;
    return m[0];
  };
  const literal = (word: string, value: unknown): unknown => {
    if (!text.startsWith(word, pos)) fail('unexpected token');
    pos += word.length;
    return value;
  };
  const consume = (char: string): boolean => {
    skipSpace();
    if (text[pos] !== char) return false;
    pos += 1;
    return true;
  };
  const expect = (char: string, what: string): void => {
    if (!consume(char)) fail(`expected ${what}`);
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    skipSpace();
    const c = text[pos];
    if (consume('{')) {
      const object: JsonObject = {};
      if (consume('}')) return object;
      do {
        skipSpace();
        const key = JSON.parse(match(STRING) ?? fail('expected a string key')) as string;
        expect(':', "':'");
        // defineProperty: a "__proto__" key is data, as with JSON.parse, not the prototype.
        Object.defineProperty(object, key, {
          value: value(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } while (consume(','));
      expect('}', "',' or '}'");
      return object;
    }
    if (consume('[')) {
      const array: unknown[] = [];
      if (consume(']')) return array;
      do array.push(value(depth + 1));
      while (consume(','));
      expect(']', "',' or ']'");
      return array;
    }
    if (c === '"') return JSON.parse(match(STRING) ?? fail('a malformed string'));
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    const number =
      match(NUMBER) ?? fail(c === undefined ? 'unexpected end of input' : 'unexpected token');
    const significant = number
      .replace(/[eE].*$/, '')
      .replace(/^-?[0.]*/, '')
      .replace('.', '');
    return significant.length >= 16 ? new JsonNumberText(number) : Number(number);
  };
  const result = value(0);
  skipSpace();
  if (pos !== text.length) fail('unexpected text after the JSON value');
  return result;
}
