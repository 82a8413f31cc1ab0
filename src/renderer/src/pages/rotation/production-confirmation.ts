import type { TenantView } from '../../../../shared/contract/index.ts';

/**
 * Which of the tenants a rotation touches are production, and whether the typed confirmation
 * (comma-separated names) names every one of them. Both rotation dialogs gate Rotate on it.
 */
export function productionConfirmation(
  tenantNames: readonly string[],
  tenants: readonly Pick<TenantView, 'name' | 'environment'>[],
  confirm: string,
): { production: string[]; confirmed: boolean } {
  const production = [...new Set(tenantNames)].filter((name) => tenants.find((t) => t.name === name)?.environment === 'production');
  const typed = confirm.split(',').map((s) => s.trim());
  return { production, confirmed: production.every((name) => typed.includes(name)) };
}
