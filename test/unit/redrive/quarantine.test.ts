import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { datasets } from '../../../shared/datasets';
import type { QuarantineEntry } from '../../../shared/lake/quarantine';
import type { LakeObject } from '../../../shared/lake/writer';
import { compileRegistry, type DatasetRegistry } from '../../../shared/records/registry';
import { RedriveIncompleteError } from '../../../shared/redrive/errors';
import { redriveQuarantine } from '../../../shared/redrive/quarantine';
import { registryWithCoercion } from '../../helpers/faulty-registry';
import { clickEvent, SHARD_ID, sequenceNumber } from '../../helpers/kinesis-records';

const s3Mock = mockClient(S3Client);
const registry = compileRegistry(datasets);
const QUARANTINE_KEY = `quarantine/_unknown/dt=2026-11-24/${SHARD_ID}-${sequenceNumber(0)}.jsonl`;

/** A quarantined record whose bytes are the given JSON text. */
function entry(position: number, reason: QuarantineEntry['reason'], json: string): QuarantineEntry {
  return {
    reason,
    message: `quarantined as ${reason}`,
    dataset: null,
    shardId: SHARD_ID,
    sequenceNumber: sequenceNumber(position),
    subSequenceNumber: null,
    logEventId: null,
    unit: 'record',
    partitionKey: `user-${position}`,
    approximateArrival: '2026-11-24T13:30:00.000Z',
    data: Buffer.from(json, 'utf8').toString('base64'),
  };
}

/** A quarantined record that today's clickstream accepts, and one that is still not JSON. */
const PASSING = entry(0, 'unknown-dataset', JSON.stringify(clickEvent({ event_id: 'back' })));
const STILL_FAILING = entry(1, 'bad-json', '{"event_id": "still-broken"');

/** One quarantine object holding `entries` (by default one that passes, one that still fails). */
function givenQuarantine(entries = [PASSING, STILL_FAILING]): void {
  const body = `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`;
  s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: QUARANTINE_KEY }] });
  s3Mock.on(GetObjectCommand, { Key: QUARANTINE_KEY }).resolves({
    Body: { transformToString: async () => body },
  } as unknown as GetObjectCommandOutput);
}

function redrive(options: { dryRun: boolean; registry?: DatasetRegistry }) {
  const written: LakeObject[] = [];
  const result = redriveQuarantine({
    s3: new S3Client({ region: 'us-east-1', maxAttempts: 1 }),
    bucket: 'lake',
    writer: { put: async (object) => void written.push(object) },
    registry: options.registry ?? registry,
    maxRecordBytes: 4096,
    dryRun: options.dryRun,
    now: () => Date.parse('2026-11-24T15:00:00Z'),
  });
  return { result, written };
}

describe('Function: redriveQuarantine', () => {
  beforeEach(() => {
    s3Mock.reset();
  });

  it('counts in a dry run what the run moves, and writes and deletes nothing', async () => {
    // Prepare
    givenQuarantine();

    // Act
    const dry = redrive({ dryRun: true });
    const dryRun = await dry.result;
    const real = redrive({ dryRun: false });
    const run = await real.result;

    // Assess
    expect(dryRun).toEqual({
      objects: 1,
      entries: 2,
      redriven: 1,
      stillFailing: 1,
      rawObjects: 1,
      rows: 1,
    });
    expect(dry.written).toEqual([]);
    expect(run).toEqual(dryRun);
    expect(real.written.map((o) => o.key)).toEqual([
      expect.stringMatching(
        /^raw\/clickstream\/dt=2026-11-24\/hour=13\/redriven-_unknown-dt=2026-11-24-shardId-[^/]+\.parquet$/,
      ),
      expect.stringMatching(/^quarantine\/_redriven\/_unknown\/dt=2026-11-24\/shardId-.+\.jsonl$/),
      QUARANTINE_KEY,
    ]);
    // the object keeps its failing entry: rewritten (last key above), not deleted
    expect(s3Mock.commandCalls(DeleteObjectCommand)).toEqual([]);
  });

  it('deletes an object once all its entries passed, and a dry run deletes nothing', async () => {
    // Prepare
    givenQuarantine([PASSING]);

    // Act
    const dry = redrive({ dryRun: true });
    await dry.result;
    const deletesAfterDryRun = s3Mock.commandCalls(DeleteObjectCommand).length;
    const real = redrive({ dryRun: false });
    await real.result;

    // Assess
    expect([deletesAfterDryRun, dry.written]).toEqual([0, []]);
    expect(real.written.map((o) => o.key)).toEqual([
      expect.stringMatching(/^raw\/clickstream\/dt=2026-11-24\/hour=13\/redriven-.+\.parquet$/),
      expect.stringMatching(/^quarantine\/_redriven\/_unknown\/dt=2026-11-24\/shardId-.+\.jsonl$/),
    ]);
    expect(s3Mock.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'lake', Key: QUARANTINE_KEY },
    ]);
  });

  it('fails a dry run, naming the object, where the run would fail to encode a row', async () => {
    // Prepare: a coercion that hands the writer a string for the int column (a fault of this code)
    givenQuarantine();
    const faulty = registryWithCoercion(registry, (coerce, record) => {
      const coerced = coerce(record);
      const values = [...coerced.values];
      values[7] = 'not an int';
      return { ...coerced, values };
    });

    // Act
    const { result, written } = redrive({ dryRun: true, registry: faulty });

    // Assess
    await expect(result).rejects.toThrow(RedriveIncompleteError);
    await expect(result).rejects.toThrow(
      new RegExp(
        `^${QUARANTINE_KEY}: encoding raw/clickstream/dt=2026-11-24/hour=13/.+ would fail$`,
      ),
    );
    expect(written).toEqual([]);
  });
});
