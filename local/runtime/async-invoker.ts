import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AsyncCondition,
  type AsyncSettings,
  asyncInvocationRecord,
  nextAsyncStep,
} from './async-rules';
import type { DestinationSender } from './destinations';
import type { LocalFunction } from './local-function';
import type { InvokeOutcome } from './stream-rules';

/** How an asynchronously invoked event ended. */
export interface AsyncResult {
  readonly condition: AsyncCondition;
  readonly attempts: number;
  readonly outcome: InvokeOutcome;
}

export interface AsyncInvokeOptions {
  readonly settings: AsyncSettings;
  readonly send: DestinationSender;
  /**
   * Waits before the 1st and 2nd retry. Lambda waits about 1 and 2 minutes; the local runtime
   * compresses them (default 1 s and 2 s) and keeps the number of attempts.
   */
  readonly retryDelaysMs: readonly number[];
  /** When the event was queued (its age counts from there). */
  readonly enqueuedAtMs: number;
  readonly now: () => number;
}

/**
 * Invokes a function with an event the way Lambda's asynchronous invocation does (EventBridge,
 * S3 direct notifications, schedules): retries, age limit, then the destination's record.
 */
export async function invokeAsync(
  fn: Pick<LocalFunction, 'spec' | 'invoke'>,
  event: unknown,
  options: AsyncInvokeOptions,
): Promise<AsyncResult> {
  const { settings } = options;
  for (let attempts = 1; ; attempts += 1) {
    const { outcome, requestId } = await fn.invoke(event);
    const step = nextAsyncStep(outcome, attempts, options.now() - options.enqueuedAtMs, settings);
    if (step.kind === 'retry') {
      await sleep(options.retryDelaysMs[attempts - 1] ?? options.retryDelaysMs.at(-1) ?? 0);
      continue;
    }
    const condition = step.kind === 'done' ? 'Success' : step.condition;
    const destination = step.kind === 'done' ? settings.onSuccess : settings.onFailure;
    if (destination) {
      const record = asyncInvocationRecord({
        outcome,
        condition,
        event,
        functionArn: fn.spec.arn,
        requestId,
        attempts,
        nowMs: options.now(),
      });
      await options.send(destination, JSON.stringify(record));
    }
    return { condition, attempts, outcome };
  }
}
