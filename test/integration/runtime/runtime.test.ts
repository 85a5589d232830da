import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  KinesisClient,
  PutRecordsCommand,
  type PutRecordsResultEntry,
} from '@aws-sdk/client-kinesis';
import {
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { EventBridgeEvent, KinesisStreamEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../local/aws/provision';
import { readTemplate } from '../../../local/aws/template';
import { LocalRuntime } from '../../../local/runtime/local-runtime';
import { formatReport } from '../../../local/runtime/report';
import { kinesisClientConfig } from '../../../shared/aws/clients';
import type { KinesisOnFailureMessage } from '../../../shared/redrive/on-failure-message';
import { scriptedHandler } from '../../helpers/fault-scripted-handler';
import { provisionRuntimeStack, testFunction } from './runtime-stack';

/**
 * The local runtime against the local AWS, with a scripted handler: event shapes, context, the
 * template's settings, partial responses, discards to the on-failure queue, SQS partial batch
 * responses and the queue's redrive policy. The mapping settings below are the test's template.
 */

const HANDLER = 'test/helpers/fault-scripted-handler.handler';

function testResources() {
  const template = readTemplate();
  return {
    RuntimeTestStream: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 2 } },
    RuntimeTestFailureQueue: { Type: 'AWS::SQS::Queue', Properties: {} },
    RuntimeTestDlq: { Type: 'AWS::SQS::Queue', Properties: {} },
    RuntimeTestQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        VisibilityTimeout: 1,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': ['RuntimeTestDlq', 'Arn'] },
          maxReceiveCount: 2,
        },
      },
    },
    RuntimeTestFunction: testFunction(template, HANDLER, {
      FunctionName: 'streamlake-local-runtime-test',
      Timeout: 2,
      Environment: {
        Variables: {
          RUNTIME_TEST_MARK: 'from-template',
          RUNTIME_TEST_QUEUE: { Ref: 'RuntimeTestQueue' },
        },
      },
    }),
    RuntimeTestStreamMapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: { 'Fn::GetAtt': ['RuntimeTestStream', 'Arn'] },
        FunctionName: { 'Fn::GetAtt': ['RuntimeTestFunction', 'Arn'] },
        BatchSize: 4,
        StartingPosition: 'TRIM_HORIZON',
        MaximumRetryAttempts: 1,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': ['RuntimeTestFailureQueue', 'Arn'] } },
        },
      },
    },
    RuntimeTestAsyncFailureQueue: { Type: 'AWS::SQS::Queue', Properties: {} },
    RuntimeTestInvokeConfig: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: { Ref: 'RuntimeTestFunction' },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': ['RuntimeTestAsyncFailureQueue', 'Arn'] } },
        },
      },
    },
    RuntimeTestRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: 'streamlake-local-runtime-test-rule',
        EventPattern: { source: ['streamlake.test'] },
        Targets: [{ Arn: { 'Fn::GetAtt': ['RuntimeTestFunction', 'Arn'] }, Id: 'runtime-test' }],
      },
    },
    RuntimeTestSchedule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: 'streamlake-local-runtime-test-schedule',
        ScheduleExpression: 'rate(1 hour)',
        Targets: [
          { Arn: { 'Fn::GetAtt': ['RuntimeTestFunction', 'Arn'] }, Id: 'runtime-test-schedule' },
        ],
      },
    },
    RuntimeTestQueueMapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: { 'Fn::GetAtt': ['RuntimeTestQueue', 'Arn'] },
        FunctionName: { 'Fn::GetAtt': ['RuntimeTestFunction', 'Arn'] },
        BatchSize: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
    },
  };
}

let stack: LocalStack;
let runtime: LocalRuntime;
let kinesis: KinesisClient;
let sqs: SQSClient;
let events: EventBridgeClient;

const kinesisEvents = () =>
  scriptedHandler.invocations
    .map((i) => i.event as KinesisStreamEvent)
    .filter((e) => e.Records[0]?.eventSource === 'aws:kinesis');
const sqsEvents = () =>
  scriptedHandler.invocations
    .map((i) => i.event as SQSEvent)
    .filter((e) => e.Records[0]?.eventSource === 'aws:sqs');

async function putRecords(count: number, prefix: string): Promise<PutRecordsResultEntry[]> {
  const out = await kinesis.send(
    new PutRecordsCommand({
      StreamName: stack.resources.RuntimeTestStream,
      Records: Array.from({ length: count }, (_, i) => ({
        PartitionKey: `${prefix}-${i}`,
        Data: Buffer.from(`${prefix}-${i}`),
      })),
    }),
  );
  return out.Records ?? [];
}

async function queueUrl(logicalId: string): Promise<string> {
  const name = (stack.resources[logicalId] ?? '').split('/').pop();
  const out = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  return out.QueueUrl ?? '';
}

async function receiveAll(url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }),
    );
    if (!out.Messages?.length) return bodies;
    bodies.push(...out.Messages.map((m) => m.Body ?? ''));
  }
}

beforeAll(async () => {
  stack = await provisionRuntimeStack(testResources());
  const base = {
    endpoint: stack.endpoint,
    region: stack.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  kinesis = new KinesisClient({
    ...base,
    ...kinesisClientConfig({ AWS_ENDPOINT_URL: stack.endpoint }),
  });
  sqs = new SQSClient(base);
  events = new EventBridgeClient(base);
  runtime = await LocalRuntime.fromStack(stack, {
    only: (source) =>
      source.kind === 'rule'
        ? source.rule.startsWith('streamlake-local-runtime-test')
        : source.logicalId.startsWith('RuntimeTest'),
    asyncRetryDelaysMs: [50],
    pollIntervalMs: 50,
    retryBaseDelayMs: 0,
    warn: () => undefined,
  });
});

afterAll(async () => {
  await runtime?.stop();
});

beforeEach(() => {
  scriptedHandler.invocations.length = 0;
  scriptedHandler.script = () => undefined;
});

describe('Class: LocalRuntime (Kinesis)', () => {
  it('delivers every record once, in shard order, in the real event shape with a realistic context', async () => {
    // Prepare
    const put = await putRecords(19, 'a');

    // Act
    const report = await runtime.drainStreams({ timeoutMs: 30_000 });

    // Assess
    const events = kinesisEvents();
    const delivered = events.flatMap((e) => e.Records.map((r) => r.eventID));
    expect(delivered.sort()).toEqual(put.map((p) => `${p.ShardId}:${p.SequenceNumber}`).sort());
    expect(events.every((e) => e.Records.length <= 4)).toBe(true);
    for (const shardId of new Set(put.map((p) => p.ShardId))) {
      const sequence = events
        .flatMap((e) => e.Records)
        .filter((r) => r.eventID.startsWith(`${shardId}:`))
        .map((r) => BigInt(r.kinesis.sequenceNumber));
      expect(sequence).toEqual([...sequence].sort((x, y) => (x < y ? -1 : 1)));
    }
    const record = events[0]?.Records[0];
    expect(record).toMatchObject({
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventName: 'aws:kinesis:record',
      awsRegion: 'us-east-1',
      eventSourceARN: `arn:aws:kinesis:us-east-1:123456789012:stream/${stack.resources.RuntimeTestStream}`,
      kinesis: { kinesisSchemaVersion: '1.0' },
    });
    expect(Buffer.from(record?.kinesis.data ?? '', 'base64').toString()).toBe(
      record?.kinesis.partitionKey,
    );
    const { context, markAtColdStart } = scriptedHandler.invocations[0] ?? {};
    expect(markAtColdStart).toBe('from-template');
    expect(context).toMatchObject({
      functionName: 'streamlake-local-runtime-test',
      functionVersion: '$LATEST',
      invokedFunctionArn:
        'arn:aws:lambda:us-east-1:123456789012:function:streamlake-local-runtime-test',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/streamlake-local-runtime-test',
    });
    expect(context?.getRemainingTimeInMillis()).toBeLessThanOrEqual(2_000);
    expect(report.shards.map((s) => s.atTip)).toEqual([true, true]);
    expect(report.shards.reduce((n, s) => n + s.records, 0)).toBe(19);
    console.log(formatReport(report));
  });

  it('redelivers from the lowest reported record, and sends a batch that exhausts retries to the on-failure queue', async () => {
    // Prepare: one poisoned record fails every time; another fails once
    const put = await putRecords(9, 'b');
    const poisoned = put[2];
    const flaky = put[5];
    let flakyFailed = false;
    scriptedHandler.script = (event) => {
      const ids = (event as KinesisStreamEvent).Records.map((r) => r.kinesis.sequenceNumber);
      const shardOf = (event as KinesisStreamEvent).Records[0]?.eventID.split(':')[0];
      const failures: string[] = [];
      if (shardOf === poisoned?.ShardId && ids.includes(poisoned?.SequenceNumber ?? ''))
        failures.push(poisoned?.SequenceNumber ?? '');
      if (shardOf === flaky?.ShardId && ids.includes(flaky?.SequenceNumber ?? '') && !flakyFailed) {
        flakyFailed = true;
        failures.push(flaky?.SequenceNumber ?? '');
      }
      return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
    };

    // Act
    const report = await runtime.drainStreams({ timeoutMs: 30_000 });
    const messages = (await receiveAll(await queueUrl('RuntimeTestFailureQueue'))).map(
      (body) => JSON.parse(body) as KinesisOnFailureMessage,
    );

    // Assess: exactly the poisoned record was given up; the shard moved on to the tip
    expect(messages.map((m) => m.KinesisBatchInfo)).toEqual([
      expect.objectContaining({
        shardId: poisoned?.ShardId,
        startSequenceNumber: poisoned?.SequenceNumber,
        endSequenceNumber: poisoned?.SequenceNumber,
        batchSize: 1,
        streamArn: `arn:aws:kinesis:us-east-1:123456789012:stream/${stack.resources.RuntimeTestStream}`,
      }),
    ]);
    expect(messages[0]).toMatchObject({
      version: '1.0',
      requestContext: {
        condition: 'RetryAttemptsExhausted',
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:streamlake-local-runtime-test',
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
    });
    const delivered = kinesisEvents().flatMap((e) =>
      e.Records.map((r) => r.kinesis.sequenceNumber),
    );
    const flakyDeliveries = delivered.filter((s) => s === flaky?.SequenceNumber);
    expect(flakyDeliveries.length).toBeGreaterThanOrEqual(2);
    expect(report.shards.every((s) => s.atTip)).toBe(true);
  });
});

describe('Class: LocalRuntime (SQS)', () => {
  it('deletes what succeeded, redelivers a reported message, and the queue moves it to its DLQ after maxReceiveCount', async () => {
    // Prepare: message "bad" is always reported as failed
    const url = await queueUrl('RuntimeTestQueue');
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: ['m1', 'm2', 'bad', 'm3', 'm4', 'm5', 'm6'].map((body, i) => ({
          Id: String(i),
          MessageBody: body,
          MessageAttributes: { origin: { DataType: 'String', StringValue: 'test' } },
        })),
      }),
    );
    scriptedHandler.script = (event) => ({
      batchItemFailures: (event as SQSEvent).Records.filter((r) => r.body === 'bad').map((r) => ({
        itemIdentifier: r.messageId,
      })),
    });

    // Act
    const report = await runtime.drainQueues({ timeoutMs: 30_000 });
    const dead = await receiveAll(await queueUrl('RuntimeTestDlq'));

    // Assess
    const records = sqsEvents().flatMap((e) => e.Records);
    expect(sqsEvents().every((e) => e.Records.length <= 5)).toBe(true);
    expect(
      records
        .filter((r) => r.body !== 'bad')
        .map((r) => r.body)
        .sort(),
    ).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(
      records.filter((r) => r.body === 'bad').map((r) => r.attributes.ApproximateReceiveCount),
    ).toEqual(['1', '2']);
    expect(records[0]).toMatchObject({
      eventSource: 'aws:sqs',
      awsRegion: 'us-east-1',
      messageAttributes: { origin: { stringValue: 'test', dataType: 'String' } },
    });
    expect(dead).toEqual(['bad']);
    expect(report.queues).toEqual([
      expect.objectContaining({
        queueName: expect.any(String),
        received: 8,
        deleted: 6,
        failed: 2,
      }),
    ]);
  });
});

describe('Class: LocalRuntime (EventBridge rules, asynchronous invocation)', () => {
  it('invokes the function with each matched event, retries a failing one, then sends its invocation record to the on-failure destination', async () => {
    // Prepare: events whose detail says so make the handler throw
    scriptedHandler.script = (event) => {
      if ((event as EventBridgeEvent<string, { fail?: boolean }>).detail.fail)
        throw new Error('cannot handle this event');
      return { ok: true };
    };
    await events.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'streamlake.test', DetailType: 'Test Event', Detail: JSON.stringify({ n: 1 }) },
          {
            Source: 'streamlake.test',
            DetailType: 'Test Event',
            Detail: JSON.stringify({ n: 2, fail: true }),
          },
          { Source: 'other.source', DetailType: 'Test Event', Detail: JSON.stringify({ n: 3 }) },
        ],
      }),
    );

    // Act
    const report = await runtime.drainQueues({ timeoutMs: 30_000 });
    const records = (await receiveAll(await queueUrl('RuntimeTestAsyncFailureQueue'))).map(
      (body) => JSON.parse(body) as Record<string, unknown>,
    );

    // Assess: the matched events only, the failing one twice (MaximumRetryAttempts 1)
    const received = scriptedHandler.invocations.map(
      (i) => i.event as EventBridgeEvent<string, { n: number }>,
    );
    expect(received.map((e) => e.detail.n).sort()).toEqual([1, 2, 2]);
    expect(received[0]).toMatchObject({
      source: 'streamlake.test',
      'detail-type': 'Test Event',
      version: '0',
    });
    expect(records).toEqual([
      {
        version: '1.0',
        timestamp: expect.any(String),
        requestContext: {
          requestId: expect.any(String),
          functionArn:
            'arn:aws:lambda:us-east-1:123456789012:function:streamlake-local-runtime-test:$LATEST',
          condition: 'RetriesExhausted',
          approximateInvokeCount: 2,
        },
        requestPayload: expect.objectContaining({ detail: { n: 2, fail: true } }),
        responseContext: {
          statusCode: 200,
          executedVersion: '$LATEST',
          functionError: 'Unhandled',
        },
        responsePayload: expect.objectContaining({
          errorType: 'Error',
          errorMessage: 'cannot handle this event',
        }),
      },
    ]);
    expect(report.rules).toEqual([
      expect.objectContaining({
        rule: 'streamlake-local-runtime-test-rule',
        events: 2,
        invocations: 3,
        succeeded: 1,
        failed: 1,
      }),
    ]);
  });

  it('invokes the target of a schedule rule on demand with a Scheduled Event', async () => {
    // Act
    const result = await runtime.invokeSchedule('streamlake-local-runtime-test-schedule');

    // Assess
    expect(result).toMatchObject({ condition: 'Success', attempts: 1 });
    expect(scriptedHandler.invocations[0]?.event).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      region: 'us-east-1',
      resources: [
        'arn:aws:events:us-east-1:123456789012:rule/streamlake-local-runtime-test-schedule',
      ],
      detail: {},
    });
  });
});
