import { describe, expect, it } from 'vitest';
import { sqsRecordOf, sqsVerdictOf } from '../../../local/runtime/sqs-rules';

/** SQS event-source mapping rules (developer guide: with-sqs, services-sqs-errorhandling). */

const IDS = ['059f36b4-87a3-44ab-83d2-661975830a7d', '2e1424d4-f796-459a-8184-9c92662be6da'];
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:streamlake-local-crawler-events';
const returned = (response: unknown) => ({ kind: 'returned' as const, response });

describe('Function: sqsRecordOf', () => {
  it('builds the record Lambda delivers, attributes and message attributes included', () => {
    // Prepare
    const message = {
      MessageId: IDS[0],
      ReceiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
      Body: 'Test message.',
      MD5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      MD5OfMessageAttributes: '00484c68...59e48f06',
      Attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1545082649183',
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: '1545082649185',
        VisibilityTimeout: '30',
      },
      MessageAttributes: {
        myAttribute: { StringValue: 'myValue', DataType: 'String' },
        raw: { BinaryValue: Buffer.from('hi'), DataType: 'Binary' },
      },
    };

    // Act
    const record = sqsRecordOf(message, QUEUE_ARN, 'us-east-1');

    // Assess
    expect(record).toEqual({
      messageId: IDS[0],
      receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
      body: 'Test message.',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1545082649183',
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: '1545082649185',
      },
      messageAttributes: {
        myAttribute: {
          stringValue: 'myValue',
          stringListValues: [],
          binaryListValues: [],
          dataType: 'String',
        },
        raw: {
          binaryValue: 'aGk=',
          stringListValues: [],
          binaryListValues: [],
          dataType: 'Binary',
        },
      },
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      md5OfMessageAttributes: '00484c68...59e48f06',
      eventSource: 'aws:sqs',
      eventSourceARN: QUEUE_ARN,
      awsRegion: 'us-east-1',
    });
  });
});

describe('Function: sqsVerdictOf', () => {
  it('keeps only the listed messages on a partial batch response', () => {
    // Act
    const verdict = sqsVerdictOf(
      returned({ batchItemFailures: [{ itemIdentifier: IDS[1] }] }),
      IDS,
      true,
    );

    // Assess
    expect(verdict).toEqual({ kind: 'partial', failed: new Set([IDS[1]]) });
  });

  it.each([
    ['an empty list', { batchItemFailures: [] }],
    ['a null list', { batchItemFailures: null }],
    ['a null response', null],
  ])('treats %s as success: every message is deleted', (_name, response) => {
    // Act
    const verdict = sqsVerdictOf(returned(response), IDS, true);

    // Assess
    expect(verdict).toEqual({ kind: 'success' });
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a bad key name', { batchItemFailures: [{ messageId: IDS[0] }] }],
    ['a message id not in the batch', { batchItemFailures: [{ itemIdentifier: 'nope' }] }],
    ['a response that is not an object', 'ok'],
  ])('fails the whole batch for %s', (_name, response) => {
    // Act
    const verdict = sqsVerdictOf(returned(response), IDS, true);

    // Assess
    expect(verdict.kind).toBe('failure');
  });

  it('fails the whole batch when the function throws', () => {
    // Act
    const verdict = sqsVerdictOf({ kind: 'error', error: new Error('x') }, IDS, true);

    // Assess
    expect(verdict).toEqual({ kind: 'failure', reason: 'function error' });
  });

  it('deletes every message when ReportBatchItemFailures is off, whatever the response', () => {
    // Act
    const verdict = sqsVerdictOf(
      returned({ batchItemFailures: [{ itemIdentifier: IDS[0] }] }),
      IDS,
      false,
    );

    // Assess
    expect(verdict).toEqual({ kind: 'success' });
  });
});
