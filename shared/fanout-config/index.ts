import type { Route } from '../fanout/routes';

/**
 * The job-state routing table of each stage: which Glue job, in which terminal state, triggers
 * which actions. Glue jobs are named `streamlake-<stage>-<job>`; the EventBridge rule of a stage
 * only forwards its own stage's jobs, and the globs below say so again, so a route can never act
 * on another stage's job. Edit here and redeploy; `compileRoutes` checks the table at cold start.
 *
 * Actions: `notify` (SNS, people), `launchInstance` (EC2 post-processing box from the launch
 * template), `startExecution` (the post-ETL state machine: curated crawler, wait, notify).
 */
export const STAGES = ['dev', 'prod', 'local'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * Every terminal state of every job of a stage is announced; the curate job drives the rest. Also
 * the table of any stage not listed in STAGES (a developer's or a pull request's stage), as
 * serverless.yml's `params.default` serves such stages.
 */
function developmentRoutes(stage: string): readonly Route[] {
  return [
    {
      jobName: `streamlake-${stage}-*`,
      states: ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED'],
      actions: ['notify'],
    },
    { jobName: `streamlake-${stage}-curate`, states: ['SUCCEEDED'], actions: ['startExecution'] },
    {
      jobName: `streamlake-${stage}-curate`,
      states: ['FAILED', 'TIMEOUT'],
      actions: ['launchInstance'],
    },
  ];
}

export const FANOUT_ROUTES: Readonly<Record<Stage, readonly Route[]>> = {
  dev: developmentRoutes('dev'),
  local: developmentRoutes('local'),
  /** Production announces only what needs a person, plus the curated success downstream teams wait for. */
  prod: [
    {
      jobName: 'streamlake-prod-*',
      states: ['FAILED', 'TIMEOUT', 'STOPPED'],
      actions: ['notify'],
    },
    {
      jobName: 'streamlake-prod-curate',
      states: ['SUCCEEDED'],
      actions: ['notify', 'startExecution'],
    },
    {
      jobName: 'streamlake-prod-curate',
      states: ['FAILED', 'TIMEOUT'],
      actions: ['launchInstance'],
    },
  ],
};

/**
 * The routing table of a stage: its own in FANOUT_ROUTES, or the development table for any other
 * stage (`serverless deploy --stage pr-42`), so such a stage deploys and fans out instead of
 * failing every invocation at cold start.
 * @example routesForStage('pr-42')[0]?.jobName // 'streamlake-pr-42-*'
 */
export function routesForStage(stage: string): readonly Route[] {
  return (STAGES as readonly string[]).includes(stage)
    ? FANOUT_ROUTES[stage as Stage]
    : developmentRoutes(stage);
}
