import { isoOfMicros } from './calendar';
import { SchemaViolationError } from './errors';
import { JsonNumberText } from './json';
import { ExactTimestamp } from './time';

const MAX_DEPTH = 256;

function exactJson(value: unknown, path: string, depth: number): string {
  if (depth > MAX_DEPTH)
    throw new SchemaViolationError(path, `nests deeper than ${MAX_DEPTH} levels`);
  if (value === null || value === undefined) return 'null';
  if (value instanceof JsonNumberText) return value.text;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (value instanceof ExactTimestamp) return JSON.stringify(isoOfMicros(value.micros));
  if (Array.isArray(value))
    return `[${value.map((v, i) => exactJson(v, `${path}[${i}]`, depth + 1)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${exactJson(v, `${path}.${k}`, depth + 1)}`).join(',')}}`;
}

/**
 * The `_unmapped` column's JSON text: an object from field path to value, with every number as
 * written (long numerals, Avro longs), bytes as base64 and Avro timestamps as ISO 8601 UTC.
 * @throws SchemaViolationError when a value nests deeper than 256 levels
 */
export function stringifyUnmapped(unmapped: ReadonlyMap<string, unknown>): string {
  const entries = [...unmapped].map(
    ([path, value]) => `${JSON.stringify(path)}:${exactJson(value, path, 0)}`,
  );
  return `{${entries.join(',')}}`;
}
