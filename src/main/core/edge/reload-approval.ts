/**
 * The approval of a reload action as a keyed MAC: HMAC-SHA256, under a subkey of the store's audit
 * key (OS keychain), of the whole approval record. Whoever can write the SQLite file can change an
 * argv and recompute any plain hash beside it, but not this MAC, so an edited row never runs. The
 * MAC alone does not say an approval is still the latest: reload-ledger.ts does.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonical } from '../audit/audit-chain.ts';
import type { AuditLog } from '../audit/audit-log.ts';

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

export type ApprovalKey = { key: Uint8Array } | { problem: string };

export function approvalKey(audit: AuditLog): ApprovalKey {
  return audit.subkey('edge-reload-approval');
}

export function approvalMac(key: Uint8Array, row: ApprovalRecord): string {
  return recordMac(key, 'certdesk-edge-reload-approval', {
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
  });
}

/** Constant-time comparison of the stored MAC with the one the record should have. */
export function approvalHolds(key: Uint8Array, row: ApprovalRecord, stored: string | null): boolean {
  return macHolds(approvalMac(key, row), stored);
}

/**
 * The keyed MAC of any approved record (reload actions, delivery targets): HMAC-SHA256 of the record's
 * canonical JSON, behind a label naming what it approves, so one kind's MAC never verifies as another's.
 */
export function recordMac(key: Uint8Array, label: string, record: Record<string, unknown>): string {
  return createHmac('sha256', key)
    .update(`${label}\n${canonical(record)}`)
    .digest('hex');
}

/** Constant-time: whether `stored` is the MAC `expected` (hex) and well-formed at all. */
export function macHolds(expected: string, stored: string | null): boolean {
  if (stored === null || !/^[0-9a-f]{64}$/.test(stored)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(stored, 'hex'));
}
