import { MultiBar, Presets, type SingleBar } from 'cli-progress';

/** What progress shows at one moment. */
export interface ProgressSample {
  /** Records put on the stream so far (when a producer runs alongside). */
  readonly produced?: number;
  /** Records the runtime is done with (committed or given up). */
  readonly ingested: number;
  /** IteratorAge of each shard, 0 when it is at the tip. */
  readonly lagMs: Readonly<Record<string, number>>;
}

export interface ProgressOptions {
  /**
   * `auto`: a bar when the stream is a terminal, otherwise a line every interval (a CI log or a
   * redirected run still shows that a long run moves); `lines`: always lines; `off`: nothing.
   */
  readonly mode?: 'auto' | 'bar' | 'lines' | 'off';
  /** Records expected in total (the bar's end). */
  readonly total?: number;
  readonly intervalMs?: number;
  readonly stream?: NodeJS.WriteStream;
  readonly sample: () => ProgressSample;
}

export interface Progress {
  /** Stops refreshing; prints the last state. */
  stop(): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const lagText = (lag: Readonly<Record<string, number>>) =>
  Object.entries(lag)
    .map(([shard, ms]) => `${shard.replace(/^shardId-0*(?=\d)/, 'shard-')} ${seconds(ms)}`)
    .join(' ');

/**
 * Records per second over the last samples (a sliding window of about 5 s). The window starts at
 * the meter's start, with `startCount`, so the first sample already has a rate: a run shorter than
 * one interval prints a real one too.
 */
function rateMeter(now: () => number, startCount: number) {
  const window: { at: number; count: number }[] = [{ at: now(), count: startCount }];
  return (count: number): number => {
    const at = now();
    window.push({ at, count });
    while (window.length > 2 && at - (window[0]?.at ?? at) > 5_000) window.shift();
    const first = window[0];
    return first && at > first.at
      ? Math.round(((count - first.count) * 1000) / (at - first.at))
      : 0;
  };
}

/**
 * Shows a long run's progress on stderr: records put and ingested, records per second, and the
 * lag (IteratorAge) of each shard; as a bar on a terminal, otherwise as a line every `intervalMs`
 * (10 s by default).
 * @example const progress = startProgress({ total: 1_000_000, sample: () => runtime.progress() });
 */
export function startProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const mode =
    options.mode === 'auto' || !options.mode ? (stream.isTTY ? 'bar' : 'lines') : options.mode;
  if (mode === 'off') return { stop: () => undefined };
  const first = options.sample();
  const rate = rateMeter(Date.now, first.ingested);
  const intervalMs = options.intervalMs ?? (mode === 'bar' ? 250 : 10_000);
  if (mode === 'lines') {
    const print = () => {
      const s = options.sample();
      const of = options.total ? `/${options.total}` : '';
      const put = s.produced === undefined ? '' : `put ${s.produced}${of}, `;
      stream.write(
        `[progress] ${put}ingested ${s.ingested}${of}, ${rate(s.ingested)} rec/s, lag ${lagText(s.lagMs)}\n`,
      );
    };
    const timer = setInterval(print, intervalMs);
    return {
      stop: () => {
        clearInterval(timer);
        print();
      },
    };
  }
  const bars = new MultiBar(
    {
      stream,
      format: '{label} [{bar}] {value}/{total} {rate} rec/s {extra}',
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  const total = options.total ?? 0;
  const produced: SingleBar | undefined =
    first.produced === undefined
      ? undefined
      : bars.create(total, 0, { label: 'put     ', rate: 0, extra: '' });
  const ingested = bars.create(total, 0, { label: 'ingested', rate: 0, extra: '' });
  const putRate = rateMeter(Date.now, first.produced ?? 0);
  const refresh = () => {
    const s = options.sample();
    if (produced && s.produced !== undefined)
      produced.update(s.produced, { rate: putRate(s.produced), extra: '' });
    ingested.update(s.ingested, { rate: rate(s.ingested), extra: `lag ${lagText(s.lagMs)}` });
  };
  const timer = setInterval(refresh, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      refresh();
      bars.stop();
    },
  };
}
