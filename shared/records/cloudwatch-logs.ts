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

function isLogEvent(value: unknown): value is LogEventRecord {
  const event = value as Partial<LogEventRecord> | null;
  return typeof event?.id === 'string' && typeof event.message === 'string';
}

/**
 * The envelope when `text` is a CloudWatch Logs subscription message; otherwise undefined, and
 * the text is an ordinary record that happened to be gzip-compressed.
 */
export function parseLogsEnvelope(text: string): LogsEnvelope | undefined {
  if (!text.startsWith('{"messageType"')) return undefined;
  let parsed: { messageType?: unknown; logEvents?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined; // not an envelope; the dataset's parser reports what is wrong with it
  }
  if (parsed.messageType === 'CONTROL_MESSAGE') return { messageType: 'CONTROL_MESSAGE' };
  const events = parsed.logEvents;
  if (parsed.messageType === 'DATA_MESSAGE' && Array.isArray(events) && events.every(isLogEvent))
    return { messageType: 'DATA_MESSAGE', logEvents: events };
  return undefined;
}
