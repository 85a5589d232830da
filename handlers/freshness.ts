/**
 * freshness: the lake's watchdog. Alerts when a dataset has had no new partition for N hours.
 *
 * Triggered by the schedule in handlers/freshness.yml (`${param:freshnessSchedule}`), an
 * asynchronous invocation: on an error (S3 or SNS) Lambda retries it (MaximumRetryAttempts), and
 * a round that never completes emits no StaleDatasets datapoint, which the DatasetsStaleAlarm
 * treats as breaching. Each round reads every declared dataset's newest `raw/<dataset>/` partition
 * from the lake, publishes one message to the alerts topic naming the stale ones, and emits
 * `StaleDatasets` and `HoursSinceLastPartition` (EMF). Configuration is validated at cold start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { s3ClientConfig } from '../shared/aws/clients';
import { datasets } from '../shared/datasets';
import { loadFreshnessConfig } from '../shared/freshness/config';
import { addFreshnessMetrics, runFreshnessCheck } from '../shared/freshness/watchdog';

const config = loadFreshnessConfig();
const logger = new Logger();
const metrics = new Metrics({ defaultDimensions: { stage: config.stage } });
const s3 = new S3Client(s3ClientConfig());
const sns = new SNSClient();

const checkLakeFreshness = async (): Promise<void> => {
  const { report, alertMessageId } = await runFreshnessCheck({
    s3,
    sns,
    datasets,
    config,
    now: new Date(),
  });
  addFreshnessMetrics(metrics, report);
  const log = report.stale.length > 0 ? logger.warn.bind(logger) : logger.info.bind(logger);
  log('lake freshness checked', { datasets: report.datasets, alertMessageId });
};

export const handler = middy(checkLakeFreshness)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
