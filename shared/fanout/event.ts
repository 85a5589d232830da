import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';
import { type EventIssue, InvalidJobEventError } from './errors';

/** The terminal states Glue emits a "Glue Job State Change" for. */
export const JOB_STATES = ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED'] as const;
export type JobState = (typeof JOB_STATES)[number];

/**
 * `detail` of a Glue Job State Change (events-ref-glue, automating-awsglue-with-cloudwatch-events):
 * `jobName`, `severity` (INFO, WARN, ERROR), `state`, `jobRunId`, `message`. Unknown extra fields
 * are dropped; every field this function acts on is required and checked.
 */
export const GlueJobStateDetailSchema = z.object({
  jobName: z.string().min(1).max(255),
  jobRunId: z.string().min(1).max(255),
  state: z.enum(JOB_STATES),
  severity: z.string().min(1).max(64),
  // Real events carry a string; a missing or null one is read as empty rather than refused.
  message: z
    .string()
    .nullish()
    .transform((message) => message ?? ''),
});

/** The whole EventBridge event, envelope fields as Powertools' EventBridgeSchema checks them. */
export const GlueJobStateChangeSchema = EventBridgeSchema.extend({
  source: z.literal('aws.glue'),
  'detail-type': z.literal('Glue Job State Change'),
  detail: GlueJobStateDetailSchema,
});

export type GlueJobStateChange = z.infer<typeof GlueJobStateChangeSchema>;

function pathOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(event)' : path.map(String).join('.');
}

function eventIdOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const id = (event as { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Validates an EventBridge event as a Glue Job State Change.
 * @throws InvalidJobEventError listing every problem with its path, e.g.
 *   `detail.state: Invalid option: expected one of "SUCCEEDED"|"FAILED"|"TIMEOUT"|"STOPPED"`
 */
export function parseJobStateChange(event: unknown): GlueJobStateChange {
  const result = GlueJobStateChangeSchema.safeParse(event);
  if (result.success) return result.data;
  const issues: EventIssue[] = result.error.issues.map((issue) => ({
    path: pathOf(issue.path),
    message: issue.message,
  }));
  throw new InvalidJobEventError(eventIdOf(event), issues);
}
