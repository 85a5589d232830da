import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { PartitionKey } from '../datasets';
import { isPartitionValue, partitionEndOf, partitionStartOf } from './partitions';

/** The newest partition of a dataset in the lake. */
export interface NewestPartition {
  /** e.g. `dt=2026-11-24/hour=07` */
  readonly path: string;
  /** The end of the period it covers (see `partitionEndOf`). */
  readonly end: Date;
}

/** The values of `key` directly under `prefix` (one ListObjectsV2 per 1,000), newest first. */
async function valuesUnder(
  s3: S3Client,
  bucket: string,
  prefix: string,
  key: PartitionKey,
): Promise<string[]> {
  const values: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        Delimiter: '/',
        ContinuationToken,
      }),
    );
    for (const { Prefix: child } of page.CommonPrefixes ?? []) {
      const segment = child?.slice(prefix.length, -1) ?? '';
      const value = segment.startsWith(`${key.name}=`) ? segment.slice(key.name.length + 1) : '';
      if (isPartitionValue(key, value)) values.push(value);
    }
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  // Fixed-width, zero-padded values: string order is time order.
  return values.sort().reverse();
}

/** Where the walk is: the keys of the dataset, the values chosen so far, the latest start allowed. */
interface Walk {
  readonly keys: readonly PartitionKey[];
  readonly chosen: readonly string[];
  readonly notAfter: Date;
}

async function newestUnder(
  s3: S3Client,
  bucket: string,
  prefix: string,
  walk: Walk,
): Promise<string[] | null> {
  const key = walk.keys[walk.chosen.length];
  if (!key) return [];
  for (const value of await valuesUnder(s3, bucket, prefix, key)) {
    const chosen = [...walk.chosen, value];
    if (partitionStartOf(walk.keys, chosen) > walk.notAfter) continue;
    const deeper = await newestUnder(s3, bucket, `${prefix}${key.name}=${value}/`, {
      ...walk,
      chosen,
    });
    if (deeper) return [value, ...deeper];
  }
  return null;
}

/**
 * Finds a dataset's newest partition by walking the lake's Hive folders level by level
 * (`raw/<dataset>/dt=…/hour=…/`) with delimiter listings: one listing per level on the happy path,
 * whatever the number of objects. A level whose newest folder holds no complete partition (a stray
 * object) falls back to the next newest. Partitions named after event times, a folder that starts
 * after `notAfter` is passed over: one record from a producer whose clock runs days ahead would
 * otherwise pass for fresh data until that day came. `null` when the dataset has no partition.
 * @example await newestPartition(s3, 'lake', 'raw/orders/', DEFAULT_PARTITION_KEYS, new Date())
 * // { path: 'dt=2026-11-24/hour=07', end: 2026-11-24T08:00:00.000Z }
 */
export async function newestPartition(
  s3: S3Client,
  bucket: string,
  datasetPrefix: string,
  keys: readonly PartitionKey[],
  notAfter: Date,
): Promise<NewestPartition | null> {
  const values = await newestUnder(s3, bucket, datasetPrefix, { keys, chosen: [], notAfter });
  if (!values || values.length === 0) return null;
  return {
    path: keys.map((key, index) => `${key.name}=${values[index]}`).join('/'),
    end: partitionEndOf(keys, values),
  };
}
