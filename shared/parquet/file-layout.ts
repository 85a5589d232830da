import { ByteSink } from './byte-sink';
import { bitWidthOf, writeHybrid } from './hybrid';
import { Encoding } from './leaf-values';
import type { SchemaElement } from './schema';
import type { LeafColumn } from './shred';
import { snappyCompress } from './snappy';
import { CompactWriter } from './thrift';

/**
 * The bytes of a Parquet file around the values: column chunks (a dictionary page when the
 * values chose one, then one v1 data page with RLE/bit-packed levels, Snappy-compressed) and the
 * footer (Thrift compact `FileMetaData`: schema, one row group, statistics, key/value metadata).
 * https://parquet.apache.org/docs/file-format/
 */

/** The 4 bytes a Parquet file starts and ends with. */
export const MAGIC = Buffer.from('PAR1', 'latin1');
const CREATED_BY = 'streamlake version 0.1.0';

const PHYSICAL = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  DOUBLE: 5,
  BYTE_ARRAY: 6,
  FIXED_LEN_BYTE_ARRAY: 7,
} as const;
const REPETITION = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;
const CONVERTED = { UTF8: 0, MAP: 1, LIST: 3, DECIMAL: 5, DATE: 6, TIMESTAMP_MICROS: 10 } as const;
const PAGE = { DATA: 0, DICTIONARY: 2 } as const;
const SNAPPY = 1;

/** What the footer says of one column chunk. */
export interface ChunkMetadata {
  readonly leaf: LeafColumn;
  readonly encodings: readonly number[];
  readonly offset: number;
  readonly dictionaryOffset: number | undefined;
  readonly dataOffset: number;
  readonly uncompressed: number;
  readonly compressed: number;
  readonly nulls: number;
  readonly bounds: { readonly min: Uint8Array; readonly max: Uint8Array } | undefined;
}

/** Page bodies are built here before compression; reused (encoding is synchronous). */
const pageBody = new ByteSink(1 << 20);
const dictionaryBody = new ByteSink(1 << 16);

/** Appends one page (header + Snappy body); returns [uncompressed, compressed] sizes. */
function writePage(
  file: ByteSink,
  body: Buffer,
  header: (writer: CompactWriter, uncompressed: number, compressed: number) => void,
): [number, number] {
  const compressed = snappyCompress(body);
  const writer = new CompactWriter();
  header(writer, body.length, compressed.length);
  const headerBytes = writer.bytes();
  file.bytes(headerBytes);
  file.bytes(compressed);
  return [headerBytes.length + body.length, headerBytes.length + compressed.length];
}

function writeLevels(body: ByteSink, levels: Uint8Array, count: number, max: number): void {
  if (max === 0) return;
  const lengthAt = body.length;
  body.u32(0);
  writeHybrid(body, levels, count, bitWidthOf(max));
  body.setU32(lengthAt, body.length - lengthAt - 4);
}

/** Appends a column chunk (dictionary page if any, then one data page) of a leaf. */
export function writeColumnChunk(file: ByteSink, leaf: LeafColumn): ChunkMetadata {
  const { values, levels } = leaf;
  pageBody.reset();
  writeLevels(pageBody, leaf.repetitions, levels, leaf.maxRepetition);
  writeLevels(pageBody, leaf.definitions, levels, leaf.maxDefinition);
  const encoding = values.writeValues(pageBody);
  const offset = file.length;
  let uncompressed = 0;
  let compressed = 0;
  let dictionaryOffset: number | undefined;
  if (encoding === Encoding.RLE_DICTIONARY && values.writeDictionary) {
    dictionaryBody.reset();
    const entries = values.writeDictionary(dictionaryBody);
    dictionaryOffset = file.length;
    [uncompressed, compressed] = writePage(file, dictionaryBody.view(), (w, u, c) =>
      w
        .i32(1, PAGE.DICTIONARY)
        .i32(2, u)
        .i32(3, c)
        .beginStruct(7)
        .i32(1, entries)
        .i32(2, Encoding.PLAIN)
        .endStruct()
        .endStruct(),
    );
  }
  const dataOffset = file.length;
  const [u, c] = writePage(file, pageBody.view(), (w, u, c) =>
    w
      .i32(1, PAGE.DATA)
      .i32(2, u)
      .i32(3, c)
      .beginStruct(5)
      .i32(1, levels)
      .i32(2, encoding)
      .i32(3, Encoding.RLE)
      .i32(4, Encoding.RLE)
      .endStruct()
      .endStruct(),
  );
  const encodings =
    encoding === Encoding.RLE_DICTIONARY
      ? [Encoding.PLAIN, Encoding.RLE, Encoding.RLE_DICTIONARY]
      : [Encoding.PLAIN, Encoding.RLE];
  return {
    leaf,
    encodings,
    offset,
    dictionaryOffset,
    dataOffset,
    uncompressed: uncompressed + u,
    compressed: compressed + c,
    nulls: levels - values.count,
    bounds: values.bounds(),
  };
}

function writeSchemaElement(w: CompactWriter, element: SchemaElement): void {
  w.beginStruct();
  if (element.type) w.i32(1, PHYSICAL[element.type]);
  if (element.type_length !== undefined) w.i32(2, element.type_length);
  if (element.repetition_type) w.i32(3, REPETITION[element.repetition_type]);
  w.binary(4, element.name);
  if (element.num_children !== undefined) w.i32(5, element.num_children);
  if (element.converted_type) w.i32(6, CONVERTED[element.converted_type]);
  if (element.scale !== undefined) w.i32(7, element.scale);
  if (element.precision !== undefined) w.i32(8, element.precision);
  const logical = element.logical_type;
  if (logical) {
    w.beginStruct(10);
    switch (logical.type) {
      case 'STRING':
        w.emptyStruct(1);
        break;
      case 'MAP':
        w.emptyStruct(2);
        break;
      case 'LIST':
        w.emptyStruct(3);
        break;
      case 'DECIMAL':
        w.beginStruct(5).i32(1, logical.scale).i32(2, logical.precision).endStruct();
        break;
      case 'DATE':
        w.emptyStruct(6);
        break;
      case 'TIMESTAMP':
        w.beginStruct(8).bool(1, logical.isAdjustedToUTC).beginStruct(2).emptyStruct(2);
        w.endStruct().endStruct();
        break;
    }
    w.endStruct();
  }
  w.endStruct();
}

function writeChunkMetadata(w: CompactWriter, chunk: ChunkMetadata): void {
  const { leaf } = chunk;
  w.beginStruct().i64(2, chunk.offset).beginStruct(3);
  w.i32(1, PHYSICAL[leaf.physical]);
  w.beginList(2, 'i32', chunk.encodings.length);
  for (const encoding of chunk.encodings) w.element(encoding);
  w.beginList(3, 'binary', leaf.path.length);
  for (const name of leaf.path) w.binaryElement(name);
  w.i32(4, SNAPPY)
    .i64(5, leaf.levels)
    .i64(6, chunk.uncompressed)
    .i64(7, chunk.compressed)
    .i64(9, chunk.dataOffset);
  if (chunk.dictionaryOffset !== undefined) w.i64(11, chunk.dictionaryOffset);
  w.beginStruct(12);
  // The deprecated min/max (1, 2) too: the types bounded here order the same both ways.
  if (chunk.bounds) w.binary(1, chunk.bounds.max).binary(2, chunk.bounds.min);
  w.i64(3, chunk.nulls);
  if (chunk.bounds) w.binary(5, chunk.bounds.max).binary(6, chunk.bounds.min);
  w.endStruct();
  w.endStruct().endStruct();
}

/** The file footer: Thrift `FileMetaData` with one row group. */
export function footerOf(
  schema: readonly SchemaElement[],
  rows: number,
  chunks: readonly ChunkMetadata[],
  metadata: Record<string, string>,
): Uint8Array {
  const w = new CompactWriter();
  w.i32(1, 2);
  w.beginList(2, 'struct', schema.length);
  for (const element of schema) writeSchemaElement(w, element);
  w.i64(3, rows);
  w.beginList(4, 'struct', 1).beginStruct();
  w.beginList(1, 'struct', chunks.length);
  for (const chunk of chunks) writeChunkMetadata(w, chunk);
  const uncompressed = chunks.reduce((sum, c) => sum + c.uncompressed, 0);
  const compressed = chunks.reduce((sum, c) => sum + c.compressed, 0);
  w.i64(2, uncompressed)
    .i64(3, rows)
    .i64(5, chunks[0]?.offset ?? MAGIC.length)
    .i64(6, compressed);
  w.endStruct();
  const entries = Object.entries(metadata);
  if (entries.length > 0) {
    w.beginList(5, 'struct', entries.length);
    for (const [key, value] of entries) w.beginStruct().binary(1, key).binary(2, value).endStruct();
  }
  w.binary(6, CREATED_BY);
  // Column orders: every leaf's statistics follow its type's order (TypeDefinedOrder).
  w.beginList(7, 'struct', chunks.length);
  for (let i = 0; i < chunks.length; i += 1) w.beginStruct().emptyStruct(1).endStruct();
  w.endStruct();
  return w.bytes();
}
