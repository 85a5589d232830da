import type { MessageAttributeValue, PublishCommandInput } from '@aws-sdk/client-sns';
import type { GlueJobStateChange } from './event';
import type { GlueRetry } from './glue-retry';
import { formatDuration, type RunDetails } from './run-details';

/** SNS subjects are ASCII, without control characters, and under 100 characters. */
const SUBJECT_LIMIT = 99;
/** Error messages are cut here; the full text is in the Glue console and logs. */
const ERROR_LIMIT = 4000;

function asciiLine(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 3)}...`;
}

/**
 * The Glue console page of the run.
 * @example consoleLinkFor('us-east-1', 'streamlake-dev-curate', 'jr_0a')
 * // 'https://us-east-1.console.aws.amazon.com/gluestudio/home?region=us-east-1#/job/streamlake-dev-curate/run/jr_0a'
 */
export function consoleLinkFor(region: string, jobName: string, runId: string): string {
  const job = encodeURIComponent(jobName);
  const run = encodeURIComponent(runId);
  return `https://${region}.console.aws.amazon.com/gluestudio/home?region=${region}#/job/${job}/run/${run}`;
}

/**
 * `[streamlake] FAILED streamlake-dev-curate`, with ` (Glue retries)` for an attempt Glue runs
 * again; ASCII, cut to SNS's subject limit.
 */
export function subjectFor(change: GlueJobStateChange, glueRetry?: GlueRetry): string {
  const { state, jobName } = change.detail;
  const retrying = glueRetry ? ' (Glue retries)' : '';
  return cut(asciiLine(`[streamlake] ${state} ${jobName}${retrying}`), SUBJECT_LIMIT);
}

/** The retry line of a FAILED run's body: which attempt failed and what waits for the next. */
function retryLine(details: RunDetails, glueRetry: GlueRetry | undefined): string {
  if (glueRetry) {
    const { attempt, maxRetries } = glueRetry;
    return (
      `attempt ${attempt + 1} of ${maxRetries + 1} failed; Glue runs the job again, and ` +
      'post-processing waits for the last attempt'
    );
  }
  if (details.missing || details.attempt === undefined)
    return 'unknown (treated as the last attempt)';
  return `none: attempt ${details.attempt + 1} was the last`;
}

/** The plain-text body: job, run id, state, error, Glue's retry, duration and console link. */
export function bodyFor(
  change: GlueJobStateChange,
  details: RunDetails,
  glueRetry?: GlueRetry,
): string {
  const { jobName, jobRunId, state, severity, message } = change.detail;
  const error =
    state === 'SUCCEEDED' ? 'none' : cut(details.errorMessage ?? (message || 'none'), ERROR_LIMIT);
  const timing = details.missing
    ? 'unknown (Glue has no record of this run)'
    : [
        formatDuration(details.durationSeconds),
        details.startedOn ? `started ${details.startedOn.toISOString()}` : undefined,
        details.completedOn ? `completed ${details.completedOn.toISOString()}` : undefined,
      ]
        .filter(Boolean)
        .join(', ');
  return [
    `Glue job ${jobName} ended ${state}.`,
    '',
    `Job:       ${jobName}`,
    `Run id:    ${jobRunId}`,
    `State:     ${state} (severity ${severity})`,
    `Message:   ${message || 'none'}`,
    `Error:     ${error}`,
    ...(state === 'FAILED' ? [`Retry:     ${retryLine(details, glueRetry)}`] : []),
    `Duration:  ${timing}`,
    `Console:   ${consoleLinkFor(change.region, jobName, jobRunId)}`,
    `Event:     ${change.id} at ${change.time} (account ${change.account}, ${change.region})`,
  ].join('\n');
}

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

/**
 * The SNS Publish input for a job state change. Message attributes `jobName`, `jobRunId`,
 * `state`, `severity` and `glueRetries` (`true` for a failed attempt Glue runs again) let
 * subscriptions filter, e.g. `{"state": ["FAILED", "TIMEOUT"], "glueRetries": ["false"]}` for
 * failures that end a run.
 */
export function notificationFor(
  topicArn: string,
  change: GlueJobStateChange,
  details: RunDetails,
  glueRetry?: GlueRetry,
): PublishCommandInput {
  const { jobName, jobRunId, state, severity } = change.detail;
  return {
    TopicArn: topicArn,
    Subject: subjectFor(change, glueRetry),
    Message: bodyFor(change, details, glueRetry),
    MessageAttributes: {
      jobName: text(jobName),
      jobRunId: text(jobRunId),
      state: text(state),
      severity: text(severity),
      glueRetries: text(glueRetry ? 'true' : 'false'),
    },
  };
}
