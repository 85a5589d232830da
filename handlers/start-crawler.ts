/**
 * startCrawler: new raw Parquet objects → their partitions registered, and the raw crawler started
 * at most once per batch.
 *
 * Triggered by the event-source mapping on CrawlerEventsQueue (handlers/start-crawler.yml), which
 * receives the lake bucket's `s3:ObjectCreated:*` notifications for `raw/*.parquet` and this
 * function's own crawl follow-ups; the batching window turns a burst of objects into one batch.
 * - Partitions of every dataset are registered with BatchCreatePartition (AlreadyExists is
 *   success); for `projection` datasets Athena computes them anyway, but Glue jobs read the
 *   catalog's (shared/catalog/catalog-batch.ts says why waiting for a crawl is not enough).
 * - One GetCrawler + StartCrawler per batch. CrawlerRunningException is success, not coverage: a
 *   crawl already running may have listed the folders before the objects existed, so the batch
 *   sends itself a delayed follow-up `{ pendingSince }` that comes back until a crawl that started
 *   later has succeeded (see shared/catalog/crawler.ts). Nothing is missed, and a crawler that is
 *   busy or crawled less than CRAWLER_MIN_INTERVAL_SECONDS ago is not started again.
 * Retry semantics (`ReportBatchItemFailures`): a message is reported, and redelivered after the
 * visibility timeout, when it is unreadable, when one of its partitions failed to register, or
 * when the crawl request failed (throttling, crawler not found, access denied…); everything it
 * asks for is idempotent. After maxReceiveCount it moves to CrawlerEventsDlq. Ignored objects
 * (quarantine, temporary files, other prefixes) and the S3 test event succeed and are counted.
 * Configuration and the dataset declarations are validated at cold start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { GlueClient } from '@aws-sdk/client-glue';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sqsClientConfig } from '../shared/aws/clients';
import { addCatalogMetrics } from '../shared/catalog/batch-metrics';
import { processCatalogBatch } from '../shared/catalog/catalog-batch';
import { loadCatalogConfig } from '../shared/catalog/config';
import { ensureCrawl } from '../shared/catalog/crawler';
import { lakeObjectClassifier } from '../shared/catalog/lake-objects';
import { partitionRegistrar } from '../shared/catalog/partitions';
import { datasets } from '../shared/datasets';
import { validateRegistry } from '../shared/datasets/validate';

const config = loadCatalogConfig();
validateRegistry(datasets);
const logger = new Logger();
const metrics = new Metrics();
const glue = new GlueClient();
// Under an endpoint override the SDK must not send calls to the host in the queue URL
// (shared/aws/clients.ts).
const sqs = new SQSClient(sqsClientConfig());
const dependencies = {
  classify: lakeObjectClassifier(datasets, config.lakeBucket),
  registrar: partitionRegistrar(glue, { database: config.database }),
  crawl: (pendingSince: Date) => ensureCrawl({ glue, sqs, ...config }, pendingSince),
};

const startCrawler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const result = await processCatalogBatch(event.Records, dependencies);
  for (const { messageId, error } of result.failures)
    logger.error('message reported for redelivery', { messageId, error });
  logger.info('catalog batch processed', { summary: result.summary });
  addCatalogMetrics(metrics, result.summary, config.crawlerName);
  return { batchItemFailures: result.batchItemFailures };
};

export const handler = middy(startCrawler)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
