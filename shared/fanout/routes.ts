import { ConfigError } from '../errors';
import { JOB_STATES, type JobState } from './event';

/** What a route can make happen, in the order actions are listed and logged. */
export const ACTION_KINDS = ['notify', 'launchInstance', 'startExecution'] as const;
/**
 * - `notify`: SNS Publish to the job notifications topic;
 * - `launchInstance`: EC2 RunInstances from the post-processing launch template;
 * - `startExecution`: Step Functions StartExecution of the post-ETL state machine.
 */
export type ActionKind = (typeof ACTION_KINDS)[number];

/**
 * One line of the routing table: when a job whose name matches `jobName` reaches one of `states`,
 * take `actions`. `jobName` is a glob on the whole name: `*` any run of characters, `?` one.
 */
export interface Route {
  readonly jobName: string;
  readonly states: readonly JobState[];
  readonly actions: readonly ActionKind[];
}

/** A route with its glob compiled, ready to match. */
export interface CompiledRoute extends Route {
  readonly matcher: RegExp;
}

/**
 * The anchored regular expression of a glob.
 * @example globToRegExp('streamlake-dev-*').test('streamlake-dev-curate') // true
 */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}

/**
 * Checks and compiles a routing table; `source` names it in errors (e.g. `fanout routes[dev]`).
 * @throws ConfigError naming the route and the field at fault
 */
export function compileRoutes(routes: readonly Route[], source: string): readonly CompiledRoute[] {
  return routes.map((route, index) => {
    const at = `${source}[${index}]`;
    if (!route.jobName) throw new ConfigError(`${at}.jobName`, 'must be a non-empty glob');
    if (route.states.length === 0) throw new ConfigError(`${at}.states`, 'must list a state');
    for (const state of route.states)
      if (!JOB_STATES.includes(state))
        throw new ConfigError(`${at}.states`, `unknown state "${state}"`);
    if (route.actions.length === 0) throw new ConfigError(`${at}.actions`, 'must list an action');
    for (const action of route.actions)
      if (!ACTION_KINDS.includes(action))
        throw new ConfigError(`${at}.actions`, `unknown action "${action}"`);
    return Object.freeze({ ...route, matcher: globToRegExp(route.jobName) });
  });
}

/**
 * The actions for a job reaching a state: the union over every matching route, each action once,
 * in `ACTION_KINDS` order. No match → no action.
 * @example actionsFor(routes, 'streamlake-dev-curate', 'FAILED') // ['notify', 'launchInstance']
 */
export function actionsFor(
  routes: readonly CompiledRoute[],
  jobName: string,
  state: JobState,
): ActionKind[] {
  const chosen = new Set<ActionKind>();
  for (const route of routes)
    if (route.states.includes(state) && route.matcher.test(jobName))
      for (const action of route.actions) chosen.add(action);
  return ACTION_KINDS.filter((kind) => chosen.has(kind));
}
