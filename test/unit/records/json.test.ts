import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadJsonError } from '../../../shared/records/errors';
import { JsonNumberText, parseJsonObject } from '../../../shared/records/json';

const bytes = (text: string) => Buffer.from(text, 'utf8');

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('Function: parseJsonObject', () => {
  it('keeps numbers of 16 or more significant digits as written', () => {
    // Prepare
    const text =
      '{"big":9223372036854775807,"dec":12345678901234.5678,"small":42,"neg":-9007199254740993,"s":"12345678901234567"}';

    // Act
    const parsed = parseJsonObject(bytes(text));

    // Assess
    expect(parsed).toEqual({
      big: new JsonNumberText('9223372036854775807'),
      dec: new JsonNumberText('12345678901234.5678'),
      small: 42,
      neg: new JsonNumberText('-9007199254740993'),
      s: '12345678901234567',
    });
  });

  it('agrees with JSON.parse on any JSON without long numbers (fast-check, fixed seed)', () => {
    // Prepare
    const objects = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 }));

    // Act & Assess
    fc.assert(
      fc.property(objects, (object) => {
        const text = JSON.stringify(object);
        const parsed = parseJsonObject(bytes(`${text} `));
        const normalise = (v: unknown): unknown =>
          JSON.parse(
            JSON.stringify(v, (_k, x) => (x instanceof JsonNumberText ? Number(x.text) : x)),
          );
        expect(normalise(parsed)).toEqual(JSON.parse(text));
      }),
      { seed: 20261124, numRuns: 300 },
    );
  });

  it('finds a long number wherever it sits in the text', () => {
    // Prepare: every offset of the number modulo 16, and runs of digits just too short
    const texts = Array.from({ length: 32 }, (_, pad) => {
      const filler = `${'x'.repeat(pad)}123456789012345 1.23456789012345`;
      return `{"pad":"${filler}","n":[0,-12345678901234567],"m":123456789012345}`;
    });

    // Act
    const parsed = texts.map((text) => parseJsonObject(bytes(text)));

    // Assess
    for (const object of parsed) {
      expect(object.n).toEqual([0, new JsonNumberText('-12345678901234567')]);
      expect(object.m).toBe(123456789012345);
    }
  });

  it('reads keys and strings with escapes, repeated keys and inherited names in the exact path', () => {
    // Act
    const parsed = parseJsonObject(
      bytes(
        '{"a\\u00e9\\"":"x\\ny","toString":1,"a":1,"a":2,"big":12345678901234567890,"b":"\\ud83d\\ude00"}',
      ),
    );

    // Assess
    expect(Object.keys(parsed)).toEqual(['aé"', 'toString', 'a', 'big', 'b']);
    expect(parsed).toMatchObject({ 'aé"': 'x\ny', a: 2, b: '\u{1f600}' });
    expect(Object.getOwnPropertyDescriptor(parsed, 'toString')?.value).toBe(1);
  });

  it('treats a "__proto__" key as data in the exact path too', () => {
    // Act
    const parsed = parseJsonObject(bytes('{"__proto__":{"x":1},"n":1234567890123456789}'));

    // Assess
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'n']);
  });

  it.each([
    ['{"a":1,', 'not JSON: unexpected end of input at position 7'],
    ['{"a":1} x', 'not JSON: unexpected text after the JSON value at position 8'],
    ['{"a" 1}', "not JSON: expected ':' at position 5"],
    ['[1,2]', 'expected a JSON object, got an array'],
    ['null', 'expected a JSON object, got null'],
    ['{"n":12345678901234567890,}', 'not JSON: expected a string key at position 26'],
    ['{"s":"a\u0001","n":12345678901234567890}', 'not JSON: a malformed string at position 5'],
    ['{"n":12345678901234567890,"s":"\\u12"}', 'not JSON: a malformed string at position 30'],
  ])('rejects %s with a precise message', (text, message) => {
    // Act
    const error = errorOf(() => parseJsonObject(bytes(text)));

    // Assess
    expect(error).toBeInstanceOf(BadJsonError);
    expect((error as BadJsonError).message).toBe(message);
    expect((error as BadJsonError).reason).toBe('bad-json');
  });

  it('reads ASCII and non-ASCII text alike, from a Buffer or a plain Uint8Array', () => {
    // Prepare: any text (ASCII takes the Latin-1 path, the rest the UTF-8 decoder), each at an
    // offset inside a larger buffer, as Kinesis payloads are views of one decoding buffer
    const texts = fc.string({ unit: 'grapheme', maxLength: 40 });

    // Act & Assess
    fc.assert(
      fc.property(texts, (text) => {
        const json = JSON.stringify({ text, n: 1 });
        const padded = Buffer.from(`xx${json}yy`, 'utf8');
        const view = padded.subarray(2, padded.length - 2);
        const plain = new Uint8Array(padded.buffer, padded.byteOffset + 2, view.length);
        expect(parseJsonObject(view)).toEqual({ text, n: 1 });
        expect(parseJsonObject(plain)).toEqual({ text, n: 1 });
      }),
      { seed: 20261125, numRuns: 300 },
    );
  });

  it('rejects bytes that are not UTF-8', () => {
    // Act
    const error = errorOf(() => parseJsonObject(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])));

    // Assess
    expect((error as BadJsonError).message).toBe('payload is not valid UTF-8');
  });

  it('refuses a lone surrogate escape in a string or a key, naming its path', () => {
    // Prepare: JSON text as producers send it (ASCII, the surrogates as \u escapes)
    const cases: [text: string, message: string][] = [
      ['{"event_id":"a\\ud800b"}', 'event_id holds a lone surrogate (\\ud800)'],
      [
        '{"page":{"url":"x","referrer":"\\uDC00"}}',
        'page.referrer holds a lone surrogate (\\udc00)',
      ],
      ['{"tags":["ok","\\ud83d"]}', 'tags[1] holds a lone surrogate (\\ud83d)'],
      ['{"s":"\\ude00\\ud83d"}', 's holds a lone surrogate (\\ude00)'],
      ['{"m":{"\\ud800":"x"}}', 'the key "m.\\ud800" holds a lone surrogate (\\ud800)'],
      // the exact parser's path (a long number) is checked the same way
      ['{"n":12345678901234567890,"s":["\\udbff"]}', 's[0] holds a lone surrogate (\\udbff)'],
    ];

    // Act
    const messages = cases.map(([text]) => {
      const error = errorOf(() => parseJsonObject(bytes(text)));
      expect(error).toBeInstanceOf(BadJsonError);
      return (error as BadJsonError).message;
    });

    // Assess
    expect(messages).toEqual(
      cases.map(([, message]) => `${message}, half of a UTF-16 pair that UTF-8 cannot encode`),
    );
  });

  it('keeps escaped surrogate pairs and an escaped backslash before a u', () => {
    // Act
    const parsed = parseJsonObject(bytes('{"a":"\\ud83d\\ude00!","b":"\\\\ud800","\\u00fc":1}'));

    // Assess
    expect(parsed).toEqual({ a: '\u{1f600}!', b: '\\ud800', ü: 1 });
  });
});
