import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
}

export interface HttpListener {
  url: string;
  requests: ReceivedRequest[];
  /** Resolves with the request numbered `n` (1-based) once it has arrived. */
  nth(n: number): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that records every request it gets, for the receiving end of
 * certdesk's outgoing calls (the expiry webhook). `answer` decides the reply; `hang` never replies.
 */
export async function startHttpListener(
  answer: (request: ReceivedRequest, response: ServerResponse) => void | 'hang' = (_r, response) => void response.writeHead(204).end(),
): Promise<HttpListener> {
  const requests: ReceivedRequest[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json };
      requests.push(received);
      for (const wake of waiters.splice(0)) wake();
      answer(received, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    nth: async (n) => {
      while (requests.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
      return requests[n - 1]!;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback URL on which nothing listens: a port taken, then released. */
export async function closedLoopbackUrl(): Promise<string> {
  const listener = await startHttpListener();
  await listener.close();
  return listener.url;
}
