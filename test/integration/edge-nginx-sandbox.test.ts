import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EdgeSettings } from '../../src/main/core/edge/nginx-config.ts';
import { freePort, startNginx } from '../support/nginx.ts';
import { KEY_ARGS, opensslCsr, withIssuingCa } from '../support/pki.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { tempDir } from '../support/temp.ts';
import { tlsPost } from '../support/tls-post.ts';

const API = 'https://payments.example.com/';

const post = (port: number, form: Record<string, string>, tls: { ca: string; cert?: string; key?: string }) =>
  tlsPost({ host: '127.0.0.1', port, path: '/oauth/token', servername: 'login.example.com', form, ...tls });

describe('certdesk CA + certdesk edge bundle + real nginx + the sandbox tenant', () => {
  it('a client with a certdesk certificate gets a token whose cnf.x5t#S256 is that certificate; without it, from another CA, or once revoked and republished: 400', async () => {
    // certdesk: the CA, the edge's server certificate and the client certificate (both from openssl CSRs).
    const t = await withIssuingCa();
    const work = tempDir();
    const server = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=login.example.com');
    const serverCert = await t.service.issue({
      ca: 'Test Issuing',
      profile: 'mtls-server',
      sans: [{ type: 'dns', value: 'login.example.com' }],
      source: { kind: 'csr', csr: server.csr, useCsrSubject: true },
    });
    writeFileSync(
      join(work, 'server.pem'),
      serverCert.chainPem
        .split(/(?=-----BEGIN)/)
        .slice(0, 2)
        .join(''),
    );
    const client = opensslCsr([...KEY_ARGS['ec-p256']], '/C=US/O=YourOrg/CN=app-client-prod');
    const clientCert = await t.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr: client.csr, useCsrSubject: true } });
    const rootPem = clientCert.chainPem.split(/(?=-----BEGIN)/)[2]!;

    // The tenant: an API, an application bound to the certificate's DN, proof of possession required.
    const ts = await startTestSandbox();
    const { admin } = ts.sandbox;
    const app = admin.createClient({ name: 'app-client-prod' });
    admin.createResourceServer({ identifier: API, scopes: ['read:payments'] });
    admin.grant({ clientId: app.clientId, audience: API, scopes: ['read:payments'] });
    const mc = ts.management();
    const domain = await mc.customDomains.create({ domain: 'login.example.com', type: 'self_managed_certs' });
    const verified = (await mc.customDomains.verify(domain.custom_domain_id)) as { cname_api_key?: string };
    const credential = await mc.clients.credentials.create(app.clientId, { credential_type: 'cert_subject_dn', pem: clientCert.pem });
    await mc.clients.update(app.clientId, {
      client_authentication_methods: { tls_client_auth: { credentials: [{ id: credential.id! }] } },
      token_endpoint_auth_method: null,
      require_proof_of_possession: true,
    });

    // The edge: certdesk's bundle, real nginx, the sandbox as Auth0's origin.
    mkdirSync(join(work, 'secret'), { mode: 0o700 });
    writeFileSync(join(work, 'secret', 'cname.conf'), `proxy_set_header cname-api-key "${verified.cname_api_key}";\n`);
    const port = await freePort();
    const settings: EdgeSettings = {
      serverName: 'login.example.com',
      listen: `127.0.0.1:${port}`,
      serverCertificatePath: join(work, 'server.pem'),
      serverKeyPath: server.keyPath,
      upstream: ts.sandbox.url,
      cnameApiKeyInclude: join(work, 'secret', 'cname.conf'),
      bundleDir: join(work, 'bundle'),
    };
    await t.service.publishEdge({ ca: 'Test Issuing', settings, dir: settings.bundleDir });
    const nginx = await startNginx(join(work, 'nginx'), join(settings.bundleDir, 'certdesk-edge.conf'), port);
    onTestFinished(() => nginx.stop());

    const form = { grant_type: 'client_credentials', client_id: app.clientId, audience: API };
    const withCert = await post(port, form, { ca: rootPem, cert: clientCert.pem, key: readFileSync(client.keyPath, 'utf8') });
    expect(withCert.status, `${JSON.stringify(withCert.body)}\n${nginx.errorLog()}`).toBe(200);
    const body = withCert.body as { access_token: string; token_type: string; expires_in: number };
    expect(['Bearer', 'DPoP']).toContain(body.token_type);
    const keys = (await (await ts.fetch(`https://${ts.sandbox.domain}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(body.access_token, createLocalJWKSet(keys), { audience: API });
    expect((payload.cnf as Record<string, string>)['x5t#S256']).toBe(clientCert.sha256Base64url);

    const tokenRequests = () => ts.records.filter((r) => r.path === '/oauth/token').length;
    const reachedAuth0 = tokenRequests();
    const without = await post(port, form, { ca: rootPem });
    expect(without.status).toBe(400);

    // A leaf with the very same subject DN from another CA hierarchy (also certdesk's, but not in
    // this edge's bundle): refused by the edge, never seen by Auth0.
    const otherRoot = await t.service.createAuthority({ name: 'Other Root', keyType: 'ec-p256' });
    await t.service.createAuthority({ name: 'Other Issuing', parent: otherRoot.id, keyType: 'ec-p256' });
    const impostor = opensslCsr([...KEY_ARGS['ec-p256']], '/C=US/O=YourOrg/CN=app-client-prod');
    const impostorCert = await t.service.issue({ ca: 'Other Issuing', source: { kind: 'csr', csr: impostor.csr, useCsrSubject: true } });
    const foreign = await post(port, form, { ca: rootPem, cert: impostorCert.chainPem, key: readFileSync(impostor.keyPath, 'utf8') });
    expect(foreign.status).toBe(400);
    expect(String(foreign.body)).toContain('SSL certificate error');
    expect(tokenRequests()).toBe(reachedAuth0);

    // Revoke, publish through certdesk with nginx's reload as the publish command: the same
    // certificate is refused at the edge from the reload on.
    await t.service.revoke({ cert: clientCert.id, reason: 'keyCompromise' });
    const mark = nginx.logMark();
    await t.service.approveCustomReload(nginx.reloadArgv, 'cli');
    const published = await t.service.publishEdge({
      ca: 'Test Issuing',
      settings,
      dir: settings.bundleDir,
      reload: { preset: 'custom' },
    });
    expect(published.reload).toMatchObject({ status: 0 });
    await nginx.reloaded(mark);
    const revoked = await post(port, form, { ca: rootPem, cert: clientCert.pem, key: readFileSync(client.keyPath, 'utf8') });
    expect(revoked.status, nginx.errorLog()).toBe(400);
    expect(tokenRequests()).toBe(reachedAuth0);
  });
});
