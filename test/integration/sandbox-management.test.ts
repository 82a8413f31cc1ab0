import { createHash, X509Certificate } from 'node:crypto';
import { Management, ManagementError } from 'auth0';
import { describe, expect, it } from 'vitest';
import { openssl } from '../support/openssl.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { issueLeaf, makeCa, selfSigned } from '../support/sandbox-pki.ts';

const DN = 'C=US, O=YourOrg, CN=app-client-prod';
const AUTH0_DN = 'C=US\nO=YourOrg\nCN=app-client-prod';

async function rejection(promise: Promise<unknown>): Promise<ManagementError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ManagementError);
  return error as ManagementError;
}

describe('sandbox Management API through the auth0 SDK', () => {
  it('round-trips clients, credentials, tenant settings, custom domains and resource servers', async () => {
    const ts = await startTestSandbox();
    const app = ts.sandbox.admin.createClient({ name: 'payments client' });
    const leaf = await issueLeaf(await makeCa(), DN);
    const mc = ts.management();

    const before = await mc.clients.get(app.clientId);
    expect(before.token_endpoint_auth_method).toBe('client_secret_post');
    expect(before.client_authentication_methods).toBeUndefined();

    const created = await mc.clients.credentials.create(app.clientId, {
      credential_type: 'cert_subject_dn',
      name: 'prod 2026',
      pem: leaf.certPem,
    });
    expect(created.id).toMatch(/^cred_/);
    expect(created).toMatchObject({ name: 'prod 2026', credential_type: 'cert_subject_dn', subject_dn: AUTH0_DN });
    expect(created).not.toHaveProperty('pem');
    expect(await mc.clients.credentials.list(app.clientId)).toEqual([created]);
    expect(await mc.clients.credentials.get(app.clientId, created.id!)).toEqual(created);

    const patched = await mc.clients.credentials.update(app.clientId, created.id!, { expires_at: '2030-01-01T00:00:00.000Z' });
    expect(patched.expires_at).toBe('2030-01-01T00:00:00.000Z');

    const bound = await mc.clients.update(app.clientId, {
      client_authentication_methods: { tls_client_auth: { credentials: [{ id: created.id! }] } },
      token_endpoint_auth_method: null,
      require_proof_of_possession: true,
    });
    expect(bound.client_authentication_methods).toEqual({ tls_client_auth: { credentials: [{ id: created.id }] } });
    expect(bound.token_endpoint_auth_method).toBeUndefined();
    expect(bound.require_proof_of_possession).toBe(true);
    expect((await mc.clients.get(app.clientId)).client_authentication_methods).toEqual(bound.client_authentication_methods);

    const settings = await mc.tenants.settings.update({ mtls: { enable_endpoint_aliases: true } });
    expect(settings.mtls).toEqual({ enable_endpoint_aliases: true });

    const domain = await mc.customDomains.create({ domain: 'login.example.com', type: 'self_managed_certs' });
    expect(domain).toMatchObject({ domain: 'login.example.com', status: 'pending_verification', type: 'self_managed_certs' });
    const verified = await mc.customDomains.verify(domain.custom_domain_id);
    expect(verified.status).toBe('ready');
    expect(verified.cname_api_key).toMatch(/^[0-9a-f]{64}$/);
    const again = await rejection(mc.customDomains.verify(domain.custom_domain_id));
    expect(again).toBeInstanceOf(Management.BadRequestError);
    expect(again.body).toMatchObject({ statusCode: 400, message: 'Custom domain already verified.' });
    expect(await mc.customDomains.get(domain.custom_domain_id)).not.toHaveProperty('cname_api_key');

    const api = ts.sandbox.admin.createResourceServer({ identifier: 'https://payments.example.com/', name: 'Payments' });
    expect((await mc.resourceServers.get(api.id)).identifier).toBe('https://payments.example.com/');
    const pop = await mc.resourceServers.update(api.id, { proof_of_possession: { mechanism: 'mtls', required: true } });
    expect(pop.proof_of_possession).toEqual({ mechanism: 'mtls', required: true });
    expect((await mc.resourceServers.get('https://payments.example.com/')).proof_of_possession).toEqual({
      mechanism: 'mtls',
      required: true,
    });
    const off = await mc.resourceServers.update(api.id, { proof_of_possession: null });
    expect(off.proof_of_possession).toBeUndefined();

    // Rotation's last step: unbind, then delete.
    await mc.clients.update(app.clientId, { client_authentication_methods: null, token_endpoint_auth_method: 'client_secret_post' });
    await mc.clients.credentials.delete(app.clientId, created.id!);
    expect(await mc.clients.credentials.list(app.clientId)).toEqual([]);
  });

  it('answers a missing scope with 403 and Auth0 error body', async () => {
    const ts = await startTestSandbox();
    const app = ts.sandbox.admin.createClient({ name: 'target' });
    const readOnly = ts.management(ts.sandbox.admin.createM2mClient({ scopes: ['read:clients'] }));

    const update = await rejection(readOnly.clients.update(app.clientId, { name: 'renamed' }));
    expect(update).toBeInstanceOf(Management.ForbiddenError);
    expect(update.statusCode).toBe(403);
    expect(update.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message:
        'Insufficient scope, expected any of: update:clients, update:client_keys, update:client_credentials, update:client_token_vault_privileged_access',
      errorCode: 'insufficient_scope',
    });
    const create = await rejection(
      readOnly.clients.credentials.create(app.clientId, { credential_type: 'cert_subject_dn', subject_dn: AUTH0_DN }),
    );
    expect(create.body).toMatchObject({
      statusCode: 403,
      message: 'Insufficient scope, expected any of: create:client_credentials',
      errorCode: 'insufficient_scope',
    });

    // Binding credentials needs update:client_credentials, not update:clients.
    const updater = ts.management(ts.sandbox.admin.createM2mClient({ scopes: ['update:clients', 'create:client_credentials'] }));
    const credential = await updater.clients.credentials.create(app.clientId, { credential_type: 'cert_subject_dn', subject_dn: AUTH0_DN });
    const bind = await rejection(
      updater.clients.update(app.clientId, {
        client_authentication_methods: { tls_client_auth: { credentials: [{ id: credential.id! }] } },
        token_endpoint_auth_method: null,
      }),
    );
    expect(bind.body).toMatchObject({ statusCode: 403, message: 'Insufficient scope, expected any of: update:client_credentials' });
  });

  it('shows client_authentication_methods only to read:client_credentials or read:client_keys', async () => {
    const ts = await startTestSandbox();
    const app = ts.sandbox.admin.createClient({ name: 'bound' });
    const admin = ts.management();
    const credential = await admin.clients.credentials.create(app.clientId, { credential_type: 'cert_subject_dn', subject_dn: AUTH0_DN });
    await admin.clients.update(app.clientId, {
      client_authentication_methods: { tls_client_auth: { credentials: [{ id: credential.id! }] } },
      token_endpoint_auth_method: null,
    });

    const plain = await ts.management(ts.sandbox.admin.createM2mClient({ scopes: ['read:clients'] })).clients.get(app.clientId);
    expect(plain).not.toHaveProperty('client_authentication_methods');
    expect(plain).not.toHaveProperty('client_secret');
    const withCredentials = await ts
      .management(ts.sandbox.admin.createM2mClient({ scopes: ['read:client_credentials'] }))
      .clients.get(app.clientId);
    expect(withCredentials.client_authentication_methods).toEqual({ tls_client_auth: { credentials: [{ id: credential.id }] } });
    const summary = await ts.management(ts.sandbox.admin.createM2mClient({ scopes: ['read:client_summary'] })).clients.get(app.clientId);
    expect(Object.keys(summary).sort()).toEqual(['app_type', 'client_id', 'global', 'is_first_party', 'name', 'tenant']);
  });

  it('allows two certificate credentials per application and answers the third with 400', async () => {
    const ts = await startTestSandbox();
    const app = ts.sandbox.admin.createClient({ name: 'rotating' });
    const mc = ts.management();
    const ca = await makeCa();
    await mc.clients.credentials.create(app.clientId, { credential_type: 'cert_subject_dn', pem: (await issueLeaf(ca, DN)).certPem });
    await mc.clients.credentials.create(app.clientId, {
      credential_type: 'x509_cert',
      pem: (await selfSigned('CN=self-signed client')).certPem,
    });
    const third = await rejection(
      mc.clients.credentials.create(app.clientId, { credential_type: 'cert_subject_dn', pem: (await issueLeaf(ca, DN)).certPem }),
    );
    expect(third).toBeInstanceOf(Management.BadRequestError);
    expect(third.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        'An application can have at most 2 certificate credentials (cert_subject_dn and x509_cert). Delete one before adding another.',
      errorCode: 'too_many_credentials',
    });
    expect(await mc.clients.credentials.list(app.clientId)).toHaveLength(2);
  });

  it('derives thumbprint_sha256, subject_dn and expires_at from the PEM, as openssl and Node read it', async () => {
    const ts = await startTestSandbox();
    const app = ts.sandbox.admin.createClient({ name: 'facts' });
    const leaf = await issueLeaf(await makeCa(), DN, { notAfter: new Date(Date.UTC(2031, 5, 30, 12, 0, 0)) });
    const credential = await ts
      .management()
      .clients.credentials.create(app.clientId, { credential_type: 'cert_subject_dn', pem: leaf.certPem });

    const fingerprint = openssl(['x509', '-noout', '-fingerprint', '-sha256'], leaf.certPem)
      .stdout.split('=')[1]!
      .trim()
      .replaceAll(':', '');
    expect(credential.thumbprint_sha256).toBe(Buffer.from(fingerprint, 'hex').toString('base64url'));
    expect(credential.thumbprint_sha256).toBe(createHash('sha256').update(new X509Certificate(leaf.certPem).raw).digest('base64url'));
    const notAfter = openssl(['x509', '-noout', '-enddate'], leaf.certPem).stdout.split('=')[1]!.trim();
    expect(credential.expires_at).toBe(new Date(notAfter).toISOString());
    expect(credential.expires_at).toBe('2031-06-30T12:00:00.000Z');
    expect(credential.subject_dn).toBe(new X509Certificate(leaf.certPem).subject);
    expect(credential.subject_dn).toBe(AUTH0_DN);
  });

  it('enforces the binding rules: one method, no token_endpoint_auth_method beside it, matching credential types, no deleting a bound credential', async () => {
    const ts = await startTestSandbox();
    const app = ts.sandbox.admin.createClient({ name: 'rules' });
    const mc = ts.management();
    const ca = await makeCa();
    const dn = await mc.clients.credentials.create(app.clientId, {
      credential_type: 'cert_subject_dn',
      pem: (await issueLeaf(ca, DN)).certPem,
    });
    const self = await mc.clients.credentials.create(app.clientId, {
      credential_type: 'x509_cert',
      pem: (await selfSigned('CN=self')).certPem,
    });

    const both = await rejection(
      mc.clients.update(app.clientId, { client_authentication_methods: { tls_client_auth: { credentials: [{ id: dn.id! }] } } }),
    );
    expect(both.body).toMatchObject({ statusCode: 400, errorCode: 'invalid_body' });
    expect((both.body as { message: string }).message).toContain('mutually exclusive');

    const mismatch = await rejection(
      mc.clients.update(app.clientId, {
        client_authentication_methods: { tls_client_auth: { credentials: [{ id: self.id! }] } },
        token_endpoint_auth_method: null,
      }),
    );
    expect((mismatch.body as { message: string }).message).toContain('accepts only cert_subject_dn');

    const two = await rejection(
      mc.clients.update(app.clientId, {
        client_authentication_methods: {
          tls_client_auth: { credentials: [{ id: dn.id! }] },
          self_signed_tls_client_auth: { credentials: [{ id: self.id! }] },
        },
        token_endpoint_auth_method: null,
      }),
    );
    expect(two.statusCode).toBe(400);

    await mc.clients.update(app.clientId, {
      client_authentication_methods: { self_signed_tls_client_auth: { credentials: [{ id: self.id! }] } },
      token_endpoint_auth_method: null,
    });
    const inUse = await rejection(mc.clients.credentials.delete(app.clientId, self.id!));
    expect(inUse.body).toMatchObject({ statusCode: 400, errorCode: 'credential_in_use' });

    const unknown = await rejection(mc.clients.update(app.clientId, { name: 'x', not_a_field: true } as never));
    expect((unknown.body as { message: string }).message).toBe(
      "Payload validation error: 'Additional properties not allowed: not_a_field'.",
    );
    const missing = await rejection(mc.clients.get('no-such-client'));
    expect(missing).toBeInstanceOf(Management.NotFoundError);
    expect(missing.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'The client does not exist',
      errorCode: 'inexistent_client',
    });
  });

  it('refuses a missing, foreign or expired bearer token with 401', async () => {
    let clock = Date.now();
    const ts = await startTestSandbox({ now: () => clock });
    const other = await startTestSandbox();
    const token = async (t: typeof ts) => {
      const m = t.sandbox.managementClient!;
      const res = await t.fetch(`https://${t.sandbox.domain}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: m.clientId,
          client_secret: m.clientSecret,
          audience: `https://${t.sandbox.domain}/api/v2/`,
        }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const call = (authorization?: string) =>
      ts
        .fetch(`https://${ts.sandbox.domain}/api/v2/tenants/settings`, { headers: authorization ? { authorization } : {} })
        .then(async (r) => ({ status: r.status, body: await r.json() }));

    expect(await call()).toEqual({
      status: 401,
      body: { statusCode: 401, error: 'Unauthorized', message: 'Missing authentication', errorCode: 'invalid_token' },
    });
    expect((await call(`Bearer ${await token(other)}`)).status).toBe(401);
    const fresh = await token(ts);
    expect((await call(`Bearer ${fresh}`)).status).toBe(200);
    // The same token a day and a minute later (Management API tokens live 24 hours): expired.
    clock += 86_460_000;
    const expired = await call(`Bearer ${fresh}`);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ statusCode: 401, errorCode: 'invalid_token' });
    expect((await call(`Bearer ${await token(ts)}`)).status).toBe(200);

    const wrongSecret = await rejection(
      ts.management({ clientId: ts.sandbox.managementClient!.clientId, clientSecret: 'wrong' }).clients.get('x'),
    );
    expect(wrongSecret.statusCode).toBe(401);
    expect(wrongSecret.body).toMatchObject({ error: 'invalid_client' });
  });
});
