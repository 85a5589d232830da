import { type KinesisClient, ListShardsCommand, type Shard } from '@aws-sdk/client-kinesis';
import type { KinesisOnFailureMessage } from '../../shared/redrive/on-failure-message';
import type { DestinationSender } from './destinations';
import type { LocalFunction } from './local-function';
import type { KinesisMapping } from './mappings';
import { emptyShardReport, type ShardReport } from './report';
import { ShardConsumer, type ShardInvocation } from './shard-consumer';
import { ShardReader } from './shard-reader';

/** What the shard consumers need from the runtime. */
export interface StreamSourcesContext {
  readonly kinesis: KinesisClient;
  readonly region: string;
  readonly mappings: readonly KinesisMapping[];
  readonly functionFor: (logicalId: string) => LocalFunction;
  readonly send: DestinationSender;
  readonly onDiscard: (destination: string | undefined, message: KinesisOnFailureMessage) => void;
  readonly pollIntervalMs: number;
  readonly retryBaseDelayMs: number;
  readonly observe?: (invocation: ShardInvocation) => void;
  readonly warn: (line: string) => void;
}

interface StreamShard {
  readonly mapping: KinesisMapping;
  readonly shard: Shard;
  readonly consumer: ShardConsumer;
  running: Promise<void> | undefined;
}

const key = (mapping: KinesisMapping, shardId: string) => `${mapping.logicalId}/${shardId}`;

/**
 * The shard consumers of the Kinesis mappings: one per shard and mapping, created as shards
 * appear (`refresh`), a child shard started only once its parents are fully processed, as
 * Lambda does after a resharding.
 */
export class StreamSources {
  private readonly shards = new Map<string, StreamShard>();

  constructor(private readonly ctx: StreamSourcesContext) {}

  private async listShards(streamName: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.ctx.kinesis.send(
        new ListShardsCommand(NextToken ? { NextToken } : { StreamName: streamName }),
      );
      shards.push(...(page.Shards ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return shards;
  }

  /** Creates consumers for shards not seen yet and starts those whose parents are done. */
  async refresh(): Promise<void> {
    const { ctx } = this;
    for (const mapping of ctx.mappings) {
      for (const shard of await this.listShards(mapping.streamName)) {
        const id = shard.ShardId ?? '';
        if (this.shards.has(key(mapping, id))) continue;
        const fn = ctx.functionFor(mapping.functionLogicalId);
        const consumer = new ShardConsumer({
          mapping,
          reader: new ShardReader(ctx.kinesis, mapping.streamName, id, {
            type: mapping.startingPosition,
            timestamp: mapping.startingPositionTimestamp,
          }),
          fn,
          source: {
            shardId: id,
            streamArn: mapping.streamArn,
            region: ctx.region,
            invokeIdentityArn: fn.spec.roleArn,
          },
          sendOnFailure: ctx.send,
          report: emptyShardReport(mapping.logicalId, fn.spec.name, id),
          onDiscard: ctx.onDiscard,
          pollIntervalMs: ctx.pollIntervalMs,
          retryBaseDelayMs: ctx.retryBaseDelayMs,
          now: Date.now,
          warn: ctx.warn,
          observe: ctx.observe,
        });
        this.shards.set(key(mapping, id), { mapping, shard, consumer, running: undefined });
      }
    }
    this.startReady();
  }

  private startReady(): void {
    for (const entry of this.shards.values()) {
      if (entry.running) continue;
      const parents = [entry.shard.ParentShardId, entry.shard.AdjacentParentShardId]
        .filter((p): p is string => p !== undefined)
        .map((p) => this.shards.get(key(entry.mapping, p)));
      if (parents.some((p) => p && (!p.running || !p.consumer.isFinished()))) continue;
      entry.running = entry.consumer.run().finally(() => this.startReady());
    }
  }

  /** Ends every idle wait, so that each shard reads now. */
  poke(): void {
    for (const { consumer } of this.shards.values()) consumer.poke();
  }

  /** Shards not drained since `since` (see ShardConsumer.isDrained). */
  busy(since: number): string[] {
    return [...this.shards.entries()]
      .filter(([, s]) => !s.consumer.isDrained(since))
      .map(([id]) => id);
  }

  get reports(): ShardReport[] {
    return [...this.shards.values()].map((s) => ({ ...s.consumer.report }));
  }

  async stop(): Promise<void> {
    for (const { consumer } of this.shards.values()) consumer.stop();
    await Promise.all([...this.shards.values()].map((s) => s.running));
  }
}
