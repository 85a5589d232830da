import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { parquetReadObjects } from 'hyparquet';
import { beforeEach, describe, expect, it } from 'vitest';
import { datasets } from '../../../shared/datasets';
import { type IngestProblem, ingestBatch } from '../../../shared/ingest/ingest-batch';
import {
  BatchOutOfTimeError,
  type WriteDeadline,
  WriteDeferredError,
} from '../../../shared/ingest/write';
import { longestLakeWriteMs, s3LakeWriter } from '../../../shared/lake/writer';
import { compileRegistry, type DatasetRegistry } from '../../../shared/records/registry';
import { registryWithCoercion } from '../../helpers/faulty-registry';
import { loadKinesisEvent } from '../../helpers/fixtures';
import { clickEvent, kinesisEvent } from '../../helpers/kinesis-records';

const s3Mock = mockClient(S3Client);
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const registry = compileRegistry(datasets);
/** Sequence numbers of positions 0-9 of the fixtures' shard. */
const SEQ = [
  '49657328148350128938227153648127638469728451730957500418',
  '49657328148350128938227153648127638469738451730957500418',
  '49657328148350128938227153648127638469748451730957500418',
  '49657328148350128938227153648127638469758451730957500418',
  '49657328148350128938227153648127638469768451730957500418',
  '49657328148350128938227153648127638469778451730957500418',
  '49657328148350128938227153648127638469788451730957500418',
  '49657328148350128938227153648127638469798451730957500418',
  '49657328148350128938227153648127638469808451730957500418',
  '49657328148350128938227153648127638469818451730957500418',
] as const;
const SHARD = 'shardId-000000000000';

function ingest(
  records: Parameters<typeof ingestBatch>[0],
  options: {
    registry?: DatasetRegistry;
    writeConcurrency?: number;
    writeDeadline?: WriteDeadline;
  } = {},
) {
  const problems: IngestProblem[] = [];
  const s3 = new S3Client({ region: 'us-east-1', maxAttempts: 1 });
  const result = ingestBatch(records, {
    registry: options.registry ?? registry,
    writer: s3LakeWriter(s3, { bucket: 'lake', kmsKeyArn: KEY_ARN }),
    maxRecordBytes: 4096,
    writeConcurrency: options.writeConcurrency ?? 4,
    writeDeadline: options.writeDeadline,
    now: () => Date.parse('2026-11-24T13:31:00Z'),
    onProblem: (problem) => problems.push(problem),
  });
  return { result, problems };
}

function putKeys(): string[] {
  return s3Mock.commandCalls(PutObjectCommand).map((c) => String(c.args[0].input.Key));
}

function bodyOf(key: string): Uint8Array {
  const call = s3Mock.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === key);
  return call?.args[0].input.Body as Uint8Array;
}

async function eventIdsIn(key: string): Promise<unknown[]> {
  const body = bodyOf(key);
  const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  const rows = await parquetReadObjects({ file, columns: ['event_id'] });
  return rows.map((r) => r.event_id);
}

const failures = (...positions: number[]) => positions.map((p) => ({ itemIdentifier: SEQ[p] }));
const HOUR_23 = `raw/clickstream/dt=2026-11-23/hour=23/${SHARD}-${SEQ[0]}.parquet`;
const HOUR_00 = `raw/clickstream/dt=2026-11-24/hour=00/${SHARD}-${SEQ[2]}.parquet`;
const HOUR_01 = `raw/clickstream/dt=2026-11-24/hour=01/${SHARD}-${SEQ[3]}.parquet`;

describe('Function: ingestBatch', () => {
  beforeEach(() => {
    s3Mock.reset();
  });

  it('writes one encrypted Parquet object per partition, named after its first record', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).resolves({});
    const { Records } = loadKinesisEvent('clickstream-partitions');

    // Act
    const { batchItemFailures, summary } = await ingest(Records).result;

    // Assess
    expect(batchItemFailures).toEqual([]);
    expect(putKeys().sort()).toEqual([HOUR_23, HOUR_00, HOUR_01]);
    expect(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'lake',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: KEY_ARN,
      ContentType: 'application/vnd.apache.parquet',
    });
    expect(
      s3Mock.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === HOUR_01)?.args[0]
        .input.Metadata,
    ).toEqual({
      'streamlake-first-sequence-number': SEQ[3],
      'streamlake-last-sequence-number': SEQ[5],
      'streamlake-rows': '2',
    });
    expect(await eventIdsIn(HOUR_23)).toEqual(['p-0', 'p-1']);
    expect(await eventIdsIn(HOUR_00)).toEqual(['p-2', 'p-4']);
    expect(await eventIdsIn(HOUR_01)).toEqual(['p-3', 'p-5']);
    expect(summary).toMatchObject({
      records: 6,
      rows: 6,
      partitions: 3,
      files: 3,
      failed: 0,
      quarantined: {},
    });
  });

  it('reports from the failed partition back to the start of any written one spanning it', async () => {
    // Prepare: hour 01 holds records 3 and 5; hour 00 (2, 4) spans record 3, so it is redone too
    s3Mock.on(PutObjectCommand).resolves({});
    s3Mock
      .on(PutObjectCommand, { Key: HOUR_01 })
      .rejects(Object.assign(new Error('Slow Down'), { name: 'SlowDown' }));

    // Act
    const { result, problems } = ingest(loadKinesisEvent('clickstream-partitions').Records);
    const { batchItemFailures, summary } = await result;

    // Assess
    expect(batchItemFailures).toEqual(failures(2, 3, 4, 5));
    expect(problems.map((p) => (p.kind === 'write' ? p.key : p.kind))).toEqual([HOUR_01]);
    expect(summary).toMatchObject({ rows: 2, files: 1, partitions: 1, failed: 4, writeErrors: 1 });
  });

  it('reports from the first record of a failed partition that nothing written spans', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).resolves({});
    s3Mock.on(PutObjectCommand, { Key: HOUR_00 }).rejects(new Error('socket hang up'));

    // Act
    const { batchItemFailures } = await ingest(loadKinesisEvent('clickstream-partitions').Records)
      .result;

    // Assess
    expect(batchItemFailures).toEqual(failures(2, 3, 4, 5));
  });

  it('reports the whole batch when the first partition fails', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).resolves({});
    s3Mock.on(PutObjectCommand, { Key: HOUR_23 }).rejects(new Error('InternalError'));

    // Act
    const { batchItemFailures } = await ingest(loadKinesisEvent('clickstream-partitions').Records)
      .result;

    // Assess
    expect(batchItemFailures).toEqual(failures(0, 1, 2, 3, 4, 5));
  });

  it('starts no write that could outlast the invocation, and reports its records instead', async () => {
    // Prepare: 120 s left at first, each PutObject taking 30 s of it, one at a time
    let remainingMs = 120_000;
    s3Mock.on(PutObjectCommand).callsFake(() => {
      remainingMs -= 30_000;
      return {};
    });
    const writeDeadline = { remainingMs: () => remainingMs, reserveMs: longestLakeWriteMs() };

    // Act
    const { result, problems } = ingest(loadKinesisEvent('clickstream-partitions').Records, {
      writeConcurrency: 1,
      writeDeadline,
    });
    const { batchItemFailures, summary } = await result;

    // Assess: hours 23 and 00 were written with 120 and 90 s left; hour 01 (records 3 and 5) was
    // not started with 60 s left (a write may take 73 s), and hour 00 spans record 3
    expect(putKeys()).toEqual([HOUR_23, HOUR_00]);
    expect(batchItemFailures).toEqual(failures(2, 3, 4, 5));
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem).toMatchObject({ kind: 'deferred', key: HOUR_01 });
    expect(problem?.kind === 'deferred' && problem.error).toBeInstanceOf(WriteDeferredError);
    expect(String(problem?.kind === 'deferred' && problem.error)).toContain(
      `${HOUR_01}: not written, 60000 ms of the invocation left and a write may take 73000 ms`,
    );
    expect(summary).toMatchObject({
      rows: 2,
      files: 1,
      failed: 4,
      writeErrors: 0,
      writesDeferred: 1,
    });
  });

  it('fails the invocation when time ran out before anything was committed, so Lambda splits the batch', async () => {
    // Prepare: 60 s left when the writes begin, less than one write may take
    s3Mock.on(PutObjectCommand).resolves({});
    const writeDeadline = { remainingMs: () => 60_000, reserveMs: longestLakeWriteMs() };

    // Act
    const running = ingest(loadKinesisEvent('clickstream-partitions').Records, {
      writeConcurrency: 1,
      writeDeadline,
    }).result;

    // Assess: reporting all six records would hand Lambda the same batch again, unsplit
    await expect(running).rejects.toBeInstanceOf(BatchOutOfTimeError);
    await expect(running).rejects.toThrow(
      `${SHARD}: 3 object(s) deferred for want of time and none of the batch's 6 record(s) committed`,
    );
    expect(putKeys()).toEqual([]);
  });

  it('quarantines every poison class without reporting any, with the original bytes', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).resolves({});
    const { Records } = loadKinesisEvent('poison');

    // Act
    const { batchItemFailures, summary } = await ingest(Records).result;

    // Assess
    expect(batchItemFailures).toEqual([]);
    expect(putKeys().sort()).toEqual([
      `quarantine/_unknown/dt=2026-11-24/${SHARD}-${SEQ[0]}.jsonl`,
      `quarantine/clickstream/dt=2026-11-24/${SHARD}-${SEQ[6]}.jsonl`,
      `quarantine/orders/dt=2026-11-24/${SHARD}-${SEQ[4]}.jsonl`,
      `quarantine/sensor_readings/dt=2026-11-24/${SHARD}-${SEQ[5]}.jsonl`,
      `raw/clickstream/dt=2026-11-24/hour=13/${SHARD}-${SEQ[9]}.parquet`,
    ]);
    expect(
      Buffer.from(bodyOf(`quarantine/orders/dt=2026-11-24/${SHARD}-${SEQ[4]}.jsonl`)).toString(
        'utf8',
      ),
    ).toBe(
      `{"reason":"bad-csv","message":"expected 10 fields, got 3","dataset":"orders","shardId":"${SHARD}",` +
        `"sequenceNumber":"${SEQ[4]}","subSequenceNumber":null,"logEventId":null,"unit":"record",` +
        '"partitionKey":"orders/o-1","approximateArrival":"2026-11-24T13:30:00.500000Z",' +
        '"data":"by0xLGMtMSwyMDI2LTExLTI0VDEzOjAwOjAwWg=="}\n',
    );
    const unknown = Buffer.from(
      bodyOf(`quarantine/_unknown/dt=2026-11-24/${SHARD}-${SEQ[0]}.jsonl`),
    )
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(unknown.map((e) => [e.reason, e.sequenceNumber, e.data.length > 0])).toEqual([
      ['bad-base64', SEQ[0], true],
      ['bad-gzip', SEQ[1], true],
      ['bad-kpl', SEQ[2], true],
      ['bad-json', SEQ[3], true],
      ['too-large', SEQ[7], true],
      ['unknown-dataset', SEQ[8], true],
    ]);
    expect(unknown[0]).toMatchObject({
      data: 'not*base64!',
      message: 'data is not base64 (length 11, expected canonical base64)',
    });
    expect(Buffer.from(unknown[1].data, 'base64')).toEqual(
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef]),
    );
    expect(summary).toMatchObject({
      records: 10,
      rows: 1,
      files: 1,
      quarantineFiles: 4,
      failed: 0,
      quarantined: {
        'bad-base64': 1,
        'bad-gzip': 1,
        'bad-kpl': 1,
        'bad-json': 1,
        'bad-csv': 1,
        'bad-avro': 1,
        'schema-violation': 1,
        'too-large': 1,
        'unknown-dataset': 1,
      },
    });
  });

  it('reports a failed quarantine write instead of dropping the records', async () => {
    // Prepare: the orders quarantine object (record 4) fails; the clickstream one (6) follows it
    s3Mock.on(PutObjectCommand).resolves({});
    s3Mock
      .on(PutObjectCommand, { Key: `quarantine/orders/dt=2026-11-24/${SHARD}-${SEQ[4]}.jsonl` })
      .rejects(new Error('503'));

    // Act
    const { batchItemFailures, summary } = await ingest(loadKinesisEvent('poison').Records).result;

    // Assess: the _unknown object spans records 0-8, so the whole batch is redone
    expect(batchItemFailures).toEqual(failures(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    expect(summary).toMatchObject({ quarantineFiles: 0, failed: 10, writeErrors: 1 });
  });

  it('writes de-aggregated KPL rows, gzip and CloudWatch Logs rows, CSV and Avro rows', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).resolves({});
    const records = [
      ...loadKinesisEvent('kpl-aggregated').Records,
      ...loadKinesisEvent('gzip').Records,
      ...loadKinesisEvent('mixed-datasets').Records,
    ].map((r, i) => ({
      ...r,
      kinesis: { ...r.kinesis, sequenceNumber: SEQ[i] as string },
      eventID: `${SHARD}:${SEQ[i]}`,
    }));

    // Act
    const { batchItemFailures, summary } = await ingest(records).result;

    // Assess
    expect(batchItemFailures).toEqual([]);
    expect(putKeys().sort()).toEqual([
      `quarantine/_unknown/dt=2026-11-24/${SHARD}-${SEQ[0]}.jsonl`,
      `raw/clickstream/dt=2026-11-24/hour=13/${SHARD}-${SEQ[0]}.parquet`,
      `raw/clickstream/dt=2026-11-24/hour=14/${SHARD}-${SEQ[0]}.parquet`,
      `raw/orders/dt=2026-11-24/hour=13/${SHARD}-${SEQ[6]}.parquet`,
      `raw/sensor_readings/dt=2026-11-24/hour=13/${SHARD}-${SEQ[7]}.parquet`,
    ]);
    expect(
      await eventIdsIn(`raw/clickstream/dt=2026-11-24/hour=13/${SHARD}-${SEQ[0]}.parquet`),
    ).toEqual(['kpl-0', 'kpl-3', 'plain-after-kpl', 'gz-0', 'cwl-0', 'cwl-1', 'mix-0', 'mix-1']);
    expect(summary).toMatchObject({
      records: 9,
      rows: 11,
      files: 4,
      controlMessages: 1,
      quarantined: { 'bad-json': 1 },
    });
  });

  it('reports from a record whose decoding fails unexpectedly, writing nothing from it on', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).resolves({});
    const faultyRegistry = registryWithCoercion(registry, (coerce, record) => {
      if (record.event_id === 'boom') throw new TypeError('a bug');
      return coerce(record);
    });
    const { Records } = kinesisEvent([
      { data: clickEvent({ event_id: 'a' }) },
      { data: clickEvent({ event_id: 'boom' }) },
      { data: clickEvent({ event_id: 'c' }) },
    ]);

    // Act
    const { result, problems } = ingest(Records, { registry: faultyRegistry });
    const { batchItemFailures, summary } = await result;

    // Assess
    expect(batchItemFailures).toEqual(failures(1, 2));
    expect(putKeys()).toEqual([`raw/clickstream/dt=2026-11-24/hour=13/${SHARD}-${SEQ[0]}.parquet`]);
    expect(
      await eventIdsIn(`raw/clickstream/dt=2026-11-24/hour=13/${SHARD}-${SEQ[0]}.parquet`),
    ).toEqual(['a']);
    expect(problems.map((p) => p.kind)).toEqual(['decode']);
    expect(summary).toMatchObject({ decodeErrors: 1, rows: 1, failed: 2 });
  });

  it('writes the same objects whether records come in sequence order or not', async () => {
    // Prepare: in order, records are grouped as they decode; shuffled, after all are decoded.
    s3Mock.on(PutObjectCommand).resolves({});
    const { Records } = loadKinesisEvent('clickstream-partitions');
    const shuffled = [...Records].reverse();

    // Act
    const inOrder = await ingest(Records).result;
    const inOrderObjects = putKeys().map((key) => [key, Buffer.from(bodyOf(key)).toString('hex')]);
    s3Mock.reset();
    s3Mock.on(PutObjectCommand).resolves({});
    const outOfOrder = await ingest(shuffled).result;
    const outOfOrderObjects = putKeys().map((key) => [
      key,
      Buffer.from(bodyOf(key)).toString('hex'),
    ]);

    // Assess
    expect(outOfOrder.batchItemFailures).toEqual(inOrder.batchItemFailures);
    expect(outOfOrderObjects.sort()).toEqual(inOrderObjects.sort());
    expect(inOrder.summary.rows).toBeGreaterThan(0);
  });

  it('reports a partition whose rows could not be encoded, and writes nothing for it', async () => {
    // Prepare: a coercion that hands the writer a value of the wrong form (a fault of this code).
    s3Mock.on(PutObjectCommand).resolves({});
    const faultyRegistry = registryWithCoercion(registry, (coerce, record) => {
      const coerced = coerce(record);
      if (record.event_id !== 'bad') return coerced;
      const values = [...coerced.values];
      values[7] = 'not an int';
      return { ...coerced, values };
    });
    const { Records } = kinesisEvent([
      { data: clickEvent({ event_id: 'a' }) },
      { data: clickEvent({ event_id: 'bad' }) },
    ]);

    // Act
    const { result, problems } = ingest(Records, { registry: faultyRegistry });
    const { batchItemFailures, summary } = await result;

    // Assess
    expect(batchItemFailures).toEqual(failures(0, 1));
    expect(putKeys()).toEqual([]);
    expect(problems).toMatchObject([{ kind: 'write', error: expect.any(TypeError) }]);
    expect(summary).toMatchObject({ writeErrors: 1, rows: 0, failed: 2 });
  });
});
