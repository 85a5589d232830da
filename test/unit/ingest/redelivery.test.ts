import type { KinesisStreamRecord } from 'aws-lambda';
import fc from 'fast-check';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { datasets } from '../../../shared/datasets';
import { ingestBatch } from '../../../shared/ingest/ingest-batch';
import type { LakeObject, LakeWriter } from '../../../shared/lake/writer';
import { compileRegistry } from '../../../shared/records/registry';
import { kplAggregate } from '../../helpers/kinesis-payloads';
import { clickEvent, kinesisRecord, sequenceNumber } from '../../helpers/kinesis-records';

/**
 * Simulates Lambda's Kinesis event source against ingestBatch and checks the claim of
 * shared/ingest/checkpoint.ts: after every invocation no row or quarantined record is in two
 * objects and every one before the checkpoint is in exactly one; at the end, all are.
 * Batches start at the checkpoint and have random sizes; a response moves the checkpoint to the
 * LOWEST reported record (or past the batch); a crash leaves it. PutObject randomly succeeds,
 * fails, or stores the object and then fails (a timeout after S3 committed it).
 */

const registry = compileRegistry(datasets);

type Fate = 'ok' | 'fail' | 'stored-then-fail';
/** A user record: a clickstream row in hour 10-12, an orders row, or poison (bad JSON). */
type Unit = { kind: 'click'; hour: number } | { kind: 'order' } | { kind: 'poison' };
/** A Kinesis record: one unit, or a KPL aggregate of several. */
type Shape = { kpl: boolean; units: Unit[] };

const unitArb: fc.Arbitrary<Unit> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.integer({ min: 10, max: 12 }).map((hour) => ({ kind: 'click' as const, hour })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'order' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'poison' as const }) },
);
const shapeArb: fc.Arbitrary<Shape> = fc.oneof(
  { weight: 4, arbitrary: unitArb.map((unit) => ({ kpl: false, units: [unit] })) },
  {
    weight: 1,
    arbitrary: fc
      .array(unitArb, { minLength: 1, maxLength: 3 })
      .map((units) => ({ kpl: true, units })),
  },
);

/** The bytes of a unit and the id it must appear under in the lake (written by this test). */
function unitPayload(
  unit: Unit,
  position: number,
  sub: number | null,
): { data: Buffer; partitionKey: string; id: string } {
  const name = `r${position}-${sub ?? 'x'}`;
  if (unit.kind === 'click') {
    const event = clickEvent({ event_id: name, event_time: `2026-11-24T${unit.hour}:00:00Z` });
    return {
      data: Buffer.from(JSON.stringify(event)),
      partitionKey: `u-${position}`,
      id: `row:${name}`,
    };
  }
  if (unit.kind === 'order') {
    const line = `${name},c-1,2026-11-24T11:30:00Z,paid,EUR,1.00,1,,false,`;
    return { data: Buffer.from(line), partitionKey: `orders/${name}`, id: `row:${name}` };
  }
  return {
    data: Buffer.from('{"event_type":'),
    partitionKey: `u-${position}`,
    id: `poison:${sequenceNumber(position)}/${sub ?? 'null'}`,
  };
}

async function buildStream(
  shapes: readonly Shape[],
): Promise<{ records: KinesisStreamRecord[]; ids: string[][] }> {
  const records: KinesisStreamRecord[] = [];
  const ids: string[][] = [];
  for (const [position, shape] of shapes.entries()) {
    const payloads = shape.units.map((unit, j) =>
      unitPayload(unit, position, shape.kpl ? j : null),
    );
    const data = shape.kpl ? await kplAggregate(payloads) : (payloads[0]?.data as Buffer);
    records.push(
      kinesisRecord({ data, partitionKey: payloads[0]?.partitionKey ?? 'pk', position }),
    );
    ids.push(payloads.map((p) => p.id));
  }
  return { records, ids };
}

/** The unit ids an object holds, read back from its bytes. */
async function unitsOf(object: LakeObject): Promise<string[]> {
  const text = Buffer.from(object.body).toString('utf8');
  if (object.key.endsWith('.jsonl'))
    return text
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { sequenceNumber: string; subSequenceNumber: number | null },
      )
      .map((e) => `poison:${e.sequenceNumber}/${e.subSequenceNumber ?? 'null'}`);
  const column = object.key.startsWith('raw/orders/') ? 'order_id' : 'event_id';
  const file = object.body.buffer.slice(
    object.body.byteOffset,
    object.body.byteOffset + object.body.byteLength,
  ) as ArrayBuffer;
  const rows = await parquetReadObjects({ file, columns: [column] });
  return rows.map((row) => `row:${String(row[column])}`);
}

class FlakyLake implements LakeWriter {
  readonly objects = new Map<string, string[]>();
  private next = 0;
  constructor(private readonly fates: readonly Fate[]) {}
  calm = false;
  async put(object: LakeObject): Promise<void> {
    const fate = this.calm
      ? 'ok'
      : (this.fates[this.next++ % Math.max(this.fates.length, 1)] ?? 'ok');
    if (fate === 'fail') throw new Error('503 Slow Down');
    this.objects.set(object.key, await unitsOf(object));
    if (fate === 'stored-then-fail') throw new Error('timed out waiting for the response');
  }
  /** How many objects hold each unit id. */
  census(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const units of this.objects.values())
      for (const id of units) counts.set(id, (counts.get(id) ?? 0) + 1);
    return counts;
  }
}

describe('Function: ingestBatch under Lambda redelivery', () => {
  it('never duplicates and never loses a row or quarantined record (fast-check, fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(shapeArb, { minLength: 1, maxLength: 14 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.constantFrom<Fate>('ok', 'ok', 'ok', 'fail', 'stored-then-fail'), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.array(fc.boolean(), { maxLength: 12 }),
        async (shapes, sizes, fates, crashes) => {
          // Prepare
          const { records, ids } = await buildStream(shapes);
          const lake = new FlakyLake(fates);
          const chaoticInvocations = 12;
          let checkpoint = 0;

          // Act: invoke like the event source until the whole shard is committed
          for (let invocation = 0; checkpoint < records.length; invocation += 1) {
            if (invocation > 200) throw new Error('no progress');
            lake.calm = invocation >= chaoticInvocations;
            const size = sizes[invocation % sizes.length] ?? 1;
            const batch = records.slice(checkpoint, checkpoint + size);
            const { batchItemFailures } = await ingestBatch(batch, {
              registry,
              writer: lake,
              maxRecordBytes: 4096,
              writeConcurrency: 3,
            });
            const crashed = !lake.calm && (crashes[invocation] ?? false);
            if (!crashed) {
              const reported = batchItemFailures.map((f) =>
                records.findIndex((r) => r.kinesis.sequenceNumber === f.itemIdentifier),
              );
              checkpoint =
                reported.length === 0 ? checkpoint + batch.length : Math.min(...reported);
            }

            // Assess, after every invocation
            const census = lake.census();
            for (const [id, count] of census) expect(count, `${id} is in ${count} objects`).toBe(1);
            for (const id of ids.slice(0, checkpoint).flat())
              expect(census.get(id), `${id} is committed`).toBe(1);
          }

          // Assess: exactly the units of the stream, each once
          expect([...lake.census().keys()].sort()).toEqual(ids.flat().sort());
        },
      ),
      { seed: 20261124, numRuns: 60 },
    );
  }, 120_000);
});
