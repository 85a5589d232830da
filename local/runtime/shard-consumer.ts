import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  DiscardCondition,
  KinesisOnFailureMessage,
} from '../../shared/redrive/on-failure-message';
import { sendWithRetries } from './destinations';
import {
  batchLength,
  type EventSource,
  type StreamRecord,
  slotOf,
  streamRecordOf,
} from './kinesis-event';
import type { LocalFunction } from './local-function';
import type { KinesisMapping } from './mappings';
import { onFailureMessage } from './on-failure';
import type { ShardReport } from './report';
import { ShardLedger } from './shard-ledger';
import type { ShardReader } from './shard-reader';
import {
  type Attempt,
  type Decision,
  decide,
  expiredCount,
  type InvokeOutcome,
  type RuleRecord,
  type Verdict,
  verdictOf,
} from './stream-rules';

/** A record with its position in the shard's ledger. */
interface TrackedRecord extends StreamRecord {
  readonly position: number;
}

/** One concurrent batch slot of the shard (one per ParallelizationFactor). */
interface Slot {
  /** Records read but not yet put into a batch, in order. */
  readonly pending: TrackedRecord[];
  /** Batches to deliver before new records: retries and bisected halves. */
  readonly attempts: Attempt<TrackedRecord>[];
  /** When `pending` last became non-empty (the batching window opens). */
  windowOpenedAt: number;
  busy: boolean;
  driving: Promise<void> | undefined;
  last: { requestId: string; functionError: boolean } | undefined;
}

export interface ShardConsumerDeps {
  readonly mapping: KinesisMapping;
  readonly reader: Pick<ShardReader, 'read' | 'closed' | 'shardId'>;
  readonly fn: Pick<LocalFunction, 'spec' | 'invoke'>;
  readonly source: EventSource;
  readonly sendOnFailure: (destination: string, body: string) => Promise<void>;
  readonly report: ShardReport;
  /** Called for every discarded batch, after its message was sent. */
  readonly onDiscard: (destination: string | undefined, message: KinesisOnFailureMessage) => void;
  readonly pollIntervalMs: number;
  /** First retry delay; doubles per retry up to 5 s. */
  readonly retryBaseDelayMs: number;
  readonly now: () => number;
  readonly warn: (line: string) => void;
  /** Sees every invocation and what the mapping decided (tests, diagnostics). */
  readonly observe?: (invocation: ShardInvocation) => void;
}

/** One invocation of a shard's batch and its consequence. */
export interface ShardInvocation {
  readonly mapping: string;
  readonly shardId: string;
  readonly sequenceNumbers: readonly string[];
  readonly outcome: InvokeOutcome;
  readonly verdict: Verdict;
  readonly decision: Decision<RuleRecord>['kind'];
  readonly committed: number;
  readonly durationMs: number;
}

/**
 * Delivers one shard to one function as a Kinesis event-source mapping does: records in order,
 * one batch in flight per slot, records of a partition key always in the same slot, and the
 * decisions of `stream-rules.ts` after every invocation.
 */
export class ShardConsumer {
  private readonly ledger = new ShardLedger();
  private readonly slots: Slot[];
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private lastEmptyReadAt = 0;
  private lastReadWasEmpty = false;

  constructor(private readonly deps: ShardConsumerDeps) {
    const count = Math.max(1, deps.mapping.parallelizationFactor);
    this.slots = Array.from({ length: count }, () => ({
      pending: [],
      attempts: [],
      windowOpenedAt: 0,
      busy: false,
      driving: undefined,
      last: undefined,
    }));
  }

  /** Reads and delivers until `stop()`, or until a closed shard is fully done. */
  async run(): Promise<void> {
    const { batchSize, parallelizationFactor } = this.deps.mapping;
    const capacity = Math.min(20_000, batchSize * Math.max(1, parallelizationFactor) * 2);
    while (!this.stopped) {
      let read = 0;
      const buffered = this.slots.reduce((n, s) => n + s.pending.length, 0);
      if (buffered < capacity) {
        try {
          read = await this.read(capacity - buffered);
        } catch (error) {
          this.deps.warn(`${this.deps.reader.shardId}: GetRecords failed: ${String(error)}`);
        }
      }
      for (const slot of this.slots) if (!slot.busy) slot.driving = this.drive(slot);
      if (this.deps.reader.closed && this.isIdle()) break;
      if (read === 0 || buffered + read >= capacity) await this.nap(this.deps.pollIntervalMs);
    }
    await Promise.all(this.slots.map((slot) => slot.driving));
  }

  /** What happened on this shard so far (live: updated as batches complete). */
  get report(): ShardReport {
    return this.deps.report;
  }

  /** Ends the current idle wait at once, so that the next read happens now. */
  poke(): void {
    this.wakeUp?.();
  }

  /** The shard is closed and every record of it is done: its children may start. */
  isFinished(): boolean {
    return this.deps.reader.closed && this.isIdle();
  }

  stop(): void {
    this.stopped = true;
    this.wakeUp?.();
  }

  /** Nothing waits to be delivered and, since `since`, a read found the tip (or the shard closed). */
  isDrained(since: number): boolean {
    return this.isIdle() && (this.deps.reader.closed || this.lastEmptyReadAt >= since);
  }

  private isIdle(): boolean {
    return this.slots.every((s) => !s.busy && s.pending.length === 0 && s.attempts.length === 0);
  }

  private async nap(ms: number): Promise<void> {
    await new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        done();
      };
    });
    this.wakeUp = undefined;
  }

  private async read(limit: number): Promise<number> {
    const records = await this.deps.reader.read(limit);
    const now = this.deps.now();
    this.lastReadWasEmpty = records.length === 0;
    if (this.lastReadWasEmpty) this.lastEmptyReadAt = now;
    for (const raw of records) {
      const record = streamRecordOf(raw, this.deps.source);
      const tracked = { ...record, position: this.ledger.add(record.sequenceNumber) };
      const slot = this.slots[slotOf(record.partitionKey, this.slots.length)] as Slot;
      if (slot.pending.length === 0) slot.windowOpenedAt = now;
      slot.pending.push(tracked);
    }
    this.refreshReport();
    return records.length;
  }

  /** The next new batch of a slot, or none while its batching window is still open. */
  private nextBatch(slot: Slot): Attempt<TrackedRecord> | undefined {
    const { batchSize, maximumBatchingWindowInSeconds: window } = this.deps.mapping;
    if (slot.pending.length === 0) return undefined;
    const length = batchLength(slot.pending, batchSize);
    const full = length < slot.pending.length || length >= batchSize;
    const open = this.deps.now() - slot.windowOpenedAt < window * 1000;
    if (!full && open && !this.deps.reader.closed) return undefined;
    const records = slot.pending.splice(0, length);
    slot.windowOpenedAt = this.deps.now();
    this.deps.report.batches += 1;
    this.deps.report.records += records.length;
    return { records, retries: 0, invocations: 0 };
  }

  private async drive(slot: Slot): Promise<void> {
    slot.busy = true;
    try {
      while (!this.stopped) {
        const attempt = slot.attempts.shift() ?? this.nextBatch(slot);
        if (!attempt) break;
        try {
          await this.deliver(slot, attempt);
        } catch (error) {
          // A fault of the runtime itself, not of the function: keep the batch, try again later.
          slot.attempts.unshift(attempt);
          this.deps.warn(`${this.deps.reader.shardId}: delivery failed: ${String(error)}`);
          break;
        }
      }
    } finally {
      slot.busy = false;
      this.refreshReport();
      this.wakeUp?.();
    }
  }

  private async deliver(slot: Slot, pending: Attempt<TrackedRecord>): Promise<void> {
    const { mapping, report } = this.deps;
    let attempt = pending;
    const expired = expiredCount(
      attempt.records,
      this.deps.now(),
      mapping.retry.maximumRecordAgeInSeconds,
    );
    if (expired > 0) {
      await this.discard(slot, attempt, attempt.records.slice(0, expired), 'RecordAgeExceeded');
      attempt = { ...attempt, records: attempt.records.slice(expired) };
      if (attempt.records.length === 0) return;
    }
    const result = await this.deps.fn.invoke({ Records: attempt.records.map((r) => r.event) });
    attempt = { ...attempt, invocations: attempt.invocations + 1 };
    report.invocations += 1;
    slot.last = { requestId: result.requestId, functionError: result.outcome.kind === 'error' };
    const sequenceNumbers = attempt.records.map((r) => r.sequenceNumber);
    const verdict = verdictOf(
      result.outcome,
      sequenceNumbers,
      mapping.retry.reportBatchItemFailures,
    );
    const decision = decide(attempt, verdict, mapping.retry);
    this.commit(attempt.records.slice(0, decision.committed));
    this.deps.observe?.({
      mapping: mapping.logicalId,
      shardId: this.deps.source.shardId,
      sequenceNumbers,
      outcome: result.outcome,
      verdict,
      decision: decision.kind,
      committed: decision.committed,
      durationMs: result.durationMs,
    });
    if (decision.kind === 'bisect') {
      report.bisects += 1;
      slot.attempts.unshift(...decision.halves);
    } else if (decision.kind === 'retry') {
      const counted = decision.next.retries > attempt.retries;
      if (counted) report.retries += 1;
      slot.attempts.unshift(decision.next);
      const delay = this.deps.retryBaseDelayMs * 2 ** Math.min(decision.next.retries, 6);
      if (counted && delay > 0) await sleep(Math.min(delay, 5_000));
    } else if (decision.kind === 'discard') {
      await this.discard(slot, attempt, decision.discarded, decision.condition);
    }
  }

  private commit(records: readonly TrackedRecord[]): void {
    for (const record of records) this.ledger.markDone(record.position);
    const last = records[records.length - 1];
    if (!last) return;
    this.deps.report.committed += records.length;
    this.deps.report.iteratorAgeMs = this.deps.now() - last.arrivalMs;
    this.refreshReport();
  }

  /** Gives records up: their metadata goes to the on-failure destination, the shard moves on. */
  private async discard(
    slot: Slot,
    attempt: Attempt<TrackedRecord>,
    records: readonly TrackedRecord[],
    condition: DiscardCondition,
  ): Promise<void> {
    const { mapping, source, report } = this.deps;
    const invoked = attempt.invocations > 0 && slot.last !== undefined;
    const message = onFailureMessage({
      records,
      condition,
      shardId: source.shardId,
      streamArn: mapping.streamArn,
      functionArn: this.deps.fn.spec.arn,
      invocations: attempt.invocations,
      requestId: invoked && slot.last ? slot.last.requestId : randomUUID(),
      lastFunctionError: invoked && slot.last ? slot.last.functionError : false,
      nowMs: this.deps.now(),
    });
    const body = JSON.stringify(message);
    const destination = mapping.onFailureDestination;
    if (destination)
      try {
        await sendWithRetries(this.deps.sendOnFailure, destination, body);
      } catch (error) {
        this.deps.warn(`on-failure message to ${destination} failed: ${String(error)}`);
      }
    this.deps.onDiscard(destination, message);
    report.discardedBatches += 1;
    report.discardedRecords += records.length;
    for (const record of records) this.ledger.markDone(record.position);
    this.refreshReport();
  }

  private refreshReport(): void {
    const report = this.deps.report;
    report.checkpoint = this.ledger.checkpoint ?? null;
    report.atTip =
      this.ledger.outstanding === 0 && (this.deps.reader.closed || this.lastReadWasEmpty);
  }
}
