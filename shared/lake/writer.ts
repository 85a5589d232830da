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

/** Ingest's: 3 s to connect and 20 s a request, times the SDK's attempts (handlers/ingest.yml). */
export const LAKE_WRITE_TIMEOUTS: LakeWriteTimeouts = Object.freeze({
  connectionTimeout: 3_000,
  requestTimeout: 20_000,
});

/** The SDK's attempts per request: its standard retry mode's default, which the clients keep. */
const SDK_ATTEMPTS = 3;
/** Backoff allowed between two attempts: the standard mode waits well under a second here. */
const BACKOFF_ALLOWANCE_MS = 1_000;

/**
 * The longest one lake write can take under `timeouts`: every attempt takes its whole connection
 * and request timeouts, with a backoff between attempts.
 * @example longestLakeWriteMs() // 71000
 */
export function longestLakeWriteMs(timeouts: LakeWriteTimeouts = LAKE_WRITE_TIMEOUTS): number {
  const attempt = timeouts.connectionTimeout + timeouts.requestTimeout;
  return SDK_ATTEMPTS * attempt + (SDK_ATTEMPTS - 1) * BACKOFF_ALLOWANCE_MS;
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
