import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from './mappings';

/**
 * The Lambda context object of one invocation, as the Node.js runtime builds it (developer guide,
 * nodejs-context): `getRemainingTimeInMillis()` counts down to the function's Timeout.
 */
export function lambdaContextOf(
  spec: FunctionSpec,
  deadlineMs: number,
  now: () => number = Date.now,
  requestId: string = randomUUID(),
): Context {
  const day = new Date(now()).toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = () => {
    throw new Error('context.done/fail/succeed are not supported by async handlers');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: spec.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: spec.arn,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${spec.name}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
