import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** One object to store in the lake. */
export interface LakeObject {
  readonly key: string;
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Durable storage of lake objects; `put` resolves only once the object is stored. */
export interface LakeWriter {
  put(object: LakeObject): Promise<void>;
}

/** The bucket and the KMS key every object is encrypted with. */
export interface LakeTarget {
  readonly bucket: string;
  readonly kmsKeyArn: string;
}

/** How long a lake write may take: to connect, and for the whole request (milliseconds). */
export interface LakeWriteTimeouts {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
}

/** Ingest's: 3 s to connect and 20 s a request (connecting included), per attempt. */
export const LAKE_WRITE_TIMEOUTS: LakeWriteTimeouts = Object.freeze({
  connectionTimeout: 3_000,
  requestTimeout: 20_000,
});

/** Attempts per lake write: the SDK's standard default, set on ingest's client explicitly. */
export const LAKE_WRITE_ATTEMPTS = 3;

/** The SDK's largest backoff before retry `n` (from 0): a throttling delay of up to 1 s doubling. */
const throttlingBackoffMs = (retry: number) => 1_000 * 2 ** retry;
/** What a Retry-After hint may add to a backoff, at most (the SDK's standard retry strategy). */
const RETRY_AFTER_ALLOWANCE_MS = 5_000;

/**
 * The longest one lake write can take: every attempt runs into its request timeout (the SDK's
 * timer starts with the request, so it covers connecting too), with the SDK's largest backoff
 * between attempts (throttling, such as S3's SlowDown, plus a Retry-After hint).
 * @example longestLakeWriteMs() // 3 x 20 s + (1 s + 5 s) + (2 s + 5 s) = 73000
 */
export function longestLakeWriteMs(
  timeouts: LakeWriteTimeouts = LAKE_WRITE_TIMEOUTS,
  attempts: number = LAKE_WRITE_ATTEMPTS,
): number {
  let backoff = 0;
  for (let retry = 0; retry < attempts - 1; retry += 1)
    backoff += throttlingBackoffMs(retry) + RETRY_AFTER_ALLOWANCE_MS;
  return attempts * timeouts.requestTimeout + backoff;
}

/**
 * The S3 client's `requestHandler` settings that enforce `timeouts`. A request that outlives its
 * timeout fails with a TimeoutError, which the SDK retries. `throwOnRequestTimeout` is what makes
 * it fail: without it the SDK's HTTP handler only logs a warning and waits on (Lambda's own
 * timeout then ends the invocation, and the whole batch is retried, bisected).
 */
export function lakeWriteRequestHandler(
  timeouts: LakeWriteTimeouts = LAKE_WRITE_TIMEOUTS,
): LakeWriteTimeouts & { throwOnRequestTimeout: true } {
  return { ...timeouts, throwOnRequestTimeout: true };
}

/**
 * A LakeWriter over S3: one PutObject per object, SSE-KMS with the lake key (S3 Bucket Key on,
 * so S3 does not call KMS for every object). A put overwrites an object of the same key, which
 * is what makes a retried batch idempotent. Errors (after the SDK's own retries) propagate.
 */
export function s3LakeWriter(client: S3Client, target: LakeTarget): LakeWriter {
  return {
    async put({ key, body, contentType, metadata }) {
      await client.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          Metadata: { ...metadata },
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: target.kmsKeyArn,
          BucketKeyEnabled: true,
        }),
      );
    },
  };
}
