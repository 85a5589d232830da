/**
 * ingest: Kinesis → Hive-partitioned Parquet on S3 (`raw/<dataset>/dt=…/hour=…/`).
 *
 * Triggered by the event-source mapping on IngestStream (handlers/ingest.yml): one batch per shard
 * at a time, records in sequence order, `ReportBatchItemFailures` on. Retry semantics:
 * - a record that can never be ingested (bad encoding, bad KPL/gzip, unparseable, schema
 *   violation, too large, no dataset) is quarantined under `quarantine/` and NOT reported, so
 *   the shard never stalls on it;
 * - a write that fails (S3 throttling, 5xx, timeouts after the SDK's retries; also a refusal such
 *   as AccessDenied, which no retry fixes but which must not drop the records), including a
 *   quarantine write, is reported: the response lists every record from the first one not durably
 *   committed, Lambda checkpoints there and redelivers from it; object names make the retry
 *   overwrite, never duplicate (proof in shared/ingest/checkpoint.ts);
 * - the handler only throws for a fault outside the records (then Lambda retries the batch).
 * After MaximumRetryAttempts / MaximumRecordAgeInSeconds, Lambda sends the batch's metadata to
 * IngestFailureQueue. Configuration is validated at cold start; a ConfigError names the variable.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { s3ClientConfig } from '../shared/aws/clients';
import { datasets } from '../shared/datasets';
import { loadIngestConfig } from '../shared/ingest/config';
import { type IngestProblem, ingestBatch } from '../shared/ingest/ingest-batch';
import { addSummaryMetrics } from '../shared/ingest/summary';
import {
  LAKE_WRITE_ATTEMPTS,
  LAKE_WRITE_TIMEOUTS,
  lakeWriteRequestHandler,
  longestLakeWriteMs,
  s3LakeWriter,
} from '../shared/lake/writer';
import { compileRegistry } from '../shared/records/registry';

const config = loadIngestConfig();
const registry = compileRegistry(datasets);
const logger = new Logger();
const metrics = new Metrics();
const s3 = new S3Client({
  ...s3ClientConfig(),
  maxAttempts: LAKE_WRITE_ATTEMPTS,
  requestHandler: lakeWriteRequestHandler(LAKE_WRITE_TIMEOUTS),
});
const writer = s3LakeWriter(s3, config.lake);
/** No write starts with less of the invocation left than the longest one can take. */
const WRITE_RESERVE_MS = longestLakeWriteMs(LAKE_WRITE_TIMEOUTS, LAKE_WRITE_ATTEMPTS);

const logProblem = (problem: IngestProblem): void => {
  if (problem.kind === 'write')
    logger.error('lake write failed', { key: problem.key, error: problem.error });
  else if (problem.kind === 'deferred')
    logger.warn('lake write deferred', { key: problem.key, error: problem.error });
  else
    logger.error('record failed to decode', {
      sequenceNumber: problem.sequenceNumber,
      error: problem.error,
    });
};

export const handler = async (
  event: KinesisStreamEvent,
  context: Context,
): Promise<KinesisStreamBatchResponse> => {
  logger.addContext(context);
  metrics.captureColdStartMetric(context.functionName);
  const { batchItemFailures, summary } = await ingestBatch(event.Records, {
    registry,
    writer,
    maxRecordBytes: config.maxRecordBytes,
    writeConcurrency: config.writeConcurrency,
    onProblem: logProblem,
    writeDeadline: {
      remainingMs: () => context.getRemainingTimeInMillis(),
      reserveMs: WRITE_RESERVE_MS,
    },
  });
  logger.info('batch ingested', { summary });
  addSummaryMetrics(metrics, summary, context.functionName);
  metrics.publishStoredMetrics();
  return { batchItemFailures };
};
