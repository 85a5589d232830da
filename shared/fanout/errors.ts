import { StreamlakeError } from '../errors';

/** One problem the schema found in an event: where (a dotted path) and what. */
export interface EventIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * The event is not a Glue Job State Change this function understands. Nothing was done for it;
 * the invocation fails so that Lambda's async retries and then the on-failure destination keep it.
 */
export class InvalidJobEventError extends StreamlakeError {
  constructor(
    readonly eventId: string | undefined,
    readonly issues: readonly EventIssue[],
  ) {
    const where = eventId ? ` (event ${eventId})` : '';
    const what = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    super(`not a Glue Job State Change event${where}: ${what}`);
  }
}

/** A fan-out action that did not complete, named as in the logs: `kind(target)`. */
export interface FailedAction {
  readonly action: string;
  readonly error: unknown;
}

/**
 * One or more actions of a fan-out failed. The others completed and are not undone; every action
 * is idempotent, so the retry that this error causes repeats them without doubling their effect.
 */
export class FanoutActionError extends StreamlakeError {
  constructor(
    readonly run: { readonly jobName: string; readonly jobRunId: string; readonly state: string },
    readonly failed: readonly FailedAction[],
    readonly succeeded: readonly string[],
  ) {
    const reasons = failed.map(({ action, error }) => `${action}: ${messageOf(error)}`);
    super(
      `${failed.length} of ${failed.length + succeeded.length} fan-out action(s) failed for ` +
        `${run.jobName} ${run.jobRunId} ${run.state}: ${reasons.join('; ')}`,
      { cause: new AggregateError(failed.map((f) => f.error)) },
    );
  }
}

/**
 * An execution with the derived name exists but was started with another input: not a duplicate
 * delivery of this event, so it is not taken as success.
 */
export class ExecutionNameConflictError extends StreamlakeError {
  constructor(
    readonly executionArn: string,
    readonly expectedInput: string,
    readonly actualInput: string | undefined,
  ) {
    super(
      `execution ${executionArn} already exists with another input ` +
        `(expected ${expectedInput}, found ${actualInput ?? 'none'})`,
    );
  }
}

/** The message of anything thrown, with the error's name when it has one. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
