import { X509Certificate, createHash } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { nginxEscapeUriComponent } from '../../src/sandbox/certificates.ts';
import type { EdgeTlsError } from '../../src/sandbox/server.ts';
import { edgePost, startTestSandbox, type TestSandbox } from '../support/sandbox.ts';
import { issueLeaf, makeCa, makeCrl, selfSigned, type TestCa, type TestLeaf } from '../support/sandbox-pki.ts';

const DN = 'C=US, O=YourOrg, CN=app-client-prod';
const API = 'https://payments.example.com/';
const CUSTOM_DOMAIN = 'login.example.com';

interface MtlsTenant {
  ts: TestSandbox;
  ca: TestCa;
  leaf: TestLeaf;
  clientId: string;
  credentialId: string;
}

/** A tenant set up the way certdesk's five steps leave it: edge, custom domain, credential, binding, PoP. */
async function mtlsTenant(options: { pop?: boolean; allowSelfSigned?: boolean } = {}): Promise<MtlsTenant> {
  const ca = await makeCa();
  // Self-signed mode goes without CRLs: with one, nginx's optional_no_ca refuses self-signed
  // certificates ("unable to get certificate CRL"), and so does the sandbox edge (tested against nginx).
  const ts = await startTestSandbox({
    edge: {
      caBundlePem: ca.certPem,
      crlPem: options.allowSelfSigned ? undefined : await makeCrl(ca),
      allowSelfSigned: options.allowSelfSigned,
    },
  });
  const { admin } = ts.sandbox;
  const app = admin.createClient({ name: 'mtls client' });
  admin.createResourceServer({ identifier: API, scopes: ['read:payments'] });
  admin.grant({ clientId: app.clientId, audience: API, scopes: ['read:payments'] });
  const leaf = await issueLeaf(ca, DN);
  const mc = ts.management();
  const domain = await mc.customDomains.create({ domain: CUSTOM_DOMAIN, type: 'self_managed_certs' });
  await mc.customDomains.verify(domain.custom_domain_id);
  const credential = await mc.clients.credentials.create(app.clientId, { credential_type: 'cert_subject_dn', pem: leaf.certPem });
  await mc.clients.update(app.clientId, {
    client_authentication_methods: { tls_client_auth: { credentials: [{ id: credential.id! }] } },
    token_endpoint_auth_method: null,
    require_proof_of_possession: options.pop ?? false,
  });
  return { ts, ca, leaf, clientId: app.clientId, credentialId: credential.id! };
}

async function jwks(ts: TestSandbox): Promise<ReturnType<typeof createLocalJWKSet>> {
  const res = await ts.fetch(`https://${ts.sandbox.domain}/.well-known/jwks.json`);
  return createLocalJWKSet((await res.json()) as JSONWebKeySet);
}

async function tokenBySecret(ts: TestSandbox, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await ts.fetch(`https://${ts.sandbox.domain}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...form }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function x5t(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');
}

describe('sandbox token endpoint', () => {
  it('issues an RS256 JWT for an M2M secret that verifies against the JWKS', async () => {
    const ts = await startTestSandbox();
    const m2m = ts.sandbox.managementClient!;
    const audience = `https://${ts.sandbox.domain}/api/v2/`;
    const ok = await tokenBySecret(ts, { client_id: m2m.clientId, client_secret: m2m.clientSecret, audience });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 86400 });
    const { payload, protectedHeader } = await jwtVerify(ok.body.access_token as string, await jwks(ts), {
      issuer: `https://${ts.sandbox.domain}/`,
      audience,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ sub: `${m2m.clientId}@clients`, azp: m2m.clientId, gty: 'client-credentials' });
    expect(payload.scope).toBe(ok.body.scope);
    expect(String(payload.scope).split(' ')).toContain('create:client_credentials');
    expect(payload).not.toHaveProperty('cnf');

    const narrowed = await tokenBySecret(ts, {
      client_id: m2m.clientId,
      client_secret: m2m.clientSecret,
      audience,
      scope: 'read:clients nope',
    });
    expect(narrowed.body.scope).toBe('read:clients');
    const wrong = await tokenBySecret(ts, { client_id: m2m.clientId, client_secret: 'nope', audience });
    expect(wrong).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'Client authentication failed: wrong client_secret.' },
    });
    const ungranted = await tokenBySecret(ts, {
      client_id: m2m.clientId,
      client_secret: m2m.clientSecret,
      audience: 'https://unknown.example.com/',
    });
    expect(ungranted.status).toBe(403);
    expect(ungranted.body.error).toBe('access_denied');
  });

  it('authenticates an mTLS client through the edge by subject DN and binds the token to the certificate', async () => {
    const { ts, leaf, clientId } = await mtlsTenant({ pop: true });
    const arrived = ts.next((r) => r.path === '/oauth/token');
    const res = await edgePost(ts.sandbox, {
      form: { grant_type: 'client_credentials', client_id: clientId, audience: API },
      cert: leaf.certPem,
      key: leaf.keyPem,
    });
    expect(res.status).toBe(200);
    const body = res.body as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'read:payments', expires_in: 86400 });
    const { payload } = await jwtVerify(body.access_token as string, await jwks(ts), {
      issuer: `https://${CUSTOM_DOMAIN}/`,
      audience: API,
    });
    expect(payload.cnf).toEqual({ 'x5t#S256': x5t(leaf.certPem) });

    // What the emulator received is what nginx would have sent.
    const headers = (await arrived).requestHeaders;
    expect(headers['client-certificate']).toBe(nginxEscapeUriComponent(new X509Certificate(leaf.certPem).toString()));
    expect(decodeURIComponent(String(headers['client-certificate']))).toBe(new X509Certificate(leaf.certPem).toString());
    expect(headers['client-certificate-ca-verified']).toBe('SUCCESS');
    expect(headers['cname-api-key']).toBe(ts.sandbox.state().custom_domains[0]!.cname_api_key);
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');

    ts.sandbox.setFaults({ tokenType: 'DPoP' });
    const dpop = await edgePost(ts.sandbox, {
      form: { grant_type: 'client_credentials', client_id: clientId, audience: API },
      cert: leaf.certPem,
      key: leaf.keyPem,
    });
    expect((dpop.body as Record<string, unknown>).token_type).toBe('DPoP');
  });

  it('binds the token when the API requires proof of possession, and refuses it without a certificate', async () => {
    const { ts, leaf, clientId } = await mtlsTenant({ pop: false });
    const unbound = await edgePost(ts.sandbox, {
      form: { grant_type: 'client_credentials', client_id: clientId, audience: API },
      cert: leaf.certPem,
      key: leaf.keyPem,
    });
    expect(decodeJwt((unbound.body as { access_token: string }).access_token)).not.toHaveProperty('cnf');

    const api = ts.sandbox.state().resource_servers.find((r) => r.identifier === API)!;
    await ts.management().resourceServers.update(api.id, { proof_of_possession: { mechanism: 'mtls', required: true } });
    const bound = await edgePost(ts.sandbox, {
      form: { grant_type: 'client_credentials', client_id: clientId, audience: API },
      cert: leaf.certPem,
      key: leaf.keyPem,
    });
    expect(decodeJwt((bound.body as { access_token: string }).access_token).cnf).toEqual({ 'x5t#S256': x5t(leaf.certPem) });

    const secretClient = ts.sandbox.admin.createClient({ name: 'secret client' });
    ts.sandbox.admin.grant({ clientId: secretClient.clientId, audience: API, scopes: ['read:payments'] });
    const refused = await tokenBySecret(ts, { client_id: secretClient.clientId, client_secret: secretClient.clientSecret, audience: API });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_request');
  });

  it('answers a certificate whose DN matches no credential with 401 invalid_client, including the RFC 4514 form of the right DN', async () => {
    const { ts, ca, leaf, clientId, credentialId } = await mtlsTenant();
    const stranger = await issueLeaf(ca, 'C=US, O=YourOrg, CN=someone-else');
    const res = await edgePost(ts.sandbox, {
      form: { grant_type: 'client_credentials', client_id: clientId, audience: API },
      cert: stranger.certPem,
      key: stranger.keyPem,
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_client' });

    // The classic silent 401: the DN registered in RFC 4514 form instead of Auth0's.
    const mc = ts.management();
    const rfc4514 = await mc.clients.credentials.create(clientId, {
      credential_type: 'cert_subject_dn',
      subject_dn: 'CN=app-client-prod,O=YourOrg,C=US',
    });
    await mc.clients.update(clientId, { client_authentication_methods: { tls_client_auth: { credentials: [{ id: rfc4514.id! }] } } });
    const mismatch = await edgePost(ts.sandbox, {
      form: { grant_type: 'client_credentials', client_id: clientId, audience: API },
      cert: leaf.certPem,
      key: leaf.keyPem,
    });
    expect(mismatch.status).toBe(401);
    await mc.clients.update(clientId, {
      client_authentication_methods: { tls_client_auth: { credentials: [{ id: credentialId }, { id: rfc4514.id! }] } },
    });
    const fixed = await edgePost(ts.sandbox, {
      form: { grant_type: 'client_credentials', client_id: clientId, audience: API },
      cert: leaf.certPem,
      key: leaf.keyPem,
    });
    expect(fixed.status).toBe(200);
  });

  it("refuses, with nginx's 400 page, a client without a certificate, with a foreign one, or with a revoked one", async () => {
    const { ts, ca, leaf, clientId } = await mtlsTenant();
    const edge = ts.sandbox.edge!;
    const form = { grant_type: 'client_credentials', client_id: clientId, audience: API };
    const nextRefusal = () =>
      new Promise<EdgeTlsError>((resolve) => {
        const off = edge.onTlsError((e) => {
          off();
          resolve(e);
        });
      });
    const attempt = async (options: { cert?: string; key?: string }, title: string) => {
      const refusal = nextRefusal();
      const answer = await edgePost(ts.sandbox, { form, ...options });
      expect(answer.status).toBe(400);
      expect(String(answer.body)).toContain(`<title>400 ${title}</title>`);
      return refusal;
    };

    // No certificate: the handshake completes and the edge answers 400, as nginx does.
    expect(await attempt({}, 'No required SSL certificate was sent')).toMatchObject({ code: 'NO_CLIENT_CERTIFICATE' });
    // A certificate from another CA: the chain does not verify against the bundle.
    const foreign = await issueLeaf(await makeCa('CN=Some Other CA'), DN);
    expect((await attempt({ cert: foreign.certPem, key: foreign.keyPem }, 'The SSL certificate error')).verifyError).toBe(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
    // A revoked certificate, once the CRL that lists it is published (as an nginx reload would).
    edge.reload({ caBundlePem: ca.certPem, crlPem: await makeCrl(ca, [leaf.serialNumber]) });
    expect((await attempt({ cert: leaf.certPem, key: leaf.keyPem }, 'The SSL certificate error')).verifyError).toBe('CERT_REVOKED');
    expect(ts.records.filter((r) => r.requestHeaders['cname-api-key'] !== undefined)).toEqual([]);
  });

  it('refuses an edge with the wrong cname-api-key, and ignores certificate headers that did not come through an edge', async () => {
    const { ts, leaf, clientId } = await mtlsTenant();
    ts.sandbox.edge!.setCnameApiKey('0'.repeat(64));
    const res = await edgePost(ts.sandbox, {
      form: { grant_type: 'client_credentials', client_id: clientId, audience: API },
      cert: leaf.certPem,
      key: leaf.keyPem,
    });
    expect(res.status).toBe(401);
    expect((res.body as { error_description: string }).error_description).toMatch(/cname-api-key/);

    // A caller that talks to the origin directly cannot forge the edge's headers.
    const forged = await ts.fetch(`https://${ts.sandbox.domain}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'client-certificate': nginxEscapeUriComponent(leaf.certPem),
        'client-certificate-ca-verified': 'SUCCESS',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, audience: API }),
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error_description: string }).error_description).toMatch(/client certificate is required/);

    // The edge forwards only the token, PAR and userinfo endpoints.
    ts.sandbox.edge!.setCnameApiKey(undefined);
    const other = await edgePost(ts.sandbox, { path: '/api/v2/clients', form: {}, cert: leaf.certPem, key: leaf.keyPem });
    expect(other.status).toBe(404);
  });

  it('accepts a self-signed certificate by thumbprint (x509_cert) through an edge in optional_no_ca mode', async () => {
    const { ts, clientId } = await mtlsTenant({ allowSelfSigned: true });
    const self = await selfSigned('CN=self-signed client, O=YourOrg');
    const mc = ts.management();
    const credential = await mc.clients.credentials.create(clientId, { credential_type: 'x509_cert', pem: self.certPem });
    expect(credential.thumbprint_sha256).toBe(x5t(self.certPem));
    await mc.clients.update(clientId, {
      client_authentication_methods: { self_signed_tls_client_auth: { credentials: [{ id: credential.id! }] } },
      require_proof_of_possession: true,
    });

    const arrived = ts.next((r) => r.path === '/oauth/token');
    const res = await edgePost(ts.sandbox, {
      form: { grant_type: 'client_credentials', client_id: clientId, audience: API },
      cert: self.certPem,
      key: self.keyPem,
    });
    expect(res.status).toBe(200);
    expect(decodeJwt((res.body as { access_token: string }).access_token).cnf).toEqual({ 'x5t#S256': x5t(self.certPem) });
    expect(String((await arrived).requestHeaders['client-certificate-ca-verified'])).toMatch(/^FAILED/);

    const other = await selfSigned('CN=self-signed client, O=YourOrg');
    const refused = await edgePost(ts.sandbox, {
      form: { grant_type: 'client_credentials', client_id: clientId, audience: API },
      cert: other.certPem,
      key: other.keyPem,
    });
    expect(refused.status).toBe(401);
  });

  it('lists mtls_endpoint_aliases.token_endpoint in discovery only after enable_endpoint_aliases', async () => {
    const ts = await startTestSandbox();
    const discovery = async () =>
      (await (await ts.fetch(`https://${ts.sandbox.domain}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    const before = await discovery();
    expect(before).toMatchObject({
      issuer: `https://${ts.sandbox.domain}/`,
      token_endpoint: `https://${ts.sandbox.domain}/oauth/token`,
      tls_client_certificate_bound_access_tokens: true,
    });
    expect(before).not.toHaveProperty('mtls_endpoint_aliases');
    expect(before.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['tls_client_auth', 'self_signed_tls_client_auth']),
    );

    const mc = ts.management();
    await mc.tenants.settings.update({ mtls: { enable_endpoint_aliases: true } });
    expect((await discovery()).mtls_endpoint_aliases).toEqual({ token_endpoint: `https://mtls.${ts.sandbox.domain}/oauth/token` });
    const domain = await mc.customDomains.create({ domain: CUSTOM_DOMAIN, type: 'self_managed_certs' });
    await mc.customDomains.verify(domain.custom_domain_id);
    expect((await discovery()).mtls_endpoint_aliases).toEqual({ token_endpoint: `https://mtls.${CUSTOM_DOMAIN}/oauth/token` });
    await mc.tenants.settings.update({ mtls: { enable_endpoint_aliases: false } });
    expect(await discovery()).not.toHaveProperty('mtls_endpoint_aliases');
  });
});
