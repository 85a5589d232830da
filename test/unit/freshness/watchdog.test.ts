import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatasetDeclaration } from '../../../shared/datasets';
import { ConfigError } from '../../../shared/errors';
import { loadFreshnessConfig } from '../../../shared/freshness/config';
import { addFreshnessMetrics, runFreshnessCheck } from '../../../shared/freshness/watchdog';
import { captureOutput } from '../../helpers/captured-output';
import { fakeLake } from './fake-lake';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:streamlake-local-alerts';
const config = loadFreshnessConfig({
  STAGE: 'local',
  LAKE_BUCKET: 'lake',
  ALERTS_TOPIC_ARN: TOPIC,
  FRESHNESS_MAX_AGE_HOURS: '6',
});
/** Only `name` and `partitionKeys` matter to the watchdog. */
const dataset = (name: string, extra: Partial<DatasetDeclaration> = {}) =>
  ({ name, ...extra }) as DatasetDeclaration;
const NOW = new Date('2026-11-24T14:05:00Z');
const sns = mockClient(SNSClient);
let lake: ReturnType<typeof fakeLake> | undefined;

describe('Function: runFreshnessCheck', () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'alert-1' });
  });
  afterEach(() => lake?.restore());

  it('publishes nothing when every dataset has a recent partition', async () => {
    // Prepare: hour=08 ends 09:00, 5.08 h before NOW; the open hour=14 counts as 0 h
    lake = fakeLake([
      'raw/orders/dt=2026-11-24/hour=08/a.parquet',
      'raw/clickstream/dt=2026-11-24/hour=14/a.parquet',
    ]);

    // Act
    const { report, alertMessageId } = await runFreshnessCheck({
      s3: new S3Client({}),
      sns: new SNSClient({}),
      datasets: [dataset('orders'), dataset('clickstream')],
      config,
      now: NOW,
    });

    // Assess
    expect(alertMessageId).toBeNull();
    expect(report.datasets).toEqual([
      {
        dataset: 'orders',
        lastPartition: 'dt=2026-11-24/hour=08',
        hoursSinceLastPartition: 5.08,
        stale: false,
      },
      {
        dataset: 'clickstream',
        lastPartition: 'dt=2026-11-24/hour=14',
        hoursSinceLastPartition: 0,
        stale: false,
      },
    ]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('counts a partition up to an hour ahead of its clock, and passes over one further ahead', async () => {
    // Prepare: NOW is 14:05; hour=15 starts 55 minutes ahead (a producer's clock a little fast),
    // hour=16 and 2099 start more than an hour ahead (clock errors)
    lake = fakeLake([
      'raw/orders/dt=2026-11-24/hour=07/a.parquet',
      'raw/orders/dt=2026-11-24/hour=16/a.parquet',
      'raw/orders/dt=2099-01-01/hour=00/a.parquet',
      'raw/clickstream/dt=2026-11-24/hour=15/a.parquet',
    ]);

    // Act
    const { report } = await runFreshnessCheck({
      s3: new S3Client({}),
      sns: new SNSClient({}),
      datasets: [dataset('orders'), dataset('clickstream')],
      config,
      now: NOW,
    });

    // Assess: orders is stale (hour=07 ended 6.08 h ago); clickstream is fresh
    expect(report.datasets.map((d) => [d.dataset, d.lastPartition, d.stale])).toEqual([
      ['orders', 'dt=2026-11-24/hour=07', true],
      ['clickstream', 'dt=2026-11-24/hour=15', false],
    ]);
  });

  it('publishes one alert naming each stale or empty dataset and its last partition', async () => {
    // Prepare: hour=07 ends 08:00, 6.08 h before NOW
    lake = fakeLake([
      'raw/orders/dt=2026-11-24/hour=07/a.parquet',
      'raw/clickstream/dt=2026-11-24/hour=13/a.parquet',
      'raw/monthly/year=2026/month=09/a.parquet',
    ]);
    const monthly = dataset('monthly', {
      partitionKeys: [
        { name: 'year', part: 'year' },
        { name: 'month', part: 'month' },
      ],
    });

    // Act
    const { report, alertMessageId } = await runFreshnessCheck({
      s3: new S3Client({}),
      sns: new SNSClient({}),
      datasets: [dataset('orders'), dataset('clickstream'), dataset('sensor_readings'), monthly],
      config,
      now: NOW,
    });

    // Assess
    expect(alertMessageId).toBe('alert-1');
    expect(report.stale.map((d) => d.dataset)).toEqual(['orders', 'sensor_readings', 'monthly']);
    const publishes = sns.commandCalls(PublishCommand);
    expect(publishes).toHaveLength(1);
    expect(publishes[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: '[streamlake local] 3 stale dataset(s): orders, sensor_readings, monthly',
      Message: [
        'No new partition for more than 6 h (checked 2026-11-24T14:05:00.000Z):',
        '- orders: last partition dt=2026-11-24/hour=07, 6.08 h ago',
        '- sensor_readings: no partition in the lake',
        '- monthly: last partition year=2026/month=09, 1310.08 h ago',
      ].join('\n'),
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'freshness' },
        severity: { DataType: 'String', StringValue: 'WARN' },
        stage: { DataType: 'String', StringValue: 'local' },
      },
    });
  });
});

describe('Function: addFreshnessMetrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('emits StaleDatasets and HoursSinceLastPartition per dataset with a partition', () => {
    // Prepare
    const output = captureOutput();
    const metrics = new Metrics({ namespace: 'streamlake', serviceName: 'streamlake' });
    const report = {
      checkedAt: NOW,
      maxAgeHours: 6,
      datasets: [
        {
          dataset: 'orders',
          lastPartition: 'dt=2026-11-24/hour=07',
          hoursSinceLastPartition: 6.08,
          stale: true,
        },
        { dataset: 'empty', lastPartition: null, hoursSinceLastPartition: null, stale: true },
      ],
      stale: [],
    };

    // Act
    addFreshnessMetrics(metrics, { ...report, stale: report.datasets });
    metrics.publishStoredMetrics();

    // Assess
    const docs = output.emf();
    expect(docs).toContainEqual(
      expect.objectContaining({ dataset: 'orders', HoursSinceLastPartition: 6.08 }),
    );
    expect(docs).toContainEqual(expect.objectContaining({ StaleDatasets: 2 }));
    expect(docs.some((doc) => doc.dataset === 'empty')).toBe(false);
  });
});

describe('Function: loadFreshnessConfig', () => {
  it.each([
    [{ ALERTS_TOPIC_ARN: undefined }, 'ALERTS_TOPIC_ARN: is required but not set'],
    [{ ALERTS_TOPIC_ARN: 'alerts' }, 'ALERTS_TOPIC_ARN: must be an SNS topic ARN, got "alerts"'],
    [{ LAKE_BUCKET: '' }, 'LAKE_BUCKET: is required but not set'],
    [{ FRESHNESS_MAX_AGE_HOURS: '0' }, 'FRESHNESS_MAX_AGE_HOURS: must be at least 1, got 0'],
    [
      { FRESHNESS_MAX_AGE_HOURS: '6h' },
      'FRESHNESS_MAX_AGE_HOURS: must be a whole number, got "6h"',
    ],
  ])('names the variable at fault in %j', (overrides, message) => {
    // Prepare
    const env = { STAGE: 'dev', LAKE_BUCKET: 'lake', ALERTS_TOPIC_ARN: TOPIC, ...overrides };

    // Act
    const loading = () => loadFreshnessConfig(env);

    // Assess
    expect(loading).toThrow(ConfigError);
    expect(loading).toThrow(message);
  });

  it('defaults the age to 6 hours', () => {
    expect(
      loadFreshnessConfig({ STAGE: 'dev', LAKE_BUCKET: 'l', ALERTS_TOPIC_ARN: TOPIC }).maxAgeHours,
    ).toBe(6);
  });
});
