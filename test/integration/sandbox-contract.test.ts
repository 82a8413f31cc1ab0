/**
 * The sandbox against Auth0's contract (test/fixtures/auth0). Every sandbox test already checks each
 * answer it provokes (test/support/sandbox.ts); this file makes sure every emulated operation is
 * provoked, in success and in failure, and that the emulator's own tables match the contract.
 */
import { describe, expect, it } from 'vitest';
import { MANAGEMENT_ROUTES } from '../../src/sandbox/management-api.ts';
import * as fields from '../../src/sandbox/oas-fields.ts';
import { OPERATION_SCOPES } from '../../src/sandbox/scopes.ts';
import { authenticationOas, contractViolations, managementOas } from '../support/sandbox-contract.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';
import { issueLeaf, makeCa } from '../support/sandbox-pki.ts';

const ALL_SCOPES = [...new Set(Object.values(OPERATION_SCOPES).flat())];

async function tokenFor(ts: TestSandbox, scopes: readonly string[]): Promise<string> {
  const client = ts.sandbox.admin.createM2mClient({ scopes });
  const res = await ts.fetch(`https://${ts.sandbox.domain}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      audience: `https://${ts.sandbox.domain}/api/v2/`,
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('sandbox contract', () => {
  it('emulates only operations of the contract, with the scopes its security names', () => {
    for (const route of MANAGEMENT_ROUTES) {
      const operation = managementOas.paths[route.template]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.template}`).toBeDefined();
      const scopes = operation!.security?.find((s) => 'oAuth2ClientCredentials' in s)?.oAuth2ClientCredentials;
      expect(OPERATION_SCOPES[`${route.method} ${route.template}`], `${route.method} ${route.template}`).toEqual(scopes);
    }
    expect(Object.keys(OPERATION_SCOPES).sort()).toEqual(MANAGEMENT_ROUTES.map((r) => `${r.method} ${r.template}`).sort());
    expect(authenticationOas.paths['/oauth/token']?.post).toBeDefined();
  });

  it('keeps its run-time field lists equal to the contract schemas', () => {
    const keys = (schema: string) => Object.keys(managementOas.components.schemas[schema]?.properties ?? {});
    expect(fields.UPDATE_CLIENT_KEYS).toEqual(keys('UpdateClientRequestContent'));
    expect(fields.UPDATE_TENANT_SETTINGS_KEYS).toEqual(keys('UpdateTenantSettingsRequestContent'));
    expect(fields.TENANT_SETTINGS_RESPONSE_KEYS).toEqual(keys('GetTenantSettingsResponseContent'));
    expect(fields.TENANT_SETTINGS_RESPONSE_KEYS).toEqual(keys('UpdateTenantSettingsResponseContent'));
    expect(fields.UPDATE_RESOURCE_SERVER_KEYS).toEqual(keys('UpdateResourceServerRequestContent'));
    expect(fields.RESOURCE_SERVER_RESPONSE_KEYS).toEqual(keys('GetResourceServerResponseContent'));
    expect(fields.RESOURCE_SERVER_RESPONSE_KEYS).toEqual(keys('UpdateResourceServerResponseContent'));
    expect(fields.CLIENT_APP_TYPES).toEqual((managementOas.components.schemas.ClientAppTypeEnum as { enum: string[] }).enum);
  });

  it('answers every emulated operation, in success and failure, within the contract', async () => {
    let clock = Date.now();
    const ts = await startTestSandbox({ now: () => clock });
    const { sandbox } = ts;
    const full = await tokenFor(ts, ALL_SCOPES);
    const none = await tokenFor(ts, []);
    const app = sandbox.admin.createClient({ name: 'contract' });
    sandbox.admin.createResourceServer({ identifier: 'https://contract.example.com/', scopes: ['read:things'] });
    const leaf = await issueLeaf(await makeCa(), 'C=US, O=YourOrg, CN=contract');

    const call = async (method: string, path: string, body?: unknown, token: string | null = full) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await ts.fetch(`https://${sandbox.domain}/api/v2${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    };
    const c = `/clients/${app.clientId}`;

    await call('GET', '/clients');
    await call('GET', '/clients', undefined, none);
    await call('GET', c);
    await call('GET', c, undefined, null);
    await call('GET', '/clients/nope');
    await call('PATCH', c, { require_proof_of_possession: 'yes' });
    await call('PATCH', '/clients/nope', { name: 'x' });
    await call('PATCH', c, { name: 'x' }, none);

    const created = await call('POST', `${c}/credentials`, { credential_type: 'cert_subject_dn', name: 'contract', pem: leaf.certPem });
    const credId = String(created.body?.id);
    await call('POST', `${c}/credentials`, { credential_type: 'x509_cert' });
    await call('POST', `${c}/credentials`, { credential_type: 'cert_subject_dn', subject_dn: 'CN=x' }, none);
    await call('POST', '/clients/nope/credentials', { credential_type: 'cert_subject_dn', subject_dn: 'CN=x' });
    await call('POST', `${c}/credentials`, { credential_type: 'public_key', pem: leaf.certPem, parse_expiry_from_cert: true });
    await call('GET', `${c}/credentials`);
    await call('GET', '/clients/nope/credentials');
    await call('GET', `${c}/credentials/${credId}`);
    await call('GET', `${c}/credentials/cred_nope`);
    await call('PATCH', `${c}/credentials/${credId}`, { expires_at: null });
    await call('PATCH', `${c}/credentials/${credId}`, { name: 'not patchable' });
    await call('PATCH', `${c}/credentials/cred_nope`, { expires_at: '2030-01-01T00:00:00Z' });
    await call('PATCH', c, {
      client_authentication_methods: { tls_client_auth: { credentials: [{ id: credId }] } },
      token_endpoint_auth_method: null,
    });
    await call('DELETE', `${c}/credentials/${credId}`);
    await call('DELETE', `${c}/credentials/${credId}`, undefined, none);
    await call('PATCH', c, { client_authentication_methods: null, token_endpoint_auth_method: 'client_secret_basic' });
    await call('DELETE', `${c}/credentials/${credId}`);

    await call('GET', '/tenants/settings');
    await call('PATCH', '/tenants/settings', { mtls: { enable_endpoint_aliases: true }, friendly_name: 'Contract' });
    await call('PATCH', '/tenants/settings', { mtls: { enable_endpoint_aliases: 'yes' } });
    await call('PATCH', '/tenants/settings', { friendly_name: 'x' }, none);

    const domain = await call('POST', '/custom-domains', {
      domain: 'login.contract.example',
      type: 'self_managed_certs',
      custom_client_ip_header: 'x-forwarded-for',
    });
    await call('POST', '/custom-domains', { domain: 'login.contract.example', type: 'self_managed_certs' });
    await call('POST', '/custom-domains', { domain: 'auth.contract.example', type: 'self_managed_certs', tls_policy: 'recommended' });
    await call('POST', '/custom-domains', { domain: 'managed.contract.example', type: 'auth0_managed_certs' });
    const id = String(domain.body?.custom_domain_id);
    await call('GET', '/custom-domains');
    await call('GET', `/custom-domains/${id}`);
    await call('GET', '/custom-domains/cd_nope');
    await call('POST', `/custom-domains/${id}/verify`);
    await call('POST', `/custom-domains/${id}/verify`);
    await call('POST', '/custom-domains/cd_nope/verify');

    const rs = encodeURIComponent('https://contract.example.com/');
    await call('GET', '/resource-servers');
    await call('GET', `/resource-servers/${rs}`);
    await call('GET', '/resource-servers/nope');
    await call('PATCH', `/resource-servers/${rs}`, {
      proof_of_possession: { mechanism: 'mtls', required: true, required_for: 'all_clients' },
      token_lifetime: 3600,
    });
    await call('PATCH', `/resource-servers/${rs}`, { proof_of_possession: { mechanism: 'mtls' } });
    await call('PATCH', `/resource-servers/${encodeURIComponent(`https://${sandbox.domain}/api/v2/`)}`, { name: 'renamed' });

    const token = (form: Record<string, string>) =>
      ts.fetch(`https://${sandbox.domain}/oauth/token`, { method: 'POST', body: new URLSearchParams(form) });
    await token({ grant_type: 'password' });
    await token({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: 'wrong',
      audience: 'https://contract.example.com/',
    });
    await token({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      audience: 'https://contract.example.com/',
    });
    await ts.fetch(`https://${sandbox.domain}/.well-known/openid-configuration`);
    await ts.fetch(`https://${sandbox.domain}/.well-known/jwks.json`);

    sandbox.setFaults({ rateLimitPerSecond: 0 });
    await call('GET', c);
    await token({ grant_type: 'client_credentials' });
    clock += 1000;

    const seen = new Set(ts.records.map((r) => `${r.method} ${r.route ?? r.path} ${r.status}`));
    const expected = [
      'GET /clients 200',
      'GET /clients 403',
      'GET /clients/{id} 200',
      'GET /clients/{id} 401',
      'GET /clients/{id} 404',
      'GET /clients/{id} 429',
      'PATCH /clients/{id} 200',
      'PATCH /clients/{id} 400',
      'PATCH /clients/{id} 403',
      'PATCH /clients/{id} 404',
      'GET /clients/{client_id}/credentials 200',
      'GET /clients/{client_id}/credentials 404',
      'POST /clients/{client_id}/credentials 201',
      'POST /clients/{client_id}/credentials 400',
      'POST /clients/{client_id}/credentials 403',
      'POST /clients/{client_id}/credentials 404',
      'GET /clients/{client_id}/credentials/{credential_id} 200',
      'GET /clients/{client_id}/credentials/{credential_id} 404',
      'PATCH /clients/{client_id}/credentials/{credential_id} 201',
      'PATCH /clients/{client_id}/credentials/{credential_id} 400',
      'PATCH /clients/{client_id}/credentials/{credential_id} 404',
      'DELETE /clients/{client_id}/credentials/{credential_id} 204',
      'DELETE /clients/{client_id}/credentials/{credential_id} 400',
      'DELETE /clients/{client_id}/credentials/{credential_id} 403',
      'GET /tenants/settings 200',
      'PATCH /tenants/settings 200',
      'PATCH /tenants/settings 400',
      'PATCH /tenants/settings 403',
      'GET /custom-domains 200',
      'POST /custom-domains 201',
      'POST /custom-domains 400',
      'POST /custom-domains 409',
      'GET /custom-domains/{id} 200',
      'GET /custom-domains/{id} 404',
      'POST /custom-domains/{id}/verify 200',
      'POST /custom-domains/{id}/verify 400',
      'POST /custom-domains/{id}/verify 404',
      'GET /resource-servers 200',
      'GET /resource-servers/{id} 200',
      'GET /resource-servers/{id} 404',
      'PATCH /resource-servers/{id} 201',
      'PATCH /resource-servers/{id} 400',
      'POST /oauth/token 200',
      'POST /oauth/token 400',
      'POST /oauth/token 401',
      'POST /oauth/token 429',
      'GET /.well-known/openid-configuration 200',
      'GET /.well-known/jwks.json 200',
    ];
    expect([...seen].sort()).toEqual(expect.arrayContaining(expected));
    expect(ts.records.flatMap(contractViolations)).toEqual([]);
  });
});
