import { hkdfSync, randomBytes } from 'node:crypto';
import type { SecretStore } from './secret-store.ts';

/**
 * The audit log's MAC key and its checkpoint, both OS-keychain items next to the DEK
 * (`audit-key:<store id>`, `audit-checkpoint:<store id>`).
 *
 * Why the keychain in both protection modes, and not sealed under the passphrase: entries are
 * written while a passphrase store is locked (a failed unlock, a certificate import, a diagnostic),
 * and each one must be keyed when it is written, so the key cannot wait for the passphrase. A key
 * wrapped under the DEK would make the log unkeyed exactly while the store is locked. The keychain
 * item is what a file-only attacker (a stolen or restored database, a script with write access to
 * the data folder) does not have, which is the attack this key is for.
 */
export const AUDIT_KEY_BYTES = 32;

export function auditKeyAccount(storeId: string): string {
  return `audit-key:${storeId}`;
}

export function auditCheckpointAccount(storeId: string): string {
  return `audit-checkpoint:${storeId}`;
}

/**
 * The current approval of each reload action (its MAC, by action id), beside the audit key: a
 * database restored from an older copy brings back rows whose MACs still verify, but not this item.
 */
export function reloadApprovalsAccount(storeId: string): string {
  return `edge-reload-approvals:${storeId}`;
}

export async function readAuditKey(store: SecretStore, storeId: string): Promise<Uint8Array | null> {
  const key = await store.get(auditKeyAccount(storeId));
  return key && key.length === AUDIT_KEY_BYTES ? key : null;
}

/** A fresh key, stored before it is used: an entry is never keyed under a key that is not in the keychain. */
export async function createAuditKey(store: SecretStore, storeId: string): Promise<Uint8Array> {
  const key = new Uint8Array(randomBytes(AUDIT_KEY_BYTES));
  await store.set(auditKeyAccount(storeId), key);
  return key;
}

/**
 * What else the audit key authenticates, each under its own HKDF-SHA256 subkey (salt: the store id),
 * so one keychain item stays the one key source and a MAC made for one purpose never verifies as another.
 */
export type AuditSubkeyPurpose = 'edge-reload-approval' | 'delivery-target-approval' | 'edge-config-approval' | 'edge-log-source';

export function deriveAuditSubkey(key: Uint8Array, storeId: string, purpose: AuditSubkeyPurpose): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', key, storeId, `certdesk-${purpose}`, AUDIT_KEY_BYTES));
}
