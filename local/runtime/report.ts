import type { KinesisOnFailureMessage } from '../../shared/redrive/on-failure-message';
import type { RuleReport } from './rule-consumer';

/** What happened on one shard of one Kinesis mapping. */
export interface ShardReport {
  readonly mapping: string;
  readonly functionName: string;
  readonly shardId: string;
  /** Records delivered at least once. */
  records: number;
  /** Batches formed from new records (retries and halves are not new batches). */
  batches: number;
  invocations: number;
  /** Retries that counted towards MaximumRetryAttempts. */
  retries: number;
  bisects: number;
  discardedBatches: number;
  discardedRecords: number;
  /** Records the checkpoint passed after a successful invocation. */
  committed: number;
  checkpoint: string | null;
  /** The last read found nothing new and every record read is done. */
  atTip: boolean;
  /** Age of the last record of the last committed batch when it was committed (IteratorAge). */
  iteratorAgeMs: number;
}

/** A shard's report before anything happened. */
export function emptyShardReport(
  mapping: string,
  functionName: string,
  shardId: string,
): ShardReport {
  return {
    mapping,
    functionName,
    shardId,
    records: 0,
    batches: 0,
    invocations: 0,
    retries: 0,
    bisects: 0,
    discardedBatches: 0,
    discardedRecords: 0,
    committed: 0,
    checkpoint: null,
    atTip: false,
    iteratorAgeMs: 0,
  };
}

/** What happened on one SQS mapping. */
export interface QueueReport {
  readonly mapping: string;
  readonly functionName: string;
  readonly queueName: string;
  /** Messages received (a redelivered message counts each time). */
  received: number;
  invocations: number;
  deleted: number;
  /** Messages left in the queue to reappear after the visibility timeout. */
  failed: number;
}

/** A message the runtime sent to an on-failure destination. */
export interface OnFailureRecord {
  readonly destination: string;
  readonly message: KinesisOnFailureMessage;
}

export interface RuntimeReport {
  readonly shards: readonly ShardReport[];
  readonly queues: readonly QueueReport[];
  readonly rules: readonly RuleReport[];
  readonly onFailure: readonly OnFailureRecord[];
  readonly warnings: readonly string[];
}

/** A plain-text table: a header row, a rule, then the rows; numbers right-aligned. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell ?? '')));
  const widths = headers.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
  const numeric = headers.map((_, c) => rows.every((row) => typeof row[c] === 'number'));
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const [head, ...body] = cells;
  return [line(head ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join(
    '\n',
  );
}

/** The final table of a run: one line per shard, one per queue, then the on-failure messages. */
export function formatReport(report: RuntimeReport): string {
  const parts: string[] = [];
  if (report.shards.length)
    parts.push(
      formatTable(
        [
          'shard',
          'records',
          'batches',
          'invocations',
          'retries',
          'bisects',
          'discarded',
          'checkpoint',
          'at tip',
        ],
        report.shards.map((s) => [
          `${s.functionName} ${s.shardId}`,
          s.records,
          s.batches,
          s.invocations,
          s.retries,
          s.bisects,
          s.discardedBatches,
          s.checkpoint ?? '-',
          s.atTip ? 'yes' : 'no',
        ]),
      ),
    );
  if (report.queues.length)
    parts.push(
      formatTable(
        ['queue', 'received', 'invocations', 'deleted', 'failed'],
        report.queues.map((q) => [
          `${q.functionName} ${q.queueName}`,
          q.received,
          q.invocations,
          q.deleted,
          q.failed,
        ]),
      ),
    );
  if (report.rules.length)
    parts.push(
      formatTable(
        ['rule', 'events', 'invocations', 'succeeded', 'failed'],
        report.rules.map((r) => [
          `${r.functionName} ${r.rule}`,
          r.events,
          r.invocations,
          r.succeeded,
          r.failed,
        ]),
      ),
    );
  for (const { destination, message } of report.onFailure) {
    const info = message.KinesisBatchInfo;
    parts.push(
      `on-failure ${destination.split(':').pop()}: ${message.requestContext.condition} ` +
        `${info.shardId} ${info.startSequenceNumber}..${info.endSequenceNumber} (${info.batchSize} records)`,
    );
  }
  for (const warning of report.warnings) parts.push(`warning: ${warning}`);
  return parts.join('\n\n');
}
