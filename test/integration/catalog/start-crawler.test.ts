import {
  GetCrawlerCommand,
  GetPartitionsCommand,
  GetTableCommand,
  GlueClient,
  ListCrawlsCommand,
} from '@aws-sdk/client-glue';
import {
  DeleteBucketPolicyCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type {
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKinesisEvent } from '../../helpers/fixtures';
import { fakeLambdaContext } from '../../helpers/lambda-context';
import { arnOf, type LocalStack, useLocalAws } from '../../helpers/local-aws';

/**
 * The catalog path against the local AWS, from the packaged stack: the ingest handler writes
 * Parquet objects to the lake bucket → the bucket's notification puts their events on
 * CrawlerEventsQueue → the messages are received here and handed to startCrawler as Lambda's SQS
 * event source would → partitions in the stack's Glue tables, crawls of the stack's crawler.
 * The local crawler never crawls: a crawl stays RUNNING until ListCrawls is called.
 */

type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;
type KinesisHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

let stack: LocalStack;
let glue: GlueClient;
let s3: S3Client;
let sqs: SQSClient;
let startCrawler: SqsHandler;
let ingest: KinesisHandler;
let database: string;
let crawler: string;
let queueUrl: string;
let bucket: string;

/** Every message on the queue now, as Lambda's SQS event source delivers them. */
async function receiveAll(): Promise<SQSEvent> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        AttributeNames: ['All'],
        VisibilityTimeout: 60,
      }),
    );
    if (Messages.length === 0) break;
    messages.push(...Messages);
  }
  const queueArn = arnOf(stack, 'CrawlerEventsQueue');
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      attributes: m.Attributes as SQSEvent['Records'][number]['attributes'],
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: stack.region,
    })),
  };
}

/** What the event source does with a batch: invoke, then delete the messages that succeeded. */
async function deliver(event: SQSEvent): Promise<SQSBatchResponse> {
  const response = await startCrawler(event);
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const done = event.Records.filter((r) => !failed.has(r.messageId));
  for (let i = 0; i < done.length; i += 10)
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.slice(i, i + 10).map((r, j) => ({
          Id: String(j),
          ReceiptHandle: r.receiptHandle,
        })),
      }),
    );
  return response;
}

/** `dt=…/hour=…` folders under raw/<dataset>/, read from the bucket listing (not from Glue). */
async function writtenPartitions(dataset: string): Promise<string[]> {
  const { Contents = [] } = await s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: `raw/${dataset}/` }),
  );
  const folders = Contents.map((o) => /dt=([^/]+)\/hour=([^/]+)\//.exec(o.Key ?? ''))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}/${m[2]}`);
  return [...new Set(folders)].sort();
}

async function catalogPartitions(table: string): Promise<string[]> {
  const { Partitions = [] } = await glue.send(
    new GetPartitionsCommand({ DatabaseName: database, TableName: table }),
  );
  return Partitions.map((p) => (p.Values ?? []).join('/')).sort();
}

const crawlCount = async () =>
  (await glue.send(new ListCrawlsCommand({ CrawlerName: crawler }))).Crawls?.length ?? 0;
const crawlerState = async () =>
  (await glue.send(new GetCrawlerCommand({ Name: crawler }))).Crawler?.State;

describe('startCrawler against the local AWS', () => {
  beforeAll(async () => {
    stack = await useLocalAws();
    const missing = [
      'GlueDatabase',
      'RawCrawler',
      'CrawlerEventsQueue',
      'GlueTableRawOrders',
    ].filter((id) => !stack.resources[id]);
    if (missing.length > 0)
      throw new Error(
        `the local stack has no ${missing.join(', ')}: serverless.yml must include glue/catalog.yml, glue/catalog-tables.cjs and handlers/start-crawler.yml (glue/CATALOG.md)`,
      );
    database = stack.resources.GlueDatabase ?? '';
    crawler = stack.resources.RawCrawler ?? '';
    queueUrl = stack.resources.CrawlerEventsQueue ?? '';
    bucket = stack.resources.LakeBucket ?? '';
    glue = new GlueClient({});
    s3 = new S3Client({ forcePathStyle: true });
    sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    // The local S3 applies a bucket policy's Deny statements without their conditions, so the
    // TLS-only statement would refuse every put over the local HTTP endpoint.
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    Object.assign(process.env, {
      LAKE_BUCKET: bucket,
      LAKE_KMS_KEY_ARN: stack.outputs.LakeKeyArn,
      GLUE_DATABASE: database,
      RAW_CRAWLER_NAME: crawler,
      CRAWLER_EVENTS_QUEUE_URL: queueUrl,
      CRAWL_FOLLOW_UP_DELAY_SECONDS: '0',
      CRAWLER_MIN_INTERVAL_SECONDS: '0',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    const context = fakeLambdaContext();
    const ingestModule = await import('../../../handlers/ingest');
    const catalogModule = await import('../../../handlers/start-crawler');
    ingest = (event) => ingestModule.handler(event, context);
    startCrawler = (event) => catalogModule.handler(event, context);
  });

  it('creates the Glue tables from the declarations: columns equal what ingest writes', async () => {
    // Prepare
    await ingest(loadKinesisEvent('orders-csv'));
    const { Contents = [] } = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'raw/orders/' }),
    );
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: Contents[0]?.Key }));
    const bytes = await object.Body?.transformToByteArray();
    const file = bytes?.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);

    // Act
    const { Table } = await glue.send(
      new GetTableCommand({ DatabaseName: database, Name: 'orders' }),
    );

    // Assess
    const columns = Table?.StorageDescriptor?.Columns?.map((c) => `${c.Name} ${c.Type}`);
    expect(columns).toEqual([
      'order_id string',
      'customer_id string',
      'order_time timestamp',
      'status string',
      'currency string',
      'total decimal(12,2)',
      'item_count int',
      'shipped_date date',
      'is_gift boolean',
      'note string',
      '_unmapped string',
      '_shard_id string',
      '_sequence_number string',
      '_sub_sequence_number bigint',
      '_approximate_arrival timestamp',
      '_ingested_at timestamp',
    ]);
    expect(Table?.PartitionKeys?.map((k) => `${k.Name} ${k.Type}`)).toEqual([
      'dt string',
      'hour string',
    ]);
    expect(Table?.StorageDescriptor?.Location).toBe(`s3://${bucket}/raw/orders/`);
    expect(Table?.StorageDescriptor?.SerdeInfo?.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    const fileColumns = parquetSchema(parquetMetadata(file as ArrayBuffer)).children.map(
      (c) => c.element.name,
    );
    expect(fileColumns).toEqual(Table?.StorageDescriptor?.Columns?.map((c) => c.Name));
  });

  it('registers exactly the written partitions and starts the crawler once per burst', async () => {
    // Prepare
    // (the orders-csv ingest run above left its object events on the queue)
    const firstBurst = await receiveAll();

    // Act
    const first = await deliver(firstBurst);

    // Assess
    expect(firstBurst.Records.length).toBeGreaterThan(0);
    expect(first.batchItemFailures).toEqual([]);
    expect(await catalogPartitions('orders')).toEqual(await writtenPartitions('orders'));
    // The three orders of the fixture were placed at 13:02, 13:04 and 13:25 UTC.
    expect(await catalogPartitions('orders')).toEqual(['2026-11-24/13']);
    const { Partitions = [] } = await glue.send(
      new GetPartitionsCommand({
        DatabaseName: database,
        TableName: 'orders',
        Expression: "dt = '2026-11-24' AND hour = '13'",
      }),
    );
    expect(Partitions.map((p) => p.StorageDescriptor?.Location)).toEqual([
      `s3://${bucket}/raw/orders/dt=2026-11-24/hour=13/`,
    ]);
    expect(await crawlerState()).toBe('RUNNING');
  });

  it('follows up on objects that arrive during a crawl, once that crawl is over', async () => {
    // Prepare
    await ingest(loadKinesisEvent('mixed-datasets'));
    const secondBurst = await receiveAll();

    // Act
    // 1. The crawl of the first burst is still running: no second start, a follow-up instead.
    const whileRunning = await deliver(secondBurst);
    const followUps = await receiveAll();
    // 2. The running crawl finishes (the local crawler completes when its crawls are listed).
    const crawlsBefore = await crawlCount();
    const afterwards = await deliver(followUps);

    // Assess
    expect(whileRunning.batchItemFailures).toEqual([]);
    expect(followUps.Records.map((r) => JSON.parse(r.body).type)).toEqual([
      'streamlake.crawl-follow-up',
    ]);
    expect(crawlsBefore).toBe(1);
    expect(afterwards.batchItemFailures).toEqual([]);
    expect(await crawlCount()).toBe(2);
    expect(await catalogPartitions('orders')).toEqual(await writtenPartitions('orders'));
    // Projected datasets are registered too (Athena computes theirs; Glue jobs read the catalog).
    expect(await writtenPartitions('clickstream')).not.toEqual([]);
    expect(await catalogPartitions('clickstream')).toEqual(await writtenPartitions('clickstream'));
  });
  it('checks on the crawls it starts and falls quiet once one that covers the objects succeeded', async () => {
    // Prepare: wait out the 1 s clock margin, so that a crawl started from now on covers the
    // second burst. Crawl 2 started within the margin of it (tens of milliseconds after its
    // objects, measured), so it does not count.
    await new Promise((done) => setTimeout(done, 1_100));

    // Act: deliver the follow-ups until none is left; a local crawl finishes when crawls are listed
    const rounds: unknown[] = [];
    for (let round = 0; round < 5; round += 1) {
      await crawlCount();
      const batch = await receiveAll();
      if (batch.Records.length === 0) break;
      rounds.push((await deliver(batch)).batchItemFailures);
    }

    // Assess: crawl 2's check starts crawl 3; crawl 3's check finds it succeeded, and stops
    expect(rounds).toEqual([[], []]);
    expect(await crawlCount()).toBe(3);
    expect(await crawlerState()).toBe('READY');
  });
});
