/**
 * Issue 10, finding 2: anyone who could write `<dir>/running.json` made certdesk send a tenant's
 * token request, M2M secret included, as plain HTTP to a listener of their choice. Each test here
 * replays that with a real listener on 127.0.0.1, a forged record naming a live process, and the
 * token request certdesk makes ("Test connection"), and checks what reached whom.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { readRunning, SandboxHost, writeRunning } from '../../src/main/host/sandbox.ts';
import { HANDSHAKE_PATH } from '../../src/sandbox/index.ts';
import type { Failure, Result, TenantEnvironment } from '../../src/shared/contract/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

const SECRET = 'production-m2m-secret-that-must-never-leave';

interface Heard {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP listener on 127.0.0.1 that records everything it hears and answers like a token endpoint. */
async function attackerListener(): Promise<{ url: string; port: number; heard: Heard[] }> {
  const heard: Heard[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      heard.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      // It even answers the handshake, with a proof under a secret it made up.
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ proof: randomBytes(32).toString('hex'), access_token: 'x', token_type: 'Bearer', scope: '' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, heard };
}

/** What the attacker writes: a record naming a live process (this test's own) and the listener; a secret file as asked. */
function forge(dir: string, url: string, domain: string, options: { pid?: number; secretMode?: number; customDomains?: string[] } = {}) {
  const record = { pid: options.pid ?? process.pid, url, domain, startedAt: new Date().toISOString(), exe: readlinkSync('/proc/self/exe') };
  writeFileSync(join(dir, 'running.json'), JSON.stringify(record));
  writeFileSync(join(dir, 'running.key'), randomBytes(32).toString('hex'), { mode: options.secretMode ?? 0o600 });
  chmodSync(join(dir, 'running.key'), options.secretMode ?? 0o600);
  const customDomains = (options.customDomains ?? []).map((d) => ({ domain: d, status: 'ready', custom_domain_id: 'cd_x' }));
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ domain, custom_domains: customDomains }));
}

/**
 * certdesk as the hosts wire it: the service reaches Auth0 through SandboxHost's fetch, which reads
 * the service's tenants. `network` stands for the real network: it records each request and then
 * makes it, unchanged, with the global fetch.
 */
function certdesk(dir: string) {
  const network: string[] = [];
  const recordingNetwork: typeof fetch = (input, init) => {
    network.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
  const host = new SandboxHost(dir, { network: recordingNetwork });
  const { service } = openTestService({ fetch: host.fetch });
  host.readTenantsFrom(() => service.tenants.list());
  const handlers = createHandlers(service);
  const call = (channel: 'tenants:add' | 'tenants:test', input: object): Promise<Result<unknown>> =>
    dispatch(handlers, channel, input as never, () => {});
  const addTenant = async (
    environment: TenantEnvironment,
    domain: string,
    customDomain?: string,
    credentials = { clientId: 'm2m-client', clientSecret: SECRET },
  ) => {
    const added = await call('tenants:add', {
      name: `${environment} tenant`,
      environment,
      domain,
      ...(customDomain ? { customDomain } : {}),
      ...credentials,
    });
    expect(added.ok, JSON.stringify(added)).toBe(true);
    return `${environment} tenant`;
  };
  return { network, addTenant, fetch: host.fetch, test: (tenant: string) => call('tenants:test', { tenant }) };
}

function failure(result: Result<unknown>): Failure {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('the sandbox fetch does not take production traffic (issue 10, finding 2)', () => {
  it('replays the attack: a production tenant sends nothing to the forged sandbox, and stays on HTTPS', async () => {
    const dir = tempDir();
    const listener = await attackerListener();
    // The record claims the production tenant's domain, and its state "verifies" the production custom domain.
    forge(dir, listener.url, 'acme-prod.invalid', { customDomains: ['login.acme-prod.invalid'] });
    const app = certdesk(dir);
    const tenant = await app.addTenant('production', 'acme-prod.invalid', 'login.acme-prod.invalid');

    const error = failure(await app.test(tenant));

    expect(listener.heard, 'no request, no challenge, no secret reached the listener').toEqual([]);
    expect(app.network).toEqual(['https://acme-prod.invalid/oauth/token']);
    // The real network knows no .invalid name: the request failed there, over HTTPS, never rewritten.
    expect(error).toMatchObject({ code: 'AUTH0_UNREACHABLE', field: 'domain' });
    expect(error.message).not.toContain(SECRET);
  });

  it('a production tenant that names a .test domain is not sent to a sandbox either, not even a genuine one', async () => {
    const dir = tempDir();
    const sb = await startTestSandbox({ dir });
    writeRunning(dir, sb.sandbox);
    const app = certdesk(dir);
    const tenant = await app.addTenant('production', sb.sandbox.domain);

    const error = failure(await app.test(tenant));

    expect(sb.records, 'the sandbox heard nothing').toEqual([]);
    expect(app.network).toEqual([`https://${sb.sandbox.domain}/oauth/token`]);
    expect(error.code).toBe('AUTH0_UNREACHABLE');
  });

  it('a development tenant is not sent to a forged sandbox: wrong secret, readable secret file, foreign owner, wrong process', async () => {
    const domain = 'sandbox.certdesk.test';
    const cases: Array<{ name: string; forge: (dir: string, url: string) => void | Promise<void>; reason: RegExp; handshake: boolean }> = [
      {
        name: 'a secret the listener cannot prove',
        forge: (dir, url) => forge(dir, url, domain),
        reason: /did not prove it holds the sandbox's secret/,
        handshake: true,
      },
      {
        name: 'a secret file others can read',
        forge: (dir, url) => forge(dir, url, domain, { secretMode: 0o644 }),
        reason: /mode 644/,
        handshake: false,
      },
      {
        name: 'a secret file of another user',
        forge: (dir, url) => {
          forge(dir, url, domain);
          chownSync(join(dir, 'running.key'), 65534, 65534);
        },
        reason: /belongs to another user/,
        handshake: false,
      },
      {
        name: 'a live process of the same executable that does not listen there',
        forge: async (dir, url) => {
          const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
          onTestFinished(() => void idle.kill('SIGKILL'));
          await new Promise((resolve) => idle.once('spawn', resolve));
          forge(dir, url, domain, { pid: idle.pid });
        },
        reason: /does not listen on/,
        handshake: false,
      },
    ];
    for (const c of cases) {
      const dir = tempDir();
      const listener = await attackerListener();
      await c.forge(dir, listener.url);
      const app = certdesk(dir);
      const tenant = await app.addTenant('development', domain);

      const error = failure(await app.test(tenant));

      // The local checks already refuse all but the first; the first fails only at the handshake.
      expect(readRunning(dir) === null, c.name).toBe(!c.handshake);
      expect(error, c.name).toMatchObject({ code: 'FORBIDDEN', field: 'sandbox' });
      expect(error.message, c.name).toMatch(c.reason);
      expect(error.message, c.name).not.toContain(SECRET);
      expect(app.network, `${c.name}: nothing went to the network either`).toEqual([]);
      // At most the handshake: a random challenge, no credential; never the token request.
      expect(
        listener.heard.map((h) => `${h.method} ${h.url}`),
        c.name,
      ).toEqual(c.handshake ? [`POST ${HANDSHAKE_PATH}`] : []);
      for (const h of listener.heard) expect(h.body + JSON.stringify(h.headers), c.name).not.toContain(SECRET);
    }
  });

  it('a development tenant reaches a properly started sandbox of another process; its non-.test custom domain stays on the network', async () => {
    const dir = tempDir();
    const sb = await startTestSandbox({ dir });
    // The emulator "verifies" any custom domain: this one must still not be routed.
    sb.sandbox.admin.verifiedCustomDomain('login.acme-dev.invalid');
    writeRunning(dir, sb.sandbox);
    const app = certdesk(dir);
    const tenant = await app.addTenant('development', sb.sandbox.domain, 'login.acme-dev.invalid', sb.sandbox.managementClient);

    expect(await app.test(tenant)).toMatchObject({ ok: true, value: { ok: true } });
    expect(sb.records.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /oauth/token 200']);
    expect(app.network).toEqual([]);

    // The custom domain is a development tenant's, and "verified" by the sandbox, but not under .test.
    const discovery = 'https://login.acme-dev.invalid/.well-known/openid-configuration';
    await expect(app.fetch(discovery)).rejects.toThrow(/fetch failed/);
    expect(app.network).toEqual([discovery]);
    expect(sb.records).toHaveLength(1);

    // A second custom domain under .test that no tenant names belongs to the sandbox's (development) tenant ...
    sb.sandbox.admin.verifiedCustomDomain('login.second.test');
    expect((await app.fetch('https://login.second.test/.well-known/openid-configuration')).status).toBe(200);
    expect(sb.records).toHaveLength(2);
    // ... until a production tenant also names the sandbox's domain: then none of its domains is routed.
    await app.addTenant('production', sb.sandbox.domain);
    await expect(app.fetch('https://login.second.test/.well-known/openid-configuration')).rejects.toThrow(/fetch failed/);
    expect(sb.records).toHaveLength(2);
    expect(app.network.at(-1)).toBe('https://login.second.test/.well-known/openid-configuration');
  });
});
