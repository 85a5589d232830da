import { describe, expect, it } from 'vitest';
import {
  asyncInvocationRecord,
  DEFAULT_ASYNC_SETTINGS,
  nextAsyncStep,
  scheduledEventOf,
} from '../../../local/runtime/async-rules';

/** Asynchronous invocation (developer guide: invocation-async, invocation-async-error-handling). */

const error = { kind: 'error' as const, error: new Error('boom') };

describe('Function: nextAsyncStep', () => {
  it('retries a function error twice by default, then gives up', () => {
    // Act
    const steps = [1, 2, 3].map(
      (attempts) => nextAsyncStep(error, attempts, 0, DEFAULT_ASYNC_SETTINGS).kind,
    );

    // Assess
    expect(steps).toEqual(['retry', 'retry', 'give-up']);
  });

  it('does not retry an event older than MaximumEventAgeInSeconds', () => {
    // Act
    const step = nextAsyncStep(error, 1, 3_600_000, {
      ...DEFAULT_ASYNC_SETTINGS,
      maximumEventAgeInSeconds: 3600,
    });

    // Assess
    expect(step).toEqual({ kind: 'give-up', condition: 'EventAgeExceeded' });
  });

  it('is done after a returned response, whatever it holds', () => {
    // Act
    const step = nextAsyncStep(
      { kind: 'returned', response: { anything: 1 } },
      1,
      0,
      DEFAULT_ASYNC_SETTINGS,
    );

    // Assess
    expect(step).toEqual({ kind: 'done' });
  });
});

describe('Function: asyncInvocationRecord', () => {
  it('has the documented shape of an on-failure invocation record', () => {
    // Act
    const record = asyncInvocationRecord({
      outcome: {
        kind: 'error',
        error: Object.assign(new Error('cannot'), { stack: 'Error: cannot\n    at x' }),
      },
      condition: 'RetriesExhausted',
      event: { ORDER_IDS: ['9e07af03'] },
      functionArn: 'arn:aws:lambda:us-east-2:123456789012:function:my-function',
      requestId: 'e4b46cbf-b738-xmpl-8880-a18cdf61200e',
      attempts: 3,
      nowMs: Date.UTC(2019, 10, 14, 18, 16, 5, 568),
    });

    // Assess
    expect(record).toEqual({
      version: '1.0',
      timestamp: '2019-11-14T18:16:05.568Z',
      requestContext: {
        requestId: 'e4b46cbf-b738-xmpl-8880-a18cdf61200e',
        functionArn: 'arn:aws:lambda:us-east-2:123456789012:function:my-function:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { ORDER_IDS: ['9e07af03'] },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: {
        errorType: 'Error',
        errorMessage: 'cannot',
        trace: ['Error: cannot', '    at x'],
      },
    });
  });
});

describe('Function: scheduledEventOf', () => {
  it('builds the Scheduled Event EventBridge sends a schedule target', () => {
    // Act
    const event = scheduledEventOf({
      ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/streamlake-local-freshness',
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      nowMs: Date.UTC(2026, 10, 24, 16, 5, 0, 123),
    });

    // Assess
    expect(event).toEqual({
      version: '0',
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: '2026-11-24T16:05:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:123456789012:rule/streamlake-local-freshness'],
      detail: {},
    });
  });
});
