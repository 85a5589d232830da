import { holdsLoneSurrogate } from './json';

/**
 * CloudWatch Logs subscription payloads (gzip-compressed JSON). A `DATA_MESSAGE` carries log
 * events; each event's `message` is one user record, parsed by its dataset like any other record.
 * A `CONTROL_MESSAGE` is CloudWatch checking that the destination is reachable: it carries no
 * data, yields no user record, and is counted in the batch summary.
 */
export interface LogEventRecord {
  readonly id: string;
  readonly message: string;
}

export type LogsEnvelope =
  | { readonly messageType: 'DATA_MESSAGE'; readonly logEvents: readonly LogEventRecord[] }
  | { readonly messageType: 'CONTROL_MESSAGE' };

const MESSAGE_TYPE_KEY = Buffer.from('"messageType"');
const OPEN_BRACE = 0x7b;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A log event whose message is Unicode text, so that its UTF-8 bytes are the message itself. */
function isLogEvent(value: unknown): value is LogEventRecord {
  const event = value as Partial<LogEventRecord> | null;
  return (
    typeof event?.id === 'string' &&
    typeof event.message === 'string' &&
    !holdsLoneSurrogate(event.message)
  );
}

/**
 * The envelope when `bytes` (inflated) are a CloudWatch Logs subscription message; otherwise
 * undefined, and they are an ordinary record that happened to be gzip-compressed. Bytes that are
 * not UTF-8, or a message that UTF-8 cannot hold, are no envelope CloudWatch sends: the record
 * then goes to the dataset's parser whole, which names the problem.
 */
export function parseLogsEnvelope(bytes: Buffer): LogsEnvelope | undefined {
  // Whatever the order of its keys (AWS's examples show `messageType` first and fifth). Other
  // gzip JSON that names a messageType is rare, small, and parsed again by its dataset.
  if (bytes[0] !== OPEN_BRACE || !bytes.includes(MESSAGE_TYPE_KEY)) return undefined;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(utf8.decode(bytes));
  } catch {
    return undefined; // not an envelope; the dataset's parser reports what is wrong with it
  }
  // Every key CloudWatch sends, control messages included: a dataset's own record that merely
  // has a messageType field must reach its dataset, not be taken for an envelope and dropped.
  const events = parsed.logEvents;
  const envelope =
    typeof parsed.owner === 'string' &&
    typeof parsed.logGroup === 'string' &&
    typeof parsed.logStream === 'string' &&
    Array.isArray(parsed.subscriptionFilters) &&
    Array.isArray(events);
  if (!envelope) return undefined;
  if (parsed.messageType === 'CONTROL_MESSAGE') return { messageType: 'CONTROL_MESSAGE' };
  if (parsed.messageType === 'DATA_MESSAGE' && events.every(isLogEvent))
    return { messageType: 'DATA_MESSAGE', logEvents: events };
  return undefined;
}
