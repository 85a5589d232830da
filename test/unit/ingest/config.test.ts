import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors';
import { loadIngestConfig } from '../../../shared/ingest/config';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const valid = { LAKE_BUCKET: 'lake', LAKE_KMS_KEY_ARN: KEY_ARN };

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadIngestConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Function: loadIngestConfig', () => {
  it('reads the lake and applies defaults', () => {
    expect(loadIngestConfig(valid)).toEqual({
      lake: { bucket: 'lake', kmsKeyArn: KEY_ARN },
      maxRecordBytes: 1_048_576,
      writeConcurrency: 8,
    });
  });

  it('reads the limits', () => {
    const config = loadIngestConfig({
      ...valid,
      INGEST_MAX_RECORD_BYTES: '4096',
      INGEST_WRITE_CONCURRENCY: '2',
    });
    expect([config.maxRecordBytes, config.writeConcurrency]).toEqual([4096, 2]);
  });

  it.each([
    [{ LAKE_KMS_KEY_ARN: KEY_ARN }, 'LAKE_BUCKET', 'LAKE_BUCKET: is required but not set'],
    [{ LAKE_BUCKET: 'lake' }, 'LAKE_KMS_KEY_ARN', 'LAKE_KMS_KEY_ARN: is required but not set'],
    [
      { ...valid, LAKE_KMS_KEY_ARN: 'alias/lake' },
      'LAKE_KMS_KEY_ARN',
      'LAKE_KMS_KEY_ARN: must be a KMS key ARN, got "alias/lake"',
    ],
    [
      { ...valid, INGEST_MAX_RECORD_BYTES: '1MB' },
      'INGEST_MAX_RECORD_BYTES',
      'INGEST_MAX_RECORD_BYTES: must be a whole number, got "1MB"',
    ],
    [
      { ...valid, INGEST_WRITE_CONCURRENCY: '0' },
      'INGEST_WRITE_CONCURRENCY',
      'INGEST_WRITE_CONCURRENCY: must be at least 1, got 0',
    ],
  ])('names the variable that is wrong (%#)', (env, variable, message) => {
    const error = configErrorOf(env);
    expect([error.variable, error.message]).toEqual([variable, message]);
  });
});
