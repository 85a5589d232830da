import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { lakeWriteRequestHandler, s3LakeWriter } from '../../../shared/lake/writer';

// A real S3 client against a local socket (no aws-sdk-client-mock: the HTTP handler is under test).
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('Function: lakeWriteRequestHandler', () => {
  it('makes a put that gets no answer fail with a TimeoutError instead of waiting on', async () => {
    // Prepare: a server that takes the request and never answers
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: lakeWriteRequestHandler({
        connectionTimeout: 1_000,
        requestTimeout: 300,
      }),
    });
    const writer = s3LakeWriter(client, { bucket: 'lake', kmsKeyArn: KEY_ARN });

    try {
      // Act
      const put = writer.put({
        key: 'raw/x.parquet',
        body: Uint8Array.of(1),
        contentType: 'application/vnd.apache.parquet',
        metadata: {},
      });

      // Assess: without throwOnRequestTimeout it would never settle, and the test would time out
      await expect(put).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('defaults to ingest timeouts of 3 s to connect and 20 s a request', () => {
    expect(lakeWriteRequestHandler()).toEqual({
      connectionTimeout: 3_000,
      requestTimeout: 20_000,
      throwOnRequestTimeout: true,
    });
  });
});
