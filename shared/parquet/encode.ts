import type { Field } from '../datasets/types';
import { ByteSink } from './byte-sink';
import { footerOf, MAGIC, writeColumnChunk } from './file-layout';
import { parquetSchemaOf } from './schema';
import { compileShredding } from './shred';

/**
 * streamlake's Parquet writer, specialised for what ingest writes: one row group per file, one
 * data page (v1) per column, Snappy, PLAIN values or (low-cardinality strings) a dictionary,
 * RLE/bit-packed levels, min/max statistics for integer, timestamp and double columns and null
 * counts for all. Why not a library: see the README's Parquet writer comparison (the general
 * writers spend most of the ingest budget on work these files do not need).
 * https://parquet.apache.org/docs/file-format/
 */

/** Column-major data: one array per column, all of the same length, in canonical form. */
export type ColumnArrays = readonly (readonly unknown[])[];

/** Writes Parquet files of one table layout. */
export type ParquetEncoder = (
  columns: ColumnArrays,
  metadata?: Record<string, string>,
) => Uint8Array;

/** One Parquet file being built row by row (rows are shredded as they come). */
export interface ParquetFileBuilder {
  readonly rows: number;
  /** Appends a row: one value per column, in column order. */
  addRow(row: ArrayLike<unknown>): void;
  /** The file of every row so far. */
  finish(metadata?: Record<string, string>): Uint8Array;
}

/**
 * Starts a file of a table layout. Values are canonical: string → string; int and date (days) →
 * number; bigint, timestamp (microseconds UTC) and decimal (unscaled) → a safe-integer number or
 * a bigint; double → number; boolean → boolean; list → array; struct → array of field values in
 * declared order, or object by field name; map → plain object, or array of `{ key, value }`;
 * null or undefined for a missing value. A value in another form is a programming error:
 * `addRow` throws a TypeError and `finish` throws it again (the file is unusable).
 * @example const file = parquetFileBuilder([{ name: 'n', type: 'int' }]); file.addRow([1]);
 */
export function parquetFileBuilder(fields: readonly Field[]): ParquetFileBuilder {
  const schema = parquetSchemaOf(fields);
  const { leaves, shred } = compileShredding(fields);
  let rows = 0;
  let broken: unknown;
  return {
    get rows() {
      return rows;
    },
    addRow(row) {
      if (broken) throw broken;
      try {
        shred(row);
      } catch (error) {
        broken = error;
        throw error;
      }
      rows += 1;
    },
    finish(metadata = {}) {
      if (broken) throw broken;
      const file = new ByteSink(1 << 16);
      file.bytes(MAGIC);
      const chunks = leaves.map((leaf) => writeColumnChunk(file, leaf));
      const footer = footerOf(schema, rows, chunks, metadata);
      file.bytes(footer);
      file.u32(footer.length);
      file.bytes(MAGIC);
      return file.view();
    },
  };
}

/**
 * Builds the encoder of a table layout for column-major data (see `parquetFileBuilder` for the
 * canonical forms).
 * @example parquetEncoderFor([{ name: 'n', type: 'int' }])([[1, 2, 3]])
 */
export function parquetEncoderFor(fields: readonly Field[]): ParquetEncoder {
  return (columns, metadata = {}) => {
    const rows = columns[0]?.length ?? 0;
    fields.forEach((field, c) => {
      const column = columns[c] ?? [];
      if (column.length !== rows)
        throw new RangeError(`column ${field.name} has ${column.length} values, not ${rows}`);
    });
    const file = parquetFileBuilder(fields);
    const row = new Array<unknown>(fields.length);
    for (let r = 0; r < rows; r += 1) {
      for (let c = 0; c < fields.length; c += 1) row[c] = (columns[c] as unknown[])[r];
      file.addRow(row);
    }
    return file.finish(metadata);
  };
}
