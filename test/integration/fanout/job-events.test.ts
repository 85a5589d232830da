import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateCrawlerCommand,
  CreateDatabaseCommand,
  CreateJobCommand,
  GetCrawlerCommand,
  GetJobCommand,
  GlueClient,
  StartJobRunCommand,
} from '@aws-sdk/client-glue';
import { GetFunctionEventInvokeConfigCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveIntrinsics } from '../../../local/aws/intrinsics';
import { type GlueJobStateEvent, glueJobEvent } from '../../helpers/eventbridge-events';
import { fakeLambdaContext } from '../../helpers/lambda-context';
import { type LocalStack, useLocalAws } from '../../helpers/local-aws';

/**
 * The job-events pipeline against the local AWS, from the packaged stack:
 * PutEvents → the stack's Glue rule → an SQS target attached here → the jobEvents handler →
 * SNS (read back through an SQS subscription), EC2, Step Functions (run by the local interpreter).
 *
 * The local AWS delivers rule targets only to SQS, so the harness stands a queue in for the
 * rule's Lambda target (local/aws/adaptations.ts); the rule and its pattern are the stack's. The
 * local EC2 stores ClientToken without honouring it, so the idempotency check is that both
 * deliveries send the same token.
 */

type Handler = (event: unknown, context: Context) => Promise<void>;

// Built once the local AWS is up: the SDK reads the endpoint from the environment.
let sqs: SQSClient;
let events: EventBridgeClient;
let glue: GlueClient;
let sfn: SFNClient;
let ec2: EC2Client;
let sns: SNSClient;
const context = fakeLambdaContext({ functionName: 'streamlake-local-jobEvents' });

let stack: LocalStack;
let handler: Handler;
let ruleQueue: string;
/** The Glue rule's targets as the packaged template declares them (what a deploy creates). */
let stackTargets: unknown[];
let notificationsQueue: string;
let crawlerName: string;

async function createQueue(name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl: url = '' } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: Attributes?.QueueArn ?? '' };
}

async function receiveAll(queueUrl: string): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages;
}

/** The stack's rule for Glue job state changes, found by its event pattern. */
function glueRule(): { name: string; targets: unknown[] } {
  const rule = Object.values(stack.template.Resources).find(
    (r) =>
      r.Type === 'AWS::Events::Rule' &&
      JSON.stringify(r.Properties?.EventPattern ?? {}).includes('Glue Job State Change'),
  );
  const name = rule?.Properties?.Name;
  if (typeof name !== 'string') throw new Error('no Glue job state rule in the packaged stack');
  const facts = { ...stack, physicalIds: stack.resources };
  return { name, targets: resolveIntrinsics(facts, rule?.Properties?.Targets) as unknown[] };
}

/** Sends a Glue event through EventBridge and returns what the rule delivered, as the handler gets it. */
async function deliver(event: GlueJobStateEvent): Promise<unknown[]> {
  const { FailedEntryCount } = await events.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: event.source,
          DetailType: event['detail-type'],
          Detail: JSON.stringify(event.detail),
          Resources: event.resources,
          Time: new Date(event.time),
        },
      ],
    }),
  );
  expect(FailedEntryCount).toBe(0);
  // The local EventBridge leaves `account` out of what it delivers to SQS; AWS always sets it.
  return (await receiveAll(ruleQueue)).map((m) => ({
    account: stack.accountId,
    ...(JSON.parse(m.Body ?? '') as object),
  }));
}

/**
 * A real run of the job in the local Glue (it completes at once), so GetJobRun knows it. The job
 * is retried once on failure, as glue/jobs.yml has curate.
 */
async function startRun(jobName: string): Promise<string> {
  await glue
    .send(
      new CreateJobCommand({
        Name: jobName,
        Role: `arn:aws:iam::${stack.accountId}:role/glue`,
        Command: { Name: 'glueetl', ScriptLocation: 's3://scripts/curate.py' },
        MaxRetries: 1,
      }),
    )
    .catch((error: Error) => {
      if (
        error.name !== 'AlreadyExistsException' &&
        error.name !== 'IdempotentParameterMismatchException'
      )
        throw error;
    });
  const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: jobName }));
  return JobRunId ?? '';
}

describe('Function: jobEvents against the local AWS', () => {
  beforeAll(async () => {
    // Prepare: the stack, the test-only rule target and topic subscription, the curated crawler
    stack = await useLocalAws();
    [sqs, events, glue, sfn, ec2, sns] = [
      new SQSClient(),
      new EventBridgeClient(),
      new GlueClient(),
      new SFNClient(),
      new EC2Client(),
      new SNSClient(),
    ];
    const rule = glueRule();
    stackTargets = rule.targets;
    // The harness stands a queue in for the rule's Lambda target (local/aws/adaptations.ts).
    const delivery = stack.ruleDeliveries.find((d) => d.rule === rule.name && d.queueUrl);
    if (!delivery?.queueUrl) throw new Error(`no local delivery queue for rule ${rule.name}`);
    ruleQueue = delivery.queueUrl;
    const subscriber = await createQueue('fanout-test-notifications');
    notificationsQueue = subscriber.url;
    await sns.send(
      new SubscribeCommand({
        TopicArn: stack.outputs.JobNotificationsTopicArn,
        Protocol: 'sqs',
        Endpoint: subscriber.arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const machine = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: stack.outputs.PostEtlStateMachineArn }),
    );
    const definition = JSON.parse(machine.definition ?? '{}');
    crawlerName = String(definition.States.StartCuratedCrawler.Parameters.Name);
    await glue
      .send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'fanout_test' } }))
      .catch(() => undefined);
    await glue
      .send(
        new CreateCrawlerCommand({
          Name: crawlerName,
          Role: `arn:aws:iam::${stack.accountId}:role/glue`,
          DatabaseName: 'fanout_test',
          Targets: { S3Targets: [{ Path: 's3://lake/curated/' }] },
        }),
      )
      .catch((error: Error) => {
        if (error.name !== 'AlreadyExistsException') throw error;
      });
    Object.assign(process.env, {
      STAGE: 'local',
      JOB_NOTIFICATIONS_TOPIC_ARN: stack.outputs.JobNotificationsTopicArn,
      POST_PROCESSING_LAUNCH_TEMPLATE_ID: stack.outputs.PostProcessingLaunchTemplateId,
      POST_PROCESSING_LAUNCH_TEMPLATE_VERSION: '1',
      POST_ETL_STATE_MACHINE_ARN: stack.outputs.PostEtlStateMachineArn,
      POWERTOOLS_METRICS_NAMESPACE: 'streamlake',
      POWERTOOLS_SERVICE_NAME: 'streamlake',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    ({ handler } = (await import('../../../handlers/job-events')) as { handler: Handler });
  });

  it('retries delivery to the function and keeps what fails, at both hops', async () => {
    // Act
    const invokeConfig = await new LambdaClient().send(
      new GetFunctionEventInvokeConfigCommand({ FunctionName: 'streamlake-local-jobEvents' }),
    );

    // Assess: EventBridge → Lambda (target retry policy, DLQ), Lambda async (retries, on-failure)
    expect(stackTargets).toEqual([
      expect.objectContaining({
        Arn: 'arn:aws:lambda:us-east-1:123456789012:function:streamlake-local-jobEvents',
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: {
          Arn: 'arn:aws:sqs:us-east-1:123456789012:streamlake-local-job-events-dlq',
        },
      }),
    ]);
    expect(invokeConfig).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: {
          Destination: 'arn:aws:sqs:us-east-1:123456789012:streamlake-local-job-events-failures',
        },
      },
    });
  });

  it('grants its roles no wildcard action, and the on-failure queue explicitly', () => {
    // Prepare
    type Statement = { Action: string | string[]; Resource: unknown };
    const statementsOf = (roleId: string): Statement[] => {
      const role = stack.template.Resources[roleId]?.Properties as
        | { Policies: { PolicyDocument: { Statement: Statement[] } }[] }
        | undefined;
      return (role?.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement);
    };
    const roles = [
      'JobEventsIamRoleLambdaExecution',
      'FreshnessIamRoleLambdaExecution',
      'PostEtlStateMachineRole',
    ];

    // Act
    const actions = roles.flatMap((id) => statementsOf(id).flatMap((s) => [s.Action].flat()));

    // Assess
    expect(actions.length).toBeGreaterThan(10);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(statementsOf('JobEventsIamRoleLambdaExecution')).toContainEqual(
      expect.objectContaining({
        Action: ['sqs:SendMessage'],
        Resource: { 'Fn::GetAtt': ['JobEventsFailureQueue', 'Arn'] },
      }),
    );
  });

  it('routes only this stage’s terminal Glue states to the function', async () => {
    // Act
    const routed = await deliver(glueJobEvent('stopped'));
    const otherStage = await deliver(
      glueJobEvent('stopped', { jobName: 'streamlake-prod-compact' }),
    );
    const notTerminal = await deliver(glueJobEvent('stopped', { state: 'RUNNING' }));

    // Assess
    expect(routed).toHaveLength(1);
    expect(routed[0]).toMatchObject({
      source: 'aws.glue',
      'detail-type': 'Glue Job State Change',
      detail: glueJobEvent('stopped').detail,
    });
    expect(otherStage).toEqual([]);
    expect(notTerminal).toEqual([]);
  });

  it('announces a curate success on the topic and runs the post-ETL state machine once', async () => {
    // Prepare
    const jobRunId = await startRun('streamlake-local-curate');
    const [delivered] = await deliver(glueJobEvent('succeeded', { jobRunId }));

    // Act: the same event twice, as an at-least-once delivery may hand it over
    await handler(delivered, context);
    await handler(structuredClone(delivered), context);

    // Assess: one execution, named after the run, run to completion by the local interpreter
    const machineArn = stack.outputs.PostEtlStateMachineArn ?? '';
    const { executions = [] } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machineArn }),
    );
    expect(executions.map((e) => e.name)).toEqual([`${jobRunId}-SUCCEEDED`]);
    let status = 'RUNNING';
    for (let i = 0; i < 50 && status === 'RUNNING'; i++) {
      const execution = await sfn.send(
        new DescribeExecutionCommand({ executionArn: executions[0]?.executionArn }),
      );
      status = execution.status ?? '';
      if (status === 'RUNNING') await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe('SUCCEEDED');
    const crawler = await glue.send(new GetCrawlerCommand({ Name: crawlerName }));
    expect(crawler.Crawler?.State).toBe('RUNNING');

    // Act & Assess: a late redelivery, after the execution finished (ExecutionAlreadyExists with
    // the same input), succeeds without a second execution
    await handler(structuredClone(delivered), context);
    const after = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
    expect(after.executions?.map((e) => e.name)).toEqual([`${jobRunId}-SUCCEEDED`]);

    // Assess: the subscription got the handler's notifications (one per delivery: standard SNS
    // topics do not deduplicate) and the state machine's
    const messages = await receiveAll(notificationsQueue);
    const fromHandler = messages.filter(
      (m) => m.MessageAttributes?.state?.StringValue === 'SUCCEEDED',
    );
    expect(fromHandler).toHaveLength(3);
    expect(fromHandler[0]?.MessageAttributes).toMatchObject({
      jobName: { StringValue: 'streamlake-local-curate' },
      jobRunId: { StringValue: jobRunId },
      severity: { StringValue: 'INFO' },
    });
    expect(fromHandler[0]?.Body).toContain(`Run id:    ${jobRunId}`);
    expect(fromHandler[0]?.Body).toMatch(/Duration: {2}\d+s, started /);
    const ready = messages.filter(
      (m) => m.MessageAttributes?.state?.StringValue === 'CURATED_READY',
    );
    expect(ready.map((m) => m.Body)).toEqual([
      `Curated data of streamlake-local-curate run ${jobRunId} (SUCCEEDED) is ready; ` +
        `catalog refresh: crawler ${crawlerName} started.`,
    ]);
  });

  it('launches the post-processing instance for the last failed curate attempt, with one ClientToken', async () => {
    // Prepare: a first attempt of curate (MaxRetries 1), and the event of its retry, which the
    // local Glue cannot run (GetJobRun does not know it: counted as the last attempt)
    const jobRunId = await startRun('streamlake-local-curate');
    const { Job } = await glue.send(new GetJobCommand({ JobName: 'streamlake-local-curate' }));
    expect(Job?.MaxRetries).toBe(1);
    const [firstAttempt] = await deliver(glueJobEvent('failed', { jobRunId }));
    const [lastAttempt] = await deliver(
      glueJobEvent('failed', { jobRunId: `${jobRunId}_attempt_1` }),
    );

    // Act
    await handler(firstAttempt, context);
    await handler(lastAttempt, context);
    await handler(structuredClone(lastAttempt), context);

    // Assess: nothing launched for the attempt Glue retries; the local EC2 launched twice for the
    // last one (it ignores ClientToken), with one token and the run's tags
    const launchedFor = async (runId: string) => {
      const { Reservations = [] } = await ec2.send(
        new DescribeInstancesCommand({
          Filters: [{ Name: 'tag:streamlake:job-run-id', Values: [runId] }],
        }),
      );
      return Reservations.flatMap((r) => r.Instances ?? []);
    };
    expect(await launchedFor(jobRunId)).toEqual([]);
    const instances = await launchedFor(`${jobRunId}_attempt_1`);
    expect(instances).toHaveLength(2);
    const tokens = new Set(instances.map((i) => i.ClientToken));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).toMatch(/^[0-9a-f]{64}$/);
    expect(instances[0]?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'streamlake:job-state', Value: 'FAILED' },
        { Key: 'streamlake:job-name', Value: 'streamlake-local-curate' },
      ]),
    );
    const failures = (await receiveAll(notificationsQueue)).filter(
      (m) => m.MessageAttributes?.state?.StringValue === 'FAILED',
    );
    expect(failures.map((m) => m.MessageAttributes?.glueRetries?.StringValue)).toEqual([
      'true',
      'false',
      'false',
    ]);
    expect(failures[0]?.MessageAttributes?.severity?.StringValue).toBe('ERROR');
  });
});
