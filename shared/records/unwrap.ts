import type { KinesisStreamRecordPayload } from 'aws-lambda';
import { parseLogsEnvelope } from './cloudwatch-logs';
import { PoisonRecordError } from './errors';
import { deaggregateKpl, isKplAggregate } from './kpl';
import { decodeBase64, gunzipBounded, isGzip } from './payload';

/** Where a user record sits inside its Kinesis record. */
export interface UserRecordOrigin {
  readonly kind: 'record' | 'kpl-user-record' | 'log-event';
  readonly partitionKey: string;
  /** Position in a KPL aggregate; null otherwise. */
  readonly subSequenceNumber: number | null;
  /** CloudWatch Logs event id; null otherwise. */
  readonly logEventId: string | null;
  /** The bytes as they arrived for this unit, or (a string) the `data` field as received. */
  readonly original: Buffer | string;
}

/** A user record ready for its dataset's parser, or the reason it can never be. */
export type UserRecord =
  | { readonly origin: UserRecordOrigin; readonly payload: Buffer }
  | { readonly origin: UserRecordOrigin; readonly error: PoisonRecordError };

export interface UnwrappedRecord {
  readonly userRecords: readonly UserRecord[];
  /** CloudWatch Logs control messages seen (no data in them). */
  readonly controlMessages: number;
  /** Decoded size of the Kinesis record's data. */
  readonly bytes: number;
}

/** The origin of a Kinesis record taken as one unit. */
export function recordOriginOf(partitionKey: string, original: Buffer | string): UserRecordOrigin {
  return { kind: 'record', partitionKey, subSequenceNumber: null, logEventId: null, original };
}

/** The user records of a KPL aggregate or a gzip payload. */
function unwrapPacked(
  kinesis: KinesisStreamRecordPayload,
  bytes: Buffer,
  maxBytes: number,
): UnwrappedRecord {
  const whole = recordOriginOf(kinesis.partitionKey, kinesis.data);
  const userRecords: UserRecord[] = [];
  let controlMessages = 0;
  const add = (origin: UserRecordOrigin, bytes: Buffer): void => {
    if (!isGzip(bytes)) {
      userRecords.push({ origin, payload: bytes });
      return;
    }
    const inflated = gunzipBounded(bytes, maxBytes);
    const envelope = parseLogsEnvelope(inflated);
    if (!envelope) userRecords.push({ origin, payload: inflated });
    else if (envelope.messageType === 'CONTROL_MESSAGE') controlMessages += 1;
    else
      for (const event of envelope.logEvents) {
        const message = Buffer.from(event.message, 'utf8');
        const eventOrigin = { ...origin, kind: 'log-event' as const, logEventId: event.id };
        userRecords.push({ origin: { ...eventOrigin, original: message }, payload: message });
      }
  };
  try {
    if (!isKplAggregate(bytes)) add(recordOriginOf(kinesis.partitionKey, bytes), bytes);
    else
      for (const user of deaggregateKpl(kinesis)) {
        const origin: UserRecordOrigin = {
          kind: 'kpl-user-record',
          partitionKey: user.partitionKey,
          subSequenceNumber: user.subSequenceNumber,
          logEventId: null,
          original: user.bytes,
        };
        try {
          add(origin, user.bytes);
        } catch (error) {
          if (!(error instanceof PoisonRecordError)) throw error;
          userRecords.push({ origin, error });
        }
      }
  } catch (error) {
    if (!(error instanceof PoisonRecordError)) throw error;
    return { userRecords: [{ origin: whole, error }], controlMessages: 0, bytes: bytes.length };
  }
  return { userRecords, controlMessages, bytes: bytes.length };
}

/**
 * Turns one Kinesis record into its user records: base64 → KPL de-aggregation → gzip → CloudWatch
 * Logs envelope. A plain record (one user record, neither a KPL aggregate nor gzip), the common
 * case, comes back as its payload alone: its origin is `recordOriginOf` it, made only when it is
 * quarantined. A problem with the record as a whole yields one failed user record holding the
 * `data` field as received; a problem with one user record of an aggregate fails that one only.
 * `maxBytes` bounds the decoded record and every inflated payload.
 *
 * A plain record's payload is `decodeBase64`'s view, overwritten by the next call: the caller
 * uses it at once and copies what it keeps (the quarantine keeps a copy). What an aggregate or
 * gzip payload yields is the caller's to keep.
 */
export function unwrapRecord(
  kinesis: KinesisStreamRecordPayload,
  maxBytes: number,
): Buffer | UnwrappedRecord {
  let bytes: Buffer;
  try {
    bytes = decodeBase64(kinesis.data, maxBytes);
  } catch (error) {
    if (!(error instanceof PoisonRecordError)) throw error;
    const whole = recordOriginOf(kinesis.partitionKey, kinesis.data);
    return { userRecords: [{ origin: whole, error }], controlMessages: 0, bytes: 0 };
  }
  // Packed records are rare, and their user records and origins hold on to these bytes.
  return isKplAggregate(bytes) || isGzip(bytes)
    ? unwrapPacked(kinesis, Buffer.from(bytes), maxBytes)
    : bytes;
}
