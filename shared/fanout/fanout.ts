import type { EC2Client } from '@aws-sdk/client-ec2';
import type { GlueClient } from '@aws-sdk/client-glue';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { FanoutConfig } from './config';
import { FanoutActionError } from './errors';
import { type GlueJobStateChange, parseJobStateChange } from './event';
import { startExecutionFor } from './execution';
import { type GlueRetry, pendingGlueRetry } from './glue-retry';
import { launchInputFor, launchOnce } from './launch';
import { notificationFor } from './notify';
import { type ActionKind, actionsFor } from './routes';
import { fetchRunDetails, type RunDetails } from './run-details';

/** The clients the actions use; the handler builds them once, tests pass mocks. */
export interface FanoutClients {
  readonly sns: SNSClient;
  readonly ec2: EC2Client;
  readonly sfn: SFNClient;
  readonly glue: GlueClient;
}

/** One completed action: `action` names it as `kind(target)`, `result` is the id it produced. */
export interface ActionOutcome {
  readonly action: string;
  readonly result: string;
}

/** What a job state change will do, decided before any action runs. */
export interface FanoutPlan {
  readonly change: GlueJobStateChange;
  /** The actions to take, in `ACTION_KINDS` order. */
  readonly kinds: readonly ActionKind[];
  /** The run as GetJobRun reports it, read while planning for a FAILED run (else by `notify`). */
  readonly details?: RunDetails;
  /** Set when the run FAILED but Glue runs the job again (its MaxRetries). */
  readonly glueRetry?: GlueRetry;
}

export interface FanoutResult extends FanoutPlan {
  readonly outcomes: readonly ActionOutcome[];
}

/**
 * The actions the routes give a validated job state change. A FAILED attempt that Glue itself
 * retries is only announced (to people, saying so): the post-processing instance and executions
 * wait for the attempt that ends the run, which brings its own event. Only a FAILED run is read
 * here; for the others a failed read concerns the notification alone.
 * @throws the Glue client's error when a FAILED run cannot be read (the invocation is retried)
 */
export async function planFanout(
  change: GlueJobStateChange,
  glue: GlueClient,
  config: FanoutConfig,
): Promise<FanoutPlan> {
  const { jobName, jobRunId, state } = change.detail;
  const routed = actionsFor(config.routes, jobName, state);
  if (state !== 'FAILED' || routed.length === 0) return { change, kinds: routed };
  const details = await fetchRunDetails(glue, jobName, jobRunId);
  const glueRetry = await pendingGlueRetry(glue, jobName, details);
  if (!glueRetry) return { change, kinds: routed, details };
  return { change, kinds: routed.filter((kind) => kind === 'notify'), details, glueRetry };
}

/** Runs one action; resolves to the id it produced (message, instance, execution). */
type Runner = (plan: FanoutPlan) => Promise<string>;

function runners(clients: FanoutClients, config: FanoutConfig): Record<ActionKind, Runner> {
  return {
    notify: async ({ change, details, glueRetry }) => {
      const { jobName, jobRunId } = change.detail;
      const run = details ?? (await fetchRunDetails(clients.glue, jobName, jobRunId));
      const input = notificationFor(config.notificationTopicArn, change, run, glueRetry);
      const { MessageId } = await clients.sns.send(new PublishCommand(input));
      return MessageId ?? '';
    },
    launchInstance: async ({ change }) => {
      const input = launchInputFor(config.launchTemplate, change);
      return (await launchOnce(clients.ec2, input)).join(',');
    },
    startExecution: async ({ change }) => {
      const started = await startExecutionFor(clients.sfn, config.stateMachineArn, change);
      return started.executionArn;
    },
  };
}

/** The name of an action in logs and errors: `kind(target)`. */
function labelOf(kind: ActionKind, config: FanoutConfig): string {
  const target = {
    notify: config.notificationTopicArn,
    launchInstance: config.launchTemplate.id,
    startExecution: config.stateMachineArn,
  }[kind];
  return `${kind}(${target})`;
}

/**
 * Takes every action of a plan, all at once. A failed action does not stop or undo the others;
 * when any failed, a FanoutActionError names each failed one (the invocation fails and is
 * retried; every action is idempotent, see the action modules).
 * @throws FanoutActionError
 */
export async function takeActions(
  plan: FanoutPlan,
  clients: FanoutClients,
  config: FanoutConfig,
): Promise<FanoutResult> {
  const { change, kinds } = plan;
  const run = runners(clients, config);
  const settled = await Promise.allSettled(kinds.map((kind) => run[kind](plan)));
  const outcomes: ActionOutcome[] = [];
  const failed: { action: string; error: unknown }[] = [];
  settled.forEach((result, index) => {
    const action = labelOf(kinds[index] as ActionKind, config);
    if (result.status === 'fulfilled') outcomes.push({ action, result: result.value });
    else failed.push({ action, error: result.reason });
  });
  if (failed.length > 0)
    throw new FanoutActionError(
      change.detail,
      failed,
      outcomes.map((o) => o.action),
    );
  return { ...plan, outcomes };
}

/**
 * Plans and takes the actions of a validated job state change.
 * @throws FanoutActionError, or the Glue client's error from planning a FAILED run
 */
export async function fanOut(
  change: GlueJobStateChange,
  clients: FanoutClients,
  config: FanoutConfig,
): Promise<FanoutResult> {
  return takeActions(await planFanout(change, clients.glue, config), clients, config);
}

/**
 * Validates an EventBridge event and fans it out: the whole job-events pipeline without Lambda,
 * for scripts (the local demo) and tests.
 * @example await runFanout(event, { sns, ec2, sfn, glue }, loadFanoutConfig())
 * @throws InvalidJobEventError before any action when the event is not a Glue Job State Change
 * @throws FanoutActionError when an action failed, or the Glue client's error when a FAILED run
 *   cannot be read
 */
export async function runFanout(
  event: unknown,
  clients: FanoutClients,
  config: FanoutConfig,
): Promise<FanoutResult> {
  return fanOut(parseJobStateChange(event), clients, config);
}
