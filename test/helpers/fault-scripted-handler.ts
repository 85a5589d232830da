import type { Context } from 'aws-lambda';

/**
 * A Lambda handler whose answer a test scripts, for exercising the local runtime without the
 * ingest code. Template entries point at it as `test/helpers/fault-scripted-handler.handler`.
 * Every execution environment (module instance) shares `scriptedHandler`, which lives in this
 * module's first instance and is reached through `globalThis`.
 */

/** One invocation as the handler saw it. */
export interface ScriptedInvocation {
  readonly event: unknown;
  readonly context: Context;
  /** `RUNTIME_TEST_MARK` as the module read it at cold start. */
  readonly markAtColdStart: string | undefined;
}

interface ScriptedHandlerState {
  invocations: ScriptedInvocation[];
  script: (event: unknown, context: Context) => unknown;
}

const KEY = Symbol.for('streamlake.test.scriptedHandler');
const global = globalThis as unknown as Record<symbol, ScriptedHandlerState | undefined>;

/** The shared state: what was invoked, and what to answer next. */
export const scriptedHandler: ScriptedHandlerState = global[KEY] ?? {
  invocations: [],
  script: () => undefined,
};
global[KEY] = scriptedHandler;

const markAtColdStart = process.env.RUNTIME_TEST_MARK;

export const handler = async (event: unknown, context: Context): Promise<unknown> => {
  scriptedHandler.invocations.push({ event, context, markAtColdStart });
  return scriptedHandler.script(event, context);
};
