import type { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalStack } from '../aws/provision';
import type { DestinationSender } from './destinations';
import { queueUrlOf } from './destinations';
import type { LocalFunction } from './local-function';
import type { SqsMapping } from './mappings';
import { QueueConsumer } from './queue-consumer';
import type { QueueReport } from './report';
import { RuleConsumer, type RuleReport } from './rule-consumer';

/** An EventBridge rule whose Lambda target the runtime stands in for (from the harness). */
export type RuleDelivery = LocalStack['ruleDeliveries'][number];

/** What the queue-polling sources need from the runtime. */
export interface QueueSourcesContext {
  readonly sqs: SQSClient;
  readonly region: string;
  readonly accountId: string;
  readonly mappings: readonly SqsMapping[];
  readonly rules: readonly RuleDelivery[];
  readonly functionFor: (logicalId: string) => LocalFunction;
  readonly send: DestinationSender;
  readonly pollIntervalMs: number;
  readonly failedVisibilitySeconds: number | undefined;
  readonly asyncRetryDelaysMs: readonly number[];
  readonly warn: (line: string) => void;
}

/** The running pollers of SQS mappings and EventBridge rule queues. */
export interface QueueSources {
  readonly queues: readonly QueueReport[];
  readonly rules: readonly RuleReport[];
  /** Ids of the sources not drained since `since`. */
  busy(since: number, ignoreDelayed: boolean): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Starts one poller per SQS mapping (as many as its `ScalingConfig.MaximumConcurrency`, at most
 * 5 locally) and one per EventBridge pattern rule whose events the local AWS queues.
 */
export async function startQueueSources(ctx: QueueSourcesContext): Promise<QueueSources> {
  const consumers: {
    id: string;
    consumer: QueueConsumer | RuleConsumer;
    running: Promise<void>;
  }[] = [];
  const queues: QueueReport[] = [];
  const rules: RuleReport[] = [];
  for (const mapping of ctx.mappings) {
    const fn = ctx.functionFor(mapping.functionLogicalId);
    const report: QueueReport = {
      mapping: mapping.logicalId,
      functionName: fn.spec.name,
      queueName: mapping.queueName,
      received: 0,
      invocations: 0,
      deleted: 0,
      failed: 0,
    };
    queues.push(report);
    const queueUrl = await queueUrlOf(ctx.sqs, mapping.queueArn);
    for (
      let poller = 0;
      poller < Math.min(5, Math.max(1, mapping.maximumConcurrency));
      poller += 1
    ) {
      const consumer = new QueueConsumer({
        sqs: ctx.sqs,
        mapping,
        queueUrl,
        region: ctx.region,
        fn,
        report,
        pollIntervalMs: ctx.pollIntervalMs,
        failedVisibilitySeconds: ctx.failedVisibilitySeconds,
        now: Date.now,
        warn: ctx.warn,
      });
      consumers.push({ id: `${mapping.logicalId}#${poller}`, consumer, running: consumer.run() });
    }
  }
  for (const rule of ctx.rules) {
    if (!rule.queueUrl) continue;
    const fn = ctx.functionFor(rule.functionLogicalId);
    const report: RuleReport = {
      rule: rule.rule,
      functionName: fn.spec.name,
      events: 0,
      invocations: 0,
      succeeded: 0,
      failed: 0,
    };
    rules.push(report);
    const consumer = new RuleConsumer({
      sqs: ctx.sqs,
      queueUrl: rule.queueUrl,
      accountId: ctx.accountId,
      fn,
      report,
      send: ctx.send,
      retryDelaysMs: ctx.asyncRetryDelaysMs,
      pollIntervalMs: ctx.pollIntervalMs,
      now: Date.now,
      warn: ctx.warn,
    });
    consumers.push({ id: `rule ${rule.rule}`, consumer, running: consumer.run() });
  }
  return {
    queues,
    rules,
    async busy(since, ignoreDelayed) {
      const busy: string[] = [];
      for (const { id, consumer } of consumers)
        if (!(await consumer.isDrained(since, ignoreDelayed))) busy.push(id);
      return busy;
    },
    async stop() {
      for (const { consumer } of consumers) consumer.stop();
      await Promise.all(consumers.map((c) => c.running));
    },
  };
}
