import { StreamlakeError } from '../../shared/errors';

/** A template entry the local runtime cannot deliver the way AWS would. */
export class UnsupportedMappingError extends StreamlakeError {
  constructor(
    readonly logicalId: string,
    detail: string,
  ) {
    super(`${logicalId}: ${detail}`);
  }
}

/** A function's handler module or export cannot be loaded. */
export class HandlerLoadError extends StreamlakeError {
  constructor(
    readonly functionName: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${functionName}: ${detail}`, options);
  }
}

/** An invocation ran past the function's Timeout, as Lambda reports it. */
export class FunctionTimeoutError extends StreamlakeError {
  constructor(readonly timeoutSeconds: number) {
    super(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
  }
}

/** A drain did not reach the tip (streams) or empty queues within its time bound. */
export class DrainTimeoutError extends StreamlakeError {
  constructor(
    readonly waitingFor: readonly string[],
    timeoutMs: number,
  ) {
    super(`not drained after ${timeoutMs} ms; still busy: ${waitingFor.join(', ')}`);
  }
}
