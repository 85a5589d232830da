import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { GetJobCommand, GetJobRunCommand, GlueClient } from '@aws-sdk/client-glue';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureOutput } from '../../helpers/captured-output';
import { glueJobEvent, loadGlueJobEvent } from '../../helpers/eventbridge-events';
import { fakeLambdaContext } from '../../helpers/lambda-context';

const sns = mockClient(SNSClient);
const ec2 = mockClient(EC2Client);
const sfn = mockClient(SFNClient);
const glue = mockClient(GlueClient);
const context = fakeLambdaContext({ functionName: 'streamlake-local-jobEvents' });

function stubEnvironment(overrides: Record<string, string | undefined> = {}): void {
  const env: Record<string, string | undefined> = {
    AWS_REGION: 'us-east-1',
    STAGE: 'local',
    JOB_NOTIFICATIONS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:jobs',
    POST_PROCESSING_LAUNCH_TEMPLATE_ID: 'lt-0123456789abcdef0',
    POST_PROCESSING_LAUNCH_TEMPLATE_VERSION: '1',
    POST_ETL_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:post-etl',
    POWERTOOLS_SERVICE_NAME: 'streamlake',
    POWERTOOLS_METRICS_NAMESPACE: 'streamlake',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    ...overrides,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

describe('Function: handler (jobEvents)', () => {
  // Modules are re-imported per test (cold starts), so errors are matched by name, not class.
  beforeEach(() => {
    for (const mock of [sns, ec2, sfn, glue]) mock.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    ec2.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: 'i-1' }] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x' });
    glue.on(GetJobRunCommand).resolves({ JobRun: {} });
    vi.resetModules();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('fails the cold start with a ConfigError naming the missing variable', async () => {
    // Prepare
    stubEnvironment({ POST_ETL_STATE_MACHINE_ARN: undefined });

    // Act
    const loading = import('../../../handlers/job-events');

    // Assess
    await expect(loading).rejects.toMatchObject({ name: 'ConfigError' });
    await expect(loading).rejects.toThrow('POST_ETL_STATE_MACHINE_ARN: is required but not set');
  });

  it('fans a failure out and counts it in GlueJobFailures', async () => {
    // Prepare
    stubEnvironment();
    const metrics = captureOutput().emf;
    const { handler } = await import('../../../handlers/job-events');

    // Act
    await handler(loadGlueJobEvent('failed'), context);

    // Assess
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(1);
    const emf = metrics().find((doc) => 'GlueJobFailures' in doc);
    expect(emf).toMatchObject({ GlueJobFailures: 1, service: 'streamlake', stage: 'local' });
  });

  it('counts a failed attempt Glue runs again in GlueJobRetriedFailures, and launches nothing', async () => {
    // Prepare
    stubEnvironment();
    const metrics = captureOutput().emf;
    glue.on(GetJobRunCommand).resolves({ JobRun: { Attempt: 0 } });
    glue.on(GetJobCommand).resolves({ Job: { MaxRetries: 1 } });
    const { handler } = await import('../../../handlers/job-events');

    // Act
    await handler(loadGlueJobEvent('failed'), context);

    // Assess: the alarm's metric waits for the attempt that ends the run
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(0);
    expect(metrics().some((doc) => 'GlueJobFailures' in doc)).toBe(false);
    expect(metrics().find((doc) => 'GlueJobRetriedFailures' in doc)).toMatchObject({
      GlueJobRetriedFailures: 1,
      stage: 'local',
    });
  });

  it('counts a failure whose run Glue cannot read in GlueJobFailures, and throws', async () => {
    // Prepare
    stubEnvironment();
    const metrics = captureOutput().emf;
    glue.on(GetJobRunCommand).rejects(new Error('AccessDeniedException'));
    const { handler } = await import('../../../handlers/job-events');

    // Act
    const handling = handler(loadGlueJobEvent('failed'), context);

    // Assess: the alarm's count comes first; the invocation is retried
    await expect(handling).rejects.toThrow('AccessDeniedException');
    expect(metrics().find((doc) => 'GlueJobFailures' in doc)).toMatchObject({ GlueJobFailures: 1 });
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(0);
  });

  it('counts a success as a state change, not as a failure', async () => {
    // Prepare
    stubEnvironment();
    const metrics = captureOutput().emf;
    const { handler } = await import('../../../handlers/job-events');

    // Act
    await handler(loadGlueJobEvent('succeeded'), context);

    // Assess
    expect(metrics().some((doc) => 'GlueJobFailures' in doc)).toBe(false);
    expect(metrics().find((doc) => 'GlueJobStateChanges' in doc)).toMatchObject({
      GlueJobStateChanges: 1,
    });
  });

  it('throws, so that Lambda retries, when an action fails', async () => {
    // Prepare
    stubEnvironment();
    captureOutput();
    ec2.on(RunInstancesCommand).rejects(new Error('InsufficientInstanceCapacity'));
    const { handler } = await import('../../../handlers/job-events');

    // Act
    const handling = handler(loadGlueJobEvent('timeout'), context);

    // Assess
    await expect(handling).rejects.toMatchObject({ name: 'FanoutActionError' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('throws a precise error, having done nothing, for an unknown shape', async () => {
    // Prepare
    stubEnvironment();
    captureOutput();
    const { handler } = await import('../../../handlers/job-events');

    // Act
    const handling = handler(glueJobEvent('failed', { jobRunId: '' }), context);

    // Assess
    await expect(handling).rejects.toMatchObject({ name: 'InvalidJobEventError' });
    await expect(handling).rejects.toThrow('detail.jobRunId: Too small');
    for (const mock of [sns, ec2, sfn, glue]) expect(mock.calls()).toHaveLength(0);
  });
});
