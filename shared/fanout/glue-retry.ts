import { EntityNotFoundException, GetJobCommand, type GlueClient } from '@aws-sdk/client-glue';
import type { RunDetails } from './run-details';

/** A failed attempt that Glue itself runs again: `attempt` counts from 0, as GetJobRun's does. */
export interface GlueRetry {
  readonly attempt: number;
  readonly maxRetries: number;
}

/**
 * Whether Glue will run a FAILED job run again. Glue restarts a FAILED run up to the job's
 * `MaxRetries` times, each time as a new run (`<run id>_attempt_<n>`) with a state-change event of
 * its own; a run that timed out or was stopped is not restarted. What cannot be known (Glue has no
 * record of the run, or the job is gone) counts as the last attempt, so that no action is ever
 * skipped for want of an answer.
 * @throws the Glue client's error, other than EntityNotFoundException (the invocation is retried)
 */
export async function pendingGlueRetry(
  glue: GlueClient,
  jobName: string,
  details: RunDetails,
): Promise<GlueRetry | undefined> {
  if (details.missing || details.attempt === undefined) return undefined;
  let maxRetries: number;
  try {
    const { Job } = await glue.send(new GetJobCommand({ JobName: jobName }));
    maxRetries = Job?.MaxRetries ?? 0;
  } catch (error) {
    if (error instanceof EntityNotFoundException) return undefined;
    throw error;
  }
  return details.attempt < maxRetries ? { attempt: details.attempt, maxRetries } : undefined;
}
