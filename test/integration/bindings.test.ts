/**
 * Bindings, plan and apply against the sandbox tenant through the real auth0 SDK: intent recorded
 * offline, a readable plan, an idempotent apply, drift shown rather than fixed, and unbinding that
 * never leaves an application without a working credential.
 */
import { describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import type { ApplyResult, Channel, ChannelInput, ChannelOutput, Failure, TenantPlan } from '../../src/shared/contract/index.ts';
import { bindingsRig, PAYMENTS_API, type BindingsRig } from '../support/bindings-rig.ts';

async function call<C extends Channel>(rig: BindingsRig, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await dispatch(createHandlers(rig.t.service), channel, input, () => {});
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
  return result.value as ChannelOutput<C>;
}

async function failure<C extends Channel>(rig: BindingsRig, channel: C, input: ChannelInput<C>): Promise<Failure> {
  const result = await dispatch(createHandlers(rig.t.service), channel, input, () => {});
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

const mutating = <T extends { method: string }>(calls: T[]): T[] => calls.filter((c) => c.method !== 'GET');

describe('bindings: plan and apply against the sandbox tenant', () => {
  it('binds offline, shows the plan, applies every step once, and a second apply changes nothing', async () => {
    const rig = await bindingsRig();
    const cert = await rig.issue('app-client-prod');
    const requestsBefore = rig.sb.records.length;

    const binding = await call(rig, 'bindings:create', {
      cert: cert.id,
      tenant: rig.tenant,
      clientId: rig.appId,
      api: PAYMENTS_API,
      pop: true,
      endpointAliases: true,
    });
    expect(binding).toMatchObject({
      state: 'active',
      credentialType: 'cert_subject_dn',
      credentialId: null,
      thumbprintSha256: cert.sha256Base64url,
      requirePop: true,
      api: PAYMENTS_API,
    });
    expect(rig.sb.records.length, 'bind works offline: no call to Auth0').toBe(requestsBefore);
    const outbox = await call(rig, 'outbox:list', { tenant: rig.tenant });
    expect(outbox).toEqual([expect.objectContaining({ kind: 'bind', state: 'pending', bindingId: binding.id, attempts: 0 })]);

    const plan: TenantPlan = await call(rig, 'auth0:plan', { tenant: rig.tenant });
    expect(plan.steps.map((s) => s.kind)).toEqual([
      'create-credential',
      'set-auth-methods',
      'set-client-pop',
      'set-api-pop',
      'enable-endpoint-aliases',
    ]);
    expect(plan.steps[1]).toMatchObject({
      before: expect.stringContaining('token_endpoint_auth_method client_secret_post'),
      after: expect.stringContaining('tls_client_auth: [(new credential for certdesk app-client-prod'),
    });
    expect(plan.drift).toEqual([]);
    expect(mutating(rig.managementCalls()), 'plan only reads').toEqual([]);

    rig.mark();
    const applied: ApplyResult = await call(rig, 'auth0:apply', { tenant: rig.tenant });
    expect(applied.outcome).toBe('applied');
    expect(applied.steps.map((s) => [s.kind, s.status])).toEqual([
      ['create-credential', 'done'],
      ['set-auth-methods', 'done'],
      ['set-client-pop', 'done'],
      ['set-api-pop', 'done'],
      ['enable-endpoint-aliases', 'done'],
    ]);
    expect(mutating(rig.managementCalls()).map((c) => `${c.method} ${c.status}`)).toEqual([
      'POST 201',
      'PATCH 200',
      'PATCH 200',
      'PATCH 201',
      'PATCH 200',
    ]);
    // (PATCH /resource-servers/{id} answers 201 in Auth0's own contract.)

    // The tenant now has exactly what the plan said, read back through the SDK.
    const mc = rig.sb.management();
    const credentials = await mc.clients.credentials.list(rig.appId);
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({
      credential_type: 'cert_subject_dn',
      thumbprint_sha256: cert.sha256Base64url,
      subject_dn: cert.subjectLines,
      name: binding.credentialName,
    });
    const client = await mc.clients.get(rig.appId);
    expect(client.client_authentication_methods).toEqual({ tls_client_auth: { credentials: [{ id: credentials[0]!.id }] } });
    expect(client.token_endpoint_auth_method ?? null).toBeNull();
    expect(client.require_proof_of_possession).toBe(true);
    expect((await mc.resourceServers.get(PAYMENTS_API)).proof_of_possession).toEqual({ mechanism: 'mtls', required: true });
    expect((await mc.tenants.settings.get()).mtls?.enable_endpoint_aliases).toBe(true);

    const [after] = await call(rig, 'bindings:list', { tenant: rig.tenant });
    expect(after).toMatchObject({
      credentialId: credentials[0]!.id,
      credentialExpiresAt: credentials[0]!.expires_at,
      appliedAt: expect.any(String),
    });
    expect(await call(rig, 'outbox:list', { tenant: rig.tenant })).toEqual([
      expect.objectContaining({ state: 'done', attempts: 1, lastError: null }),
    ]);
    // The schedule shows where the certificate is live at Auth0, and the credential's expires_at.
    const scheduled = (await call(rig, 'schedule:list', {})).find((i) => i.id === cert.id);
    expect(scheduled?.credentials).toEqual([
      { tenantName: 'Sandbox', clientId: rig.appId, credentialId: credentials[0]!.id, expiresAt: credentials[0]!.expires_at },
    ]);

    // Each step is in the audit log, and the chain still verifies.
    const actions = (await call(rig, 'audit:list', { limit: 50 })).items.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'binding.create',
        'auth0.create-credential',
        'auth0.set-auth-methods',
        'auth0.set-client-pop',
        'auth0.set-api-pop',
        'auth0.enable-endpoint-aliases',
        'auth0.apply',
      ]),
    );
    expect((await call(rig, 'audit:verify', {})).ok).toBe(true);

    rig.mark();
    expect((await call(rig, 'auth0:plan', { tenant: rig.tenant })).steps).toEqual([]);
    const again = await call(rig, 'auth0:apply', { tenant: rig.tenant });
    expect(again.outcome).toBe('nothing-to-do');
    expect(mutating(rig.managementCalls())).toEqual([]);
  });

  it("lists the tenant's applications to bind to, certdesk's own M2M application last", async () => {
    const rig = await bindingsRig();
    const clients = await call(rig, 'auth0:clients', { tenant: rig.tenant });
    expect(clients).toEqual([
      { clientId: rig.appId, name: 'payments-client', appType: expect.anything(), isCertdeskClient: false },
      { clientId: rig.sb.sandbox.managementClient!.clientId, name: expect.any(String), appType: expect.anything(), isCertdeskClient: true },
    ]);
  });

  it('refuses a third certificate for one application before any call is made', async () => {
    const rig = await bindingsRig();
    for (const cn of ['first', 'second'])
      await call(rig, 'bindings:create', { cert: (await rig.issue(cn)).id, tenant: rig.tenant, clientId: rig.appId });
    const third = await rig.issue('third');
    const before = rig.sb.records.length;
    const refused = await failure(rig, 'bindings:create', { cert: third.id, tenant: rig.tenant, clientId: rig.appId });
    expect(refused).toMatchObject({
      code: 'AUTH0_CREDENTIAL_LIMIT',
      field: 'clientId',
      message: expect.stringContaining('Auth0 allows 2 per application'),
    });
    expect(rig.sb.records.length, 'no request reached the tenant').toBe(before);
    expect(await call(rig, 'bindings:list', { tenant: rig.tenant })).toHaveLength(2);
  });

  it('shows drift (orphaned credential, DN mismatch, revoked bound certificate) without fixing it, and blocks a plan that would exceed two credentials', async () => {
    const rig = await bindingsRig();
    const good = await rig.issue('good-client');
    const bound = await call(rig, 'bindings:create', { cert: good.id, tenant: rig.tenant, clientId: rig.appId });
    const mc = rig.sb.management();
    // Someone registered the credential by hand with the wrong DN, under certdesk's name.
    await mc.clients.credentials.create(rig.appId, {
      credential_type: 'cert_subject_dn',
      name: bound.credentialName,
      subject_dn: 'C=US\nO=YourOrg\nCN=good-client-typo',
    });
    const orphan = await mc.clients.credentials.create(rig.appId, {
      credential_type: 'cert_subject_dn',
      name: 'hand-made',
      subject_dn: 'CN=legacy',
    });

    const plan = await call(rig, 'auth0:plan', { tenant: rig.tenant });
    expect(plan.drift.map((d) => [d.kind, d.severity])).toEqual([
      ['dn-mismatch', 'warning'],
      ['orphaned-credential', 'warning'],
    ]);
    expect(plan.drift[0]!.message).toContain('silent 401 invalid_client');
    expect(plan.drift[1]).toMatchObject({ credentialId: orphan.id });
    expect(plan.clients[0]!.credentials.map((c) => c.bindingId)).toEqual([bound.id, null]);

    await rig.t.service.revoke({ cert: good.id, reason: 'keyCompromise' });
    expect((await call(rig, 'auth0:plan', { tenant: rig.tenant })).drift.map((d) => d.kind)).toContain('bound-cert-revoked');

    // A second binding would make three credentials (ours, the orphan, the new one): blocked, nothing changed.
    const other = await rig.issue('other-client');
    await call(rig, 'bindings:create', { cert: other.id, tenant: rig.tenant, clientId: rig.appId });
    rig.mark();
    const blocked = await call(rig, 'auth0:apply', { tenant: rig.tenant });
    expect(blocked.outcome).toBe('blocked');
    expect(blocked.message).toMatch(/3 certificate credentials .* Auth0 allows 2/);
    expect(mutating(rig.managementCalls())).toEqual([]);
    expect(await mc.clients.credentials.list(rig.appId)).toHaveLength(2);
    expect(
      (await call(rig, 'outbox:list', { tenant: rig.tenant })).every(
        (o) => o.state === 'blocked' && o.lastError?.includes('Auth0 allows 2'),
      ),
    ).toBe(true);
  });

  it('unbinds by removing the credential only after the others are bound, and never the last one', async () => {
    const rig = await bindingsRig();
    const oldCert = await rig.issue('rotating-client');
    const oldBinding = await call(rig, 'bindings:create', { cert: oldCert.id, tenant: rig.tenant, clientId: rig.appId });
    expect((await call(rig, 'auth0:apply', { tenant: rig.tenant })).outcome).toBe('applied');
    const lastOne = await failure(rig, 'bindings:remove', { binding: oldBinding.id });
    expect(lastOne).toMatchObject({ code: 'CONFLICT', field: 'binding', message: expect.stringContaining('no working credential') });

    // The replacement is a successor in the same lineage: a second lineage may not take a bound DN.
    const newCert = await rig.t.service.renew({ cert: oldCert.id });
    await call(rig, 'bindings:create', { cert: newCert.id, tenant: rig.tenant, clientId: rig.appId });
    await call(rig, 'bindings:remove', { binding: oldBinding.id });
    const plan = await call(rig, 'auth0:plan', { tenant: rig.tenant });
    expect(plan.steps.map((s) => s.kind)).toEqual(['create-credential', 'set-auth-methods', 'delete-credential']);

    const applied = await call(rig, 'auth0:apply', { tenant: rig.tenant });
    expect(applied.outcome).toBe('applied');
    const mc = rig.sb.management();
    const credentials = await mc.clients.credentials.list(rig.appId);
    expect(credentials.map((c) => c.thumbprint_sha256)).toEqual([newCert.sha256Base64url]);
    expect((await mc.clients.get(rig.appId)).client_authentication_methods).toEqual({
      tls_client_auth: { credentials: [{ id: credentials[0]!.id }] },
    });
    const states = (await call(rig, 'bindings:list', { tenant: rig.tenant })).map((b) => [b.certificateId, b.state]);
    expect(states).toEqual(
      expect.arrayContaining([
        [newCert.id, 'active'],
        [oldCert.id, 'removed'],
      ]),
    );
  });

  it('asks a production tenant for its name before apply', async () => {
    const rig = await bindingsRig({ environment: 'production' });
    await call(rig, 'bindings:create', { cert: (await rig.issue('prod-client')).id, tenant: rig.tenant, clientId: rig.appId });
    rig.mark();
    expect(await failure(rig, 'auth0:apply', { tenant: rig.tenant })).toMatchObject({ code: 'CONFIRMATION_REQUIRED', field: 'confirm' });
    expect(await failure(rig, 'auth0:apply', { tenant: rig.tenant, confirm: 'sandbox ' })).toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
      message: expect.stringContaining('type "Sandbox" exactly'),
    });
    expect(rig.managementCalls()).toEqual([]);
    expect((await call(rig, 'auth0:apply', { tenant: rig.tenant, confirm: 'Sandbox' })).outcome).toBe('applied');
  });
});
