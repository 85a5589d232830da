import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { Field } from '../../../shared/datasets/types';
import { decimal, list, map, struct } from '../../../shared/datasets/types';
import { parquetEncoderFor } from '../../../shared/parquet/encode';
import { decimalByteLength } from '../../../shared/parquet/schema';

const fields: Field[] = [
  { name: 'id', type: 'string', nullable: false },
  { name: 'at', type: 'timestamp', nullable: false },
  { name: 'day', type: 'date' },
  { name: 'n', type: 'int' },
  { name: 'big', type: 'bigint' },
  { name: 'x', type: 'double' },
  { name: 'ok', type: 'boolean' },
  { name: 'amount', type: decimal(18, 4) },
  {
    name: 'page',
    type: struct([
      { name: 'url', type: 'string' },
      { name: 'depth', type: 'int', nullable: false },
    ]),
  },
  { name: 'tags', type: list('string') },
  { name: 'props', type: map('string') },
];

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

describe('Function: parquetEncoderFor', () => {
  it('writes logical types a reader recognises: UTC micros, DATE, DECIMAL, LIST, MAP, Snappy', () => {
    // Prepare
    const encode = parquetEncoderFor(fields);
    const columns = [
      ['a', 'b'],
      [1_795_525_500_123_456n, -1n],
      [20782, null],
      [-2147483648, null],
      [9223372036854775807n, null],
      [0.5, null],
      [true, null],
      [123456789012345678n, null],
      [{ url: 'u', depth: 3 }, null],
      [['x', null], null],
      [[{ key: 'k', value: 'v' }], null],
    ];

    // Act
    const file = arrayBufferOf(encode(columns, { 'streamlake.dataset': 'test' }));
    const metadata = parquetMetadata(file);

    // Assess
    const byName = Object.fromEntries(metadata.schema.map((e) => [e.name, e]));
    expect(byName.at).toMatchObject({
      type: 'INT64',
      repetition_type: 'REQUIRED',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
    });
    expect(byName.day).toMatchObject({
      type: 'INT32',
      converted_type: 'DATE',
      repetition_type: 'OPTIONAL',
    });
    expect(byName.amount).toMatchObject({
      type: 'FIXED_LEN_BYTE_ARRAY',
      type_length: 8,
      logical_type: { type: 'DECIMAL', precision: 18, scale: 4 },
    });
    expect(byName.tags).toMatchObject({ converted_type: 'LIST', num_children: 1 });
    expect(byName.props).toMatchObject({ converted_type: 'MAP', num_children: 1 });
    expect(metadata.row_groups).toHaveLength(1);
    expect(metadata.row_groups[0]?.columns.every((c) => c.meta_data?.codec === 'SNAPPY')).toBe(
      true,
    );
    expect(metadata.key_value_metadata).toEqual([{ key: 'streamlake.dataset', value: 'test' }]);
  });

  it('reads back the same values, nulls and nesting included', async () => {
    // Prepare
    const encode = parquetEncoderFor(fields);
    const columns = [
      ['a', 'b'],
      [1_795_525_500_123_456n, -1n],
      [20782, null],
      [-2147483648, null],
      [9223372036854775807n, null],
      [0.5, null],
      [true, null],
      [10000n, null],
      [{ url: null, depth: 3 }, null],
      [['x', null], []],
      [[{ key: 'k', value: 'v' }], []],
    ];

    // Act
    const rows = await parquetReadObjects({
      file: arrayBufferOf(encode(columns)),
      parsers: {
        timestampFromMicroseconds: (micros: bigint) => micros,
        dateFromDays: (days: number) => days,
      } as never,
    });

    // Assess: hyparquet turns decimals into doubles (1.0000 comes back as 0.9999999999999999), so
    // the amount is compared approximately here; exact decimals are checked with DuckDB and pyarrow
    // (bench/verify-parquet.ts, integration tests).
    expect(rows[0]?.amount).toBeCloseTo(1, 12);
    expect(
      rows.map((row) => ({ ...row, amount: row.amount === null ? null : 'checked above' })),
    ).toEqual([
      {
        id: 'a',
        at: 1_795_525_500_123_456n,
        day: 20782,
        n: -2147483648,
        big: 9223372036854775807n,
        x: 0.5,
        ok: true,
        amount: 'checked above',
        page: { url: null, depth: 3 },
        tags: ['x', null],
        props: { k: 'v' },
      },
      {
        id: 'b',
        at: -1n,
        day: null,
        n: null,
        big: null,
        x: null,
        ok: null,
        amount: null,
        page: undefined,
        tags: [],
        props: {},
      },
    ]);
  });
});

describe('Function: decimalByteLength', () => {
  it("is the smallest two's-complement width for the precision", () => {
    expect([1, 2, 4, 9, 10, 18, 19, 38].map(decimalByteLength)).toEqual([1, 1, 2, 4, 5, 8, 9, 16]);
  });
});
