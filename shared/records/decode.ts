import type { KinesisStreamRecordPayload } from 'aws-lambda';
import { PoisonRecordError } from './errors';
import type { CompiledDataset, DatasetRegistry } from './registry';
import { routeUserRecord } from './route';
import { recordOriginOf, type UserRecord, type UserRecordOrigin, unwrapRecord } from './unwrap';

/** One row for the lake: column values in declaration order, before lineage is added. */
export interface DecodedRow {
  readonly dataset: CompiledDataset;
  /** In canonical form: see `CoercedRecord`. */
  readonly values: readonly unknown[];
  readonly unmapped: string | null;
  /** The event time in microseconds since the epoch, UTC: a number when safe, else a bigint. */
  readonly eventMicros: number | bigint;
  readonly subSequenceNumber: number | null;
}

/** One user record for the quarantine, with the dataset it was routed to, when known. */
export interface PoisonUnit {
  readonly dataset: string | null;
  readonly error: PoisonRecordError;
  readonly origin: UserRecordOrigin;
}

/** Everything one Kinesis record turned into. */
export interface DecodedRecord {
  readonly rows: readonly DecodedRow[];
  readonly poisons: readonly PoisonUnit[];
  readonly controlMessages: number;
  readonly bytes: number;
}

/** What one user record turned into: its row, or the error to quarantine it with. */
type UserRecordResult =
  | DecodedRow
  | { readonly dataset: string | null; readonly error: PoisonRecordError };

function decodeUserRecord(
  registry: DatasetRegistry,
  partitionKey: string,
  subSequenceNumber: number | null,
  payload: Buffer,
): UserRecordResult {
  const route = routeUserRecord(registry, partitionKey, payload);
  const dataset = route.dataset;
  if ('error' in route) return { dataset: dataset?.declaration.name ?? null, error: route.error };
  if (!dataset) throw new Error('unreachable: a route without error names its dataset');
  try {
    const object = route.json ?? dataset.parse(payload);
    const { values, unmapped } = dataset.coerce(object);
    const eventMicros = values[dataset.eventTimeIndex] as number | bigint;
    return { dataset, values, unmapped, eventMicros, subSequenceNumber };
  } catch (error) {
    if (error instanceof PoisonRecordError) return { dataset: dataset.declaration.name, error };
    throw error;
  }
}

/**
 * Decodes one Kinesis record into rows and quarantined user records. Never throws for a
 * problem with the record's content (those are PoisonRecordErrors inside the result); anything
 * else it throws is a fault of this code or the runtime and fails the record.
 */
export function decodeRecord(
  registry: DatasetRegistry,
  kinesis: KinesisStreamRecordPayload,
  maxBytes: number,
): DecodedRecord {
  const unwrapped = unwrapRecord(kinesis, maxBytes);
  if (Buffer.isBuffer(unwrapped)) {
    // A plain record, the common case: no origin is made unless it is quarantined.
    const result = decodeUserRecord(registry, kinesis.partitionKey, null, unwrapped);
    const bytes = unwrapped.length;
    if (!('error' in result)) return { rows: [result], poisons: [], controlMessages: 0, bytes };
    // The payload is a view the next record's decoding overwrites (see `unwrapRecord`).
    const origin = recordOriginOf(kinesis.partitionKey, Buffer.from(unwrapped));
    const poison = { dataset: result.dataset, error: result.error, origin };
    return { rows: [], poisons: [poison], controlMessages: 0, bytes };
  }
  const users = unwrapped.userRecords;
  const rows: DecodedRow[] = [];
  const poisons: PoisonUnit[] = [];
  for (let i = 0; i < users.length; i += 1) {
    const user = users[i] as UserRecord;
    const { origin } = user;
    const result =
      'error' in user
        ? { dataset: null, error: user.error }
        : decodeUserRecord(registry, origin.partitionKey, origin.subSequenceNumber, user.payload);
    if ('error' in result) poisons.push({ dataset: result.dataset, error: result.error, origin });
    else rows.push(result);
  }
  return { rows, poisons, controlMessages: unwrapped.controlMessages, bytes: unwrapped.bytes };
}
