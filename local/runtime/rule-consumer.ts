import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type QueueAttributeName,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type AsyncResult, invokeAsync } from './async-invoker';
import type { DestinationSender } from './destinations';
import type { LocalFunction } from './local-function';

/** What happened to the events of one EventBridge rule. */
export interface RuleReport {
  readonly rule: string;
  readonly functionName: string;
  events: number;
  invocations: number;
  succeeded: number;
  /** Given up after retries or by age; their record went to the on-failure destination. */
  failed: number;
}

export interface RuleConsumerDeps {
  readonly sqs: SQSClient;
  /** The queue the local AWS puts the rule's matched events in (in place of the Lambda target). */
  readonly queueUrl: string;
  /** EventBridge always sets `account`; the local AWS leaves it out of what it puts in SQS. */
  readonly accountId: string;
  readonly fn: Pick<LocalFunction, 'spec' | 'invoke'>;
  readonly report: RuleReport;
  readonly send: DestinationSender;
  readonly retryDelaysMs: readonly number[];
  readonly pollIntervalMs: number;
  readonly now: () => number;
  readonly warn: (line: string) => void;
}

/**
 * Delivers an EventBridge rule's events to its Lambda target as EventBridge does: one
 * asynchronous invocation per event (the event itself is the payload), with the function's
 * EventInvokeConfig retries and destinations (`async-invoker.ts`).
 */
export class RuleConsumer {
  private stopped = false;
  /** Holding received events not yet settled. */
  private busy = false;
  private lastEmptyReceiveAt = 0;

  constructor(private readonly deps: RuleConsumerDeps) {}

  async run(): Promise<void> {
    while (!this.stopped) {
      let delivered = 0;
      try {
        delivered = await this.deliverSome();
      } catch (error) {
        this.deps.warn(`rule ${this.deps.report.rule}: ${String(error)}`);
      } finally {
        this.busy = false;
      }
      if (delivered === 0) await sleep(this.deps.pollIntervalMs);
    }
  }

  stop(): void {
    this.stopped = true;
  }

  async isDrained(since: number, _ignoreDelayed = false): Promise<boolean> {
    if (this.busy || this.lastEmptyReceiveAt < since) return false;
    const out = await this.deps.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.deps.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const names: QueueAttributeName[] = [
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
    ];
    return names.every((name) => out.Attributes?.[name] === '0');
  }

  private async deliverSome(): Promise<number> {
    const { sqs, queueUrl, fn, report } = this.deps;
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 900,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    if (Messages.length === 0) this.lastEmptyReceiveAt = this.deps.now();
    else this.busy = true;
    for (const message of Messages) {
      report.events += 1;
      const event = { account: this.deps.accountId, ...JSON.parse(message.Body ?? '{}') };
      const result: AsyncResult = await invokeAsync(fn, event, {
        settings: fn.spec.async,
        send: this.deps.send,
        retryDelaysMs: this.deps.retryDelaysMs,
        enqueuedAtMs: Number(message.Attributes?.SentTimestamp ?? this.deps.now()),
        now: this.deps.now,
      });
      report.invocations += result.attempts;
      if (result.condition === 'Success') report.succeeded += 1;
      else report.failed += 1;
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    }
    return Messages.length;
  }
}
