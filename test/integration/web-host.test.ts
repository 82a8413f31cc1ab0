import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createHandlers } from '../../src/main/host/dispatch.ts';
import { startWebHost, type WebHost } from '../../src/main/web/host.ts';
import type { CertdeskEvent } from '../../src/shared/contract/index.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Raw HTTP, so Host and Origin can be set to what an attacker would send. */
function send(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function startHost(): Promise<{
  host: WebHost;
  rpc: (channel: string, input: unknown, headers?: Record<string, string>) => Promise<Reply>;
}> {
  const t = openTestService();
  const staticDir = tempDir();
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>certdesk</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  const ref: { host?: WebHost } = {};
  const emit = (e: CertdeskEvent) => ref.host?.broadcast(e);
  // Re-open the service with an emitter wired to this host.
  t.service.close();
  const { CertdeskService } = await import('../../src/main/core/service.ts');
  const service = CertdeskService.open({ dataDir: t.dataDir, secretStore: t.secretStore, mode: 'web', emit });
  const h = await startWebHost({ handlers: createHandlers(service), staticDir, log: () => {} });
  ref.host = h;
  onTestFinished(async () => {
    await h.close();
    service.close();
  });
  const rpc = (channel: string, input: unknown, headers: Record<string, string> = {}) =>
    send(h.port, {
      method: 'POST',
      path: `/rpc/${encodeURIComponent(channel)}`,
      headers: { Host: `127.0.0.1:${h.port}`, Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(input),
    });
  return { host: h, rpc };
}

describe('web host', () => {
  it('serves the handlers to a caller with the token', async () => {
    const { host, rpc } = await startHost();
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    const reply = await rpc('ca:list', {});
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, value: [] });
    const bad = await rpc('ca:create', { name: '' });
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'name' } });
  });

  it('refuses a missing or wrong token, a foreign Origin, a foreign Host, and a cross-site fetch', async () => {
    const { host, rpc } = await startHost();
    expect((await rpc('ca:list', {}, { Authorization: '' })).status).toBe(401);
    expect((await rpc('ca:list', {}, { Authorization: `Bearer ${host.token.slice(0, -1)}x` })).status).toBe(401);
    expect((await rpc('ca:list', {}, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await rpc('ca:list', {}, { Origin: `http://127.0.0.1:${host.port + 1}` })).status).toBe(403);
    expect((await rpc('ca:list', {}, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    // DNS rebinding: the attacker's name resolves to 127.0.0.1, but the Host header gives it away.
    expect((await rpc('ca:list', {}, { Host: `evil.example:${host.port}` })).status).toBe(421);
    expect((await send(host.port, { path: '/', headers: { Host: 'evil.example' } })).status).toBe(421);
    // The same-origin page is fine.
    expect((await rpc('ca:list', {}, { Origin: host.origin })).status).toBe(200);
  });

  it('answers malformed requests with a named error, never a crash', async () => {
    const { host, rpc } = await startHost();
    const headers = { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' };
    const notJson = await send(host.port, { method: 'POST', path: '/rpc/ca:list', headers, body: '{not json' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'input' } });
    const huge = await send(host.port, { method: 'POST', path: '/rpc/ca:list', headers, body: Buffer.alloc(17 * 1024 * 1024, 0x20) });
    expect(huge.status).toBe(413);
    expect(JSON.parse((await rpc('no:such', {})).body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    const wrongType = await send(host.port, {
      method: 'POST',
      path: '/rpc/ca:list',
      headers: { ...headers, 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(wrongType.status).toBe(415);
    // Still serving afterwards.
    expect((await rpc('ca:list', {})).status).toBe(200);
  });

  it('serves the renderer with a strict CSP, and never files outside it', async () => {
    const { host } = await startHost();
    const page = await send(host.port, { path: '/', headers: { Host: `127.0.0.1:${host.port}` } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-eval/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    const js = await send(host.port, { path: '/assets/app.js', headers: { Host: `localhost:${host.port}` } });
    expect(js.headers['content-type']).toMatch(/javascript/);
    const escape = await send(host.port, { path: '/../../../../etc/passwd', headers: { Host: `127.0.0.1:${host.port}` } });
    expect(escape.body).not.toMatch(/root:/);
    const encoded = await send(host.port, { path: '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', headers: { Host: `127.0.0.1:${host.port}` } });
    expect(encoded.body).not.toMatch(/root:/);
  });

  it('streams progress events to a caller with the token', async () => {
    const { host, rpc } = await startHost();
    const received: CertdeskEvent[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/events',
          headers: { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}` },
        },
        (res) => {
          expect(res.statusCode).toBe(200);
          let buffer = '';
          res.on('data', (d: Buffer) => {
            buffer += d.toString();
            let nl;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              received.push(JSON.parse(buffer.slice(0, nl)) as CertdeskEvent);
              buffer = buffer.slice(nl + 1);
              const last = received.at(-1);
              if (last?.type === 'progress' && last.step === last.total) {
                req.destroy();
                resolve();
              }
            }
          });
        },
      );
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(e)));
      req.end();
    });
    await new Promise((r) => setImmediate(r));
    const created = await rpc('ca:create', { name: 'Evented Root', progressId: 'web-1' });
    expect(JSON.parse(created.body).ok).toBe(true);
    await done;
    expect(received.map((e) => (e.type === 'progress' ? e.progressId : e.type))).toEqual(['web-1', 'web-1', 'web-1', 'web-1']);
    const unauth = await send(host.port, { path: '/events', headers: { Host: `127.0.0.1:${host.port}` } });
    expect(unauth.status).toBe(401);
  });
});
