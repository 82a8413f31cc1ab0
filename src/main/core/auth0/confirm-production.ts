import type { TenantView } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';

/** A production consent as a rotation job records it, to be given back when the job resumes. */
export interface ConsentRecord {
  tenantId: string;
  tenantName: string;
  givenAt: string;
  by: 'typed-name';
}

// Only this module holds it: a ProductionConsent cannot be made anywhere else.
const MINT: unique symbol = Symbol('ProductionConsent');

/**
 * The operator's typed confirmation for one production tenant, checked once (when a job starts)
 * and then carried by the job, so its later steps change that tenant without the name typed again.
 * It covers that tenant only.
 */
export class ProductionConsent {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly givenAt: string;
  readonly by = 'typed-name' as const;

  constructor(mint: typeof MINT, record: Omit<ConsentRecord, 'by'>) {
    if (mint !== MINT) throw new Error('A production consent is given only by confirmProduction.');
    this.tenantId = record.tenantId;
    this.tenantName = record.tenantName;
    this.givenAt = record.givenAt;
  }

  toRecord(): ConsentRecord {
    return { tenantId: this.tenantId, tenantName: this.tenantName, givenAt: this.givenAt, by: this.by };
  }
}

/**
 * A production tenant is changed only when `confirm` repeats its name exactly, or is the consent
 * such a confirmation gave for that same tenant. Returns the consent (null for a tenant that is
 * not production, which needs none).
 */
export function confirmProduction(
  tenant: Pick<TenantView, 'id' | 'name' | 'environment'>,
  confirm: string | ProductionConsent | undefined,
  action: string,
  at: Date = new Date(),
): ProductionConsent | null {
  if (tenant.environment !== 'production') return null;
  if (confirm instanceof ProductionConsent) {
    if (confirm.tenantId === tenant.id) return confirm;
    throw new CertdeskError(
      'CONFIRMATION_REQUIRED',
      `The confirmation was given for "${confirm.tenantName}", not for the production tenant "${tenant.name}": type "${tenant.name}" to ${action} it.`,
      { field: 'confirm' },
    );
  }
  if (confirm === tenant.name)
    return new ProductionConsent(MINT, { tenantId: tenant.id, tenantName: tenant.name, givenAt: at.toISOString() });
  const message =
    confirm === undefined
      ? `"${tenant.name}" is a production tenant: type its name to confirm.`
      : `The confirmation does not match: type "${tenant.name}" exactly to ${action} this production tenant.`;
  throw new CertdeskError('CONFIRMATION_REQUIRED', message, { field: 'confirm' });
}

/**
 * A consent confirmProduction gave, read back from the job that recorded it (the store is
 * certdesk's own; nothing an operator or a caller sends becomes a consent this way).
 */
export function recordedConsent(record: ConsentRecord): ProductionConsent {
  if (record.by !== 'typed-name') throw new Error(`unknown kind of production consent "${String(record.by)}"`);
  return new ProductionConsent(MINT, record);
}
