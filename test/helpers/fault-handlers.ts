import type { Context, KinesisStreamEvent } from 'aws-lambda';
import type { HandlerOverride, LambdaHandler } from '../../local/runtime/local-function';
import type { S3FaultProxy } from './fault-proxy';
import { CORRUPT_BASE64_MARKER } from './fault-records';

/**
 * Faults injected around the real ingest handler, at the event and process level:
 * - a record whose payload is the bad-base64 marker gets a `data` field that is not base64 (the
 *   only way to deliver one: Kinesis stores bytes and the event source encodes them);
 * - a crash: on the n-th invocation of a shard, the process "dies" after `afterWrites` more
 *   objects of that shard are stored — later writes are refused by the S3 proxy, and the
 *   invocation ends with an error, as a killed or timed-out function does;
 * - a duplicate delivery: the same batch is invoked twice in a row (at-least-once delivery).
 */

/** A crash or a duplicate, aimed at the n-th invocation (1-based) of a shard. */
export interface InvocationTarget {
  readonly shardId: string;
  readonly invocation: number;
}

export interface CrashPlan extends InvocationTarget {
  readonly afterWrites: number;
}

export interface HandlerFaultPlan {
  readonly crash?: CrashPlan;
  readonly duplicates: readonly InvocationTarget[];
}

/** The process of a simulated crash ended the invocation. */
export class SimulatedCrashError extends Error {
  override readonly name = 'SimulatedCrashError';
}

const shardOf = (event: KinesisStreamEvent) => event.Records[0]?.eventID.split(':')[0] ?? '';

/** The event with every marked record's `data` made invalid base64 (deterministically). */
function withCorruptBase64(event: KinesisStreamEvent): {
  event: KinesisStreamEvent;
  count: number;
} {
  let count = 0;
  const Records = event.Records.map((record) => {
    const text = Buffer.from(record.kinesis.data, 'base64').toString('utf8');
    if (!text.startsWith(CORRUPT_BASE64_MARKER)) return record;
    count += 1;
    return { ...record, kinesis: { ...record.kinesis, data: `*${record.kinesis.data}` } };
  });
  return { event: { Records }, count };
}

/** Wraps the ingest handler with the current case's faults; counts what it injected. */
export class HandlerFaults {
  plan: HandlerFaultPlan = { duplicates: [] };
  readonly injected = { crashes: 0, duplicates: 0, corrupted: 0 };
  private invocations = new Map<string, number>();

  constructor(private readonly proxy: S3FaultProxy) {}

  /** A new case: new plan, invocation counts from zero. */
  reset(plan: HandlerFaultPlan): void {
    this.plan = plan;
    this.invocations = new Map();
  }

  /** The runtime's override for the ingest function. */
  readonly override: HandlerOverride = async (load) => {
    const real = await load();
    return (event: KinesisStreamEvent, context: Context) => this.invoke(real, event, context);
  };

  private async invoke(
    real: LambdaHandler,
    original: KinesisStreamEvent,
    context: Context,
  ): Promise<unknown> {
    const shardId = shardOf(original);
    const invocation = (this.invocations.get(shardId) ?? 0) + 1;
    this.invocations.set(shardId, invocation);
    const { event, count } = withCorruptBase64(original);
    this.injected.corrupted += count;
    const call = () => Promise.resolve(real(event, context, () => undefined));
    const { crash, duplicates } = this.plan;
    if (crash && crash.shardId === shardId && crash.invocation === invocation) {
      this.injected.crashes += 1;
      const gate = this.proxy.cutAfter((key) => key.includes(`/${shardId}-`), crash.afterWrites);
      try {
        await call();
      } finally {
        gate.release();
      }
      throw new SimulatedCrashError(`crashed after ${crash.afterWrites} object(s) of ${shardId}`);
    }
    const first = await call();
    if (!duplicates.some((d) => d.shardId === shardId && d.invocation === invocation)) return first;
    this.injected.duplicates += 1;
    return call();
  }
}
