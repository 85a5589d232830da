import { createHash } from 'node:crypto';

/**
 * Idempotency keys derived from the job run. A redelivered event (EventBridge and Lambda async
 * invocations are at least once) derives the same key, so the service recognises the repeat;
 * another run or another state of the same run derives another key.
 */

/** What identifies one terminal state of one job run. */
export interface RunState {
  readonly jobName: string;
  readonly jobRunId: string;
  readonly state: string;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * EC2 RunInstances `ClientToken` (at most 64 ASCII characters, ec2-api-idempotency): the SHA-256,
 * in hex, of the launch template, job, run id and state. The launch template is part of it so two
 * launch actions for one event could never share a token.
 * @example clientTokenFor('lt-0abc', run) // 64 hex characters
 */
export function clientTokenFor(launchTemplateId: string, run: RunState): string {
  return sha256Hex(JSON.stringify(['ec2', launchTemplateId, run.jobName, run.jobRunId, run.state]));
}

/** Characters Step Functions allows in an execution name (ASCII letters, digits, `-`, `_`). */
const PLAIN_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const NAME_LIMIT = 80;
const HASH_CHARS = 16;

/**
 * Step Functions execution name (1-80 characters; names are unique per state machine for 90 days):
 * `<jobRunId>-<state>` when that fits and uses only plain characters, which Glue's
 * `jr_<64 hex>` ids do. Otherwise (retry attempts `jr_…_attempt_1`, other ids) the plain characters
 * of it, cut to fit, then `-` and 16 hex characters of the SHA-256 of the job, run id and state.
 * The two forms cannot collide: a plain name ends in `-<state>`, a hashed one in hex digits, and
 * no state is spelled in hex.
 * @example executionNameFor({ jobName: 'j', jobRunId: 'jr_0a1b', state: 'SUCCEEDED' }) // 'jr_0a1b-SUCCEEDED'
 */
export function executionNameFor(run: RunState): string {
  const plain = `${run.jobRunId}-${run.state}`;
  if (PLAIN_NAME.test(plain)) return plain;
  const hash = sha256Hex(JSON.stringify(['sfn', run.jobName, run.jobRunId, run.state]));
  const readable = plain.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${readable.slice(0, NAME_LIMIT - HASH_CHARS - 1)}-${hash.slice(0, HASH_CHARS)}`;
}
