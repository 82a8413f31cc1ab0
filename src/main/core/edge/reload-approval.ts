/**
 * The approval of a reload action as a keyed MAC: HMAC-SHA256, under a subkey of the store's audit
 * key (OS keychain), of the whole approval record. Whoever can write the SQLite file can change an
 * argv and recompute any plain hash beside it, but not this MAC, so an edited row never runs. The
 * MAC alone does not say an approval is still the latest: reload-ledger.ts does.
 */
import type { AuditLog } from '../audit/audit-log.ts';
import { approvalSubkey, recordMac, recordMacHolds, type ApprovalKey } from './approval-mac.ts';

export type { ApprovalKey };

/** The stored fields an approval covers; changing any of them voids it. */
export interface ApprovalRecord {
  id: number;
  kind: 'preset' | 'custom';
  preset: string | null;
  container: string | null;
  /** The argv steps exactly as stored (JSON text). */
  argv: string;
  /** A preset's program, the absolute path found when it was chosen (null for a custom argv). */
  program: string | null;
  approved_at: string | null;
  approved_by: string | null;
}

const DOMAIN = 'certdesk-edge-reload-approval';

export function approvalKey(audit: AuditLog): ApprovalKey {
  return approvalSubkey(audit, 'edge-reload-approval');
}

function record(row: ApprovalRecord): Record<string, unknown> {
  return {
    // v2 covers the program's path: a v1 MAC (approved when presets were looked up on PATH at each run) never verifies.
    v: 2,
    id: row.id,
    kind: row.kind,
    preset: row.preset,
    container: row.container,
    argv: row.argv,
    program: row.program,
    approvedAt: row.approved_at,
    approvedBy: row.approved_by,
  };
}

export function approvalMac(key: Uint8Array, row: ApprovalRecord): string {
  return recordMac(key, DOMAIN, record(row));
}

/** Constant-time comparison of the stored MAC with the one the record should have. */
export function approvalHolds(key: Uint8Array, row: ApprovalRecord, stored: string | null): boolean {
  return recordMacHolds(key, DOMAIN, record(row), stored);
}
