import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CatalogBatchSummary } from './catalog-batch';

/**
 * Adds a batch summary to `metrics` (EMF, flushed by the caller): the counts as they are, one
 * `IgnoredObjects` metric per reason under a `reason` dimension, and `CrawlsStarted` /
 * `CrawlFollowUpsSent` from the crawl outcome, and, whenever the crawler was asked,
 * `RawCrawlerLastCrawlFailed` under a `crawler` dimension: 1 when its last finished crawl FAILED,
 * else 0 (alarm RawCrawlerFailingAlarm).
 */
export function addCatalogMetrics(
  metrics: Metrics,
  summary: CatalogBatchSummary,
  crawlerName: string,
): void {
  const counts: [string, number][] = [
    ['Messages', summary.messages],
    ['S3TestEvents', summary.testEvents],
    ['CrawlFollowUpsReceived', summary.followUpsReceived],
    ['DataObjects', summary.dataObjects],
    ['PartitionsCreated', summary.partitionsCreated],
    ['PartitionsExisting', summary.partitionsExisting],
    ['PartitionsFailed', summary.partitionsFailed],
    ['CrawlsStarted', summary.crawl === 'started' ? 1 : 0],
    ['CrawlFollowUpsSent', summary.crawl === 'follow-up' || summary.crawl === 'started' ? 1 : 0],
    ['CrawlRequestFailures', summary.crawl === 'failed' ? 1 : 0],
    ['FailedMessages', summary.failedMessages],
  ];
  for (const [name, value] of counts) metrics.addMetric(name, MetricUnit.Count, value);
  if (summary.crawl !== 'none' && summary.crawl !== 'failed') {
    const crawler = metrics.singleMetric();
    crawler.addDimension('crawler', crawlerName);
    crawler.addMetric(
      'RawCrawlerLastCrawlFailed',
      MetricUnit.Count,
      summary.lastCrawlFailed ? 1 : 0,
    );
  }
  for (const [reason, count] of Object.entries(summary.ignored)) {
    const single = metrics.singleMetric();
    single.addDimension('reason', reason);
    single.addMetric('IgnoredObjects', MetricUnit.Count, count);
  }
}
