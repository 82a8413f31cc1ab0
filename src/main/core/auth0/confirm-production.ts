import type { TenantView } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';

/** A production tenant is changed only when `confirm` repeats its name exactly. */
export function confirmProduction(tenant: Pick<TenantView, 'name' | 'environment'>, confirm: string | undefined, action: string): void {
  if (tenant.environment !== 'production' || confirm === tenant.name) return;
  const message =
    confirm === undefined
      ? `"${tenant.name}" is a production tenant: type its name to confirm.`
      : `The confirmation does not match: type "${tenant.name}" exactly to ${action} this production tenant.`;
  throw new CertdeskError('CONFIRMATION_REQUIRED', message, { field: 'confirm' });
}
