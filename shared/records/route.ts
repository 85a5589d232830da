import { BadJsonError, type PoisonRecordError, UnknownDatasetError } from './errors';
import { type JsonObject, parseJsonObject } from './json';
import type { CompiledDataset, DatasetRegistry } from './registry';

/** Where a user record belongs, with its JSON already parsed when routing needed it. */
export type Route =
  | { readonly dataset: CompiledDataset; readonly json?: JsonObject }
  | { readonly dataset: CompiledDataset | undefined; readonly error: PoisonRecordError };

/** Whether JSON text opens with `{` after whitespace, and after a UTF-8 byte order mark, which
 * the parser ignores too (RFC 8259 allows it to). */
function startsWithBrace(payload: Buffer): boolean {
  const bom = payload[0] === 0xef && payload[1] === 0xbb && payload[2] === 0xbf;
  for (let i = bom ? 3 : 0; i < payload.length; i += 1) {
    const byte = payload[i];
    if (byte === 0x7b) return true;
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return false;
  }
  return false;
}

/**
 * Picks the dataset of a user record: the first dataset whose partition-key prefix matches;
 * else, for a payload that opens with `{`, the first dataset whose field rule matches the
 * parsed object's top-level string field; else the default dataset; else `unknown-dataset`.
 * Unparseable JSON is `bad-json`, filed under the default dataset when there is one.
 */
export function routeUserRecord(
  registry: DatasetRegistry,
  partitionKey: string,
  payload: Buffer,
): Route {
  for (const { prefix, dataset } of registry.byPrefix)
    if (partitionKey.startsWith(prefix)) return { dataset };
  let json: JsonObject | undefined;
  if (registry.byField.length > 0 && startsWithBrace(payload)) {
    try {
      json = parseJsonObject(payload);
    } catch (error) {
      if (error instanceof BadJsonError) return { dataset: registry.fallback, error };
      throw error;
    }
    for (const { field, values, dataset } of registry.byField) {
      const value = json[field];
      if (typeof value === 'string' && values.has(value)) return { dataset, json };
    }
  }
  if (registry.fallback)
    return registry.fallback.declaration.format.type === 'json' && json
      ? { dataset: registry.fallback, json }
      : { dataset: registry.fallback };
  const prefixes = registry.byPrefix.map((r) => r.prefix).join(', ') || 'none';
  const fields = [...new Set(registry.byField.map((r) => r.field))];
  const seen = fields
    .map((f) => `${f}=${json ? JSON.stringify(json[f] ?? null) : '(not JSON)'}`)
    .join(', ');
  return {
    dataset: undefined,
    error: new UnknownDatasetError(
      `no dataset matches: partition key ${JSON.stringify(partitionKey)} has none of the prefixes (${prefixes})${fields.length > 0 ? ` and ${seen} is not a routed value` : ''}`,
    ),
  };
}
