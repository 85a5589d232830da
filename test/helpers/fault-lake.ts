import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { listKeys, objectBytes } from '../../local/aws/s3-objects';

/**
 * Reads the lake back for the fault-injection and redrive suites: raw Parquet rows through an
 * independent reader (pyarrow, `lake-reader.py`), quarantine entries from their JSON Lines.
 */

const run = promisify(execFile);
const READER = new URL('./lake-reader.py', import.meta.url).pathname;
const PYTHON = '.venv/bin/python';

/** The record-key column of each dataset, by which a row is counted. */
export const KEY_COLUMNS: Readonly<Record<string, string>> = {
  clickstream: 'event_id',
  orders: 'order_id',
  sensor_readings: 'sensor_id',
};

export interface LakeRow {
  readonly dataset: string;
  readonly id: string;
  readonly shard: string;
  readonly seq: string;
  readonly sub: number | null;
  readonly file: string;
}

export interface QuarantinedEntry {
  readonly key: string;
  readonly reason: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number | null;
  readonly unit: string;
  readonly data: string;
}

/** Every row of `raw/`, read with pyarrow. */
export async function readRawRows(
  s3: S3Client,
  bucket: string,
  keyColumns: Readonly<Record<string, string>> = KEY_COLUMNS,
): Promise<LakeRow[]> {
  const keys = (await listKeys(s3, bucket, 'raw/')).filter((k) => k.endsWith('.parquet'));
  if (keys.length === 0) return [];
  const root = await mkdtemp(join(tmpdir(), 'streamlake-lake-'));
  try {
    for (const key of keys) {
      const path = join(root, key.slice('raw/'.length));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, await objectBytes(s3, bucket, key));
    }
    const args = Object.entries(keyColumns).map(([dataset, column]) => `${dataset}=${column}`);
    const { stdout } = await run(PYTHON, [READER, root, ...args], { maxBuffer: 256 * 1024 * 1024 });
    return stdout
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as LakeRow);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Every quarantined user record under `prefix` (default: the live quarantine). */
export async function readQuarantine(
  s3: S3Client,
  bucket: string,
  prefix = 'quarantine/',
): Promise<QuarantinedEntry[]> {
  const keys = (await listKeys(s3, bucket, prefix)).filter(
    (k) =>
      k.endsWith('.jsonl') && (prefix !== 'quarantine/' || !k.startsWith('quarantine/_redriven/')),
  );
  const entries: QuarantinedEntry[] = [];
  for (const key of keys) {
    const text = Buffer.from(await objectBytes(s3, bucket, key)).toString('utf8');
    for (const line of text.split('\n').filter((l) => l.trim()))
      entries.push({ key, ...(JSON.parse(line) as Omit<QuarantinedEntry, 'key'>) });
  }
  return entries;
}

/** Deletes every object of the bucket (between property cases). */
export async function emptyBucket(s3: S3Client, bucket: string): Promise<void> {
  const keys = await listKeys(s3, bucket, '');
  for (let i = 0; i < keys.length; i += 1000)
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })) },
      }),
    );
}
