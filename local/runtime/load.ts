import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { LocalRuntime } from './local-runtime';
import { type ProducedRecord, type PutSummary, putRecordsStreaming } from './producer';
import { type ProgressOptions, startProgress } from './progress';
import type { RuntimeReport } from './report';

export interface LoadOptions {
  /** Records expected (for the progress bar). */
  readonly total?: number;
  /** Progress display (default `auto`: a bar on a terminal). */
  readonly progress?: ProgressOptions['mode'];
  /** Bound on the final drain (default 30 min). */
  readonly drainTimeoutMs?: number;
}

export interface LoadResult {
  readonly put: PutSummary;
  readonly report: RuntimeReport;
  /** From the first record put to every shard at the tip. */
  readonly durationMs: number;
}

/**
 * Puts records on a stream while the runtime ingests them, with progress, then drains the
 * stream: what `make demo` does for a big run (`RECORDS=1000000`). Records are generated and put
 * as they are consumed, so memory stays flat.
 * @example
 * const result = await loadStream(runtime, kinesis, stack.resources.IngestStream, generateRecords({ count }), { total: count });
 */
export async function loadStream(
  runtime: LocalRuntime,
  kinesis: KinesisClient,
  streamName: string,
  records: Iterable<ProducedRecord> | AsyncIterable<ProducedRecord>,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const started = Date.now();
  await runtime.startStreams();
  let produced = 0;
  const progress = startProgress({
    mode: options.progress,
    total: options.total,
    sample: () => ({ produced, ...runtime.progress() }),
  });
  try {
    const put = await putRecordsStreaming(kinesis, streamName, records, {
      onProgress: (stored) => {
        produced = stored;
      },
    });
    const report = await runtime.drainStreams({ timeoutMs: options.drainTimeoutMs ?? 1_800_000 });
    return { put, report, durationMs: Date.now() - started };
  } finally {
    progress.stop();
  }
}
