import { EntityNotFoundException, GetJobRunCommand, type GlueClient } from '@aws-sdk/client-glue';

/**
 * What the Glue API knows about a run that its state-change event does not carry. The event has
 * no timing at all, so the duration comes from GetJobRun.
 */
export interface RunDetails {
  readonly startedOn?: Date;
  readonly completedOn?: Date;
  /** Wall-clock seconds from start to completion, or Glue's ExecutionTime when one end is unknown. */
  readonly durationSeconds?: number;
  readonly errorMessage?: string;
  readonly attempt?: number;
  /** Set when Glue has no record of the run (history is kept 90 days; replayed or test events). */
  readonly missing?: true;
}

/**
 * Reads a run's timing and error from Glue. A run Glue does not know is reported as `missing`
 * (the notification then says the duration is unknown); any other failure is thrown.
 */
export async function fetchRunDetails(
  glue: GlueClient,
  jobName: string,
  runId: string,
): Promise<RunDetails> {
  try {
    const { JobRun: run } = await glue.send(
      new GetJobRunCommand({ JobName: jobName, RunId: runId, PredecessorsIncluded: false }),
    );
    if (!run) return { missing: true };
    const { StartedOn: startedOn, CompletedOn: completedOn } = run;
    const wallClock =
      startedOn && completedOn
        ? Math.max(0, Math.round((completedOn.getTime() - startedOn.getTime()) / 1000))
        : undefined;
    return {
      startedOn,
      completedOn,
      durationSeconds: wallClock ?? run.ExecutionTime,
      errorMessage: run.ErrorMessage || undefined,
      attempt: run.Attempt,
    };
  } catch (error) {
    if (error instanceof EntityNotFoundException) return { missing: true };
    throw error;
  }
}

/**
 * A duration for people.
 * @example formatDuration(3723) // '1h 02m 03s'
 */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return 'unknown';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}
