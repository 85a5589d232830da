import { type Env, requireEnv } from '../config';
import { ConfigError } from '../errors';
import { routesForStage } from '../fanout-config';
import type { LaunchTemplateRef } from './launch';
import { type CompiledRoute, compileRoutes } from './routes';

/** What the jobEvents function needs, validated once at cold start. */
export interface FanoutConfig {
  /** The Serverless stage; stages without a table of their own get the development routes. */
  readonly stage: string;
  readonly routes: readonly CompiledRoute[];
  readonly notificationTopicArn: string;
  readonly launchTemplate: LaunchTemplateRef;
  readonly stateMachineArn: string;
}

function matching(env: Env, name: string, pattern: RegExp, what: string): string {
  const value = requireEnv(env, name);
  if (!pattern.test(value)) throw new ConfigError(name, `must be ${what}, got "${value}"`);
  return value;
}

/** Serverless stage names: letters, digits and hyphens (they are part of every resource name). */
const STAGE_NAME = /^[A-Za-z0-9-]+$/;

/** Reads `STAGE`, the Serverless stage the jobs are named after. */
export function stageOf(env: Env): string {
  return matching(env, 'STAGE', STAGE_NAME, 'a stage name (letters, digits, hyphens)');
}

/**
 * Reads `STAGE` (selects the routing table in shared/fanout-config, see `routesForStage`), `JOB_NOTIFICATIONS_TOPIC_ARN`,
 * `POST_PROCESSING_LAUNCH_TEMPLATE_ID`, `POST_PROCESSING_LAUNCH_TEMPLATE_VERSION` (a number,
 * `$Latest` or `$Default`) and `POST_ETL_STATE_MACHINE_ARN`, and compiles the stage's routes.
 * @throws ConfigError naming the variable (or the route) at fault
 */
export function loadFanoutConfig(env: Env = process.env): FanoutConfig {
  const stage = stageOf(env);
  return Object.freeze({
    stage,
    routes: compileRoutes(routesForStage(stage), `fanout routes[${stage}]`),
    notificationTopicArn: matching(
      env,
      'JOB_NOTIFICATIONS_TOPIC_ARN',
      /^arn:[\w-]+:sns:[\w-]+:\d{12}:[\w-]{1,256}$/,
      'an SNS topic ARN',
    ),
    launchTemplate: Object.freeze({
      id: matching(
        env,
        'POST_PROCESSING_LAUNCH_TEMPLATE_ID',
        /^lt-[0-9a-f]+$/,
        'a launch template id',
      ),
      version: matching(
        env,
        'POST_PROCESSING_LAUNCH_TEMPLATE_VERSION',
        /^(\d+|\$Latest|\$Default)$/,
        'a version number, $Latest or $Default',
      ),
    }),
    stateMachineArn: matching(
      env,
      'POST_ETL_STATE_MACHINE_ARN',
      /^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}$/,
      'a Step Functions state machine ARN',
    ),
  });
}
