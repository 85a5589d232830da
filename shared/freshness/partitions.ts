import type { PartitionKey } from '../datasets';

/** What each partition part looks like in a key: `dt=2026-11-24`, `hour=07`, `year=2026`, `month=11`. */
const PART_PATTERNS: Record<PartitionKey['part'], RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  hour: /^\d{2}$/,
  year: /^\d{4}$/,
  month: /^\d{2}$/,
};

/** Whether `value` is a well-formed value of the partition key (ignores e.g. Hive's default partition). */
export function isPartitionValue(key: PartitionKey, value: string): boolean {
  return PART_PATTERNS[key.part].test(value);
}

/** The calendar fields a run of partition values names (the first `values.length` keys). */
interface PartitionFields {
  readonly year: number;
  /** 0-based, as Date.UTC takes it; 0 when no key names a month. */
  readonly month: number;
  readonly day: number;
  readonly hour?: number;
  /** The finest part named (the last key's: declarations go coarse to fine), the period covered. */
  readonly finest: PartitionKey['part'];
}

function fieldsOf(keys: readonly PartitionKey[], values: readonly string[]): PartitionFields {
  const parts: Partial<Record<PartitionKey['part'], string>> = {};
  values.forEach((value, index) => {
    const key = keys[index];
    if (key) parts[key.part] = value;
  });
  const [dateYear, dateMonth, dateDay] = (parts.date ?? '').split('-');
  return {
    year: Number(dateYear || parts.year || 0),
    month: Number(dateMonth || parts.month || 1) - 1,
    day: Number(dateDay || 1),
    ...(parts.hour === undefined ? {} : { hour: Number(parts.hour) }),
    finest: keys[values.length - 1]?.part ?? 'year',
  };
}

/**
 * The end of the period a partition covers (UTC), i.e. the latest time its data can be from:
 * `dt=2026-11-24/hour=07` → 2026-11-24T08:00Z; `dt=2026-11-24` → 2026-11-25T00:00Z;
 * `year=2026/month=11` → 2026-12-01T00:00Z. Values must have passed `isPartitionValue`.
 * @example partitionEndOf(DEFAULT_PARTITION_KEYS, ['2026-11-24', '07']) // 2026-11-24T08:00:00.000Z
 */
export function partitionEndOf(keys: readonly PartitionKey[], values: readonly string[]): Date {
  const { year, month, day, hour, finest } = fieldsOf(keys, values);
  if (finest === 'hour') return new Date(Date.UTC(year, month, day, (hour ?? 0) + 1));
  if (finest === 'date') return new Date(Date.UTC(year, month, day + 1));
  if (finest === 'month') return new Date(Date.UTC(year, month + 1, 1));
  return new Date(Date.UTC(year + 1, 0, 1));
}

/**
 * The start of the period the partitions under `values` cover (UTC): the first `values.length`
 * keys with their values, e.g. `dt=2026-11-24` → 2026-11-24T00:00Z, `dt=2026-11-24/hour=07` →
 * 2026-11-24T07:00Z, `year=2026` → 2026-01-01T00:00Z. Values must have passed `isPartitionValue`.
 * @example partitionStartOf(DEFAULT_PARTITION_KEYS, ['2026-11-24']) // 2026-11-24T00:00:00.000Z
 */
export function partitionStartOf(keys: readonly PartitionKey[], values: readonly string[]): Date {
  const { year, month, day, hour } = fieldsOf(keys, values);
  return new Date(Date.UTC(year, month, day, hour ?? 0));
}
