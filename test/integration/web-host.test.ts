import { spawn } from 'node:child_process';
import { type ClientRequest, type IncomingMessage, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/main/host/content-security.ts';
import { createHandlers } from '../../src/main/host/dispatch.ts';
import { MAX_BODY_BYTES, MAX_BUNDLE_BODY_BYTES, MAX_EVENT_LISTENERS, startWebHost, type WebHost } from '../../src/main/web/host.ts';
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

async function startHost(log: (error: unknown) => void = () => {}): Promise<{
  host: WebHost;
  staticDir: string;
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
  const h = await startWebHost({ handlers: createHandlers(service), staticDir, log });
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
  return { host: h, staticDir, rpc };
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

  it('sends the shared CSP with every renderer file, and refuses a link or an escape out of the renderer folder', async () => {
    const { host, staticDir } = await startHost();
    const secret = join(tempDir(), 'secret.txt');
    writeFileSync(secret, 'root:x:0:0');
    symlinkSync(secret, join(staticDir, 'assets', 'leak.js'));
    const get = (path: string) => send(host.port, { path, headers: { Host: `127.0.0.1:${host.port}` } });
    for (const path of ['/', '/index.html', '/assets/app.js', '/some/route']) {
      const reply = await get(path);
      expect(reply.status, path).toBe(200);
      expect(reply.headers['content-security-policy'], path).toBe(CONTENT_SECURITY_POLICY);
      expect(reply.headers['x-content-type-options'], path).toBe('nosniff');
    }
    for (const path of ['/assets/leak.js', '/assets/..%2f..%2fsecret.txt', '/index.html%00.js', '/..%5c..%5csecret.txt']) {
      const reply = await get(path);
      expect(reply.status, path).toBe(404);
      expect(reply.body, path).not.toMatch(/root:/);
    }
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
    // The first CA of a new store sets up key protection (the keychain, by default): every window hears of it first.
    expect(received.map((e) => (e.type === 'progress' ? e.progressId : e.type))).toEqual(['vault', 'web-1', 'web-1', 'web-1', 'web-1']);
    expect(received[0]).toMatchObject({ type: 'vault', change: 'setup', vault: { protection: 'keychain', state: 'ready' } });
    const unauth = await send(host.port, { path: '/events', headers: { Host: `127.0.0.1:${host.port}` } });
    expect(unauth.status).toBe(401);
  });

  it('takes the largest request a schema admits, and refuses one byte more unread', async () => {
    const logged: unknown[] = [];
    const { host, rpc } = await startHost((error) => logged.push(error));
    // ca:import with both PEMs at their limit, every character escaped to six bytes by JSON.
    const worst = '\u0001'.repeat(64 * 1024);
    const largest = await rpc('ca:import', { certPem: worst, keyPem: worst, keyPassphrase: 'p'.repeat(1024), name: 'n'.repeat(64) });
    // Read whole and handed to the channel, which finds no certificate in it.
    expect(largest.status).toBe(200);
    expect(JSON.parse(largest.body)).toMatchObject({ ok: false, error: { code: 'PEM_INVALID' } });
    const headers = { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' };
    const over = await send(host.port, { method: 'POST', path: '/rpc/ca:create', headers, body: Buffer.alloc(MAX_BODY_BYTES + 1, 0x20) });
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'input' } });
    expect(JSON.parse((await rpc('ca:list', {})).body)).toEqual({ ok: true, value: [] });
    expect(logged).toEqual([]);
  });

  it('admits a bundle-sized body for transfer:import only, and refuses one byte more there unread', async () => {
    const { host } = await startHost();
    const headers = { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' };
    const body = Buffer.from(JSON.stringify({ contentBase64: 'A'.repeat(MAX_BODY_BYTES + 4) }));
    // Read whole and handed to the channel, which refuses a standalone folder by its role.
    const bundle = await send(host.port, { method: 'POST', path: '/rpc/transfer:import', headers, body });
    expect(bundle.status).toBe(200);
    expect(JSON.parse(bundle.body)).toMatchObject({ ok: false, error: { code: 'TRANSFER_ROLE' } });
    // The same body to any other channel is refused unread.
    const other = await send(host.port, { method: 'POST', path: '/rpc/transfer:pair-inspect', headers, body });
    expect(other.status).toBe(413);
    const over = await send(host.port, {
      method: 'POST',
      path: '/rpc/transfer:import',
      headers,
      body: Buffer.alloc(MAX_BUNDLE_BODY_BYTES + 1, 0x20),
    });
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'input' } });
  });

  it('answers a path that is not valid percent-encoding with 400, and logs no stack', async () => {
    const logged: unknown[] = [];
    const { host } = await startHost((error) => logged.push(error));
    const headers = { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' };
    for (const path of ['/%E0%A4%A', '/rpc/%E0%A4%A', '/assets/%ZZ.js']) {
      const reply = await send(host.port, { method: path.startsWith('/rpc/') ? 'POST' : 'GET', path, headers, body: '{}' });
      expect(reply.status, path).toBe(400);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'path' } });
    }
    expect(logged).toEqual([]);
  });

  it(`follows at most ${MAX_EVENT_LISTENERS} event streams at once, and takes a new one when one closes`, async () => {
    const { host } = await startHost();
    const open = (): Promise<{ req: ClientRequest; res: IncomingMessage }> =>
      new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: host.port,
            path: '/events',
            agent: false,
            headers: { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}` },
          },
          (res) => resolve({ req, res }),
        );
        req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
        req.end();
      });
    const streams: Array<{ req: ClientRequest; res: IncomingMessage }> = [];
    for (let i = 0; i < MAX_EVENT_LISTENERS; i++) streams.push(await open());
    expect(streams.map((s) => s.res.statusCode)).toEqual(Array(MAX_EVENT_LISTENERS).fill(200));
    const refused = await open();
    expect(refused.res.statusCode).toBe(429);
    refused.res.resume();
    const closed = new Promise((resolve) => streams[0]!.res.once('close', resolve));
    streams[0]!.req.destroy();
    await closed;
    // The host sees the close on its own schedule: ask until a place is free (bounded).
    let again = await open();
    for (let tries = 0; again.res.statusCode !== 200 && tries < 50; tries++) {
      again.res.resume();
      await new Promise((r) => setTimeout(r, 20));
      again = await open();
    }
    expect(again.res.statusCode).toBe(200);
    for (const s of [...streams.slice(1), again]) s.req.destroy();
  });

  it('prints the link with its access token once, on standard output only', async () => {
    const dataDir = tempDir();
    const staticDir = tempDir();
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>certdesk</title>');
    const main = fileURLToPath(new URL('../../src/main/web/main.ts', import.meta.url));
    const child = spawn(process.execPath, [main, '--data-dir', dataDir, '--port', '0', '--static', staticDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CERTDESK_SANDBOX_DIR: join(dataDir, 'sandbox') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const { url } = JSON.parse(first) as { url: string };
    const token = new URL(url).hash.replace('#token=', '');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await new Promise((r) => setTimeout(r, 200));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    expect(stdout.split(token).length - 1).toBe(1);
    expect(stderr).toMatch(/certdesk web mode on http:\/\/127\.0\.0\.1:\d+/);
    expect(stderr).not.toContain(token);
  });
});
