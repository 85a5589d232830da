/**
 * The Glue Data Catalog tables of the lake, derived from the dataset declarations only, so that the
 * catalog, the Parquet writer and record validation cannot drift apart. Plain data in, plain data
 * out: the CloudFormation template (glue/catalog-tables.cjs) and the functions use the same
 * definitions.
 */
import {
  type Column,
  type DatasetDeclaration,
  glueTypeOf,
  type PartitionKey,
  partitionKeysOf,
  tableColumnsOf,
  UNMAPPED_COLUMN,
} from '../datasets';

/** `raw/` is written by ingest and crawled; `curated/` is written (and registered) by Glue jobs. */
export type Zone = 'raw' | 'curated';

/** A Glue column (Glue API and CloudFormation spell it the same way). */
export interface GlueColumn {
  readonly Name: string;
  readonly Type: string;
  readonly Comment?: string;
}

/** Hive Parquet storage: the formats and SerDe Athena, Spark and the crawler expect. */
export const PARQUET_STORAGE = Object.freeze({
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: {
    SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    Parameters: { 'serialization.format': '1' },
  },
});

/** Glue's limits, in UTF-8 bytes: a column comment, a table description. */
const MAX_COMMENT_BYTES = 255;
const MAX_DESCRIPTION_BYTES = 2048;

/**
 * `text` cut to at most `maxBytes` of UTF-8, at a character boundary (Glue counts bytes, and a
 * cut inside a character would leave invalid UTF-8).
 * @example cutToUtf8Bytes('Grüße', 3) // 'Gr' ('ü' takes two bytes)
 */
export function cutToUtf8Bytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end -= 1; // a continuation byte
  return bytes.subarray(0, end).toString('utf8');
}

const PARTITION_COMMENTS: Record<PartitionKey['part'], string> = {
  date: 'Event date (UTC), YYYY-MM-DD',
  hour: 'Event hour (UTC), HH',
  year: 'Event year (UTC), YYYY',
  month: 'Event month (UTC), MM',
};

/** @example tableNameOf(orders, 'raw') // 'orders'; tableNameOf(orders, 'curated') // 'curated_orders' */
export function tableNameOf(dataset: Pick<DatasetDeclaration, 'name'>, zone: Zone): string {
  return zone === 'raw' ? dataset.name : `curated_${dataset.name}`;
}

/** The key prefix of a dataset's zone, e.g. `raw/orders/`. */
export function zonePrefixOf(dataset: Pick<DatasetDeclaration, 'name'>, zone: Zone): string {
  return `${zone}/${dataset.name}/`;
}

/**
 * The columns stored in a zone's files: raw files hold the declared columns, `_unmapped` and the
 * lineage columns (as ingest writes them); curated files drop the lineage (see glue/lib/curate.py).
 */
export function zoneColumnsOf(dataset: DatasetDeclaration, zone: Zone): readonly Column[] {
  return zone === 'raw' ? tableColumnsOf(dataset) : [...dataset.columns, UNMAPPED_COLUMN];
}

/** Glue columns of declared columns, types from `glueTypeOf`, comments cut to Glue's limit. */
export function glueColumnsOf(columns: readonly Column[]): GlueColumn[] {
  return columns.map((column) => ({
    Name: column.name,
    Type: glueTypeOf(column.type),
    ...(column.comment ? { Comment: cutToUtf8Bytes(column.comment, MAX_COMMENT_BYTES) } : {}),
  }));
}

/** The partition columns: the Hive path segments, all strings. */
export function partitionColumnsOf(dataset: DatasetDeclaration): GlueColumn[] {
  return partitionKeysOf(dataset).map((key) => ({
    Name: key.name,
    Type: 'string',
    Comment: PARTITION_COMMENTS[key.part],
  }));
}

/**
 * Athena partition projection properties for the dataset's partition keys. Athena then computes
 * partitions from these ranges and the default Hive layout under the table location, and ignores
 * catalog partitions. `startDate` (YYYY-MM-DD) is the oldest event date queries can see; the
 * ranges end one unit after now, for producers whose clocks run ahead.
 * @example projectionParametersOf(clickstream, '2026-01-01')['projection.dt.range'] // '2026-01-01,NOW+1DAYS'
 */
export function projectionParametersOf(
  dataset: DatasetDeclaration,
  startDate: string,
): Record<string, string> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate))
    throw new Error(`projection start date must be YYYY-MM-DD, got "${startDate}"`);
  const parameters: Record<string, string> = { 'projection.enabled': 'true' };
  for (const { name, part } of partitionKeysOf(dataset)) {
    const p = `projection.${name}`;
    if (part === 'date')
      Object.assign(parameters, {
        [`${p}.type`]: 'date',
        [`${p}.format`]: 'yyyy-MM-dd',
        [`${p}.range`]: `${startDate},NOW+1DAYS`,
        [`${p}.interval`]: '1',
        [`${p}.interval.unit`]: 'DAYS',
      });
    else if (part === 'year')
      Object.assign(parameters, {
        [`${p}.type`]: 'date',
        [`${p}.format`]: 'yyyy',
        [`${p}.range`]: `${startDate.slice(0, 4)},NOW+1YEARS`,
        [`${p}.interval`]: '1',
        [`${p}.interval.unit`]: 'YEARS',
      });
    else
      Object.assign(parameters, {
        [`${p}.type`]: 'integer',
        [`${p}.range`]: part === 'hour' ? '0,23' : '1,12',
        [`${p}.digits`]: '2',
      });
  }
  return parameters;
}

/** Glue `TableInput` (API and CloudFormation shape); `L` is a string or a template intrinsic. */
export interface TableInput<L> {
  readonly Name: string;
  readonly Description: string;
  readonly TableType: 'EXTERNAL_TABLE';
  readonly Parameters: Record<string, string>;
  readonly PartitionKeys: GlueColumn[];
  readonly StorageDescriptor: {
    readonly Location: L;
    readonly Columns: GlueColumn[];
    readonly InputFormat: string;
    readonly OutputFormat: string;
    readonly SerdeInfo: typeof PARQUET_STORAGE.SerdeInfo;
    readonly Compressed: false;
    readonly StoredAsSubDirectories: false;
  };
}

/**
 * The Glue table of a dataset's zone. Raw tables of `catalog.partitions: 'projection'` datasets
 * carry Athena projection properties; curated tables never do, because Glue jobs register their
 * partitions and compaction moves partition locations, which a projected layout cannot follow.
 * @example tableInputOf(orders, 'raw', { location: 's3://lake/raw/orders/', projectionStart: '2026-01-01' })
 */
export function tableInputOf<L>(
  dataset: DatasetDeclaration,
  zone: Zone,
  options: { readonly location: L; readonly projectionStart: string },
): TableInput<L> {
  const projected = zone === 'raw' && dataset.catalog.partitions === 'projection';
  return {
    Name: tableNameOf(dataset, zone),
    Description: cutToUtf8Bytes(`${dataset.description} (${zone} zone)`, MAX_DESCRIPTION_BYTES),
    TableType: 'EXTERNAL_TABLE',
    Parameters: {
      classification: 'parquet',
      EXTERNAL: 'TRUE',
      'parquet.compression': 'SNAPPY',
      'streamlake.dataset': dataset.name,
      'streamlake.zone': zone,
      'streamlake.partitions': zone === 'raw' ? dataset.catalog.partitions : 'job',
      ...(projected ? projectionParametersOf(dataset, options.projectionStart) : {}),
    },
    PartitionKeys: partitionColumnsOf(dataset),
    StorageDescriptor: {
      Location: options.location,
      Columns: glueColumnsOf(zoneColumnsOf(dataset, zone)),
      ...PARQUET_STORAGE,
      Compressed: false,
      StoredAsSubDirectories: false,
    },
  };
}
