import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { CertdeskEvent, Failure, Result } from '../../shared/contract/index.ts';
import { MAX_PEM } from '../api/fields.ts';
import { TRANSFER_LIMITS } from '../core/transfer/limits.ts';
import { rendererFileHeaders } from '../host/content-security.ts';
import { dispatch, type Handlers } from '../host/dispatch.ts';
import type { Dispatcher } from '../host/relay/host-side.ts';
import { resolveRendererFile } from '../host/renderer-files.ts';

/**
 * The largest request any channel's schema admits, and no more: `ca:import` with its two PEMs at
 * their limit, every character JSON-escaped at worst (`\u00XX`, 6 bytes), plus 64 KiB for every other
 * field. A larger body is refused before it is read whole.
 */
export const MAX_BODY_BYTES = 2 * MAX_PEM * 6 + 64 * 1024;

/**
 * The one channel whose input is larger: an uploaded transfer bundle, as base64, at the core's own
 * bound (its schema refuses more). Only an authorized request to that channel may send this much.
 */
export const MAX_BUNDLE_BODY_BYTES = Math.ceil(TRANSFER_LIMITS.bundleBytes / 3) * 4 + 64 * 1024;
const bodyLimit = (channel: string) => (channel === 'transfer:import' ? MAX_BUNDLE_BODY_BYTES : MAX_BODY_BYTES);

/** Open `/events` streams at once: a few tabs are plenty; more is a leak or an attack on memory. */
export const MAX_EVENT_LISTENERS = 8;

export type WebHostOptions = WebHostCommon & ({ handlers: Handlers; call?: undefined } | { call: Dispatcher; handlers?: undefined });

interface WebHostCommon {
  /** The built renderer (`out/renderer`). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed only in tests; a fresh 256-bit token per run otherwise. */
  token?: string;
  log?: (error: unknown) => void;
}

export interface WebHost {
  /** Open this in a browser: the token travels in the fragment, which is never sent to a server. */
  url: string;
  origin: string;
  port: number;
  token: string;
  broadcast(event: CertdeskEvent): void;
  close(): Promise<void>;
}

/**
 * Web mode: the built renderer and the same handlers as Electron's IPC, on 127.0.0.1 only.
 * Every API call needs the per-run token in an Authorization header (so it cannot ride on a
 * cross-site form or image), a Host naming this loopback port (so DNS rebinding gets nowhere), and
 * no foreign Origin. Static files carry no secret and need only the Host check.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  // The service in this thread (its handlers) or across the relay (a worker thread): one dispatch either way.
  const call: Dispatcher = options.call ?? ((channel, input) => dispatch(options.handlers, channel, input, options.log));
  const tokenBytes = Buffer.from(`Bearer ${token}`);
  const listeners = new Set<ServerResponse>();
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const authorized = (req: IncomingMessage) => {
    const header = Buffer.from(req.headers.authorization ?? '');
    return header.length === tokenBytes.length && timingSafeEqual(header, tokenBytes);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      (options.log ?? console.error)(error);
      if (!res.headersSent) sendResult(res, 500, failure({ code: 'INTERNAL', message: 'The web host failed to answer this request.' }));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (!allowedHosts().has(req.headers.host ?? '')) {
      return sendResult(
        res,
        421,
        failure({ code: 'FORBIDDEN', message: `This certdesk web host answers only to 127.0.0.1:${port}.`, field: 'host' }),
      );
    }
    const origin = req.headers.origin;
    if ((origin !== undefined && !allowedOrigins().has(origin)) || req.headers['sec-fetch-site'] === 'cross-site') {
      return sendResult(res, 403, failure({ code: 'FORBIDDEN', message: 'Requests from other origins are refused.', field: 'origin' }));
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const pathname = decodePath(url.pathname);
    if (pathname === undefined) {
      return sendResult(
        res,
        400,
        failure({ code: 'VALIDATION', message: 'The request path is not valid percent-encoding.', field: 'path' }),
      );
    }

    if (url.pathname.startsWith('/rpc/')) {
      if (req.method !== 'POST') return sendResult(res, 405, failure({ code: 'VALIDATION', message: 'Use POST for /rpc/<channel>.' }));
      if (!authorized(req))
        return sendResult(
          res,
          401,
          failure({
            code: 'FORBIDDEN',
            message: 'Missing or wrong access token. Open certdesk with the link printed at start-up.',
            field: 'token',
          }),
        );
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendResult(res, 415, failure({ code: 'VALIDATION', message: 'Send the input as application/json.' }));
      }
      const channel = pathname.slice('/rpc/'.length);
      const limit = bodyLimit(channel);
      const body = await readBody(req, limit);
      if (body === 'too-large') {
        return sendResult(
          res,
          413,
          failure({
            code: 'VALIDATION',
            message: `The request is larger than ${Math.floor(limit / 1024)} KiB, more than any certdesk request needs (a certificate, key or CSR is at most ${MAX_PEM / 1024} KiB); nothing was processed.`,
            field: 'input',
          }),
        );
      }
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        return sendResult(res, 400, failure({ code: 'VALIDATION', message: 'The request body is not valid JSON.', field: 'input' }));
      }
      return sendResult(res, 200, await call(channel, input));
    }

    if (url.pathname === '/events') {
      if (!authorized(req))
        return sendResult(res, 401, failure({ code: 'FORBIDDEN', message: 'Missing or wrong access token.', field: 'token' }));
      if (listeners.size >= MAX_EVENT_LISTENERS) {
        return sendResult(
          res,
          429,
          failure({
            code: 'CONFLICT',
            message: `${MAX_EVENT_LISTENERS} windows already follow certdesk's events; close one and reload this page.`,
            field: 'events',
          }),
        );
      }
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
      res.flushHeaders();
      listeners.add(res);
      req.on('close', () => listeners.delete(res));
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendResult(res, 405, failure({ code: 'VALIDATION', message: 'Only GET is served here.' }));
    await serveStatic(url.pathname, res);
  }

  /** `encodedPath` still percent-encoded: the shared resolver decodes it once and refuses what could leave the folder. */
  async function serveStatic(encodedPath: string, res: ServerResponse): Promise<void> {
    let found = await resolveRendererFile(options.staticDir, encodedPath);
    if (found.kind === 'refused') return sendResult(res, 404, failure({ code: 'NOT_FOUND', message: 'Not found.' }));
    // The renderer routes in the page: any other path gets index.html.
    if (found.kind === 'missing') found = await resolveRendererFile(options.staticDir, '/index.html');
    const content = found.kind === 'file' ? await readFile(found.path).catch(() => null) : null;
    if (found.kind !== 'file' || !content) {
      return sendResult(
        res,
        503,
        failure({
          code: 'NOT_FOUND',
          message: `The renderer is not built (${join(options.staticDir, 'index.html')} is missing). Run \`npm run build\` first.`,
        }),
      );
    }
    res.writeHead(200, rendererFileHeaders(found.path));
    res.end(content);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    broadcast(event) {
      const line = `${JSON.stringify(event)}\n`;
      for (const res of listeners) res.write(line);
    },
    close() {
      for (const res of listeners) res.end();
      listeners.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The path with its percent-escapes decoded, or undefined when they do not decode (`/%E0%A4%A`). */
function decodePath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}

function failure(error: Failure): Result<never> {
  return { ok: false, error };
}

function sendResult(res: ServerResponse, status: number, result: Result<unknown>): void {
  const body = JSON.stringify(result);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
