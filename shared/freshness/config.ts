import { type Env, intEnv, requireEnv } from '../config';
import { ConfigError } from '../errors';

/** What the freshness watchdog needs, validated once at cold start. */
export interface FreshnessConfig {
  readonly stage: string;
  readonly bucket: string;
  readonly alertsTopicArn: string;
  /** A dataset whose newest partition ended longer ago than this is stale. */
  readonly maxAgeHours: number;
}

/**
 * Reads `STAGE`, `LAKE_BUCKET`, `ALERTS_TOPIC_ARN` and `FRESHNESS_MAX_AGE_HOURS` (default 6,
 * 1-720).
 * @throws ConfigError naming the variable
 */
export function loadFreshnessConfig(env: Env = process.env): FreshnessConfig {
  const alertsTopicArn = requireEnv(env, 'ALERTS_TOPIC_ARN');
  if (!/^arn:[\w-]+:sns:[\w-]+:\d{12}:[\w-]{1,256}$/.test(alertsTopicArn))
    throw new ConfigError('ALERTS_TOPIC_ARN', `must be an SNS topic ARN, got "${alertsTopicArn}"`);
  return Object.freeze({
    stage: requireEnv(env, 'STAGE'),
    bucket: requireEnv(env, 'LAKE_BUCKET'),
    alertsTopicArn,
    maxAgeHours: intEnv(env, 'FRESHNESS_MAX_AGE_HOURS', 6, { min: 1, max: 720 }),
  });
}
