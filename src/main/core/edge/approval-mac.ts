/**
 * One keyed MAC for every operator approval the edge keeps in SQLite (a reload argv, the edge folder
 * and the settings that reach nginx): HMAC-SHA256, under an HKDF subkey of the store's audit key (OS
 * keychain), of a canonical record prefixed by its domain. Whoever can write the database file can
 * recompute any plain hash beside a row, but not this MAC, so an edited or restored row is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonical } from '../audit/audit-chain.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { AuditSubkeyPurpose } from '../secrets/audit-key.ts';

export type ApprovalKey = { key: Uint8Array } | { problem: string };

/** The subkey for one kind of approval: a MAC made for one purpose never verifies as another. */
export function approvalSubkey(audit: AuditLog, purpose: AuditSubkeyPurpose): ApprovalKey {
  return audit.subkey(purpose);
}

/** The MAC of `record` (canonical JSON, keys sorted) under `key`, separated from other kinds by `domain`. */
export function recordMac(key: Uint8Array, domain: string, record: Record<string, unknown>): string {
  return createHmac('sha256', key)
    .update(`${domain}\n${canonical(record)}`)
    .digest('hex');
}

/** Constant-time comparison of a stored MAC with the one the record should have. */
export function recordMacHolds(key: Uint8Array, domain: string, record: Record<string, unknown>, stored: string | null): boolean {
  if (stored === null || !/^[0-9a-f]{64}$/.test(stored)) return false;
  return timingSafeEqual(Buffer.from(recordMac(key, domain, record), 'hex'), Buffer.from(stored, 'hex'));
}
