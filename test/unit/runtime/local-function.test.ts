import { describe, expect, it } from 'vitest';
import { FunctionTimeoutError } from '../../../local/runtime/errors';
import { type LambdaHandler, LocalFunction } from '../../../local/runtime/local-function';
import type { FunctionSpec } from '../../../local/runtime/mappings';

const spec: FunctionSpec = {
  logicalId: 'SlowLambdaFunction',
  name: 'streamlake-local-slow',
  arn: 'arn:aws:lambda:us-east-1:123456789012:function:streamlake-local-slow',
  handler: 'handlers/slow.handler',
  timeoutSeconds: 0.05,
  memoryMb: 128,
  environment: {},
  roleArn: 'arn:aws:iam::123456789012:role/slow',
  async: {
    maximumRetryAttempts: 2,
    maximumEventAgeInSeconds: 21_600,
    onFailure: undefined,
    onSuccess: undefined,
  },
};

/** A function whose handler sleeps `sleepsMs[n]` on its n-th invocation, in whatever environment. */
function slowFunction(sleepsMs: number[]) {
  let invocation = 0;
  const handler: LambdaHandler = async () => {
    const ms = sleepsMs[invocation] ?? 0;
    invocation += 1;
    await new Promise((done) => setTimeout(done, ms));
    return { ok: true };
  };
  return new LocalFunction(spec, {
    projectDir: '.',
    environment: {},
    override: () => handler,
    orphanGraceMs: 1_000,
    warn: () => undefined,
  });
}

describe('Class: LocalFunction', () => {
  it('reuses a warm environment after a success', async () => {
    // Prepare
    const fn = slowFunction([0, 0]);

    // Act
    await fn.invoke({});
    await fn.invoke({});

    // Assess
    expect(fn.coldStarts).toBe(1);
  });

  it('starts the next invocation cold after a timeout, as Lambda resets the environment', async () => {
    // Prepare: the first invocation outlives the 50 ms timeout
    const fn = slowFunction([200, 0]);

    // Act
    const timedOut = await fn.invoke({});
    const next = await fn.invoke({});

    // Assess
    expect(timedOut.outcome).toMatchObject({ kind: 'error' });
    expect(timedOut.outcome.kind === 'error' && timedOut.outcome.error).toBeInstanceOf(
      FunctionTimeoutError,
    );
    expect(next.outcome).toEqual({ kind: 'returned', response: { ok: true } });
    expect(fn.coldStarts).toBe(2);
  });
});
