import { StreamlakeError } from '../errors';

/** Why an event-source mapping gave a batch up. */
export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** The shard and sequence range of a discarded batch: where to read it again from the stream. */
export interface KinesisBatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly approximateArrivalOfFirstRecord: string;
  readonly approximateArrivalOfLastRecord: string;
  readonly batchSize: number;
  readonly streamArn: string;
}

/**
 * The document a Kinesis event-source mapping sends to its on-failure destination when it
 * discards a batch: metadata only, never the records (Lambda developer guide,
 * kinesis-on-failure-destination, "Example invocation record").
 */
export interface KinesisOnFailureMessage {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: DiscardCondition;
    readonly approximateInvokeCount: number;
  };
  /** Absent when the records expired before any invocation. */
  readonly responseContext?: {
    readonly statusCode: number;
    readonly executedVersion: string;
    /** `Unhandled` when the last invocation threw or timed out; absent for a partial response. */
    readonly functionError?: string;
  };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly KinesisBatchInfo: KinesisBatchInfo;
}

/** A message of the on-failure destination that is not a Kinesis invocation record. */
export class OnFailureMessageError extends StreamlakeError {}

const DIGITS = /^\d+$/;

/**
 * Reads the `KinesisBatchInfo` of an on-failure destination message body.
 * @throws OnFailureMessageError naming what is missing
 * @example batchInfoOf(message.Body).startSequenceNumber
 */
export function batchInfoOf(body: string): KinesisBatchInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new OnFailureMessageError('the message body is not JSON', { cause: error });
  }
  const info = (parsed as { KinesisBatchInfo?: Partial<KinesisBatchInfo> } | null)
    ?.KinesisBatchInfo;
  if (!info || typeof info !== 'object')
    throw new OnFailureMessageError('the message has no KinesisBatchInfo');
  const { shardId, startSequenceNumber: start, endSequenceNumber: end, streamArn } = info;
  if (typeof shardId !== 'string' || typeof streamArn !== 'string')
    throw new OnFailureMessageError('KinesisBatchInfo lacks shardId or streamArn');
  if (typeof start !== 'string' || typeof end !== 'string' || !DIGITS.test(start + end))
    throw new OnFailureMessageError('KinesisBatchInfo lacks a decimal sequence range');
  if (BigInt(start) > BigInt(end))
    throw new OnFailureMessageError(`KinesisBatchInfo range is reversed: ${start} > ${end}`);
  return info as KinesisBatchInfo;
}
