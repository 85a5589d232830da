import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  type QueueAttributeName,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { MAX_PAYLOAD_BYTES } from './kinesis-event';
import type { LocalFunction } from './local-function';
import type { SqsMapping } from './mappings';
import type { QueueReport } from './report';
import { sqsRecordOf, sqsVerdictOf } from './sqs-rules';

export interface QueueConsumerDeps {
  readonly sqs: SQSClient;
  readonly mapping: SqsMapping;
  readonly queueUrl: string;
  readonly region: string;
  readonly fn: Pick<LocalFunction, 'spec' | 'invoke'>;
  readonly report: QueueReport;
  readonly pollIntervalMs: number;
  /**
   * Local speed-up, off by default: make failed messages visible again after this many seconds
   * instead of the queue's visibility timeout (Lambda itself leaves the timeout alone).
   */
  readonly failedVisibilitySeconds: number | undefined;
  readonly now: () => number;
  readonly warn: (line: string) => void;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Polls one queue and invokes one function as an SQS event-source mapping does: batches of up
 * to BatchSize messages gathered for up to MaximumBatchingWindowInSeconds (one receive when 0),
 * under the 6 MB payload limit, then deletes what succeeded (`sqs-rules.ts`).
 */
export class QueueConsumer {
  private stopped = false;
  /** Messages received and not yet deleted or given back. */
  private inFlight = 0;
  private lastEmptyReceiveAt = 0;

  constructor(private readonly deps: QueueConsumerDeps) {}

  async run(): Promise<void> {
    while (!this.stopped) {
      let delivered = 0;
      try {
        delivered = await this.deliverOneBatch();
      } catch (error) {
        this.deps.warn(`${this.deps.mapping.queueName}: ${String(error)}`);
      } finally {
        this.inFlight = 0;
      }
      if (delivered === 0) await sleep(this.deps.pollIntervalMs);
    }
  }

  stop(): void {
    this.stopped = true;
  }

  /**
   * Nothing in flight, a receive found the queue empty since `since`, and SQS agrees (delayed
   * messages count unless `ignoreDelayed`).
   */
  async isDrained(since: number, ignoreDelayed = false): Promise<boolean> {
    if (this.inFlight > 0 || this.lastEmptyReceiveAt < since) return false;
    const names: QueueAttributeName[] = [
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
      ...(ignoreDelayed ? [] : (['ApproximateNumberOfMessagesDelayed'] as const)),
    ];
    const out = await this.deps.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: this.deps.queueUrl, AttributeNames: names }),
    );
    // The local AWS answers with more attributes than asked for: read only the asked ones.
    return names.every((name) => out.Attributes?.[name] === '0');
  }

  private async receive(max: number): Promise<Message[]> {
    const out = await this.deps.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.deps.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: 0,
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return out.Messages ?? [];
  }

  private async gather(): Promise<SQSRecord[]> {
    const { mapping, region } = this.deps;
    const records: SQSRecord[] = [];
    let bytes = 0;
    const opened = this.deps.now();
    do {
      const messages = await this.receive(mapping.batchSize - records.length);
      if (messages.length === 0) {
        if (records.length === 0) this.lastEmptyReceiveAt = this.deps.now();
        if (mapping.maximumBatchingWindowInSeconds === 0) break;
        await sleep(Math.min(this.deps.pollIntervalMs, 200));
      }
      this.inFlight += messages.length;
      for (const message of messages) {
        const record = sqsRecordOf(message, mapping.queueArn, region);
        records.push(record);
        bytes += Buffer.byteLength(JSON.stringify(record));
      }
    } while (
      !this.stopped &&
      records.length < mapping.batchSize &&
      bytes < MAX_PAYLOAD_BYTES &&
      this.deps.now() - opened < mapping.maximumBatchingWindowInSeconds * 1000
    );
    return records;
  }

  private async deliverOneBatch(): Promise<number> {
    const { fn, mapping, report, sqs, queueUrl } = this.deps;
    const records = await this.gather();
    if (records.length === 0) return 0;
    report.received += records.length;
    const result = await fn.invoke({ Records: records });
    report.invocations += 1;
    const ids = records.map((r) => r.messageId);
    const verdict = sqsVerdictOf(result.outcome, ids, mapping.reportBatchItemFailures);
    const failed = records.filter(
      (r) =>
        verdict.kind === 'failure' ||
        (verdict.kind === 'partial' && verdict.failed.has(r.messageId)),
    );
    const succeeded = records.filter((r) => !failed.includes(r));
    for (const part of chunks(succeeded, 10))
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: part.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
    const visibility = this.deps.failedVisibilitySeconds;
    if (visibility !== undefined)
      for (const part of chunks(failed, 10))
        await sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: part.map((r, i) => ({
              Id: String(i),
              ReceiptHandle: r.receiptHandle,
              VisibilityTimeout: visibility,
            })),
          }),
        );
    report.deleted += succeeded.length;
    report.failed += failed.length;
    return records.length;
  }
}
