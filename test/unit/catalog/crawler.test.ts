import {
  AccessDeniedException,
  CrawlerRunningException,
  EntityNotFoundException,
  GetCrawlerCommand,
  GlueClient,
  StartCrawlerCommand,
  ThrottlingException,
} from '@aws-sdk/client-glue';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type CrawlDependencies,
  type CrawlerView,
  decideCrawl,
  ensureCrawl,
} from '../../../shared/catalog/crawler';
import { CrawlRequestError } from '../../../shared/catalog/errors';

const glueMock = mockClient(GlueClient);
const sqsMock = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/streamlake-dev-crawler-events';

const deps = (overrides: Partial<CrawlDependencies> = {}): CrawlDependencies => ({
  glue: new GlueClient({ region: 'us-east-1', maxAttempts: 1 }),
  sqs: new SQSClient({ region: 'us-east-1', maxAttempts: 1 }),
  crawlerName: 'streamlake-dev-raw',
  queueUrl: QUEUE_URL,
  followUpDelaySeconds: 300,
  minCrawlIntervalSeconds: 0,
  ...overrides,
});

const PENDING = new Date('2026-11-24T14:02:45.903Z');
const NOW = new Date('2026-11-24T14:03:10.000Z');
const at = (iso: string) => new Date(iso);

describe('Function: decideCrawl', () => {
  const cases: [string, CrawlerView, number, ReturnType<typeof decideCrawl>][] = [
    ['never crawled', { state: 'READY' }, 0, { action: 'start' }],
    [
      'last crawl started before the objects',
      { state: 'READY', lastCrawl: { status: 'SUCCEEDED', startedAt: at('2026-11-24T14:00:00Z') } },
      0,
      { action: 'start' },
    ],
    [
      'a crawl that started after the objects succeeded',
      { state: 'READY', lastCrawl: { status: 'SUCCEEDED', startedAt: at('2026-11-24T14:02:50Z') } },
      0,
      { action: 'covered' },
    ],
    [
      'started within the clock margin: not trusted to cover',
      {
        state: 'READY',
        lastCrawl: { status: 'SUCCEEDED', startedAt: at('2026-11-24T14:02:46.500Z') },
      },
      0,
      { action: 'start' },
    ],
    [
      'a crawl that started after the objects failed',
      { state: 'READY', lastCrawl: { status: 'FAILED', startedAt: at('2026-11-24T14:02:50Z') } },
      0,
      { action: 'start' },
    ],
    [
      'running (it may have listed the folders before the objects existed)',
      {
        state: 'RUNNING',
        lastCrawl: { status: 'SUCCEEDED', startedAt: at('2026-11-24T13:00:00Z') },
      },
      0,
      { action: 'wait', reason: 'crawl-in-progress', notBefore: NOW },
    ],
    [
      'stopping',
      { state: 'STOPPING' },
      0,
      { action: 'wait', reason: 'crawl-in-progress', notBefore: NOW },
    ],
    [
      'last crawl started 10 minutes ago, minimum interval 15 minutes',
      { state: 'READY', lastCrawl: { status: 'SUCCEEDED', startedAt: at('2026-11-24T13:53:10Z') } },
      900,
      { action: 'wait', reason: 'min-interval', notBefore: at('2026-11-24T14:08:10Z') },
    ],
    [
      'last crawl started 20 minutes ago, minimum interval 15 minutes',
      { state: 'READY', lastCrawl: { status: 'SUCCEEDED', startedAt: at('2026-11-24T13:43:10Z') } },
      900,
      { action: 'start' },
    ],
  ];

  it.each(cases)('%s', (_name, view, minInterval, expected) => {
    // Act
    const decision = decideCrawl(view, PENDING, NOW, minInterval);

    // Assess
    expect(decision).toEqual(expected);
  });
});

/** GetCrawler's answer for a ready crawler whose last crawl started at `start` and ended `status`. */
const readyAfter = (status: 'SUCCEEDED' | 'FAILED', start: string) => ({
  Crawler: {
    Name: 'streamlake-dev-raw',
    State: 'READY' as const,
    LastCrawl: { Status: status, StartTime: at(start) },
  },
});

describe('Function: ensureCrawl', () => {
  beforeEach(() => {
    glueMock.reset();
    sqsMock.reset();
    glueMock
      .on(GetCrawlerCommand)
      .resolves({ Crawler: { Name: 'streamlake-dev-raw', State: 'READY' } });
    glueMock.on(StartCrawlerCommand).resolves({});
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  });

  it('starts a ready crawler, and sends itself a follow-up that checks the crawl succeeded', async () => {
    // Act
    const outcome = await ensureCrawl(deps(), PENDING, NOW);

    // Assess
    expect(outcome).toEqual({
      outcome: 'started',
      followUpDelaySeconds: 300,
      lastCrawlFailed: false,
    });
    expect(glueMock.commandCalls(GetCrawlerCommand)[0]?.args[0].input).toEqual({
      Name: 'streamlake-dev-raw',
    });
    expect(glueMock.commandCalls(StartCrawlerCommand)[0]?.args[0].input).toEqual({
      Name: 'streamlake-dev-raw',
    });
    expect(sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      MessageBody:
        '{"type":"streamlake.crawl-follow-up","crawler":"streamlake-dev-raw","pendingSince":"2026-11-24T14:02:45.903Z"}',
      DelaySeconds: 300,
    });
  });

  it('starts another crawl when the follow-up finds ours failed, and says the last crawl failed', async () => {
    // Prepare: our crawl started after the objects, then failed
    glueMock.on(GetCrawlerCommand).resolves(readyAfter('FAILED', '2026-11-24T14:05:00Z'));

    // Act
    const outcome = await ensureCrawl(deps(), PENDING, at('2026-11-24T14:12:00Z'));

    // Assess
    expect(outcome).toMatchObject({ outcome: 'started', lastCrawlFailed: true });
    expect(glueMock.commandCalls(StartCrawlerCommand)).toHaveLength(1);
  });

  it('takes CrawlerRunningException as success and sends itself a delayed follow-up', async () => {
    // Prepare
    glueMock
      .on(StartCrawlerCommand)
      .rejects(new CrawlerRunningException({ message: 'Crawler is running', $metadata: {} }));

    // Act
    const outcome = await ensureCrawl(deps(), PENDING, NOW);

    // Assess
    expect(outcome).toEqual({
      outcome: 'follow-up',
      reason: 'crawl-in-progress',
      delaySeconds: 300,
      lastCrawlFailed: false,
    });
    expect(sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      MessageBody:
        '{"type":"streamlake.crawl-follow-up","crawler":"streamlake-dev-raw","pendingSince":"2026-11-24T14:02:45.903Z"}',
      DelaySeconds: 300,
    });
  });

  it('does not start a running crawler: it follows up', async () => {
    // Prepare
    glueMock.on(GetCrawlerCommand).resolves({
      Crawler: { Name: 'streamlake-dev-raw', State: 'RUNNING', CrawlElapsedTime: 42_000 },
    });

    // Act
    const outcome = await ensureCrawl(deps({ followUpDelaySeconds: 120 }), PENDING, NOW);

    // Assess
    expect(outcome).toEqual({
      outcome: 'follow-up',
      reason: 'crawl-in-progress',
      delaySeconds: 120,
      lastCrawlFailed: false,
    });
    expect(glueMock.commandCalls(StartCrawlerCommand)).toHaveLength(0);
  });

  it('drops a follow-up once a crawl that started later has succeeded', async () => {
    // Prepare
    glueMock.on(GetCrawlerCommand).resolves(readyAfter('SUCCEEDED', '2026-11-24T14:05:00Z'));

    // Act
    const outcome = await ensureCrawl(deps(), PENDING, at('2026-11-24T14:12:00Z'));

    // Assess
    expect(outcome).toEqual({ outcome: 'covered', lastCrawlFailed: false });
    expect(glueMock.commandCalls(StartCrawlerCommand)).toHaveLength(0);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('waits out the minimum interval, up to the 15-minute SQS delay limit', async () => {
    // Prepare
    glueMock.on(GetCrawlerCommand).resolves(readyAfter('SUCCEEDED', '2026-11-24T14:00:00Z'));

    // Act
    const soon = await ensureCrawl(deps({ minCrawlIntervalSeconds: 600 }), PENDING, NOW);
    const later = await ensureCrawl(deps({ minCrawlIntervalSeconds: 3600 }), PENDING, NOW);

    // Assess
    expect(soon).toMatchObject({ outcome: 'follow-up', reason: 'min-interval', delaySeconds: 410 });
    expect(later).toMatchObject({
      outcome: 'follow-up',
      reason: 'min-interval',
      delaySeconds: 900,
    });
    expect(glueMock.commandCalls(StartCrawlerCommand)).toHaveLength(0);
  });

  it.each([
    [
      'StartCrawler',
      () =>
        glueMock
          .on(StartCrawlerCommand)
          .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} })),
      'StartCrawler for crawler streamlake-dev-raw failed: ThrottlingException: Rate exceeded',
    ],
    [
      'GetCrawler',
      () =>
        glueMock.on(GetCrawlerCommand).rejects(
          new EntityNotFoundException({
            message: 'Crawler entry with name streamlake-dev-raw does not exist',
            $metadata: {},
          }),
        ),
      'GetCrawler for crawler streamlake-dev-raw failed: EntityNotFoundException: Crawler entry with name streamlake-dev-raw does not exist',
    ],
    [
      'StartCrawler',
      () =>
        glueMock.on(StartCrawlerCommand).rejects(
          new AccessDeniedException({
            message: 'not authorized to perform: glue:StartCrawler',
            $metadata: {},
          }),
        ),
      'StartCrawler for crawler streamlake-dev-raw failed: AccessDeniedException: not authorized to perform: glue:StartCrawler',
    ],
  ])('reports a failed %s call precisely', async (operation, arrange, message) => {
    // Prepare
    arrange();

    // Act
    const crawling = ensureCrawl(deps(), PENDING, NOW);

    // Assess
    await expect(crawling).rejects.toBeInstanceOf(CrawlRequestError);
    await expect(crawling).rejects.toMatchObject({ operation, message });
  });

  it('reports a follow-up that could not be sent', async () => {
    // Prepare
    glueMock
      .on(GetCrawlerCommand)
      .resolves({ Crawler: { Name: 'streamlake-dev-raw', State: 'RUNNING' } });
    const denied = new Error('KMS key is disabled');
    denied.name = 'KmsDisabled';
    sqsMock.on(SendMessageCommand).rejects(denied);

    // Act
    const crawling = ensureCrawl(deps(), PENDING, NOW);

    // Assess
    await expect(crawling).rejects.toMatchObject({
      operation: 'SendMessage',
      code: 'KmsDisabled',
      message:
        'SendMessage for crawler streamlake-dev-raw failed: KmsDisabled: KMS key is disabled',
    });
  });
});
