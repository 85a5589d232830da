/**
 * Runs in a child process so that its memory is the handler's own. Modes:
 *   measure <bundle> <batch.json> <iterations>  warm handler runs and the parse floor, then peak RSS
 *   once <bundle> <batch.json>                  one invocation from a cold process, then peak RSS
 * Prints one line `BENCH_RESULT <json>`; the handler's own logs and metrics go to stdout as well.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { KinesisStreamEvent } from 'aws-lambda';
import { parseFloor } from './lib/batch';

type Handler = (
  event: KinesisStreamEvent,
  context: unknown,
) => Promise<{ batchItemFailures: unknown[] }>;

const [mode, bundlePath = '', batchPath = '', iterations = '7'] = process.argv.slice(2);
const context = {
  functionName: 'streamlake-bench-ingest',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:streamlake-bench-ingest',
  memoryLimitInMB: '1769',
  awsRequestId: '00000000-0000-0000-0000-000000000000',
  logGroupName: '/aws/lambda/streamlake-bench-ingest',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 900_000,
};

const bundled = (await import(pathToFileURL(bundlePath).href)) as {
  handler?: Handler;
  default?: { handler: Handler };
};
const handler = bundled.handler ?? bundled.default?.handler;
if (!handler) throw new Error(`${bundlePath} exports no handler`);
const event = JSON.parse(readFileSync(batchPath, 'utf8')) as KinesisStreamEvent;

if (mode === 'once') {
  const response = await handler(event, context);
  const result = {
    failed: response.batchItemFailures.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
} else {
  const handlerMs: number[] = [];
  const floorMs: number[] = [];
  for (let i = -2; i < Number(iterations); i += 1) {
    let started = performance.now();
    const response = await handler(event, context);
    if (response.batchItemFailures.length > 0) throw new Error('the benchmark batch must not fail');
    if (i >= 0) handlerMs.push(performance.now() - started);
    started = performance.now();
    parseFloor(event.Records);
    if (i >= 0) floorMs.push(performance.now() - started);
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ handlerMs, floorMs, peakRssMb })}\n`);
}
