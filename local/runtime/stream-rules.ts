import type { DiscardCondition } from '../../shared/redrive/on-failure-message';

/**
 * What a Kinesis event-source mapping does after an invocation: pure rules, no I/O.
 *
 * Sources (AWS Lambda developer guide):
 * - services-kinesis-batchfailurereporting: with `ReportBatchItemFailures`, Lambda checkpoints at
 *   the LOWEST listed sequence number and retries every record from there; an empty or null list
 *   (or a null response) is full success; an empty or null `itemIdentifier`, or a bad key name, is
 *   a complete failure; without the response type the response is ignored. With
 *   `BisectBatchOnFunctionError` a failed batch is split in two, and a partial response splits it
 *   at the returned sequence number.
 * - kinesis-on-failure-destination / with-kinesis "Error handling": function errors are retried
 *   until `MaximumRetryAttempts` or `MaximumRecordAgeInSeconds`; splitting a batch does not count
 *   towards the retry quota; then the batch is discarded, its metadata goes to the on-failure
 *   destination and the shard moves on.
 *
 * Where the documentation is silent, the choice that can never lose a record silently is taken
 * and written down here:
 * - an `itemIdentifier` that is not a sequence number of the batch, a response that is not an
 *   object, or `batchItemFailures` that is not a list: complete failure;
 * - retries are counted per batch from its first delivery; a partial response that moves the
 *   checkpoint forward still counts as a retry of the rest (unless bisecting, see above);
 * - halves of a bisected batch inherit the retries already used; a partial response that names
 *   the batch's first record gives nothing to split at, so it is handled like a function error.
 */

/** Sequence numbers are decimal strings of up to ~56 digits: compare them as BigInt. */
export function compareSequenceNumbers(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** What the rules need to know of a record. */
export interface RuleRecord {
  readonly sequenceNumber: string;
  /** Epoch milliseconds of `ApproximateArrivalTimestamp`. */
  readonly arrivalMs: number;
}

/** The error-handling settings of a mapping, as in the template (-1 = unlimited). */
export interface StreamRetrySettings {
  readonly reportBatchItemFailures: boolean;
  readonly bisectBatchOnFunctionError: boolean;
  readonly maximumRetryAttempts: number;
  readonly maximumRecordAgeInSeconds: number;
}

/** How an invocation ended: the handler returned something, or it threw / timed out. */
export type InvokeOutcome =
  | { readonly kind: 'returned'; readonly response: unknown }
  | { readonly kind: 'error'; readonly error: unknown };

/** What Lambda makes of an outcome. `failedFrom` is the position of the new checkpoint. */
export type Verdict =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly failedFrom: number }
  | { readonly kind: 'failure'; readonly reason: string; readonly functionError: boolean };

const failure = (reason: string, functionError = false): Verdict => ({
  kind: 'failure',
  reason,
  functionError,
});

/**
 * Reads an invocation outcome the way the event-source mapping does.
 * @example verdictOf({ kind: 'returned', response: { batchItemFailures: [{ itemIdentifier: '7' }] } }, ['5', '7', '9'], true)
 * // { kind: 'partial', failedFrom: 1 }
 */
export function verdictOf(
  outcome: InvokeOutcome,
  sequenceNumbers: readonly string[],
  reportBatchItemFailures: boolean,
): Verdict {
  if (outcome.kind === 'error') return failure('function error', true);
  if (!reportBatchItemFailures) return { kind: 'success' };
  const response = outcome.response;
  if (response === null || response === undefined) return { kind: 'success' };
  if (typeof response !== 'object' || Array.isArray(response))
    return failure('the response is not a StreamsEventResponse object');
  const list = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === null || list === undefined) return { kind: 'success' };
  if (!Array.isArray(list)) return failure('batchItemFailures is not a list');
  if (list.length === 0) return { kind: 'success' };
  let lowest: number | undefined;
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '')
      return failure('an itemIdentifier is missing, null or empty');
    const position = sequenceNumbers.indexOf(id);
    if (position === -1) return failure(`itemIdentifier ${id} is not a record of the batch`);
    if (lowest === undefined || position < lowest) lowest = position;
  }
  return { kind: 'partial', failedFrom: lowest ?? 0 };
}

/** A batch being delivered, with what its delivery has cost so far. */
export interface Attempt<R extends RuleRecord> {
  readonly records: readonly R[];
  /** Retries used (splits do not count). */
  readonly retries: number;
  /** Invocations made with these records (or the batch they were split from). */
  readonly invocations: number;
}

/** What happens next. `committed`: how many leading records the checkpoint moves past. */
export type Decision<R extends RuleRecord> =
  | { readonly kind: 'commit'; readonly committed: number }
  | { readonly kind: 'retry'; readonly committed: number; readonly next: Attempt<R> }
  | {
      readonly kind: 'bisect';
      readonly committed: number;
      readonly halves: readonly [Attempt<R>, Attempt<R>];
    }
  | {
      readonly kind: 'discard';
      readonly committed: number;
      readonly discarded: readonly R[];
      readonly condition: DiscardCondition;
    };

/**
 * The next step after an invocation of `attempt` (whose `invocations` already counts it).
 * @example decide({ records, retries: 0, invocations: 1 }, { kind: 'success' }, settings) // { kind: 'commit', committed: records.length }
 */
export function decide<R extends RuleRecord>(
  attempt: Attempt<R>,
  verdict: Verdict,
  settings: StreamRetrySettings,
): Decision<R> {
  const { records } = attempt;
  if (verdict.kind === 'success') return { kind: 'commit', committed: records.length };
  const committed = verdict.kind === 'partial' ? verdict.failedFrom : 0;
  const rest = records.slice(committed);
  if (settings.bisectBatchOnFunctionError) {
    if (committed > 0) return { kind: 'retry', committed, next: { ...attempt, records: rest } };
    if (rest.length > 1) {
      const middle = Math.ceil(rest.length / 2);
      return {
        kind: 'bisect',
        committed,
        halves: [
          { ...attempt, records: rest.slice(0, middle) },
          { ...attempt, records: rest.slice(middle) },
        ],
      };
    }
  }
  const retries = attempt.retries + 1;
  const limit = settings.maximumRetryAttempts;
  if (limit >= 0 && retries > limit)
    return { kind: 'discard', committed, discarded: rest, condition: 'RetryAttemptsExhausted' };
  return { kind: 'retry', committed, next: { ...attempt, records: rest, retries } };
}

/**
 * How many leading records are older than `MaximumRecordAgeInSeconds` at `nowMs` (checked before
 * every invocation; records arrive in order, so the expired ones lead).
 */
export function expiredCount(
  records: readonly RuleRecord[],
  nowMs: number,
  maximumRecordAgeInSeconds: number,
): number {
  if (maximumRecordAgeInSeconds < 0) return 0;
  const oldestAllowed = nowMs - maximumRecordAgeInSeconds * 1000;
  let count = 0;
  while (count < records.length && (records[count] as RuleRecord).arrivalMs < oldestAllowed)
    count += 1;
  return count;
}
