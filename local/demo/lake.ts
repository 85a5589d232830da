import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { objectBytes } from '../aws/s3-objects';

/** Files and partitions per dataset of the raw zone, from object keys alone. */
export function rawLayout(keys: readonly string[]) {
  const datasets = new Map<string, { files: number; partitions: Set<string> }>();
  for (const key of keys) {
    const [, dataset = '?', ...rest] = key.split('/');
    const entry = datasets.get(dataset) ?? { files: 0, partitions: new Set<string>() };
    entry.files += 1;
    entry.partitions.add(rest.slice(0, -1).join('/'));
    datasets.set(dataset, entry);
  }
  return [...datasets.entries()].map(([dataset, { files, partitions }]) => ({
    dataset,
    files,
    partitions: partitions.size,
  }));
}

/** Quarantined records by dataset and reason, read from the quarantine objects (JSON lines). */
export async function quarantineReasons(s3: S3Client, bucket: string, keys: readonly string[]) {
  const counts = new Map<string, number>();
  for (const Key of keys) {
    const text = Buffer.from(await objectBytes(s3, bucket, Key)).toString('utf8');
    const dataset = Key.split('/')[1] ?? '?';
    for (const line of text.split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as { reason?: string };
      const label = `${dataset}: ${entry.reason ?? '?'}`;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
  }
  return Object.fromEntries([...counts.entries()].sort());
}

/** Copies objects to a local folder, keeping their keys as paths. */
export async function download(
  s3: S3Client,
  bucket: string,
  keys: readonly string[],
  root: string,
): Promise<void> {
  for (const Key of keys) {
    const path = join(root, Key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, await objectBytes(s3, bucket, Key));
  }
}
