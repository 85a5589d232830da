/**
 * End-to-end records/s through the local runtime (the real ingest handler, the template's mapping,
 * the local AWS), and where the time goes, each part measured again on its own in the same run:
 *   generateMs      building the records (JSON, CSV, Avro) in this process
 *   putRecordsMs    PutRecords to the local Kinesis (emulator write path)
 *   getRecordsMs    reading every shard to the tip with GetRecords, no handler (emulator read path)
 *   decodeEncodeMs  the ingest core on the same batches with an in-memory lake (our CPU)
 *   s3PutMs         storing the objects that produced, with ingest's concurrency (emulator S3)
 *   handlerMs       the handler's invocations during the end-to-end run, summed over shards
 * Prints JSON and writes bench/out/runtime.json. `BENCH_RECORDS` sets the size (default 20,000).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  type _Record,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { KinesisStreamRecord } from 'aws-lambda';
import { startMoto } from '../local/aws/moto-server';
import { provisionStack } from '../local/aws/provision';
import { generateRecords } from '../local/runtime/generate';
import { LocalRuntime } from '../local/runtime/local-runtime';
import { putRecordsStreaming } from '../local/runtime/producer';
import { kinesisClientConfig } from '../shared/aws/clients';
import { datasets } from '../shared/datasets';
import { loadIngestConfig } from '../shared/ingest/config';
import { ingestBatch } from '../shared/ingest/ingest-batch';
import type { LakeObject } from '../shared/lake/writer';
import { compileRegistry } from '../shared/records/registry';
import { kinesisEventRecordOf } from '../shared/redrive/stream-records';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 20_000);
const perSecond = (count: number, ms: number) => Math.round((count * 1000) / Math.max(ms, 1));

async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, Math.round(performance.now() - started)];
}

const moto = await startMoto();
try {
  const stack = await provisionStack({ endpoint: moto.endpoint, log: () => undefined });
  const base = {
    endpoint: stack.endpoint,
    region: stack.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const kinesis = new KinesisClient({
    ...base,
    ...kinesisClientConfig({ AWS_ENDPOINT_URL: stack.endpoint }),
  });
  const s3 = new S3Client({ ...base, forcePathStyle: true });
  const streamName = stack.resources.IngestStream ?? '';
  const runtime = await LocalRuntime.fromStack(stack, {
    only: (source) =>
      source.kind === 'kinesis' && source.functionLogicalId === 'IngestLambdaFunction',
    environment: { POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' },
    pollIntervalMs: 100,
    observe: (invocation) => {
      handlerMs += invocation.durationMs;
    },
  });
  let handlerMs = 0;
  const ingestSpec = runtime.mappings.functions.get('IngestLambdaFunction');
  const mapping = runtime.mappings.kinesis.find(
    (m) => m.functionLogicalId === 'IngestLambdaFunction',
  );
  const config = loadIngestConfig(ingestSpec?.environment ?? {});

  const [records, generateMs] = await timed(() => [
    ...generateRecords({ count: RECORDS, seed: 7, poisonEvery: 500 }),
  ]);
  const [, putRecordsMs] = await timed(() => putRecordsStreaming(kinesis, streamName, records));

  // Baseline: the emulator's read path alone.
  const shards =
    (await kinesis.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
  const read: { shardId: string; records: _Record[] }[] = [];
  const [, getRecordsMs] = await timed(async () => {
    for (const shard of shards) {
      const shardId = shard.ShardId ?? '';
      let { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const got: _Record[] = [];
      for (;;) {
        const out = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
        if (!out.Records?.length) break;
        got.push(...out.Records);
        ShardIterator = out.NextShardIterator;
      }
      read.push({ shardId, records: got });
    }
  });

  // End to end: the runtime with the real handler.
  await runtime.startStreams();
  const [report, endToEndMs] = await timed(() => runtime.drainStreams({ timeoutMs: 900_000 }));
  await runtime.stop();

  // Our CPU: the same batches through the ingest core, objects kept in memory.
  const objects: LakeObject[] = [];
  const registry = compileRegistry(datasets);
  const batchSize = mapping?.batchSize ?? 500;
  const [, decodeEncodeMs] = await timed(async () => {
    for (const { shardId, records: shardRecords } of read) {
      const source = {
        shardId,
        streamArn: mapping?.streamArn ?? '',
        region: stack.region,
        invokeIdentityArn: '',
      };
      const events: KinesisStreamRecord[] = shardRecords.map((r) =>
        kinesisEventRecordOf(r, source),
      );
      for (let i = 0; i < events.length; i += batchSize)
        await ingestBatch(events.slice(i, i + batchSize), {
          registry,
          writer: { put: async (object) => void objects.push(object) },
          maxRecordBytes: config.maxRecordBytes,
          writeConcurrency: config.writeConcurrency,
        });
    }
  });

  // The emulator's S3 write path alone, same objects, same concurrency.
  const [, s3PutMs] = await timed(async () => {
    let next = 0;
    const worker = async () => {
      while (next < objects.length) {
        const object = objects[next++] as LakeObject;
        await s3.send(
          new PutObjectCommand({
            Bucket: config.lake.bucket,
            Key: `bench/${object.key}`,
            Body: object.body,
            ContentType: object.contentType,
            ServerSideEncryption: 'aws:kms',
            SSEKMSKeyId: config.lake.kmsKeyArn,
          }),
        );
      }
    };
    await Promise.all(Array.from({ length: config.writeConcurrency }, worker));
  });

  const serial = getRecordsMs + decodeEncodeMs + s3PutMs;
  const result = {
    benchmark: 'local runtime, end to end',
    records: RECORDS,
    shards: shards.length,
    batchSize,
    node: process.version,
    endToEnd: {
      ms: endToEndMs,
      recordsPerSecond: perSecond(RECORDS, endToEndMs),
      invocations: report.shards.reduce((n, s) => n + s.invocations, 0),
      committed: report.shards.reduce((n, s) => n + s.committed, 0),
      allShardsAtTip: report.shards.every((s) => s.atTip),
    },
    phasesMs: { generateMs, putRecordsMs, getRecordsMs, decodeEncodeMs, s3PutMs, handlerMs },
    baselinesRecordsPerSecond: {
      generate: perSecond(RECORDS, generateMs),
      putRecords: perSecond(RECORDS, putRecordsMs),
      getRecordsDrain: perSecond(RECORDS, getRecordsMs),
      decodeEncode: perSecond(RECORDS, decodeEncodeMs),
    },
    objects: objects.length,
    /** Shares of the serial work per record: emulator (Kinesis read, S3 write) vs ours (ingest CPU). */
    shares: {
      emulatorKinesisRead: Number((getRecordsMs / serial).toFixed(3)),
      emulatorS3Write: Number((s3PutMs / serial).toFixed(3)),
      oursDecodeEncode: Number((decodeEncodeMs / serial).toFixed(3)),
    },
  };
  const text = JSON.stringify(result, null, 2);
  console.log(text);
  mkdirSync('bench/out', { recursive: true });
  writeFileSync('bench/out/runtime.json', `${text}\n`);
} finally {
  await moto.stop();
}
process.exit(0);
