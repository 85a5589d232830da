import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateCrawlerCommand,
  CreateDatabaseCommand,
  CreateJobCommand,
  CreateSecurityConfigurationCommand,
  CreateTableCommand,
  CreateTriggerCommand,
  CreateWorkflowCommand,
  GlueClient,
} from '@aws-sdk/client-glue';
import { LambdaClient, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import {
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { isTlsOnlyDeny } from './adaptations';

/** SDK clients pointed at the local AWS. */
export interface LocalClients {
  glue: GlueClient;
  s3: S3Client;
  sqs: SQSClient;
  sns: SNSClient;
  lambda: LambdaClient;
  cloudwatch: CloudWatchClient;
}

export function localClients(endpoint: string, region: string): LocalClients {
  const base = {
    endpoint,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  return {
    glue: new GlueClient(base),
    s3: new S3Client({ ...base, forcePathStyle: true }),
    sqs: new SQSClient(base),
    sns: new SNSClient(base),
    lambda: new LambdaClient(base),
    cloudwatch: new CloudWatchClient(base),
  };
}

type Props = Record<string, unknown>;
/** Creates one resource from its (resolved) template properties; returns its physical id. */
type Supplement = (clients: LocalClients, props: Props, logicalId: string) => Promise<string>;

const str = (v: unknown) => String(v);

/**
 * SDK creators for the resource types moto's CloudFormation skips, in the order they must be
 * created. Each takes the template entry's own properties: nothing here names a resource.
 */
export const SUPPLEMENTS: ReadonlyArray<[type: string, create: Supplement]> = [
  [
    'AWS::Glue::SecurityConfiguration',
    async (c, p) => {
      // CloudFormation says S3Encryptions where the Glue API says S3Encryption.
      const { S3Encryptions, ...rest } = (p.EncryptionConfiguration ?? {}) as Props;
      const EncryptionConfiguration = { ...rest, S3Encryption: S3Encryptions } as never;
      await c.glue.send(
        new CreateSecurityConfigurationCommand({ Name: str(p.Name), EncryptionConfiguration }),
      );
      return str(p.Name);
    },
  ],
  [
    'AWS::Glue::Database',
    async (c, p) => {
      await c.glue.send(new CreateDatabaseCommand({ DatabaseInput: p.DatabaseInput as never }));
      return str((p.DatabaseInput as Props).Name);
    },
  ],
  [
    'AWS::Glue::Table',
    async (c, p) => {
      const input = { DatabaseName: str(p.DatabaseName), TableInput: p.TableInput as never };
      await c.glue.send(new CreateTableCommand(input));
      return str((p.TableInput as Props).Name);
    },
  ],
  [
    'AWS::Glue::Crawler',
    async (c, p) => {
      const schedule = (p.Schedule as Props | undefined)?.ScheduleExpression;
      const input = { ...p, Schedule: schedule === undefined ? undefined : str(schedule) };
      await c.glue.send(new CreateCrawlerCommand(input as never));
      return str(p.Name);
    },
  ],
  [
    'AWS::Glue::Job',
    async (c, p) => {
      await c.glue.send(new CreateJobCommand(p as never));
      return str(p.Name);
    },
  ],
  [
    'AWS::Glue::Workflow',
    async (c, p) => {
      await c.glue.send(new CreateWorkflowCommand(p as never));
      return str(p.Name);
    },
  ],
  [
    'AWS::Glue::Trigger',
    async (c, p) => {
      await c.glue.send(new CreateTriggerCommand(p as never));
      return str(p.Name);
    },
  ],
  [
    'AWS::S3::BucketPolicy',
    async (c, p) => {
      // The local endpoint is plain HTTP on loopback and moto enforces bucket policies: a
      // TLS-only deny would refuse every request, so that one statement is left out locally.
      const document = p.PolicyDocument as { Statement: Record<string, unknown>[] };
      const Statement = document.Statement.filter((s) => !isTlsOnlyDeny(s));
      if (Statement.length) {
        const Policy = JSON.stringify({ ...document, Statement });
        await c.s3.send(new PutBucketPolicyCommand({ Bucket: str(p.Bucket), Policy }));
      }
      return str(p.Bucket);
    },
  ],
  [
    'AWS::SQS::QueuePolicy',
    async (c, p, id) => {
      const Policy = JSON.stringify(p.PolicyDocument);
      for (const QueueUrl of p.Queues as string[])
        await c.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy } }));
      return id;
    },
  ],
  [
    'AWS::SNS::Subscription',
    async (c, p) => {
      const attributes: Record<string, string> = {};
      if (p.RawMessageDelivery !== undefined)
        attributes.RawMessageDelivery = str(p.RawMessageDelivery);
      if (p.FilterPolicy !== undefined) attributes.FilterPolicy = JSON.stringify(p.FilterPolicy);
      if (p.RedrivePolicy !== undefined) attributes.RedrivePolicy = JSON.stringify(p.RedrivePolicy);
      const out = await c.sns.send(
        new SubscribeCommand({
          TopicArn: str(p.TopicArn),
          Protocol: str(p.Protocol),
          Endpoint: str(p.Endpoint),
          Attributes: attributes,
          ReturnSubscriptionArn: true,
        }),
      );
      return out.SubscriptionArn ?? '';
    },
  ],
  [
    'AWS::Lambda::EventInvokeConfig',
    async (c, p, id) => {
      await c.lambda.send(new PutFunctionEventInvokeConfigCommand(p as never));
      return id;
    },
  ],
  [
    'AWS::CloudWatch::Alarm',
    async (c, p) => {
      await c.cloudwatch.send(new PutMetricAlarmCommand(p as never));
      return str(p.AlarmName);
    },
  ],
];

/** Bucket notifications: moto's CloudFormation stores the bucket but not this property. */
export async function applyBucketNotifications(
  clients: LocalClients,
  bucket: string,
  config: Props,
): Promise<void> {
  const rules = (f: unknown) =>
    ((f as Props | undefined)?.S3Key as Props | undefined)?.Rules as Props[] | undefined;
  const toApi = (entries: unknown, arnKey: string, cfnKey: string) =>
    ((entries as Props[] | undefined) ?? []).map((e) => ({
      [arnKey]: str(e[cfnKey]),
      Events: [str(e.Event)],
      ...(rules(e.Filter) ? { Filter: { Key: { FilterRules: rules(e.Filter) } } } : {}),
    }));
  await clients.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        QueueConfigurations: toApi(config.QueueConfigurations, 'QueueArn', 'Queue') as never,
        TopicConfigurations: toApi(config.TopicConfigurations, 'TopicArn', 'Topic') as never,
        LambdaFunctionConfigurations: toApi(
          config.LambdaConfigurations,
          'LambdaFunctionArn',
          'Function',
        ) as never,
        ...(config.EventBridgeConfiguration ? { EventBridgeConfiguration: {} } : {}),
      },
    }),
  );
}
