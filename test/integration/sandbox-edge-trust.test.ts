/**
 * The sandbox's edge trusts certdesk's own CAs: started from the app (in process) it follows new
 * CRLs, so a revocation in certdesk is refused there; started with `certdesk sandbox start`, it
 * takes the CAs and CRLs of the data folder it is given.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { rotationStep, type Result, type SandboxStatus } from '../../src/shared/contract/index.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { SandboxHost } from '../../src/main/host/sandbox.ts';
import { runCertdesk } from '../support/cli.ts';
import { KEY_ARGS, opensslCsr, withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';
import { tlsPost } from '../support/tls-post.ts';

const bin = fileURLToPath(new URL('../../bin/certdesk.js', import.meta.url));

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** A token request through the edge with this client certificate: the answer, or how the edge refused. */
async function throughEdge(
  edgeUrl: string,
  edgeCaPem: string,
  client: { cert: string; key: string },
): Promise<{ status: number; body: unknown } | { refused: string }> {
  const url = new URL(edgeUrl);
  return tlsPost({
    host: url.hostname,
    port: url.port,
    path: '/oauth/token',
    ca: edgeCaPem,
    ...client,
    form: { grant_type: 'client_credentials', client_id: 'not-registered' },
  }).catch((error: Error) => ({ refused: error.message }));
}

describe('the sandbox edge trusts certdesk', () => {
  it('started from the app, it trusts both CAs and refuses a certificate as soon as certdesk revokes it', async () => {
    const t = await withIssuingCa();
    const host = new SandboxHost(tempDir());
    onTestFinished(async () => {
      await host.stop();
    });
    const handlers = createHandlers(t.service, { sandbox: host });
    const status = value<SandboxStatus>(await dispatch(handlers, 'sandbox:start', {}));
    expect(status.edgeUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const saved = readFileSync(join(host.dir, 'edge', 'ca-bundle.pem'), 'utf8');
    expect(saved.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const edgeCaPem = status.edgeCaPem!;
    expect(edgeCaPem).toContain('BEGIN CERTIFICATE');

    const csr = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=edge-trust-client');
    const issued = await t.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr: csr.csr, useCsrSubject: true } });
    const client = { cert: issued.pem, key: readFileSync(csr.keyPath, 'utf8') };
    // Through the edge to the emulator: Auth0's own answer (this certificate is bound to no application).
    expect(await throughEdge(status.edgeUrl!, edgeCaPem, client)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });

    const refreshed = host.nextTrustRefresh();
    value(await dispatch(handlers, 'certs:revoke', { cert: issued.id, reason: 'keyCompromise' }));
    await refreshed;
    const refused = await throughEdge(status.edgeUrl!, edgeCaPem, client);
    expect(refused).toMatchObject({ status: 400 });
    expect(String((refused as { body: unknown }).body)).toContain('<title>400 The SSL certificate error</title>');
    // What the edge now holds is saved for the next start: both CAs, and a CRL of each.
    const trust = value<{ authorities: string[]; crlPems: string[] }>(await dispatch(handlers, 'edge:trust', {}));
    expect(trust.authorities).toEqual(['Test Root', 'Test Issuing']);
    expect(readFileSync(join(host.dir, 'edge', 'crl-1.pem'), 'utf8')).toBe(trust.crlPems[1]);
  });

  it('certdesk sandbox start: no edge while the data folder holds no CA; with CAs, an edge that trusts them', async () => {
    const env = { CERTDESK_DATA_DIR: tempDir() };
    const start = async (dir: string) => {
      const child = spawn(process.execPath, [bin, 'sandbox', 'start', '--dir', dir], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      onTestFinished(() => {
        if (child.exitCode === null) child.kill('SIGKILL');
      });
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      return {
        started: JSON.parse(line) as { edgeUrl: string | null; edgeServerCaPem: string | null },
        stop: async () => (child.kill('SIGTERM'), exited),
      };
    };

    const bare = await start(tempDir());
    expect(bare.started.edgeUrl).toBeNull();
    expect(await bare.stop()).toBe(0);

    expect((await runCertdesk(['--json', 'ca', 'create', '--name', 'CLI Root'], env)).code).toBe(0);
    expect((await runCertdesk(['--json', 'ca', 'create', '--name', 'CLI Issuing', '--parent', 'CLI Root'], env)).code).toBe(0);
    const dir = tempDir();
    const withCas = await start(dir);
    expect(withCas.started.edgeUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await runCertdesk(['--json', 'sandbox', 'status', '--dir', dir])).json).toMatchObject({
      running: true,
      edgeUrl: withCas.started.edgeUrl,
    });
    expect(readFileSync(join(dir, 'edge', 'ca-bundle.pem'), 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);

    // A client of the CLI's issuing CA reaches the emulator through that edge.
    const csr = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=cli-edge-client');
    const csrFile = join(tempDir(), 'client.csr');
    writeFileSync(csrFile, csr.csr);
    const issued = await runCertdesk(['--json', 'sign', '--ca', 'CLI Issuing', '--csr', csrFile, '--use-csr-subject'], env);
    expect(issued.code, issued.stdout + issued.stderr).toBe(0);
    const client = { cert: (issued.json as { pem: string }).pem, key: readFileSync(csr.keyPath, 'utf8') };
    expect(await throughEdge(withCas.started.edgeUrl!, withCas.started.edgeServerCaPem!, client)).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect(await withCas.stop()).toBe(0);
  });

  it('certdesk sandbox start with a locked vault: the emulator still starts (no edge trust this time) and says why', async () => {
    const env = { CERTDESK_DATA_DIR: tempDir(), CERTDESK_PASSPHRASE: 'a long vault passphrase 2026' };
    expect((await runCertdesk(['--json', 'vault', 'init', '--protection', 'passphrase'], env)).code).toBe(0);
    expect((await runCertdesk(['--json', 'ca', 'create', '--name', 'Locked Root'], env)).code).toBe(0);
    const child = spawn(process.execPath, [bin, 'sandbox', 'start', '--dir', tempDir()], {
      env: { ...process.env, CERTDESK_DATA_DIR: env.CERTDESK_DATA_DIR, CERTDESK_PASSPHRASE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const started = JSON.parse(line) as { url: string; edgeUrl: string | null };
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.edgeUrl).toBeNull();
    expect(stderr).toMatch(/the sandbox edge does not take certdesk's CAs this time: .*passphrase/i);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('started from the app, the sandbox tenant is ready for the flight check and a verified rotation, with nothing to set up', async () => {
    // As the app wires it: the service reaches Auth0 through the sandbox host's fetch, which reads the service's tenants.
    const host = new SandboxHost(tempDir());
    const t = await withIssuingCa({ fetch: host.fetch });
    host.readTenantsFrom(() => t.service.tenants.list());
    onTestFinished(async () => {
      await host.stop();
    });
    const handlers = createHandlers(t.service, { sandbox: host });
    const status = value<SandboxStatus>(await dispatch(handlers, 'sandbox:start', {}));
    const tenant = t.service.tenants.get('Sandbox');
    expect(tenant.customDomain).toBe(`auth.${status.domain}`);
    expect(tenant.diagnostics).toEqual({
      edgeAddress: new URL(status.edgeUrl!).host,
      edgeCaPem: status.edgeCaPem,
      audience: `https://api.${status.domain}/`,
    });

    // A managed certificate bound to the demo application, with PoP on it and on the demo API.
    const issued = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'quick-start' }, source: { kind: 'generated' } });
    const demo = value<Array<{ clientId: string; name: string | null }>>(
      await dispatch(handlers, 'auth0:clients', { tenant: 'Sandbox' }),
    ).find((c) => c.name === 'Demo mTLS client')!;
    value(
      await dispatch(handlers, 'bindings:create', {
        cert: issued.id,
        tenant: 'Sandbox',
        clientId: demo.clientId,
        api: `https://api.${status.domain}/`,
        pop: true,
        endpointAliases: true,
      }),
    );
    expect(value<{ outcome: string }>(await dispatch(handlers, 'auth0:apply', { tenant: 'Sandbox' })).outcome).toBe('applied');

    const report = value<{ ok: boolean; stages: Array<{ id: string; status: string; code?: string }> }>(
      await dispatch(handlers, 'diagnostics:run', { tenant: 'Sandbox', clientId: demo.clientId }),
    );
    expect(report.stages.map((s) => `${s.id} ${s.status}`)).toEqual([
      'discovery pass',
      'edge-handshake pass',
      'token pass',
      'signature pass',
      'binding pass',
      'reject-no-cert pass',
      'reject-foreign-cert pass',
      'resource-server skip',
    ]);

    // One-click rotation with verification through the sandbox edge; the revocation reaches the edge by itself.
    const refreshed = host.nextTrustRefresh();
    const job = value<{ state: string; journal: Array<{ step: number; phase: string; detail: string }> }>(
      await dispatch(handlers, 'rotation:start', { cert: issued.id, overlapSeconds: 0 }),
    );
    expect(job.state).toBe('done');
    expect(job.journal.find((e) => e.step === rotationStep('verify') && e.phase === 'end')?.detail).toMatch(/token bound to x5t#S256/);
    await refreshed;
    const after = value<{ stages: Array<{ id: string; status: string }> }>(
      await dispatch(handlers, 'diagnostics:run', { tenant: 'Sandbox', clientId: demo.clientId, cert: issued.id }),
    );
    expect(after.stages.find((s) => s.id === 'token')).toMatchObject({ status: 'fail', code: 'CERT_REVOKED' });

    // A restart moves the edge to another port: the settings, still certdesk's, follow it.
    value(await dispatch(handlers, 'sandbox:stop', {}));
    const again = value<SandboxStatus>(await dispatch(handlers, 'sandbox:start', {}));
    expect(t.service.tenants.get('Sandbox').diagnostics).toMatchObject({
      edgeAddress: new URL(again.edgeUrl!).host,
      edgeCaPem: again.edgeCaPem,
    });
  });
});
