import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Callback, Context } from 'aws-lambda';
import { FunctionTimeoutError, HandlerLoadError } from './errors';
import { lambdaContextOf } from './lambda-context';
import type { FunctionSpec } from './mappings';
import type { InvokeOutcome } from './stream-rules';

/** A Lambda handler as a module exports it: async, or Node's callback style. */
// biome-ignore lint/suspicious/noExplicitAny: handlers take the event type of their trigger
export type LambdaHandler = (event: any, context: Context, callback: Callback) => unknown;

/**
 * Replaces or wraps a function's handler (tests: fault injection, tiny test handlers). `load`
 * imports the real module with the function's environment; an override that never calls it
 * never imports the module.
 * @example const crashOnce: HandlerOverride = async (load) => withCrash(await load())
 */
export type HandlerOverride = (
  load: () => Promise<LambdaHandler>,
  spec: FunctionSpec,
) => LambdaHandler | Promise<LambdaHandler>;

export interface InvokeResult {
  readonly outcome: InvokeOutcome;
  readonly requestId: string;
  readonly durationMs: number;
}

export interface LocalFunctionOptions {
  readonly projectDir: string;
  /** Variables every function gets on top of its own (e.g. the local endpoint, log levels). */
  readonly environment: Readonly<Record<string, string>>;
  readonly override?: HandlerOverride;
  /** How long to wait for a timed-out handler to settle before redelivering (default 30 s). */
  readonly orphanGraceMs?: number;
  readonly warn: (line: string) => void;
}

/** Who set each variable the runtime put into the shared process environment. */
const environmentOwners = new Map<string, { value: string; owner: string }>();

/**
 * Sets a function's variables in `process.env` before its module loads (handlers read their
 * configuration at cold start). process.env is shared by every function of the process: a
 * variable two functions set differently is reported, and each module sees its own value only
 * while it loads. The variables stay set, because SDK clients read theirs lazily.
 */
function applyEnvironment(
  spec: FunctionSpec,
  variables: Record<string, string>,
  warn: (l: string) => void,
) {
  for (const [name, value] of Object.entries(variables)) {
    const owner = environmentOwners.get(name);
    if (owner && owner.value !== value && owner.owner !== spec.logicalId)
      warn(`${spec.logicalId} sets ${name}, which ${owner.owner} set differently (shared env)`);
    environmentOwners.set(name, { value, owner: spec.logicalId });
    process.env[name] = value;
  }
}

function modulePathOf(
  spec: FunctionSpec,
  projectDir: string,
): { file: string; exportName: string } {
  const dot = spec.handler.lastIndexOf('.');
  const base = resolve(projectDir, spec.handler.slice(0, dot));
  const exportName = spec.handler.slice(dot + 1);
  const file = ['.ts', '.mts', '.js', '.mjs'].map((ext) => base + ext).find(existsSync);
  if (dot < 1 || !file)
    throw new HandlerLoadError(spec.name, `no module for handler ${spec.handler}`);
  return { file, exportName };
}

/**
 * Runs one function's handler in this process, with a Lambda context and its Timeout.
 *
 * Lambda runs concurrent invocations in separate execution environments, so module-scope state
 * (clients, Powertools processors, caches) is never shared by two invocations at once. Here an
 * environment is an instance of the handler module of its own (imported under a URL of its own;
 * the modules it imports are shared): an invocation takes an idle one or cold-starts a new one,
 * and gives it back when it ends.
 */
export class LocalFunction {
  private readonly idle: LambdaHandler[] = [];
  /** Execution environments started so far (cold starts). */
  coldStarts = 0;

  constructor(
    readonly spec: FunctionSpec,
    private readonly options: LocalFunctionOptions,
  ) {}

  private load = async (): Promise<LambdaHandler> => {
    const { file, exportName } = modulePathOf(this.spec, this.options.projectDir);
    applyEnvironment(
      this.spec,
      { ...this.spec.environment, ...this.options.environment },
      this.options.warn,
    );
    // Its own module instance per function and environment, never one imported elsewhere.
    const query = `?function=${encodeURIComponent(this.spec.logicalId)}&environment=${this.coldStarts}`;
    const url = pathToFileURL(file).href + query;
    let module: Record<string, unknown>;
    try {
      module = (await import(url)) as Record<string, unknown>;
    } catch (error) {
      throw new HandlerLoadError(this.spec.name, `${file} failed to load`, { cause: error });
    }
    const handler = module[exportName];
    if (typeof handler !== 'function')
      throw new HandlerLoadError(this.spec.name, `${file} exports no function ${exportName}`);
    return handler as LambdaHandler;
  };

  /** An idle execution environment's handler, or a new environment's (a cold start). */
  private async acquire(): Promise<LambdaHandler> {
    const warm = this.idle.pop();
    if (warm) return warm;
    this.coldStarts += 1;
    const override = this.options.override;
    return override ? override(this.load, this.spec) : this.load();
  }

  /**
   * Invokes the handler with `event`. A throw, a callback error or the Timeout is an `error`
   * outcome. A timed-out handler cannot be stopped in-process (AWS stops its sandbox): the call
   * waits for it to settle (up to `orphanGraceMs`) so that its late writes cannot race a retry.
   */
  async invoke(event: unknown): Promise<InvokeResult> {
    let handler: LambdaHandler;
    try {
      handler = await this.acquire();
    } catch (error) {
      // An init error (module or configuration) fails the invocation, as Lambda reports it.
      this.options.warn(`${this.spec.name}: cold start failed: ${String(error)}`);
      return { outcome: { kind: 'error', error }, requestId: randomUUID(), durationMs: 0 };
    }
    let timedOut = false;
    try {
      const result = await this.run(handler, event);
      timedOut =
        result.outcome.kind === 'error' && result.outcome.error instanceof FunctionTimeoutError;
      return result;
    } finally {
      // Lambda resets an execution environment whose invocation timed out: the next one starts
      // cold, with a fresh instance of the handler module (the modules it imports stay shared).
      if (!timedOut) this.idle.push(handler);
    }
  }

  private async run(handler: LambdaHandler, event: unknown): Promise<InvokeResult> {
    const started = Date.now();
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const requestId = randomUUID();
    const context = lambdaContextOf(this.spec, started + timeoutMs, Date.now, requestId);
    const run = new Promise<unknown>((done, fail) => {
      const callback: Callback = (error, result) => (error ? fail(error) : done(result));
      try {
        const returned = handler(event, context, callback);
        if (returned && typeof (returned as Promise<unknown>).then === 'function')
          (returned as Promise<unknown>).then(done, fail);
        else if (handler.length < 3) done(returned);
      } catch (error) {
        fail(error);
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((done) => {
      timer = setTimeout(() => done('timeout'), timeoutMs);
    });
    let outcome: InvokeOutcome;
    try {
      const first = await Promise.race([run.then((response) => ({ response })), timeout]);
      outcome =
        first === 'timeout'
          ? { kind: 'error', error: new FunctionTimeoutError(this.spec.timeoutSeconds) }
          : { kind: 'returned', response: first.response };
    } catch (error) {
      outcome = { kind: 'error', error };
    } finally {
      clearTimeout(timer);
    }
    if (outcome.kind === 'error' && outcome.error instanceof FunctionTimeoutError)
      await this.waitForOrphan(run);
    return { outcome, requestId, durationMs: Date.now() - started };
  }

  private async waitForOrphan(run: Promise<unknown>): Promise<void> {
    const grace = this.options.orphanGraceMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      run.then(
        () => true,
        () => true,
      ),
      new Promise<false>((done) => {
        timer = setTimeout(() => done(false), grace);
      }),
    ]);
    clearTimeout(timer);
    if (!settled)
      this.options.warn(`${this.spec.name}: a timed-out invocation still runs after ${grace} ms`);
  }
}
