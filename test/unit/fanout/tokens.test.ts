import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JOB_STATES } from '../../../shared/fanout/event';
import { clientTokenFor, executionNameFor } from '../../../shared/fanout/tokens';
import { loadGlueJobEvent } from '../../helpers/eventbridge-events';

const TEMPLATE = 'lt-0123456789abcdef0';
const SEED = 20261124;
const GLUE_RUN_ID = fc.stringMatching(/^jr_[0-9a-f]{64}(_attempt_[1-9])?$/);
const ANY_RUN_ID = fc.oneof(GLUE_RUN_ID, fc.string({ minLength: 1, maxLength: 255 }));
const STATE = fc.constantFrom(...JOB_STATES);
const runState = fc.record({ jobRunId: ANY_RUN_ID, state: STATE });
const run = fc.record({
  jobName: fc.stringMatching(/^[\w.-]{1,255}$/),
  jobRunId: ANY_RUN_ID,
  state: STATE,
});

describe('Function: clientTokenFor', () => {
  it('is the SHA-256 (hex) of template, job, run id and state', () => {
    // Prepare: expected value computed independently (Python hashlib) from the fixture's fields
    const { detail } = loadGlueJobEvent('failed');

    // Act
    const token = clientTokenFor(TEMPLATE, detail);

    // Assess
    expect(token).toBe('90eae4811b2e9dfa7ec3c4c1b31bf2275523d71b7ddb1ff5e93eb9f7c30f2a80');
  });

  it('is at most 64 ASCII characters and the same for every delivery of a run state', () => {
    fc.assert(
      fc.property(run, (r) => {
        const token = clientTokenFor(TEMPLATE, r);
        expect(token).toMatch(/^[\x21-\x7e]{1,64}$/);
        expect(clientTokenFor(TEMPLATE, { ...r })).toBe(token);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('differs across runs, states and launch templates', () => {
    fc.assert(
      fc.property(run, run, (a, b) => {
        fc.pre(a.jobName !== b.jobName || a.jobRunId !== b.jobRunId || a.state !== b.state);
        expect(clientTokenFor(TEMPLATE, a)).not.toBe(clientTokenFor(TEMPLATE, b));
        expect(clientTokenFor('lt-1', a)).not.toBe(clientTokenFor('lt-2', a));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('Function: executionNameFor', () => {
  it('is <run id>-<state> for a Glue run id', () => {
    // Prepare
    const { detail } = loadGlueJobEvent('succeeded');

    // Act
    const name = executionNameFor(detail);

    // Assess
    expect(name).toBe(
      'jr_5dceaeceb6d8a49d3665594710ace68dfbc1800e2d663d7febb302b4dbee3d27-SUCCEEDED',
    );
    expect(name).toHaveLength(77);
  });

  it('cuts and hashes a run id that does not fit (a retry attempt)', () => {
    // Prepare: expected value computed independently (Python hashlib)
    const jobRunId = `jr_${'ab'.repeat(32)}_attempt_1`;

    // Act
    const name = executionNameFor({
      jobName: 'streamlake-local-curate',
      jobRunId,
      state: 'SUCCEEDED',
    });

    // Assess
    expect(name).toBe(`jr_${'ab'.repeat(30)}-6f4650ec665719c9`);
  });

  it('uses only allowed characters, at most 80, stable per delivery', () => {
    fc.assert(
      fc.property(run, (r) => {
        const name = executionNameFor(r);
        expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
        expect(executionNameFor({ ...r })).toBe(name);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('differs across runs and states', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), runState, runState, (jobName, a, b) => {
        fc.pre(a.jobRunId !== b.jobRunId || a.state !== b.state);
        expect(executionNameFor({ jobName, ...a })).not.toBe(executionNameFor({ jobName, ...b }));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
