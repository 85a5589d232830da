import { describe, expect, it } from 'vitest';
import { onFailureMessage } from '../../../local/runtime/on-failure';
import { batchInfoOf, OnFailureMessageError } from '../../../shared/redrive/on-failure-message';

/** The on-failure destination message (developer guide, kinesis-on-failure-destination). */

const STREAM_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/streamlake-local-IngestStream';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:streamlake-local-ingest';
const batch = {
  records: [
    {
      sequenceNumber: '49601189658422359378836298521827638475320189012309704722',
      arrivalMs: Date.UTC(2019, 10, 14, 0, 38, 4, 835),
    },
    {
      sequenceNumber: '49601189658422359378836298522902373528957594348623495186',
      arrivalMs: Date.UTC(2019, 10, 14, 0, 38, 5, 580),
    },
  ],
  condition: 'RetryAttemptsExhausted' as const,
  shardId: 'shardId-000000000001',
  streamArn: STREAM_ARN,
  functionArn: FUNCTION_ARN,
  invocations: 4,
  requestId: 'c9b8fa9f-5a7f-xmpl-af9c-0c604cde93a5',
  lastFunctionError: true,
  nowMs: Date.UTC(2019, 10, 14, 0, 38, 6, 21),
};

describe('Function: onFailureMessage', () => {
  it('has the documented shape: request and response context, version, timestamp, batch info', () => {
    // Act
    const message = onFailureMessage(batch);

    // Assess
    expect(message).toEqual({
      requestContext: {
        requestId: 'c9b8fa9f-5a7f-xmpl-af9c-0c604cde93a5',
        functionArn: FUNCTION_ARN,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 4,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2019-11-14T00:38:06.021Z',
      KinesisBatchInfo: {
        shardId: 'shardId-000000000001',
        startSequenceNumber: '49601189658422359378836298521827638475320189012309704722',
        endSequenceNumber: '49601189658422359378836298522902373528957594348623495186',
        approximateArrivalOfFirstRecord: '2019-11-14T00:38:04.835Z',
        approximateArrivalOfLastRecord: '2019-11-14T00:38:05.580Z',
        batchSize: 2,
        streamArn: STREAM_ARN,
      },
    });
  });

  it('omits functionError after a partial response and responseContext when never invoked', () => {
    // Act
    const partial = onFailureMessage({ ...batch, lastFunctionError: false });
    const expired = onFailureMessage({ ...batch, invocations: 0, condition: 'RecordAgeExceeded' });

    // Assess
    expect(partial.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(expired.responseContext).toBeUndefined();
    expect(expired.requestContext.condition).toBe('RecordAgeExceeded');
  });
});

describe('Function: batchInfoOf', () => {
  it('reads the shard and sequence range back from a message body', () => {
    // Prepare
    const body = JSON.stringify(onFailureMessage(batch));

    // Act
    const info = batchInfoOf(body);

    // Assess
    expect(info).toMatchObject({
      shardId: 'shardId-000000000001',
      startSequenceNumber: '49601189658422359378836298521827638475320189012309704722',
      endSequenceNumber: '49601189658422359378836298522902373528957594348623495186',
      streamArn: STREAM_ARN,
    });
  });

  it.each([
    ['not JSON', 'nope'],
    ['no batch info', '{"requestContext":{}}'],
    [
      'a reversed range',
      JSON.stringify({
        KinesisBatchInfo: {
          shardId: 's',
          streamArn: 'a',
          startSequenceNumber: '9',
          endSequenceNumber: '10',
        },
      }).replace('"9"', '"11"'),
    ],
  ])('rejects a body that is %s', (_name, body) => {
    // Act
    const reading = () => batchInfoOf(body);

    // Assess
    expect(reading).toThrow(OnFailureMessageError);
  });
});
