/**
 * Snappy compressor benchmark: `npx tsx bench/snappy.ts` (not a timed test). Compares
 * shared/parquet/snappy.ts with hyparquet-writer's compressor on realistic Parquet page contents,
 * warm, interleaved, median of RUNS runs; each run compresses the input enough times to cover
 * about BYTES_PER_RUN bytes and the time reported is per call. Prints one JSON object; with
 * `--write DIR` it also writes each input and our compressed output there (for cross-checks with
 * an independent decoder).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snappyCompress as theirSnappyCompress } from 'hyparquet-writer/src/snappy.js';
import { maxCompressedLength, snappyCompress } from '../shared/parquet/snappy';
import { generator } from './lib/batch';

const RUNS = 15;
const WARMUP_CALLS = 30;
const BYTES_PER_RUN = 8 << 20;
const MB = 1 << 20;

type Compressor = (input: Uint8Array) => Uint8Array;

/** A PLAIN BYTE_ARRAY page: 4-byte little-endian length prefixes, then URL or hex-id bytes. */
function byteArrayPage(size: number, seed: number): Uint8Array {
  const random = generator(seed);
  const hex = (digits: number) =>
    Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');
  const hosts = ['shop.example.com', 'www.example.org', 'cdn.example.net', 'api.example.io'];
  const sections = ['products', 'category/shoes', 'search', 'cart', 'account/orders', 'blog'];
  const encoder = new TextEncoder();
  const page = new Uint8Array(size);
  const view = new DataView(page.buffer);
  let length = 0;
  for (let row = 0; length < size; row++) {
    const text =
      row % 2 === 0
        ? `https://${hosts[Math.floor(random() * hosts.length)]}/` +
          `${sections[Math.floor(random() * sections.length)]}/${Math.floor(random() * 100000)}` +
          (random() < 0.5 ? `?utm_source=newsletter&ref=${hex(8)}` : '')
        : `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    const bytes = encoder.encode(text);
    if (length + 4 + bytes.length > size) break;
    view.setUint32(length, bytes.length, true);
    page.set(bytes, length + 4);
    length += 4 + bytes.length;
  }
  return page.subarray(0, length);
}

/** PLAIN INT64 page of increasing microsecond timestamps, a few milliseconds apart. */
function timestampPage(size: number, seed: number): Uint8Array {
  const random = generator(seed);
  const page = new Uint8Array(size - (size % 8));
  const view = new DataView(page.buffer);
  let micros = 1_795_525_500_000_000n;
  for (let offset = 0; offset < page.length; offset += 8) {
    micros += BigInt(Math.floor(random() * 5000));
    view.setBigInt64(offset, micros, true);
  }
  return page;
}

/** PLAIN INT32 page of small non-negative counts. */
function int32Page(size: number, seed: number): Uint8Array {
  const random = generator(seed);
  const page = new Uint8Array(size - (size % 4));
  const view = new DataView(page.buffer);
  for (let offset = 0; offset < page.length; offset += 4) {
    view.setInt32(offset, Math.floor(random() ** 3 * 1000), true);
  }
  return page;
}

function randomBytes(size: number, seed: number): Uint8Array {
  const random = generator(seed);
  return Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
}

function repeatedPattern(size: number, pattern: string): Uint8Array {
  const bytes = new TextEncoder().encode(pattern);
  return Uint8Array.from({ length: size }, (_, i) => bytes[i % bytes.length] as number);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Milliseconds per call of `compress` over `calls` calls. */
function timeCalls(compress: Compressor, input: Uint8Array, calls: number): number {
  const started = performance.now();
  for (let i = 0; i < calls; i++) compress(input);
  return (performance.now() - started) / calls;
}

const inputs: Record<string, Uint8Array> = {
  'byte-array page 1 MB (URLs, hex ids)': byteArrayPage(MB, 1),
  'byte-array page 16 KB': byteArrayPage(16 << 10, 2),
  'int64 timestamps 400 KB': timestampPage(400 << 10, 3),
  'int32 counts 256 KB': int32Page(256 << 10, 4),
  'random bytes 1 MB': randomBytes(MB, 5),
  'repeated 7-byte pattern 1 MB': repeatedPattern(MB, 'abcdefg'),
  'byte-array page 4 MB': byteArrayPage(4 * MB, 6),
};

const scratch = new Uint8Array(maxCompressedLength(4 * MB));
const ours: Compressor = (input) => snappyCompress(input);
const oursWithScratch: Compressor = (input) => snappyCompress(input, scratch);
const compressors: Record<string, Compressor> = {
  ours,
  oursWithScratch,
  theirs: theirSnappyCompress,
};

const writeDir = process.argv.includes('--write')
  ? process.argv[process.argv.indexOf('--write') + 1]
  : undefined;
if (writeDir !== undefined) mkdirSync(writeDir, { recursive: true });

const results: Record<string, Record<string, number>> = {};
for (const [name, input] of Object.entries(inputs)) {
  const calls = Math.max(1, Math.round(BYTES_PER_RUN / input.length));
  for (const compress of Object.values(compressors)) timeCalls(compress, input, WARMUP_CALLS);
  const times: Record<string, number[]> = { ours: [], oursWithScratch: [], theirs: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const [label, compress] of Object.entries(compressors)) {
      times[label]?.push(timeCalls(compress, input, calls));
    }
  }
  const ourBytes = ours(input).length;
  const theirBytes = theirSnappyCompress(input).length;
  const ourMs = median(times.ours ?? []);
  const theirMs = median(times.theirs ?? []);
  const round = (value: number, digits: number) => Number(value.toFixed(digits));
  results[name] = {
    bytesIn: input.length,
    oursMs: round(ourMs, 4),
    oursRatio: round(ourBytes / input.length, 4),
    oursWithScratchMs: round(median(times.oursWithScratch ?? []), 4),
    theirsMs: round(theirMs, 4),
    theirsRatio: round(theirBytes / input.length, 4),
    speedRatioOursOverTheirs: round(ourMs / theirMs, 3),
  };
  if (writeDir !== undefined) {
    const file = name.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '');
    writeFileSync(join(writeDir, `${file}.raw`), input);
    writeFileSync(join(writeDir, `${file}.snappy`), ours(input));
  }
}

console.log(JSON.stringify(results, null, 2));
