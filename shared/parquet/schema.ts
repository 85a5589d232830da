import type { ColumnType, Field } from '../datasets/types';

export type PhysicalType =
  | 'BOOLEAN'
  | 'INT32'
  | 'INT64'
  | 'DOUBLE'
  | 'BYTE_ARRAY'
  | 'FIXED_LEN_BYTE_ARRAY';

export type LogicalType =
  | { readonly type: 'STRING' | 'LIST' | 'MAP' | 'DATE' }
  | { readonly type: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly type: 'TIMESTAMP'; readonly isAdjustedToUTC: boolean; readonly unit: 'MICROS' };

/** One node of a Parquet schema as the file footer stores it (the fields streamlake writes). */
export interface SchemaElement {
  readonly name: string;
  readonly type?: PhysicalType;
  readonly type_length?: number;
  readonly repetition_type?: 'REQUIRED' | 'OPTIONAL' | 'REPEATED';
  readonly num_children?: number;
  readonly converted_type?: 'UTF8' | 'MAP' | 'LIST' | 'DECIMAL' | 'DATE' | 'TIMESTAMP_MICROS';
  readonly scale?: number;
  readonly precision?: number;
  readonly logical_type?: LogicalType;
}

/** Bytes of the smallest two's-complement FIXED_LEN_BYTE_ARRAY holding `precision` digits. */
export function decimalByteLength(precision: number): number {
  let bytes = 1;
  while (2n ** BigInt(8 * bytes - 1) <= 10n ** BigInt(precision) - 1n) bytes += 1;
  return bytes;
}

function scalarElement(
  name: string,
  type: ColumnType,
  repetition: SchemaElement['repetition_type'],
): SchemaElement {
  if (typeof type !== 'string') {
    if (type.kind !== 'decimal') throw new Error(`not a scalar: ${type.kind}`);
    const { precision, scale } = type;
    return {
      name,
      repetition_type: repetition,
      type: 'FIXED_LEN_BYTE_ARRAY',
      type_length: decimalByteLength(precision),
      converted_type: 'DECIMAL',
      precision,
      scale,
      logical_type: { type: 'DECIMAL', precision, scale },
    };
  }
  const base = { name, repetition_type: repetition };
  switch (type) {
    case 'string':
      return {
        ...base,
        type: 'BYTE_ARRAY',
        converted_type: 'UTF8',
        logical_type: { type: 'STRING' },
      };
    case 'int':
      return { ...base, type: 'INT32' };
    case 'bigint':
      return { ...base, type: 'INT64' };
    case 'double':
      return { ...base, type: 'DOUBLE' };
    case 'boolean':
      return { ...base, type: 'BOOLEAN' };
    case 'date':
      return { ...base, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } };
    case 'timestamp':
      return {
        ...base,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
      };
  }
}

function elementsOf(name: string, type: ColumnType, nullable: boolean): SchemaElement[] {
  const repetition = nullable ? 'OPTIONAL' : 'REQUIRED';
  if (typeof type === 'string' || type.kind === 'decimal')
    return [scalarElement(name, type, repetition)];
  switch (type.kind) {
    case 'list':
      return [
        {
          name,
          repetition_type: repetition,
          converted_type: 'LIST',
          logical_type: { type: 'LIST' },
          num_children: 1,
        },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        ...elementsOf('element', type.element, true),
      ];
    case 'map':
      return [
        {
          name,
          repetition_type: repetition,
          converted_type: 'MAP',
          logical_type: { type: 'MAP' },
          num_children: 1,
        },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        scalarElement('key', 'string', 'REQUIRED'),
        ...elementsOf('value', type.value, true),
      ];
    case 'struct':
      return [
        { name, repetition_type: repetition, num_children: type.fields.length },
        ...type.fields.flatMap((f) => elementsOf(f.name, f.type, f.nullable !== false)),
      ];
  }
}

/**
 * The Parquet schema (flattened, depth-first, as the file footer stores it) of a table:
 * standard 3-level LIST and MAP groups, UTC microsecond timestamps, FIXED_LEN_BYTE_ARRAY
 * decimals (the layout every engine reads, Hive included), optional columns for nullable ones.
 */
export function parquetSchemaOf(columns: readonly Field[]): SchemaElement[] {
  return [
    { name: 'schema', num_children: columns.length },
    ...columns.flatMap((c) => elementsOf(c.name, c.type, c.nullable !== false)),
  ];
}
