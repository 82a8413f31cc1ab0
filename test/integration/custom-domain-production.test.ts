/**
 * Issue 10 leftovers, L1: `auth0:custom-domain` created and verified a production tenant's custom
 * domain with no confirmation, unlike every other change to a tenant. Replayed through the real web
 * host with its token: refused unless the tenant's name is typed again, with no request sent to Auth0.
 */
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/host/dispatch.ts';
import { bindingsRig } from '../support/bindings-rig.ts';
import { webRpc } from '../support/web-rpc.ts';

describe('custom domain on a production tenant', () => {
  it('is refused without the typed tenant name, and with a wrong one, before anything reaches Auth0', async () => {
    const rig = await bindingsRig({ environment: 'production' });
    const rpc = await webRpc(createHandlers(rig.t.service));
    const audit = rig.t.service.audit.list(0, 1).total;
    rig.mark();

    const missing = await rpc('auth0:custom-domain', { tenant: rig.tenant, domain: 'login.example.com' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED', field: 'confirm' } });
    expect(missing.error?.message).toContain('type its name');
    const wrong = await rpc('auth0:custom-domain', { tenant: rig.tenant, domain: 'login.example.com', confirm: 'sandbox' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED', field: 'confirm' } });

    expect(rig.managementCalls()).toEqual([]);
    expect(rig.sb.sandbox.state().custom_domains).toEqual([]);
    expect(rig.t.service.audit.list(0, 1).total).toBe(audit);

    // Typed exactly: the domain is created and verified, as before.
    const confirmed = await rpc('auth0:custom-domain', { tenant: rig.tenant, domain: 'login.example.com', confirm: rig.tenant });
    expect(confirmed).toMatchObject({ ok: true, value: { domain: 'login.example.com', status: 'ready' } });
  });

  it('needs no confirmation for a development tenant', async () => {
    const rig = await bindingsRig();
    const rpc = await webRpc(createHandlers(rig.t.service));
    expect(await rpc('auth0:custom-domain', { tenant: rig.tenant, domain: 'login.example.com' })).toMatchObject({
      ok: true,
      value: { status: 'ready' },
    });
  });
});
