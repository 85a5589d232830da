import { spawnSync } from 'node:child_process';

/** Runs a script with the project's Python (the venv) and parses the last JSON line it printed. */
export function runPythonJson<T>(args: readonly string[]): T {
  const result = spawnSync('.venv/bin/python', args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`python ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null') as T;
}
