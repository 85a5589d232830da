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

/**
 * The end of the period a partition covers (UTC), i.e. the latest time its data can be from:
 * `dt=2026-11-24/hour=07` → 2026-11-24T08:00Z; `dt=2026-11-24` → 2026-11-25T00:00Z;
 * `year=2026/month=11` → 2026-12-01T00:00Z. Values must have passed `isPartitionValue`.
 * @example partitionEndOf(DEFAULT_PARTITION_KEYS, ['2026-11-24', '07']) // 2026-11-24T08:00:00.000Z
 */
export function partitionEndOf(keys: readonly PartitionKey[], values: readonly string[]): Date {
  const parts: Partial<Record<PartitionKey['part'], string>> = {};
  keys.forEach((key, index) => {
    parts[key.part] = values[index];
  });
  const [dateYear, dateMonth, dateDay] = (parts.date ?? '').split('-');
  const year = Number(dateYear || parts.year);
  const month = Number(dateMonth || parts.month || 1) - 1;
  const day = Number(dateDay || 1);
  if (parts.hour !== undefined) return new Date(Date.UTC(year, month, day, Number(parts.hour) + 1));
  if (parts.date !== undefined) return new Date(Date.UTC(year, month, day + 1));
  if (parts.month !== undefined) return new Date(Date.UTC(year, month + 1, 1));
  return new Date(Date.UTC(year + 1, 0, 1));
}

/**
 * The start of the period the partitions under `values` cover (UTC): the first `values.length`
 * keys with their values, e.g. `dt=2026-11-24` → 2026-11-24T00:00Z, `dt=2026-11-24/hour=07` →
 * 2026-11-24T07:00Z, `year=2026` → 2026-01-01T00:00Z. Values must have passed `isPartitionValue`.
 * @example partitionStartOf(DEFAULT_PARTITION_KEYS, ['2026-11-24']) // 2026-11-24T00:00:00.000Z
 */
export function partitionStartOf(keys: readonly PartitionKey[], values: readonly string[]): Date {
  const parts: Partial<Record<PartitionKey['part'], string>> = {};
  values.forEach((value, index) => {
    const key = keys[index];
    if (key) parts[key.part] = value;
  });
  const [dateYear, dateMonth, dateDay] = (parts.date ?? '').split('-');
  const year = Number(dateYear || parts.year || 0);
  const month = Number(dateMonth || parts.month || 1) - 1;
  const day = Number(dateDay || 1);
  return new Date(Date.UTC(year, month, day, Number(parts.hour ?? 0)));
}
