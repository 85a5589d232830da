import { gunzipSync } from 'node:zlib';
import { BadBase64Error, BadGzipError, RecordTooLargeError } from './errors';

/**
 * Decodes a Kinesis `data` field. Node's decoder skips characters it does not know, which would
 * silently change a record; so the decoded length must be exactly what the encoded length
 * promises (a skipped character or misplaced padding shortens it). The size bound is checked on
 * the encoded length first, so an oversized record is never decoded (one at most two bytes over
 * may be, its padding being read after). (Node also reads the URL-safe alphabet, `-` and `_`;
 * those decode unambiguously, so they are not refused.)
 * @throws RecordTooLargeError, BadBase64Error
 */
export function decodeBase64(data: string, maxBytes: number): Buffer {
  // Decoded before the padding is read: the end of a long string is then in the cache (reading
  // it first costs a cache miss per record, measurably).
  const bytes =
    Math.floor((data.length * 3) / 4) - 2 <= maxBytes && data.length % 4 === 0
      ? Buffer.from(data, 'base64')
      : undefined;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  const decodedLength = Math.floor((data.length * 3) / 4) - padding;
  if (decodedLength > maxBytes)
    throw new RecordTooLargeError(maxBytes, `record of ${decodedLength} bytes`);
  if (bytes?.length !== decodedLength)
    throw new BadBase64Error(
      `data is not base64 (length ${data.length}, expected canonical base64)`,
    );
  return bytes;
}

/** The two gzip magic bytes (RFC 1952). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates gzip (one or more members), refusing to produce more than `maxBytes`.
 * @throws RecordTooLargeError, BadGzipError
 */
export function gunzipBounded(bytes: Uint8Array, maxBytes: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new RecordTooLargeError(maxBytes, 'gzip payload inflating beyond the limit');
    throw new BadGzipError(`gzip payload does not inflate: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
