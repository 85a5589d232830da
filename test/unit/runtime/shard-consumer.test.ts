import type { _Record } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ASYNC_SETTINGS } from '../../../local/runtime/async-rules';
import type { KinesisMapping } from '../../../local/runtime/mappings';
import type { ShardReport } from '../../../local/runtime/report';
import { ShardConsumer } from '../../../local/runtime/shard-consumer';
import type { InvokeOutcome } from '../../../local/runtime/stream-rules';
import type { KinesisOnFailureMessage } from '../../../shared/redrive/on-failure-message';

/**
 * The shard consumer against a scripted shard and a scripted function: which records each
 * invocation receives. Expected deliveries are written down per scenario.
 */

const SHARD = 'shardId-000000000000';
const ARRIVAL = Date.UTC(2026, 10, 24, 13, 30);

function mapping(overrides: Partial<KinesisMapping> = {}, retry = {}): KinesisMapping {
  return {
    kind: 'kinesis',
    logicalId: 'TestMapping',
    functionLogicalId: 'TestFunction',
    streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/test',
    streamName: 'test',
    batchSize: 4,
    maximumBatchingWindowInSeconds: 0,
    parallelizationFactor: 1,
    startingPosition: 'TRIM_HORIZON',
    startingPositionTimestamp: undefined,
    retry: {
      reportBatchItemFailures: true,
      bisectBatchOnFunctionError: false,
      maximumRetryAttempts: 3,
      maximumRecordAgeInSeconds: -1,
      ...retry,
    },
    onFailureDestination: 'arn:aws:sqs:us-east-1:123456789012:failures',
    ...overrides,
  };
}

/** A shard of records with sequence numbers 1..count; `keys` picks each one's partition key. */
function shard(count: number, keys: (i: number) => string = () => 'k', arrivalMs = ARRIVAL) {
  const records: _Record[] = Array.from({ length: count }, (_, i) => ({
    SequenceNumber: String(i + 1),
    ApproximateArrivalTimestamp: new Date(arrivalMs + i),
    Data: Buffer.from(`r${i + 1}`),
    PartitionKey: keys(i + 1),
  }));
  let next = 0;
  return {
    shardId: SHARD,
    closed: false,
    async read(limit: number) {
      const out = records.slice(next, next + limit);
      next += out.length;
      return out;
    },
  };
}

type Script = (sequenceNumbers: string[]) => InvokeOutcome | Promise<InvokeOutcome>;

function run(options: {
  mapping: KinesisMapping;
  reader: ReturnType<typeof shard>;
  script: Script;
}) {
  const deliveries: string[][] = [];
  const sent: KinesisOnFailureMessage[] = [];
  const report: ShardReport = {
    mapping: 'TestMapping',
    functionName: 'test',
    shardId: SHARD,
    records: 0,
    batches: 0,
    invocations: 0,
    retries: 0,
    bisects: 0,
    discardedBatches: 0,
    discardedRecords: 0,
    committed: 0,
    checkpoint: null,
    atTip: false,
    iteratorAgeMs: 0,
  };
  const consumer = new ShardConsumer({
    mapping: options.mapping,
    reader: options.reader,
    fn: {
      spec: {
        logicalId: 'TestFunction',
        name: 'test',
        arn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
        handler: 'x.handler',
        timeoutSeconds: 3,
        memoryMb: 128,
        environment: {},
        roleArn: 'arn:aws:iam::123456789012:role/test',
        async: DEFAULT_ASYNC_SETTINGS,
      },
      async invoke(event: unknown) {
        const sequenceNumbers = (event as KinesisStreamEvent).Records.map(
          (r) => r.kinesis.sequenceNumber,
        );
        deliveries.push(sequenceNumbers);
        return { outcome: await options.script(sequenceNumbers), requestId: 'req', durationMs: 1 };
      },
    },
    source: {
      shardId: SHARD,
      streamArn: options.mapping.streamArn,
      region: 'us-east-1',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/test',
    },
    sendOnFailure: async (_destination, body) => {
      sent.push(JSON.parse(body) as KinesisOnFailureMessage);
    },
    report,
    onDiscard: () => undefined,
    pollIntervalMs: 10,
    retryBaseDelayMs: 0,
    now: Date.now,
    warn: (line) => {
      throw new Error(line);
    },
  });
  const started = Date.now();
  const running = consumer.run();
  const drained = (async () => {
    while (!consumer.isDrained(started)) await new Promise((r) => setTimeout(r, 5));
    consumer.stop();
    await running;
  })();
  return { drained, deliveries, sent, report };
}

const ok: InvokeOutcome = { kind: 'returned', response: { batchItemFailures: [] } };
const failAt = (...ids: string[]): InvokeOutcome => ({
  kind: 'returned',
  response: { batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) },
});
const thrown: InvokeOutcome = { kind: 'error', error: new Error('boom') };

describe('Class: ShardConsumer', () => {
  it('redelivers every record from the lowest reported one, later successes included', async () => {
    // Prepare: the first delivery of 1-4 reports 4 and 2 as failed
    let first = true;
    const test = run({
      mapping: mapping(),
      reader: shard(6),
      script: () => {
        const outcome = first ? failAt('4', '2') : ok;
        first = false;
        return outcome;
      },
    });

    // Act
    await test.drained;

    // Assess
    expect(test.deliveries).toEqual([
      ['1', '2', '3', '4'],
      ['2', '3', '4'],
      ['5', '6'],
    ]);
    expect(test.report).toMatchObject({ records: 6, batches: 2, invocations: 3, retries: 1 });
    expect(test.report).toMatchObject({ checkpoint: '6', atTip: true });
  });

  it('bisects a failing batch, retries the lone bad record, then discards it to the destination', async () => {
    // Prepare: any batch holding record 3 throws; 1 retry allowed
    const test = run({
      mapping: mapping({}, { bisectBatchOnFunctionError: true, maximumRetryAttempts: 1 }),
      reader: shard(5),
      script: (ids) => (ids.includes('3') ? thrown : ok),
    });

    // Act
    await test.drained;

    // Assess
    expect(test.deliveries).toEqual([
      ['1', '2', '3', '4'],
      ['1', '2'],
      ['3', '4'],
      ['3'],
      ['3'],
      ['4'],
      ['5'],
    ]);
    expect(test.report).toMatchObject({
      bisects: 2,
      retries: 1,
      discardedBatches: 1,
      discardedRecords: 1,
    });
    expect(test.sent).toHaveLength(1);
    expect(test.sent[0]?.requestContext).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 4,
    });
    expect(test.sent[0]?.responseContext).toEqual({
      statusCode: 200,
      executedVersion: '$LATEST',
      functionError: 'Unhandled',
    });
    expect(test.sent[0]?.KinesisBatchInfo).toMatchObject({
      shardId: SHARD,
      startSequenceNumber: '3',
      endSequenceNumber: '3',
      batchSize: 1,
    });
    expect(test.report).toMatchObject({ checkpoint: '5', atTip: true });
  });

  it('discards records older than MaximumRecordAgeInSeconds without invoking', async () => {
    // Prepare: records arrived 2 minutes ago; the limit is 60 s
    const test = run({
      mapping: mapping({}, { maximumRecordAgeInSeconds: 60 }),
      reader: shard(3, () => 'k', Date.now() - 120_000),
      script: () => ok,
    });

    // Act
    await test.drained;

    // Assess
    expect(test.deliveries).toEqual([]);
    expect(
      test.sent.map((m) => [m.requestContext.condition, m.KinesisBatchInfo.batchSize]),
    ).toEqual([['RecordAgeExceeded', 3]]);
    expect(test.sent[0]?.responseContext).toBeUndefined();
  });

  it('keeps one batch in flight per slot and a partition key in order with ParallelizationFactor 2', async () => {
    // Prepare: keys alternate; a batch waits until another batch is in flight at the same time
    const keys = (i: number) => (i % 2 === 0 ? 'even-key' : 'odd-key');
    let inFlight = 0;
    let maxInFlight = 0;
    const test = run({
      mapping: mapping({ parallelizationFactor: 2, batchSize: 2 }),
      reader: shard(8, keys),
      script: async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight -= 1;
        return ok;
      },
    });

    // Act
    await test.drained;

    // Assess: the two keys land in different slots (MD5), each slot's batches stay in order
    const even = test.deliveries.filter((d) => Number(d[0]) % 2 === 0);
    const odd = test.deliveries.filter((d) => Number(d[0]) % 2 === 1);
    expect(even).toEqual([
      ['2', '4'],
      ['6', '8'],
    ]);
    expect(odd).toEqual([
      ['1', '3'],
      ['5', '7'],
    ]);
    expect(maxInFlight).toBe(2);
    expect(test.report.checkpoint).toBe('8');
  });

  it('waits for the batching window before invoking a batch that is not full', async () => {
    // Prepare
    const started = Date.now();
    let invokedAt = 0;
    const test = run({
      mapping: mapping({ batchSize: 10, maximumBatchingWindowInSeconds: 1 }),
      reader: shard(3),
      script: () => {
        invokedAt = Date.now();
        return ok;
      },
    });

    // Act
    await test.drained;

    // Assess
    expect(test.deliveries).toEqual([['1', '2', '3']]);
    expect(invokedAt - started).toBeGreaterThanOrEqual(1_000);
  });
});
