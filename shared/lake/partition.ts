import type { PartitionKey } from '../datasets/types';
import { utcDateHourOf } from '../records/calendar';

/**
 * The Hive partition path of an event time (UTC), e.g. `dt=2026-11-24/hour=13`.
 * @example partitionPathOf(DEFAULT_PARTITION_KEYS, 1_764_000_000_000_000n) // 'dt=2025-11-24/hour=16'
 */
export function partitionPathOf(keys: readonly PartitionKey[], eventMicros: bigint): string {
  const { date, hour } = utcDateHourOf(eventMicros);
  const parts = { date, hour, year: date.slice(0, 4), month: date.slice(5, 7) };
  return keys.map((key) => `${key.name}=${parts[key.part]}`).join('/');
}

/** The `dt=YYYY-MM-DD` partition of the quarantine, from the record's arrival time. */
export function quarantinePartitionOf(arrivalMicros: bigint): string {
  return `dt=${utcDateHourOf(arrivalMicros).date}`;
}
