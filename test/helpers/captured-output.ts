import { vi } from 'vitest';

/** What a test captured: every JSON line, and the EMF metric documents among them. */
export interface CapturedOutput {
  readonly lines: () => Record<string, unknown>[];
  readonly emf: () => Record<string, unknown>[];
}

/**
 * Captures what a handler writes to stdout, stderr and `console.log` (Powertools logs and EMF
 * metrics) and parses its JSON lines.
 */
export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    chunks.push(`${args.map(String).join(' ')}\n`);
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, emf: () => lines().filter((doc) => '_aws' in doc) };
}
