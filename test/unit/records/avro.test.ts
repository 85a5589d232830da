import { describe, expect, it } from 'vitest';
import type { AvroRecordSchema } from '../../../shared/datasets/types';
import { compileAvroType, decodeAvroRecord } from '../../../shared/records/avro';
import { BadAvroError } from '../../../shared/records/errors';
import { ExactTimestamp } from '../../../shared/records/time';

const schema: AvroRecordSchema = {
  type: 'record',
  name: 'Reading',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'count', type: 'long' },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'at_us', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};
const type = compileAvroType(schema);

describe('Function: decodeAvroRecord', () => {
  it('reads longs exactly, logical types as exact instants, dates and decimals as text', () => {
    // Prepare: day 20782 = 2026-11-25
    const bytes = type.toBuffer({
      id: 's-1',
      count: 9_007_199_254_740_993n,
      at: new ExactTimestamp(1_795_525_500_250_000n),
      at_us: new ExactTimestamp(1_795_525_500_250_001n),
      day: '2026-11-25',
      price: '-1.23',
      note: null,
    });

    // Act
    const record = decodeAvroRecord(type, bytes);

    // Assess
    expect({ ...record }).toEqual({
      id: 's-1',
      count: 9_007_199_254_740_993n,
      at: new ExactTimestamp(1_795_525_500_250_000n),
      at_us: new ExactTimestamp(1_795_525_500_250_001n),
      day: '2026-11-25',
      price: '-1.23',
      note: null,
    });
  });

  it('reads hand-encoded longs and timestamps (millis and micros) exactly', () => {
    // Prepare: zigzag varints written by hand: 1000 -> d0 0f, 1 -> 02, -1 -> 01
    const times = compileAvroType({
      type: 'record',
      name: 'Times',
      fields: [
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'at_us', type: { type: 'long', logicalType: 'timestamp-micros' } },
        { name: 'n', type: 'long' },
      ],
    });

    // Act
    const record = decodeAvroRecord(times, Buffer.from([0xd0, 0x0f, 0x02, 0x01]));

    // Assess: 1000 ms is 1,000,000 microseconds; 1 us stays 1
    expect({ ...record }).toEqual({
      at: new ExactTimestamp(1_000_000n),
      at_us: new ExactTimestamp(1n),
      n: -1n,
    });
  });

  it('reads a long exactly in the object form too, in unions, arrays and maps', () => {
    // Prepare: 2^53 + 1 in every place a long can be spelled `{ "type": "long" }`
    const longs = compileAvroType({
      type: 'record',
      name: 'Longs',
      fields: [
        { name: 'plain', type: { type: 'long' } },
        { name: 'optional', type: ['null', { type: 'long' }], default: null },
        { name: 'list', type: { type: 'array', items: { type: 'long' } } },
        { name: 'by_key', type: { type: 'map', values: { type: 'long' } } },
      ],
    });
    const big = 9_007_199_254_740_993n;

    // Act
    const record = decodeAvroRecord(
      longs,
      longs.toBuffer({ plain: big, optional: big, list: [big], by_key: { k: big } }),
    );

    // Assess
    expect({ ...record }).toEqual({ plain: big, optional: big, list: [big], by_key: { k: big } });
  });

  it("leaves an invalid nested record for avsc to name, not a TypeError of the long rewrite's", () => {
    expect(() =>
      compileAvroType({
        type: 'record',
        name: 'R',
        fields: [{ name: 'g', type: { type: 'record', name: 'G' } }],
      }),
    ).toThrow('non-array record fields');
  });

  it('names the framing of a payload that is no bare datum but starts like a known one', () => {
    // Prepare: the same datum in a container file's magic, single-object encoding (C3 01 + an
    // 8-byte fingerprint) and the Glue Schema Registry header (03 00 + a 16-byte schema version)
    // A bare datum, by hand: "s-1", 1, 0, 0, day 0, decimal 0 (one byte), null
    const datum = Buffer.from('06732d3102000000020000', 'hex');
    expect(decodeAvroRecord(type, datum).id).toBe('s-1');
    const framed = [
      Buffer.concat([Buffer.from('Obj\x01', 'latin1'), datum]),
      Buffer.concat([Buffer.from([0xc3, 0x01]), Buffer.alloc(8, 0x7f), datum]),
      Buffer.concat([Buffer.from([0x03, 0x00]), Buffer.alloc(16, 0x11), datum]),
    ];

    // Act
    const messages = framed.map((bytes) => {
      try {
        decodeAvroRecord(type, bytes);
        return 'decoded';
      } catch (error) {
        return (error as BadAvroError).message.replace(/^.*\(it starts like /, '(');
      }
    });

    // Assess
    expect(messages).toEqual([
      '(an Avro object container file; ingest reads bare datums)',
      '(Avro single-object encoding; ingest reads bare datums)',
      "(the Glue Schema Registry serializer's header; ingest reads bare datums)",
    ]);
  });

  it("encodes decimals as minimal big-endian two's complement", () => {
    // Prepare
    const priceOnly = compileAvroType({
      type: 'record',
      name: 'P',
      fields: [
        { name: 'p', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
      ],
    });

    // Act
    const encoded = ['-1.23', '1.28', '-1.28', '0'].map((p) => [...priceOnly.toBuffer({ p })]);

    // Assess: a length prefix (zigzag) then the bytes: -123 = 85, 128 = 0080, -128 = 80, 0 = 00
    expect(encoded).toEqual([
      [0x02, 0x85],
      [0x04, 0x00, 0x80],
      [0x02, 0x80],
      [0x02, 0x00],
    ]);
  });

  it('refuses truncated data and trailing bytes', () => {
    // Prepare
    const whole = type.toBuffer({
      id: 'a',
      count: 1n,
      at: new ExactTimestamp(0n),
      at_us: new ExactTimestamp(0n),
      day: '1970-01-01',
      price: '0.00',
      note: 'n',
    });

    // Act
    const messages = [whole.subarray(0, 3), Buffer.concat([whole, Buffer.from([0x00])])].map(
      (b) => {
        try {
          decodeAvroRecord(type, b);
          return 'decoded';
        } catch (error) {
          return error instanceof BadAvroError ? error.message : 'other error';
        }
      },
    );

    // Assess
    expect(messages).toEqual([
      'not a Reading Avro datum: truncated buffer',
      'not a Reading Avro datum: trailing data',
    ]);
  });

  it('refuses a string that is not UTF-8 wherever it sits, naming its byte offset', () => {
    // Prepare: a string field, an array item, a map key and a map value, each given the bytes
    // "caf" + 0xe9 (Latin-1 é, no UTF-8) in turn; the bytes are spliced in after encoding
    const texts = compileAvroType({
      type: 'record',
      name: 'Texts',
      fields: [
        { name: 'name', type: 'string' },
        { name: 'tags', type: { type: 'array', items: 'string' } },
        { name: 'attrs', type: { type: 'map', values: ['null', 'string'] } },
      ],
    });
    const datum = (marked: 'name' | 'tag' | 'key' | 'value') =>
      texts.toBuffer({
        name: marked === 'name' ? 'cafX' : 'name',
        tags: ['t', marked === 'tag' ? 'cafX' : 't'],
        attrs: { [marked === 'key' ? 'cafX' : 'k']: marked === 'value' ? 'cafX' : 'v' },
      });
    const latin1 = (bytes: Buffer) => {
      const at = bytes.indexOf('cafX');
      bytes[at + 3] = 0xe9;
      return bytes;
    };

    // Act
    const messages = (['name', 'tag', 'key', 'value'] as const).map((marked) => {
      try {
        decodeAvroRecord(texts, latin1(datum(marked)));
        return 'decoded';
      } catch (error) {
        return error instanceof BadAvroError ? error.message : 'other error';
      }
    });

    // Assess: the offset is that of the string's first byte, after its length. By hand: name is
    // a length at 0, text at 1-4; tags a count at 5, "t" at 6-7, then a length at 8 and text from
    // 9 (the marked tag) or "t" at 8-9 and the end at 10; attrs a count at 11, the key's length at
    // 12 and text from 13 (the marked key) or "k" at 12-13, the union branch at 14, the value's
    // length at 15 and text from 16
    const problem = (at: number) =>
      `not a Texts Avro datum: the string at byte ${at} is not UTF-8 (read leniently: "caf\uFFFD")`;
    expect(messages).toEqual([problem(1), problem(9), problem(13), problem(16)]);
  });

  it('keeps valid UTF-8 text, a real U+FFFD included', () => {
    // Prepare
    const text = 'Zürich \u{1f600} \uFFFD 東京';
    const bytes = type.toBuffer({
      id: text,
      count: 1n,
      at: new ExactTimestamp(0n),
      at_us: new ExactTimestamp(0n),
      day: '1970-01-01',
      price: '0.00',
      note: text,
    });

    // Act
    const record = decodeAvroRecord(type, bytes);

    // Assess
    expect([record.id, record.note]).toEqual([text, text]);
  });
});
