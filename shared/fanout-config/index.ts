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

/** Every terminal state of every job of a stage is announced; the curate job drives the rest. */
function developmentRoutes(stage: 'dev' | 'local'): readonly Route[] {
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
