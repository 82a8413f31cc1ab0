/**
 * Issue 12 §6, the full flow: publisher → signer → publisher, then a token. The signer (the real binary
 * under `unshare -n`) makes the CAs and signs; the publisher (the CLI) asks for a client certificate
 * from its own CSR and for the edge's server certificate, carries the bundles, binds the answer to an
 * application of the sandbox tenant and publishes the CA chain and the pre-signed CRLs to real nginx.
 * A token request through nginx with the new certificate gets a token bound to it; without it, the
 * edge refuses and Auth0 never sees the request.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { CertificateDetail } from '../../src/shared/contract/index.ts';
import { freePort, startNginx } from '../support/nginx.ts';
import { SIGNER_FLOW, pairWorkstations, publisherFolder, signerFolder, type Json } from '../support/offline-folders.ts';
import { KEY_ARGS, opensslCsr } from '../support/pki.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { tempDir } from '../support/temp.ts';
import { tlsPost } from '../support/tls-post.ts';

const DOMAIN = 'login.example.com';
const API = 'https://payments.example.com/';

type Items = Array<{ id: string; kind: string; decision?: string; problem?: unknown }>;

describe('the offline workstation, end to end to a token', SIGNER_FLOW, () => {
  it('signer and publisher joined by bundles: the certificate the signer signed offline gets a bound token through nginx', async () => {
    // The tenant: an API and an application the publisher binds later; no credential yet.
    const ts = await startTestSandbox();
    const { admin } = ts.sandbox;
    const app = admin.createClient({ name: 'app-client-prod' });
    admin.createResourceServer({ identifier: API, scopes: ['read:payments'] });
    admin.grant({ clientId: app.clientId, audience: API, scopes: ['read:payments'] });
    const m2m = ts.sandbox.managementClient!;

    const signer = signerFolder();
    const publisher = publisherFolder({ fetch: ts.fetch, env: { M2M_SECRET: m2m.clientSecret } });
    const files = tempDir();
    const file = (name: string) => join(files, name);
    await pairWorkstations(signer, publisher, files);

    // 1. signer → publisher: the CA certificates.
    await signer.run('bundle', 'send-ca');
    await signer.run('bundle', 'export', '--out', file('1.cdx'));
    expect((await publisher.run('bundle', 'import', file('1.cdx'), '--approve', 'all')).refused).toEqual([]);

    // 2. publisher → signer: the client's CSR and the edge's, and a CRL series for each CA of the chain nginx checks.
    const client = opensslCsr([...KEY_ARGS['ec-p256']], '/C=US/O=YourOrg/CN=app-client-prod');
    const server = opensslCsr([...KEY_ARGS['ec-p256']], `/CN=${DOMAIN}`, ['-addext', `subjectAltName=DNS:${DOMAIN}`]);
    writeFileSync(file('client.csr'), client.csr);
    writeFileSync(file('server.csr'), server.csr);
    const asked = await publisher.run('request', 'issue', '--ca', 'Offline Issuing', '--csr', file('client.csr'), '--note', 'payments');
    const askedServer = await publisher.run(
      'request',
      'issue',
      '--ca',
      'Offline Issuing',
      '--csr',
      file('server.csr'),
      '--profile',
      'mtls-server',
      '--note',
      'the edge',
    );
    for (const ca of ['Offline Root', 'Offline Issuing'])
      await publisher.run('request', 'crl', ca, '--count', '4', '--period-hours', '24', '--note', 'for the edge');
    await publisher.run('bundle', 'export', '--out', file('2.cdx'));

    // 3. The signer, with no network: reads the bundle first (nothing changes), then imports, approves and answers.
    const shown = await signer.run('bundle', 'show', file('2.cdx'));
    expect((shown.items as Items).map((i) => [i.kind, i.problem])).toEqual([
      ['sign-request', null],
      ['sign-request', null],
      ['crl-request', null],
      ['crl-request', null],
    ]);
    expect((await signer.run('bundle', 'review')) as unknown).toEqual([]);
    const signed = await signer.run('bundle', 'import', file('2.cdx'), '--approve', 'all');
    expect(signed.refused).toEqual([]);
    expect(signed.applied).toHaveLength(4);
    await signer.run('bundle', 'export', '--out', file('3.cdx'));

    // 4. The publisher: the two certificates, eight CRLs and the signer's audit entries.
    const answers = await publisher.run('bundle', 'show', file('3.cdx'));
    const kinds = (answers.items as Items).map((i) => i.kind);
    expect(kinds.filter((k) => k === 'issued-certificate')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'crl')).toHaveLength(8);
    const applied = await publisher.run('bundle', 'import', file('3.cdx'), '--approve', 'all');
    expect(applied.refused).toEqual([]);
    const requests = (await publisher.run('request', 'list')) as unknown as Array<{ requestId: string; certificateId: string | null }>;
    const certOf = async (request: Json) => {
      const id = requests.find((r) => r.requestId === request.requestId)!.certificateId!;
      return (await publisher.run('show', id)) as unknown as CertificateDetail;
    };
    const clientCert = await certOf(asked);
    const serverCert = await certOf(askedServer);
    expect(clientCert.keyStorage).toBe('csr-only');

    // 5. The publisher binds the certificate to the application and sets up the custom domain.
    await publisher.run(
      'tenant',
      'add',
      '--name',
      'Sandbox',
      '--env',
      'development',
      '--domain',
      ts.sandbox.domain,
      '--custom-domain',
      DOMAIN,
      '--client-id',
      m2m.clientId,
      '--client-secret-env',
      'M2M_SECRET',
    );
    await publisher.run('bind', clientCert.id, '--tenant', 'Sandbox', '--client', app.clientId, '--pop', '--api', API);
    expect((await publisher.run('apply', '--tenant', 'Sandbox')).outcome).toBe('applied');
    const secret = join(files, 'secret');
    mkdirSync(secret, { mode: 0o700 });
    await publisher.run('edge', 'key', '--tenant', 'Sandbox', '--out', join(secret, 'cname.conf'));

    // 6. The edge: the CA chain and the pre-signed CRLs the publisher holds, on real nginx.
    const [, issuingPem, rootPem] = serverCert.chainPem.split(/(?=-----BEGIN)/);
    writeFileSync(file('server.pem'), `${serverCert.pem}${issuingPem}`);
    const port = await freePort();
    const bundleDir = join(files, 'edge');
    const published = await publisher.run(
      'edge',
      'export',
      '--out',
      bundleDir,
      '--ca',
      'Offline Issuing',
      '--server-name',
      DOMAIN,
      '--upstream',
      ts.sandbox.url,
      '--server-cert',
      file('server.pem'),
      '--server-key',
      server.keyPath,
      '--cname-api-key-file',
      join(secret, 'cname.conf'),
      '--listen',
      `127.0.0.1:${port}`,
    );
    expect(Object.keys(published.crlNumbers as object).sort()).toEqual(['Offline Issuing', 'Offline Root']);
    const nginx = await startNginx(join(files, 'nginx'), join(bundleDir, 'certdesk-edge.conf'), port);
    onTestFinished(() => nginx.stop());

    // 7. A token through nginx with the new certificate, bound to it.
    const form = { grant_type: 'client_credentials', client_id: app.clientId, audience: API };
    const post = (tls: { cert?: string; key?: string }) =>
      tlsPost({ host: '127.0.0.1', port, path: '/oauth/token', servername: DOMAIN, form, ca: rootPem!, ...tls });
    const withCert = await post({ cert: clientCert.pem, key: readFileSync(client.keyPath, 'utf8') });
    expect(withCert.status, `${JSON.stringify(withCert.body)}\n${nginx.errorLog()}`).toBe(200);
    const keys = (await (await ts.fetch(`https://${ts.sandbox.domain}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify((withCert.body as { access_token: string }).access_token, createLocalJWKSet(keys), {
      audience: API,
    });
    expect((payload.cnf as Record<string, string>)['x5t#S256']).toBe(clientCert.sha256Base64url);

    // Without the certificate the edge refuses, and no token request reaches Auth0.
    const tokenRequests = () => ts.records.filter((r) => r.path === '/oauth/token').length;
    const reached = tokenRequests();
    const without = await post({});
    expect(without.status).toBe(400);
    expect(tokenRequests()).toBe(reached);
  });
});
