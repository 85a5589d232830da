import fc from 'fast-check';
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

const readOptions = {
  parsers: {
    timestampFromMicroseconds: (micros: bigint) => micros,
    dateFromDays: (days: number) => days,
  } as never,
};

async function readBack(file: Uint8Array): Promise<Record<string, unknown>[]> {
  return parquetReadObjects({ file: arrayBufferOf(file), ...readOptions });
}

describe('Function: parquetEncoderFor (canonical forms and nesting)', () => {
  it('accepts the compact forms: positional structs, object maps, int64 and decimals as numbers', async () => {
    // Prepare
    const encode = parquetEncoderFor(fields);
    const compact = [
      ['a', 'b'],
      [1_795_525_500_123_456, -1],
      [20782, -1],
      [1, 2],
      [-9_007_199_254_740_991, 4_294_967_296],
      [-0.25, 1e300],
      [false, true],
      [-12_345, 99_999],
      [
        ['u', 7],
        [null, 0],
      ],
      [['x'], ['y', 'z']],
      [{ k: 'v', '': null }, {}],
    ];
    const verbose = [
      ['a', 'b'],
      [1_795_525_500_123_456n, -1n],
      [20782, -1],
      [1, 2],
      [-9_007_199_254_740_991n, 4_294_967_296n],
      [-0.25, 1e300],
      [false, true],
      [-12_345n, 99_999n],
      [
        { url: 'u', depth: 7 },
        { url: null, depth: 0 },
      ],
      [['x'], ['y', 'z']],
      [
        [
          { key: 'k', value: 'v' },
          { key: '', value: null },
        ],
        [],
      ],
    ];

    // Act
    const fromCompact = await readBack(encode(compact));
    const fromVerbose = await readBack(encode(verbose));

    // Assess
    expect(fromCompact).toEqual(fromVerbose);
    expect(fromCompact[1]).toMatchObject({ at: -1n, big: 4_294_967_296n, day: -1, x: 1e300 });
    expect(fromCompact[0]).toMatchObject({
      big: -9_007_199_254_740_991n,
      props: { k: 'v', '': null },
    });
    expect(fromCompact[0]?.amount).toBeCloseTo(-1.2345, 10);
  });

  it("writes wide decimals (16 bytes) and negative ones in two's complement", async () => {
    // Prepare
    const encode = parquetEncoderFor([
      { name: 'd38', type: decimal(38, 0) },
      { name: 'd9', type: decimal(9, 2) },
    ]);
    const big = 10n ** 38n - 1n;

    // Act
    const file = encode([
      [big, -big, -1n, 0, -1],
      [-1, 1, -99_999_999_9, 999_999_999, null],
    ]);
    const rows = await readBack(file);

    // Assess: hyparquet reads decimals as doubles; equal up to the double's precision.
    expect(rows.map((r) => r.d38)).toEqual([1e38, -1e38, -1, 0, -1]);
    expect(rows.map((r) => r.d9)).toEqual([-0.01, 0.01, -9_999_999.99, 9_999_999.99, null]);
    expect(parquetMetadata(arrayBufferOf(file)).schema[1]).toMatchObject({ type_length: 16 });
  });

  it('shreds lists of structs, lists of lists and maps of lists, empty and null at every level', async () => {
    // Prepare
    const nested: Field[] = [
      {
        name: 'items',
        type: list(
          struct([
            { name: 'sku', type: 'string', nullable: false },
            { name: 'qty', type: 'int' },
          ]),
        ),
      },
      { name: 'grid', type: list(list('int')) },
      { name: 'lists', type: map(list('string')), nullable: false },
    ];
    const encode = parquetEncoderFor(nested);
    const columns = [
      [[{ sku: 'a', qty: 1 }, null, ['b', null]], [], null, [{ sku: 'c', qty: 3 }]],
      [[[1, 2], [], null, [3]], [[]], null, [null, [null]]],
      [{ x: ['p', null], y: [], z: null }, {}, { w: ['q'] }, []],
    ];

    // Act
    const rows = await readBack(encode(columns));

    // Assess
    expect(rows).toEqual([
      {
        items: [{ sku: 'a', qty: 1 }, undefined, { sku: 'b', qty: null }],
        grid: [[1, 2], [], undefined, [3]],
        lists: { x: ['p', null], y: [], z: null },
      },
      { items: [], grid: [[]], lists: {} },
      { items: undefined, grid: undefined, lists: { w: ['q'] } },
      { items: [{ sku: 'c', qty: 3 }], grid: [undefined, [null]], lists: {} },
    ]);
  });

  it('dictionary-encodes low-cardinality strings only, and keeps any text exact', async () => {
    // Prepare
    const encode = parquetEncoderFor([
      { name: 'kind', type: 'string', nullable: false },
      { name: 'id', type: 'string' },
    ]);
    const kinds = ['page_view', 'click', 'Straße', '日本語', '🎉 emoji', ''];
    const count = 5000;
    const kind = Array.from({ length: count }, (_, i) => kinds[(i * 7) % kinds.length] as string);
    const id = Array.from({ length: count }, (_, i) => (i % 11 === 0 ? null : `id-${i}-ü`));

    // Act
    const file = encode([kind, id]);
    const metadata = parquetMetadata(arrayBufferOf(file));
    const rows = await readBack(file);

    // Assess
    const [kindChunk, idChunk] = metadata.row_groups[0]?.columns ?? [];
    expect(kindChunk?.meta_data?.encodings).toContain('RLE_DICTIONARY');
    expect(kindChunk?.meta_data?.dictionary_page_offset).toBeDefined();
    expect(idChunk?.meta_data?.encodings).not.toContain('RLE_DICTIONARY');
    expect(idChunk?.meta_data?.statistics?.null_count).toBe(455n);
    expect(rows.map((r) => r.kind)).toEqual(kind);
    expect(rows.map((r) => r.id)).toEqual(id);
  });

  it('keeps a dictionary of thousands of entries (11-bit indices) exact', async () => {
    // Prepare: like a map's values, one in five unique (a session id), the rest repeated.
    const encode = parquetEncoderFor([{ name: 'key', type: 'string', nullable: false }]);
    const keys = Array.from({ length: 10_000 }, (_, i) =>
      i % 5 === 0 ? `session-${i}` : `fixed-${i % 5}`,
    );

    // Act
    const file = encode([keys]);
    const chunk = parquetMetadata(arrayBufferOf(file)).row_groups[0]?.columns[0];
    const rows = await readBack(file);

    // Assess
    expect(chunk?.meta_data?.encodings).toContain('RLE_DICTIONARY');
    expect(rows.map((r) => r.key)).toEqual(keys);
  });

  it('turns a column PLAIN when its strings collide in the dictionary on purpose, and keeps it exact', async () => {
    // Prepare: 3,000 distinct 200-character strings, each three times (a dictionary column by
    // count), differing only at characters 1-6, which the dictionary's hash does not sample;
    // the same numbers spread over every character make an ordinary dictionary column
    const encode = parquetEncoderFor([
      { name: 'colliding', type: 'string', nullable: false },
      { name: 'spread', type: 'string', nullable: false },
    ]);
    const text = (i: number) => `x${String(i).padStart(6, '0')}${'x'.repeat(193)}`;
    const ids = Array.from({ length: 9_000 }, (_, i) => Math.floor(i / 3));
    const colliding = ids.map(text);
    const spread = ids.map((i) => String(i).padStart(6, '0').repeat(34).slice(0, 200));

    // Act
    const file = encode([colliding, spread]);
    const [collidingChunk, spreadChunk] =
      parquetMetadata(arrayBufferOf(file)).row_groups[0]?.columns ?? [];
    const rows = await readBack(file);

    // Assess
    expect(collidingChunk?.meta_data?.encodings).not.toContain('RLE_DICTIONARY');
    expect(spreadChunk?.meta_data?.encodings).toContain('RLE_DICTIONARY');
    expect(rows.map((r) => r.colliding)).toEqual(colliding);
    expect(rows.map((r) => r.spread)).toEqual(spread);
  });

  it('records min, max and null count for integers, timestamps and doubles', () => {
    // Prepare
    const encode = parquetEncoderFor([
      { name: 'n', type: 'int' },
      { name: 'at', type: 'timestamp' },
      { name: 'x', type: 'double' },
    ]);

    // Act
    const metadata = parquetMetadata(
      arrayBufferOf(
        encode([
          [5, -3, null, 7],
          [2n ** 62n, -5, null, 0],
          [Number.NaN, 0, 2.5, null],
        ]),
      ),
      readOptions,
    );

    // Assess
    const stats = metadata.row_groups[0]?.columns.map((c) => c.meta_data?.statistics);
    expect(stats?.[0]).toMatchObject({ min_value: -3, max_value: 7, null_count: 1n });
    expect(stats?.[1]).toMatchObject({ min_value: -5n, max_value: 2n ** 62n, null_count: 1n });
    expect(stats?.[2]).toMatchObject({ min_value: -0, max_value: 2.5, null_count: 1n });
  });

  it('refuses a value not in canonical form, naming the column', () => {
    // Prepare
    const encode = parquetEncoderFor([
      { name: 'page', type: struct([{ name: 'n', type: 'int' }]) },
    ]);

    // Act
    const act = () => encode([[['not a number']]]);

    // Assess
    expect(act).toThrow(TypeError);
    expect(act).toThrow(/expected a 32-bit integer/);
  });

  it('reads back whatever rows it is given (property: 150 random tables)', async () => {
    // Prepare
    const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 4 });
    const row = fc.record({
      id: fc.string({ unit: 'grapheme', maxLength: 12 }),
      n: nullable(fc.integer()),
      big: nullable(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
      x: nullable(fc.double({ noNaN: true })),
      ok: nullable(fc.boolean()),
      tags: nullable(fc.array(nullable(fc.constantFrom('a', 'b', 'ç')), { maxLength: 4 })),
      props: nullable(
        fc.dictionary(fc.string({ maxLength: 3 }), nullable(fc.string()), { maxKeys: 3 }),
      ),
    });
    const schema: Field[] = [
      { name: 'id', type: 'string', nullable: false },
      { name: 'n', type: 'int' },
      { name: 'big', type: 'bigint' },
      { name: 'x', type: 'double' },
      { name: 'ok', type: 'boolean' },
      { name: 'tags', type: list('string') },
      { name: 'props', type: map('string') },
    ];
    const encode = parquetEncoderFor(schema);

    // Act + Assess
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (rows) => {
        const columns = schema.map((f) => rows.map((r) => r[f.name as keyof typeof r]));
        const read = await readBack(encode(columns));
        const expected = rows.map((r) => ({
          ...r,
          x: r.x === null ? null : Object.is(r.x, -0) ? -0 : r.x,
          tags: r.tags ?? undefined,
          props: r.props ?? undefined,
        }));
        expect(read).toEqual(expected);
      }),
      { seed: 20261124, numRuns: 150 },
    );
  });
});

describe('Function: decimalByteLength', () => {
  it("is the smallest two's-complement width for the precision", () => {
    expect([1, 2, 4, 9, 10, 18, 19, 38].map(decimalByteLength)).toEqual([1, 1, 2, 4, 5, 8, 9, 16]);
  });
});
