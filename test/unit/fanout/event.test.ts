import { describe, expect, it } from 'vitest';
import { InvalidJobEventError } from '../../../shared/fanout/errors';
import { parseJobStateChange } from '../../../shared/fanout/event';
import {
  GLUE_JOB_FIXTURES,
  glueJobEvent,
  loadGlueJobEvent,
} from '../../helpers/eventbridge-events';

function errorOf(run: () => unknown): InvalidJobEventError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidJobEventError) return error;
    throw error;
  }
  throw new Error('expected an InvalidJobEventError');
}

describe('Function: parseJobStateChange', () => {
  it.each(GLUE_JOB_FIXTURES)('accepts the real %s event', (name) => {
    // Prepare
    const event = loadGlueJobEvent(name);

    // Act
    const change = parseJobStateChange(event);

    // Assess
    expect(change.detail).toEqual(event.detail);
    expect(change['detail-type']).toBe('Glue Job State Change');
  });

  it('reads a missing or null message as empty', () => {
    // Prepare
    const withNull = glueJobEvent('failed');
    (withNull.detail as unknown as Record<string, unknown>).message = null;
    const without = glueJobEvent('failed');
    delete (without.detail as unknown as Record<string, unknown>).message;

    // Act
    const messages = [withNull, without].map((e) => parseJobStateChange(e).detail.message);

    // Assess
    expect(messages).toEqual(['', '']);
  });

  it('names the field and the allowed values for a state it does not handle', () => {
    // Act
    const error = errorOf(() =>
      parseJobStateChange(glueJobEvent('succeeded', { state: 'RUNNING' })),
    );

    // Assess
    expect(error.eventId).toBe('5b0c2f8e-3a6d-1f4e-9c2b-7d8e9f0a1b2c');
    expect(error.issues).toEqual([
      {
        path: 'detail.state',
        message: 'Invalid option: expected one of "SUCCEEDED"|"FAILED"|"TIMEOUT"|"STOPPED"',
      },
    ]);
    expect(error.message).toBe(
      'not a Glue Job State Change event (event 5b0c2f8e-3a6d-1f4e-9c2b-7d8e9f0a1b2c): ' +
        'detail.state: Invalid option: expected one of "SUCCEEDED"|"FAILED"|"TIMEOUT"|"STOPPED"',
    );
  });

  it('lists every problem: a missing run id and another detail-type', () => {
    // Prepare
    const event = loadGlueJobEvent('failed');
    const { jobRunId: _dropped, ...detail } = event.detail;
    const crawlerEvent = { ...event, 'detail-type': 'Glue Crawler State Change', detail };

    // Act
    const error = errorOf(() => parseJobStateChange(crawlerEvent));

    // Assess
    expect(error.issues.map((issue) => issue.path)).toEqual(['detail-type', 'detail.jobRunId']);
  });

  it('rejects what is not an event at all', () => {
    // Act
    const error = errorOf(() => parseJobStateChange('hello'));

    // Assess
    expect(error.eventId).toBeUndefined();
    expect(error.issues).toEqual([
      { path: '(event)', message: 'Invalid input: expected object, received string' },
    ]);
  });
});
