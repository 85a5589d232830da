/**
 * The dataset declaration format. A declaration is plain data (no functions, no classes) so that
 * one file per dataset can drive record validation, the Parquet schema and the Glue table
 * definition alike. Everything here is a stable contract: change it only together with its users.
 */

/** Scalar column types. Glue names: see `glueTypeOf`. */
export type ScalarType = 'string' | 'int' | 'bigint' | 'double' | 'boolean' | 'timestamp' | 'date';

/** Exact decimal; `precision` 1-38 digits in total, `scale` 0-`precision` of them after the point. */
export interface DecimalType {
  readonly kind: 'decimal';
  readonly precision: number;
  readonly scale: number;
}

/** A list; its elements may be null. */
export interface ListType {
  readonly kind: 'list';
  readonly element: ColumnType;
}

/** A struct with named, ordered fields. */
export interface StructType {
  readonly kind: 'struct';
  readonly fields: readonly Field[];
}

/** A map from string keys to values that may be null. */
export interface MapType {
  readonly kind: 'map';
  readonly key: 'string';
  readonly value: ColumnType;
}

export type ColumnType = ScalarType | DecimalType | ListType | StructType | MapType;

/** A named, typed value: a top-level column or a struct field. */
export interface Field {
  readonly name: string;
  readonly type: ColumnType;
  /** Whether the value may be null or absent. Default: true. */
  readonly nullable?: boolean;
  /** Free text, carried into the Glue column comment. */
  readonly comment?: string;
}

/** A top-level column. */
export type Column = Field;

/** JSON: one object per user record. */
export interface JsonFormat {
  readonly type: 'json';
}

/**
 * CSV: one data row per user record. With `header: true` the record's first line names the
 * fields (any order); otherwise the values are taken in the order of `fields`.
 */
export interface CsvFormat {
  readonly type: 'csv';
  readonly delimiter: string;
  readonly header: boolean;
  readonly fields: readonly string[];
}

/** A field of an Avro record schema (the Avro specification's JSON form). */
export interface AvroField {
  readonly name: string;
  readonly type: unknown;
  readonly default?: unknown;
  readonly doc?: string;
}

/** An Avro record schema in the specification's JSON form. */
export interface AvroRecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace?: string;
  readonly doc?: string;
  readonly fields: readonly AvroField[];
}

/** Avro: one binary-encoded datum of `schema` per user record (no container, no header). */
export interface AvroFormat {
  readonly type: 'avro';
  readonly schema: AvroRecordSchema;
}

export type RecordFormat = JsonFormat | CsvFormat | AvroFormat;

/**
 * How a record on a shared stream is recognised as belonging to this dataset. Rules are tried
 * in this order across all datasets: partition-key prefixes (any format), then field values
 * (JSON only: a top-level string field), then the one default dataset.
 */
export type RouteRule =
  | { readonly by: 'partition-key-prefix'; readonly prefix: string }
  | { readonly by: 'field'; readonly field: string; readonly equals: readonly string[] }
  | { readonly by: 'default' };

/**
 * A Hive partition key derived from the event time in UTC: `date` is YYYY-MM-DD, `hour` is HH,
 * `year` is YYYY, `month` is MM. Partition keys are Glue partition columns of type string.
 */
export interface PartitionKey {
  readonly name: string;
  readonly part: 'date' | 'hour' | 'year' | 'month';
}

/** How the catalog learns partitions: `direct` registers each one, `projection` computes them. */
export interface CatalogSettings {
  readonly partitions: 'direct' | 'projection';
}

export interface DatasetDeclaration {
  /** Lake folder and Glue table name: lowercase letters, digits and underscores. */
  readonly name: string;
  readonly description: string;
  readonly format: RecordFormat;
  readonly columns: readonly Column[];
  /** The timestamp column (not nullable) that partitions the data. */
  readonly eventTime: string;
  /** Default: `DEFAULT_PARTITION_KEYS` (`dt=YYYY-MM-DD/hour=HH`). */
  readonly partitionKeys?: readonly PartitionKey[];
  readonly route: RouteRule;
  /** Columns that identify a record, e.g. for deduplicating downstream. */
  readonly recordKey: readonly string[];
  readonly catalog: CatalogSettings;
}

export const DEFAULT_PARTITION_KEYS: readonly PartitionKey[] = [
  { name: 'dt', part: 'date' },
  { name: 'hour', part: 'hour' },
];

/** The partition keys of a dataset, defaults applied. */
export function partitionKeysOf(dataset: DatasetDeclaration): readonly PartitionKey[] {
  return dataset.partitionKeys ?? DEFAULT_PARTITION_KEYS;
}

/** `decimal(precision, scale)` as declaration data. */
export function decimal(precision: number, scale: number): DecimalType {
  return { kind: 'decimal', precision, scale };
}

/** `list<element>` as declaration data. */
export function list(element: ColumnType): ListType {
  return { kind: 'list', element };
}

/** `struct<...>` as declaration data. */
export function struct(fields: readonly Field[]): StructType {
  return { kind: 'struct', fields };
}

/** `map<string, value>` as declaration data. */
export function map(value: ColumnType): MapType {
  return { kind: 'map', key: 'string', value };
}
