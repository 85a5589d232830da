import { describe, expect, it } from 'vitest';
import { parseJobStateChange } from '../../../shared/fanout/event';
import {
  bodyFor,
  consoleLinkFor,
  notificationFor,
  subjectFor,
} from '../../../shared/fanout/notify';
import { formatDuration } from '../../../shared/fanout/run-details';
import { glueJobEvent, loadGlueJobEvent } from '../../helpers/eventbridge-events';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:streamlake-local-job-notifications';

describe('Function: subjectFor', () => {
  it('says state and job', () => {
    expect(subjectFor(parseJobStateChange(loadGlueJobEvent('failed')))).toBe(
      '[streamlake] FAILED streamlake-local-curate',
    );
  });

  it('keeps a long or non-ASCII job name under 100 ASCII characters', () => {
    // Prepare
    const change = parseJobStateChange(
      glueJobEvent('failed', { jobName: `ré-${'x'.repeat(200)}` }),
    );

    // Act
    const subject = subjectFor(change);

    // Assess
    expect(subject).toHaveLength(99);
    expect(subject).toMatch(/^\[streamlake\] FAILED r\?-x+\.\.\.$/);
  });
});

describe('Function: bodyFor', () => {
  it('has job, run id, state, error, duration and console link', () => {
    // Prepare
    const change = parseJobStateChange(loadGlueJobEvent('failed'));
    const details = {
      startedOn: new Date('2026-11-24T14:00:00Z'),
      completedOn: new Date('2026-11-24T14:31:40Z'),
      durationSeconds: 1900,
      errorMessage: 'AccessDenied on s3://lake/curated/',
      attempt: 1,
    };

    // Act
    const body = bodyFor(change, details);

    // Assess
    const runId = change.detail.jobRunId;
    expect(body.split('\n')).toEqual([
      'Glue job streamlake-local-curate ended FAILED.',
      '',
      'Job:       streamlake-local-curate',
      `Run id:    ${runId}`,
      'State:     FAILED (severity ERROR)',
      `Message:   ${change.detail.message}`,
      'Error:     AccessDenied on s3://lake/curated/',
      'Retry:     none: attempt 2 was the last',
      'Duration:  31m 40s, started 2026-11-24T14:00:00.000Z, completed 2026-11-24T14:31:40.000Z',
      `Console:   https://us-east-1.console.aws.amazon.com/gluestudio/home?region=us-east-1#/job/streamlake-local-curate/run/${runId}`,
      'Event:     9e1d7c3b-5f2a-8e4d-6b0c-1a2f3e4d5c6b at 2026-11-24T14:31:47Z (account 123456789012, us-east-1)',
    ]);
  });

  it('says when Glue has no record of the run, and that a success has no error', () => {
    // Act
    const body = bodyFor(parseJobStateChange(loadGlueJobEvent('succeeded')), { missing: true });

    // Assess
    expect(body).toContain('Error:     none\n');
    expect(body).toContain('Duration:  unknown (Glue has no record of this run)\n');
    expect(body).not.toContain('Retry:');
  });

  it('says a failed run Glue has no record of is treated as the last attempt', () => {
    // Act
    const body = bodyFor(parseJobStateChange(loadGlueJobEvent('failed')), { missing: true });

    // Assess
    expect(body).toContain('Retry:     unknown (treated as the last attempt)\n');
  });
});

describe('Function: notificationFor', () => {
  it('sets message attributes for subscription filter policies', () => {
    // Act
    const input = notificationFor(TOPIC, parseJobStateChange(loadGlueJobEvent('timeout')), {});

    // Assess
    expect(input.TopicArn).toBe(TOPIC);
    expect(input.MessageAttributes).toEqual({
      jobName: { DataType: 'String', StringValue: 'streamlake-local-curate' },
      jobRunId: {
        DataType: 'String',
        StringValue: 'jr_f77d1bb58da886e3cbeebbf35a0b3d217b003506792268052c6a730fbc5ec9bc',
      },
      state: { DataType: 'String', StringValue: 'TIMEOUT' },
      severity: { DataType: 'String', StringValue: 'WARN' },
      glueRetries: { DataType: 'String', StringValue: 'false' },
    });
  });
});

describe('Function: consoleLinkFor / formatDuration', () => {
  it('encodes the job name and formats durations', () => {
    expect(consoleLinkFor('eu-west-1', 'a b', 'jr_1')).toBe(
      'https://eu-west-1.console.aws.amazon.com/gluestudio/home?region=eu-west-1#/job/a%20b/run/jr_1',
    );
    expect([undefined, 0, 59, 61, 3723].map(formatDuration)).toEqual([
      'unknown',
      '0s',
      '59s',
      '1m 01s',
      '1h 02m 03s',
    ]);
  });
});
