import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { listKeys, objectBytes } from '../../local/aws/s3-objects';

/**
 * Reads the lake bucket of the local AWS back for the ingest integration tests: every object
 * under raw/ is downloaded and read with pyarrow (`parquet-reader.py`, a different Parquet
 * implementation than streamlake's writer in shared/parquet); quarantine/ objects are JSON Lines.
 */

const run = promisify(execFile);
const READER = new URL('./parquet-reader.py', import.meta.url).pathname;
const PYTHON = new URL('../../.venv/bin/python', import.meta.url).pathname;

/** A value as `parquet-reader.py` serialises it (int64 and decimals as strings, maps as pairs). */
export type ParquetValue =
  | string
  | number
  | boolean
  | null
  | ParquetValue[]
  | { [field: string]: ParquetValue };

export type ParquetRow = Record<string, ParquetValue>;

/** One Parquet file as pyarrow reads it. */
export interface ParquetFile {
  /** column → Arrow type text, e.g. `decimal128(18, 4)`, `string not null` */
  readonly schema: Record<string, string>;
  readonly rows: ParquetRow[];
  readonly row_groups: number;
  readonly codecs: string[];
  /** the footer's key-value metadata */
  readonly metadata: Record<string, string>;
}

/** The lake after a run: Parquet files under raw/ and quarantine entries, by object key. */
export interface LakeContents {
  readonly raw: Record<string, ParquetFile>;
  readonly quarantine: Record<string, Record<string, unknown>[]>;
}

/** Reads Parquet files (paths relative to `root`) with pyarrow. */
export async function readParquetFiles(
  root: string,
  files: readonly string[],
): Promise<Record<string, ParquetFile>> {
  if (files.length === 0) return {};
  const { stdout } = await run(PYTHON, [READER, root, ...files], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Record<string, ParquetFile>;
}

/** Downloads raw/ and quarantine/ to a temporary folder and reads every object. */
export async function readLake(s3: S3Client, bucket: string): Promise<LakeContents> {
  const rawKeys = await listKeys(s3, bucket, 'raw/');
  const quarantineKeys = await listKeys(s3, bucket, 'quarantine/');
  const root = await mkdtemp(join(tmpdir(), 'streamlake-ingest-'));
  try {
    for (const key of rawKeys) {
      const path = join(root, key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, await objectBytes(s3, bucket, key));
    }
    const quarantine: LakeContents['quarantine'] = {};
    for (const key of quarantineKeys) {
      const text = Buffer.from(await objectBytes(s3, bucket, key)).toString('utf8');
      quarantine[key] = text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    }
    return { raw: await readParquetFiles(root, rawKeys), quarantine };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Deletes every current object of the bucket, so that a test sees only what it wrote. */
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
