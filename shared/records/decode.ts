import type { KinesisStreamRecordPayload } from 'aws-lambda';
import { PoisonRecordError } from './errors';
import type { CompiledDataset, DatasetRegistry } from './registry';
import { routeUserRecord } from './route';
import { type UserRecordOrigin, unwrapRecord } from './unwrap';

/** One row for the lake: column values in declaration order, before lineage is added. */
export interface DecodedRow {
  readonly dataset: CompiledDataset;
  readonly values: readonly unknown[];
  readonly unmapped: string | null;
  readonly eventMicros: bigint;
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

function decodeUserRecord(
  registry: DatasetRegistry,
  origin: UserRecordOrigin,
  payload: Buffer,
): DecodedRow | PoisonUnit {
  const route = routeUserRecord(registry, origin.partitionKey, payload);
  const dataset = route.dataset;
  if ('error' in route)
    return { dataset: dataset?.declaration.name ?? null, error: route.error, origin };
  if (!dataset) throw new Error('unreachable: a route without error names its dataset');
  try {
    const object = route.json ?? dataset.parse(payload);
    const { values, unmapped } = dataset.coerce(object);
    const eventMicros = values[dataset.eventTimeIndex] as bigint;
    return { dataset, values, unmapped, eventMicros, subSequenceNumber: origin.subSequenceNumber };
  } catch (error) {
    if (error instanceof PoisonRecordError)
      return { dataset: dataset.declaration.name, error, origin };
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
  const rows: DecodedRow[] = [];
  const poisons: PoisonUnit[] = [];
  for (const user of unwrapped.userRecords) {
    const result =
      'error' in user
        ? { dataset: null, error: user.error, origin: user.origin }
        : decodeUserRecord(registry, user.origin, user.payload);
    if ('error' in result) poisons.push(result);
    else rows.push(result);
  }
  return { rows, poisons, controlMessages: unwrapped.controlMessages, bytes: unwrapped.bytes };
}
