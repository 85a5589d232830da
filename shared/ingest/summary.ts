import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { PoisonReason } from '../records/errors';

/**
 * What one batch did. Rows, files, bytes out and quarantined count COMMITTED objects only (those
 * before the checkpoint), so a retried batch is never counted twice.
 */
export interface BatchSummary {
  records: number;
  bytesIn: number;
  rows: number;
  partitions: number;
  files: number;
  quarantineFiles: number;
  bytesOut: number;
  quarantined: Partial<Record<PoisonReason, number>>;
  controlMessages: number;
  /** Records reported in batchItemFailures (to be redelivered). */
  failed: number;
  writeErrors: number;
  /** Objects not written for want of time (WriteDeferredError), their records reported. */
  writesDeferred: number;
  decodeErrors: number;
  durationMs: number;
}

/** The summary of a batch of `records` records before anything is counted. */
export function emptySummary(records: number): BatchSummary {
  return {
    records,
    bytesIn: 0,
    rows: 0,
    partitions: 0,
    files: 0,
    quarantineFiles: 0,
    bytesOut: 0,
    quarantined: {},
    controlMessages: 0,
    failed: 0,
    writeErrors: 0,
    writesDeferred: 0,
    decodeErrors: 0,
    durationMs: 0,
  };
}

/**
 * Adds the summary to `metrics` (EMF, flushed by the caller): the counts as-is, `Quarantined` as
 * a total (and again under a `function` dimension, which tells stages apart for
 * IngestQuarantineAlarm), and one `QuarantinedRecords` metric per reason under a `reason` dimension.
 */
export function addSummaryMetrics(
  metrics: Metrics,
  summary: BatchSummary,
  functionName: string,
): void {
  const quarantined = Object.values(summary.quarantined).reduce((a, b) => a + b, 0);
  const counts: [string, number, (typeof MetricUnit)[keyof typeof MetricUnit]][] = [
    ['Records', summary.records, MetricUnit.Count],
    ['BytesIn', summary.bytesIn, MetricUnit.Bytes],
    ['Rows', summary.rows, MetricUnit.Count],
    ['Partitions', summary.partitions, MetricUnit.Count],
    ['Files', summary.files, MetricUnit.Count],
    ['QuarantineFiles', summary.quarantineFiles, MetricUnit.Count],
    ['BytesOut', summary.bytesOut, MetricUnit.Bytes],
    ['Quarantined', quarantined, MetricUnit.Count],
    ['Failed', summary.failed, MetricUnit.Count],
    ['WriteErrors', summary.writeErrors, MetricUnit.Count],
    ['WritesDeferred', summary.writesDeferred, MetricUnit.Count],
    ['DecodeErrors', summary.decodeErrors, MetricUnit.Count],
    ['BatchDuration', summary.durationMs, MetricUnit.Milliseconds],
  ];
  for (const [name, value, unit] of counts) metrics.addMetric(name, unit, value);
  const ofFunction = metrics.singleMetric();
  ofFunction.addDimension('function', functionName);
  ofFunction.addMetric('Quarantined', MetricUnit.Count, quarantined);
  for (const [reason, count] of Object.entries(summary.quarantined)) {
    const single = metrics.singleMetric();
    single.addDimension('reason', reason);
    single.addMetric('QuarantinedRecords', MetricUnit.Count, count);
  }
}
