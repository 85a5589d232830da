import type { Context } from 'aws-lambda';

/** A Lambda context for invoking handlers in tests; `overrides` replace fields. */
export function fakeLambdaContext(overrides: Partial<Context> = {}): Context {
  const functionName = overrides.functionName ?? 'streamlake-local-ingest';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/24/[$LATEST]0123456789abcdef0123456789abcdef',
    // A fresh invocation of ingest (timeout 180 s): room for every write (handlers/ingest.yml).
    getRemainingTimeInMillis: () => 180_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}
