import { type Env, intEnv, requireEnv } from '../config';
import { ConfigError } from '../errors';

/** What the ingest function needs from its environment, validated once at cold start. */
export interface IngestConfig {
  readonly lake: { readonly bucket: string; readonly kmsKeyArn: string };
  /** Largest record, decoded or inflated, that is ingested; larger ones are quarantined. */
  readonly maxRecordBytes: number;
  /** Lake objects written at the same time. */
  readonly writeConcurrency: number;
}

/**
 * Reads `LAKE_BUCKET`, `LAKE_KMS_KEY_ARN`, `INGEST_MAX_RECORD_BYTES` (default 1 MiB, the classic
 * Kinesis record limit; at most 10 MiB) and `INGEST_WRITE_CONCURRENCY` (default 8).
 * @throws ConfigError naming the variable
 */
export function loadIngestConfig(env: Env = process.env): IngestConfig {
  const bucket = requireEnv(env, 'LAKE_BUCKET');
  const kmsKeyArn = requireEnv(env, 'LAKE_KMS_KEY_ARN');
  if (!/^arn:[\w-]+:kms:[\w-]+:\d{12}:key\/[\w-]+$/.test(kmsKeyArn))
    throw new ConfigError('LAKE_KMS_KEY_ARN', `must be a KMS key ARN, got "${kmsKeyArn}"`);
  return Object.freeze({
    lake: Object.freeze({ bucket, kmsKeyArn }),
    maxRecordBytes: intEnv(env, 'INGEST_MAX_RECORD_BYTES', 1_048_576, {
      min: 1024,
      max: 10_485_760,
    }),
    writeConcurrency: intEnv(env, 'INGEST_WRITE_CONCURRENCY', 8, { min: 1, max: 64 }),
  });
}
