import { gzipSync } from 'node:zlib';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../local/aws/provision';
import { main as redriveCli } from '../../../local/redrive';
import { LocalRuntime } from '../../../local/runtime/local-runtime';
import { readStackMappings } from '../../../local/runtime/mappings';
import { kinesisClientConfig } from '../../../shared/aws/clients';
import { datasets } from '../../../shared/datasets';
import { type DatasetDeclaration, decimal } from '../../../shared/datasets/types';
import { loadIngestConfig } from '../../../shared/ingest/config';
import { s3LakeWriter } from '../../../shared/lake/writer';
import { compileRegistry } from '../../../shared/records/registry';
import { lakeIngest } from '../../../shared/redrive/lake-ingest';
import { redriveQuarantine } from '../../../shared/redrive/quarantine';
import { redriveStreamRange } from '../../../shared/redrive/stream-range';
import { emptyBucket, KEY_COLUMNS, readQuarantine, readRawRows } from '../../helpers/fault-lake';
import { S3FaultProxy } from '../../helpers/fault-proxy';
import { kplAggregate } from '../../helpers/kinesis-payloads';
import { clickEvent } from '../../helpers/kinesis-records';
import { provisionRuntimeStack } from './runtime-stack';

/**
 * Redrive, against the local AWS: quarantined records re-ingested after a fix, and a batch the
 * runtime gave up re-read from the stream through the `npm run redrive` CLI. Both run twice:
 * the second run must add nothing.
 */

/** The fix: a dataset for the refund events that were quarantined as unknown-dataset. */
const refunds: DatasetDeclaration = {
  name: 'refunds',
  description: 'Refund events (JSON), added after they were first quarantined',
  format: { type: 'json' },
  columns: [
    { name: 'event_id', type: 'string', nullable: false },
    { name: 'event_type', type: 'string', nullable: false },
    { name: 'event_time', type: 'timestamp', nullable: false },
    { name: 'amount', type: decimal(18, 4) },
  ],
  eventTime: 'event_time',
  route: { by: 'field', field: 'event_type', equals: ['refund'] },
  recordKey: ['event_id'],
  catalog: { partitions: 'direct' },
};
const KEYS_WITH_REFUNDS = { ...KEY_COLUMNS, refunds: 'event_id' };

let stack: LocalStack;
let runtime: LocalRuntime;
let proxy: S3FaultProxy;
let s3: S3Client;
let kinesis: KinesisClient;

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const sortRows = <T extends { dataset: string; id: string }>(rows: T[]) =>
  [...rows].sort((a, b) => `${a.dataset}/${a.id}`.localeCompare(`${b.dataset}/${b.id}`));

async function put(records: { partitionKey: string; data: Buffer }[]) {
  const out = await kinesis.send(
    new PutRecordsCommand({
      StreamName: stack.resources.IngestStream,
      Records: records.map((r) => ({ PartitionKey: r.partitionKey, Data: r.data })),
    }),
  );
  return (out.Records ?? []).map((r) => ({
    shardId: r.ShardId ?? '',
    sequenceNumber: r.SequenceNumber ?? '',
  }));
}

beforeAll(async () => {
  stack = await provisionRuntimeStack();
  const base = {
    endpoint: stack.endpoint,
    region: stack.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  s3 = new S3Client({ ...base, forcePathStyle: true });
  kinesis = new KinesisClient({
    ...base,
    ...kinesisClientConfig({ AWS_ENDPOINT_URL: stack.endpoint }),
  });
  proxy = await S3FaultProxy.start(stack.endpoint);
  runtime = await LocalRuntime.fromStack(stack, {
    only: (m) => m.kind === 'kinesis' && m.functionLogicalId === 'IngestLambdaFunction',
    environment: {
      AWS_ENDPOINT_URL_S3: proxy.endpoint,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
    pollIntervalMs: 50,
    retryBaseDelayMs: 0,
    warn: () => undefined,
  });
}, 180_000);

afterAll(async () => {
  await runtime?.stop();
  await proxy?.close();
});

beforeEach(async () => {
  await emptyBucket(s3, stack.resources.LakeBucket ?? '');
  proxy.clear();
});

describe('Function: redriveQuarantine', () => {
  it('moves records that pass after a fix to raw/ with their lineage, and a second run adds nothing', async () => {
    // Prepare: refunds are quarantined as unknown-dataset (alone, gzip, inside a KPL aggregate)
    const kpl = await kplAggregate([
      { partitionKey: 'user-q2', data: json(clickEvent({ event_id: 'q-2k0' })) },
      {
        partitionKey: 'user-q2',
        data: json(clickEvent({ event_id: 'q-2k1', event_type: 'refund' })),
      },
    ]);
    const positions = await put([
      { partitionKey: 'user-q0', data: json(clickEvent({ event_id: 'q-0' })) },
      {
        partitionKey: 'user-q1',
        data: json(clickEvent({ event_id: 'q-1', event_type: 'refund' })),
      },
      { partitionKey: 'user-q2', data: kpl },
      { partitionKey: 'user-q3', data: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]) },
      { partitionKey: 'user-q4', data: json(clickEvent({ event_id: 'q-4', quantity: 'lots' })) },
      {
        partitionKey: 'user-q5',
        data: gzipSync(json(clickEvent({ event_id: 'q-5', event_type: 'refund' }))),
      },
    ]);
    await runtime.drainStreams({ timeoutMs: 60_000 });
    const bucket = stack.resources.LakeBucket ?? '';
    const ingestEnv =
      readStackMappings(stack).functions.get('IngestLambdaFunction')?.environment ?? {};
    const config = loadIngestConfig(ingestEnv);
    const redrive = () =>
      redriveQuarantine({
        s3,
        bucket,
        writer: s3LakeWriter(s3, config.lake),
        registry: compileRegistry([...datasets, refunds]),
        maxRecordBytes: config.maxRecordBytes,
      });
    expect((await readQuarantine(s3, bucket)).map((e) => e.reason).sort()).toEqual([
      'bad-gzip',
      'schema-violation',
      'unknown-dataset',
      'unknown-dataset',
      'unknown-dataset',
    ]);

    // Act
    const first = await redrive();
    const rowsAfterFirst = sortRows(await readRawRows(s3, bucket, KEYS_WITH_REFUNDS));
    const quarantineAfterFirst = await readQuarantine(s3, bucket);
    const archivedAfterFirst = await readQuarantine(s3, bucket, 'quarantine/_redriven/');
    const second = await redrive();
    const rowsAfterSecond = sortRows(await readRawRows(s3, bucket, KEYS_WITH_REFUNDS));

    // Assess
    expect(first).toMatchObject({ redriven: 3, stillFailing: 2, rows: 3 });
    expect(second).toMatchObject({ redriven: 0, stillFailing: 2, rows: 0, rawObjects: 0 });
    const refundRows = rowsAfterFirst.filter((r) => r.dataset === 'refunds');
    expect(refundRows.map((r) => [r.id, r.shard, r.seq, r.sub])).toEqual([
      ['q-1', positions[1]?.shardId, positions[1]?.sequenceNumber, null],
      ['q-2k1', positions[2]?.shardId, positions[2]?.sequenceNumber, 1],
      ['q-5', positions[5]?.shardId, positions[5]?.sequenceNumber, null],
    ]);
    expect(refundRows.every((r) => /\/redriven-[^/]+\.parquet$/.test(r.file))).toBe(true);
    expect(rowsAfterFirst.filter((r) => r.dataset === 'clickstream').map((r) => r.id)).toEqual([
      'q-0',
      'q-2k0',
    ]);
    expect(quarantineAfterFirst.map((e) => e.reason).sort()).toEqual([
      'bad-gzip',
      'schema-violation',
    ]);
    expect(archivedAfterFirst.map((e) => e.sequenceNumber).sort()).toEqual(
      [positions[1], positions[2], positions[5]].map((p) => p?.sequenceNumber).sort(),
    );
    expect(rowsAfterSecond).toEqual(rowsAfterFirst);
    expect(await readQuarantine(s3, bucket)).toEqual(quarantineAfterFirst);
    expect(await readQuarantine(s3, bucket, 'quarantine/_redriven/')).toEqual(archivedAfterFirst);
  });
});

describe('CLI: npm run redrive -- failures', () => {
  it('re-reads a given-up batch from the stream into the lake once, however often it runs', async () => {
    // Prepare: every write to hour=05 is refused until the "fix", so its batch is given up
    proxy.faults.push({
      keyPrefix: 'raw/clickstream/dt=2026-11-24/hour=05/',
      kind: 'refuse',
      times: Number.POSITIVE_INFINITY,
    });
    await put(
      ['f-0', 'f-1', 'f-2', 'f-3', 'f-4'].map((id, i) => ({
        partitionKey: 'user-f',
        data: json(
          clickEvent({ event_id: id, event_time: `2026-11-24T${i === 2 ? '05' : '10'}:00:00Z` }),
        ),
      })),
    );
    const given = (await runtime.drainStreams({ timeoutMs: 60_000 })).onFailure;
    proxy.clear();
    const bucket = stack.resources.LakeBucket ?? '';
    const ids = async () => (await readRawRows(s3, bucket)).map((r) => r.id).sort();
    const before = await ids();
    const output: string[] = [];
    const cli = () =>
      redriveCli(
        ['failures', '--endpoint', stack.endpoint, '--stack', stack.stackName],
        { AWS_REGION: stack.region },
        (line) => output.push(line),
      );

    // Act
    const firstExit = await cli();
    const afterFirst = await ids();
    const secondExit = await cli();
    const afterSecond = await ids();
    const ingestEnv =
      readStackMappings(stack).functions.get('IngestLambdaFunction')?.environment ?? {};
    const ingest = lakeIngest(s3, loadIngestConfig(ingestEnv), compileRegistry(datasets));
    const message = given[given.length - 1]?.message;
    if (message) await redriveStreamRange({ kinesis, ingest }, message.KinesisBatchInfo);
    const afterReplay = await ids();

    // Assess
    expect(given).toHaveLength(1);
    expect(before).toEqual(['f-0', 'f-1', 'f-3', 'f-4']);
    expect([firstExit, secondExit]).toEqual([0, 0]);
    expect(output.map((o) => JSON.parse(o) as { messages: number; redriven: number })).toEqual([
      expect.objectContaining({
        command: 'failures',
        messages: 1,
        redriven: 1,
        records: 1,
        failed: [],
      }),
      expect.objectContaining({ command: 'failures', messages: 0, redriven: 0 }),
    ]);
    expect(afterFirst).toEqual(['f-0', 'f-1', 'f-2', 'f-3', 'f-4']);
    expect(afterSecond).toEqual(afterFirst);
    expect(afterReplay).toEqual(afterFirst);
  });
});
