import {
  BatchCreatePartitionCommand,
  CrawlerRunningException,
  EntityNotFoundException,
  GetCrawlerCommand,
  GetTableCommand,
  GlueClient,
  StartCrawlerCommand,
  ThrottlingException,
} from '@aws-sdk/client-glue';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../shared/errors';
import {
  LAKE_BUCKET,
  loadSqsEvent,
  objectCreated,
  rawKey,
  sqsEvent,
} from '../../fixtures/sqs/events';
import { captureOutput } from '../../helpers/captured-output';
import { fakeLambdaContext } from '../../helpers/lambda-context';

const glueMock = mockClient(GlueClient);
const sqsMock = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/streamlake-dev-crawler-events';
const CRAWLER = 'streamlake-dev-raw';
const TABLE_STORAGE = (dataset: string) => ({
  Location: `s3://${LAKE_BUCKET}/raw/${dataset}/`,
  Columns: [{ Name: 'order_id', Type: 'string' }],
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: {
    SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  },
});
/** The burst fixture's latest object event (the multipart upload). */
const BURST_LATEST = '2026-11-24T14:02:45.903Z';
const id = (index: number) => `6f1e2d3c-4b5a-4c7d-8e9f-${index.toString(16).padStart(12, '0')}`;

function stubEnvironment(overrides: Record<string, string | undefined> = {}): void {
  const env: Record<string, string | undefined> = {
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    GLUE_DATABASE: 'streamlake_dev',
    RAW_CRAWLER_NAME: CRAWLER,
    LAKE_BUCKET,
    CRAWLER_EVENTS_QUEUE_URL: QUEUE_URL,
    CRAWL_FOLLOW_UP_DELAY_SECONDS: '240',
    CRAWLER_MIN_INTERVAL_SECONDS: '0',
    POWERTOOLS_SERVICE_NAME: 'streamlake',
    POWERTOOLS_METRICS_NAMESPACE: 'streamlake',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    ...overrides,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

async function loadHandler(): Promise<(event: SQSEvent) => Promise<SQSBatchResponse>> {
  const { handler } = await import('../../../handlers/start-crawler');
  return (event) =>
    handler(event, fakeLambdaContext({ functionName: 'streamlake-dev-startCrawler' }));
}

const failedIds = (response: SQSBatchResponse) =>
  response.batchItemFailures.map((f) => f.itemIdentifier);

const registeredValues = () =>
  glueMock
    .commandCalls(BatchCreatePartitionCommand)
    .map((c) => [
      c.args[0].input.TableName,
      ...(c.args[0].input.PartitionInputList ?? []).map((p) => p.Values?.join('/')),
    ]);

describe('Function: handler (startCrawler)', () => {
  beforeEach(() => {
    glueMock.reset();
    sqsMock.reset();
    vi.resetModules();
    glueMock.on(GetCrawlerCommand).resolves({ Crawler: { Name: CRAWLER, State: 'READY' } });
    glueMock.on(StartCrawlerCommand).resolves({});
    glueMock.on(GetTableCommand).callsFake(async ({ Name }: { Name: string }) => ({
      Table: { Name, StorageDescriptor: TABLE_STORAGE(Name) },
    }));
    glueMock.on(BatchCreatePartitionCommand).resolves({ Errors: [] });
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'follow-up-1' });
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('fails the cold start with a ConfigError naming the missing variable', async () => {
    // Prepare
    stubEnvironment({ RAW_CRAWLER_NAME: undefined });

    // Act
    const loading = import('../../../handlers/start-crawler');

    // Assess
    // (a fresh module graph has its own ConfigError class, hence the name check)
    await expect(loading).rejects.toMatchObject({
      name: ConfigError.name,
      variable: 'RAW_CRAWLER_NAME',
    });
  });

  it('turns a burst of 12 object events into one StartCrawler and one BatchCreatePartition', async () => {
    // Prepare
    stubEnvironment();
    const output = captureOutput();
    const handler = await loadHandler();

    // Act
    const response = await handler(loadSqsEvent('s3-burst'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(glueMock.commandCalls(GetCrawlerCommand)).toHaveLength(1);
    expect(glueMock.commandCalls(StartCrawlerCommand).map((c) => c.args[0].input)).toEqual([
      { Name: CRAWLER },
    ]);
    // Every dataset registers its partitions, projected ones (clickstream, sensor_readings) too:
    // Glue jobs read the catalog's partitions.
    expect(glueMock.commandCalls(GetTableCommand).map((c) => c.args[0].input)).toEqual([
      { DatabaseName: 'streamlake_dev', Name: 'orders' },
      { DatabaseName: 'streamlake_dev', Name: 'clickstream' },
      { DatabaseName: 'streamlake_dev', Name: 'sensor_readings' },
    ]);
    expect(registeredValues()).toEqual([
      ['orders', '2026-11-24/13', '2026-11-24/14'],
      ['clickstream', '2026-11-24/14'],
      ['sensor_readings', '2026-11-24/14'],
    ]);
    const locations = glueMock
      .commandCalls(BatchCreatePartitionCommand)[0]
      ?.args[0].input.PartitionInputList?.map((p) => p.StorageDescriptor?.Location);
    expect(locations).toEqual([
      `s3://${LAKE_BUCKET}/raw/orders/dt=2026-11-24/hour=13/`,
      `s3://${LAKE_BUCKET}/raw/orders/dt=2026-11-24/hour=14/`,
    ]);
    // One follow-up, to check that the crawl it started succeeded
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(1);
    const lines = output.lines();
    expect(lines.find((l) => l.message === 'catalog batch processed')?.summary).toEqual({
      messages: 12,
      testEvents: 0,
      followUpsReceived: 0,
      dataObjects: 12,
      ignored: {},
      partitionsCreated: 4,
      partitionsExisting: 0,
      partitionsCached: 0,
      partitionsFailed: 0,
      crawl: 'started',
      lastCrawlFailed: false,
      failedMessages: 0,
    });
    expect(lines.find((l) => '_aws' in l && 'Messages' in l)).toMatchObject({
      Messages: 12,
      DataObjects: 12,
      PartitionsCreated: 4,
      CrawlsStarted: 1,
      CrawlFollowUpsSent: 1,
      FailedMessages: 0,
    });
    expect(lines.find((l) => '_aws' in l && 'RawCrawlerLastCrawlFailed' in l)).toMatchObject({
      RawCrawlerLastCrawlFailed: 0,
      crawler: CRAWLER,
      service: 'streamlake',
    });
  });

  it('takes CrawlerRunningException as success and follows up from the latest event time', async () => {
    // Prepare
    stubEnvironment();
    captureOutput();
    glueMock
      .on(StartCrawlerCommand)
      .rejects(new CrawlerRunningException({ message: 'Crawler is running', $metadata: {} }));
    const handler = await loadHandler();

    // Act
    const response = await handler(loadSqsEvent('s3-burst'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sqsMock.commandCalls(SendMessageCommand).map((c) => c.args[0].input)).toEqual([
      {
        QueueUrl: QUEUE_URL,
        MessageBody: `{"type":"streamlake.crawl-follow-up","crawler":"${CRAWLER}","pendingSince":"${BURST_LATEST}"}`,
        DelaySeconds: 240,
      },
    ]);
  });

  it('misses nothing that arrives during a crawl: the follow-up returns until a later crawl covers it', async () => {
    // Prepare
    stubEnvironment();
    captureOutput();
    const handler = await loadHandler();
    // A crawl started at 14:00 is running when the burst (latest event 14:02:45.903) arrives.
    glueMock.on(GetCrawlerCommand).resolves({ Crawler: { Name: CRAWLER, State: 'RUNNING' } });
    await handler(loadSqsEvent('s3-burst'));
    const followUp = sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody;
    const lastCrawl = (start: string, status: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED') => ({
      Crawler: {
        Name: CRAWLER,
        State: 'READY' as const,
        LastCrawl: { Status: status, StartTime: new Date(start) },
      },
    });

    // Act
    // 1. It comes back while the crawler is still running: sent again, same pendingSince.
    const stillRunning = await handler(sqsEvent([followUp]));
    // 2. The 14:00 crawl has finished; it started before the objects existed: start another.
    glueMock.on(GetCrawlerCommand).resolves(lastCrawl('2026-11-24T14:00:00Z'));
    const restarted = await handler(sqsEvent([followUp]));
    // 3. That crawl (14:09) failed: it covers nothing, so its follow-up starts another.
    glueMock.on(GetCrawlerCommand).resolves(lastCrawl('2026-11-24T14:09:00Z', 'FAILED'));
    const retried = await handler(sqsEvent([followUp]));
    // 4. A duplicate of the follow-up after the 14:20 crawl succeeded: nothing left to do.
    glueMock.on(GetCrawlerCommand).resolves(lastCrawl('2026-11-24T14:20:00Z'));
    const covered = await handler(sqsEvent([followUp]));

    // Assess: the first batch, the running crawl and both starts each sent the follow-up
    for (const response of [stillRunning, restarted, retried, covered])
      expect(response).toEqual({ batchItemFailures: [] });
    expect(
      sqsMock.commandCalls(SendMessageCommand).map((c) => c.args[0].input.MessageBody),
    ).toEqual([followUp, followUp, followUp, followUp]);
    expect(glueMock.commandCalls(StartCrawlerCommand)).toHaveLength(2);
    expect(followUp).toBe(
      `{"type":"streamlake.crawl-follow-up","crawler":"${CRAWLER}","pendingSince":"${BURST_LATEST}"}`,
    );
  });

  it.each([
    [
      new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }),
      `StartCrawler for crawler ${CRAWLER} failed: ThrottlingException: Rate exceeded`,
    ],
    [
      new EntityNotFoundException({ message: `Crawler ${CRAWLER} not found`, $metadata: {} }),
      `StartCrawler for crawler ${CRAWLER} failed: EntityNotFoundException: Crawler ${CRAWLER} not found`,
    ],
  ])(
    'reports every message that needed the crawl when StartCrawler fails (%s)',
    async (error, message) => {
      // Prepare
      stubEnvironment();
      const output = captureOutput();
      glueMock.on(StartCrawlerCommand).rejects(error);
      const handler = await loadHandler();

      // Act
      const response = await handler(loadSqsEvent('s3-burst'));

      // Assess
      expect(failedIds(response)).toEqual(Array.from({ length: 12 }, (_, i) => id(i)));
      const errors = output.lines().filter((l) => l.level === 'ERROR');
      expect(errors).toHaveLength(12);
      expect(errors[0]).toMatchObject({
        message: 'message reported for redelivery',
        messageId: id(0),
        error: { name: 'CrawlRequestError', message },
      });
    },
  );

  it('reports only the messages of a partition that failed to register', async () => {
    // Prepare
    stubEnvironment();
    captureOutput();
    glueMock.on(BatchCreatePartitionCommand, { TableName: 'orders' }).resolves({
      Errors: [
        {
          PartitionValues: ['2026-11-24', '14'],
          ErrorDetail: { ErrorCode: 'InternalServiceException', ErrorMessage: 'try again' },
        },
      ],
    });
    const handler = await loadHandler();

    // Act
    const response = await handler(loadSqsEvent('s3-burst'));

    // Assess
    // Messages 5-7 are the objects of orders dt=2026-11-24/hour=14.
    expect(failedIds(response)).toEqual([id(5), id(6), id(7)]);
    expect(glueMock.commandCalls(StartCrawlerCommand)).toHaveLength(1);
  });

  it('ignores the S3 test event, and counts it', async () => {
    // Prepare
    stubEnvironment();
    const output = captureOutput();
    const handler = await loadHandler();

    // Act
    const response = await handler(loadSqsEvent('s3-test-event'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(glueMock.calls()).toHaveLength(0);
    expect(sqsMock.calls()).toHaveLength(0);
    expect(output.lines().find((l) => '_aws' in l && 'Messages' in l)).toMatchObject({
      Messages: 1,
      S3TestEvents: 1,
      CrawlsStarted: 0,
    });
  });

  it('crawls and registers only for data objects; quarantine and temporary objects are counted', async () => {
    // Prepare
    stubEnvironment();
    const output = captureOutput();
    const handler = await loadHandler();

    // Act
    const response = await handler(loadSqsEvent('s3-prefixes'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(registeredValues()).toEqual([['orders', '2026-11-24/13']]);
    expect(glueMock.commandCalls(StartCrawlerCommand)).toHaveLength(1);
    const summary = output.lines().find((l) => l.message === 'catalog batch processed')?.summary;
    expect(summary).toMatchObject({
      dataObjects: 1,
      ignored: {
        quarantine: 1,
        temporary: 4,
        'outside-raw': 1,
        'unknown-dataset': 1,
        'bad-partition-path': 2,
        'not-parquet': 2,
        'foreign-bucket': 1,
        'not-created': 1,
      },
    });
    const ignored = output
      .lines()
      .filter((l) => '_aws' in l && 'IgnoredObjects' in l)
      .map((l) => [l.reason, l.IgnoredObjects]);
    expect(ignored).toContainEqual(['quarantine', 1]);
    expect(ignored).toContainEqual(['temporary', 4]);
  });

  it('makes no Glue call when nothing in the batch is data', async () => {
    // Prepare
    stubEnvironment();
    captureOutput();
    const handler = await loadHandler();
    const event = sqsEvent([
      objectCreated('quarantine/orders/dt=2026-11-24/x.jsonl'),
      objectCreated('raw/orders/dt=2026-11-24/hour=13/_temporary/0/part-0.parquet'),
    ]);

    // Act
    const response = await handler(event);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(glueMock.calls()).toHaveLength(0);
  });

  it('reports unreadable messages and processes the rest', async () => {
    // Prepare
    stubEnvironment();
    const output = captureOutput();
    const handler = await loadHandler();

    // Act
    const response = await handler(loadSqsEvent('unreadable'));

    // Assess
    expect(failedIds(response)).toEqual([id(0), id(1)]);
    expect(registeredValues()).toEqual([['orders', '2026-11-24/13']]);
    expect(
      output
        .lines()
        .filter((l) => l.level === 'ERROR')
        .map((l) => (l.error as { name: string }).name),
    ).toEqual(['UnreadableMessageError', 'UnreadableMessageError']);
  });

  it('registers partitions read from URL-encoded keys and reports a broken escape', async () => {
    // Prepare
    stubEnvironment();
    captureOutput();
    const handler = await loadHandler();

    // Act
    const response = await handler(loadSqsEvent('s3-encoded-keys'));

    // Assess
    expect(failedIds(response)).toEqual([id(2)]);
    expect(registeredValues()).toEqual([['orders', '2026-11-24/13', '2026-11-24/14']]);
  });

  it('asks Glue for each partition once per warm container', async () => {
    // Prepare
    stubEnvironment();
    captureOutput();
    const handler = await loadHandler();
    const batch = (hour: string) =>
      sqsEvent([
        objectCreated(rawKey('orders', '2026-11-24', hour), {
          eventTime: `2026-11-24T${hour}:10:00Z`,
        }),
      ]);
    await handler(batch('13'));

    // Act
    await handler(batch('13'));
    await handler(batch('14'));

    // Assess
    expect(registeredValues()).toEqual([
      ['orders', '2026-11-24/13'],
      ['orders', '2026-11-24/14'],
    ]);
    expect(glueMock.commandCalls(GetTableCommand)).toHaveLength(1);
  });
});
