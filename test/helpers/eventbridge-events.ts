import type { EventBridgeEvent, ScheduledEvent } from 'aws-lambda';
import { loadFixture } from './fixtures';

/** `detail` of a Glue Job State Change as Glue sends it. */
export interface GlueJobStateDetail {
  jobName: string;
  severity: string;
  state: string;
  jobRunId: string;
  message: string;
}

export type GlueJobStateEvent = EventBridgeEvent<'Glue Job State Change', GlueJobStateDetail>;

/** The Glue Job State Change fixtures under test/fixtures/eventbridge, one per terminal state. */
export const GLUE_JOB_FIXTURES = ['succeeded', 'failed', 'timeout', 'stopped'] as const;
export type GlueJobFixture = (typeof GLUE_JOB_FIXTURES)[number];

/** A Glue Job State Change fixture (a fresh copy: callers may change it). */
export function loadGlueJobEvent(name: GlueJobFixture): GlueJobStateEvent {
  return loadFixture<GlueJobStateEvent>('eventbridge', `glue-job-${name}`);
}

/** A fixture with `detail` fields (and envelope fields) replaced. */
export function glueJobEvent(
  name: GlueJobFixture,
  detail: Partial<GlueJobStateDetail> = {},
  envelope: Partial<Omit<GlueJobStateEvent, 'detail'>> = {},
): GlueJobStateEvent {
  const event = loadGlueJobEvent(name);
  return { ...event, ...envelope, detail: { ...event.detail, ...detail } };
}

/** The EventBridge Scheduled Event that starts the freshness watchdog. */
export function loadScheduledEvent(): ScheduledEvent {
  return loadFixture<ScheduledEvent>('eventbridge', 'scheduled-freshness');
}
