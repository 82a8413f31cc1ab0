/**
 * The Node edge against the real thing: nginx, configured as Auth0's customer-edge guide does, in
 * front of the same sandbox. Both must hand the emulator byte-identical edge headers.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { edgePost, startTestSandbox } from '../support/sandbox.ts';
import { issueLeaf, makeCa, makeCrl, selfSigned } from '../support/sandbox-pki.ts';
import { tempDir } from '../support/temp.ts';

const nginxBinary =
  ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ??
  (spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim() || undefined);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts nginx as an Auth0 customer edge in front of `sandbox`; resolves once its pid file exists (it listens by then). */
async function startNginx(
  sandbox: Sandbox,
  caPem: string,
  cnameApiKey: string,
  verifyClient: 'on' | 'optional_no_ca' = 'on',
  crlPem?: string,
): Promise<string> {
  const dir = tempDir('certdesk-nginx-');
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'ca.pem'), caPem);
  if (crlPem) writeFileSync(join(dir, 'crl.pem'), crlPem);
  const port = await freePort();
  const upstream = new URL(sandbox.url);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log info;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${sandbox.dir}/edge/server.pem;
    ssl_certificate_key ${sandbox.dir}/edge/server-key.pem;
    ssl_client_certificate ${dir}/ca.pem;
    ssl_verify_client ${verifyClient};
    ${crlPem ? `ssl_crl ${dir}/crl.pem;` : ''}
    location = /oauth/token {
      proxy_set_header client-certificate $ssl_client_escaped_cert;
      proxy_set_header client-certificate-ca-verified $ssl_client_verify;
      proxy_set_header cname-api-key ${cnameApiKey};
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_pass http://${upstream.host};
    }
  }
}
`,
  );
  const ready = new Promise<void>((resolve) => {
    const watcher = watch(dir, () => {
      if (existsSync(join(dir, 'nginx.pid'))) {
        watcher.close();
        resolve();
      }
    });
  });
  const child = spawn(nginxBinary!, ['-p', dir, '-e', join(dir, 'logs', 'error.log'), '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`nginx exited (${code}): ${readFileSync(join(dir, 'logs', 'error.log'), 'utf8')}`))),
  );
  onTestFinished(async () => {
    if (child.exitCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  });
  await Promise.race([ready, exited]);
  return `https://127.0.0.1:${port}`;
}

describe.skipIf(!nginxBinary)('sandbox edge compared with nginx (skipped when nginx is not installed)', () => {
  it('forwards the same client-certificate, client-certificate-ca-verified, cname-api-key and x-forwarded-for as nginx', async () => {
    const ca = await makeCa();
    const leaf = await issueLeaf(ca, 'C=US, O=YourOrg, CN=app-client-prod');
    const ts = await startTestSandbox({ edge: { caBundlePem: ca.certPem } });
    const app = ts.sandbox.admin.createClient({ name: 'nginx parity' });
    ts.sandbox.admin.createResourceServer({ identifier: 'https://payments.example.com/' });
    ts.sandbox.admin.grant({ clientId: app.clientId, audience: 'https://payments.example.com/', scopes: [] });
    const mc = ts.management();
    const domain = await mc.customDomains.create({ domain: 'login.example.com', type: 'self_managed_certs' });
    const key = (await mc.customDomains.verify(domain.custom_domain_id)).cname_api_key!;
    const credential = await mc.clients.credentials.create(app.clientId, { credential_type: 'cert_subject_dn', pem: leaf.certPem });
    await mc.clients.update(app.clientId, {
      client_authentication_methods: { tls_client_auth: { credentials: [{ id: credential.id! }] } },
      token_endpoint_auth_method: null,
    });
    const nginxUrl = await startNginx(ts.sandbox, ca.certPem, key);

    const form = { grant_type: 'client_credentials', client_id: app.clientId, audience: 'https://payments.example.com/' };
    const viaNode = ts.next((r) => r.requestHeaders['cname-api-key'] !== undefined);
    expect((await edgePost(ts.sandbox, { form, cert: leaf.certPem, key: leaf.keyPem })).status).toBe(200);
    const node = (await viaNode).requestHeaders;
    const viaNginx = ts.next((r) => r.requestHeaders['cname-api-key'] !== undefined);
    expect((await edgePost({ ...ts.sandbox, edgeUrl: nginxUrl }, { form, cert: leaf.certPem, key: leaf.keyPem })).status).toBe(200);
    const nginx = (await viaNginx).requestHeaders;

    for (const name of ['client-certificate', 'client-certificate-ca-verified', 'cname-api-key', 'x-forwarded-for']) {
      expect(node[name], name).toBe(nginx[name]);
    }
    expect(nginx['client-certificate-ca-verified']).toBe('SUCCESS');

    // Refusals: without a certificate, and with one from another CA (same DN). Both edges answer
    // with the same 400 page, and neither lets the request reach the emulator.
    const foreign = await issueLeaf(await makeCa('CN=Some Other CA'), 'C=US, O=YourOrg, CN=app-client-prod');
    const reached = ts.records.length;
    const title = (answer: { body: unknown }) => /<title>([^<]*)<\/title>/.exec(String(answer.body))?.[1];
    for (const client of [{}, { cert: foreign.certPem, key: foreign.keyPem }]) {
      const fromNode = await edgePost(ts.sandbox, { form, ...client });
      const fromNginx = await edgePost({ ...ts.sandbox, edgeUrl: nginxUrl }, { form, ...client });
      expect([fromNode.status, fromNginx.status]).toEqual([400, 400]);
      expect(title(fromNode)).toBe(title(fromNginx));
    }
    expect(title(await edgePost(ts.sandbox, { form }))).toBe('400 No required SSL certificate was sent');
    expect(ts.records.length).toBe(reached);
  });

  it('marks a self-signed certificate FAILED with the same reason as nginx in optional_no_ca mode', async () => {
    const ca = await makeCa();
    const self = await selfSigned('CN=self-signed client, O=YourOrg');
    const ts = await startTestSandbox({ edge: { caBundlePem: ca.certPem, allowSelfSigned: true } });
    const app = ts.sandbox.admin.createClient({ name: 'self-signed parity' });
    ts.sandbox.admin.createResourceServer({ identifier: 'https://payments.example.com/' });
    ts.sandbox.admin.grant({ clientId: app.clientId, audience: 'https://payments.example.com/', scopes: [] });
    const mc = ts.management();
    const domain = await mc.customDomains.create({ domain: 'login.example.com', type: 'self_managed_certs' });
    const key = (await mc.customDomains.verify(domain.custom_domain_id)).cname_api_key!;
    const credential = await mc.clients.credentials.create(app.clientId, { credential_type: 'x509_cert', pem: self.certPem });
    await mc.clients.update(app.clientId, {
      client_authentication_methods: { self_signed_tls_client_auth: { credentials: [{ id: credential.id! }] } },
      token_endpoint_auth_method: null,
    });
    const nginxUrl = await startNginx(ts.sandbox, ca.certPem, key, 'optional_no_ca');

    const form = { grant_type: 'client_credentials', client_id: app.clientId, audience: 'https://payments.example.com/' };
    const viaNode = ts.next((r) => r.requestHeaders['cname-api-key'] !== undefined);
    expect((await edgePost(ts.sandbox, { form, cert: self.certPem, key: self.keyPem })).status).toBe(200);
    const viaNginx = ts.next((r) => r.requestHeaders['cname-api-key'] !== undefined);
    expect((await edgePost({ ...ts.sandbox, edgeUrl: nginxUrl }, { form, cert: self.certPem, key: self.keyPem })).status).toBe(200);
    const [node, nginx] = [(await viaNode).requestHeaders, (await viaNginx).requestHeaders];
    expect(nginx['client-certificate-ca-verified']).toMatch(/^FAILED:/);
    expect(node['client-certificate-ca-verified']).toBe(nginx['client-certificate-ca-verified']);
    expect(node['client-certificate']).toBe(nginx['client-certificate']);

    // optional_no_ca forgives a missing trusted issuer only: an expired certificate from the
    // trusted CA gets the same 400 page from both edges, and reaches neither's upstream.
    const expired = await issueLeaf(ca, 'C=US, O=YourOrg, CN=app-client-prod', {
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    const reached = ts.records.length;
    const fromNode = await edgePost(ts.sandbox, { form, cert: expired.certPem, key: expired.keyPem });
    const fromNginx = await edgePost({ ...ts.sandbox, edgeUrl: nginxUrl }, { form, cert: expired.certPem, key: expired.keyPem });
    expect([fromNode.status, fromNginx.status]).toEqual([400, 400]);
    const title = (answer: { body: unknown }) => /<title>([^<]*)<\/title>/.exec(String(answer.body))?.[1];
    expect(title(fromNode)).toBe(title(fromNginx));
    expect(ts.records.length).toBe(reached);

    // With a CRL configured, OpenSSL's last word on a self-signed certificate is "unable to get
    // certificate CRL", which optional_no_ca does not forgive: both edges refuse it.
    const crlPem = await makeCrl(ca);
    const nginxWithCrl = await startNginx(ts.sandbox, ca.certPem, key, 'optional_no_ca', crlPem);
    ts.sandbox.edge!.reload({ caBundlePem: ca.certPem, crlPem });
    const selfFromNode = await edgePost(ts.sandbox, { form, cert: self.certPem, key: self.keyPem });
    const selfFromNginx = await edgePost({ ...ts.sandbox, edgeUrl: nginxWithCrl }, { form, cert: self.certPem, key: self.keyPem });
    expect([selfFromNode.status, selfFromNginx.status]).toEqual([400, 400]);
    expect(title(selfFromNode)).toBe(title(selfFromNginx));
  });
});
