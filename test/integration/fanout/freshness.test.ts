import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScheduledEvent } from '../../helpers/eventbridge-events';
import { fakeLambdaContext } from '../../helpers/lambda-context';
import { type LocalStack, useLocalAws } from '../../helpers/local-aws';

/**
 * The freshness watchdog against the local AWS: partitions in a lake-shaped bucket, the alert read
 * back through an SQS subscription to the stack's alerts topic. The bucket is this test's own: the
 * stack's lake bucket denies requests without TLS (aws:SecureTransport), which the local AWS
 * enforces on its plain-HTTP endpoint.
 */

type Handler = (event: unknown, context: Context) => Promise<void>;

let stack: LocalStack;
let sqs: SQSClient;
let alertsQueue: string;

function hourPartition(hoursAgo: number): string {
  const at = new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
  return `dt=${at.slice(0, 10)}/hour=${at.slice(11, 13)}`;
}

describe('Function: freshness against the local AWS', () => {
  beforeAll(async () => {
    // Prepare
    stack = await useLocalAws();
    sqs = new SQSClient();
    const { QueueUrl = '' } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'freshness-test-alerts' }),
    );
    alertsQueue = QueueUrl;
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await new SNSClient().send(
      new SubscribeCommand({
        TopicArn: stack.outputs.AlertsTopicArn,
        Protocol: 'sqs',
        Endpoint: Attributes?.QueueArn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
  });

  it('alerts once, naming the datasets without a recent partition', async () => {
    // Prepare: clickstream wrote this hour, orders 30 hours ago, sensor_readings never
    const bucket = 'freshness-test-lake';
    const ordersPartition = hourPartition(30);
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of [
      `raw/clickstream/${hourPartition(0)}/shardId-000000000000-1.parquet`,
      `raw/orders/${ordersPartition}/shardId-000000000000-1.parquet`,
    ])
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'PAR1' }));
    Object.assign(process.env, {
      STAGE: 'local',
      LAKE_BUCKET: bucket,
      ALERTS_TOPIC_ARN: stack.outputs.AlertsTopicArn,
      FRESHNESS_MAX_AGE_HOURS: '6',
      POWERTOOLS_SERVICE_NAME: 'streamlake',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    const { handler } = (await import('../../../handlers/freshness')) as { handler: Handler };

    // Act
    await handler(
      loadScheduledEvent(),
      fakeLambdaContext({ functionName: 'streamlake-local-freshness' }),
    );

    // Assess
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: alertsQueue,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(Messages).toHaveLength(1);
    const body = Messages[0]?.Body ?? '';
    expect(body).toContain(`- orders: last partition ${ordersPartition}, `);
    expect(body).toContain('- sensor_readings: no partition in the lake');
    expect(body).not.toContain('clickstream');
    expect(Messages[0]?.MessageAttributes?.kind?.StringValue).toBe('freshness');
  });
});
