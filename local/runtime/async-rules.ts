import type { InvokeOutcome } from './stream-rules';

/**
 * Asynchronous invocation rules, pure (Lambda developer guide: invocation-async,
 * invocation-async-error-handling, "Example invocation record"): a function error is retried up
 * to `MaximumRetryAttempts` times (0-2, default 2); an event older than
 * `MaximumEventAgeInSeconds` (default 6 h) is not retried; then the on-failure destination gets
 * the invocation record, with the request and the error.
 */

/** The function's EventInvokeConfig, as in the template. */
export interface AsyncSettings {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeInSeconds: number;
  readonly onFailure: string | undefined;
  readonly onSuccess: string | undefined;
}

/** Lambda's defaults when the template has no EventInvokeConfig. */
export const DEFAULT_ASYNC_SETTINGS: AsyncSettings = {
  maximumRetryAttempts: 2,
  maximumEventAgeInSeconds: 21_600,
  onFailure: undefined,
  onSuccess: undefined,
};

export type AsyncCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

export type AsyncStep =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry' }
  | { readonly kind: 'give-up'; readonly condition: Exclude<AsyncCondition, 'Success'> };

/**
 * What follows an attempt (`attempts` counts it) of an event that has been waiting `ageMs`.
 * @example nextAsyncStep({ kind: 'error', error }, 3, 1_000, DEFAULT_ASYNC_SETTINGS) // give-up, RetriesExhausted
 */
export function nextAsyncStep(
  outcome: InvokeOutcome,
  attempts: number,
  ageMs: number,
  settings: AsyncSettings,
): AsyncStep {
  if (outcome.kind === 'returned') return { kind: 'done' };
  if (attempts > settings.maximumRetryAttempts)
    return { kind: 'give-up', condition: 'RetriesExhausted' };
  if (ageMs >= settings.maximumEventAgeInSeconds * 1000)
    return { kind: 'give-up', condition: 'EventAgeExceeded' };
  return { kind: 'retry' };
}

/** The response payload of a failed invocation, as the Node.js runtime serialises an error. */
export function errorPayloadOf(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { errorType: 'Error', errorMessage: String(error) };
  return {
    errorType: error.name,
    errorMessage: error.message,
    trace: (error.stack ?? '').split('\n'),
  };
}

/** The invocation record an asynchronous destination receives. */
export interface AsyncInvocationRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: AsyncCondition;
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    readonly functionError?: string;
  };
  readonly responsePayload: unknown;
}

/** Builds the record for an event's final outcome. */
export function asyncInvocationRecord(input: {
  readonly outcome: InvokeOutcome;
  readonly condition: AsyncCondition;
  readonly event: unknown;
  readonly functionArn: string;
  readonly requestId: string;
  readonly attempts: number;
  readonly nowMs: number;
}): AsyncInvocationRecord {
  const failed = input.outcome.kind === 'error';
  return {
    version: '1.0',
    timestamp: new Date(input.nowMs).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: `${input.functionArn}:$LATEST`,
      condition: input.condition,
      approximateInvokeCount: input.attempts,
    },
    requestPayload: input.event,
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(failed ? { functionError: 'Unhandled' } : {}),
    },
    responsePayload:
      input.outcome.kind === 'error' ? errorPayloadOf(input.outcome.error) : input.outcome.response,
  };
}

/** The event an EventBridge schedule rule sends its target (EventBridge user guide). */
export function scheduledEventOf(input: {
  readonly ruleArn: string;
  readonly id: string;
  readonly nowMs: number;
}): Record<string, unknown> {
  const [, , , region, account] = input.ruleArn.split(':');
  return {
    version: '0',
    id: input.id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account,
    time: `${new Date(input.nowMs).toISOString().slice(0, 19)}Z`,
    region,
    resources: [input.ruleArn],
    detail: {},
  };
}
