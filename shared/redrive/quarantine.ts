import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { groupRecords, type RawGroup, type ShardRecord } from '../ingest/group';
import { parquetRowSink, writeGroups } from '../ingest/write';
import { QUARANTINE_PREFIX } from '../lake/keys';
import { encodeQuarantine, type QuarantineEntry } from '../lake/quarantine';
import type { LakeWriter } from '../lake/writer';
import { type DecodedRecord, decodeRecord } from '../records/decode';
import type { DatasetRegistry } from '../records/registry';
import { RedriveIncompleteError } from './errors';

/**
 * Re-ingests quarantined records after a fix (a new dataset, a relaxed schema, a larger size
 * bound): each entry's original bytes go through today's decoder; an entry whose user record now
 * decodes without poison is written to `raw/` with its original lineage (shard, sequence and
 * sub-sequence number, arrival), and leaves the quarantine.
 *
 * Per quarantine object Q, in this order, so that a crash anywhere leaves a state a rerun repairs:
 * 1. rows of the passing entries → one raw object per dataset partition, named
 *    `redriven-<Q's folder, day and name>-<hash of the passing entries>.parquet` (deterministic:
 *    a rerun overwrites; never a name ingest uses, never starting with `_`);
 * 2. the passing entries → `quarantine/_redriven/<Q's path without .jsonl>-<same hash>.jsonl`;
 * 3. Q rewritten with the entries that still fail, or deleted when none is left.
 * Entries that still fail are not touched. Running it again adds nothing. Limit: rerun a crashed
 * redrive with the same code; if more entries pass on the rerun, the hash changes, and rows
 * already written under the old name would be written a second time.
 */

/** Where redriven records are archived (ignored by later redrives and by the catalog). */
export const REDRIVEN_PREFIX = `${QUARANTINE_PREFIX}_redriven/`;

export interface QuarantineRedriveDeps {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly writer: LakeWriter;
  readonly registry: DatasetRegistry;
  readonly maxRecordBytes: number;
  /** Only these quarantine folders (dataset names, or `_unknown`); default: all. */
  readonly folders?: readonly string[];
  /** Decode and encode everything, count what would move, write and delete nothing. */
  readonly dryRun?: boolean;
  readonly now?: () => number;
}

export interface QuarantineRedrive {
  objects: number;
  entries: number;
  redriven: number;
  stillFailing: number;
  rawObjects: number;
  rows: number;
}

async function listQuarantine(deps: QuarantineRedriveDeps): Promise<string[]> {
  const prefixes = deps.folders?.map((f) => `${QUARANTINE_PREFIX}${f}/`) ?? [QUARANTINE_PREFIX];
  const keys: string[] = [];
  for (const Prefix of prefixes) {
    let ContinuationToken: string | undefined;
    do {
      const page = await deps.s3.send(
        new ListObjectsV2Command({ Bucket: deps.bucket, Prefix, ContinuationToken }),
      );
      for (const { Key } of page.Contents ?? [])
        if (Key?.endsWith('.jsonl') && !Key.startsWith(REDRIVEN_PREFIX)) keys.push(Key);
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
  }
  return keys;
}

async function entriesOf(deps: QuarantineRedriveDeps, key: string): Promise<QuarantineEntry[]> {
  const out = await deps.s3.send(new GetObjectCommand({ Bucket: deps.bucket, Key: key }));
  const text = (await out.Body?.transformToString('utf8')) ?? '';
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as QuarantineEntry);
}

/** What an entry decodes to today, or undefined when it is still poison. */
function redecode(entry: QuarantineEntry, deps: QuarantineRedriveDeps): DecodedRecord | undefined {
  const decoded = decodeRecord(
    deps.registry,
    {
      kinesisSchemaVersion: '1.0',
      partitionKey: entry.partitionKey,
      sequenceNumber: entry.sequenceNumber,
      approximateArrivalTimestamp: Date.parse(entry.approximateArrival) / 1000,
      data: entry.data,
    },
    deps.maxRecordBytes,
  );
  if (decoded.poisons.length > 0) return undefined;
  if (entry.unit === 'record') return decoded;
  // One user record of an aggregate (or one log event): keep its place in the original record.
  const rows = decoded.rows.map((row) => ({ ...row, subSequenceNumber: entry.subSequenceNumber }));
  return { ...decoded, rows };
}

const identityOf = (e: QuarantineEntry) =>
  `${e.shardId}/${e.sequenceNumber}/${e.subSequenceNumber ?? ''}/${e.logEventId ?? ''}`;

/** Redrives every quarantine object; see the module comment for the order and the names. */
export async function redriveQuarantine(deps: QuarantineRedriveDeps): Promise<QuarantineRedrive> {
  const summary: QuarantineRedrive = {
    objects: 0,
    entries: 0,
    redriven: 0,
    stillFailing: 0,
    rawObjects: 0,
    rows: 0,
  };
  const ingestedMicros = Math.trunc((deps.now ?? Date.now)()) * 1000; // a safe integer until 2255
  for (const key of await listQuarantine(deps)) {
    const entries = await entriesOf(deps, key);
    summary.objects += 1;
    summary.entries += entries.length;
    const passing: { entry: QuarantineEntry; decoded: DecodedRecord }[] = [];
    const failing: QuarantineEntry[] = [];
    for (const entry of entries) {
      const decoded = redecode(entry, deps);
      if (decoded) passing.push({ entry, decoded });
      else failing.push(entry);
    }
    summary.stillFailing += failing.length;
    if (passing.length === 0) continue;
    summary.redriven += passing.length;
    const hash = createHash('sha256')
      .update(passing.map(({ entry }) => identityOf(entry)).join('\n'))
      .digest('hex')
      .slice(0, 12);
    const base = key.slice(QUARANTINE_PREFIX.length, -'.jsonl'.length);
    const records: ShardRecord[] = passing.map(({ entry, decoded }) => ({
      shardId: entry.shardId,
      sequenceNumber: entry.sequenceNumber,
      arrivalMicros: Date.parse(entry.approximateArrival) * 1000,
      decoded,
    }));
    const groups = groupRecords(records, records.length, (dataset) =>
      parquetRowSink(dataset, ingestedMicros),
    ).map((group) => ({
      ...group,
      key: group.key.replace(
        /[^/]+\.parquet$/,
        `redriven-${base.replaceAll('/', '-')}-${hash}.parquet`,
      ),
    }));
    summary.rawObjects += groups.length;
    summary.rows += passing.reduce((n, p) => n + p.decoded.rows.length, 0);
    if (deps.dryRun) {
      // The rows were shredded into Parquet as the run would do it: a row the writer refuses
      // fails the dry run too, rather than first the real one.
      const refused = groups.find(
        (group): group is RawGroup => group.kind === 'raw' && group.failure !== undefined,
      );
      if (refused)
        throw new RedriveIncompleteError(key, `encoding ${refused.key} would fail`, {
          cause: refused.failure,
        });
      continue;
    }
    const outcomes = await writeGroups(groups, deps.writer, { concurrency: 8 });
    const failed = outcomes.find((o) => !o.written);
    if (failed)
      throw new RedriveIncompleteError(key, `writing ${failed.group.key} failed`, {
        cause: failed.error,
      });
    const archived = passing.map(({ entry }) => entry);
    await deps.writer.put({
      key: `${REDRIVEN_PREFIX}${base}-${hash}.jsonl`,
      body: encodeQuarantine(archived),
      contentType: 'application/x-ndjson',
      metadata: { 'streamlake-redriven-from': key, 'streamlake-entries': String(archived.length) },
    });
    if (failing.length > 0)
      await deps.writer.put({
        key,
        body: encodeQuarantine(failing),
        contentType: 'application/x-ndjson',
        metadata: { 'streamlake-entries': String(failing.length) },
      });
    else await deps.s3.send(new DeleteObjectCommand({ Bucket: deps.bucket, Key: key }));
  }
  return summary;
}
