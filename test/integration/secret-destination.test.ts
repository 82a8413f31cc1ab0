/**
 * Issue 10, finding 5, for the last two channels that wrote a secret where their caller said:
 * `diagnostics:files` (the flight check's files, the client's key among them) and
 * `auth0:custom-domain` (the cname-api-key include). Each test replays the attack through the real
 * loopback web host, with its token, and proves it refused by name with nothing changed: no file or
 * folder made, an existing file untouched, no audit entry, no request to Auth0.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import { createHandlers } from '../../src/main/host/dispatch.ts';
import { startWebHost } from '../../src/main/web/host.ts';
import type { CustomDomainSetup, DiagnosticFilesResult, Result } from '../../src/shared/contract/index.ts';
import { bindingsRig, PAYMENTS_API, type BindingsRig } from '../support/bindings-rig.ts';
import { openssl } from '../support/openssl.ts';
import { tempDir } from '../support/temp.ts';

const PASS = 'flight check files 2026';

/** POST /rpc/<channel> on a real web host, with the token, as the page (or a page's attacker) would. */
async function webHost(rig: BindingsRig) {
  const staticDir = tempDir();
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>certdesk</title>');
  const host = await startWebHost({ handlers: createHandlers(rig.t.service), staticDir, log: () => {} });
  onTestFinished(() => host.close());
  return <T>(channel: string, input: unknown) =>
    new Promise<Result<T>>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path: `/rpc/${channel}`,
          headers: { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
        },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve(JSON.parse(body) as Result<T>));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(input));
    });
}

/** A folder with a victim file in it, and the checks that nothing there changed. */
function victimFolder(name: string) {
  const root = tempDir();
  const victim = join(root, name);
  writeFileSync(victim, 'the original\n');
  return {
    root,
    victim,
    untouched: () => {
      expect(existsSync(join(root, 'evil'))).toBe(false);
      expect(readdirSync(root)).toEqual([name]);
      expect(readFileSync(victim, 'utf8')).toBe('the original\n');
    },
  };
}

describe('diagnostics:files refuses a folder from its caller', () => {
  it('web host: a dir under missing folders or holding files is refused, nothing written; without one the files come back', async () => {
    const rig = await bindingsRig();
    const cert = await rig.issue('flight-client');
    const rpc = await webHost(rig);
    const audited = () => rig.t.service.audit.list(0, 1000).total;
    const { root, untouched } = victimFolder('client-key.pem');
    const input = { tenant: rig.tenant, clientId: rig.appId, cert: cert.id, audience: PAYMENTS_API, passphrase: PASS };
    const before = audited();

    for (const dir of [join(root, 'evil', 'dir'), root]) {
      const reply = await rpc('diagnostics:files', { ...input, dir });
      expect(reply, dir).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'dir' } });
    }
    untouched();
    expect(audited()).toBe(before);

    // The same request without dir: the files, for the browser to download; still nothing on the host's disk.
    const dataBefore = readdirSync(rig.t.dataDir).sort();
    const reply = await rpc<DiagnosticFilesResult>('diagnostics:files', input);
    if (!reply.ok) throw new Error(reply.error.message);
    expect(reply.value.dir).toBeUndefined();
    const contents = new Map(reply.value.contents!.map((f) => [f.name, f]));
    expect([...contents.keys()].sort()).toEqual(reply.value.files.slice().sort());
    expect(contents.get('client-key.pem')?.containsKey).toBe(true);
    expect(contents.get('client.pem')?.containsKey).toBe(false);
    const downloads = tempDir();
    for (const f of contents.values()) writeFileSync(join(downloads, f.name), Buffer.from(f.contentBase64, 'base64'));
    expect(readFileSync(join(downloads, 'client-key.pem'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const keyPublic = openssl(['pkey', '-in', join(downloads, 'client-key.pem'), '-passin', `pass:${PASS}`, '-pubout']);
    expect(keyPublic.status, keyPublic.output).toBe(0);
    expect(keyPublic.stdout).toBe(openssl(['x509', '-in', join(downloads, 'client.pem'), '-noout', '-pubkey']).stdout);
    untouched();
    expect(readdirSync(rig.t.dataDir).sort()).toEqual(dataBefore);
    expect(audited()).toBe(before + 1);
  });
});

describe('auth0:custom-domain refuses a key file from its caller', () => {
  it('web host: a keyFile under missing folders or onto an existing file is refused before Auth0 is asked; without one the include comes back once', async () => {
    const rig = await bindingsRig();
    const rpc = await webHost(rig);
    const audited = () => rig.t.service.audit.list(0, 1000).total;
    const { root, untouched } = victimFolder('cname.conf');
    const before = audited();
    rig.mark();

    for (const keyFile of [join(root, 'evil', 'dir', 'cname.conf'), join(root, 'cname.conf')]) {
      const reply = await rpc('auth0:custom-domain', { tenant: rig.tenant, domain: 'login.example.com', keyFile });
      expect(reply, keyFile).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'keyFile' } });
    }
    untouched();
    expect(rig.managementCalls()).toEqual([]);
    expect(rig.sb.sandbox.state().custom_domains).toEqual([]);
    expect(audited()).toBe(before);

    const dataBefore = readdirSync(rig.t.dataDir).sort();
    const reply = await rpc<CustomDomainSetup>('auth0:custom-domain', { tenant: rig.tenant, domain: 'login.example.com' });
    if (!reply.ok) throw new Error(reply.error.message);
    const key = rig.sb.sandbox.state().custom_domains[0]!.cname_api_key!;
    expect(reply.value).toMatchObject({ status: 'ready', keyFile: null, keyWritten: false });
    expect(reply.value.keyInclude?.content).toBe(`proxy_set_header cname-api-key "${key}";\n`);
    untouched();
    expect(readdirSync(rig.t.dataDir).sort()).toEqual(dataBefore);
    const db = join(rig.t.dataDir, DATABASE_FILE);
    const stored = Buffer.concat([db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    expect(stored.includes(Buffer.from(key)), 'the key is not in SQLite').toBe(false);
    expect(JSON.stringify(rig.t.service.audit.list(0, 1000))).not.toContain(key);
    expect(audited()).toBe(before + 1);
  });
});
