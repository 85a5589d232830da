import { gzipSync } from 'node:zlib';
import type { PoisonReason } from '../../shared/records/errors';
import {
  bareSensorDatum,
  kplAggregate,
  logsDataMessage,
  withBadChecksum,
} from './kinesis-payloads';
import { clickEvent } from './kinesis-records';

/**
 * Kinesis records for the fault-injection suite, each with what it must become in the lake:
 * the rows it yields (by record key) and the user records it quarantines (with their reason).
 * Every poison class of `shared/records/errors.ts` can be produced. `bad-base64` cannot be put
 * on a stream (Kinesis stores bytes and the event source encodes them correctly): such a record
 * carries a marker that the handler wrapper of `fault-handlers.ts` turns into a corrupt `data`
 * field at the event level.
 */

/** The payload a bad-base64 record carries until the wrapper corrupts its `data` field. */
export const CORRUPT_BASE64_MARKER = 'CORRUPT-BASE64:';

/** One user record of a Kinesis record. */
export type UnitKind =
  | 'click'
  | 'order'
  | 'sensor'
  | 'bad-json'
  | 'bad-csv'
  | 'bad-avro'
  | 'schema-violation'
  | 'unknown-dataset';

export type RecordKind =
  | { readonly shape: 'single'; readonly unit: UnitKind }
  | { readonly shape: 'gzip' }
  | { readonly shape: 'kpl'; readonly units: readonly UnitKind[] }
  | { readonly shape: 'logs'; readonly events: number }
  | { readonly shape: 'bad-base64' | 'bad-gzip' | 'bad-kpl' | 'too-large' };

/** A record to put, and its fate. `sub` is the KPL sub-sequence number of a poison unit. */
export interface PlannedRecord {
  readonly partitionKey: string;
  readonly data: Buffer;
  /** `<dataset>/<record key>` of every row it yields. */
  readonly rows: readonly string[];
  readonly poisons: readonly { readonly reason: PoisonReason; readonly sub: number | null }[];
}

/** The Hive hour a click lands in; `hour=05` is kept for the doomed partition of a case. */
export type ClickHour = 10 | 11 | 12 | 5;

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

type Unit =
  | { readonly partitionKey: string; readonly data: Buffer; readonly row: string }
  | { readonly partitionKey: string; readonly data: Buffer; readonly reason: PoisonReason };

function unitOf(kind: UnitKind, id: string, hour: ClickHour): Unit {
  const hh = String(hour).padStart(2, '0');
  switch (kind) {
    case 'click':
      return {
        partitionKey: `user-${id}`,
        data: json(clickEvent({ event_id: id, event_time: `2026-11-24T${hh}:05:00.250Z` })),
        row: `clickstream/${id}`,
      };
    case 'order':
      return {
        partitionKey: `orders/${id}`,
        data: Buffer.from(`${id},c-1,2026-11-24T11:30:00Z,paid,EUR,12.50,2,,false,gift`),
        row: `orders/${id}`,
      };
    case 'sensor':
      return {
        partitionKey: `sensor/${id}`,
        data: bareSensorDatum(id),
        row: `sensor_readings/${id}`,
      };
    case 'bad-json':
      return {
        partitionKey: `user-${id}`,
        data: Buffer.from(`{"event_type":"click","event_id":"${id}`),
        reason: kind,
      };
    case 'bad-csv':
      return {
        partitionKey: `orders/${id}`,
        data: Buffer.from(`${id},only-three,fields`),
        reason: kind,
      };
    case 'bad-avro':
      return {
        partitionKey: `sensor/${id}`,
        data: Buffer.from([0x02, 0x41, 0xff, 0xfe, 0xfd]),
        reason: kind,
      };
    case 'schema-violation':
      return {
        partitionKey: `user-${id}`,
        data: json(clickEvent({ event_id: id, quantity: 'lots' })),
        reason: kind,
      };
    case 'unknown-dataset':
      return {
        partitionKey: `user-${id}`,
        data: json(clickEvent({ event_id: id, event_type: 'refund' })),
        reason: kind,
      };
  }
}

/** Builds the record of `kind`; `id` makes every row key of the run unique. */
export async function plannedRecord(
  kind: RecordKind,
  id: string,
  hour: ClickHour,
): Promise<PlannedRecord> {
  switch (kind.shape) {
    case 'single': {
      const unit = unitOf(kind.unit, id, hour);
      return 'row' in unit
        ? {
            partitionKey: unit.partitionKey,
            data: unit.data,
            rows: [unit.row],
            poisons: [],
          }
        : {
            partitionKey: unit.partitionKey,
            data: unit.data,
            rows: [],
            poisons: [{ reason: unit.reason, sub: null }],
          };
    }
    case 'gzip':
      return {
        partitionKey: `user-${id}`,
        data: gzipSync(
          json(
            clickEvent({
              event_id: id,
              event_time: `2026-11-24T${String(hour).padStart(2, '0')}:20:00Z`,
            }),
          ),
        ),
        rows: [`clickstream/${id}`],
        poisons: [],
      };
    case 'kpl': {
      const units = kind.units.map((unit, sub) => unitOf(unit, `${id}k${sub}`, hour));
      const data = await kplAggregate(
        units.map((u) => ({ partitionKey: u.partitionKey, data: u.data })),
      );
      return {
        partitionKey: units[0]?.partitionKey ?? `user-${id}`,
        data,
        rows: units.flatMap((u) => ('row' in u ? [u.row] : [])),
        poisons: units.flatMap((u, sub) => ('reason' in u ? [{ reason: u.reason, sub }] : [])),
      };
    }
    case 'logs': {
      const ids = Array.from({ length: kind.events }, (_, i) => `${id}l${i}`);
      const messages = ids.map((eventId) =>
        JSON.stringify(clickEvent({ event_id: eventId, event_time: '2026-11-24T12:40:00Z' })),
      );
      return {
        partitionKey: `logs-${id}`,
        data: logsDataMessage(messages),
        rows: ids.map((i) => `clickstream/${i}`),
        poisons: [],
      };
    }
    case 'bad-base64':
      return {
        partitionKey: `user-${id}`,
        data: Buffer.from(`${CORRUPT_BASE64_MARKER}${id}`),
        rows: [],
        poisons: [{ reason: 'bad-base64', sub: null }],
      };
    case 'bad-gzip':
      return {
        partitionKey: `user-${id}`,
        data: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x13, 0x37, 0xde, 0xad]),
        rows: [],
        poisons: [{ reason: 'bad-gzip', sub: null }],
      };
    case 'bad-kpl': {
      const units = [unitOf('click', `${id}k0`, hour), unitOf('click', `${id}k1`, hour)];
      const data = withBadChecksum(
        await kplAggregate(units.map((u) => ({ partitionKey: u.partitionKey, data: u.data }))),
      );
      return {
        partitionKey: `user-${id}`,
        data,
        rows: [],
        poisons: [{ reason: 'bad-kpl', sub: null }],
      };
    }
    case 'too-large':
      // 2 MiB of spaces inflate past the 1 MiB INGEST_MAX_RECORD_BYTES of the template.
      return {
        partitionKey: `user-${id}`,
        data: gzipSync(Buffer.alloc(2 * 1_048_576, 0x20)),
        rows: [],
        poisons: [{ reason: 'too-large', sub: null }],
      };
  }
}
