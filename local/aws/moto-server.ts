import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** moto settings a faithful local run needs: Step Functions really runs machines; no Docker. */
const MOTO_CONFIG = {
  stepfunctions: { execute_state_machine: true },
  lambda: { use_docker: false },
};

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Asks the kernel for a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/**
 * The launcher that patches moto's Kinesis (O(1) sequence numbers, GetRecords by key lookup,
 * a lock per shard for PutRecord) and then runs moto server; see its docstring.
 */
export function motoLauncher(projectDir = process.cwd()): { python: string; script: string } {
  const python = resolve(projectDir, '.venv/bin/python');
  if (!existsSync(python)) throw new Error(`${python} is missing: run "make deps" first`);
  const script = resolve(projectDir, 'local/aws/moto_server.py');
  if (!existsSync(script)) throw new Error(`${script} is missing`);
  return { python, script };
}

async function waitUntilHealthy(endpoint: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`moto did not answer on ${endpoint} within ${timeoutMs} ms`);
}

/** Applies the settings in MOTO_CONFIG; needed after every reset. */
export async function configureMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    body: JSON.stringify(MOTO_CONFIG),
  });
  if (!response.ok) throw new Error(`moto config failed: HTTP ${response.status}`);
}

/** Wipes every resource in the local AWS and re-applies the settings. */
export async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
  await configureMoto(endpoint);
}

/**
 * Starts moto server on 127.0.0.1 on a free port, waits until it answers, configures it, and
 * stops it when this process exits.
 */
export async function startMoto(
  options: { port?: number; quiet?: boolean; detached?: boolean } = {},
): Promise<MotoServer> {
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  const { python, script } = motoLauncher();
  const child = spawn(python, [script, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: options.quiet === false ? 'inherit' : 'ignore',
    detached: options.detached ?? false,
  });
  const stop = async () => {
    if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
  };
  if (!options.detached) process.once('exit', () => void stop());
  else child.unref();
  await waitUntilHealthy(endpoint, child, 30_000);
  await configureMoto(endpoint);
  return { endpoint, port, pid: child.pid ?? 0, stop };
}
