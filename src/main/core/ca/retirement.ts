import type { CaRevocationReason } from '../../../shared/contract/index.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { CertdeskError } from '../errors.ts';
import type { AuthorityRecord, AuthorityRepository } from '../store/authority-repository.ts';
import type { Database } from '../store/database.ts';

/**
 * Refuses new issuance under a CA the operator retired or revoked, by name. What the CA signed
 * before stays valid: retirement is about the future only.
 */
export function assertInService(ca: AuthorityRecord, field: string): void {
  if (ca.revokedAt)
    throw new CertdeskError(
      'CA_REVOKED',
      `"${ca.name}" was revoked on ${ca.revokedAt} (${ca.revocationReason ?? 'unspecified'}) and signs nothing new; choose another CA.`,
      { field },
    );
  if (ca.retiredAt)
    throw new CertdeskError(
      'CA_RETIRED',
      `"${ca.name}" was retired on ${ca.retiredAt}: it signs nothing new. Choose another CA, or put it back in service on the Authorities page.`,
      { field },
    );
}

export interface RetirementDeps {
  db: Database;
  repo: AuthorityRepository;
  clock: Clock;
  audit: AuditLog | undefined;
}

/** Stops (or resumes) new issuance under a CA; audited. A revoked CA cannot be put back in service. */
export function setRetired(deps: RetirementDeps, ca: AuthorityRecord, retired: boolean): void {
  if (ca.revokedAt)
    throw new CertdeskError('CA_REVOKED', `"${ca.name}" is revoked; a revoked CA cannot be put back in service.`, { field: 'ca' });
  if (Boolean(ca.retiredAt) === retired)
    throw new CertdeskError(
      'CONFLICT',
      retired ? `"${ca.name}" is already retired; nothing was changed.` : `"${ca.name}" is already in service; nothing was changed.`,
      { field: 'ca' },
    );
  const at = deps.clock.now().toISOString();
  deps.db
    .transaction(() => {
      if (!deps.repo.setRetired(ca.id, retired ? at : null))
        throw new CertdeskError('CONFLICT', `"${ca.name}" was changed by another process a moment ago; reload and try again.`, {
          field: 'ca',
        });
      deps.audit?.append(retired ? 'ca.retire' : 'ca.reinstate', ca.id, { name: ca.name });
    })
    .immediate();
}

/** Records the revocation of an issuing CA (its root's next CRL lists it); the caller signs that CRL. */
export function revokeAuthority(deps: RetirementDeps, ca: AuthorityRecord, reason: CaRevocationReason): void {
  if (ca.kind !== 'issuing' || !ca.parentId)
    throw new CertdeskError(
      'VALIDATION',
      `"${ca.name}" is a root CA: nothing above it can list it on a CRL. Retire it instead, and remove it from the edge's trust.`,
      { field: 'ca' },
    );
  if (ca.revokedAt)
    throw new CertdeskError('ALREADY_REVOKED', `"${ca.name}" was already revoked on ${ca.revokedAt}; nothing was changed.`, {
      field: 'ca',
    });
  const at = deps.clock.now().toISOString();
  deps.db
    .transaction(() => {
      if (!deps.repo.revoke(ca.id, at, reason))
        throw new CertdeskError('ALREADY_REVOKED', `"${ca.name}" was revoked a moment ago by another process.`, { field: 'ca' });
      deps.audit?.append('ca.revoke', ca.id, { name: ca.name, serial: ca.serialHex, reason });
    })
    .immediate();
}
