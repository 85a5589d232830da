import type { ColumnType } from './types';

/**
 * The Glue (Hive DDL) type string of a declared column type. Part of the declaration contract:
 * the catalog builds Glue table definitions from it, and the Parquet schema matches it.
 *
 * @example
 * glueTypeOf(decimal(18, 4)); // 'decimal(18,4)'
 * glueTypeOf(list('string')); // 'array<string>'
 * glueTypeOf(struct([{ name: 'url', type: 'string' }])); // 'struct<url:string>'
 * glueTypeOf(map('string')); // 'map<string,string>'
 */
export function glueTypeOf(type: ColumnType): string {
  if (typeof type === 'string') return type;
  switch (type.kind) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'list':
      return `array<${glueTypeOf(type.element)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${glueTypeOf(f.type)}`).join(',')}>`;
    case 'map':
      return `map<${type.key},${glueTypeOf(type.value)}>`;
  }
}
