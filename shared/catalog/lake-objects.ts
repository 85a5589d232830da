/**
 * Which S3 objects concern the catalog: Parquet files written under `raw/<dataset>/<k>=<v>/…/` of
 * the lake bucket, in a declared dataset's partition layout. Everything else is ignored with a
 * reason that is counted, never dropped silently.
 */
import { type DatasetDeclaration, type PartitionKey, partitionKeysOf } from '../datasets';
import { QUARANTINE_PREFIX, RAW_PREFIX } from '../lake/keys';
import type { S3ObjectEvent } from './messages';

export const IGNORE_REASONS = [
  'not-created',
  'foreign-bucket',
  'quarantine',
  'outside-raw',
  'temporary',
  'not-parquet',
  'unknown-dataset',
  'bad-partition-path',
] as const;

export type IgnoreReason = (typeof IGNORE_REASONS)[number];

/** A partition of a raw table, e.g. values `['2026-11-24', '13']`, path `dt=2026-11-24/hour=13`. */
export interface RawPartition {
  readonly dataset: DatasetDeclaration;
  readonly values: readonly string[];
  readonly path: string;
}

export type ObjectClass =
  | { readonly kind: 'data'; readonly partition: RawPartition }
  | { readonly kind: 'ignored'; readonly reason: IgnoreReason };

const VALUE_PATTERNS: Record<PartitionKey['part'], RegExp> = {
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  hour: /^([01]\d|2[0-3])$/,
  year: /^\d{4}$/,
  month: /^(0[1-9]|1[0-2])$/,
};

/**
 * Hive, Spark and Athena skip files and folders whose names start with `_` or `.` (`_temporary/`,
 * `_SUCCESS`, `.spark-staging`); `_$folder$` and `.tmp` mark folder placeholders and uploads in
 * progress.
 */
function isTemporary(segments: readonly string[]): boolean {
  const name = segments.at(-1) ?? '';
  return (
    segments.some((s) => s.startsWith('_') || s.startsWith('.')) ||
    name.endsWith('_$folder$') ||
    name.endsWith('.tmp')
  );
}

function partitionOf(
  dataset: DatasetDeclaration,
  segments: readonly string[],
): RawPartition | null {
  const keys = partitionKeysOf(dataset);
  if (segments.length !== keys.length + 1) return null;
  const values: string[] = [];
  for (const [i, key] of keys.entries()) {
    const [name, value, ...rest] = (segments[i] as string).split('=');
    if (name !== key.name || value === undefined || rest.length > 0) return null;
    if (!VALUE_PATTERNS[key.part].test(value)) return null;
    values.push(value);
  }
  return { dataset, values, path: segments.slice(0, keys.length).join('/') };
}

/**
 * Classifies object events of the lake bucket against the declared datasets.
 * @example
 * const classify = lakeObjectClassifier(datasets, 'streamlake-dev-lake-…');
 * classify(event) // { kind: 'data', partition: { dataset: orders, values: ['2026-11-24', '13'], … } }
 */
export function lakeObjectClassifier(
  datasets: readonly DatasetDeclaration[],
  lakeBucket: string,
): (event: S3ObjectEvent) => ObjectClass {
  const byName = new Map(datasets.map((d) => [d.name, d]));
  const ignored = (reason: IgnoreReason): ObjectClass => ({ kind: 'ignored', reason });
  return ({ bucket, key, eventName }) => {
    if (!eventName.startsWith('ObjectCreated:')) return ignored('not-created');
    if (bucket !== lakeBucket) return ignored('foreign-bucket');
    if (key.startsWith(QUARANTINE_PREFIX)) return ignored('quarantine');
    if (!key.startsWith(RAW_PREFIX)) return ignored('outside-raw');
    const segments = key.slice(RAW_PREFIX.length).split('/');
    if (isTemporary(segments)) return ignored('temporary');
    if (!key.endsWith('.parquet')) return ignored('not-parquet');
    const [datasetName = '', ...rest] = segments;
    const dataset = byName.get(datasetName);
    if (!dataset) return ignored('unknown-dataset');
    const partition = partitionOf(dataset, rest);
    return partition ? { kind: 'data', partition } : ignored('bad-partition-path');
  };
}
