import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { emptySummary } from '../../../shared/ingest/summary';
import { redriveFailureQueue } from '../../../shared/redrive/failure-queue';

const sqsMock = mockClient(SQSClient);
const kinesisMock = mockClient(KinesisClient);
const QUEUE_URL =
  'https://sqs.us-east-1.amazonaws.com/123456789012/streamlake-prod-ingest-failures';

/** A Lambda on-failure invocation record for a Kinesis batch (the documented shape). */
const invocationRecord = (start: string) =>
  JSON.stringify({
    requestContext: {
      requestId: 'c9b8fa9f-5a7f-4ce4-8f3b-12b7b5b4f7a1',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:streamlake-prod-ingest',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 10001,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: null },
    version: '1.0',
    timestamp: '2026-11-25T01:00:00.000Z',
    KinesisBatchInfo: {
      shardId: 'shardId-000000000001',
      startSequenceNumber: start,
      endSequenceNumber: start,
      approximateArrivalOfFirstRecord: '2026-11-24T13:30:00.000Z',
      approximateArrivalOfLastRecord: '2026-11-24T13:30:00.000Z',
      batchSize: 1,
      streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/streamlake-prod-IngestStream-ABC',
    },
  });

const message = (id: string, body: string, handle = `${id}-handle`) => ({
  MessageId: id,
  ReceiptHandle: handle,
  Body: body,
});

function redrive() {
  const ingested: string[] = [];
  const run = redriveFailureQueue({
    sqs: new SQSClient({}),
    queueUrl: QUEUE_URL,
    kinesis: new KinesisClient({}),
    ingest: async (records) => {
      ingested.push(...records.map((r) => r.kinesis.sequenceNumber));
      return { batchItemFailures: [], summary: emptySummary(records.length) };
    },
    pause: async () => undefined,
  });
  return { run, ingested };
}

describe('Function: redriveFailureQueue', () => {
  beforeEach(() => {
    sqsMock.reset();
    kinesisMock.reset();
    kinesisMock.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-0' });
    kinesisMock.on(GetRecordsCommand).callsFake(() => ({
      Records: [
        {
          SequenceNumber: String(
            kinesisMock.commandCalls(GetShardIteratorCommand).at(-1)?.args[0].input
              .StartingSequenceNumber,
          ),
          Data: Buffer.from('{}'),
          PartitionKey: 'k',
          ApproximateArrivalTimestamp: new Date(1_795_527_000_000),
        },
      ],
      NextShardIterator: 'it-1',
      MillisBehindLatest: 0,
    }));
  });

  it('takes one message at a time by long polling, deletes each redriven one and stops when none is left', async () => {
    // Prepare
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message('m-1', invocationRecord('10'))] })
      .resolvesOnce({ Messages: [message('m-2', invocationRecord('20'))] })
      .resolves({});

    // Act
    const { run, ingested } = redrive();
    const summary = await run;

    // Assess
    expect(summary).toEqual({ messages: 2, redriven: 2, records: 2, failed: [] });
    expect(ingested).toEqual(['10', '20']);
    for (const call of sqsMock.commandCalls(ReceiveMessageCommand))
      expect(call.args[0].input).toEqual({
        QueueUrl: QUEUE_URL,
        MaxNumberOfMessages: 1,
        VisibilityTimeout: 900,
        WaitTimeSeconds: 20,
      });
    expect(sqsMock.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE_URL, ReceiptHandle: 'm-1-handle' },
      { QueueUrl: QUEUE_URL, ReceiptHandle: 'm-2-handle' },
    ]);
  });

  it('makes one pass: a failed message that comes back is made visible at once and ends the run', async () => {
    // Prepare: m-1 is no invocation record; it reappears (its timeout ran out) after m-2
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message('m-1', '{"not":"an invocation record"}')] })
      .resolvesOnce({ Messages: [message('m-2', invocationRecord('20'))] })
      .resolvesOnce({ Messages: [message('m-1', '{"not":"an invocation record"}', 'm-1-again')] })
      .resolvesOnce({ Messages: [message('m-3', invocationRecord('30'))] })
      .resolves({});

    // Act
    const { run, ingested } = redrive();
    const summary = await run;

    // Assess: m-1 failed once and stays in the queue, visible again; m-3 is left to the next run
    expect([summary.messages, summary.redriven, summary.failed.map((f) => f.messageId)]).toEqual([
      2,
      1,
      ['m-1'],
    ]);
    expect(ingested).toEqual(['20']);
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(1);
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      ReceiptHandle: 'm-1-again',
      VisibilityTimeout: 0,
    });
  });
});
