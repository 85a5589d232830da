import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DatasetDeclaration } from '../datasets';
import { alertFor } from './alert';
import { checkFreshness, type FreshnessReport } from './check';
import type { FreshnessConfig } from './config';

export interface WatchdogResult {
  readonly report: FreshnessReport;
  /** The SNS message id of the alert, when one was published. */
  readonly alertMessageId: string | null;
}

/**
 * One watchdog round: checks every dataset, and when any is stale publishes one alert naming them
 * all with their last partition. Runs on every schedule tick, so a stale dataset is announced again
 * at each tick until data arrives; the StaleDatasets alarm gives the state change.
 */
export async function runFreshnessCheck(options: {
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly datasets: readonly DatasetDeclaration[];
  readonly config: FreshnessConfig;
  readonly now: Date;
}): Promise<WatchdogResult> {
  const { s3, sns, datasets, config, now } = options;
  const report = await checkFreshness({
    s3,
    bucket: config.bucket,
    datasets,
    maxAgeHours: config.maxAgeHours,
    now,
  });
  const alert = alertFor(config.alertsTopicArn, report, config.stage);
  if (!alert) return { report, alertMessageId: null };
  const { MessageId } = await sns.send(new PublishCommand(alert));
  return { report, alertMessageId: MessageId ?? null };
}

/**
 * EMF metrics of a round: `StaleDatasets` (count, every round, 0 included, so that a missing
 * datapoint means the watchdog did not run) and `HoursSinceLastPartition` per dataset that has one
 * (dimension `dataset`).
 */
export function addFreshnessMetrics(metrics: Metrics, report: FreshnessReport): void {
  metrics.addMetric('StaleDatasets', MetricUnit.Count, report.stale.length);
  for (const dataset of report.datasets) {
    if (dataset.hoursSinceLastPartition === null) continue;
    const single = metrics.singleMetric();
    single.addDimension('dataset', dataset.dataset);
    single.addMetric('HoursSinceLastPartition', MetricUnit.NoUnit, dataset.hoursSinceLastPartition);
  }
}
