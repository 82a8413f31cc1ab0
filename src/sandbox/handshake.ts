/**
 * How a process that found this sandbox through its folder proves it talks to the sandbox and not
 * to whoever wrote a file there: every start draws a secret (kept in a 0600 file beside
 * `running.json` by whoever records the start); the caller sends a random challenge to
 * HANDSHAKE_PATH and expects its HMAC under that secret back, before any request with credentials.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

export const HANDSHAKE_PATH = '/.certdesk-sandbox/handshake';
const CHALLENGE_BYTES = 32;
const MAX_BODY = 1024;

export function newHandshakeSecret(): string {
  return randomBytes(32).toString('hex');
}

/** The proof for `challenge` (hex) under `secret` (hex); the label keeps it from being an HMAC of anything else. */
export function handshakeProof(secret: string, challenge: string): string {
  return createHmac('sha256', Buffer.from(secret, 'hex')).update(`certdesk-sandbox-handshake\0${challenge}`).digest('hex');
}

/** The sandbox's side: answers `{ challenge }` with `{ proof }`. Nothing else about the sandbox is told. */
export function answerHandshake(req: IncomingMessage, res: ServerResponse, secret: string): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    let challenge: unknown;
    try {
      challenge = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { challenge?: unknown }).challenge;
    } catch {
      challenge = undefined;
    }
    if (req.method !== 'POST' || typeof challenge !== 'string' || !/^[0-9a-f]{64}$/.test(challenge)) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'a POST of {"challenge": 64 hex digits}' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ proof: handshakeProof(secret, challenge) }));
  });
}

/**
 * The caller's side: true when the server at `url` (a loopback http origin) proves it holds
 * `secret`. The challenge is fresh every time, so an answer seen once cannot be replayed; the
 * request carries no credential, so a listener that is not the sandbox learns nothing.
 */
export function proveSandbox(url: string, secret: string, timeoutMs = 5_000): Promise<boolean> {
  const challenge = randomBytes(CHALLENGE_BYTES).toString('hex');
  const expected = Buffer.from(handshakeProof(secret, challenge), 'hex');
  const target = new URL(HANDSHAKE_PATH, url);
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port, method: 'POST', path: target.pathname, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) res.destroy();
          else chunks.push(chunk);
        });
        res.on('error', () => resolve(false));
        res.on('end', () => {
          try {
            const proof = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { proof?: unknown }).proof;
            const given = typeof proof === 'string' && /^[0-9a-f]{64}$/.test(proof) ? Buffer.from(proof, 'hex') : null;
            resolve(res.statusCode === 200 && given !== null && timingSafeEqual(given, expected));
          } catch {
            resolve(false);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.setHeader('content-type', 'application/json');
    req.end(JSON.stringify({ challenge }));
  });
}
