/**
 * A stored target is approved by a keyed MAC over its whole row (approval-mac.ts, the scheme of every approval, under
 * its own HKDF subkey of the audit key): whoever can write the SQLite file can change a target's
 * path, host or reload argv, but cannot make the change verify, so a key is never written where the
 * operator did not choose. A target that fails the check is refused before anything is read or written.
 */
import { createHash } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.ts';
import { recordMac, recordMacHolds } from '../edge/approval-mac.ts';
import { CertdeskError } from '../errors.ts';
import type { TargetRow } from './target-repository.ts';

const LABEL = 'certdesk-delivery-target-approval';

function targetRecord(row: Omit<TargetRow, 'approved_mac' | 'removed_at'>): Record<string, unknown> {
  return {
    v: 1,
    id: row.id,
    certificateId: row.certificate_id,
    kind: row.kind,
    spec: row.spec,
    sealedSecret: row.sealed_secret ? createHash('sha256').update(row.sealed_secret).digest('hex') : null,
    approvedBy: row.approved_by,
    createdAt: row.created_at,
  };
}

export function targetMac(key: Uint8Array, row: Omit<TargetRow, 'approved_mac' | 'removed_at'>): string {
  return recordMac(key, LABEL, targetRecord(row));
}

/** The approval key, or TARGET_NOT_APPROVED naming why there is none. */
export function targetKey(audit: AuditLog, what: string): Uint8Array {
  const key = audit.subkey('delivery-target-approval');
  if ('problem' in key)
    throw new CertdeskError('TARGET_NOT_APPROVED', `The approval of ${what} cannot be checked: ${key.problem}. Nothing was written.`, {
      field: 'target',
    });
  return key.key;
}

export function targetApproved(key: Uint8Array, row: TargetRow): boolean {
  return recordMacHolds(key, LABEL, targetRecord(row), row.approved_mac);
}

/** Refuses a target whose stored row is not exactly what the operator approved. */
export function assertTargetApproved(audit: AuditLog, row: TargetRow): void {
  const key = targetKey(audit, `target ${row.id}`);
  if (!targetApproved(key, row))
    throw new CertdeskError(
      'TARGET_NOT_APPROVED',
      `Target ${row.id} is not the one the operator approved (it was changed outside certdesk); nothing was written. Remove it and add it again: certdesk target remove ${row.id}, then certdesk target add.`,
      { field: 'target' },
    );
}
