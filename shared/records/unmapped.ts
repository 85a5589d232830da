import { isoOfMicros } from './calendar';
import { SchemaViolationError } from './errors';
import { JsonNumberText } from './json';
import { ExactTimestamp } from './time';

const MAX_DEPTH = 256;

/** A value's JSON text, numbers as written; `at` names its path, for an error only. */
function exactJson(value: unknown, at: () => string, depth: number): string {
  if (depth > MAX_DEPTH)
    throw new SchemaViolationError(at(), `nests deeper than ${MAX_DEPTH} levels`);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (value instanceof JsonNumberText) return value.text;
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (value instanceof ExactTimestamp) return JSON.stringify(isoOfMicros(value.micros));
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) text += ',';
      text += exactJson(value[i], () => `${at()}[${i}]`, depth + 1);
    }
    return `${text}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  let text = '{';
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    if (i > 0) text += ',';
    text += `${JSON.stringify(key)}:${exactJson(object[key], () => `${at()}.${key}`, depth + 1)}`;
  }
  return `${text}}`;
}

/**
 * The `_unmapped` column's JSON text: an object from field path to value, with every number as
 * written (long numerals, Avro longs), bytes as base64 and Avro timestamps as ISO 8601 UTC.
 * @throws SchemaViolationError when a value nests deeper than 256 levels
 */
export function stringifyUnmapped(unmapped: ReadonlyMap<string, unknown>): string {
  let text = '{';
  for (const [path, value] of unmapped) {
    if (text.length > 1) text += ',';
    text += `${JSON.stringify(path)}:${exactJson(value, () => path, 0)}`;
  }
  return `${text}}`;
}
