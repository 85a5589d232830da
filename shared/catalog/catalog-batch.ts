/**
 * One batch of the crawler events queue: read every message, register the new partitions of every
 * dataset (one BatchCreatePartition per table and 100 partitions), then one crawl request for the
 * whole batch. Projected datasets are registered too: Athena computes their partitions, but Glue
 * jobs read the catalog's, and curate's job bookmark only looks back 15 minutes before its last
 * run, so a partition that waited for the next crawl could hide its first files from curate
 * for good. A message fails (and is redelivered by SQS) when it is unreadable, when a
 * partition it needs could not be registered, or when the crawl request failed; every other
 * message succeeds, including ignored objects and the S3 test event.
 */
import type { SQSRecord } from 'aws-lambda';
import type { CrawlOutcome } from './crawler';
import type { IgnoreReason, ObjectClass } from './lake-objects';
import { type CatalogMessage, parseCatalogMessage, type S3ObjectEvent } from './messages';
import { type PartitionRegistrar, type PartitionRequest, partitionId } from './partitions';
import { tableNameOf } from './tables';

export interface CatalogBatchDependencies {
  readonly classify: (event: S3ObjectEvent) => ObjectClass;
  readonly registrar: PartitionRegistrar;
  /** Gets a crawl started after `pendingSince` (see `ensureCrawl`). */
  readonly crawl: (pendingSince: Date) => Promise<CrawlOutcome>;
}

export interface CatalogBatchSummary {
  messages: number;
  testEvents: number;
  followUpsReceived: number;
  dataObjects: number;
  ignored: Partial<Record<IgnoreReason, number>>;
  partitionsCreated: number;
  partitionsExisting: number;
  partitionsCached: number;
  partitionsFailed: number;
  /** What the crawl request did, `none` when no message needed a crawl. */
  crawl: CrawlOutcome['outcome'] | 'none' | 'failed';
  /** The raw crawler's last finished crawl FAILED, as the crawl request found it. */
  lastCrawlFailed: boolean;
  failedMessages: number;
}

/** A message reported for redelivery, and why. */
export interface MessageFailure {
  readonly messageId: string;
  readonly error: Error;
}

export interface CatalogBatchResult {
  readonly batchItemFailures: { itemIdentifier: string }[];
  readonly failures: readonly MessageFailure[];
  readonly summary: CatalogBatchSummary;
}

/**
 * Processes one SQS batch of the crawler events queue.
 * @example const { batchItemFailures } = await processCatalogBatch(event.Records, dependencies);
 */
export async function processCatalogBatch(
  records: readonly SQSRecord[],
  deps: CatalogBatchDependencies,
): Promise<CatalogBatchResult> {
  const summary: CatalogBatchSummary = {
    messages: records.length,
    testEvents: 0,
    followUpsReceived: 0,
    dataObjects: 0,
    ignored: {},
    partitionsCreated: 0,
    partitionsExisting: 0,
    partitionsCached: 0,
    partitionsFailed: 0,
    crawl: 'none',
    lastCrawlFailed: false,
    failedMessages: 0,
  };
  const failures = new Map<string, Error>();
  const fail = (messageId: string, error: Error) => {
    if (!failures.has(messageId)) failures.set(messageId, error);
  };
  /** Per message needing a crawl: the time its objects existed by. */
  const pending = new Map<string, Date>();
  const partitions: PartitionRequest[] = [];
  const messagesOfPartition = new Map<string, string[]>();

  for (const { messageId, body } of records) {
    let message: CatalogMessage;
    try {
      message = parseCatalogMessage(messageId, body);
    } catch (error) {
      fail(messageId, error as Error);
      continue;
    }
    if (message.kind === 's3-test-event') summary.testEvents += 1;
    if (message.kind === 'crawl-follow-up') {
      summary.followUpsReceived += 1;
      pending.set(messageId, message.pendingSince);
    }
    if (message.kind !== 's3-objects') continue;
    for (const event of message.objects) {
      const found = deps.classify(event);
      if (found.kind === 'ignored') {
        summary.ignored[found.reason] = (summary.ignored[found.reason] ?? 0) + 1;
        continue;
      }
      summary.dataObjects += 1;
      const latest = pending.get(messageId);
      if (!latest || event.eventTime > latest) pending.set(messageId, event.eventTime);
      const { dataset, values, path } = found.partition;
      const table = tableNameOf(dataset, 'raw');
      const id = partitionId(table, values);
      if (!messagesOfPartition.has(id)) partitions.push({ table, values, path });
      messagesOfPartition.set(id, [...(messagesOfPartition.get(id) ?? []), messageId]);
    }
  }

  if (partitions.length > 0) {
    const outcome = await deps.registrar.register(partitions);
    summary.partitionsCreated = outcome.created;
    summary.partitionsExisting = outcome.existed;
    summary.partitionsCached = outcome.cached;
    summary.partitionsFailed = outcome.failures.size;
    for (const [id, error] of outcome.failures)
      for (const messageId of messagesOfPartition.get(id) ?? []) fail(messageId, error);
  }

  if (pending.size > 0) {
    const latest = new Date([...pending.values()].reduce((t, d) => Math.max(t, d.getTime()), 0));
    try {
      const requested = await deps.crawl(latest);
      summary.crawl = requested.outcome;
      summary.lastCrawlFailed = requested.lastCrawlFailed;
    } catch (error) {
      summary.crawl = 'failed';
      for (const messageId of pending.keys()) fail(messageId, error as Error);
    }
  }

  const failed = records.filter((r) => failures.has(r.messageId));
  summary.failedMessages = failed.length;
  return {
    batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })),
    failures: failed.map((r) => ({
      messageId: r.messageId,
      error: failures.get(r.messageId) as Error,
    })),
    summary,
  };
}
