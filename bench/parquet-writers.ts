/**
 * Parquet writer comparison: `npx tsx bench/parquet-writers.ts`. Encodes the same 10,000 decoded
 * clickstream rows of the ingest benchmark (struct, list, map, decimal, UTC timestamps, nulls)
 * with streamlake's writer (shared/parquet, what ingest uses), hyparquet-writer and parquet-wasm +
 * apache-arrow, Snappy all; reads each file back with DuckDB (types and checksums of values) and
 * reports the warm median encode time, file size and the minified bundle size of each writer.
 * Writes bench/out/parquet-writers.json.
 */
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import {
  Bool,
  type DataType,
  Decimal,
  Field,
  Int32,
  Int64,
  List,
  Map_,
  makeBuilder,
  Schema,
  Struct,
  Table,
  Timestamp,
  TimeUnit,
  tableToIPC,
  Utf8,
  type Vector,
} from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import * as parquetWasm from 'parquet-wasm/node';
import { datasets } from '../shared/datasets';
import { tableColumnsOf } from '../shared/datasets/table';
import type { ColumnType } from '../shared/datasets/types';
import { parquetEncoderFor } from '../shared/parquet/encode';
import { parquetSchemaOf } from '../shared/parquet/schema';
import { decodeRecord } from '../shared/records/decode';
import { compileRegistry } from '../shared/records/registry';
import { benchmarkEvent, median } from './lib/batch';
import { bundle } from './lib/bundle';

const out = (name: string) => new URL(`./out/${name}`, import.meta.url).pathname;
const registry = compileRegistry(datasets);
const clickstream = registry.datasets.find((d) => d.declaration.name === 'clickstream');
if (!clickstream) throw new Error('clickstream is registered');
const fields = tableColumnsOf(clickstream.declaration);
const rows = benchmarkEvent(10_000).Records.flatMap((record) =>
  decodeRecord(registry, record.kinesis, 1_048_576).rows.map((row) => [
    ...row.values,
    row.unmapped,
    'shardId-000000000000',
    record.kinesis.sequenceNumber,
    null,
    BigInt(Math.round(record.kinesis.approximateArrivalTimestamp * 1e6)),
    1_795_527_060_000_000n,
  ]),
);
const columns = fields.map((_, c) => rows.map((row) => row[c]));

/**
 * The general writers' input form of a canonical value: 64-bit integers and decimals as bigints,
 * structs as objects, maps as `{ key, value }` entries (streamlake's writer takes numbers when
 * safe, positional structs and plain-object maps as well, which is what decoding produces).
 */
function verbose(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof type === 'string')
    return type === 'bigint' || type === 'timestamp' ? BigInt(value as number) : value;
  switch (type.kind) {
    case 'decimal':
      return BigInt(value as number);
    case 'list':
      return (value as unknown[]).map((item) => verbose(type.element, item));
    case 'struct':
      return Object.fromEntries(
        type.fields.map((field, i) => [
          field.name,
          verbose(
            field.type,
            Array.isArray(value) ? value[i] : (value as Record<string, unknown>)[field.name],
          ),
        ]),
      );
    case 'map': {
      const entries = Array.isArray(value)
        ? (value as { key: string; value: unknown }[])
        : Object.entries(value as object).map(([key, item]) => ({ key, value: item }));
      return entries.map((entry) => ({ key: entry.key, value: verbose(type.value, entry.value) }));
    }
  }
}
const verboseColumns = fields.map((field, c) =>
  (columns[c] ?? []).map((value) => verbose(field.type, value)),
);

function timed(encode: () => Uint8Array): { ms: number; bytes: Uint8Array } {
  let bytes = encode();
  const times: number[] = [];
  for (let i = 0; i < 7; i += 1) {
    const started = performance.now();
    bytes = encode();
    times.push(performance.now() - started);
  }
  return { ms: Math.round(median(times)), bytes };
}

/** Arrow: the same layout; decimals as 128-bit words, timestamps as (fractional) milliseconds. */
function arrowTable(): Table {
  const decimalWords = (v: bigint) => {
    const words = new Uint32Array(4);
    let rest = BigInt.asUintN(128, v);
    for (let i = 0; i < 4; i += 1, rest >>= 32n) words[i] = Number(rest & 0xffffffffn);
    return words;
  };
  const utc = () => new Timestamp(TimeUnit.MICROSECOND, 'UTC');
  const types: DataType[] = [
    new Utf8(),
    new Utf8(),
    new Utf8(),
    utc(),
    new Struct([new Field('url', new Utf8(), true), new Field('referrer', new Utf8(), true)]),
    new List(new Field('element', new Utf8(), true)),
    new Decimal(4, 18, 128),
    new Int32(),
    new Int64(),
    new Bool(),
    new Map_(
      new Field(
        'entries',
        new Struct([
          new Field('key', new Utf8(), false),
          new Field('value', new Utf8(), true),
        ]) as DataType,
      ) as never,
    ),
    new Utf8(),
    new Utf8(),
    new Utf8(),
    new Int64(),
    utc(),
    utc(),
  ];
  const convert = (c: number, v: unknown): unknown => {
    if (v === null || v === undefined) return null;
    if (c === 3 || c === 15 || c === 16) return Number(v as bigint) / 1000;
    if (c === 6) return decimalWords(v as bigint);
    if (c === 10)
      return new Map((v as { key: string; value: unknown }[]).map((e) => [e.key, e.value]));
    return v;
  };
  const vectors: Record<string, Vector> = {};
  fields.forEach((field, c) => {
    const builder = makeBuilder({
      type: types[c] as DataType,
      nullValues: [null, undefined],
    }) as unknown as {
      append(value: unknown): void;
      finish(): { toVector(): Vector };
    };
    for (const value of verboseColumns[c] ?? []) builder.append(convert(c, value));
    vectors[field.name] = builder.finish().toVector();
  });
  const schema = new Schema(
    fields.map((f, c) => new Field(f.name, types[c] as never, f.nullable !== false)),
  );
  return new Table(schema, vectors as never);
}

const encodeStreamlake = parquetEncoderFor(fields);
const streamlake = timed(() => encodeStreamlake(columns));
const hyparquetSchema = parquetSchemaOf(fields);
const hyparquet = timed(
  () =>
    new Uint8Array(
      parquetWriteBuffer({
        schema: hyparquetSchema as never,
        columnData: fields.map((field, c) => ({
          name: field.name,
          data: verboseColumns[c] as unknown[],
        })),
        codec: 'SNAPPY',
        rowGroupSize: rows.length,
      }),
    ),
);
const wasm = timed(() => {
  const table = parquetWasm.Table.fromIPCStream(tableToIPC(arrowTable(), 'stream'));
  const properties = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression.SNAPPY)
    .build();
  return parquetWasm.writeParquet(table, properties);
});
writeFileSync(out('writer-streamlake.parquet'), streamlake.bytes);
writeFileSync(out('writer-hyparquet.parquet'), hyparquet.bytes);
writeFileSync(out('writer-parquet-wasm.parquet'), wasm.bytes);

writeFileSync(
  out('writer-streamlake-entry.ts'),
  "export { parquetEncoderFor } from '../../shared/parquet/encode';\n",
);
writeFileSync(
  out('writer-hyparquet-entry.ts'),
  "export { parquetWriteBuffer } from 'hyparquet-writer';\n",
);
writeFileSync(
  out('writer-wasm-entry.ts'),
  "export { tableToIPC, makeBuilder } from 'apache-arrow';\nexport * from 'parquet-wasm/node';\n",
);
const wasmFile = new URL('../node_modules/parquet-wasm/node/parquet_wasm_bg.wasm', import.meta.url)
  .pathname;
const bundles = {
  streamlake: await bundle(out('writer-streamlake-entry.ts'), out('writer-streamlake-entry.cjs')),
  'hyparquet-writer': await bundle(
    out('writer-hyparquet-entry.ts'),
    out('writer-hyparquet-entry.cjs'),
  ),
  'parquet-wasm + apache-arrow':
    (await bundle(out('writer-wasm-entry.ts'), out('writer-wasm-entry.cjs'))) +
    statSync(wasmFile).size,
};

const python = new URL('../.venv/bin/python', import.meta.url).pathname;
const check = spawnSync(
  python,
  [
    '-c',
    `import duckdb, json, sys
res = {}
for name in sys.argv[1:]:
    f = "${out('')}writer-" + name + ".parquet"
    types = {r[0]: r[1] for r in duckdb.sql(f"describe select * from '{f}'").fetchall()}
    digest = duckdb.sql(f"select count(*), count(user_id), sum(amount), sum(list_count(tags)), count(page.referrer), sum(cardinality(properties)), min(event_time), max(big_counter) from '{f}'").fetchall()[0]
    res[name] = {"types": types, "digest": [str(x) for x in digest]}
print(json.dumps(res))`,
    'streamlake',
    'hyparquet',
    'parquet-wasm',
  ],
  { encoding: 'utf8' },
);
const readBack = JSON.parse(check.stdout) as Record<
  string,
  { types: Record<string, string>; digest: string[] }
>;
const differingTypes = Object.keys(readBack.streamlake?.types ?? {}).filter(
  (k) =>
    readBack.streamlake?.types[k] !== readBack.hyparquet?.types[k] ||
    readBack.streamlake?.types[k] !== readBack['parquet-wasm']?.types[k],
);
const result = {
  rows: rows.length,
  streamlake: {
    encode_ms: streamlake.ms,
    file_bytes: streamlake.bytes.length,
    bundle_bytes: bundles.streamlake,
  },
  'hyparquet-writer': {
    encode_ms: hyparquet.ms,
    file_bytes: hyparquet.bytes.length,
    bundle_bytes: bundles['hyparquet-writer'],
  },
  'parquet-wasm + apache-arrow': {
    encode_ms: wasm.ms,
    file_bytes: wasm.bytes.length,
    bundle_bytes: bundles['parquet-wasm + apache-arrow'],
  },
  duckdb_digest: {
    streamlake: readBack.streamlake?.digest,
    hyparquet: readBack.hyparquet?.digest,
    'parquet-wasm': readBack['parquet-wasm']?.digest,
  },
  duckdb_types_that_differ: Object.fromEntries(
    differingTypes.map((k) => [
      k,
      [
        readBack.streamlake?.types[k],
        readBack.hyparquet?.types[k],
        readBack['parquet-wasm']?.types[k],
      ],
    ]),
  ),
};
writeFileSync(out('parquet-writers.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
