import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeQuarantine } from '../../../shared/lake/quarantine';
import { s3LakeWriter } from '../../../shared/lake/writer';

const s3Mock = mockClient(S3Client);
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('Function: s3LakeWriter', () => {
  beforeEach(() => {
    s3Mock.reset();
  });

  it('puts the object encrypted with the lake key', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).resolves({});
    const writer = s3LakeWriter(new S3Client({ region: 'us-east-1' }), {
      bucket: 'lake',
      kmsKeyArn: KEY_ARN,
    });

    // Act
    await writer.put({
      key: 'raw/x.parquet',
      body: Uint8Array.of(1, 2),
      contentType: 'application/vnd.apache.parquet',
      metadata: { 'streamlake-rows': '2' },
    });

    // Assess
    expect(s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: 'lake',
        Key: 'raw/x.parquet',
        Body: Uint8Array.of(1, 2),
        ContentType: 'application/vnd.apache.parquet',
        Metadata: { 'streamlake-rows': '2' },
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: KEY_ARN,
        BucketKeyEnabled: true,
      },
    ]);
  });

  it('lets an S3 error through for the caller to report', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).rejects(new Error('SlowDown'));
    const writer = s3LakeWriter(new S3Client({ region: 'us-east-1' }), {
      bucket: 'lake',
      kmsKeyArn: KEY_ARN,
    });

    // Act & Assess
    await expect(
      writer.put({ key: 'k', body: Uint8Array.of(), contentType: 'x', metadata: {} }),
    ).rejects.toThrow('SlowDown');
  });
});

describe('Function: encodeQuarantine', () => {
  it('writes one JSON line per entry, keys in a fixed order', () => {
    // Prepare
    const entry = {
      data: 'eyJ9',
      approximateArrival: '2026-11-24T13:30:00.000000Z',
      partitionKey: 'pk',
      unit: 'record' as const,
      logEventId: null,
      subSequenceNumber: null,
      sequenceNumber: '1',
      shardId: 'shardId-000000000000',
      dataset: null,
      message: 'not JSON: unexpected end of input at position 2',
      reason: 'bad-json' as const,
    };

    // Act
    const text = Buffer.from(encodeQuarantine([entry, { ...entry, sequenceNumber: '2' }])).toString(
      'utf8',
    );

    // Assess
    expect(text).toBe(
      '{"reason":"bad-json","message":"not JSON: unexpected end of input at position 2","dataset":null,"shardId":"shardId-000000000000","sequenceNumber":"1","subSequenceNumber":null,"logEventId":null,"unit":"record","partitionKey":"pk","approximateArrival":"2026-11-24T13:30:00.000000Z","data":"eyJ9"}\n' +
        '{"reason":"bad-json","message":"not JSON: unexpected end of input at position 2","dataset":null,"shardId":"shardId-000000000000","sequenceNumber":"2","subSequenceNumber":null,"logEventId":null,"unit":"record","partitionKey":"pk","approximateArrival":"2026-11-24T13:30:00.000000Z","data":"eyJ9"}\n',
    );
  });
});
