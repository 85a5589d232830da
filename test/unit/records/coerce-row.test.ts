import { describe, expect, it } from 'vitest';
import { clickstream } from '../../../shared/datasets/clickstream';
import { list, map, struct } from '../../../shared/datasets/types';
import { compileRecordCoercion } from '../../../shared/records/coerce-row';
import { SchemaViolationError } from '../../../shared/records/errors';
import { parseJsonObject } from '../../../shared/records/json';

const coerce = compileRecordCoercion(clickstream.columns);
const parse = (text: string) => parseJsonObject(Buffer.from(text, 'utf8'));
const coerceNested = compileRecordCoercion([
  {
    name: 'items',
    type: list(
      struct([
        { name: 'a', type: 'int', nullable: false },
        { name: 'tags', type: map(list('bigint')) },
      ]),
    ),
  },
  { name: 'props', type: map(struct([{ name: 'x', type: 'double' }])) },
  { name: 'names', type: map('string') },
  { name: 'counts', type: map('bigint') },
  { name: 'labels', type: list('string') },
]);

function violationOf(run: () => unknown): [string, string] {
  try {
    run();
  } catch (error) {
    if (error instanceof SchemaViolationError) return [error.field, error.message];
    throw error;
  }
  throw new Error('expected a SchemaViolationError');
}

describe('Function: compileRecordCoercion', () => {
  it('puts values in column order, in canonical form', () => {
    // Prepare
    const record = parse(
      '{"event_type":"click","event_id":"e1","user_id":"u","event_time":"2026-11-24T13:05:00Z",' +
        '"page":{"referrer":null,"url":"https://x"},"tags":["a",null],"amount":"1.5","quantity":2,' +
        '"big_counter":9007199254740993,"is_test":false,"properties":{"k":"v","n":null}}',
    );

    // Act
    const coerced = coerce(record);

    // Assess
    expect(coerced).toEqual({
      values: [
        'e1',
        'u',
        'click',
        1_795_525_500_000_000,
        ['https://x', null],
        ['a', null],
        15000,
        2,
        9007199254740993n,
        false,
        { k: 'v', n: null },
      ],
      unmapped: null,
    });
  });

  it('keeps unknown fields, top-level and nested, exactly, in _unmapped', () => {
    // Prepare
    const record = parse(
      '{"event_id":"e1","event_type":"click","event_time":0,"page":{"url":"u","title":"Home"},' +
        '"extra_id":123456789012345678901234567890,"session":{"depth":3,"pages":["a"]},"flag":true}',
    );

    // Act
    const { unmapped } = coerce(record);

    // Assess
    expect(unmapped).toBe(
      '{"page.title":"Home","extra_id":123456789012345678901234567890,"session":{"depth":3,"pages":["a"]},"flag":true}',
    );
  });

  it('takes a missing nullable field as null and refuses a missing required one', () => {
    // Prepare
    const minimal = parse(
      '{"event_id":"e1","event_type":"click","event_time":"2026-11-24T13:05:00Z"}',
    );
    const noTime = parse('{"event_id":"e1","event_type":"click"}');

    // Act
    const coerced = coerce(minimal);
    let error: unknown;
    try {
      coerce(noTime);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(coerced.values).toEqual([
      'e1',
      null,
      'click',
      1_795_525_500_000_000,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(error).toBeInstanceOf(SchemaViolationError);
    expect((error as SchemaViolationError).message).toBe(
      'event_time: is required but missing or null',
    );
    expect((error as SchemaViolationError).field).toBe('event_time');
  });

  it('names the path of a bad nested value', () => {
    // Prepare
    const record = parse(
      '{"event_id":"e1","event_type":"click","event_time":0,"tags":["ok",7],"page":{"url":1}}',
    );

    // Act
    let message = '';
    try {
      coerce(record);
    } catch (error) {
      message = (error as Error).message;
    }

    // Assess: columns are checked in declaration order, so page comes before tags
    expect(message).toBe('page.url: 1 is not a string');
  });

  it('reads own fields only, so a field named like an Object.prototype member is not inherited', () => {
    // Prepare
    const coerceOwn = compileRecordCoercion([{ name: 'constructor', type: 'string' }]);

    // Act
    const missing = coerceOwn({});
    const given = coerceOwn(JSON.parse('{"constructor":"c","__proto__":"p"}'));

    // Assess
    expect(missing).toEqual({ values: [null], unmapped: null });
    expect(given).toEqual({ values: ['c'], unmapped: '{"__proto__":"p"}' });
  });

  it.each([
    [
      '{"items":[{"a":1},{"a":2,"tags":{"k":[1,"x"]}}]}',
      'items[1].tags.k[1]',
      '"x" is not an integer',
    ],
    ['{"items":[{"a":1},{}]}', 'items[1].a', 'is required but missing or null'],
    ['{"props":{"p1":{"x":1},"p2":{"x":"no"}}}', 'props.p2.x', '"no" is not a number'],
    ['{"labels":["a",3]}', 'labels[1]', '3 is not a string'],
    ['{"items":[{"a":1},[]]}', 'items[1]', 'is not a struct (an object)'],
  ])(
    'names the whole path of a bad value inside lists, maps and structs: %s',
    (text, field, detail) => {
      // Act
      const [named, message] = violationOf(() => coerceNested(parse(text)));

      // Assess
      expect(named).toBe(field);
      expect(message).toBe(`${field}: ${detail}`);
    },
  );

  it('keeps unknown fields inside list elements and map values under their whole paths', () => {
    // Prepare
    const record = parse(
      '{"items":[{"a":1,"z":true},{"a":2,"tags":{},"y":[1]}],"props":{"p":{"x":1,"w":"v"}},"top":0}',
    );
    const clash = parse('{"items":[{"a":1,"z":12345678901234567890}],"items[0].z":2}');

    // Act
    const { unmapped } = coerceNested(record);
    const clashing = coerceNested(clash).unmapped;

    // Assess: a later field of the same path replaces the value, in the first one's place
    expect(unmapped).toBe('{"items[0].z":true,"items[1].y":[1],"props.p.w":"v","top":0}');
    expect(clashing).toBe('{"items[0].z":2}');
  });

  it('returns a list or map of canonical values as it is, and a copy when a value changes', () => {
    // Prepare
    const record = parse(
      '{"labels":["a",null],"names":{"k":"v","__proto__":"p"},"counts":{"a":-0,"b":"2","__proto__":3,"c":9007199254740993}}',
    );

    // Act
    const [, , names, counts, labels] = coerceNested(record).values as [
      unknown,
      unknown,
      Record<string, unknown>,
      Record<string, unknown>,
      unknown[],
    ];

    // Assess
    expect(labels).toBe(record.labels);
    expect(names).toBe(record.names);
    expect(counts).not.toBe(record.counts);
    expect(Object.getPrototypeOf(counts)).toBe(Object.prototype);
    expect(Object.entries(counts)).toEqual([
      ['a', 0],
      ['b', 2],
      ['__proto__', 3],
      ['c', 9007199254740993n],
    ]);
    expect(Object.is(counts.a, 0)).toBe(true);
  });
});
