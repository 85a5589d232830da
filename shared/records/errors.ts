import { StreamlakeError } from '../errors';

/** Why a record was quarantined. Stable: these codes are metric names and quarantine fields. */
export const POISON_REASONS = [
  'bad-base64',
  'bad-gzip',
  'bad-kpl',
  'bad-json',
  'bad-csv',
  'bad-avro',
  'schema-violation',
  'too-large',
  'unknown-dataset',
] as const;

export type PoisonReason = (typeof POISON_REASONS)[number];

/**
 * A record that can never be ingested as it is: retrying cannot help, so it is quarantined with
 * its bytes and this error's reason and message, and the shard moves on.
 */
export abstract class PoisonRecordError extends StreamlakeError {
  abstract readonly reason: PoisonReason;
}

/** The Kinesis `data` field is not canonical base64. */
export class BadBase64Error extends PoisonRecordError {
  readonly reason = 'bad-base64';
}

/** The payload starts like gzip but does not inflate. */
export class BadGzipError extends PoisonRecordError {
  readonly reason = 'bad-gzip';
}

/** The payload starts with the KPL magic bytes but its protobuf or MD5 checksum is wrong. */
export class BadKplError extends PoisonRecordError {
  readonly reason = 'bad-kpl';
}

/** Not UTF-8 JSON text holding one object. */
export class BadJsonError extends PoisonRecordError {
  readonly reason = 'bad-json';
}

/** Not one CSV row matching the dataset's CSV settings. */
export class BadCsvError extends PoisonRecordError {
  readonly reason = 'bad-csv';
}

/** Not one binary Avro datum of the dataset's schema. */
export class BadAvroError extends PoisonRecordError {
  readonly reason = 'bad-avro';
}

/** Parsed, but a value does not fit the declared column; `field` is its path (`page.url`). */
export class SchemaViolationError extends PoisonRecordError {
  readonly reason = 'schema-violation';
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

/** Larger than the configured bound, before or after inflating. */
export class RecordTooLargeError extends PoisonRecordError {
  readonly reason = 'too-large';
  constructor(
    readonly limit: number,
    detail: string,
  ) {
    super(`${detail} exceeds the ${limit}-byte record limit`);
  }
}

/** No dataset's route rule matches the record. */
export class UnknownDatasetError extends PoisonRecordError {
  readonly reason = 'unknown-dataset';
}
