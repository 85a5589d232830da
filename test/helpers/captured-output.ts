import { vi } from 'vitest';

/**
 * Captures what a handler writes to stdout and stderr (Powertools logs and EMF metrics) and
 * parses its JSON lines.
 */
export function captureOutput(): { lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
