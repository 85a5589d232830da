import type { S3Client } from '@aws-sdk/client-s3';
import { type DatasetDeclaration, partitionKeysOf } from '../datasets';
import { RAW_PREFIX } from '../lake/keys';
import { newestPartition } from './newest-partition';

const HOUR_MS = 3_600_000;
/**
 * How far ahead of the watchdog's clock a partition may start and still count: partitions are
 * named after producers' event times, and a producer whose clock runs ahead by more than this is
 * wrong, not early (its partition would otherwise keep the dataset "fresh" until that time came).
 */
const CLOCK_SKEW_MS = HOUR_MS;

/** How fresh one dataset is. */
export interface DatasetFreshness {
  readonly dataset: string;
  /** The newest partition's path, or null when the dataset has none. */
  readonly lastPartition: string | null;
  /** Hours from the end of the newest partition's period to now (0 if it is still open); null when none. */
  readonly hoursSinceLastPartition: number | null;
  readonly stale: boolean;
}

export interface FreshnessReport {
  readonly checkedAt: Date;
  readonly maxAgeHours: number;
  readonly datasets: readonly DatasetFreshness[];
  readonly stale: readonly DatasetFreshness[];
}

/**
 * Checks each dataset's newest partition in the lake against `maxAgeHours`. A dataset is stale when
 * the end of its newest partition's period is more than `maxAgeHours` ago, or when it has none.
 * The lake, not the catalog, is read: it is where ingest writes, and datasets with partition
 * projection have no partitions in the catalog at all.
 */
export async function checkFreshness(options: {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly datasets: readonly DatasetDeclaration[];
  readonly maxAgeHours: number;
  readonly now: Date;
}): Promise<FreshnessReport> {
  const { s3, bucket, maxAgeHours, now } = options;
  const datasets = await Promise.all(
    options.datasets.map(async (dataset): Promise<DatasetFreshness> => {
      const prefix = `${RAW_PREFIX}${dataset.name}/`;
      const notAfter = new Date(now.getTime() + CLOCK_SKEW_MS);
      const newest = await newestPartition(s3, bucket, prefix, partitionKeysOf(dataset), notAfter);
      if (!newest)
        return {
          dataset: dataset.name,
          lastPartition: null,
          hoursSinceLastPartition: null,
          stale: true,
        };
      const hours = Math.max(0, (now.getTime() - newest.end.getTime()) / HOUR_MS);
      const rounded = Math.round(hours * 100) / 100;
      return {
        dataset: dataset.name,
        lastPartition: newest.path,
        hoursSinceLastPartition: rounded,
        stale: hours > maxAgeHours,
      };
    }),
  );
  return { checkedAt: now, maxAgeHours, datasets, stale: datasets.filter((d) => d.stale) };
}
