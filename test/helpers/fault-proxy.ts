import {
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of the local S3 that injects faults into object writes, so that the
 * real handler, its real SDK client and the SDK's own retries meet them. Point a function at it
 * with `AWS_ENDPOINT_URL_S3` (path-style requests: `/<bucket>/<key>`).
 *
 * - `throttle`: answers 503 SlowDown without storing (S3 throttling);
 * - `timeout`: stores the object, then drops the connection without an answer: what a client
 *   sees when S3 committed the write but the response timed out;
 * - `refuse`: drops the connection before storing (a network fault).
 */

export type S3FaultKind = 'throttle' | 'timeout' | 'refuse';

/** Fail the next `times` object writes whose key starts with `keyPrefix`. */
export interface S3Fault {
  readonly keyPrefix: string;
  readonly kind: S3FaultKind;
  times: number;
}

/** A gate that lets `allowed` more matching writes through, then refuses the rest until released. */
interface Cut {
  readonly matches: (key: string) => boolean;
  allowed: number;
}

export interface FaultProxyStats {
  writes: number;
  throttled: number;
  timedOut: number;
  refused: number;
}

const SLOW_DOWN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>' +
  '<Message>Please reduce your request rate.</Message><RequestId>FAULTPROXY</RequestId></Error>';

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The object key of a path-style PutObject, or undefined for any other request. */
function putObjectKey(req: IncomingMessage): string | undefined {
  if (req.method !== 'PUT') return undefined;
  const url = new URL(req.url ?? '/', 'http://proxy');
  if ([...url.searchParams.keys()].some((k) => k !== 'x-id')) return undefined;
  const [, , ...key] = url.pathname.split('/');
  return key.length ? decodeURIComponent(key.join('/')) : undefined;
}

export class S3FaultProxy {
  readonly faults: S3Fault[] = [];
  readonly stats: FaultProxyStats = { writes: 0, throttled: 0, timedOut: 0, refused: 0 };
  private readonly cuts = new Set<Cut>();

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
  ) {}

  /** Starts the proxy on a free loopback port in front of `target` (the local AWS endpoint). */
  static async start(target: string): Promise<S3FaultProxy> {
    let proxy: S3FaultProxy | undefined;
    const server = createServer((req, res) => {
      void proxy?.handle(req, res);
    });
    proxy = new S3FaultProxy(server, new URL(target));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return proxy;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Removes every fault and gate. */
  clear(): void {
    this.faults.length = 0;
    this.cuts.clear();
  }

  /**
   * After `allowed` more successful writes whose key `matches`, refuses every further matching
   * write until `release()` (a process that died after writing some objects).
   */
  cutAfter(matches: (key: string) => boolean, allowed: number): { release: () => void } {
    const cut: Cut = { matches, allowed };
    this.cuts.add(cut);
    return { release: () => this.cuts.delete(cut) };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await bodyOf(req);
    const key = putObjectKey(req);
    if (key !== undefined) {
      this.stats.writes += 1;
      const cut = [...this.cuts].find((c) => c.matches(key));
      if (cut && cut.allowed <= 0) {
        this.stats.refused += 1;
        req.socket.destroy();
        return;
      }
      const fault = this.faults.find((f) => f.times > 0 && key.startsWith(f.keyPrefix));
      if (fault) {
        fault.times -= 1;
        if (fault.kind === 'throttle') {
          this.stats.throttled += 1;
          res.writeHead(503, { 'content-type': 'application/xml' }).end(SLOW_DOWN);
          return;
        }
        if (fault.kind === 'refuse') {
          this.stats.refused += 1;
          req.socket.destroy();
          return;
        }
      }
      const stored = await this.forward(req, body, res, fault?.kind === 'timeout');
      if (cut && stored) cut.allowed -= 1;
      if (fault?.kind === 'timeout') this.stats.timedOut += 1;
      return;
    }
    await this.forward(req, body, res, false);
  }

  /** Sends the request on to the local S3; relays the answer, or drops it (`swallow`). */
  private forward(
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
    swallow: boolean,
  ): Promise<boolean> {
    return new Promise((done) => {
      const headers = { ...req.headers, host: this.target.host };
      delete headers.expect;
      const upstream = request(
        {
          host: this.target.hostname,
          port: this.target.port,
          method: req.method,
          path: req.url,
          headers,
        },
        (answer) => {
          const ok = (answer.statusCode ?? 500) < 300;
          if (swallow) {
            answer.resume();
            answer.on('end', () => {
              req.socket.destroy();
              done(ok);
            });
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => done(ok));
        },
      );
      upstream.on('error', () => {
        req.socket.destroy();
        done(false);
      });
      upstream.end(body);
    });
  }
}
