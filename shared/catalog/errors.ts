import { StreamlakeError } from '../errors';

/**
 * A queue message that is neither an S3 event notification, the S3 test event, nor a crawl
 * follow-up. Retrying cannot fix it: it is reported as a batch item failure, so that after the
 * queue's maxReceiveCount it lands in the dead-letter queue, where someone can look at it.
 */
export class UnreadableMessageError extends StreamlakeError {
  constructor(
    readonly messageId: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`message ${messageId}: ${problem}`, options);
  }
}

/** A partition could not be registered in the Data Catalog (the call failed, or this entry did). */
export class PartitionRegistrationError extends StreamlakeError {
  constructor(
    readonly table: string,
    readonly values: readonly string[],
    /** The Glue error code, e.g. `ThrottlingException`, `EntityNotFoundException`. */
    readonly code: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`registering partition (${values.join(', ')}) of ${table}: ${code}: ${detail}`, options);
  }
}

/** A Glue or SQS call made to get the crawler to cover new objects failed. */
export class CrawlRequestError extends StreamlakeError {
  constructor(
    readonly crawler: string,
    /** The API operation that failed, e.g. `StartCrawler`. */
    readonly operation: string,
    /** The AWS error code, e.g. `ThrottlingException`, `AccessDeniedException`. */
    readonly code: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation} for crawler ${crawler} failed: ${code}: ${detail}`, options);
  }
}

/** The AWS error code of an SDK error (its `name`), or `Error` for anything else. */
export function awsErrorCode(error: unknown): string {
  if (error instanceof Error) return error.name;
  return 'Error';
}

/** The message of an error, or its text form. */
export function errorDetail(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
