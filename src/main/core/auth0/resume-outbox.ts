import type { Bindings } from './bindings.ts';
import type { Tenants } from './tenants.ts';

/**
 * Continues applies the operator started that the tenant could not take (offline, 5xx, rate
 * limit): outbox items already attempted and still pending. Items never applied wait for the
 * operator's review of the plan, and a production tenant always waits for its typed confirmation.
 */
export async function resumeOutbox(core: { tenants: Tenants; bindings: Bindings }): Promise<void> {
  for (const tenant of core.tenants.list()) {
    if (tenant.environment === 'production') continue;
    const retry = core.bindings.outbox.open(tenant.id).filter((item) => item.state === 'pending' && item.attempts > 0);
    if (retry.length === 0) continue;
    const clientIds = [
      ...new Set(
        retry.map((item) => core.bindings.repository.get(item.bindingId)?.clientId).filter((id): id is string => id !== undefined),
      ),
    ];
    await core.bindings.apply({ tenant: tenant.id }, { scope: { clientIds } }).catch(() => undefined);
  }
}
