import type { S3Client } from '@aws-sdk/client-s3';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { IngestConfig } from '../ingest/config';
import { type IngestResult, ingestBatch } from '../ingest/ingest-batch';
import { type LakeWriter, s3LakeWriter } from '../lake/writer';
import type { DatasetRegistry } from '../records/registry';

/** Runs records through the ingest core, as one batch of one invocation would. */
export type IngestRecords = (records: readonly KinesisStreamRecord[]) => Promise<IngestResult>;

/**
 * The ingest core wired to the lake exactly as the ingest handler wires it (same registry
 * semantics, writer, object names and checkpoint rule), for re-reading records outside Lambda.
 * @example const ingest = lakeIngest(s3, loadIngestConfig(env), compileRegistry(datasets));
 */
export function lakeIngest(
  s3: S3Client,
  config: IngestConfig,
  registry: DatasetRegistry,
  writer: LakeWriter = s3LakeWriter(s3, config.lake),
): IngestRecords {
  return (records) =>
    ingestBatch(records, {
      registry,
      writer,
      maxRecordBytes: config.maxRecordBytes,
      writeConcurrency: config.writeConcurrency,
    });
}
