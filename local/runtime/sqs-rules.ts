import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSMessageAttribute, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import type { InvokeOutcome } from './stream-rules';

/**
 * SQS event-source mapping rules, pure (developer guide: with-sqs "Example Amazon SQS message
 * event", services-sqs-errorhandling "Implementing partial batch responses"):
 * - a function error fails the whole batch: no message is deleted, all reappear after the
 *   visibility timeout;
 * - without `ReportBatchItemFailures` a returned response is success: every message is deleted;
 * - with it, an empty or null list (or response) is success; an invalid response, an empty or
 *   null `itemIdentifier`, a bad key name or an id that is not a message of the batch fails the
 *   whole batch; otherwise only the listed messages stay in the queue.
 * Moving a message to a dead-letter queue after `maxReceiveCount` is the queue's RedrivePolicy,
 * which the local AWS applies itself on receive.
 */

const SYSTEM_ATTRIBUTES = [
  'ApproximateReceiveCount',
  'SentTimestamp',
  'SenderId',
  'ApproximateFirstReceiveTimestamp',
  'AWSTraceHeader',
  'SequenceNumber',
  'MessageGroupId',
  'MessageDeduplicationId',
  'DeadLetterQueueSourceArn',
] as const;

function attributeOf(value: MessageAttributeValue): SQSMessageAttribute {
  return {
    ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
    ...(value.BinaryValue !== undefined
      ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }
      : {}),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
    dataType: value.DataType ?? 'String',
  };
}

/** A received message as Lambda delivers it. */
export function sqsRecordOf(message: Message, queueArn: string, region: string): SQSRecord {
  const received = message.Attributes ?? {};
  const attributes: Record<string, string> = {};
  for (const name of SYSTEM_ATTRIBUTES) {
    const value = received[name];
    if (value !== undefined) attributes[name] = value;
  }
  const messageAttributes: Record<string, SQSMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {}))
    messageAttributes[name] = attributeOf(value);
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: attributes as unknown as SQSRecordAttributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes
      ? { md5OfMessageAttributes: message.MD5OfMessageAttributes }
      : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** Which messages of an invoked batch stay in the queue (the rest are deleted). */
export type SqsVerdict =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly failed: ReadonlySet<string> }
  | { readonly kind: 'failure'; readonly reason: string };

/**
 * Reads an invocation outcome the way an SQS event-source mapping does.
 * @example sqsVerdictOf({ kind: 'returned', response: { batchItemFailures: [{ itemIdentifier: 'm2' }] } }, ['m1', 'm2'], true)
 * // { kind: 'partial', failed: Set { 'm2' } }
 */
export function sqsVerdictOf(
  outcome: InvokeOutcome,
  messageIds: readonly string[],
  reportBatchItemFailures: boolean,
): SqsVerdict {
  if (outcome.kind === 'error') return { kind: 'failure', reason: 'function error' };
  const response = outcome.response;
  if (!reportBatchItemFailures || response === null || response === undefined)
    return { kind: 'success' };
  if (typeof response !== 'object' || Array.isArray(response))
    return { kind: 'failure', reason: 'the response is not an SQSBatchResponse object' };
  const list = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === null || list === undefined) return { kind: 'success' };
  if (!Array.isArray(list)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (list.length === 0) return { kind: 'success' };
  const failed = new Set<string>();
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '')
      return { kind: 'failure', reason: 'an itemIdentifier is missing, null or empty' };
    if (!messageIds.includes(id))
      return { kind: 'failure', reason: `itemIdentifier ${id} is not a message of the batch` };
    failed.add(id);
  }
  return { kind: 'partial', failed };
}
