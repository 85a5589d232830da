import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ProgressSample, startProgress } from '../../../local/runtime/progress';

/** A stream that is not a terminal (a CI log, a redirected run) and keeps what is written. */
function logStream() {
  const lines: string[] = [];
  const stream = {
    isTTY: false,
    write: (text: string) => {
      lines.push(...text.split('\n').filter(Boolean));
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

describe('Function: startProgress', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-11-24T13:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes a line every 10 s when the stream is not a terminal, and a last one on stop', () => {
    // Prepare
    const { stream, lines } = logStream();
    let sample: ProgressSample = { produced: 0, ingested: 0, lagMs: {} };
    const progress = startProgress({ total: 1000, stream, sample: () => sample });

    // Act
    sample = { produced: 400, ingested: 0, lagMs: { 'shardId-000000000000': 2_500 } };
    vi.advanceTimersByTime(10_000);
    sample = {
      produced: 1000,
      ingested: 600,
      lagMs: { 'shardId-000000000000': 1_000, 'shardId-000000000001': 0 },
    };
    vi.advanceTimersByTime(10_000);
    sample = { ...sample, ingested: 1000, lagMs: { 'shardId-000000000000': 0 } };
    vi.advanceTimersByTime(5_000);
    progress.stop();
    vi.advanceTimersByTime(30_000);

    // Assess
    expect(lines).toEqual([
      '[progress] put 400/1000, ingested 0/1000, 0 rec/s, lag shard-0 2.5s',
      '[progress] put 1000/1000, ingested 600/1000, 60 rec/s, lag shard-0 1.0s shard-1 0.0s',
      '[progress] put 1000/1000, ingested 1000/1000, 80 rec/s, lag shard-0 0.0s',
    ]);
  });

  it('reports the rate since the start on the first line, even when the run ends within 10 s', () => {
    // Prepare
    const { stream, lines } = logStream();
    let sample: ProgressSample = { produced: 0, ingested: 0, lagMs: {} };
    const progress = startProgress({ total: 30_000, stream, sample: () => sample });

    // Act
    sample = { produced: 30_000, ingested: 30_000, lagMs: { 'shardId-000000000000': 0 } };
    vi.advanceTimersByTime(3_000);
    progress.stop();

    // Assess
    expect(lines).toEqual([
      '[progress] put 30000/30000, ingested 30000/30000, 10000 rec/s, lag shard-0 0.0s',
    ]);
  });

  it('counts from what was already ingested when progress starts', () => {
    // Prepare
    const { stream, lines } = logStream();
    let sample: ProgressSample = { ingested: 2_000, lagMs: {} };
    const progress = startProgress({ stream, sample: () => sample });

    // Act
    sample = { ingested: 7_000, lagMs: { 'shardId-000000000000': 1_500 } };
    vi.advanceTimersByTime(10_000);
    sample = { ingested: 8_000, lagMs: { 'shardId-000000000000': 0 } };
    vi.advanceTimersByTime(2_000);
    progress.stop();

    // Assess
    expect(lines).toEqual([
      '[progress] ingested 7000, 500 rec/s, lag shard-0 1.5s',
      '[progress] ingested 8000, 500 rec/s, lag shard-0 0.0s',
    ]);
  });

  it('writes nothing when off', () => {
    // Prepare
    const { stream, lines } = logStream();
    const progress = startProgress({
      mode: 'off',
      stream,
      sample: () => ({ ingested: 5, lagMs: {} }),
    });

    // Act
    vi.advanceTimersByTime(60_000);
    progress.stop();

    // Assess
    expect(lines).toEqual([]);
  });
});
