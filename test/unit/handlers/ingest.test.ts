import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../shared/errors';
import { captureOutput } from '../../helpers/captured-output';
import { loadKinesisEvent } from '../../helpers/fixtures';
import { fakeLambdaContext } from '../../helpers/lambda-context';

const s3Mock = mockClient(S3Client);
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const HOUR_01 =
  'raw/clickstream/dt=2026-11-24/hour=01/shardId-000000000000-49657328148350128938227153648127638469758451730957500418.parquet';

function stubEnvironment(overrides: Record<string, string | undefined> = {}): void {
  const env: Record<string, string | undefined> = {
    AWS_REGION: 'us-east-1',
    LAKE_BUCKET: 'lake',
    LAKE_KMS_KEY_ARN: KEY_ARN,
    POWERTOOLS_SERVICE_NAME: 'streamlake',
    POWERTOOLS_METRICS_NAMESPACE: 'streamlake',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    ...overrides,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

describe('Function: handler (ingest)', () => {
  beforeEach(() => {
    s3Mock.reset();
    vi.resetModules();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('fails the cold start with a ConfigError naming the missing variable', async () => {
    // Prepare
    stubEnvironment({ LAKE_BUCKET: undefined });

    // Act
    const loading = import('../../../handlers/ingest');

    // Assess
    // (a fresh module graph has its own ConfigError class, hence the name check)
    await expect(loading).rejects.toMatchObject({
      name: ConfigError.name,
      variable: 'LAKE_BUCKET',
    });
  });

  it('returns the records to redeliver and logs one summary line, plus EMF metrics', async () => {
    // Prepare
    stubEnvironment();
    s3Mock.on(PutObjectCommand).resolves({});
    s3Mock.on(PutObjectCommand, { Key: HOUR_01 }).rejects(new Error('SlowDown'));
    const output = captureOutput();
    const { handler } = await import('../../../handlers/ingest');

    // Act
    const response = await handler(loadKinesisEvent('clickstream-partitions'), fakeLambdaContext());

    // Assess
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      '49657328148350128938227153648127638469748451730957500418',
      '49657328148350128938227153648127638469758451730957500418',
      '49657328148350128938227153648127638469768451730957500418',
      '49657328148350128938227153648127638469778451730957500418',
    ]);
    const lines = output.lines();
    const info = lines.filter((l) => l.level === 'INFO');
    expect(info.map((l) => l.message)).toEqual(['batch ingested']);
    expect(info[0]?.summary).toMatchObject({
      records: 6,
      rows: 2,
      files: 1,
      failed: 4,
      writeErrors: 1,
    });
    expect(lines.filter((l) => l.level === 'ERROR').map((l) => l.message)).toEqual([
      'lake write failed',
    ]);
    const emf = lines.find((l) => '_aws' in l && 'Records' in l);
    expect(emf).toMatchObject({ Records: 6, Rows: 2, Files: 1, Failed: 4, service: 'streamlake' });
    // IngestQuarantineAlarm's metric: Quarantined under the function's name (0 included)
    const byFunction = lines.find((l) => '_aws' in l && 'function' in l);
    expect(byFunction).toMatchObject({
      Quarantined: 0,
      function: 'streamlake-local-ingest',
      service: 'streamlake',
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'streamlake',
            Dimensions: [['service', 'function']],
            Metrics: [{ Name: 'Quarantined' }],
          },
        ],
      },
    });
  });
  it('fails the invocation, writing nothing, when less is left than a write may take', async () => {
    // Prepare: 70 s left, a write may take 73 s (3 attempts of 20 s, with throttling backoff)
    stubEnvironment();
    s3Mock.on(PutObjectCommand).resolves({});
    const output = captureOutput();
    const { handler } = await import('../../../handlers/ingest');
    const event = loadKinesisEvent('clickstream-partitions');

    // Act
    const handling = handler(event, fakeLambdaContext({ getRemainingTimeInMillis: () => 70_000 }));

    // Assess: a function error, so that Lambda retries the batch bisected; each deferral logged
    await expect(handling).rejects.toMatchObject({ name: 'BatchOutOfTimeError' });
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    const warnings = output.lines().filter((l) => l.level === 'WARN');
    expect(warnings.map((l) => [l.message, (l.error as { name?: string }).name])).toEqual([
      ['lake write deferred', 'WriteDeferredError'],
      ['lake write deferred', 'WriteDeferredError'],
      ['lake write deferred', 'WriteDeferredError'],
    ]);
  });
});
