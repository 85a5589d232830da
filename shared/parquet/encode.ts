import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Field } from '../datasets/types';
import { parquetSchemaOf } from './schema';

/** Column-major data: one array per column, all of the same length, in canonical form. */
export type ColumnArrays = readonly (readonly unknown[])[];

/** Writes Parquet files of one table layout. */
export type ParquetEncoder = (
  columns: ColumnArrays,
  metadata?: Record<string, string>,
) => Uint8Array;

/**
 * Builds the encoder of a table layout (schema computed once). Values are canonical:
 * string → string, int → number, bigint → bigint, double → number, boolean → boolean,
 * timestamp → bigint microseconds UTC, date → number of days, decimal → bigint unscaled,
 * list → array, struct → object, map → array of `{ key, value }`; null for a missing value.
 * Files are Snappy-compressed with one row group, so each file is one unit for readers.
 * @example parquetEncoderFor([{ name: 'n', type: 'int' }])([[1, 2, 3]])
 */
export function parquetEncoderFor(fields: readonly Field[]): ParquetEncoder {
  const schema = parquetSchemaOf(fields);
  return (columns, metadata = {}) => {
    const rows = columns[0]?.length ?? 0;
    const buffer = parquetWriteBuffer({
      schema,
      columnData: fields.map((field, i) => ({
        name: field.name,
        data: (columns[i] ?? []) as unknown[],
      })),
      codec: 'SNAPPY',
      rowGroupSize: Math.max(rows, 1),
      createdBy: 'streamlake',
      kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    });
    return new Uint8Array(buffer);
  };
}
