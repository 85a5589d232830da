import type {
  DiscardCondition,
  KinesisOnFailureMessage,
} from '../../shared/redrive/on-failure-message';
import type { RuleRecord } from './stream-rules';

/**
 * The on-failure destination message of a discarded Kinesis batch, in the shape Lambda sends
 * (developer guide, kinesis-on-failure-destination): metadata only, the records stay in the stream.
 */

/** What is known about a discarded batch when the message is written. */
export interface DiscardedBatch {
  readonly records: readonly RuleRecord[];
  readonly condition: DiscardCondition;
  readonly shardId: string;
  readonly streamArn: string;
  readonly functionArn: string;
  /** Invocations made with these records; 0 when they expired before any. */
  readonly invocations: number;
  /** The request id of the last invocation, or a fresh one. */
  readonly requestId: string;
  /** Whether the last invocation threw or timed out. */
  readonly lastFunctionError: boolean;
  readonly nowMs: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Builds the on-failure message of a discarded batch (records in sequence order, at least one).
 * @example JSON.stringify(onFailureMessage(batch)) // the SQS message body
 */
export function onFailureMessage(batch: DiscardedBatch): KinesisOnFailureMessage {
  const first = batch.records[0];
  const last = batch.records[batch.records.length - 1];
  if (!first || !last) throw new RangeError('a discarded batch holds at least one record');
  return {
    requestContext: {
      requestId: batch.requestId,
      functionArn: batch.functionArn,
      condition: batch.condition,
      approximateInvokeCount: batch.invocations,
    },
    ...(batch.invocations > 0
      ? {
          responseContext: {
            statusCode: 200,
            executedVersion: '$LATEST',
            ...(batch.lastFunctionError ? { functionError: 'Unhandled' } : {}),
          },
        }
      : {}),
    version: '1.0',
    timestamp: iso(batch.nowMs),
    KinesisBatchInfo: {
      shardId: batch.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: iso(first.arrivalMs),
      approximateArrivalOfLastRecord: iso(last.arrivalMs),
      batchSize: batch.records.length,
      streamArn: batch.streamArn,
    },
  };
}
