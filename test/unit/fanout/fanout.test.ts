import { DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  EntityNotFoundException,
  GetJobCommand,
  GetJobRunCommand,
  GlueClient,
} from '@aws-sdk/client-glue';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadFanoutConfig } from '../../../shared/fanout/config';
import {
  ExecutionNameConflictError,
  FanoutActionError,
  InvalidJobEventError,
} from '../../../shared/fanout/errors';
import { runFanout } from '../../../shared/fanout/fanout';
import { glueJobEvent, loadGlueJobEvent } from '../../helpers/eventbridge-events';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:streamlake-local-job-notifications';
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:streamlake-local-post-etl';
const TEMPLATE = 'lt-0123456789abcdef0';
const config = loadFanoutConfig({
  STAGE: 'local',
  JOB_NOTIFICATIONS_TOPIC_ARN: TOPIC,
  POST_PROCESSING_LAUNCH_TEMPLATE_ID: TEMPLATE,
  POST_PROCESSING_LAUNCH_TEMPLATE_VERSION: '3',
  POST_ETL_STATE_MACHINE_ARN: MACHINE,
});

const sns = mockClient(SNSClient);
const ec2 = mockClient(EC2Client);
const sfn = mockClient(SFNClient);
const glue = mockClient(GlueClient);
const clients = {
  sns: new SNSClient(),
  ec2: new EC2Client(),
  sfn: new SFNClient(),
  glue: new GlueClient(),
};

const succeeded = loadGlueJobEvent('succeeded');
const failed = loadGlueJobEvent('failed');
const SUCCEEDED_EXECUTION = `arn:aws:states:us-east-1:123456789012:execution:streamlake-local-post-etl:${succeeded.detail.jobRunId}-SUCCEEDED`;
const SUCCEEDED_INPUT = {
  jobName: 'streamlake-local-curate',
  jobRunId: succeeded.detail.jobRunId,
  state: 'SUCCEEDED',
  severity: 'INFO',
  message: 'Job run succeeded',
  account: '123456789012',
  region: 'us-east-1',
};

function alreadyExists(): ExecutionAlreadyExists {
  return new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} });
}

describe('Function: runFanout', () => {
  beforeEach(() => {
    for (const mock of [sns, ec2, sfn, glue]) mock.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    ec2.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: 'i-0abc' }] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: SUCCEEDED_EXECUTION });
    glue.on(GetJobRunCommand).resolves({
      JobRun: {
        StartedOn: new Date('2026-11-24T14:00:00Z'),
        CompletedOn: new Date('2026-11-24T14:12:05Z'),
        ExecutionTime: 700,
      },
    });
  });

  it('publishes and starts the post-ETL execution for a curate success, launching nothing', async () => {
    // Act
    const result = await runFanout(succeeded, clients, config);

    // Assess
    expect(result.outcomes).toEqual([
      { action: `notify(${TOPIC})`, result: 'm-1' },
      { action: `startExecution(${MACHINE})`, result: SUCCEEDED_EXECUTION },
    ]);
    expect(glue.commandCalls(GetJobRunCommand)[0]?.args[0].input).toEqual({
      JobName: 'streamlake-local-curate',
      RunId: succeeded.detail.jobRunId,
      PredecessorsIncluded: false,
    });
    const publish = sns.commandCalls(PublishCommand);
    expect(publish).toHaveLength(1);
    expect(publish[0]?.args[0].input).toMatchObject({
      TopicArn: TOPIC,
      Subject: '[streamlake] SUCCEEDED streamlake-local-curate',
      MessageAttributes: { state: { DataType: 'String', StringValue: 'SUCCEEDED' } },
    });
    expect(publish[0]?.args[0].input.Message).toContain(
      'Duration:  12m 05s, started 2026-11-24T14:00:00.000Z, completed 2026-11-24T14:12:05.000Z',
    );
    const start = sfn.commandCalls(StartExecutionCommand);
    expect(start).toHaveLength(1);
    expect(start[0]?.args[0].input).toEqual({
      stateMachineArn: MACHINE,
      name: `${succeeded.detail.jobRunId}-SUCCEEDED`,
      input: JSON.stringify(SUCCEEDED_INPUT),
    });
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(0);
  });

  it('launches the post-processing instance for a curate failure, with token and run tags', async () => {
    // Act
    await runFanout(failed, clients, config);

    // Assess
    const tags = [
      { Key: 'Name', Value: 'streamlake post-processing streamlake-local-curate FAILED' },
      { Key: 'streamlake:job-name', Value: 'streamlake-local-curate' },
      { Key: 'streamlake:job-run-id', Value: failed.detail.jobRunId },
      { Key: 'streamlake:job-state', Value: 'FAILED' },
    ];
    const launches = ec2.commandCalls(RunInstancesCommand);
    expect(launches).toHaveLength(1);
    expect(launches[0]?.args[0].input).toEqual({
      LaunchTemplate: { LaunchTemplateId: TEMPLATE, Version: '3' },
      MinCount: 1,
      MaxCount: 1,
      ClientToken: '90eae4811b2e9dfa7ec3c4c1b31bf2275523d71b7ddb1ff5e93eb9f7c30f2a80',
      TagSpecifications: [
        { ResourceType: 'instance', Tags: tags },
        { ResourceType: 'volume', Tags: tags },
      ],
    });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('sends the same ClientToken and execution name when the event is delivered again', async () => {
    // Act
    await runFanout(failed, clients, config);
    await runFanout(structuredClone(failed), clients, config);
    await runFanout(succeeded, clients, config);
    await runFanout(structuredClone(succeeded), clients, config);

    // Assess
    const tokens = ec2.commandCalls(RunInstancesCommand).map((c) => c.args[0].input.ClientToken);
    expect(new Set(tokens).size).toBe(1);
    const names = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name);
    expect(names).toEqual([
      `${succeeded.detail.jobRunId}-SUCCEEDED`,
      `${succeeded.detail.jobRunId}-SUCCEEDED`,
    ]);
  });

  it('fails naming the failed action after the others completed, each called once', async () => {
    // Prepare
    sns.on(PublishCommand).rejects(new Error('Throttling: Rate exceeded'));

    // Act
    const running = runFanout(succeeded, clients, config);

    // Assess
    await expect(running).rejects.toThrow(FanoutActionError);
    await expect(running).rejects.toThrow(
      `1 of 2 fan-out action(s) failed for streamlake-local-curate ${succeeded.detail.jobRunId} ` +
        `SUCCEEDED: notify(${TOPIC}): Error: Throttling: Rate exceeded`,
    );
    await expect(running).rejects.toMatchObject({
      succeeded: [`startExecution(${MACHINE})`],
      failed: [{ action: `notify(${TOPIC})` }],
    });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('names every failed action when several fail', async () => {
    // Prepare
    ec2.on(RunInstancesCommand).rejects(new Error('InsufficientInstanceCapacity'));
    sns.on(PublishCommand).rejects(new Error('Throttling: Rate exceeded'));

    // Act
    const running = runFanout(failed, clients, config);

    // Assess
    await expect(running).rejects.toMatchObject({
      failed: [{ action: `notify(${TOPIC})` }, { action: `launchInstance(${TEMPLATE})` }],
      succeeded: [],
    });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(1);
  });

  it('starts the post-ETL execution of a success even when its run cannot be read', async () => {
    // Prepare
    glue.on(GetJobRunCommand).rejects(new Error('ThrottlingException: Rate exceeded'));

    // Act
    const running = runFanout(succeeded, clients, config);

    // Assess: only the notification, which needs the run, failed
    await expect(running).rejects.toMatchObject({
      failed: [{ action: `notify(${TOPIC})` }],
      succeeded: [`startExecution(${MACHINE})`],
    });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('takes no action when Glue cannot say whether it retries a failed run', async () => {
    // Prepare
    glue.on(GetJobRunCommand).rejects(new Error('ServiceUnavailable'));

    // Act
    const running = runFanout(failed, clients, config);

    // Assess: the invocation fails and is retried; nothing was done on a guess
    await expect(running).rejects.toThrow('ServiceUnavailable');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(0);
  });

  describe('a FAILED attempt that Glue runs again', () => {
    beforeEach(() => {
      glue.on(GetJobRunCommand).resolves({ JobRun: { Attempt: 0, ErrorMessage: 'Lost executor' } });
      glue.on(GetJobCommand).resolves({ Job: { Name: 'streamlake-local-curate', MaxRetries: 1 } });
    });

    it('is announced as retried, and launches nothing until the last attempt', async () => {
      // Act
      const result = await runFanout(failed, clients, config);

      // Assess
      expect(result.glueRetry).toEqual({ attempt: 0, maxRetries: 1 });
      expect(result.outcomes).toEqual([{ action: `notify(${TOPIC})`, result: 'm-1' }]);
      expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(0);
      expect(glue.commandCalls(GetJobCommand)[0]?.args[0].input).toEqual({
        JobName: 'streamlake-local-curate',
      });
      const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
      expect(publish?.Subject).toBe('[streamlake] FAILED streamlake-local-curate (Glue retries)');
      expect(publish?.MessageAttributes?.glueRetries).toEqual({
        DataType: 'String',
        StringValue: 'true',
      });
      expect(publish?.Message).toContain(
        'Retry:     attempt 1 of 2 failed; Glue runs the job again, and post-processing waits ' +
          'for the last attempt',
      );
    });

    it('launches on the last attempt', async () => {
      // Prepare
      glue.on(GetJobRunCommand).resolves({ JobRun: { Attempt: 1 } });
      const lastAttempt = glueJobEvent('failed', {
        jobRunId: `${failed.detail.jobRunId}_attempt_1`,
      });

      // Act
      const result = await runFanout(lastAttempt, clients, config);

      // Assess
      expect(result.glueRetry).toBeUndefined();
      expect(result.outcomes.map((o) => o.action)).toEqual([
        `notify(${TOPIC})`,
        `launchInstance(${TEMPLATE})`,
      ]);
      expect(
        sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes?.glueRetries,
      ).toEqual({ DataType: 'String', StringValue: 'false' });
    });

    it('counts a run Glue has no record of, or a job that is gone, as the last attempt', async () => {
      // Prepare
      glue
        .on(GetJobCommand)
        .rejects(new EntityNotFoundException({ message: 'Job not found', $metadata: {} }));

      // Act
      const jobGone = await runFanout(failed, clients, config);
      glue
        .on(GetJobRunCommand)
        .rejects(new EntityNotFoundException({ message: 'Job run not found', $metadata: {} }));
      const runUnknown = await runFanout(structuredClone(failed), clients, config);

      // Assess
      for (const result of [jobGone, runUnknown]) {
        expect(result.glueRetry).toBeUndefined();
        expect(result.outcomes.map((o) => o.action)).toContain(`launchInstance(${TEMPLATE})`);
      }
    });

    it('does not wait for a retry of a run that timed out: Glue restarts only failed runs', async () => {
      // Act
      const result = await runFanout(loadGlueJobEvent('timeout'), clients, config);

      // Assess
      expect(result.glueRetry).toBeUndefined();
      expect(result.outcomes.map((o) => o.action)).toContain(`launchInstance(${TEMPLATE})`);
      expect(glue.commandCalls(GetJobCommand)).toHaveLength(0);
    });
  });

  it('takes a repeat refused for other parameters as launched, when an instance has the token', async () => {
    // Prepare: a deploy between the first call and the retry changed the template version
    const mismatch = Object.assign(
      new Error(
        'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).',
      ),
      { name: 'IdempotentParameterMismatch' },
    );
    ec2.on(RunInstancesCommand).rejects(mismatch);
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [{ InstanceId: 'i-0first' }] }],
    });

    // Act
    const result = await runFanout(failed, clients, config);

    // Assess
    const token = ec2.commandCalls(RunInstancesCommand)[0]?.args[0].input.ClientToken;
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input).toEqual({
      Filters: [{ Name: 'client-token', Values: [token] }],
    });
    expect(result.outcomes).toContainEqual({
      action: `launchInstance(${TEMPLATE})`,
      result: 'i-0first',
    });

    // Act & Assess: no instance with the token: the refusal stands
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    await expect(runFanout(failed, clients, config)).rejects.toMatchObject({
      failed: [{ action: `launchInstance(${TEMPLATE})`, error: mismatch }],
    });
  });

  it('takes ExecutionAlreadyExists with the same input as the earlier start', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).rejects(alreadyExists());
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: SUCCEEDED_EXECUTION,
      input: JSON.stringify({ ...SUCCEEDED_INPUT }),
    });

    // Act
    const result = await runFanout(succeeded, clients, config);

    // Assess
    expect(result.outcomes[1]).toEqual({
      action: `startExecution(${MACHINE})`,
      result: SUCCEEDED_EXECUTION,
    });
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({
      executionArn: SUCCEEDED_EXECUTION,
    });
  });

  it('fails when the execution name is taken by another input', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).rejects(alreadyExists());
    sfn.on(DescribeExecutionCommand).resolves({ input: '{"jobName":"someone-else"}' });

    // Act
    const running = runFanout(succeeded, clients, config);

    // Assess
    const error = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FanoutActionError);
    expect((error as FanoutActionError).failed[0]?.error).toBeInstanceOf(
      ExecutionNameConflictError,
    );
  });

  it('notifies with an unknown duration when Glue has no record of the run', async () => {
    // Prepare
    glue
      .on(GetJobRunCommand)
      .rejects(new EntityNotFoundException({ message: 'Job run not found', $metadata: {} }));

    // Act
    await runFanout(loadGlueJobEvent('stopped'), clients, config);

    // Assess
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message;
    expect(message).toContain('Duration:  unknown (Glue has no record of this run)');
  });

  it('does nothing and says why for an event of unknown shape', async () => {
    // Act
    const running = runFanout(glueJobEvent('failed', { state: 'EXPLODED' }), clients, config);

    // Assess
    await expect(running).rejects.toThrow(InvalidJobEventError);
    await expect(running).rejects.toThrow(/detail\.state: Invalid option/);
    for (const mock of [sns, ec2, sfn, glue]) expect(mock.calls()).toHaveLength(0);
  });

  it('does nothing for a job no route names', async () => {
    // Act
    const result = await runFanout(
      glueJobEvent('failed', { jobName: 'someone-elses-job' }),
      clients,
      config,
    );

    // Assess
    expect(result.outcomes).toEqual([]);
    for (const mock of [sns, ec2, sfn, glue]) expect(mock.calls()).toHaveLength(0);
  });
});
