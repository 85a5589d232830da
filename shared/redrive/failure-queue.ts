import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { IngestRecords } from './lake-ingest';
import { batchInfoOf } from './on-failure-message';
import { redriveStreamRange } from './stream-range';

export interface FailureQueueRedrive {
  /** Messages read from the queue. */
  messages: number;
  /** Messages whose range was re-ingested and which were deleted. */
  redriven: number;
  records: number;
  /** Messages left in the queue, with why (they reappear after the visibility timeout). */
  readonly failed: { readonly messageId: string; readonly error: string }[];
}

/**
 * Drains an on-failure queue: for each message, re-ingests its sequence range from the stream
 * (`redriveStreamRange`) and deletes the message once that succeeded. A message that cannot be
 * redriven (not an invocation record, range trimmed, writes still failing) stays in the queue.
 * Idempotent: a message redriven twice writes the same objects again.
 */
export async function redriveFailureQueue(deps: {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly kinesis: KinesisClient;
  readonly ingest: IngestRecords;
  /** How long a message being redriven stays invisible to others (default 300 s). */
  readonly visibilityTimeoutSeconds?: number;
}): Promise<FailureQueueRedrive> {
  const summary: FailureQueueRedrive = { messages: 0, redriven: 0, records: 0, failed: [] };
  for (;;) {
    const { Messages = [] } = await deps.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deps.queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: deps.visibilityTimeoutSeconds ?? 300,
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) return summary;
    for (const message of Messages) {
      summary.messages += 1;
      try {
        const range = await redriveStreamRange(deps, batchInfoOf(message.Body ?? ''));
        await deps.sqs.send(
          new DeleteMessageCommand({
            QueueUrl: deps.queueUrl,
            ReceiptHandle: message.ReceiptHandle,
          }),
        );
        summary.redriven += 1;
        summary.records += range.records;
      } catch (error) {
        summary.failed.push({ messageId: message.MessageId ?? '', error: String(error) });
      }
    }
  }
}
