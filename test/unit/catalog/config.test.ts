import { describe, expect, it } from 'vitest';
import { loadCatalogConfig } from '../../../shared/catalog/config';
import { ConfigError } from '../../../shared/errors';

const ENV = {
  GLUE_DATABASE: 'streamlake_dev',
  RAW_CRAWLER_NAME: 'streamlake-dev-raw',
  LAKE_BUCKET: 'streamlake-dev-lake-123456789012-us-east-1',
  CRAWLER_EVENTS_QUEUE_URL:
    'https://sqs.us-east-1.amazonaws.com/123456789012/streamlake-dev-crawler-events',
};

describe('Function: loadCatalogConfig', () => {
  it('reads the variables, with defaults for the tunables', () => {
    // Act
    const config = loadCatalogConfig(ENV);

    // Assess
    expect(config).toEqual({
      database: 'streamlake_dev',
      crawlerName: 'streamlake-dev-raw',
      lakeBucket: 'streamlake-dev-lake-123456789012-us-east-1',
      queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/streamlake-dev-crawler-events',
      followUpDelaySeconds: 300,
      minCrawlIntervalSeconds: 0,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [{ GLUE_DATABASE: undefined }, 'GLUE_DATABASE', 'GLUE_DATABASE: is required but not set'],
    [
      { GLUE_DATABASE: 'Streamlake Dev' },
      'GLUE_DATABASE',
      'GLUE_DATABASE: must be a Glue database name, got "Streamlake Dev"',
    ],
    [{ RAW_CRAWLER_NAME: ' ' }, 'RAW_CRAWLER_NAME', 'RAW_CRAWLER_NAME: is required but not set'],
    [
      { LAKE_BUCKET: 's3://lake' },
      'LAKE_BUCKET',
      'LAKE_BUCKET: must be an S3 bucket name, got "s3://lake"',
    ],
    [
      { CRAWLER_EVENTS_QUEUE_URL: 'arn:aws:sqs:us-east-1:123456789012:q' },
      'CRAWLER_EVENTS_QUEUE_URL',
      'CRAWLER_EVENTS_QUEUE_URL: must be an SQS queue URL, got "arn:aws:sqs:us-east-1:123456789012:q"',
    ],
    [
      { CRAWL_FOLLOW_UP_DELAY_SECONDS: '901' },
      'CRAWL_FOLLOW_UP_DELAY_SECONDS',
      'CRAWL_FOLLOW_UP_DELAY_SECONDS: must be at most 900, got 901',
    ],
    [
      { CRAWLER_MIN_INTERVAL_SECONDS: '15m' },
      'CRAWLER_MIN_INTERVAL_SECONDS',
      'CRAWLER_MIN_INTERVAL_SECONDS: must be a whole number, got "15m"',
    ],
  ])('names the variable that is wrong: %j', (overrides, variable, message) => {
    // Act
    const load = () => loadCatalogConfig({ ...ENV, ...overrides });

    // Assess
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
    try {
      load();
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
    }
  });
});
