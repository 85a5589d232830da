/**
 * jobEvents: a Glue job reached a terminal state → SNS / EC2 / Step Functions, as routed by the
 * stage's table in shared/fanout-config.
 *
 * Triggered by the EventBridge rule in handlers/job-events.yml (`source: aws.glue`,
 * `detail-type: Glue Job State Change`, this stage's jobs, SUCCEEDED/FAILED/TIMEOUT/STOPPED).
 * Retry semantics:
 * - EventBridge retries delivering to this function per the target's RetryPolicy, then puts the
 *   event on JobEventsDeadLetterQueue;
 * - the invocation is asynchronous: when it throws, Lambda retries (MaximumRetryAttempts) and then
 *   sends the event to JobEventsFailureQueue (on-failure destination);
 * - it throws InvalidJobEventError before any action for an event of unknown shape, and
 *   FanoutActionError naming the failed action(s) after the others completed; every action is
 *   idempotent (EC2 ClientToken, execution name), so a retry completes without doubling them.
 *   SNS standard topics do not deduplicate: a retry may repeat a notification.
 * A FAILED attempt that Glue itself runs again (the job's MaxRetries) is only announced; the
 * routes' other actions wait for the attempt that ends the run (shared/fanout/glue-retry.ts).
 * Every event counts in GlueJobStateChanges; FAILED and TIMEOUT runs also in GlueJobFailures
 * (alarm GlueJobFailuresAlarm), except attempts Glue retries: GlueJobRetriedFailures.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { EC2Client } from '@aws-sdk/client-ec2';
import { GlueClient } from '@aws-sdk/client-glue';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { loadFanoutConfig } from '../shared/fanout/config';
import { parseJobStateChange } from '../shared/fanout/event';
import { type FanoutPlan, planFanout, takeActions } from '../shared/fanout/fanout';

const config = loadFanoutConfig();
const logger = new Logger();
const metrics = new Metrics({ defaultDimensions: { stage: config.stage } });
const clients = {
  sns: new SNSClient(),
  ec2: new EC2Client(),
  sfn: new SFNClient(),
  glue: new GlueClient(),
};

const FAILURE_STATES: ReadonlySet<string> = new Set(['FAILED', 'TIMEOUT']);

const fanOutJobEvent = async (event: unknown): Promise<void> => {
  const change = parseJobStateChange(event);
  const { jobName, jobRunId, state } = change.detail;
  logger.appendKeys({ jobName, jobRunId, state, eventId: change.id });
  metrics.addMetric('GlueJobStateChanges', MetricUnit.Count, 1);
  let plan: FanoutPlan;
  try {
    plan = await planFanout(change, clients.glue, config);
  } catch (error) {
    // Glue could not say whether it retries the run: count the failure rather than lose it.
    if (FAILURE_STATES.has(state)) metrics.addMetric('GlueJobFailures', MetricUnit.Count, 1);
    throw error;
  }
  const { glueRetry } = plan;
  if (FAILURE_STATES.has(state))
    metrics.addMetric(
      glueRetry ? 'GlueJobRetriedFailures' : 'GlueJobFailures',
      MetricUnit.Count,
      1,
    );
  const { outcomes } = await takeActions(plan, clients, config);
  logger.info('job state fanned out', { outcomes, ...(glueRetry ? { glueRetry } : {}) });
};

export const handler = middy(fanOutJobEvent)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
