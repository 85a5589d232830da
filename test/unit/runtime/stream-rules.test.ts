import { describe, expect, it } from 'vitest';
import {
  type Attempt,
  compareSequenceNumbers,
  decide,
  expiredCount,
  type RuleRecord,
  type StreamRetrySettings,
  verdictOf,
} from '../../../local/runtime/stream-rules';

/**
 * One test per documented rule of the Kinesis event-source mapping (Lambda developer guide:
 * services-kinesis-batchfailurereporting, with-kinesis "Error handling",
 * kinesis-on-failure-destination). Expected values are written down, not computed.
 */

const SEQ = [
  '49657328148350128938227153648127638469728451730957500418',
  '49657328148350128938227153648127638469738451730957500418',
  '49657328148350128938227153648127638469748451730957500418',
  '49657328148350128938227153648127638469758451730957500418',
  '49657328148350128938227153648127638469768451730957500418',
];
const records: RuleRecord[] = SEQ.map((sequenceNumber, i) => ({
  sequenceNumber,
  arrivalMs: 1_795_527_000_000 + i * 1000,
}));
const fresh = (n = 5, retries = 0): Attempt<RuleRecord> => ({
  records: records.slice(0, n),
  retries,
  invocations: 1,
});
const settings = (overrides: Partial<StreamRetrySettings> = {}): StreamRetrySettings => ({
  reportBatchItemFailures: true,
  bisectBatchOnFunctionError: false,
  maximumRetryAttempts: 3,
  maximumRecordAgeInSeconds: -1,
  ...overrides,
});
const returned = (response: unknown) => ({ kind: 'returned' as const, response });
const failures = (...ids: unknown[]) => ({
  batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })),
});

describe('Function: compareSequenceNumbers', () => {
  it('orders 56-digit sequence numbers numerically, not as text or as doubles', () => {
    // Prepare
    const a = '49657328148350128938227153648127638469728451730957500418';
    const b = '49657328148350128938227153648127638469728451730957500419';

    // Act
    const order = [compareSequenceNumbers(a, b), compareSequenceNumbers('10', '9')];

    // Assess
    expect(order).toEqual([-1, 1]);
  });
});

describe('Function: verdictOf', () => {
  it.each([
    ['an empty batchItemFailures list', { batchItemFailures: [] }],
    ['a null batchItemFailures list', { batchItemFailures: null }],
    ['an empty response object', {}],
    ['a null response', null],
    ['no response at all', undefined],
  ])('treats %s as complete success', (_name, response) => {
    // Act
    const verdict = verdictOf(returned(response), SEQ, true);

    // Assess
    expect(verdict).toEqual({ kind: 'success' });
  });

  it('checkpoints at the LOWEST reported sequence number, whatever the list order', () => {
    // Act
    const verdict = verdictOf(returned(failures(SEQ[3], SEQ[1], SEQ[4])), SEQ, true);

    // Assess
    expect(verdict).toEqual({ kind: 'partial', failedFrom: 1 });
  });

  it.each([
    ['an empty string itemIdentifier', failures('')],
    ['a null itemIdentifier', failures(null)],
    ['an itemIdentifier under a bad key name', { batchItemFailures: [{ sequenceNumber: SEQ[2] }] }],
  ])('treats %s as complete failure', (_name, response) => {
    // Act
    const verdict = verdictOf(returned(response), SEQ, true);

    // Assess
    expect(verdict).toMatchObject({ kind: 'failure', functionError: false });
  });

  it('treats an identifier that is not in the batch as complete failure (undocumented: never skip)', () => {
    // Act
    const verdict = verdictOf(returned(failures('12345')), SEQ, true);

    // Assess
    expect(verdict).toEqual({
      kind: 'failure',
      reason: 'itemIdentifier 12345 is not a record of the batch',
      functionError: false,
    });
  });

  it('ignores the response when the mapping does not list ReportBatchItemFailures', () => {
    // Act
    const verdict = verdictOf(returned(failures(SEQ[0])), SEQ, false);

    // Assess
    expect(verdict).toEqual({ kind: 'success' });
  });

  it('treats a thrown error (or a timeout) as a function error failing the whole batch', () => {
    // Act
    const verdict = verdictOf({ kind: 'error', error: new Error('boom') }, SEQ, true);

    // Assess
    expect(verdict).toEqual({ kind: 'failure', reason: 'function error', functionError: true });
  });
});

describe('Function: decide', () => {
  it('commits the whole batch on success', () => {
    // Act
    const decision = decide(fresh(), { kind: 'success' }, settings());

    // Assess
    expect(decision).toEqual({ kind: 'commit', committed: 5 });
  });

  it('on a partial response commits the records before the checkpoint and redelivers all later ones', () => {
    // Act
    const decision = decide(fresh(), { kind: 'partial', failedFrom: 2 }, settings());

    // Assess
    expect(decision).toEqual({
      kind: 'retry',
      committed: 2,
      next: { records: records.slice(2, 5), retries: 1, invocations: 1 },
    });
  });

  it('retries the whole batch on a function error, counting a retry', () => {
    // Act
    const decision = decide(
      fresh(5, 1),
      { kind: 'failure', reason: 'x', functionError: true },
      settings(),
    );

    // Assess
    expect(decision).toEqual({
      kind: 'retry',
      committed: 0,
      next: { records, retries: 2, invocations: 1 },
    });
  });

  it('discards the batch once MaximumRetryAttempts retries have failed', () => {
    // Prepare: 3 retries used, the 4th delivery fails
    const attempt = fresh(5, 3);

    // Act
    const decision = decide(
      attempt,
      { kind: 'failure', reason: 'x', functionError: true },
      settings(),
    );

    // Assess
    expect(decision).toEqual({
      kind: 'discard',
      committed: 0,
      discarded: records,
      condition: 'RetryAttemptsExhausted',
    });
  });

  it('discards only the records from the checkpoint on when retries run out on a partial response', () => {
    // Act
    const decision = decide(fresh(5, 3), { kind: 'partial', failedFrom: 3 }, settings());

    // Assess
    expect(decision).toEqual({
      kind: 'discard',
      committed: 3,
      discarded: records.slice(3),
      condition: 'RetryAttemptsExhausted',
    });
  });

  it('never discards with MaximumRetryAttempts -1 (infinite)', () => {
    // Act
    const decision = decide(
      fresh(5, 9_999),
      { kind: 'failure', reason: 'x', functionError: true },
      settings({ maximumRetryAttempts: -1 }),
    );

    // Assess
    expect(decision.kind).toBe('retry');
  });

  it('discards at once with MaximumRetryAttempts 0', () => {
    // Act
    const decision = decide(
      fresh(1),
      { kind: 'failure', reason: 'x', functionError: true },
      settings({ maximumRetryAttempts: 0 }),
    );

    // Assess
    expect(decision.kind).toBe('discard');
  });

  it('bisects a failed batch in two without using a retry', () => {
    // Act
    const decision = decide(
      fresh(5, 1),
      { kind: 'failure', reason: 'x', functionError: true },
      settings({ bisectBatchOnFunctionError: true }),
    );

    // Assess: halves of 3 and 2, still 1 retry used each
    expect(decision).toEqual({
      kind: 'bisect',
      committed: 0,
      halves: [
        { records: records.slice(0, 3), retries: 1, invocations: 1 },
        { records: records.slice(3, 5), retries: 1, invocations: 1 },
      ],
    });
  });

  it('bisects at the returned sequence number on a partial response, without using a retry', () => {
    // Act
    const decision = decide(
      fresh(5, 0),
      { kind: 'partial', failedFrom: 2 },
      settings({ bisectBatchOnFunctionError: true }),
    );

    // Assess
    expect(decision).toEqual({
      kind: 'retry',
      committed: 2,
      next: { records: records.slice(2), retries: 0, invocations: 1 },
    });
  });

  it('splits a partial response that names the first record like a function error', () => {
    // Act
    const decision = decide(
      fresh(4, 0),
      { kind: 'partial', failedFrom: 0 },
      settings({ bisectBatchOnFunctionError: true }),
    );

    // Assess
    expect(decision).toEqual({
      kind: 'bisect',
      committed: 0,
      halves: [
        { records: records.slice(0, 2), retries: 0, invocations: 1 },
        { records: records.slice(2, 4), retries: 0, invocations: 1 },
      ],
    });
  });

  it('retries a single failing record (nothing to split), counting the retry, until exhausted', () => {
    // Prepare
    const bisecting = settings({ bisectBatchOnFunctionError: true, maximumRetryAttempts: 1 });
    const error = { kind: 'failure' as const, reason: 'x', functionError: true };

    // Act
    const first = decide(fresh(1, 0), error, bisecting);
    const second = decide(fresh(1, 1), error, bisecting);

    // Assess
    expect(first).toEqual({
      kind: 'retry',
      committed: 0,
      next: { records: records.slice(0, 1), retries: 1, invocations: 1 },
    });
    expect(second).toMatchObject({ kind: 'discard', condition: 'RetryAttemptsExhausted' });
  });
});

describe('Function: expiredCount', () => {
  it('counts the leading records older than MaximumRecordAgeInSeconds', () => {
    // Prepare: arrivals at t0, t0+1 s, t0+2 s … ; now = t0 + 61.5 s; ages 61.5, 60.5, 59.5 s …
    const now = 1_795_527_000_000 + 61_500;

    // Act
    const count = expiredCount(records, now, 60);

    // Assess
    expect(count).toBe(2);
  });

  it('expires nothing with MaximumRecordAgeInSeconds -1', () => {
    // Act
    const count = expiredCount(records, Number.MAX_SAFE_INTEGER, -1);

    // Assess
    expect(count).toBe(0);
  });
});
