import { describe, expect, it } from 'vitest';
import { planTenant, type PlannedBinding } from '../../src/main/core/auth0/plan.ts';
import type { ActualClient, ActualTenant } from '../../src/main/core/auth0/tenant-state.ts';
import { sameDn } from '../../src/main/core/pki/names.ts';
import type { TenantView } from '../../src/shared/contract/index.ts';

const NOW = new Date(Date.UTC(2026, 10, 25));
const tenant: TenantView = {
  id: 't',
  name: 'Prod',
  environment: 'production',
  domain: 'acme.eu.auth0.com',
  customDomain: null,
  clientId: 'm2m',
  secretStorage: 'keychain',
  createdAt: '2026-01-01T00:00:00.000Z',
  diagnostics: null,
};

function binding(id: string, over: Partial<PlannedBinding> = {}): PlannedBinding {
  return {
    id,
    tenantId: 't',
    clientId: 'app',
    certificateId: `cert-${id}`,
    credentialType: 'cert_subject_dn',
    credentialName: `certdesk ${id}`,
    credentialId: null,
    credentialExpiresAt: null,
    requirePop: false,
    api: null,
    endpointAliases: false,
    state: 'active',
    createdAt: '2026-11-01T00:00:00.000Z',
    appliedAt: null,
    thumbprintSha256: `x5t-${id}`,
    subject: `CN=${id},O=Acme`,
    subjectLines: `O=Acme\nCN=${id}`,
    certificateStatus: 'active',
    notAfter: '2027-02-01T00:00:00.000Z',
    ...over,
  };
}

function client(over: Partial<ActualClient> = {}): ActualClient {
  return {
    clientId: 'app',
    exists: true,
    name: 'App',
    authMethod: null,
    boundCredentialIds: [],
    tokenEndpointAuthMethod: 'client_secret_post',
    requirePop: false,
    credentials: [],
    ...over,
  };
}

const actual = (c: ActualClient): ActualTenant => ({ clients: new Map([[c.clientId, c]]), apis: new Map(), endpointAliases: null });
const credential = (id: string, thumbprint: string | null, subjectDn: string | null = null) => ({
  id,
  name: '',
  credentialType: 'cert_subject_dn',
  subjectDn,
  thumbprintSha256: thumbprint,
  expiresAt: null,
});

describe('planTenant', () => {
  it('keeps a bound credential certdesk does not know bound (and flags it), rather than silently unbinding it', () => {
    const plan = planTenant(
      tenant,
      [binding('new')],
      actual(
        client({
          authMethod: 'tls_client_auth',
          boundCredentialIds: ['cred_foreign'],
          tokenEndpointAuthMethod: null,
          credentials: [credential('cred_foreign', 'x5t-foreign')],
        }),
      ),
      NOW,
    );
    expect(plan.steps.map((s) => s.kind)).toEqual(['create-credential', 'set-auth-methods']);
    expect(plan.steps[1]!.after).toBe(
      'tls_client_auth: [(new credential for certdesk new), cred_foreign]; token_endpoint_auth_method null',
    );
    expect(plan.drift).toEqual([
      expect.objectContaining({ kind: 'orphaned-credential', severity: 'warning', credentialId: 'cred_foreign' }),
    ]);
  });

  it('removes a retired credential only after binding the others, and not at all when it is already gone', () => {
    const bound = client({
      authMethod: 'tls_client_auth',
      boundCredentialIds: ['cred_old', 'cred_new'],
      tokenEndpointAuthMethod: null,
      credentials: [credential('cred_old', 'x5t-old'), credential('cred_new', 'x5t-new')],
    });
    const plan = planTenant(tenant, [binding('old', { state: 'retired' }), binding('new')], actual(bound), NOW);
    expect(plan.steps.map((s) => `${s.kind}${s.kind === 'set-auth-methods' ? ` ${s.after}` : ''}`)).toEqual([
      'set-auth-methods tls_client_auth: [cred_new]; token_endpoint_auth_method null',
      'delete-credential',
    ]);
    const gone = client({
      authMethod: 'tls_client_auth',
      boundCredentialIds: ['cred_new'],
      tokenEndpointAuthMethod: null,
      credentials: [credential('cred_new', 'x5t-new')],
    });
    expect(planTenant(tenant, [binding('old', { state: 'retired' }), binding('new')], actual(gone), NOW).steps).toEqual([]);
  });

  it('blocks when the creates would pass two certificate credentials, and names expired and revoked bound certificates', () => {
    const full = client({ credentials: [credential('cred_a', 'x5t-a'), credential('cred_b', null, 'CN=legacy')] });
    const blocked = planTenant(tenant, [binding('a'), binding('c')], actual(full), NOW);
    expect(blocked.blocked).toBe(true);
    expect(blocked.drift.map((d) => d.kind)).toEqual(['orphaned-credential', 'credential-limit']);
    const stale = planTenant(
      tenant,
      [binding('x', { certificateStatus: 'revoked' }), binding('y', { notAfter: '2026-11-01T00:00:00.000Z' })],
      actual(client()),
      NOW,
    );
    expect(stale.drift.map((d) => d.kind)).toEqual(['bound-cert-revoked', 'bound-cert-expired']);
  });

  it('matches DNs the way operators write them: one RDN per line, any case, spaces around "=" ignored', () => {
    expect(sameDn('C=US\nO=YourOrg\nCN=app-client-prod', 'c = US\no=YourOrg\nCN = APP-client-prod')).toBe(true);
    expect(sameDn('C=US\nO=YourOrg\nCN=app-client-prod', 'CN=app-client-prod\nO=YourOrg\nC=US')).toBe(false);
  });
});
