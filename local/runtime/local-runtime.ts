import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { kinesisClientConfig } from '../../shared/aws/clients';
import type { LocalStack } from '../aws/provision';
import { type AsyncResult, invokeAsync } from './async-invoker';
import { scheduledEventOf } from './async-rules';
import { type DestinationSender, destinationSender } from './destinations';
import { DrainTimeoutError } from './errors';
import { type HandlerOverride, LocalFunction } from './local-function';
import {
  type KinesisMapping,
  readStackMappings,
  type SqsMapping,
  type StackMappings,
} from './mappings';
import type { ProgressSample } from './progress';
import { type QueueSources, type RuleDelivery, startQueueSources } from './queue-sources';
import type { OnFailureRecord, RuntimeReport } from './report';
import type { ShardInvocation } from './shard-consumer';
import { StreamSources } from './stream-sources';

/** An event source the runtime can deliver: a Kinesis or SQS mapping, or an EventBridge rule. */
export type DeliverySource =
  | KinesisMapping
  | SqsMapping
  | ({ readonly kind: 'rule' } & RuleDelivery);

export interface LocalRuntimeOptions {
  /** Replace or wrap handlers, keyed by function logical id (`IngestLambdaFunction`) or name. */
  readonly handlers?: Readonly<Record<string, HandlerOverride>>;
  /** Extra variables for every function (e.g. `POWERTOOLS_LOG_LEVEL`), over the template's. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Which sources to deliver (default: every enabled mapping and rule). */
  readonly only?: (source: DeliverySource) => boolean;
  /** Idle poll interval of shards and queues (Lambda polls a shard once a second). */
  readonly pollIntervalMs?: number;
  /** First delay before a counted stream retry, doubling up to 5 s (default 100). */
  readonly retryBaseDelayMs?: number;
  /** Waits before asynchronous retries (Lambda: ~1 and ~2 minutes; default 1 s and 2 s). */
  readonly asyncRetryDelaysMs?: readonly number[];
  /** See QueueConsumerDeps.failedVisibilitySeconds (default: the queue's visibility timeout). */
  readonly failedVisibilitySeconds?: number;
  /** Where handler modules are resolved from (default: the working directory). */
  readonly projectDir?: string;
  /** Sees every Kinesis invocation and the mapping's decision (tests, diagnostics). */
  readonly observe?: (invocation: ShardInvocation) => void;
  /** Receives warnings (shared-environment conflicts, failed reads); default: stderr. */
  readonly warn?: (line: string) => void;
}

/**
 * The local event-source runtime. It reads the stack's event-source mappings, EventInvokeConfigs
 * and (from the harness) EventBridge rule deliveries, and delivers the local AWS's Kinesis
 * shards, SQS queues and rule events to the real handlers, in this process, with Lambda's
 * batching, retry, bisect, partial-batch and asynchronous-invocation rules.
 * @example
 * const runtime = await LocalRuntime.fromStack(stack, { pollIntervalMs: 100 });
 * await runtime.drainStreams();
 * await runtime.drainQueues();
 * console.log(formatReport(runtime.report()));
 * await runtime.stop();
 */
export class LocalRuntime {
  private readonly streams: StreamSources;
  private readonly functions = new Map<string, LocalFunction>();
  private readonly onFailure: OnFailureRecord[] = [];
  private readonly warnings: string[] = [];
  private readonly kinesis: KinesisClient;
  private readonly sqs: SQSClient;
  private readonly send: DestinationSender;
  private queueSources: Promise<QueueSources> | undefined;
  private queueSourcesNow: QueueSources | undefined;

  private constructor(
    readonly stack: LocalStack,
    readonly mappings: StackMappings,
    private readonly options: LocalRuntimeOptions,
  ) {
    const base = {
      endpoint: stack.endpoint,
      region: stack.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    this.kinesis = new KinesisClient({
      ...base,
      ...kinesisClientConfig({ AWS_ENDPOINT_URL: stack.endpoint }),
    });
    this.sqs = new SQSClient(base);
    this.send = destinationSender({ sqs: this.sqs, sns: new SNSClient(base) });
    this.streams = new StreamSources({
      kinesis: this.kinesis,
      region: stack.region,
      mappings: this.selected(mappings.kinesis),
      functionFor: this.functionFor,
      send: this.send,
      onDiscard: (destination, message) =>
        this.onFailure.push({ destination: destination ?? '(none)', message }),
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 100,
      observe: options.observe,
      warn: this.warn,
    });
  }

  /** Reads the stack's mappings (nothing runs until a start or drain call). */
  static async fromStack(
    stack: LocalStack,
    options: LocalRuntimeOptions = {},
  ): Promise<LocalRuntime> {
    return new LocalRuntime(stack, readStackMappings(stack), options);
  }

  private warn = (line: string): void => {
    this.warnings.push(line);
    (this.options.warn ?? ((l: string) => process.stderr.write(`[runtime] ${l}\n`)))(line);
  };

  private selected<S extends DeliverySource>(sources: readonly S[]): S[] {
    return sources.filter((s) => this.options.only?.(s) ?? true);
  }

  private get rules(): RuleDelivery[] {
    const rules = (this.stack.ruleDeliveries ?? []).map((r) => ({ ...r, kind: 'rule' as const }));
    return this.selected(rules);
  }

  /** The function of a logical id, created once (its module loads on its first invocation). */
  functionFor = (logicalId: string): LocalFunction => {
    let fn = this.functions.get(logicalId);
    if (fn) return fn;
    const spec = this.mappings.functions.get(logicalId);
    if (!spec) throw new Error(`no function ${logicalId} in the stack`);
    const overrides = this.options.handlers ?? {};
    fn = new LocalFunction(spec, {
      projectDir: this.options.projectDir ?? process.cwd(),
      environment: {
        AWS_ENDPOINT_URL: this.stack.endpoint,
        AWS_REGION: this.stack.region,
        AWS_DEFAULT_REGION: this.stack.region,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        ...this.options.environment,
      },
      override: overrides[spec.logicalId] ?? overrides[spec.name],
      warn: this.warn,
    });
    this.functions.set(logicalId, fn);
    return fn;
  };

  /** Starts polling every selected shard (idempotent; new shards are picked up by drains). */
  async startStreams(): Promise<void> {
    await this.streams.refresh();
  }

  /** Starts polling every selected SQS mapping and EventBridge rule queue (idempotent). */
  startQueues(): Promise<QueueSources> {
    this.queueSources ??= startQueueSources({
      sqs: this.sqs,
      region: this.stack.region,
      accountId: this.stack.accountId,
      mappings: this.selected(this.mappings.sqs),
      rules: this.rules,
      functionFor: this.functionFor,
      send: this.send,
      pollIntervalMs: this.options.pollIntervalMs ?? 1_000,
      failedVisibilitySeconds: this.options.failedVisibilitySeconds,
      asyncRetryDelaysMs: this.options.asyncRetryDelaysMs ?? [1_000, 2_000],
      warn: this.warn,
    }).then((sources) => {
      this.queueSourcesNow = sources;
      return sources;
    });
    return this.queueSources;
  }

  /**
   * Runs until every selected shard's checkpoint is at the tip (a read after this call found
   * nothing new) with nothing in flight.
   * @throws DrainTimeoutError naming the shards still busy after `timeoutMs`
   */
  async drainStreams(options: { timeoutMs?: number } = {}): Promise<RuntimeReport> {
    const since = Date.now();
    await this.streams.refresh();
    this.streams.poke();
    await this.waitUntil(options.timeoutMs ?? 120_000, async () => this.streams.busy(since));
    return this.report();
  }

  /**
   * Runs until every selected queue (SQS mappings, rule queues) is empty with nothing in flight.
   * Failed SQS messages reappear after their visibility timeout first. `ignoreDelayed` lets the
   * drain end while only delayed messages remain (a handler's scheduled follow-ups, e.g. the
   * crawler's, which the local AWS never lets finish).
   * @throws DrainTimeoutError naming the queues still busy after `timeoutMs`
   */
  async drainQueues(
    options: { timeoutMs?: number; ignoreDelayed?: boolean } = {},
  ): Promise<RuntimeReport> {
    const since = Date.now();
    const sources = await this.startQueues();
    await this.waitUntil(options.timeoutMs ?? 120_000, () =>
      sources.busy(since, options.ignoreDelayed ?? false),
    );
    return this.report();
  }

  /**
   * Invokes the target of a schedule rule now, as EventBridge would at its next tick (a
   * "Scheduled Event", asynchronous invocation with the function's retries and destinations).
   * @param rule the rule's name, or its function's logical id
   */
  async invokeSchedule(rule: string): Promise<AsyncResult> {
    const delivery = (this.stack.ruleDeliveries ?? []).find(
      (r) => r.schedule && (r.rule === rule || r.functionLogicalId === rule),
    );
    if (!delivery) throw new Error(`no schedule rule ${rule} in the stack`);
    const fn = this.functionFor(delivery.functionLogicalId);
    const ruleArn = `arn:aws:events:${this.stack.region}:${this.stack.accountId}:rule/${delivery.rule}`;
    const now = Date.now();
    return invokeAsync(fn, scheduledEventOf({ ruleArn, id: randomUUID(), nowMs: now }), {
      settings: fn.spec.async,
      send: this.send,
      retryDelaysMs: this.options.asyncRetryDelaysMs ?? [1_000, 2_000],
      enqueuedAtMs: now,
      now: Date.now,
    });
  }

  private async waitUntil(timeoutMs: number, busy: () => Promise<string[]>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const waiting = await busy();
      if (waiting.length === 0) return;
      if (Date.now() > deadline) throw new DrainTimeoutError(waiting, timeoutMs);
      await sleep(25);
    }
  }

  /** Records done (committed or given up) and each shard's lag, for `startProgress`. */
  progress(): ProgressSample {
    let ingested = 0;
    const lagMs: Record<string, number> = {};
    for (const r of this.streams.reports) {
      ingested += r.committed + r.discardedRecords;
      lagMs[r.shardId] = r.atTip ? 0 : r.iteratorAgeMs;
    }
    return { ingested, lagMs };
  }

  /** What happened so far: per shard, queue and rule, and every on-failure message sent. */
  report(): RuntimeReport {
    const sources = this.queueSourcesNow;
    return {
      shards: this.streams.reports,
      queues: (sources?.queues ?? []).map((q) => ({ ...q })),
      rules: (sources?.rules ?? []).map((r) => ({ ...r })),
      onFailure: [...this.onFailure],
      warnings: [...this.warnings],
    };
  }

  /** Stops polling; batches in flight finish (a disabled mapping keeps its checkpoint). */
  async stop(): Promise<void> {
    await Promise.all([this.streams.stop(), this.queueSources?.then((q) => q.stop())]);
  }
}
