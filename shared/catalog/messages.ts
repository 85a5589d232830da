/**
 * The messages of the crawler events queue: S3 event notifications (and the one test event S3 sends
 * when the notification is configured), and the crawl follow-ups this function sends itself.
 * The schemas name only the fields used, so that fields S3 adds or varies (IPv6 source addresses,
 * Glacier data, missing `sequencer`) never make a message unreadable.
 */
import { z } from 'zod';
import { UnreadableMessageError } from './errors';

/** One S3 object event, its key decoded. */
export interface S3ObjectEvent {
  readonly bucket: string;
  readonly key: string;
  /** e.g. `ObjectCreated:Put`; the `s3:` prefix S3 drops in notifications is not added back. */
  readonly eventName: string;
  readonly eventTime: Date;
}

export type CatalogMessage =
  | { readonly kind: 's3-objects'; readonly objects: readonly S3ObjectEvent[] }
  | { readonly kind: 's3-test-event'; readonly bucket: string }
  | { readonly kind: 'crawl-follow-up'; readonly crawler: string; readonly pendingSince: Date };

const timestamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'not a timestamp');

const S3Notification = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:s3'),
        eventName: z.string(),
        eventTime: timestamp,
        s3: z.object({
          bucket: z.object({ name: z.string().min(1) }),
          object: z.object({ key: z.string().min(1) }),
        }),
      }),
    )
    .min(1),
});

const S3TestEvent = z.object({
  Service: z.literal('Amazon S3'),
  Event: z.literal('s3:TestEvent'),
  Bucket: z.string(),
});

const FOLLOW_UP_TYPE = 'streamlake.crawl-follow-up';

const CrawlFollowUp = z.object({
  type: z.literal(FOLLOW_UP_TYPE),
  crawler: z.string().min(1),
  pendingSince: timestamp,
});

/**
 * An object key as S3 notifications spell it, decoded: form encoding, `+` for a space.
 * @example decodeS3Key('raw/orders/dt%3D2026-11-24/a+b%2Bc.parquet') // 'raw/orders/dt=2026-11-24/a b+c.parquet'
 * @throws URIError when a `%` escape is malformed
 */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** The body of a crawl follow-up: objects at or before `pendingSince` still need a crawl. */
export function crawlFollowUpBody(crawler: string, pendingSince: Date): string {
  return JSON.stringify({
    type: FOLLOW_UP_TYPE,
    crawler,
    pendingSince: pendingSince.toISOString(),
  });
}

/**
 * Reads one queue message.
 * @throws UnreadableMessageError when the body is not one of the three kinds
 */
export function parseCatalogMessage(messageId: string, body: string): CatalogMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new UnreadableMessageError(messageId, 'body is not JSON', { cause: error });
  }
  const notification = S3Notification.safeParse(json);
  if (notification.success) {
    try {
      const objects = notification.data.Records.map((record) => ({
        bucket: record.s3.bucket.name,
        key: decodeS3Key(record.s3.object.key),
        eventName: record.eventName,
        eventTime: new Date(record.eventTime),
      }));
      return { kind: 's3-objects', objects };
    } catch (error) {
      throw new UnreadableMessageError(messageId, 'object key is not URL-encoded text', {
        cause: error,
      });
    }
  }
  const test = S3TestEvent.safeParse(json);
  if (test.success) return { kind: 's3-test-event', bucket: test.data.Bucket };
  const followUp = CrawlFollowUp.safeParse(json);
  if (followUp.success)
    return {
      kind: 'crawl-follow-up',
      crawler: followUp.data.crawler,
      pendingSince: new Date(followUp.data.pendingSince),
    };
  throw new UnreadableMessageError(
    messageId,
    `not an S3 event notification, S3 test event or crawl follow-up: ${z.prettifyError(notification.error).slice(0, 300)}`,
  );
}
