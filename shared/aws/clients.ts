import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Env } from '../config';

/**
 * Client settings shared by every AWS SDK client streamlake builds. The SDK reads the endpoint
 * override (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`) itself; these settings only adapt
 * what an endpoint override needs, so nothing here knows whether it talks to AWS or a local one.
 */
function hasEndpointOverride(env: Env): boolean {
  return Object.keys(env).some(
    (k) => k === 'AWS_ENDPOINT_URL' || k.startsWith('AWS_ENDPOINT_URL_'),
  );
}

/** S3: path-style addressing under an endpoint override (virtual-host names do not resolve locally). */
export function s3ClientConfig(env: Env = process.env): { forcePathStyle: boolean } {
  return { forcePathStyle: hasEndpointOverride(env) };
}

/**
 * Kinesis: HTTP/1.1 under an endpoint override. The SDK speaks HTTP/2 to Kinesis for
 * SubscribeToShard; local endpoints answer that with a protocol error.
 */
export function kinesisClientConfig(env: Env = process.env): { requestHandler?: NodeHttpHandler } {
  return hasEndpointOverride(env) ? { requestHandler: new NodeHttpHandler() } : {};
}

/**
 * SQS: under an endpoint override, send every call to that endpoint. The SDK otherwise sends a
 * call to the host in the queue URL, and local queue URLs can carry AWS's own host.
 */
export function sqsClientConfig(env: Env = process.env): { useQueueUrlAsEndpoint?: boolean } {
  return hasEndpointOverride(env) ? { useQueueUrlAsEndpoint: false } : {};
}
