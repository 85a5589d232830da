import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/** Every key under a prefix of a bucket. */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }),
    );
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return keys;
}

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
    const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body;
    const text = (await body?.transformToString()) ?? '';
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
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    const path = join(root, Key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, await (out.Body?.transformToByteArray() ?? new Uint8Array()));
  }
}
