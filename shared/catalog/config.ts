import { type Env, intEnv, requireEnv } from '../config';
import { ConfigError } from '../errors';

/** What the catalog function needs from its environment, validated once at cold start. */
export interface CatalogConfig {
  /** The stage's Glue database (raw and curated tables). */
  readonly database: string;
  /** The crawler over the raw tables. */
  readonly crawlerName: string;
  /** Objects of any other bucket are ignored. */
  readonly lakeBucket: string;
  /** The queue this function reads; crawl follow-ups are sent back to it. */
  readonly queueUrl: string;
  /** How long a follow-up waits before it looks at the crawler again (SQS DelaySeconds). */
  readonly followUpDelaySeconds: number;
  /** No crawl starts sooner than this after the previous one started (0: no limit). */
  readonly minCrawlIntervalSeconds: number;
}

const GLUE_NAME = /^[a-z0-9_-]{1,255}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Reads `GLUE_DATABASE`, `RAW_CRAWLER_NAME`, `LAKE_BUCKET`, `CRAWLER_EVENTS_QUEUE_URL`,
 * `CRAWL_FOLLOW_UP_DELAY_SECONDS` (default 300; 0-900, the SQS DelaySeconds range) and
 * `CRAWLER_MIN_INTERVAL_SECONDS` (default 0; at most a day).
 * @throws ConfigError naming the variable
 */
export function loadCatalogConfig(env: Env = process.env): CatalogConfig {
  const database = requireEnv(env, 'GLUE_DATABASE');
  if (!GLUE_NAME.test(database))
    throw new ConfigError('GLUE_DATABASE', `must be a Glue database name, got "${database}"`);
  const lakeBucket = requireEnv(env, 'LAKE_BUCKET');
  if (!BUCKET_NAME.test(lakeBucket))
    throw new ConfigError('LAKE_BUCKET', `must be an S3 bucket name, got "${lakeBucket}"`);
  const queueUrl = requireEnv(env, 'CRAWLER_EVENTS_QUEUE_URL');
  if (!/^https?:\/\/\S+\/\d{12}\/[\w-]+$/.test(queueUrl))
    throw new ConfigError(
      'CRAWLER_EVENTS_QUEUE_URL',
      `must be an SQS queue URL, got "${queueUrl}"`,
    );
  return Object.freeze({
    database,
    crawlerName: requireEnv(env, 'RAW_CRAWLER_NAME'),
    lakeBucket,
    queueUrl,
    followUpDelaySeconds: intEnv(env, 'CRAWL_FOLLOW_UP_DELAY_SECONDS', 300, { min: 0, max: 900 }),
    minCrawlIntervalSeconds: intEnv(env, 'CRAWLER_MIN_INTERVAL_SECONDS', 0, {
      min: 0,
      max: 86_400,
    }),
  });
}
