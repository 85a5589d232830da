/**
 * Getting the raw crawler to cover new objects, with one StartCrawler per batch at most.
 *
 * Objects that existed at time T are covered by any crawl that STARTED after T (the crawler's
 * recrawl policy is CRAWL_EVERYTHING: each crawl lists every object under its tables). So a batch
 * of object events with latest event time T is done when such a crawl has started. If the crawler is
 * busy (running, stopping, or started less than the minimum interval ago), the batch is still
 * done, but it sends a follow-up message `{ pendingSince: T }` to its own queue, delayed. The
 * follow-up comes back later and asks again: covered by now (a crawl started after T has
 * succeeded)? Then it is dropped. Otherwise it starts the crawl or waits once more. A crawl that
 * was already running when the objects arrived may have listed their folders before they existed,
 * which is why CrawlerRunningException is success but not coverage. A batch that starts a crawl
 * sends a follow-up too: a crawl that then fails or is cancelled does not cover T, so the
 * follow-up starts another. Each outcome also says whether the crawler's last finished crawl
 * FAILED, which is what the raw-crawler-failing alarm counts.
 */
import { GetCrawlerCommand, type GlueClient, StartCrawlerCommand } from '@aws-sdk/client-glue';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { awsErrorCode, CrawlRequestError, errorDetail } from './errors';
import { crawlFollowUpBody } from './messages';

/** What GetCrawler says, reduced to what the decision needs. */
export interface CrawlerView {
  /** READY, RUNNING or STOPPING. */
  readonly state: string;
  /** The last finished crawl: status SUCCEEDED, CANCELLED or FAILED. */
  readonly lastCrawl?: { readonly status: string; readonly startedAt: Date };
}

export type CrawlDecision =
  | { readonly action: 'covered' }
  | { readonly action: 'start' }
  | {
      readonly action: 'wait';
      readonly reason: 'crawl-in-progress' | 'min-interval';
      readonly notBefore: Date;
    };

/**
 * Allowance for clock differences between S3 event times and Glue crawl times: a crawl counts as
 * covering T only when it started more than this after T.
 */
export const CLOCK_MARGIN_MS = 1_000;

/** StartCrawler's answers when a crawl is in progress (matched by name, as the SDK reports it). */
const CRAWLER_BUSY: ReadonlySet<string> = new Set([
  'CrawlerRunningException',
  'CrawlerStoppingException',
]);

/** SQS DelaySeconds is at most 15 minutes. */
const MAX_DELAY_SECONDS = 900;

/**
 * Decides what objects pending since `pendingSince` need from the crawler now.
 * @example decideCrawl({ state: 'RUNNING' }, t, now, 0) // { action: 'wait', reason: 'crawl-in-progress', notBefore: now }
 */
export function decideCrawl(
  view: CrawlerView,
  pendingSince: Date,
  now: Date,
  minIntervalSeconds: number,
): CrawlDecision {
  if (view.state !== 'READY')
    return { action: 'wait', reason: 'crawl-in-progress', notBefore: now };
  const last = view.lastCrawl;
  if (
    last?.status === 'SUCCEEDED' &&
    last.startedAt.getTime() > pendingSince.getTime() + CLOCK_MARGIN_MS
  )
    return { action: 'covered' };
  const notBefore = new Date((last?.startedAt.getTime() ?? 0) + minIntervalSeconds * 1000);
  if (notBefore > now) return { action: 'wait', reason: 'min-interval', notBefore };
  return { action: 'start' };
}

export interface CrawlDependencies {
  readonly glue: GlueClient;
  readonly sqs: SQSClient;
  readonly crawlerName: string;
  readonly queueUrl: string;
  readonly followUpDelaySeconds: number;
  readonly minCrawlIntervalSeconds: number;
}

export type CrawlOutcome = (
  | {
      readonly outcome: 'started';
      /** Delay of the follow-up that checks the started crawl succeeded. */
      readonly followUpDelaySeconds: number;
    }
  | { readonly outcome: 'covered' }
  | {
      readonly outcome: 'follow-up';
      readonly reason: 'crawl-in-progress' | 'min-interval';
      readonly delaySeconds: number;
    }
) & {
  /** The crawler's last finished crawl FAILED (as GetCrawler said before any start). */
  readonly lastCrawlFailed: boolean;
};

function requestError(deps: CrawlDependencies, operation: string, error: unknown) {
  return new CrawlRequestError(
    deps.crawlerName,
    operation,
    awsErrorCode(error),
    errorDetail(error),
    { cause: error },
  );
}

async function call<T>(deps: CrawlDependencies, operation: string, send: () => Promise<T>) {
  try {
    return await send();
  } catch (error) {
    throw requestError(deps, operation, error);
  }
}

/** GetCrawler, reduced to a CrawlerView. */
export async function crawlerView(deps: CrawlDependencies): Promise<CrawlerView> {
  const { Crawler } = await call(deps, 'GetCrawler', () =>
    deps.glue.send(new GetCrawlerCommand({ Name: deps.crawlerName })),
  );
  const last = Crawler?.LastCrawl;
  return {
    state: Crawler?.State ?? 'READY',
    ...(last?.Status && last.StartTime
      ? { lastCrawl: { status: last.Status, startedAt: last.StartTime } }
      : {}),
  };
}

/** Sends the follow-up `{ pendingSince }`, delayed until `notBefore` (at least the usual delay). */
async function sendFollowUp(
  deps: CrawlDependencies,
  pendingSince: Date,
  notBefore: Date,
  now: Date,
): Promise<number> {
  const untilAllowed = Math.ceil((notBefore.getTime() - now.getTime()) / 1000);
  const delaySeconds = Math.min(
    MAX_DELAY_SECONDS,
    Math.max(deps.followUpDelaySeconds, untilAllowed),
  );
  await call(deps, 'SendMessage', () =>
    deps.sqs.send(
      new SendMessageCommand({
        QueueUrl: deps.queueUrl,
        MessageBody: crawlFollowUpBody(deps.crawlerName, pendingSince),
        DelaySeconds: delaySeconds,
      }),
    ),
  );
  return delaySeconds;
}

/**
 * Makes sure a crawl that starts after `pendingSince` happens: starts one now, finds one already
 * covered it, or schedules a follow-up.
 * @throws CrawlRequestError naming the failed call (GetCrawler, StartCrawler, SendMessage) and the
 *   AWS error code, e.g. ThrottlingException, EntityNotFoundException, AccessDeniedException
 */
export async function ensureCrawl(
  deps: CrawlDependencies,
  pendingSince: Date,
  now: Date = new Date(),
): Promise<CrawlOutcome> {
  const view = await crawlerView(deps);
  const lastCrawlFailed = view.lastCrawl?.status === 'FAILED';
  const decision = decideCrawl(view, pendingSince, now, deps.minCrawlIntervalSeconds);
  if (decision.action === 'covered') return { outcome: 'covered', lastCrawlFailed };
  if (decision.action === 'wait') {
    const delaySeconds = await sendFollowUp(deps, pendingSince, decision.notBefore, now);
    return { outcome: 'follow-up', reason: decision.reason, delaySeconds, lastCrawlFailed };
  }
  try {
    await deps.glue.send(new StartCrawlerCommand({ Name: deps.crawlerName }));
  } catch (error) {
    if (!CRAWLER_BUSY.has(awsErrorCode(error))) throw requestError(deps, 'StartCrawler', error);
    // Another batch started it since GetCrawler: success, but that crawl may predate our objects.
    const delaySeconds = await sendFollowUp(deps, pendingSince, now, now);
    return { outcome: 'follow-up', reason: 'crawl-in-progress', delaySeconds, lastCrawlFailed };
  }
  // Ours started: the follow-up checks that it succeeded (a failed crawl covers nothing).
  const followUpDelaySeconds = await sendFollowUp(deps, pendingSince, now, now);
  return { outcome: 'started', followUpDelaySeconds, lastCrawlFailed };
}
