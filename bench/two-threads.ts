/**
 * Would a second thread bring ingest under 2× the parse floor? `npx tsx bench/two-threads.ts`
 * (not a timed test). Prints JSON and writes bench/out/two-threads.json.
 *
 * Baseline: the ingest core on one thread, in this process (S3 a no-op), on the benchmark batch
 * (bench/lib/batch.ts). Figure, measured in the same run: the same core with the batch cut in
 * two, the second half handed to a worker thread as plain strings (data, sequence numbers,
 * partition keys) and numbers, because cloning the record objects costs ~10 ms. Both halves
 * run at once; the figure is the wall time until both are done. The parse floor (base64 +
 * `JSON.parse`) is measured here too, so both ratios compare across machines.
 *
 * A measurement of the cost, not a design for the lake: each half writes its own objects (a
 * partition present in both halves gets two), which the checkpoint proof in
 * shared/ingest/checkpoint.ts does not cover. The SDK's PutObjects (~7 ms in bench/ingest.ts)
 * are not included in either figure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import type { KinesisStreamRecord } from 'aws-lambda';
import { datasets } from '../shared/datasets';
import { ingestBatch } from '../shared/ingest/ingest-batch';
import { compileRegistry } from '../shared/records/registry';
import { benchmarkEvent, kinesisRecordOf, median, parseFloor } from './lib/batch';

const RECORDS = 10_000;
const ITERATIONS = 15;
const WARMUP = 5;

/** The part of a half-batch the worker needs, in forms that clone cheaply. */
interface HalfBatch {
  readonly eventSourceARN: string;
  readonly shardId: string;
  readonly data: readonly string[];
  readonly sequenceNumbers: readonly string[];
  readonly partitionKeys: readonly string[];
  readonly arrivals: Float64Array;
}

const registry = compileRegistry(datasets);

/** The ingest core on `records`, S3 a no-op; resolves with the rows written. */
async function ingest(records: readonly KinesisStreamRecord[]): Promise<number> {
  const { summary, batchItemFailures } = await ingestBatch(records, {
    registry,
    writer: { put: async () => undefined },
    maxRecordBytes: 1 << 20,
    writeConcurrency: 8,
  });
  if (batchItemFailures.length > 0) throw new Error('the benchmark batch must not fail');
  return summary.rows;
}

function halfOf(records: readonly KinesisStreamRecord[]): HalfBatch {
  const [first] = records;
  if (!first) throw new Error('an empty half');
  return {
    eventSourceARN: first.eventSourceARN,
    shardId: first.eventID.slice(0, first.eventID.indexOf(':')),
    data: records.map((r) => r.kinesis.data),
    sequenceNumbers: records.map((r) => r.kinesis.sequenceNumber),
    partitionKeys: records.map((r) => r.kinesis.partitionKey),
    arrivals: Float64Array.from(records, (r) => r.kinesis.approximateArrivalTimestamp),
  };
}

function recordsOf(half: HalfBatch): KinesisStreamRecord[] {
  return half.data.map((data, i) =>
    kinesisRecordOf({
      shardId: half.shardId,
      eventSourceARN: half.eventSourceARN,
      sequenceNumber: half.sequenceNumbers[i] as string,
      partitionKey: half.partitionKeys[i] as string,
      data,
      approximateArrivalTimestamp: half.arrivals[i] as number,
    }),
  );
}

async function main(): Promise<void> {
  const records = benchmarkEvent(RECORDS).Records;
  const cut = Math.round(records.length / 2);
  // The worker runs this file too; it registers the TypeScript loader first, as tsx does here.
  const worker = new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`,
    { eval: true },
  );
  let pending: { resolve: (rows: number) => void; reject: (error: unknown) => void } | undefined;
  worker.on('message', (rows: number) => pending?.resolve(rows));
  worker.on('error', (error) => pending?.reject(error));
  const inWorker = (half: HalfBatch) =>
    new Promise<number>((resolve, reject) => {
      pending = { resolve, reject };
      worker.postMessage(half);
    });
  const oneThread = () => ingest(records);
  const twoThreads = async () => {
    const theirs = inWorker(halfOf(records.slice(cut)));
    const mine = await ingest(records.slice(0, cut));
    return mine + (await theirs);
  };
  const floor = async () => {
    parseFloor(records);
    return records.length;
  };
  // Interleaved, so that a noisy neighbour slows all three alike.
  const times = { oneThread: [] as number[], twoThreads: [] as number[], floor: [] as number[] };
  for (let i = -WARMUP; i < ITERATIONS; i += 1)
    for (const [name, run] of [
      ['oneThread', oneThread],
      ['twoThreads', twoThreads],
      ['floor', floor],
    ] as const) {
      const started = performance.now();
      const rows = await run();
      if (rows !== (name === 'floor' ? records.length : RECORDS))
        throw new Error(`${name} handled ${rows} rows, not ${RECORDS}`);
      if (i >= 0) times[name].push(performance.now() - started);
    }
  await worker.terminate();
  const ms = (values: number[]) => Math.round(median(values) * 10) / 10;
  const floorMs = ms(times.floor);
  const result = {
    node: process.version,
    cores: availableParallelism(),
    records: RECORDS,
    parse_floor_ms_median: floorMs,
    one_thread_ms_median: ms(times.oneThread),
    two_threads_ms_median: ms(times.twoThreads),
    ratio_one_thread: Math.round((median(times.oneThread) / median(times.floor)) * 100) / 100,
    ratio_two_threads: Math.round((median(times.twoThreads) / median(times.floor)) * 100) / 100,
    speedup: Math.round((median(times.oneThread) / median(times.twoThreads)) * 100) / 100,
    note: 'in-process, S3 a no-op: add the SDK PutObjects (bench/ingest.ts) for the handler',
  };
  mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('./out/two-threads.json', import.meta.url),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  console.log(JSON.stringify(result, null, 2));
}

if (isMainThread) await main();
else
  parentPort?.on('message', (half: HalfBatch) => {
    ingest(recordsOf(half)).then(
      (rows) => parentPort?.postMessage(rows),
      (error: unknown) => {
        throw error;
      },
    );
  });
