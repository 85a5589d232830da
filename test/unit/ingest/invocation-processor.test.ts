import {
  BatchProcessor,
  BatchProcessorSync,
  EventType,
  processPartialResponse,
  processPartialResponseSync,
} from '@aws-lambda-powertools/batch';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { InvocationBatchProcessor } from '../../../shared/ingest/invocation-processor';
import { loadKinesisEvent } from '../../helpers/fixtures';

const event = loadKinesisEvent('clickstream-partitions');
const records = event.Records;

/** Fails the records whose position in `records` is in `failing`, after yielding once. */
const failAt =
  (batch: readonly KinesisStreamRecord[], failing: readonly number[]) =>
  async (record: KinesisStreamRecord): Promise<string> => {
    await new Promise((resolve) => setImmediate(resolve));
    if (failing.includes(batch.indexOf(record)))
      throw new Error(`record ${record.kinesis.sequenceNumber} failed`);
    return record.kinesis.sequenceNumber;
  };

const processEnv = process.env;
afterEach(() => {
  process.env = processEnv;
});

/** Replaces `process.env` with a view of it that counts the reads of `name`. */
function countEnvReads(name: string): () => number {
  let reads = 0;
  process.env = new Proxy(processEnv, {
    get(target, key, receiver) {
      if (key === name) reads += 1;
      return Reflect.get(target, key, receiver);
    },
  });
  return () => reads;
}

describe('InvocationBatchProcessor', () => {
  it.each([
    ['no record fails', []],
    ['some records fail', [1, 4, 5]],
  ] as const)('responds as Powertools’ BatchProcessor does when %s', async (_, failing) => {
    for (const processInParallel of [false, true]) {
      const options = { processInParallel, throwOnFullBatchFailure: false };
      const handler = failAt(records, failing);
      const expected = await processPartialResponse(
        event,
        handler,
        new BatchProcessor(EventType.KinesisDataStreams),
        options,
      );
      const actual = await processPartialResponse(
        event,
        handler,
        new InvocationBatchProcessor(),
        options,
      );
      expect(actual).toEqual(expected);
      expect(actual.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
        failing.map((i) => records[i]?.kinesis.sequenceNumber),
      );
    }
  });

  it.each([
    ['no record fails', []],
    ['some records fail', [0, 2, 5]],
  ] as const)(
    'processes synchronously as Powertools’ BatchProcessorSync does when %s',
    (_, failing) => {
      // Prepare: a handler that returns at once, as ingest's decoding does
      const failed = new Set<number>(failing);
      const seen: string[] = [];
      const handler = (record: KinesisStreamRecord): string => {
        seen.push(record.kinesis.sequenceNumber);
        if (failed.has(records.indexOf(record)))
          throw new Error(`record ${record.kinesis.sequenceNumber} failed`);
        return record.kinesis.sequenceNumber;
      };
      const options = { throwOnFullBatchFailure: false };
      // Act
      const expected = processPartialResponseSync(
        event,
        handler,
        new BatchProcessorSync(EventType.KinesisDataStreams),
        options,
      );
      seen.length = 0;
      const processor = new InvocationBatchProcessor();
      processor.register(records, handler, options);
      const processed = processor.processSync();
      // Assess: every record once, in order; the same outcomes and response
      expect(seen).toEqual(records.map((r) => r.kinesis.sequenceNumber));
      expect(processed.map(([status]) => status)).toEqual(
        records.map((_, i) => (failed.has(i) ? 'fail' : 'success')),
      );
      expect(processor.response()).toEqual(expected);
      expect(expected.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
        failing.map((i) => records[i]?.kinesis.sequenceNumber),
      );
    },
  );

  it('throws FullBatchFailureError when every record fails, as Powertools does', async () => {
    const all = records.map((_, i) => i);
    await expect(
      processPartialResponse(event, failAt(records, all), new InvocationBatchProcessor()),
    ).rejects.toThrow('All records failed processing');
  });

  it('reads process.env a fixed number of times, however many records the batch has', async () => {
    const many: KinesisStreamEvent = { Records: [...records, ...records, ...records] };
    const reads = countEnvReads('AWS_LAMBDA_MAX_CONCURRENCY');
    await processPartialResponse(many, async () => undefined, new InvocationBatchProcessor());
    expect(reads()).toBe(0);
    // The reason for the class: Powertools' own processor asks on every state access.
    await processPartialResponse(
      many,
      async () => undefined,
      new BatchProcessor(EventType.KinesisDataStreams),
    );
    expect(reads()).toBeGreaterThanOrEqual(3 * many.Records.length);
  });

  it('keeps concurrent invocations apart when the process serves several at once', async () => {
    process.env = { ...processEnv, AWS_LAMBDA_MAX_CONCURRENCY: '4' };
    const first = records.slice(0, 3);
    const second = records.slice(3);
    const [a, b] = await Promise.all([
      processPartialResponse(
        { Records: first },
        failAt(first, [1]),
        new InvocationBatchProcessor(),
      ),
      processPartialResponse(
        { Records: second },
        failAt(second, [0, 2]),
        new InvocationBatchProcessor(),
      ),
    ]);
    expect(a.batchItemFailures).toEqual([{ itemIdentifier: first[1]?.kinesis.sequenceNumber }]);
    expect(b.batchItemFailures).toEqual([
      { itemIdentifier: second[0]?.kinesis.sequenceNumber },
      { itemIdentifier: second[2]?.kinesis.sequenceNumber },
    ]);
  });
});
