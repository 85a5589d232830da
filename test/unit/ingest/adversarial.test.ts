import fc from 'fast-check';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { datasets, LINEAGE_COLUMNS } from '../../../shared/datasets';
import { type IngestProblem, ingestBatch } from '../../../shared/ingest/ingest-batch';
import type { LakeObject } from '../../../shared/lake/writer';
import { compileRegistry } from '../../../shared/records/registry';
import { bareSensorDatum } from '../../helpers/kinesis-payloads';
import { clickEvent, kinesisEvent } from '../../helpers/kinesis-records';

const registry = compileRegistry(datasets);
const LINEAGE = new Set(LINEAGE_COLUMNS.map((c) => c.name));

/** Values that trip coercion: wrong types, edges, any Unicode (lone surrogates included). */
const value = fc.oneof(
  fc.constantFrom(null, true, 0, -0, 2 ** 53 + 2, 1e308, '', '2026-11-24', '12.34567', [], {}),
  fc.constantFrom('2026-11-24T13:00:00Z', '1795527000', 'page_view', 'click'),
  fc.string({ unit: 'binary', maxLength: 12 }),
  // what UTF-8 holds and what it cannot: lone surrogates, a real U+FFFD, escapes
  fc.string({
    unit: fc.constantFrom('a', 'é', '\u{1f600}', '\ud800', '\udc00', '\uFFFD', '"', '\\'),
    maxLength: 6,
  }),
  fc.jsonValue({ maxDepth: 2 }),
);
const field = fc.constantFrom(
  'event_id',
  'user_id',
  'event_type',
  'event_time',
  'page',
  'tags',
  'amount',
  'quantity',
  'big_counter',
  'properties',
  'extra',
  '__proto__',
);

/** A clickstream event as JSON bytes, with `fields` set (replaced or added) first. */
const clickBytes = (fields: readonly (readonly [string, unknown])[] = []) => {
  const event = clickEvent();
  for (const [name, v] of fields)
    Object.defineProperty(event, name, { value: v, enumerable: true, writable: true });
  return Buffer.from(JSON.stringify(event), 'utf8');
};

/** `data` with one or two bytes set to random values. */
const withChangedBytes = (data: () => Buffer) =>
  fc
    .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 2 })
    .map((changes) => {
      const bytes = data();
      for (const [at, byte] of changes) bytes[at % bytes.length] = byte;
      return bytes;
    });
const orderLine = () => Buffer.from('o-1,c-1,2026-11-24T13:00:00Z,paid,EUR,12.30,2,,true,Grüße');

/**
 * Records of three datasets: clickstream JSON valid, with fields replaced or added, or with bytes
 * changed; CSV orders and Avro sensor readings with bytes changed (text may stop being UTF-8).
 */
const adversarialRecord = fc.oneof(
  fc.constant(null).map(() => ({ data: clickBytes(), partitionKey: 'user-1' })),
  fc
    .array(fc.tuple(field, value), { minLength: 1, maxLength: 2 })
    .map((fields) => ({ data: clickBytes(fields), partitionKey: 'user-1' })),
  withChangedBytes(clickBytes).map((data) => ({ data, partitionKey: 'user-1' })),
  withChangedBytes(orderLine).map((data) => ({ data, partitionKey: 'orders/o-1' })),
  withChangedBytes(() => bareSensorDatum('th-0042')).map((data) => ({
    data,
    partitionKey: 'sensor/th-0042',
  })),
);

/** Every string in a value read back from Parquet (struct, list and map values, map keys). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value instanceof Map)
    return [...value].flatMap(([k, v]) => [...stringsIn(k), ...stringsIn(v)]);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [k, ...stringsIn(v)]);
  return [];
}

/** U+FFFD as UTF-8 bytes, read as Latin-1 (one character a byte). */
const REPLACEMENT_BYTES = Buffer.from('\uFFFD', 'utf8').toString('latin1');

/** How often `mark` (U+FFFD unless given) occurs in `texts`. */
const replacements = (texts: readonly string[], mark = '\uFFFD') =>
  texts.reduce((n, t) => n + t.split(mark).length - 1, 0);

describe('Function: ingestBatch, on adversarial records', () => {
  it('loses, duplicates and alters nothing: each record a row or a quarantine entry with its exact bytes (fast-check, fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(adversarialRecord, { minLength: 1, maxLength: 30 }),
        async (records) => {
          // Prepare
          const { Records } = kinesisEvent(records);
          const objects: LakeObject[] = [];
          const problems: IngestProblem[] = [];

          // Act
          const { batchItemFailures, summary } = await ingestBatch(Records, {
            registry,
            writer: { put: async (object) => void objects.push(object) },
            maxRecordBytes: 1 << 20,
            writeConcurrency: 4,
            now: () => Date.parse('2026-11-24T13:31:00Z'),
            onProblem: (problem) => problems.push(problem),
          });

          // Assess: nothing failed, so nothing is redelivered
          expect([batchItemFailures, problems]).toEqual([[], []]);
          const inputOf = new Map(
            Records.map((r, i) => [r.kinesis.sequenceNumber, records[i]?.data]),
          );
          const fates = new Map<string, string>();
          for (const { key, body } of objects) {
            if (key.endsWith('.jsonl')) {
              for (const line of Buffer.from(body).toString('utf8').trim().split('\n')) {
                const entry = JSON.parse(line);
                // the quarantine keeps the exact bytes received
                expect(Buffer.from(entry.data, 'base64')).toEqual(
                  inputOf.get(entry.sequenceNumber),
                );
                expect(fates.has(entry.sequenceNumber)).toBe(false);
                fates.set(entry.sequenceNumber, entry.reason);
              }
              continue;
            }
            const file = new Uint8Array(body).buffer as ArrayBuffer; // a copy: `body` may view a pool
            for (const row of await parquetReadObjects({ file })) {
              const sequence = String(row._sequence_number);
              const input = inputOf.get(sequence) as Buffer;
              expect(fates.has(sequence)).toBe(false);
              fates.set(sequence, 'row');
              // a row holds no U+FFFD that its input's bytes did not (EF BF BD)
              const written = Object.entries(row)
                .filter(([column]) => !LINEAGE.has(column))
                .flatMap(([, v]) => stringsIn(v));
              expect(replacements(written)).toBeLessThanOrEqual(
                replacements([input.toString('latin1')], REPLACEMENT_BYTES),
              );
            }
          }
          expect(fates.size).toBe(Records.length);
          expect(summary.rows).toBe([...fates.values()].filter((f) => f === 'row').length);
        },
      ),
      { seed: 20261125, numRuns: 100 },
    );
  });
});
