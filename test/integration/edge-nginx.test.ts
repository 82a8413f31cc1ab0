import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildEdgeBundle, writeEdgeBundle } from '../../src/main/core/edge/edge-bundle.ts';
import type { EdgeSettings } from '../../src/main/core/edge/nginx-config.ts';
import { openssl } from '../support/openssl.ts';
import { freePort, startNginx } from '../support/nginx.ts';
import { KEY_ARGS, opensslCsr, withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';
import { tlsPost } from '../support/tls-post.ts';
import { edgeSettings } from '../support/edge-settings.ts';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

/** The upstream stands in for Auth0's origin and records what the edge forwarded. */
async function upstream(): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as { port: number }).port, seen };
}

/** The edge's answer, or the connection error (so a hang-up shows in the assertion). */
const call = (port: number, path: string, tls: { ca: string; cert?: string; key?: string }) =>
  tlsPost({ host: '127.0.0.1', port, path, servername: 'auth.example.test', form: { grant_type: 'client_credentials' }, ...tls }).catch(
    (error: Error) => ({ error: error.message }),
  );

describe('edge bundle in front of real nginx', () => {
  it('admits our client certificates only, forwards the Auth0 headers, and refuses a revoked one after republishing', async () => {
    const t = await withIssuingCa();
    const work = tempDir();
    // The edge's own server certificate (CSR mode: its key never enters certdesk).
    const server = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=auth.example.test');
    const serverCert = await t.service.issue({
      ca: 'Test Issuing',
      profile: 'mtls-server',
      sans: [{ type: 'dns', value: 'auth.example.test' }],
      source: { kind: 'csr', csr: server.csr, useCsrSubject: true },
    });
    writeFileSync(
      join(work, 'server.pem'),
      serverCert.chainPem
        .split(/(?=-----BEGIN)/)
        .slice(0, 2)
        .join(''),
    );
    // A client, and a stranger with a certificate from a CA the edge does not trust.
    const client = opensslCsr([...KEY_ARGS['ec-p256']], '/O=YourOrg/CN=app-client-prod');
    const clientCert = await t.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr: client.csr, useCsrSubject: true } });
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(work, 'stranger.key'),
      '-subj',
      '/CN=app-client-prod',
      '-days',
      '30',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      'extendedKeyUsage=clientAuth',
      '-out',
      join(work, 'stranger.pem'),
    ]);
    const rootPem = clientCert.chainPem.split(/(?=-----BEGIN)/)[2]!;

    const origin = await upstream();
    const port = await freePort();
    mkdirSync(join(work, 'secret'), { mode: 0o700 });
    writeFileSync(join(work, 'secret', 'cname-api-key.conf'), 'proxy_set_header cname-api-key "sandbox-cname-key";\n');
    const settings: EdgeSettings = {
      serverName: 'auth.example.test',
      listen: `127.0.0.1:${port}`,
      serverCertificatePath: join(work, 'server.pem'),
      serverKeyPath: server.keyPath,
      upstream: `http://127.0.0.1:${origin.port}`,
      cnameApiKeyInclude: join(work, 'secret', 'cname-api-key.conf'),
      bundleDir: join(work, 'bundle'),
    };
    const publish = async () =>
      writeEdgeBundle(await buildEdgeBundle(t.service.edgeContext(), t.service.crls, 'Test Issuing', settings), settings.bundleDir);
    const written = await publish();
    expect(written.map((f) => f.split('/').pop()).sort()).toEqual(['README.md', 'ca-bundle.pem', 'certdesk-edge.conf', 'crl.pem']);
    expect(readFileSync(join(settings.bundleDir, 'crl.pem'), 'utf8').match(/BEGIN X509 CRL/g)).toHaveLength(2);
    expect(readFileSync(join(settings.bundleDir, 'certdesk-edge.conf'), 'utf8')).not.toContain('sandbox-cname-key');

    const nginx = await startNginx(join(work, 'nginx'), join(settings.bundleDir, 'certdesk-edge.conf'), port);
    onTestFinished(() => nginx.stop());
    const clientTls = { ca: rootPem, cert: clientCert.pem, key: readFileSync(client.keyPath, 'utf8') };

    const ok = await call(port, '/oauth/token', clientTls);
    expect(ok, nginx.errorLog()).toMatchObject({ status: 200 });
    const forwarded = origin.seen.at(-1)!;
    expect(forwarded.path).toBe('/oauth/token');
    expect(forwarded.headers.host).toBe('auth.example.test');
    expect(decodeURIComponent(String(forwarded.headers['client-certificate']))).toBe(clientCert.pem);
    expect(forwarded.headers['client-certificate-ca-verified']).toBe('SUCCESS');
    expect(forwarded.headers['cname-api-key']).toBe('sandbox-cname-key');
    expect(forwarded.headers['x-forwarded-for']).toBe('127.0.0.1');

    expect(await call(port, '/userinfo', clientTls)).toMatchObject({ status: 200 });
    expect(await call(port, '/api/v2/clients', clientTls)).toMatchObject({ status: 404 });
    const seenBefore = origin.seen.length;
    expect(await call(port, '/oauth/token', { ca: rootPem })).toMatchObject({ status: 400 });
    expect(
      await call(port, '/oauth/token', {
        ca: rootPem,
        cert: readFileSync(join(work, 'stranger.pem'), 'utf8'),
        key: readFileSync(join(work, 'stranger.key'), 'utf8'),
      }),
    ).toMatchObject({ status: 400 });
    expect(origin.seen.length).toBe(seenBefore);

    // Revoke, republish the CRL, reload: the same certificate is now refused at the edge.
    await t.service.revoke({ cert: clientCert.id, reason: 'keyCompromise' });
    await publish();
    await nginx.reload();
    // From the reload on, nothing reaches the origin.
    const seenAfterReload = origin.seen.length;
    expect(await call(port, '/oauth/token', clientTls)).toMatchObject({ status: 400 });
    expect(origin.seen.length).toBe(seenAfterReload);
  });

  it('refuses settings that could inject nginx directives or leak the cname-api-key', async () => {
    const t = await withIssuingCa();
    const base: EdgeSettings = edgeSettings();
    const cases: Array<[Partial<EdgeSettings>, string]> = [
      [{ serverName: 'auth.example.test; include /etc/passwd' }, 'serverName'],
      [{ upstream: 'https://tenant.example/x;' }, 'upstream'],
      [{ serverKeyPath: '/etc/edge/key" ; ssl_certificate_key /x' }, 'serverKeyPath'],
      [{ cnameApiKeyInclude: '/etc/edge/bundle/cname.conf' }, 'cnameApiKeyInclude'],
      [{ listen: '443 default_server; location' }, 'listen'],
      [{ clientIpHeader: 'X-Real-IP $foo' }, 'clientIpHeader'],
    ];
    for (const [patch, field] of cases) {
      await expect(buildEdgeBundle(t.service.edgeContext(), t.service.crls, 'Test Issuing', { ...base, ...patch })).rejects.toMatchObject({
        code: 'VALIDATION',
        field,
      });
    }
  });
});

describe('edge preview and history', () => {
  it('previews without writing, and lists publications newest first', async () => {
    const t = await withIssuingCa();
    const dir = tempDir();
    const settings: EdgeSettings = edgeSettings({ bundleDir: join(dir, 'bundle') });
    const preview = await t.service.previewEdge({ ca: 'Test Issuing', settings });
    expect(Object.keys(preview.files).sort()).toEqual(['README.md', 'ca-bundle.pem', 'certdesk-edge.conf', 'crl.pem']);
    expect(t.service.edgeHistory({})).toEqual([]);
    await t.service.approveCustomReload(['sh', '-c', 'exit 3'], 'cli');
    await t.service.publishEdge({ ca: 'Test Issuing', settings, dir: join(dir, 'bundle'), reload: { preset: 'custom' } });
    await t.service.publishEdge({ ca: 'Test Issuing', settings, dir: join(dir, 'bundle') });
    const history = t.service.edgeHistory({});
    expect(history.map((h) => h.reloadStatus)).toEqual([null, 3]);
    expect(history[0]).toMatchObject({ serverName: 'auth.example.test', crlNumbers: { 'Test Issuing': 1, 'Test Root': 1 } });
  });
});

describe('edge publish to a folder it cannot use', () => {
  it('names the dir field, records nothing, and never spins on a system folder', async () => {
    const t = await withIssuingCa();
    const settings: EdgeSettings = edgeSettings();
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'not a folder');
    for (const dir of ['/proc/certdesk', join(file, 'bundle')]) {
      await expect(t.service.publishEdge({ ca: 'Test Issuing', settings, dir })).rejects.toMatchObject({
        code: 'VALIDATION',
        field: 'dir',
      });
    }
    expect(t.service.edgeHistory({})).toEqual([]);
  });
});
