import { StreamlakeError } from '../errors';

/** The stream no longer holds (all of) a sequence range: it was trimmed past its retention. */
export class RangeUnavailableError extends StreamlakeError {
  constructor(
    readonly shardId: string,
    readonly startSequenceNumber: string,
    detail: string,
  ) {
    super(`${shardId} from ${startSequenceNumber}: ${detail}`);
  }
}

/** A redrive left records behind (writes kept failing); running it again continues safely. */
export class RedriveIncompleteError extends StreamlakeError {
  constructor(
    readonly what: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${what}: ${detail}`, options);
  }
}
