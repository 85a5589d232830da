/**
 * Ingest benchmark: `npx tsx bench/ingest.ts` (not a timed test). Prints JSON and writes
 * bench/out/ingest.json. The batch is 10,000 clickstream records of ~600 bytes over three hourly
 * partitions (bench/lib/batch.ts). The handler is the production bundle (built as serverless-esbuild
 * builds it), run in a child process with S3 pointed at an in-memory HTTP sink, so times include
 * the SDK and the RSS is the handler's own. The baseline, decoding base64 and JSON.parse of the
 * same records, is measured in the same process and run; so are both for the largest batch of
 * such records that fits in one invocation (`lambda_sized_batch`). Targets: ratio <= 2, peak RSS
 * <= 256 MB, bundle <= 1 MB, fresh process <= 300 ms.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { datasets } from '../shared/datasets';
import { groupRecords, type ShardRecord } from '../shared/ingest/group';
import { ingestBatch } from '../shared/ingest/ingest-batch';
import { InvocationBatchProcessor } from '../shared/ingest/invocation-processor';
import { parquetRowSink, writeGroups } from '../shared/ingest/write';
import { decodeRecord } from '../shared/records/decode';
import { parseJsonObject } from '../shared/records/json';
import { compileRegistry } from '../shared/records/registry';
import { arrivalMicrosOf } from '../shared/records/time';
import { benchmarkEvent, LAMBDA_EVENT_BYTES, largestEventWithin, median } from './lib/batch';
import { bundle } from './lib/bundle';
import { startSink } from './lib/sink';

const out = (name: string) => new URL(`./out/${name}`, import.meta.url).pathname;
const RECORDS = 10_000;
const ITERATIONS = 7;

/** Runs the runner bundle in a fresh node process; resolves with its result and wall time. */
function runChild(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ result: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [out('runner.mjs'), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) reject(new Error(`runner exited with ${code}`));
      else resolve({ result: JSON.parse(line.slice('BENCH_RESULT '.length)), ms });
    });
  });
}

/** Warm median (ms, one decimal) of `iterations` runs of `run` after one unmeasured run. */
async function medianOf(run: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = -1; i < ITERATIONS; i += 1) {
    const started = performance.now();
    await run();
    if (i >= 0) times.push(performance.now() - started);
  }
  return Math.round(median(times) * 10) / 10;
}

/**
 * In this process, where the handler's time goes: the ingest core on the batch (S3 a no-op),
 * JSON parsing plain and exact, decoding alone (base64, UTF-8 check, exact JSON, routing,
 * coercion), Powertools' own per-record cost (a handler that does nothing: its documented
 * processor, and the synchronous one ingest uses), and grouping + Parquet encoding of already
 * decoded records (S3 a no-op; the records are kept in memory here, which the handler avoids, so
 * this overstates the handler's share a little).
 */
async function inProcess(event: ReturnType<typeof benchmarkEvent>) {
  const registry = compileRegistry(datasets);
  const writer = { put: async () => undefined };
  const ingest = () =>
    ingestBatch(event.Records, {
      registry,
      writer,
      maxRecordBytes: 1_048_576,
      writeConcurrency: 8,
    });
  const payloads = event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64'));
  const decode = () => event.Records.map((r) => decodeRecord(registry, r.kinesis, 1_048_576));
  // Results dropped, as the floor drops its objects (in the handler they die young as well).
  const decodeMs = await medianOf(() => {
    for (const r of event.Records) decodeRecord(registry, r.kinesis, 1_048_576);
  });
  const powertools = () =>
    processPartialResponse(
      event,
      async () => undefined,
      new BatchProcessor(EventType.KinesisDataStreams),
      { processInParallel: false },
    );
  const powertoolsInvocation = () => {
    const processor = new InvocationBatchProcessor();
    processor.register(event.Records, () => undefined);
    processor.processSync();
  };
  const shardRecords: ShardRecord[] = decode().map((decoded, i) => {
    const { kinesis } = event.Records[i] as (typeof event.Records)[number];
    return {
      shardId: 'shardId-000000000000',
      sequenceNumber: kinesis.sequenceNumber,
      arrivalMicros: arrivalMicrosOf(kinesis.approximateArrivalTimestamp),
      decoded,
    };
  });
  return {
    decode_ms: decodeMs,
    // Powertools' own per-record cost, with a handler that does nothing: its processor as
    // documented (a promise per record), and the per-invocation one the handler uses,
    // synchronously (shared/ingest/invocation-processor.ts).
    powertools_ms: await medianOf(powertools),
    powertools_invocation_ms: await medianOf(powertoolsInvocation),
    group_and_encode_ms: await medianOf(() =>
      writeGroups(
        groupRecords(shardRecords, shardRecords.length, (dataset) =>
          parquetRowSink(dataset, 1_795_527_060_000_000),
        ),
        writer,
        { concurrency: 8 },
      ),
    ),
    ingest_ms: await medianOf(ingest),
    json_parse_ms: await medianOf(() => {
      for (const p of payloads) JSON.parse(p.toString('utf8'));
    }),
    json_exact_ms: await medianOf(() => {
      for (const p of payloads) parseJsonObject(p);
    }),
  };
}

mkdirSync(out(''), { recursive: true });
const bundleBytes = await bundle(
  new URL('../handlers/ingest.ts', import.meta.url).pathname,
  out('ingest.cjs'),
);
await bundle(new URL('./runner.ts', import.meta.url).pathname, out('runner.mjs'), 'esm');
const event = benchmarkEvent(RECORDS);
// The batch holds more than one invocation can: its event is 13.6 MB of JSON. The same
// records in a batch that fits (~4,600) are measured too, with their own floor.
const eventJson = JSON.stringify(event);
writeFileSync(out('batch-10000.json'), eventJson);
const fitting = largestEventWithin(LAMBDA_EVENT_BYTES);
writeFileSync(out('batch-lambda-sized.json'), fitting.json);
writeFileSync(out('batch-small.json'), JSON.stringify(benchmarkEvent(20, 7)));
const batchBytes = event.Records.reduce(
  (sum, r) => sum + Buffer.from(r.kinesis.data, 'base64').length,
  0,
);

const sink = await startSink();
const env = {
  PATH: process.env.PATH,
  AWS_ENDPOINT_URL: sink.endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  LAKE_BUCKET: 'bench-lake',
  LAKE_KMS_KEY_ARN: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000',
  POWERTOOLS_SERVICE_NAME: 'streamlake',
  POWERTOOLS_METRICS_NAMESPACE: 'streamlake',
  // Development machines may run Node 20, which the SDK warns about once per process.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const measured = await runChild(
  ['measure', out('ingest.cjs'), out('batch-10000.json'), String(ITERATIONS)],
  env,
);
const fittingMeasured = await runChild(
  ['measure', out('ingest.cjs'), out('batch-lambda-sized.json'), String(ITERATIONS)],
  env,
);
const oneBatch = await runChild(['once', out('ingest.cjs'), out('batch-10000.json')], env);
const fresh: number[] = [];
for (let i = 0; i < ITERATIONS; i += 1)
  fresh.push((await runChild(['once', out('ingest.cjs'), out('batch-small.json')], env)).ms);
await sink.close();

const handlerMs = measured.result.handlerMs as number[];
const floorMs = measured.result.floorMs as number[];
const fittingHandlerMs = median(fittingMeasured.result.handlerMs as number[]);
const fittingFloorMs = median(fittingMeasured.result.floorMs as number[]);
const report = {
  node: process.version,
  records: RECORDS,
  batch_bytes: batchBytes,
  event_bytes: eventJson.length,
  handler_ms_median: Math.round(median(handlerMs)),
  handler_ms_min: Math.round(Math.min(...handlerMs)),
  handler_ms_max: Math.round(Math.max(...handlerMs)),
  parse_floor_ms_median: Math.round(median(floorMs) * 10) / 10,
  ratio: Math.round((median(handlerMs) / median(floorMs)) * 100) / 100,
  // Over all warm runs: V8 lets the heap grow between collections, so this exceeds one batch's.
  peak_rss_mb: Math.round(measured.result.peakRssMb as number),
  peak_rss_mb_one_batch: Math.round(oneBatch.result.peakRssMb as number),
  bundle_bytes: bundleBytes,
  fresh_process_ms_median: Math.round(median(fresh)),
  s3_puts: sink.requests(),
  // The largest batch of the same records one invocation can carry (event JSON <= 6 MB).
  lambda_sized_batch: {
    records: fitting.records,
    event_bytes: fitting.json.length,
    handler_ms_median: Math.round(fittingHandlerMs * 10) / 10,
    parse_floor_ms_median: Math.round(fittingFloorMs * 10) / 10,
    ratio: Math.round((fittingHandlerMs / fittingFloorMs) * 100) / 100,
  },
  in_process: await inProcess(event),
};
const targets = {
  ratio: 2.0,
  peak_rss_mb: 256,
  bundle_bytes: 1_048_576,
  fresh_process_ms_median: 300,
};
const met = Object.fromEntries(
  Object.entries(targets).map(([k, limit]) => [
    k,
    (report[k as keyof typeof targets] as number) <= limit,
  ]),
);
const result = { ...report, targets, met };
writeFileSync(out('ingest.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
