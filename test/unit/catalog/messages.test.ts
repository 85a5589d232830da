import { describe, expect, it } from 'vitest';
import { UnreadableMessageError } from '../../../shared/catalog/errors';
import {
  crawlFollowUpBody,
  decodeS3Key,
  parseCatalogMessage,
} from '../../../shared/catalog/messages';
import { LAKE_BUCKET, loadSqsEvent } from '../../fixtures/sqs/events';

const bodyOf = (fixture: Parameters<typeof loadSqsEvent>[0], index = 0) => {
  const record = loadSqsEvent(fixture).Records[index];
  if (!record) throw new Error(`${fixture} has no record ${index}`);
  return record;
};

describe('Function: decodeS3Key', () => {
  it('decodes keys as S3 notifications spell them', () => {
    // Act & Assess
    expect(decodeS3Key('raw/orders/dt%3D2026-11-24/hour%3D13/a+b%2Bc.parquet')).toBe(
      'raw/orders/dt=2026-11-24/hour=13/a b+c.parquet',
    );
    expect(decodeS3Key('raw%2Forders%2Fdt%3D2026-11-24%2Fhour%3D14%2Fpart+%231.parquet')).toBe(
      'raw/orders/dt=2026-11-24/hour=14/part #1.parquet',
    );
    expect(decodeS3Key('caf%C3%A9%2B%25.parquet')).toBe('café+%.parquet');
  });
});

describe('Function: parseCatalogMessage', () => {
  it('reads the object events of an S3 notification, keys decoded', () => {
    // Prepare
    const { messageId, body } = bodyOf('s3-burst');

    // Act
    const message = parseCatalogMessage(messageId, body);

    // Assess
    expect(message).toEqual({
      kind: 's3-objects',
      objects: [
        {
          bucket: LAKE_BUCKET,
          key: 'raw/orders/dt=2026-11-24/hour=13/shardId-000000000000-49657328148350128938227153648127638469728451730957500418.parquet',
          eventName: 'ObjectCreated:Put',
          eventTime: new Date('2026-11-24T13:31:00.117Z'),
        },
      ],
    });
  });

  it('reads the multipart-upload notification and both key spellings', () => {
    // Prepare
    const multipart = bodyOf('s3-burst', 11);
    const encoded = loadSqsEvent('s3-encoded-keys').Records;

    // Act
    const keys = [multipart, encoded[0], encoded[1]].map((r) => {
      const message = r && parseCatalogMessage(r.messageId, r.body);
      return message?.kind === 's3-objects' ? message.objects.map((o) => o.key) : [];
    });

    // Assess
    expect(keys).toEqual([
      [
        'raw/clickstream/dt=2026-11-24/hour=14/shardId-000000000001-49657328148350128938227153648127638469738451730957500418.parquet',
      ],
      ['raw/orders/dt=2026-11-24/hour=13/a b+c.parquet'],
      ['raw/orders/dt=2026-11-24/hour=14/part #1.parquet'],
    ]);
  });

  it('recognises the S3 test event', () => {
    // Prepare
    const { messageId, body } = bodyOf('s3-test-event');

    // Act
    const message = parseCatalogMessage(messageId, body);

    // Assess
    expect(message).toEqual({ kind: 's3-test-event', bucket: LAKE_BUCKET });
  });

  it('reads a crawl follow-up, and writes what it reads', () => {
    // Prepare
    const { messageId, body } = bodyOf('crawl-follow-up');
    const since = new Date('2026-11-24T14:02:45.903Z');

    // Act
    const message = parseCatalogMessage(messageId, body);
    const again = parseCatalogMessage('m', crawlFollowUpBody('streamlake-dev-raw', since));

    // Assess
    expect(message).toEqual({
      kind: 'crawl-follow-up',
      crawler: 'streamlake-dev-raw',
      pendingSince: since,
    });
    expect(again).toEqual(message);
  });

  it('rejects bodies that are not JSON, not a known message, or carry a broken key escape', () => {
    // Prepare
    const [notJson, wrongShape] = loadSqsEvent('unreadable').Records;
    const badKey = loadSqsEvent('s3-encoded-keys').Records[2];

    // Act
    const errors = [notJson, wrongShape, badKey].map((r) => {
      try {
        parseCatalogMessage(r?.messageId ?? '', r?.body ?? '');
        return null;
      } catch (error) {
        return error;
      }
    });

    // Assess
    for (const error of errors) expect(error).toBeInstanceOf(UnreadableMessageError);
    expect((errors[0] as Error).message).toBe(
      'message 6f1e2d3c-4b5a-4c7d-8e9f-000000000000: body is not JSON',
    );
    expect((errors[1] as Error).message).toMatch(
      /^message 6f1e2d3c-4b5a-4c7d-8e9f-000000000001: not an S3 event notification, S3 test event or crawl follow-up/,
    );
    expect((errors[2] as Error).message).toBe(
      'message 6f1e2d3c-4b5a-4c7d-8e9f-000000000002: object key is not URL-encoded text',
    );
  });
});
