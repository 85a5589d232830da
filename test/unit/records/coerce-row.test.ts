import { describe, expect, it } from 'vitest';
import { clickstream } from '../../../shared/datasets/clickstream';
import { compileRecordCoercion } from '../../../shared/records/coerce-row';
import { SchemaViolationError } from '../../../shared/records/errors';
import { parseJsonObject } from '../../../shared/records/json';

const coerce = compileRecordCoercion(clickstream.columns);
const parse = (text: string) => parseJsonObject(Buffer.from(text, 'utf8'));

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
        1_795_525_500_000_000n,
        { url: 'https://x', referrer: null },
        ['a', null],
        15000n,
        2,
        9007199254740993n,
        false,
        [
          { key: 'k', value: 'v' },
          { key: 'n', value: null },
        ],
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
      1_795_525_500_000_000n,
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
});
