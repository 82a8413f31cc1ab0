/**
 * Issue 10 review, finding 3: `bindings:create` did not look at the DN. Auth0 matches
 * cert_subject_dn credentials by DN alone, so binding a certificate whose DN is already bound to one
 * application to a second one gives both the same login. The test replays it through the contract
 * and proves it refused with nothing recorded and nothing sent to the tenant.
 */
import { describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import type { Result } from '../../src/shared/contract/index.ts';
import { bindingsRig } from '../support/bindings-rig.ts';

describe('a DN bound to one application cannot be bound to another', () => {
  it('refuses the certificate and its successor for a second application, and still binds the successor beside it', async () => {
    const rig = await bindingsRig();
    const { t } = rig;
    const handlers = createHandlers(t.service);
    const create = async (input: object) => (await dispatch(handlers, 'bindings:create', input, () => {})) as Result<unknown>;
    const a = await rig.issue('payments-client');
    expect((await create({ cert: a.id, tenant: rig.tenant, clientId: rig.appId })).ok).toBe(true);
    await t.service.bindings.apply({ tenant: rig.tenant });
    const other = rig.sb.sandbox.admin.createClient({ name: 'reporting-client' });
    // The successor keeps A's DN: renewal is allowed, binding it elsewhere is the attack.
    const successor = await t.service.renew({ cert: a.id });
    const rows = () =>
      t.service.db
        .prepare(
          'SELECT (SELECT count(*) FROM bindings) b, (SELECT count(*) FROM outbox) o, (SELECT count(*) FROM audit_log) a, (SELECT group_concat(id) FROM bindings) ids',
        )
        .get();
    const before = rows();
    rig.mark();

    for (const cert of [a.id, successor.id]) {
      const refused = await create({ cert, tenant: rig.tenant, clientId: other.clientId });
      expect(refused.ok, cert).toBe(false);
      if (refused.ok) continue;
      expect(refused.error).toMatchObject({ code: 'SUBJECT_DN_CONFLICT', field: 'cert' });
      expect(refused.error.message).toContain(`bound to application ${rig.appId}`);
      expect(refused.error.message).toContain(`lineage ${a.id}`);
    }

    // Nothing recorded, nothing queued, no request reached the tenant, and the other application has no credential.
    expect(rows()).toEqual(before);
    expect(rig.managementCalls()).toEqual([]);
    expect(await rig.sb.management().clients.credentials.list(other.clientId)).toEqual([]);

    // The same application takes its own successor beside the certificate it replaces.
    const beside = await create({ cert: successor.id, tenant: rig.tenant, clientId: rig.appId });
    expect(beside).toMatchObject({ ok: true, value: { certificateId: successor.id, clientId: rig.appId } });
  });
});
