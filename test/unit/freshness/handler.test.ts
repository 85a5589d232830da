import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureOutput } from '../../helpers/captured-output';
import { loadScheduledEvent } from '../../helpers/eventbridge-events';
import { fakeLambdaContext } from '../../helpers/lambda-context';
import { fakeLake } from './fake-lake';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:streamlake-local-alerts';
const sns = mockClient(SNSClient);
const context = fakeLambdaContext({ functionName: 'streamlake-local-freshness' });
let lake: ReturnType<typeof fakeLake> | undefined;

function stubEnvironment(overrides: Record<string, string | undefined> = {}): void {
  const env: Record<string, string | undefined> = {
    AWS_REGION: 'us-east-1',
    STAGE: 'local',
    LAKE_BUCKET: 'lake',
    ALERTS_TOPIC_ARN: TOPIC,
    FRESHNESS_MAX_AGE_HOURS: '6',
    POWERTOOLS_SERVICE_NAME: 'streamlake',
    POWERTOOLS_METRICS_NAMESPACE: 'streamlake',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    ...overrides,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

describe('Function: handler (freshness)', () => {
  // Modules are re-imported per test (cold starts), so errors are matched by name, not class.
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'alert-1' });
    vi.resetModules();
    vi.useFakeTimers({ now: new Date('2026-11-24T14:05:00Z'), toFake: ['Date'] });
  });

  afterEach(() => {
    lake?.restore();
    vi.useRealTimers();
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('fails the cold start with a ConfigError naming the variable', async () => {
    // Prepare
    stubEnvironment({ FRESHNESS_MAX_AGE_HOURS: 'six' });

    // Act
    const loading = import('../../../handlers/freshness');

    // Assess
    await expect(loading).rejects.toMatchObject({ name: 'ConfigError' });
    await expect(loading).rejects.toThrow('FRESHNESS_MAX_AGE_HOURS: must be a whole number');
  });

  it('checks every declared dataset, alerts on the stale ones and emits StaleDatasets', async () => {
    // Prepare
    stubEnvironment();
    const emf = captureOutput().emf;
    lake = fakeLake([
      'raw/clickstream/dt=2026-11-24/hour=13/a.parquet',
      'raw/orders/dt=2026-11-23/hour=02/a.parquet',
    ]);
    const { handler } = await import('../../../handlers/freshness');

    // Act
    await handler(loadScheduledEvent(), context);

    // Assess
    const publishes = sns.commandCalls(PublishCommand);
    expect(publishes).toHaveLength(1);
    expect(publishes[0]?.args[0].input.Subject).toBe(
      '[streamlake local] 2 stale dataset(s): orders, sensor_readings',
    );
    expect(emf()).toContainEqual(
      expect.objectContaining({ StaleDatasets: 2, service: 'streamlake', stage: 'local' }),
    );
  });
});
