import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP endpoint that stands in for S3: it reads every request and answers 200, storing nothing. */
export interface Sink {
  readonly endpoint: string;
  readonly requests: () => number;
  readonly bytes: () => number;
  readonly close: () => Promise<void>;
}

export async function startSink(): Promise<Sink> {
  let requests = 0;
  let bytes = 0;
  const server: Server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    request.on('end', () => {
      requests += 1;
      response.writeHead(200, { ETag: '"bench"', 'Content-Length': '0' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => requests,
    bytes: () => bytes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
