import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors';
import { actionsFor, compileRoutes, globToRegExp, type Route } from '../../../shared/fanout/routes';
import { FANOUT_ROUTES, STAGES } from '../../../shared/fanout-config';

describe('Function: globToRegExp', () => {
  it('matches whole names, * as any run and ? as one character, the rest literally', () => {
    // Prepare
    const glob = globToRegExp('streamlake-dev-c?rate.*');

    // Act & Assess
    expect(glob.test('streamlake-dev-curate.v2')).toBe(true);
    expect(glob.test('streamlake-dev-curate.')).toBe(true);
    expect(glob.test('streamlake-dev-curateXv2')).toBe(false);
    expect(glob.test('x-streamlake-dev-curate.v2')).toBe(false);
    expect(globToRegExp('a(b)[c]+').test('a(b)[c]+')).toBe(true);
  });
});

describe('Function: compileRoutes', () => {
  it.each([
    [{ jobName: '', states: ['FAILED'], actions: ['notify'] }, 't[0].jobName'],
    [{ jobName: 'j', states: [], actions: ['notify'] }, 't[0].states'],
    [{ jobName: 'j', states: ['RUNNING'], actions: ['notify'] }, 't[0].states'],
    [{ jobName: 'j', states: ['FAILED'], actions: [] }, 't[0].actions'],
    [{ jobName: 'j', states: ['FAILED'], actions: ['email'] }, 't[0].actions'],
  ])('rejects a bad route %j naming %s', (route, variable) => {
    // Act
    const compiling = () => compileRoutes([route as unknown as Route], 't');

    // Assess
    expect(compiling).toThrow(ConfigError);
    expect(compiling).toThrow(expect.objectContaining({ variable }));
  });

  it('accepts the routing table of every stage', () => {
    for (const stage of STAGES)
      expect(() => compileRoutes(FANOUT_ROUTES[stage], stage)).not.toThrow();
  });
});

describe('Function: actionsFor (the stage routing tables)', () => {
  const local = compileRoutes(FANOUT_ROUTES.local, 'local');
  const prod = compileRoutes(FANOUT_ROUTES.prod, 'prod');

  it.each([
    ['streamlake-local-curate', 'SUCCEEDED', ['notify', 'startExecution']],
    ['streamlake-local-curate', 'FAILED', ['notify', 'launchInstance']],
    ['streamlake-local-curate', 'TIMEOUT', ['notify', 'launchInstance']],
    ['streamlake-local-curate', 'STOPPED', ['notify']],
    ['streamlake-local-compact', 'SUCCEEDED', ['notify']],
    ['streamlake-local-compact', 'FAILED', ['notify']],
    ['streamlake-prod-curate', 'FAILED', []],
    ['other-team-curate', 'FAILED', []],
  ] as const)('local: %s %s → %j', (jobName, state, expected) => {
    expect(actionsFor(local, jobName, state)).toEqual(expected);
  });

  it.each([
    ['streamlake-prod-curate', 'SUCCEEDED', ['notify', 'startExecution']],
    ['streamlake-prod-curate', 'FAILED', ['notify', 'launchInstance']],
    ['streamlake-prod-compact', 'SUCCEEDED', []],
    ['streamlake-prod-compact', 'STOPPED', ['notify']],
    ['streamlake-dev-curate', 'FAILED', []],
  ] as const)('prod: %s %s → %j', (jobName, state, expected) => {
    expect(actionsFor(prod, jobName, state)).toEqual(expected);
  });

  it('takes an action once however many routes name it, in the fixed order', () => {
    // Prepare
    const routes = compileRoutes(
      [
        { jobName: '*', states: ['FAILED'], actions: ['startExecution', 'notify'] },
        { jobName: 'job-?', states: ['FAILED'], actions: ['notify', 'launchInstance'] },
      ],
      't',
    );

    // Act
    const actions = actionsFor(routes, 'job-1', 'FAILED');

    // Assess
    expect(actions).toEqual(['notify', 'launchInstance', 'startExecution']);
  });
});
