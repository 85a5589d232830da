import type { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { IngestRecords } from './lake-ingest';
import { batchInfoOf } from './on-failure-message';
import { type Pause, redriveStreamRange } from './stream-range';

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
 * redriven (not an invocation record, range trimmed, writes still failing) stays in the queue and
 * is visible again after the visibility timeout. Idempotent: a message redriven twice writes the
 * same objects again.
 *
 * One message at a time, so that the visibility timeout covers only that message's work (a batch
 * of ten would have the tenth's running out while the first nine are redriven, and a stale
 * receipt handle may not delete). Long polling, so that an empty answer means the queue has no
 * visible message (short polling samples a few servers and may answer empty while some hold
 * messages). One pass: a message that comes back during the run (it failed, and its timeout
 * ran out) is made visible again at once and ends the run.
 */
export async function redriveFailureQueue(deps: {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly kinesis: KinesisClient;
  readonly ingest: IngestRecords;
  /** How long a message being redriven stays invisible to others (default 900 s). */
  readonly visibilityTimeoutSeconds?: number;
  /** Long-polling wait of each receive (default 20 s, the most SQS allows). */
  readonly waitTimeSeconds?: number;
  readonly pause?: Pause;
}): Promise<FailureQueueRedrive> {
  const summary: FailureQueueRedrive = { messages: 0, redriven: 0, records: 0, failed: [] };
  const tried = new Set<string>();
  for (;;) {
    const { Messages = [] } = await deps.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deps.queueUrl,
        MaxNumberOfMessages: 1,
        VisibilityTimeout: deps.visibilityTimeoutSeconds ?? 900,
        WaitTimeSeconds: deps.waitTimeSeconds ?? 20,
      }),
    );
    const [message] = Messages;
    if (!message) return summary;
    const messageId = message.MessageId ?? '';
    if (tried.has(messageId)) {
      await deps.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: deps.queueUrl,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      return summary;
    }
    tried.add(messageId);
    summary.messages += 1;
    try {
      const range = await redriveStreamRange(deps, batchInfoOf(message.Body ?? ''));
      await deps.sqs.send(
        new DeleteMessageCommand({ QueueUrl: deps.queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
      summary.redriven += 1;
      summary.records += range.records;
    } catch (error) {
      summary.failed.push({ messageId, error: String(error) });
    }
  }
}
